package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/command"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/importfile"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/progress"
)

func (a *admin) importCmd() *cobra.Command {
	var template, company, format string
	c := &cobra.Command{
		Use:   "import",
		Short: "Import artikels, klanten or categorieen from JSON or CSV, all or nothing",
		Long: `Import artikels (products), klanten (clients) or categorieen (the product
category tree) into a company from a JSON file (a list of objects, or the
API's own {"data": [...]}) or a CSV file with a header row (, or ;). Keys and
columns are the API's keys (naam, SKU, merk, categorieen, fotos, EAN, ...;
klantennummer, ...); --template prints a file with every key and an example.
In CSV a list (fotos, categorieen, ...) is written as its JSON, and EAN codes
also as 5411234567897|8712345678906.

Categories come as the API's tree ([{"naam": "Dranken", "children": [...]}],
without ids) or as CSV with one column, categorie, holding a path such as
Dranken/Bier (\/ for a / inside a name). Missing ones are created, existing
ones keep their id, none is deleted. Import them before the products that
name them: a product names a category by id or by its name.

Records are created or updated by SKU / klantennummer in one transaction, as
they are read: a file of any size is imported whole or not at all. An update
replaces the whole record: a key left out clears that field (the API's own
answer in version 0.6 has every key and imports as it is). One exception: a
product record with none of the keys of API version 0.6 (merk, categorieen,
fotos, EAN, ...; in CSV, a file without their columns) keeps the product's
data of that version, so that a file written before 0.6 updates what it has
and erases nothing else; a record with any of them replaces all of it. When any
record has a problem nothing is imported, and every problem of the file is
listed (the first ` + fmt.Sprint(erp.MaxReportedProblems) + ` different ones, and the total), each with its
record, line and key.`,
		Example: `  cloudspot-server admin import --template artikels --format csv > artikels.csv
  cloudspot-server admin import categorieen --company acme categorieen.json
  cloudspot-server admin import artikels --company acme artikels.csv
  cloudspot-server admin import klanten --company acme --format json - < klanten.txt`,
		Args: func(c *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usageError{errors.New(command.Unknown(c, args[0]))}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			if template == "" {
				return usageError{fmt.Errorf("say what to import (artikels, klanten or categorieen), or ask for --template artikels|klanten|categorieen")}
			}
			if format == "" {
				format = string(importfile.CSV)
			}
			f, err := importfile.ParseFormat(format)
			if err != nil {
				return usageError{fmt.Errorf("--format: %w", err)}
			}
			if template != importfile.KindArtikels && template != importfile.KindKlanten && template != importfile.KindCategorieen {
				return usageError{fmt.Errorf("--template %q: use artikels, klanten or categorieen", template)}
			}
			if err := importfile.Template(a.e.stdout, template, f); err != nil {
				return err
			}
			// Beside the file, not in it: neither format has comments.
			fmt.Fprintf(a.e.stderr, "cloudspot-server: every record needs %s; the other keys may be left out (docs/imports.md)\n", strings.Join(requiredKeys(template), ", "))
			return nil
		},
	}
	c.Flags().StringVar(&template, "template", "", "print a template file for artikels, klanten or categorieen (in CSV unless --format json)")
	c.PersistentFlags().StringVar(&format, "format", "", "json or csv (default: from the file's extension)")
	sub := func(kind string) *cobra.Command {
		cmd := &cobra.Command{
			Use: kind + " --company SLUG FILE", Short: "Import " + kind, Args: exactArgs(1, "a file (- for standard input)"),
			Example: "  cloudspot-server admin import " + kind + " --company acme " + kind + ".csv",
			RunE: a.runE(func(ctx context.Context, args []string) error {
				if a.e.getenv("GOMEMLIMIT") == "" {
					defer limitImportMemory()()
				}
				in, f, err := a.openInput(args[0], format)
				if err != nil {
					return err
				}
				defer in.Close()
				m := progress.On(a.e.stderr, "importing "+kind, progress.Bytes, size(in))
				res, err := importfile.Import(ctx, a.svc, kind, company, &meteredReader{r: in, m: m}, f)
				m.Done()
				if err != nil {
					return err
				}
				if kind == importfile.KindCategorieen {
					// A category is never changed by an import: it exists or is created.
					fmt.Fprintf(a.e.stdout, "imported %s into %s: %d created, %d already there\n", kind, company, res.Created, res.Updated)
				} else {
					fmt.Fprintf(a.e.stdout, "imported %s into %s: %d created, %d updated%s\n", kind, company, res.Created, res.Updated, keptNote(res))
				}
				return nil
			}),
		}
		cmd.Flags().StringVar(&company, "company", "", "the company's slug")
		cmd.MarkFlagRequired("company")
		return cmd
	}
	for _, kind := range importfile.Kinds() {
		c.AddCommand(sub(kind))
	}
	return c
}

// An import's live heap is mostly one table without pointers (a hash and
// a record number per key, to find a key given twice), which grows with
// the file. Under a memory limit the collector keeps its default pace
// while the heap is small and collects more often as it nears the limit;
// the limit then moves up with the live heap, keeping room above it, so
// that a file too large for the limit is not read at the pace of a
// collector that runs without end. A million products stay under 100 MB
// (docs/performance.md, "Imports"). GOMEMLIMIT, when set, wins.
const (
	importMemoryLimit = 64 << 20 // the limit while the live heap leaves room under it
	importHeadroom    = 24 << 20 // the least room between the live heap and the limit
)

// importLimit is the memory limit for an import whose live heap (as the
// last collection found it) is live.
func importLimit(live uint64) int64 {
	return max(importMemoryLimit, int64(live)+importHeadroom)
}

// limitImportMemory sets the import's memory limit and moves it with the
// live heap, four times a second, until the returned function puts the
// limit back as it was.
func limitImportMemory() (restore func()) {
	before := debug.SetMemoryLimit(importMemoryLimit)
	done, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		tick := time.NewTicker(250 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
			}
			metrics.Read(sample)
			if sample[0].Value.Kind() == metrics.KindUint64 {
				debug.SetMemoryLimit(importLimit(sample[0].Value.Uint64()))
			}
		}
	}()
	return func() {
		close(done)
		<-stopped
		debug.SetMemoryLimit(before)
	}
}

// requiredKeys are the keys every record of kind needs.
func requiredKeys(kind string) []string {
	switch kind {
	case importfile.KindArtikels:
		return erp.RequiredArtikelKeys()
	case importfile.KindKlanten:
		return append(erp.RequiredKlantKeys(), "achternaam (a person) or bedrijfsnaam (a company, is_bedrijf)")
	}
	return []string{"categorie (in CSV; in JSON, naam)"}
}

// keptNote says how many updated products kept their data of API version
// 0.6, when any did: an administrator who imports an old file learns that
// it left that data alone, and why.
func keptNote(res erp.ImportResult) string {
	switch res.Kept {
	case 0:
		return ""
	case 1:
		return " (1 kept its data of API version 0.6: its record has none of that version's keys)"
	}
	return fmt.Sprintf(" (%d kept their data of API version 0.6: their records have none of that version's keys)", res.Kept)
}

// size is the size of the file f reads, or 0 when it is not a file (a
// pipe: standard input).
func size(f io.Reader) int64 {
	if s, ok := f.(interface{ Stat() (os.FileInfo, error) }); ok {
		if fi, err := s.Stat(); err == nil && fi.Mode().IsRegular() {
			return fi.Size()
		}
	}
	return 0
}

// meteredReader reports what is read through it to a progress meter.
type meteredReader struct {
	r io.Reader
	m *progress.Meter
}

func (r *meteredReader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	r.m.Add(int64(n))
	return n, err
}

// openInput opens name ("-" for standard input) and tells its format,
// from format when given, else from the name.
func (a *admin) openInput(name, format string) (io.ReadCloser, importfile.Format, error) {
	var f importfile.Format
	var err error
	switch {
	case format != "":
		f, err = importfile.ParseFormat(format)
	case name == "-":
		err = fmt.Errorf("standard input has no name to tell its format by: give --format json or --format csv")
	default:
		if f, err = importfile.FormatOf(name); err != nil {
			err = fmt.Errorf("%w: give --format json or --format csv", err)
		}
	}
	if err != nil {
		return nil, "", usageError{err}
	}
	if name == "-" {
		return io.NopCloser(a.e.stdin), f, nil
	}
	file, err := os.Open(name)
	if err != nil {
		return nil, "", err
	}
	return file, f, nil
}
