package importfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/cloudspot-toolkit/cloudspot/internal/jsonkind"
)

// The readers of one key's value that the SDK's decoder does not read
// (text, an id, a list and its items' keys), strict and saying what they
// wanted and what they got.

// extra decodes one key that the SDK's decoder is not given. csv tells that
// the value is the text of a CSV cell, where a list is written as its JSON.
type extra[T any] func(raw json.RawMessage, csv bool, v *T) error

func text[T any](at func(*T) *string) extra[T] {
	return func(raw json.RawMessage, _ bool, v *T) error {
		s, err := textOf(raw)
		*at(v) = s
		return err
	}
}

func id[T any](at func(*T) *int64) extra[T] {
	return func(raw json.RawMessage, _ bool, v *T) error {
		n, err := idOf(raw)
		*at(v) = n
		return err
	}
}

// list reads a list of items: in JSON a list or null, in CSV the list's
// JSON as the cell's text. The first bad item is reported with its place.
func list[T, E any](item func(json.RawMessage) (E, error), at func(*T) *[]E) extra[T] {
	return func(raw json.RawMessage, csv bool, v *T) error {
		items, err := listOf(raw, csv)
		if err != nil || items == nil {
			return err
		}
		out := make([]E, 0, len(items))
		for i, r := range items {
			e, err := item(r)
			if err != nil {
				return fmt.Errorf("item %d: %w", i+1, err)
			}
			out = append(out, e)
		}
		*at(v) = out
		return nil
	}
}

// listOf splits a list into its items; nil for null (not set).
func listOf(raw json.RawMessage, csv bool) ([]json.RawMessage, error) {
	if isNull(raw) {
		return nil, nil
	}
	if csv {
		var cell string
		if err := json.Unmarshal(raw, &cell); err != nil {
			return nil, err
		}
		cell = strings.TrimSpace(cell)
		if !strings.HasPrefix(cell, "[") {
			return nil, errors.New(`want the list as JSON, such as [{"...": ...}] (see --template)`)
		}
		raw = json.RawMessage(cell)
	} else if raw[0] != '[' {
		return nil, fmt.Errorf("want a list, not %s", jsonkind.Of(raw))
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, fmt.Errorf("not a JSON list: %s", jsonMessage(err))
	}
	return items, nil
}

// jsonMessage is err's text without the package's prefix.
func jsonMessage(err error) string {
	return strings.TrimPrefix(err.Error(), "json: ")
}

// isNull reports a null value, or none (a key left out).
func isNull(raw json.RawMessage) bool { return len(raw) == 0 || string(raw) == "null" }

// textOf reads text, or null as "".
func textOf(raw json.RawMessage) (string, error) {
	if isNull(raw) {
		return "", nil
	}
	if raw[0] != '"' {
		return "", fmt.Errorf("want text, not %s", jsonkind.Of(raw))
	}
	if bytes.IndexByte(raw, '\\') < 0 && utf8.Valid(raw) {
		return string(raw[1 : len(raw)-1]), nil // nothing to unescape
	}
	var s string
	err := json.Unmarshal(raw, &s)
	return s, err
}

// idOf reads an id: a whole number above 0, or text holding one (as a CSV
// cell does); null is 0, "none".
func idOf(raw json.RawMessage) (int64, error) {
	if isNull(raw) {
		return 0, nil
	}
	s := string(raw)
	if raw[0] == '"' {
		if err := json.Unmarshal(raw, &s); err != nil {
			return 0, err
		}
		s = strings.TrimSpace(s)
	} else if raw[0] == '{' || raw[0] == '[' || raw[0] == 't' || raw[0] == 'f' {
		return 0, fmt.Errorf("want an id (a whole number), not %s", jsonkind.Of(raw))
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("want an id (a whole number from 1), not %s", clip(s))
	}
	return n, nil
}

// clip quotes s for a message, cut to a length a message can carry.
func clip(s string) string {
	const max = 40
	if len(s) > max {
		cut := max
		for cut > 0 && !isRuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "..."
	}
	return strconv.Quote(s)
}

func isRuneStart(b byte) bool { return b&0xc0 != 0x80 }

// members reads an object of an item, refusing keys other than those
// allowed, each once.
func members(raw json.RawMessage, want string, allowed ...string) (item, error) {
	if raw[0] != '{' {
		return nil, fmt.Errorf("want %s, not %s", want, jsonkind.Of(raw))
	}
	o, err := parseObject(raw)
	if err != nil {
		return nil, err
	}
	for _, f := range o.fields {
		ok := false
		for _, a := range allowed {
			ok = ok || f.key == a
		}
		if !ok {
			return nil, fmt.Errorf("unknown key %s (an item has %s)", clip(f.key), strings.Join(allowed, ", "))
		}
	}
	return item(o.fields), nil
}

// item is the keys and values of a list's item: a few, searched in order.
type item []field

// get returns the value of key and whether it was given.
func (it item) get(key string) (json.RawMessage, bool) {
	for _, f := range it {
		if f.key == key {
			return f.value, true
		}
	}
	return nil, false
}
