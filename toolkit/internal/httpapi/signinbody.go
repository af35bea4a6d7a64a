package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
)

// errNotJSONType is a sign-in whose Content-Type is not application/json,
// errTooLarge one whose body is larger than maxBody.
var (
	errNotJSONType = errors.New("content type")
	errTooLarge    = errors.New("body too large")
)

// readSignIn reads a sign-in body the one way it can be read: a JSON object
// of UTF-8 text with exactly the keys "username" and "password", spelled
// so, once each, both strings, and nothing after it, sent as
// application/json (what the reference client sends). A lenient parser
// would act on something other than what a proxy or firewall inspecting the
// same body saw (the last of two duplicate keys, a key in another case,
// a second object after the first).
func readSignIn(r *http.Request) (username, password string, err error) {
	if !isJSONType(r.Header.Get("Content-Type")) {
		return "", "", errNotJSONType
	}
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return "", "", errTooLarge
		}
		return "", "", erp.Errorf(erp.EInvalid, "The request body could not be read.")
	}
	return parseSignIn(body)
}

// parseSignIn is readSignIn's parser, on the whole body.
func parseSignIn(body []byte) (username, password string, err error) {
	notObject := erp.Errorf(erp.EInvalid, "The request body must be a JSON object.")
	if !utf8.Valid(body) {
		return "", "", erp.Errorf(erp.EInvalid, "The request body must be UTF-8 text.")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return "", "", notObject
	}
	var seen [2]bool
	var vals [2]string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return "", "", notObject
		}
		key, _ := tok.(string)
		i := -1
		switch key {
		case "username":
			i = 0
		case "password":
			i = 1
		default:
			return "", "", erp.Errorf(erp.EInvalid, "The sign-in takes only the keys username and password.")
		}
		if seen[i] {
			return "", "", erp.Errorf(erp.EInvalid, "The key %s appears twice.", key)
		}
		tok, err = dec.Token()
		if err != nil {
			return "", "", notObject
		}
		v, ok := tok.(string)
		if !ok {
			return "", "", erp.Errorf(erp.EInvalid, "%s must be a string.", key)
		}
		seen[i], vals[i] = true, v
	}
	if tok, err := dec.Token(); err != nil || tok != json.Delim('}') {
		return "", "", notObject
	}
	if _, err := dec.Token(); err != io.EOF {
		return "", "", erp.Errorf(erp.EInvalid, "The request body must hold one JSON object and nothing after it.")
	}
	if !seen[0] || !seen[1] {
		return "", "", erp.Errorf(erp.EInvalid, "username and password are required.")
	}
	return vals[0], vals[1], nil
}

// isJSONType accepts application/json, in any case, with at most a
// charset of UTF-8.
func isJSONType(ct string) bool {
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil || mt != "application/json" {
		return false
	}
	for k, v := range params {
		if k != "charset" || !strings.EqualFold(v, "utf-8") {
			return false
		}
	}
	return true
}
