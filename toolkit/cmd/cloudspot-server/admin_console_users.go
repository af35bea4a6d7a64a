package main

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"
)

// admin console-user: the web console's own accounts (see serve
// --console-addr), apart from the ERP's users.

func (a *admin) consoleUserCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "console-user",
		Short: "Manage the accounts of the web console (not ERP users)",
		Long: `Console users sign in to the web console that serve --console-addr serves,
and to nothing else; ERP users cannot sign in to it. Passwords are read from a
no-echo prompt (twice), or from the first line of standard input when it is
not a terminal; never from the command line.`,
	}
	create := &cobra.Command{
		Use:   "create USERNAME",
		Short: "Create a console user; the password is asked without echo (or read from stdin)",
		Example: `  cloudspot-server admin console-user create anna
  printf '%s\n' "$PASSWORD" | cloudspot-server admin console-user create anna`,
		Args: exactArgs(1, "a username"),
		RunE: a.runE(func(ctx context.Context, args []string) error {
			pw, err := a.readPassword("Console password for " + args[0])
			if err != nil {
				return err
			}
			u, err := a.svc.CreateConsoleUser(ctx, args[0], pw)
			if err != nil {
				return err
			}
			fmt.Fprintf(a.e.stdout, "created console user %s\n", u.Username)
			return nil
		}),
	}
	list := &cobra.Command{
		Use: "list", Short: "List console users", Args: exactArgs(0, "no arguments"),
		RunE: a.runE(func(ctx context.Context, _ []string) error {
			us, err := a.svc.ConsoleUsers(ctx)
			if err != nil {
				return err
			}
			w := a.table()
			fmt.Fprintln(w, "USERNAME\tACTIVE\tCREATED")
			for _, u := range us {
				fmt.Fprintf(w, "%s\t%s\t%s\n", u.Username, yesNo(u.Active), u.CreatedAt.Format(time.DateOnly))
			}
			return w.Flush()
		}),
	}
	setActive := func(active bool) *cobra.Command {
		use, short, done := "deactivate USERNAME", "Deactivate a console user and end their sessions", "deactivated; their sessions are ended"
		if active {
			use, short, done = "activate USERNAME", "Activate a deactivated console user", "active"
		}
		return &cobra.Command{
			Use: use, Short: short, Args: exactArgs(1, "a username"),
			RunE: a.runE(func(ctx context.Context, args []string) error {
				if err := a.svc.SetConsoleUserActive(ctx, args[0], active); err != nil {
					return err
				}
				fmt.Fprintf(a.e.stdout, "console user %s is now %s\n", args[0], done)
				return nil
			}),
		}
	}
	password := &cobra.Command{
		Use:   "password USERNAME",
		Short: "Set a console user's password (asked without echo) and end their sessions",
		Args:  exactArgs(1, "a username"),
		RunE: a.runE(func(ctx context.Context, args []string) error {
			pw, err := a.readPassword("New console password for " + args[0])
			if err != nil {
				return err
			}
			if err := a.svc.SetConsoleUserPassword(ctx, args[0], pw); err != nil {
				return err
			}
			fmt.Fprintf(a.e.stdout, "password of console user %s changed; their sessions are ended\n", args[0])
			return nil
		}),
	}
	c.AddCommand(create, list, setActive(false), setActive(true), password)
	return c
}
