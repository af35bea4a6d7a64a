package main

import (
	"github.com/spf13/cobra"
)

func (c *cli) completionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "completion bash|zsh|fish",
		Short: "Print a shell completion script",
		Long: `completion prints the script that makes your shell complete cloudspot's
commands, flags and flag values (formats, fields, statuses, stock modes).`,
		Example: `  # bash, for this shell; add the line to ~/.bashrc to keep it
  source <(cloudspot completion bash)
  # zsh
  cloudspot completion zsh > "${fpath[1]}/_cloudspot"
  # fish
  cloudspot completion fish > ~/.config/fish/completions/cloudspot.fish`,
		ValidArgs: []string{"bash", "zsh", "fish"},
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("completion: want one shell: bash, zsh or fish (see %s --help)", cmd.CommandPath())
			}
			return nil
		},
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			root := cmd.Root()
			switch args[0] {
			case "bash":
				return root.GenBashCompletionV2(c.stdout, true)
			case "zsh":
				return root.GenZshCompletion(c.stdout)
			case "fish":
				return root.GenFishCompletion(c.stdout, true)
			}
			return usagef("completion: unknown shell %q: want bash, zsh or fish", args[0])
		}),
	}
}
