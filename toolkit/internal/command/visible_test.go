package command

import "testing"

func TestVisible(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, keep, want string }{
		{"Françoise Søren 日本", "", "Françoise Søren 日本"},
		{"rood \x1b[31m!", "", `rood \x1b[31m!`},
		{"titel \x1b]0;x\x07", "", `titel \x1b]0;x\x07`},
		{"a\tb\nc\rd", "", `a\x09b\x0ac\x0dd`},
		{"a\tb\nc\rd", "\t\n", `a` + "\t" + `b` + "\n" + `c\x0dd`},
		{"del \x7f", "", `del \x7f`},
		{"c1 \u0085 \u009b", "", `c1 \u0085 \u009b`},
		{"bidi \u202e \u2066 \u200f \u061c", "\u202e", `bidi \u202e \u2066 \u200f \u061c`}, // bidi controls are never kept
		{"bad \xff\xfe", "", `bad \xff\xfe`},
		{"replacement \ufffd", "", "replacement \ufffd"},
		{"zero width \u200b joiner \u200d", "", "zero width \u200b joiner \u200d"}, // not controls: shown as they are
	} {
		if got := Visible(tc.in, tc.keep); got != tc.want {
			t.Errorf("Visible(%q, %q) = %q, want %q", tc.in, tc.keep, got, tc.want)
		}
	}
}
