// Package version is the version of the toolkit's programs, taken from the
// go command's record of the build, so that a release needs no edit in the
// code and both programs always agree.
package version

import (
	"runtime/debug"
	"strings"
)

// tag is the version of a release build, which sets it at link time:
//
//	go build -ldflags "-X github.com/cloudspot-toolkit/cloudspot/toolkit/internal/version.tag=v0.3.0"
//
// (toolkit/release does). It is never changed while a program runs.
var tag string

// String is the version the running program was built at: the release's
// tag when the release build set one, the module's tag ("v1.2.0") when it
// was installed from one, a pseudo-version naming the commit (with "+dirty"
// for uncommitted changes) when it was built in a clone, and "devel" when
// the go command recorded neither (go run, a build outside version
// control). It is a single word, fit for a User-Agent.
func String() string {
	if tag != "" {
		return tag
	}
	bi, _ := debug.ReadBuildInfo()
	return Of(bi)
}

// Variable is the linker's name of the variable that a release build sets
// to its tag (go build -ldflags "-X Variable=v0.3.0").
const Variable = "github.com/cloudspot-toolkit/cloudspot/toolkit/internal/version.tag"

// Of is the version that bi records, as String describes it.
func Of(bi *debug.BuildInfo) string {
	if bi == nil {
		return "devel"
	}
	if v := bi.Main.Version; v != "" && !strings.HasPrefix(v, "(") {
		return v
	}
	var rev string
	var dirty bool
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return "devel"
	}
	v := "devel-" + rev[:min(len(rev), 12)]
	if dirty {
		v += "+dirty"
	}
	return v
}
