// Package examplecheck finds the exported names of a package that no
// runnable Example documents. The SDK and the toolkit's packages hold
// their Examples to it in a test; it is internal, so it is no part of the
// SDK's API, and it uses the standard library alone, so the SDK module
// still requires nothing.
package examplecheck

import (
	"fmt"
	"go/ast"
	"go/doc"
	"go/parser"
	"go/token"
	"path/filepath"
	"sort"
	"strings"
)

// Missing lists the exported functions, types and methods of the package
// in dir, named as Examples name them (F, T, T_M), that no runnable
// Example documents. An Example without an Output comment is compiled but
// never run, so it does not count: the Examples are the documentation
// (go doc shows each beside its name) and, run, tests of what they show.
func Missing(dir string) ([]string, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	fset := token.NewFileSet()
	var code, tests []*ast.File
	for _, name := range names {
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		if err != nil {
			return nil, err
		}
		if strings.HasSuffix(name, "_test.go") {
			tests = append(tests, f)
		} else {
			code = append(code, f)
		}
	}
	pkg, err := doc.NewFromFiles(fset, code, "example.invalid/"+filepath.Base(dir))
	if err != nil {
		return nil, err
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
	return missing, nil
}

// Message is the failure a test reports for missing, or "" when none is.
func Message(missing []string) string {
	if len(missing) == 0 {
		return ""
	}
	return fmt.Sprintf("%d exported names have no Example that runs (ExampleF, ExampleT, ExampleT_M with an // Output: comment, in a _test.go file):\n\t%s",
		len(missing), strings.Join(missing, "\n\t"))
}
