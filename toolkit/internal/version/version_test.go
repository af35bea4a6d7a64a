package version

import (
	"runtime/debug"
	"testing"
)

func TestFromBuildInfo(t *testing.T) {
	t.Parallel()
	main := func(v string, settings ...debug.BuildSetting) *debug.BuildInfo {
		return &debug.BuildInfo{Main: debug.Module{Path: "github.com/cloudspot-toolkit/cloudspot/toolkit", Version: v}, Settings: settings}
	}
	rev := debug.BuildSetting{Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"}
	cases := []struct {
		name string
		bi   *debug.BuildInfo
		want string
	}{
		{"NoBuildInfo", nil, "devel"},
		{"Tagged", main("v1.2.0"), "v1.2.0"},
		{"PseudoVersion", main("v0.0.0-20261127063000-0123456789ab+dirty"), "v0.0.0-20261127063000-0123456789ab+dirty"},
		{"DevelWithRevision", main("(devel)", rev), "devel-0123456789ab"},
		{"DevelModified", main("(devel)", rev, debug.BuildSetting{Key: "vcs.modified", Value: "true"}), "devel-0123456789ab+dirty"},
		{"DevelNoVCS", main("(devel)"), "devel"},
		{"Empty", main(""), "devel"},
	}
	for _, tc := range cases {
		if got := Of(tc.bi); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}
