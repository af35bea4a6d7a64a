// Package command holds what the toolkit's two command-line programs share
// about their command trees.
package command

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

// RefuseUnknownSubcommands makes every command under root that only groups
// others (admin, admin token, artikels) refuse an argument that names no
// subcommand, with the error that usage returns (the program's exit code 2
// for wrong usage). Left alone, cobra prints the group's help and exits 0 for
// "admin tokn list", so a script with a typo succeeds without doing anything.
// Without arguments a group still prints its help.
func RefuseUnknownSubcommands(root *cobra.Command, usage func(msg string) error) {
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.HasSubCommands() && !c.Runnable() {
			c.Args = cobra.ArbitraryArgs
			c.RunE = func(c *cobra.Command, args []string) error {
				if len(args) == 0 {
					return c.Help()
				}
				return usage(unknown(c, args[0]))
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

func unknown(c *cobra.Command, name string) string {
	msg := fmt.Sprintf("unknown command %q for %q", name, c.CommandPath())
	if c.SuggestionsMinimumDistance <= 0 {
		c.SuggestionsMinimumDistance = 2 // cobra's default, set only on the root
	}
	if s := c.SuggestionsFor(name); len(s) > 0 {
		msg += "; did you mean " + strings.Join(s, " or ") + "?"
	}
	return msg + fmt.Sprintf(" (see %s --help)", c.CommandPath())
}
