package main

import (
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

// TestAdminImportTemplate: a template printed by the admin command imports
// as it is, in each format, and --template needs no database.
func TestAdminImportTemplate(t *testing.T) {
	t.Parallel()
	a := newAdmin(t)
	noDB := &adminRun{t: t, bin: a.bin, db: filepath.Join(t.TempDir(), "missing", "erp.db")}
	a.ok("", "company", "create", "acme", "--name", "Acme BV")
	dir := t.TempDir()
	// The categories first: the example products name them.
	needs := map[string]string{
		"artikels":    "every record needs naam, SKU, voorraad_bijhouden, bestellingtype, status; the other keys may be left out",
		"klanten":     "every record needs klantennummer, achternaam (a person) or bedrijfsnaam (a company, is_bedrijf); the other keys may be left out",
		"categorieen": "every record needs categorie (in CSV; in JSON, naam)",
	}
	for _, kind := range []string{"categorieen", "artikels", "klanten"} {
		for _, format := range []string{"csv", "json"} {
			tpl, errOut, code := noDB.run("", "import", "--template", kind, "--format", format)
			if code != 0 || !strings.Contains(errOut, needs[kind]) {
				t.Errorf("--template %s --format %s: exit %d, stderr %q; want it to say %q", kind, format, code, errOut, needs[kind])
			}
			p := filepath.Join(dir, kind+"."+format)
			writeFile(t, p, tpl)
			want := "1 created, 0 updated"
			switch {
			case kind == "categorieen" && format == "csv":
				want = "6 created, 0 already there"
			case kind == "categorieen":
				want = "0 created, 6 already there" // the same tree again
			case format == "json":
				want = "0 created, 1 updated" // the same example record again
			}
			if out := a.ok("", "import", kind, "--company", "acme", p); !strings.Contains(out, want) {
				t.Errorf("importing the %s %s template: %s", format, kind, out)
			}
		}
	}
	if tpl := noDB.ok("", "import", "--template", "artikels"); !strings.HasPrefix(tpl, "naam,beschrijving,SKU,") || !strings.Contains(tpl, ",categorieen,fotos,") {
		t.Errorf("the default template is not CSV with every key:\n%s", tpl)
	}
	if tpl := noDB.ok("", "import", "--template", "categorieen"); !strings.HasPrefix(tpl, "categorie\nDranken\nDranken/Koffie\n") {
		t.Errorf("the categorieen template:\n%s", tpl)
	}
	noDB.fails(2, "use artikels, klanten or categorieen", "", "import", "--template", "merken")
}

// TestAdminImportReportsEveryProblem: one run names every bad record and
// key of a file, exits 1 and imports nothing.
func TestAdminImportReportsEveryProblem(t *testing.T) {
	t.Parallel()
	a := newAdmin(t)
	a.ok("", "company", "create", "acme", "--name", "Acme BV")
	p := filepath.Join(t.TempDir(), "artikels.csv")
	// The status column is missing and two rows have their own problems.
	writeFile(t, p, "naam,SKU,voorraad_bijhouden,bestellingtype\nA,A-1,NIET,IDEAAL\n,A-2,NIET,IDEAAL\nC,A-1,OOIT,IDEAAL\n")
	_, errOut, code := a.run("", "import", "artikels", "--company", "acme", p)
	for _, want := range []string{
		"6 problems; nothing was imported",
		`record 1 (line 2): status: "" is not one of ZICHTBAAR, NIET_VERKOOPBAAR, GEDEACTIVEERD (and in 2 later records)`,
		"record 2 (line 3): naam: is required",
		`record 3 (line 4): voorraad_bijhouden: "OOIT" is not one of NIET, FYSIEK, DIGITAAL`,
		"record 3 (line 4): SKU: the same as record 1",
	} {
		if code != 1 || !strings.Contains(errOut, want) {
			t.Errorf("exit %d; stderr lacks %q:\n%s", code, want, errOut)
		}
	}
	if out := a.ok("", "import", "--template", "artikels"); out == "" {
		t.Fatal("no template")
	}
	_, errOut, _ = a.run("", "import", "artikels", "--company", "acme", "--format", "json", "-")
	if !strings.Contains(errOut, "the file is empty") {
		t.Errorf("an empty standard input: %s", errOut)
	}
}

// TestImportMemoryLimit checks the import's memory limit: the base limit
// while the live heap leaves its room under it, then the live heap and the
// room, and the limit as it was once the import ends.
func TestImportMemoryLimit(t *testing.T) {
	for live, want := range map[uint64]int64{
		0:        importMemoryLimit,
		20 << 20: importMemoryLimit,
		40 << 20: importMemoryLimit,
		41 << 20: 41<<20 + importHeadroom,
		58 << 20: 58<<20 + importHeadroom,
	} {
		if got := importLimit(live); got != want {
			t.Errorf("live heap %d MiB: limit %d MiB, want %d", live>>20, got>>20, want>>20)
		}
	}
	before := debug.SetMemoryLimit(-1)
	restore := limitImportMemory()
	if got := debug.SetMemoryLimit(-1); got < importMemoryLimit || got > importLimit(1<<30) {
		t.Errorf("during an import the limit is %d", got)
	}
	restore()
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Errorf("after an import the limit is %d, want %d as before", got, before)
	}
}
