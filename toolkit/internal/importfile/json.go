package importfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"

	"github.com/go-json-experiment/json/jsontext"
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
// "data" in an object, one at a time. An error ends the values. It reads
// with jsontext, which checks each value as it finds its end and returns
// it without copying: the value is copied once, for the record to keep.
// Text that is not UTF-8 and a key given twice pass here, for the
// record's reader to report with the record's place (see parseObject).
func readJSONValues(r io.Reader) iter.Seq2[value, error] {
	return func(yield func(value, error) bool) {
		lc := newLineCounter(r, 4*MaxRecordBytes)
		d := jsontext.NewDecoder(lc, jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
		lc.consumed = d.InputOffset
		fail := func(err error) {
			yield(value{}, jsonError(d, lc, err))
		}
		tok, err := d.ReadToken()
		if err == io.EOF {
			yield(value{}, errors.New("the file is empty; want a list of records or {\"data\": [...]}"))
			return
		} else if err != nil {
			fail(err)
			return
		}
		wrapped := tok.Kind() == '{'
		if wrapped {
			if err := findData(d); err != nil {
				fail(err)
				return
			}
			if tok, err = d.ReadToken(); err != nil {
				fail(err)
				return
			}
		}
		if tok.Kind() != '[' {
			yield(value{}, errors.New("want a list of records or {\"data\": [...]}"))
			return
		}
		// PeekKind is 0 on an error, which the next read returns.
		for d.PeekKind() != ']' {
			line := lc.lineAt(nextValueAt(d))
			raw, err := d.ReadValue()
			if err != nil {
				fail(err)
				return
			}
			if !yield(value{line, bytes.Clone(raw)}, nil) {
				return
			}
		}
		if _, err := d.ReadToken(); err != nil { // the list's "]"
			fail(err)
			return
		}
		if wrapped {
			if err := skipRest(d); err != nil {
				fail(err)
				return
			}
		}
		if _, err := d.ReadToken(); err != io.EOF {
			if err == nil {
				err = errors.New("data after the end of the records")
			}
			fail(err)
		}
	}
}

// nextValueAt returns the offset of the value d has peeked at: past d's
// offset, the white space and the comma before it, so that a record's
// line is that of its "{".
func nextValueAt(d *jsontext.Decoder) int64 {
	rest := d.UnreadBuffer()
	return d.InputOffset() + int64(len(rest)-len(bytes.TrimLeft(rest, " \t\r\n,")))
}

// findData reads an object's keys up to "data", skipping the values of
// others.
func findData(d *jsontext.Decoder) error {
	for d.PeekKind() != '}' {
		tok, err := d.ReadToken()
		if err != nil {
			return err
		}
		if tok.String() == "data" {
			return nil
		}
		if err := d.SkipValue(); err != nil {
			return err
		}
	}
	return errors.New("want a list of records or {\"data\": [...]}: the object has no \"data\"")
}

// skipRest reads the keys after "data" to the object's end.
func skipRest(d *jsontext.Decoder) error {
	for d.PeekKind() != '}' {
		if _, err := d.ReadToken(); err != nil {
			return err
		}
		if err := d.SkipValue(); err != nil {
			return err
		}
	}
	_, err := d.ReadToken()
	return err
}

// jsonError says where the file broke: a file cut short is named as such.
func jsonError(d *jsontext.Decoder, lc *lineCounter, err error) error {
	var se *jsontext.SyntacticError
	switch {
	case errors.Is(err, errRecordTooLarge):
		return errRecordTooLarge
	case errors.Is(err, io.ErrUnexpectedEOF), err == io.EOF:
		return errors.New("the file ends in the middle of the records: it was cut short")
	case errors.As(err, &se):
		return fmt.Errorf("line %d: JSON syntax error: %v", lc.lineAt(se.ByteOffset), se.Err)
	}
	return fmt.Errorf("line %d: %v", lc.lineAt(d.InputOffset()), err)
}
