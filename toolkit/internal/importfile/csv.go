package importfile

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/cloudspot-toolkit/cloudspot/internal/jsonstring"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
)

// readCSV yields one object per row after a header row of wire keys (any
// case). The delimiter is ',' or ';' (as spreadsheets in Belgium write),
// chosen from the header; an empty cell is "not set". Every row must have
// as many cells as the header: a shorter last row may be a file cut short.
// A header with a column of no key ends the reading with erp.FileProblems
// at line 1 (see checkHeader): every row would have the same problem.
func readCSV(r io.Reader, keys, required []string) objects {
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
		if ps := checkHeader(cols, keys, required); len(ps) > 0 {
			yield(object{}, ps)
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

// checkHeader returns the problems of a header whose columns are cols, all
// at line 1: each column of no key, with the nearest key as a suggestion
// (the first erp.MaxReportedProblems of them; the rest are counted in one
// problem, so that a hostile header of a million columns costs no more),
// and then, since a misspelt column is often a required one, each
// required key without a column and the list of them. A header whose
// columns are all keys has no problem here: a required key left out is a
// problem of each record, which the report lists once with their count
// (and a file may leave out any other key).
func checkHeader(cols, keys, required []string) erp.FileProblems {
	var ps erp.FileProblems
	more := 0
	for _, c := range cols {
		switch {
		case slices.Contains(keys, c):
		case len(ps) < erp.MaxReportedProblems:
			ps = append(ps, erp.Problem{Line: 1, Field: clip(c), Message: unknownKey("column", c, keys)})
		default:
			more++
		}
	}
	if len(ps) == 0 {
		return nil
	}
	if more > 0 {
		ps = append(ps, erp.Problem{Line: 1, Message: fmt.Sprintf("%d more columns of no key", more)})
	}
	// A misspelt column is often a required one.
	for _, k := range required {
		if !slices.Contains(cols, k) {
			ps = append(ps, erp.Problem{Line: 1, Field: k, Message: "no such column, and every record needs one"})
		}
	}
	return append(ps, erp.Problem{Line: 1, Message: "the columns every file needs: " + strings.Join(required, ", ")})
}

// csvError says where the file broke; the csv package names the line.
func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("line %d, column %d: %v", pe.Line, pe.Column, pe.Err)
	}
	return err
}
