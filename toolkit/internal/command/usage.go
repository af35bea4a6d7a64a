// Package command holds what the toolkit's two command-line programs share
// about their command trees.
package command

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// CheckUsage makes every command under root answer a mistake in its command
// line with a usage error (the program's exit code 2) that says what to do,
// built by usage from a message:
//
//   - A command that groups others (admin, admin token, artikels) refuses an
//     argument that names no subcommand, with the nearest names as
//     suggestions, whatever flags follow it: "admin token craete --company
//     acme" is the unknown "craete", not the unknown flag --company. Left
//     alone, cobra prints the group's help and exits 0 for "admin tokn list",
//     so a script with a typo succeeds without doing anything; and with a
//     flag after the typo it blames the flag. Without arguments a group
//     still prints its help.
//   - A flag marked required (cobra's MarkFlagRequired) that is missing, or
//     given empty, is named with its usage, before the command opens
//     anything: not the domain's "company \"\" does not exist".
//
// Call it once the tree is complete and root's flag error function is set.
func CheckUsage(root *cobra.Command, usage func(msg string) error) {
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.HasSubCommands() {
			refuseUnknownSubcommands(c, usage)
		}
		if c.Runnable() {
			requireFlags(c, usage)
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

// refuseUnknownSubcommands makes group c refuse an unknown subcommand, also
// when a flag follows it that c does not know. A group that runs something
// of its own (import --template) keeps its Args check.
func refuseUnknownSubcommands(group *cobra.Command, usage func(string) error) {
	if !group.Runnable() {
		group.Args = cobra.ArbitraryArgs
		group.RunE = func(c *cobra.Command, args []string) error {
			if len(args) == 0 {
				return c.Help()
			}
			return usage(Unknown(c, args[0]))
		}
	}
	flagErr := group.FlagErrorFunc()
	// The subcommands inherit this function; it is about the group only.
	group.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		// The words pflag read before the flag it could not: the first is
		// what the user meant as a subcommand (cobra stops at the group
		// only when that word names none of its subcommands).
		if args := c.Flags().Args(); c == group && len(args) > 0 {
			return usage(Unknown(c, args[0]))
		}
		return flagErr(c, err)
	})
}

// Unknown is the message for name, which names no subcommand of c: the
// nearest names as a question, and where to look.
func Unknown(c *cobra.Command, name string) string {
	msg := fmt.Sprintf("unknown command %q for %q", name, c.CommandPath())
	if c.SuggestionsMinimumDistance <= 0 {
		c.SuggestionsMinimumDistance = 2 // cobra's default, set only on the root
	}
	if s := c.SuggestionsFor(name); len(s) > 0 {
		msg += "; did you mean " + strings.Join(s, " or ") + "?"
	}
	return msg + fmt.Sprintf(" (see %s --help)", c.CommandPath())
}

// requireFlags checks c's required flags before its PreRunE (which may set
// flags from the environment) has run and before cobra's own check, whose
// message is not a usage error and names no remedy.
func requireFlags(c *cobra.Command, usage func(string) error) {
	pre, preE := c.PreRun, c.PreRunE
	c.PreRun = nil
	c.PreRunE = func(c *cobra.Command, args []string) error {
		switch {
		case preE != nil:
			if err := preE(c, args); err != nil {
				return err
			}
		case pre != nil:
			pre(c, args)
		}
		if msg := missingFlags(c); msg != "" {
			return usage(msg)
		}
		return nil
	}
}

// RequiredFlags are the flags of c (its own and those it inherits) marked
// required, in the order of its help.
func RequiredFlags(c *cobra.Command) []*pflag.Flag {
	var out []*pflag.Flag
	c.Flags().VisitAll(func(f *pflag.Flag) {
		if v := f.Annotations[cobra.BashCompOneRequiredFlag]; len(v) == 1 && v[0] == "true" {
			out = append(out, f)
		}
	})
	return out
}

// missingFlags names c's required flags that are missing or empty, each
// with what it is, or returns "".
func missingFlags(c *cobra.Command) string {
	var missing []string
	for _, f := range RequiredFlags(c) {
		if f.Changed && f.Value.String() != "" {
			continue
		}
		state := "missing"
		if f.Changed {
			state = "empty"
		}
		missing = append(missing, fmt.Sprintf("--%s is %s: give %s", f.Name, state, f.Usage))
	}
	if len(missing) == 0 {
		return ""
	}
	return fmt.Sprintf("%s (see %s --help)", strings.Join(missing, "; "), c.CommandPath())
}
