package importfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"strings"
	"unicode/utf8"

	"github.com/cloudspot-toolkit/cloudspot/internal/jsonkind"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
)

// Categorieen reads a company's category tree, a record per category with
// the names of its parents, parents before their children. A JSON tree is
// not read below erp.MaxCategorieDepth levels (the domain refuses deeper
// ones), so that a hostile file cannot make the reader hold a path of
// thousands of names for each of thousands of categories. JSON is the
// API's tree, [{"naam": "Dranken", "children": [{"naam": "Bier"}]}] (or
// under "data"), without ids: ids are the server's. CSV has one column,
// categorie, holding a category's path such as Dranken/Bier, with "\/"
// for a "/" inside a name and "\\" for a backslash before one.
func Categorieen(r io.Reader, f Format) iter.Seq2[erp.Record[erp.NewCategorie], error] {
	return func(yield func(erp.Record[erp.NewCategorie], error) bool) {
		switch f {
		case JSON:
			for v, err := range readJSONValues(r) {
				if err != nil {
					yield(erp.Record[erp.NewCategorie]{}, err)
					return
				}
				for _, rec := range readTree(v) {
					if !yield(rec, nil) {
						return
					}
				}
			}
		case CSV:
			for o, err := range readCSV(r, []string{"categorie"}, []string{"categorie"}) {
				if err != nil {
					yield(erp.Record[erp.NewCategorie]{}, err)
					return
				}
				if !yield(categorieRow(o), nil) {
					return
				}
			}
		default:
			yield(erp.Record[erp.NewCategorie]{}, fmt.Errorf("unknown import format %q: use json or csv", f))
		}
	}
}

// categorieRow reads one CSV row. A row whose path cannot be read is
// unread as a whole (a problem of no key): the domain does not judge a
// category it was not given.
func categorieRow(o object) erp.Record[erp.NewCategorie] {
	rec := erp.Record[erp.NewCategorie]{Line: o.line}
	if o.problem != "" {
		rec.Problems = []erp.Problem{{Message: o.problem}}
		return rec
	}
	unread := func(msg string) {
		rec.Problems = append(rec.Problems, erp.Problem{Message: "categorie: " + msg})
	}
	for _, p := range o.problems { // a cell that is not UTF-8
		unread(p.Message)
	}
	// The header check left one column: categorie.
	for _, f := range o.fields {
		path, _ := textOf(f.value) // the CSV reader wrote text or null
		names, err := splitPath(path)
		if err != nil {
			unread(err.Error())
			continue
		}
		rec.Value = erp.NewCategorie{Naam: names[len(names)-1], Parents: names[:len(names)-1]}
	}
	return rec
}

// splitPath splits a path such as "Dranken/Bier" into its names, each
// trimmed of spaces. A backslash makes the "/" or "\" after it part of a
// name; before any other character it is itself.
func splitPath(path string) ([]string, error) {
	if strings.TrimSpace(path) == "" {
		return nil, errors.New("is required: the category's path, such as Dranken/Bier")
	}
	var names []string
	var b strings.Builder
	end := func() error {
		name := strings.TrimSpace(b.String())
		b.Reset()
		if name == "" {
			return fmt.Errorf("the path %s has an empty name (write \\/ for a / inside a name)", clip(path))
		}
		names = append(names, name)
		return nil
	}
	for i := 0; i < len(path); i++ {
		switch c := path[i]; {
		case c == '\\' && i+1 < len(path) && (path[i+1] == '/' || path[i+1] == '\\'):
			b.WriteByte(path[i+1])
			i++
		case c == '/':
			if err := end(); err != nil {
				return nil, err
			}
		default:
			b.WriteByte(c)
		}
	}
	if err := end(); err != nil {
		return nil, err
	}
	return names, nil
}

// node is a category read from a JSON tree, before its parents' names
// are known: a file may give "children" before "naam".
type node struct {
	parent   int // index of the parent among the tree's nodes; -1 for a root
	naam     string
	line     int
	problems []erp.Problem
}

// tree reads one root category of a JSON file and its subtree, which the
// file reader has read whole (within MaxRecordBytes of the file's
// limits).
type tree struct {
	raw   []byte
	d     *json.Decoder
	nodes []node
	line  int   // the line of offset at
	at    int64 // an offset in raw whose line is known
}

// readTree returns the categories of a root in the order of their "{",
// so a parent before its children.
func readTree(v value) []erp.Record[erp.NewCategorie] {
	if len(v.raw) > MaxRecordBytes {
		return []erp.Record[erp.NewCategorie]{{Line: v.line, Problems: []erp.Problem{{
			Message: fmt.Sprintf("this category and its subcategories take more than %d MiB, the limit of one root category", MaxRecordBytes>>20)}}}}
	}
	t := &tree{raw: v.raw, d: json.NewDecoder(bytes.NewReader(v.raw)), line: v.line}
	if err := t.category(-1, 1); err != nil {
		// The file reader checked the syntax: this is not expected.
		return []erp.Record[erp.NewCategorie]{{Line: v.line, Problems: []erp.Problem{{Message: err.Error()}}}}
	}
	recs := make([]erp.Record[erp.NewCategorie], len(t.nodes))
	paths := make([][]string, len(t.nodes))
	for i, n := range t.nodes {
		var parents []string
		if n.parent >= 0 {
			parents = paths[n.parent]
		}
		paths[i] = append(parents[:len(parents):len(parents)], n.naam)
		recs[i] = erp.Record[erp.NewCategorie]{Value: erp.NewCategorie{Naam: n.naam, Parents: parents}, Line: n.line, Problems: n.problems}
	}
	return recs
}

// next returns the offset of the next value's first byte.
func (t *tree) next() int64 {
	off := t.d.InputOffset()
	for off < int64(len(t.raw)) && strings.IndexByte(" \t\r\n,:", t.raw[off]) >= 0 {
		off++
	}
	return off
}

// peek returns the next value's first byte.
func (t *tree) peek() byte {
	if off := t.next(); off < int64(len(t.raw)) {
		return t.raw[off]
	}
	return 0
}

// lineAt returns the line of offset; offsets asked about never go back.
func (t *tree) lineAt(off int64) int {
	t.line += bytes.Count(t.raw[t.at:off], []byte("\n"))
	t.at = off
	return t.line
}

// category reads one category object at depth (1 for a root).
func (t *tree) category(parent, depth int) error {
	start := t.next()
	i := len(t.nodes)
	t.nodes = append(t.nodes, node{parent: parent, line: t.lineAt(start)})
	problem := func(key, msg string) {
		t.nodes[i].problems = append(t.nodes[i].problems, erp.Problem{Field: key, Message: msg})
	}
	if t.peek() != '{' {
		var skip json.RawMessage
		if err := t.d.Decode(&skip); err != nil {
			return err
		}
		problem("", fmt.Sprintf(`want a category {"naam": ...}, not %s`, jsonkind.Of(skip)))
		return nil
	}
	if _, err := t.d.Token(); err != nil {
		return err
	}
	seen := map[string]bool{}
	for t.d.More() {
		tok, err := t.d.Token()
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		if seen[key] {
			problem(key, "the key is given twice")
		}
		seen[key] = true
		if key == "children" && depth < erp.MaxCategorieDepth && t.peek() == '[' {
			if _, err := t.d.Token(); err != nil {
				return err
			}
			for t.d.More() {
				if err := t.category(i, depth+1); err != nil {
					return err
				}
			}
			if _, err := t.d.Token(); err != nil {
				return err
			}
			continue
		}
		var v json.RawMessage
		if err := t.d.Decode(&v); err != nil {
			return err
		}
		switch key {
		case "naam":
			if !utf8.Valid(v) {
				problem(key, "text must be UTF-8")
			} else if n, err := textOf(v); err != nil {
				problem(key, err.Error())
			} else {
				t.nodes[i].naam = n
			}
		case "children":
			var items []json.RawMessage
			switch {
			case isNull(v):
			case v[0] != '[':
				problem(key, fmt.Sprintf("want a list of categories, not %s", jsonkind.Of(v)))
			case json.Unmarshal(v, &items) == nil && len(items) == 0:
			default:
				problem(key, fmt.Sprintf("a tree has at most %d levels: these categories would be at level %d", erp.MaxCategorieDepth, depth+1))
			}
		case "id":
			problem(key, "ids are given by the server: leave id out (a category is known by its name and its parents')")
		default:
			problem(key, `unknown key (a category has "naam" and "children")`)
		}
	}
	_, err := t.d.Token()
	return err
}
