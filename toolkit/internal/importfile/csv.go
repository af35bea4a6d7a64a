package importfile

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/cloudspot-toolkit/cloudspot/internal/jsonstring"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
)

// readCSV yields one object per row after a header row of wire keys (any
// case). The delimiter is ',' or ';' (as spreadsheets in Belgium write),
// chosen from the header; an empty cell is "not set". Every row must have
// as many cells as the header: a shorter last row may be a file cut short.
func readCSV(r io.Reader, keys []string) objects {
	return func(yield func(object, error) bool) {
		lc := newLineCounter(r, 4*MaxRecordBytes)
		br := bufio.NewReader(lc)
		if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\xef\xbb\xbf")) {
			br.Discard(3)
		}
		head, _ := br.Peek(4096)
		first, _, _ := bytes.Cut(head, []byte("\n"))
		cr := csv.NewReader(br)
		lc.consumed = cr.InputOffset
		if bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
			cr.Comma = ';'
		}
		cr.ReuseRecord = true
		header, err := cr.Read()
		if err == io.EOF {
			yield(object{}, errors.New("the file is empty; want a header row of wire keys"))
			return
		} else if err != nil {
			yield(object{}, csvError(err))
			return
		}
		cols, err := columns(header, keys)
		if err != nil {
			yield(object{}, err)
			return
		}
		for {
			row, err := cr.Read()
			if err == io.EOF {
				return
			}
			var pe *csv.ParseError
			if errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrFieldCount) {
				o := object{line: pe.StartLine, problem: fmt.Sprintf("the row has %d cells and the header %d (a file cut short?)", len(row), len(cols))}
				if !yield(o, nil) {
					return
				}
				continue
			}
			if err != nil {
				yield(object{}, csvError(err))
				return
			}
			line, _ := cr.FieldPos(0)
			o := object{line: line, csv: true, fields: make([]field, 0, len(row))}
			for i, v := range row {
				if !utf8.ValidString(v) {
					o.problems = append(o.problems, erp.Problem{Field: cols[i], Message: "text must be UTF-8"})
					continue
				}
				if strings.TrimSpace(v) == "" {
					o.fields = append(o.fields, field{cols[i], json.RawMessage("null")})
					continue
				}
				o.fields = append(o.fields, field{cols[i], jsonstring.Append(nil, v)})
			}
			if !yield(o, nil) {
				return
			}
		}
	}
}

// columns returns the header's keys, each spelt as the wire key it names in
// any case. A key named twice is an error: which cell would count?
func columns(header, keys []string) ([]string, error) {
	canon := make(map[string]string, len(keys))
	for _, k := range keys {
		canon[strings.ToLower(k)] = k
	}
	cols := make([]string, len(header))
	at := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(h)
		if k, ok := canon[strings.ToLower(h)]; ok {
			h = k
		}
		if j, dup := at[h]; dup {
			return nil, fmt.Errorf("line 1: the column %q appears twice (columns %d and %d)", h, j+1, i+1)
		}
		at[h] = i
		cols[i] = h
	}
	return cols, nil
}

// csvError says where the file broke; the csv package names the line.
func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("line %d, column %d: %v", pe.Line, pe.Column, pe.Err)
	}
	return err
}
