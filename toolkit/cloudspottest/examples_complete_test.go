package cloudspottest_test

import (
	"go/ast"
	"go/doc"
	"go/parser"
	"go/token"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// TestEveryEntryPointHasAnExample: the Examples are the package's
// documentation (go doc and pkg.go.dev show each beside its name) and,
// since they end in an Output comment, tests of what they show. So every
// exported function, type and method has one that runs: ExampleF,
// ExampleT, ExampleT_M, with an optional _suffix.
func TestEveryEntryPointHasAnExample(t *testing.T) {
	t.Parallel()
	missing := missingExamples(t, ".")
	if len(missing) > 0 {
		t.Errorf("%d exported names have no Example that runs (ExampleF, ExampleT, ExampleT_M with an // Output: comment, in a _test.go file):\n\t%s",
			len(missing), strings.Join(missing, "\n\t"))
	}
}

// missingExamples lists the exported functions, types and methods
// (named as Examples name them: F, T, T_M) of the package in dir that no
// runnable Example documents. An Example without an Output comment is
// compiled but never run, so it does not count.
func missingExamples(t *testing.T, dir string) []string {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var code, tests []*ast.File
	for _, name := range names {
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(name, "_test.go") {
			tests = append(tests, f)
		} else {
			code = append(code, f)
		}
	}
	pkg, err := doc.NewFromFiles(fset, code, "example.invalid/"+filepath.Base(dir))
	if err != nil {
		t.Fatal(err)
	}
	runs := map[string]bool{}
	for _, ex := range doc.Examples(tests...) {
		if ex.Output != "" || ex.EmptyOutput {
			runs[ex.Name] = true
		}
	}
	var want []string
	for _, f := range pkg.Funcs {
		want = append(want, f.Name)
	}
	for _, typ := range pkg.Types {
		want = append(want, typ.Name)
		for _, f := range typ.Funcs {
			want = append(want, f.Name)
		}
		for _, m := range typ.Methods {
			want = append(want, typ.Name+"_"+m.Name)
		}
	}
	var missing []string
	for _, name := range want {
		if !runs[name] {
			missing = append(missing, name)
		}
	}
	sort.Strings(missing)
	return missing
}
