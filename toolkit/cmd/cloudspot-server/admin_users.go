package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
)

// admin user: the users, their passwords, pins and tokens.

func (a *admin) userCmd() *cobra.Command {
	c := &cobra.Command{Use: "user", Short: "Manage users"}
	var n erp.NewUser
	create := &cobra.Command{
		Use:   "create USERNAME --company SLUG",
		Short: "Create a user; the password is asked without echo (or read from stdin)",
		Example: `  cloudspot-server admin user create jan --company acme --first-name Jan --last-name Peeters --email jan@acme.be
  printf '%s\n' "$PASSWORD" | cloudspot-server admin user create jan --company acme`,
		Args: exactArgs(1, "a username"),
		RunE: a.runE(func(ctx context.Context, args []string) error {
			n.Username = args[0]
			pw, err := a.readPassword("Password for " + args[0])
			if err != nil {
				return err
			}
			n.Password = pw
			u, err := a.svc.CreateUser(ctx, n)
			if err != nil {
				return err
			}
			fmt.Fprintf(a.e.stdout, "created user %s\n", u.Username)
			return nil
		}),
	}
	create.Flags().StringVar(&n.Company, "company", "", "slug of the user's company")
	create.MarkFlagRequired("company")
	create.Flags().StringVar(&n.FirstName, "first-name", "", "first name")
	create.Flags().StringVar(&n.LastName, "last-name", "", "last name")
	create.Flags().StringVar(&n.Email, "email", "", "email address")

	var search, company string
	list := &cobra.Command{
		Use:     "list [--search TEXT] [--company SLUG]",
		Short:   "List users, or those whose username, name or email holds a text",
		Example: `  cloudspot-server admin user list --search peeters --company acme`,
		Args:    exactArgs(0, "no arguments"),
		RunE: a.runE(func(ctx context.Context, _ []string) error {
			us, err := a.svc.SearchUsers(ctx, company, search)
			if err != nil {
				return err
			}
			companies := map[int64]string{}
			cs, err := a.svc.Companies(ctx)
			if err != nil {
				return err
			}
			for _, co := range cs {
				companies[co.ID] = co.Slug
			}
			w := a.table()
			fmt.Fprintln(w, "USERNAME\tNAME\tEMAIL\tCOMPANY\tACTIVE")
			for _, u := range us {
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", u.Username, strings.TrimSpace(u.FirstName+" "+u.LastName), u.Email, companies[u.CompanyID], yesNo(u.Active))
			}
			return w.Flush()
		}),
	}
	setActive := func(active bool) *cobra.Command {
		use, short := "deactivate USERNAME", "Deactivate a user and revoke all their tokens"
		if active {
			use, short = "activate USERNAME", "Activate a deactivated user"
		}
		return &cobra.Command{
			Use: use, Short: short, Args: exactArgs(1, "a username"),
			RunE: a.runE(func(ctx context.Context, args []string) error {
				if err := a.svc.SetUserActive(ctx, args[0], active); err != nil {
					return err
				}
				fmt.Fprintf(a.e.stdout, "user %s is now %s\n", args[0], map[bool]string{true: "active", false: "deactivated; their tokens are revoked"}[active])
				return nil
			}),
		}
	}
	setPassword := &cobra.Command{
		Use: "set-password USERNAME", Short: "Set a user's password (asked without echo) and revoke their tokens", Args: exactArgs(1, "a username"),
		RunE: a.runE(func(ctx context.Context, args []string) error {
			pw, err := a.readPassword("New password for " + args[0])
			if err != nil {
				return err
			}
			if err := a.svc.SetPassword(ctx, args[0], pw); err != nil {
				return err
			}
			fmt.Fprintf(a.e.stdout, "password of %s changed; their tokens are revoked\n", args[0])
			return nil
		}),
	}
	signOut := &cobra.Command{
		Use: "revoke-tokens USERNAME", Short: "Revoke every token of a user (sign them out of all apps)", Args: exactArgs(1, "a username"),
		RunE: a.runE(func(ctx context.Context, args []string) error {
			n, err := a.svc.RevokeUserTokens(ctx, args[0])
			if err != nil {
				return err
			}
			fmt.Fprintf(a.e.stdout, "revoked %d token(s) of %s\n", n, args[0])
			return nil
		}),
	}
	tokens := &cobra.Command{
		Use: "tokens USERNAME", Short: "List a user's sign-ins (tokens, never their secrets), newest first", Args: exactArgs(1, "a username"),
		RunE: a.runE(func(ctx context.Context, args []string) error {
			ts, err := a.svc.UserTokens(ctx, args[0])
			if err != nil {
				return err
			}
			w := a.table()
			fmt.Fprintln(w, "ID\tAPP\tSIGNED IN\tLAST USED\tEXPIRES\tREVOKED")
			for _, t := range ts {
				revoked := "-"
				if !t.RevokedAt.IsZero() {
					revoked = t.RevokedAt.Format(time.DateTime)
				}
				fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.AppSlug, t.CreatedAt.Format(time.DateTime),
					lastUsed(t.Used(), t.LastUsedAt), t.ExpiresAt.Format(time.DateTime), revoked)
			}
			return w.Flush()
		}),
	}
	list.Flags().StringVar(&search, "search", "", "only users whose username, name or email holds this text (case and accents ignored)")
	list.Flags().StringVar(&company, "company", "", "only the users of this company")
	revokeOne := &cobra.Command{
		Use: "revoke-token USERNAME ID", Short: "Revoke one token of a user (sign them out of one app); see user tokens", Args: exactArgs(2, "a username and a token id"),
		Example: `  cloudspot-server admin user revoke-token jan 42`,
		RunE: a.runE(func(ctx context.Context, args []string) error {
			id, err := strconv.ParseInt(args[1], 10, 64)
			if err != nil {
				return usageError{fmt.Errorf("token id %q is not a number (see user tokens %s)", args[1], args[0])}
			}
			if err := a.svc.RevokeUserToken(ctx, args[0], id); err != nil {
				return err
			}
			fmt.Fprintf(a.e.stdout, "revoked token %d of %s\n", id, args[0])
			return nil
		}),
	}
	var app string
	perms := &cobra.Command{
		Use: "permissions USERNAME --app SLUG", Short: "List a user's permissions in an app", Args: exactArgs(1, "a username"),
		RunE: a.runE(func(ctx context.Context, args []string) error {
			ps, err := a.svc.Granted(ctx, args[0], app)
			if err != nil {
				return err
			}
			for _, p := range ps {
				fmt.Fprintln(a.e.stdout, p)
			}
			return nil
		}),
	}
	perms.Flags().StringVar(&app, "app", "", "the app's slug")
	perms.MarkFlagRequired("app")
	c.AddCommand(create, list, setActive(false), setActive(true), setPassword, a.userSetPinCmd(), signOut, revokeOne, tokens, perms)
	return c
}

func (a *admin) userSetPinCmd() *cobra.Command {
	var clear bool
	c := &cobra.Command{
		Use:   "set-pin USERNAME [--clear]",
		Short: "Set a user's pin (asked without echo, or read from stdin); version 0.5 sends it to apps",
		Long: `A pin is 4 to 12 digits. Apps the user signs in to receive it with the user
from API version 0.5 on, so it is stored as given (not hashed) and is not a
password for this server. It is never printed.`,
		Example: `  cloudspot-server admin user set-pin jan
  printf '%s\n' "$PIN" | cloudspot-server admin user set-pin jan
  cloudspot-server admin user set-pin jan --clear`,
		Args: exactArgs(1, "a username"),
		RunE: a.runE(func(ctx context.Context, args []string) error {
			pin := ""
			if !clear {
				var err error
				if pin, err = a.readSecret("Pin for "+args[0], "pins"); err != nil {
					return err
				}
				if pin == "" {
					return fmt.Errorf("no pin given; use --clear to remove the pin")
				}
			}
			if err := a.svc.SetUserPin(ctx, args[0], pin); err != nil {
				return err
			}
			if clear {
				fmt.Fprintf(a.e.stdout, "pin of %s removed\n", args[0])
			} else {
				fmt.Fprintf(a.e.stdout, "pin of %s set\n", args[0])
			}
			return nil
		}),
	}
	c.Flags().BoolVar(&clear, "clear", false, "remove the user's pin")
	return c
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
