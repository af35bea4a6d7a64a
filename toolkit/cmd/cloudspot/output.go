package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/command"
)

// Output formats.
const (
	formatTable  = "table"
	formatJSON   = "json"
	formatNDJSON = "ndjson"
	formatCSV    = "csv"
	// formatLines is one value a line, the default of permissions.
	formatLines = "lines"
)

var formats = []string{formatTable, formatJSON, formatNDJSON, formatCSV}

// A record is one object to print, its fields in the order of the wire
// keys. Values stay raw JSON so that decimals print exactly as the SDK
// encodes them (never through a float).
type record []field

type field struct {
	key string
	raw json.RawMessage
}

// toRecord turns a model into a record with the given keys, in that order,
// through its own MarshalJSON.
func toRecord(v any, keys []string) (record, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	r := make(record, len(keys))
	for i, k := range keys {
		raw, ok := m[k]
		if !ok {
			raw = json.RawMessage("null")
		}
		r[i] = field{k, raw}
	}
	return r, nil
}

// outputFlags are -o and --fields of a command that prints records.
type outputFlags struct {
	format string
	fields string

	keys     []string // the keys shown by default, in order
	extra    []string // keys shown only when asked for, or with "all" (those of API version 0.6)
	defTable []string // the keys a table shows by default
	auto     string   // the default format, if not table on a terminal and json in a pipe
}

func (o *outputFlags) add(cmd *cobra.Command, keys, defTable []string) {
	o.keys, o.defTable = keys, defTable
	others := "all"
	if o.extra != nil {
		others = `all but those of later API versions, which "all" adds`
	}
	keys = o.every()
	cmd.Flags().StringVarP(&o.format, "output", "o", "", "output format: table, json, ndjson or csv (default table on a terminal, json in a pipe)")
	cmd.Flags().StringVar(&o.fields, "fields", "", "comma-separated fields to show, or \"all\" (default for tables: "+strings.Join(defTable, ",")+"; others: "+others+")")
	_ = cmd.RegisterFlagCompletionFunc("output", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return formats, cobra.ShellCompDirectiveNoFileComp
	})
	_ = cmd.RegisterFlagCompletionFunc("fields", func(_ *cobra.Command, _ []string, typed string) ([]string, cobra.ShellCompDirective) {
		done, _ := cutLast(typed, ",")
		var out []string
		for _, k := range append([]string{"all"}, keys...) {
			if done == "" {
				out = append(out, k)
			} else {
				out = append(out, done+","+k)
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
	})
}

func cutLast(s, sep string) (before, after string) {
	if i := strings.LastIndex(s, sep); i >= 0 {
		return s[:i], s[i+len(sep):]
	}
	return "", s
}

// resolve decides the format and the fields before any request is made, so
// that a wrong flag is a usage error and costs no call.
func (o *outputFlags) resolve(c *cli) (format string, keys []string, err error) {
	format = strings.ToLower(strings.TrimSpace(o.format))
	switch {
	case format == "" && o.auto != "":
		format = o.auto
	case format == "" && isTerminal(c.stdout):
		format = formatTable
	case format == "":
		format = formatJSON
	case !slices.Contains(formats, format):
		return "", nil, usagef("-o %s: want one of %s", o.format, strings.Join(formats, ", "))
	}
	if strings.TrimSpace(o.fields) == "" {
		if format == formatTable {
			return format, o.defTable, nil
		}
		return format, o.keys, nil
	}
	every := o.every()
	for _, name := range strings.Split(o.fields, ",") {
		name = strings.TrimSpace(name)
		if strings.EqualFold(name, "all") {
			keys = append(keys, every...)
			continue
		}
		i := slices.IndexFunc(every, func(k string) bool { return strings.EqualFold(k, name) })
		if i < 0 {
			return "", nil, usagef("--fields: no field %q; choose from %s", name, strings.Join(every, ","))
		}
		keys = append(keys, every[i])
	}
	return format, keys, nil
}

// every is every key --fields accepts, in order: the default ones, then
// the extra ones not among them.
func (o *outputFlags) every() []string {
	out := slices.Clone(o.keys)
	for _, k := range o.extra {
		if !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out
}

// project keeps the fields of r named by keys, in the order of keys.
func project(r record, keys []string) record {
	out := make(record, 0, len(keys))
	for _, k := range keys {
		for _, f := range r {
			if f.key == k {
				out = append(out, f)
				break
			}
		}
	}
	return out
}

// write prints records in format. single prints one object instead of a
// list (whoami). A table limited to width columns says on note which
// columns it had to leave out.
func write(w, note io.Writer, format string, keys []string, rows []record, single bool, width int) error {
	for i := range rows {
		rows[i] = project(rows[i], keys)
		if format == formatTable {
			// A table's cell is read by people: a list becomes its short
			// form. A CSV cell keeps the list's JSON (see wireCell).
			for j, f := range rows[i] {
				if raw := bytes.TrimSpace(f.raw); len(raw) > 0 && (raw[0] == '[' || raw[0] == '{') {
					rows[i][j].raw = compact(f.key, raw)
				}
			}
		}
	}
	switch format {
	case formatJSON:
		var b bytes.Buffer
		if single && len(rows) == 1 {
			b.Write(objectJSON(rows[0]))
		} else {
			b.WriteByte('[')
			for i, r := range rows {
				if i > 0 {
					b.WriteByte(',')
				}
				b.Write(objectJSON(r))
			}
			b.WriteByte(']')
		}
		var out bytes.Buffer
		if err := json.Indent(&out, b.Bytes(), "", "  "); err != nil {
			return err
		}
		out.WriteByte('\n')
		_, err := w.Write(out.Bytes())
		return err
	case formatNDJSON:
		var b bytes.Buffer
		for _, r := range rows {
			b.Write(objectJSON(r))
			b.WriteByte('\n')
		}
		_, err := w.Write(b.Bytes())
		return err
	case formatCSV:
		cw := csv.NewWriter(w)
		_ = cw.Write(keys)
		for _, r := range rows {
			cells := make([]string, len(r))
			for i, f := range r {
				if raw := bytes.TrimSpace(f.raw); len(raw) > 0 && (raw[0] == '[' || raw[0] == '{') {
					cells[i] = wireCell(raw)
					continue
				}
				cells[i] = csvCell(cellText(f.raw), isString(f.raw))
			}
			_ = cw.Write(cells)
		}
		cw.Flush()
		return cw.Error()
	case formatLines:
		var b bytes.Buffer
		for _, r := range rows {
			for _, f := range r {
				b.WriteString(flatText(f.raw))
				b.WriteByte('\n')
			}
		}
		_, err := w.Write(b.Bytes())
		return err
	case formatTable:
		hidden, err := writeTable(w, keys, rows, width)
		if err == nil && len(hidden) > 0 && note != nil {
			fmt.Fprintf(note, "cloudspot: %d columns do not fit the terminal (%s); choose fewer with --fields, or use -o csv\n", len(hidden), strings.Join(hidden, ", "))
		}
		return err
	}
	return fmt.Errorf("unknown output format %q", format)
}

// objectJSON writes r as a compact JSON object with its keys in order.
func objectJSON(r record) []byte {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range r {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(f.key)
		b.Write(k)
		b.WriteByte(':')
		b.Write(f.raw)
	}
	b.WriteByte('}')
	return b.Bytes()
}

// cellText is a JSON value as text: strings unquoted, null empty, numbers
// and booleans as written (so decimals keep their exact digits).
func cellText(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	switch {
	case len(raw) == 0 || string(raw) == "null":
		return ""
	case raw[0] == '"':
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return s
		}
	}
	return string(raw)
}

// flatText is cellText on one line, for tables and plain lists, safe to
// show on a terminal.
func flatText(raw json.RawMessage) string {
	s := cellText(raw)
	if strings.ContainsAny(s, "\r\n\t") {
		s = strings.Join(strings.Fields(s), " ")
	}
	return command.Visible(s, "")
}

// isString reports whether raw is a JSON string.
func isString(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) > 0 && raw[0] == '"'
}

// isNumber reports whether raw is a JSON number.
func isNumber(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) > 0 && (raw[0] == '-' || (raw[0] >= '0' && raw[0] <= '9'))
}
