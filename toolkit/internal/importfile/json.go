package importfile

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
)

// readJSON yields the objects of a JSON list, or of the list under "data"
// in an object, one at a time.
func readJSON(r io.Reader) objects {
	return func(yield func(object, error) bool) {
		for v, err := range readJSONValues(r) {
			if err != nil {
				yield(object{}, err)
				return
			}
			o, err := parseObject(v.raw)
			o.line = v.line
			if err != nil {
				o.fields = nil
				o.problem = err.Error()
			}
			if !yield(o, nil) {
				return
			}
		}
	}
}

// value is one value of a file's list and the line it starts on.
type value struct {
	line int
	raw  json.RawMessage
}

// readJSONValues yields the values of a JSON list, or of the list under
// "data" in an object, one at a time. An error ends the values.
func readJSONValues(r io.Reader) iter.Seq2[value, error] {
	return func(yield func(value, error) bool) {
		lc := newLineCounter(r, 4*MaxRecordBytes)
		d := json.NewDecoder(lc)
		lc.consumed = d.InputOffset
		fail := func(err error) {
			yield(value{}, jsonError(d, lc, err))
		}
		tok, err := d.Token()
		if err == io.EOF {
			yield(value{}, errors.New("the file is empty; want a list of records or {\"data\": [...]}"))
			return
		} else if err != nil {
			fail(err)
			return
		}
		wrapped := tok == json.Delim('{')
		if wrapped {
			if err := findData(d); err != nil {
				fail(err)
				return
			}
			tok, err = d.Token()
			if err != nil {
				fail(err)
				return
			}
		}
		if tok != json.Delim('[') {
			yield(value{}, errors.New("want a list of records or {\"data\": [...]}"))
			return
		}
		for d.More() {
			line := lc.lineAt(skipSpace(d))
			var raw json.RawMessage
			if err := d.Decode(&raw); err != nil {
				fail(err)
				return
			}
			if !yield(value{line, raw}, nil) {
				return
			}
		}
		if _, err := d.Token(); err != nil { // the list's "]"
			fail(err)
			return
		}
		if wrapped {
			if err := skipRest(d); err != nil {
				fail(err)
				return
			}
		}
		if _, err := d.Token(); err != io.EOF {
			if err == nil {
				err = errors.New("data after the end of the records")
			}
			fail(err)
		}
	}
}

// findData reads an object's keys up to "data", skipping the values of
// others.
func findData(d *json.Decoder) error {
	for d.More() {
		tok, err := d.Token()
		if err != nil {
			return err
		}
		if tok == "data" {
			return nil
		}
		var skip json.RawMessage
		if err := d.Decode(&skip); err != nil {
			return err
		}
	}
	return errors.New("want a list of records or {\"data\": [...]}: the object has no \"data\"")
}

// skipRest reads the keys after "data" to the object's end.
func skipRest(d *json.Decoder) error {
	for d.More() {
		if _, err := d.Token(); err != nil {
			return err
		}
		var skip json.RawMessage
		if err := d.Decode(&skip); err != nil {
			return err
		}
	}
	_, err := d.Token()
	return err
}

// jsonError says where the file broke: a file cut short is named as such.
func jsonError(d *json.Decoder, lc *lineCounter, err error) error {
	var se *json.SyntaxError
	switch {
	case errors.Is(err, errRecordTooLarge):
		return err
	case errors.Is(err, io.ErrUnexpectedEOF), err == io.EOF:
		return errors.New("the file ends in the middle of the records: it was cut short")
	case errors.As(err, &se):
		return fmt.Errorf("line %d: JSON syntax error: %v", lc.lineAt(se.Offset-1), err)
	}
	return fmt.Errorf("line %d: %v", lc.lineAt(d.InputOffset()), err)
}
