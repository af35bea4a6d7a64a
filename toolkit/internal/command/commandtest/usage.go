// Package commandtest tests what every command tree of the toolkit must do,
// on the tree itself: a command added later is covered without a line of
// test written for it.
package commandtest

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/command"
)

// Run runs the program with args and returns what it wrote on stderr and
// its exit code.
type Run func(t *testing.T, args ...string) (stderr string, code int)

// usageCase is one command line with a mistake, and what the program must
// say about it (every part of want, and exit code 2).
type usageCase struct {
	args []string
	want []string
	// suggest is a name the message must suggest ("did you mean X or Y?").
	suggest string
}

// UsageErrors runs the program (through run) on a mistake made in each
// command of root's tree, and fails t unless each is a usage error (exit
// code 2) that names the mistake and what to do:
//
//   - every subcommand of every group, mistyped and followed by a flag that
//     the group does not know: the typo is named, with the subcommand as
//     the suggestion;
//   - every runnable command with an unknown flag: the flag is named;
//   - every required flag of every command, missing and then empty, with
//     the command's other arguments given: the flag is named.
//
// It also holds the synopsis (Use) to the flags: a flag written there
// outside [...] and (...) is marked required, and a required flag is
// written there, so the help says what the check enforces.
func UsageErrors(t *testing.T, root *cobra.Command, run Run) {
	t.Helper()
	var cases []usageCase
	walk(root, func(c *cobra.Command) {
		path := strings.Fields(c.CommandPath())[1:]
		if c.HasAvailableSubCommands() {
			for _, sub := range c.Commands() {
				if !sub.IsAvailableCommand() || sub.Name() == "help" {
					continue
				}
				typo, ok := mistype(c, sub.Name())
				if !ok {
					t.Errorf("%s: found no typo of %q that names no other subcommand", c.CommandPath(), sub.Name())
					continue
				}
				args := append(slices.Clone(path), typo)
				args = append(args, flagOf(sub)...)
				cases = append(cases, usageCase{args: args, want: []string{
					fmt.Sprintf("unknown command %q for %q", typo, c.CommandPath()),
				}, suggest: sub.Name()})
			}
		}
		if !c.Runnable() {
			return
		}
		cases = append(cases, usageCase{args: append(slices.Clone(path), "--no-such-flag"), want: []string{"unknown flag: --no-such-flag", "--help"}})
		required := command.RequiredFlags(c)
		checkSynopsis(t, c, required)
		for _, f := range required {
			args := append(slices.Clone(path), positionals(c)...)
			for _, other := range required {
				if other != f {
					args = append(args, "--"+other.Name, "x")
				}
			}
			cases = append(cases,
				usageCase{args: args, want: []string{"--" + f.Name + " is missing", f.Usage, c.CommandPath() + " --help"}},
				usageCase{args: append(slices.Clone(args), "--"+f.Name, ""), want: []string{"--" + f.Name + " is empty"}})
		}
	})
	if len(cases) < 10 {
		t.Fatalf("%s: only %d cases; is the tree complete?", root.Name(), len(cases))
	}
	for _, tc := range cases {
		stderr, code := run(t, tc.args...)
		ok := code == 2
		for _, w := range tc.want {
			ok = ok && strings.Contains(stderr, w)
		}
		if tc.suggest != "" {
			ok = ok && slices.Contains(suggestions(stderr), tc.suggest)
		}
		if !ok {
			t.Errorf("%s %s: exit %d, stderr %q; want exit 2, %q and the suggestion %q", root.Name(), strings.Join(tc.args, " "), code, stderr, tc.want, tc.suggest)
		}
	}
	t.Logf("%d command lines with a mistake", len(cases))
}

// suggestions are the names a message suggests: "did you mean X or Y?".
func suggestions(msg string) []string {
	_, rest, ok := strings.Cut(msg, "did you mean ")
	if !ok {
		return nil
	}
	names, _, _ := strings.Cut(rest, "?")
	return strings.Split(names, " or ")
}

func walk(c *cobra.Command, fn func(*cobra.Command)) {
	if c.Hidden {
		return
	}
	fn(c)
	for _, sub := range c.Commands() {
		walk(sub, fn)
	}
}

// mistype swaps two neighbouring letters of name, or doubles its last, as
// fingers do, where the result names no subcommand of group.
func mistype(group *cobra.Command, name string) (string, bool) {
	var typos []string
	for i := 1; i+1 < len(name); i++ {
		b := []byte(name)
		b[i], b[i+1] = b[i+1], b[i]
		typos = append(typos, string(b))
	}
	typos = append(typos, name+name[len(name)-1:])
	for _, typo := range typos {
		if typo == name {
			continue
		}
		if c, _, err := group.Find([]string{typo}); err == nil && c != group {
			continue // names a subcommand or an alias
		}
		return typo, true
	}
	return "", false
}

// flagOf is a flag that sub knows and its group does not, with a value when
// it takes one: the flag that a mistyped subcommand must not be blamed on.
func flagOf(sub *cobra.Command) []string {
	var f *pflag.Flag
	sub.LocalNonPersistentFlags().VisitAll(func(fl *pflag.Flag) {
		if f == nil && fl.Name != "help" {
			f = fl
		}
	})
	if f == nil {
		return []string{"--no-such-flag", "x"}
	}
	if f.NoOptDefVal != "" {
		return []string{"--" + f.Name}
	}
	return []string{"--" + f.Name, "x"}
}

// synopsis splits a command's Use line after its name into the flags it
// shows as required (outside [...] and (...)) and its positional
// arguments, the first choice of each ("bash|zsh|fish": bash).
func synopsis(use string) (flags, args []string) {
	words := strings.Fields(use)[1:]
	depth := 0
	for i := 0; i < len(words); i++ {
		w := words[i]
		opens := strings.Count(w, "[") + strings.Count(w, "(")
		closes := strings.Count(w, "]") + strings.Count(w, ")")
		top := depth == 0 && opens == 0
		depth += opens - closes
		switch {
		case !top:
		case strings.HasPrefix(w, "--"):
			flags = append(flags, strings.TrimPrefix(w, "--"))
			if i+1 < len(words) && !strings.HasPrefix(words[i+1], "-") && strings.ToUpper(words[i+1]) == words[i+1] {
				i++ // the flag's value
			}
		default:
			args = append(args, strings.Split(w, "|")[0])
		}
	}
	return flags, args
}

// positionals are placeholder values for c's positional arguments.
func positionals(c *cobra.Command) []string {
	_, args := synopsis(c.Use)
	out := make([]string, len(args))
	for i := range args {
		out[i] = "1"
	}
	return out
}

func checkSynopsis(t *testing.T, c *cobra.Command, required []*pflag.Flag) {
	t.Helper()
	shown, _ := synopsis(c.Use)
	for _, f := range required {
		if !slices.Contains(shown, f.Name) {
			t.Errorf("%s: --%s is required but its synopsis %q does not show it", c.CommandPath(), f.Name, c.Use)
		}
	}
	for _, name := range shown {
		if !slices.ContainsFunc(required, func(f *pflag.Flag) bool { return f.Name == name }) {
			t.Errorf("%s: its synopsis %q shows --%s as required (outside [...]), but it is not marked required", c.CommandPath(), c.Use, name)
		}
	}
}
