package cloudspot

import (
	"runtime/debug"
	"strings"
)

// modulePath is this module's path, by which the build information of the
// program that imports it names it.
const modulePath = "github.com/cloudspot-toolkit/cloudspot"

// defaultUserAgent names the SDK and its version in the program it is built
// into, so that the ERP's logs can tell SDK releases apart. The version comes
// from the go command's record of the build, so a release needs no edit in
// the code: "v1.2.0" for a tagged version, a pseudo-version for a commit,
// "devel" for a local copy (a workspace or a replace directive).
func defaultUserAgent() string {
	bi, _ := debug.ReadBuildInfo()
	return "cloudspot-go/" + moduleVersion(bi)
}

// moduleVersion is the version of this module in bi, or "devel".
func moduleVersion(bi *debug.BuildInfo) string {
	if bi == nil {
		return "devel"
	}
	mods := append([]*debug.Module{&bi.Main}, bi.Deps...)
	for _, m := range mods {
		if m.Path != modulePath {
			continue
		}
		if m.Replace != nil {
			m = m.Replace
		}
		if v := m.Version; v != "" && !strings.HasPrefix(v, "(") {
			return v
		}
		break
	}
	return "devel"
}
