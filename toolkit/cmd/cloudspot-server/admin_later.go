package main

import (
	"context"
	"fmt"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
)

// What the later API versions add to the admin commands: a company's uid, a
// user's pin, and the version of the bodies an app's users and a company
// token's calls get.

func (a *admin) companySetUIDCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "set-uid SLUG UID",
		Short: "Give a company the uid it has in the ERP (version 0.5 sends it to apps)",
		Long: `A new company gets a random uid (a UUID). Set the one the ERP shows when apps
match companies by uid.`,
		Example: `  cloudspot-server admin company set-uid acme 6f1c2a7e-0b4d-4c1e-9a53-2d8e7f60b914`,
		Args:    exactArgs(2, "a company slug and a uid"),
		RunE: a.runE(func(ctx context.Context, args []string) error {
			if err := a.svc.SetCompanyUID(ctx, args[0], args[1]); err != nil {
				return err
			}
			fmt.Fprintf(a.e.stdout, "company %s now has uid %s\n", args[0], args[1])
			return nil
		}),
	}
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

func (a *admin) appSetAPIVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "set-api-version APP VERSION",
		Short: "Choose the API version (0.4, 0.5 or latest) an app's users get by default",
		Long: `The reference client of each version rejects keys it does not know, and sends
nothing that tells its version: an app built on the 0.5 client needs its
users' answers in 0.5, one on the 0.4 client (the default) in 0.4. A client
that sends X-Cloudspot-API-Version gets what it asks for, whatever is set.
"latest" is stored as the newest version this server speaks.`,
		Example: `  cloudspot-server admin app set-api-version timeapp 0.5`,
		Args:    exactArgs(2, "an app slug and a version"),
		RunE: a.runE(func(ctx context.Context, args []string) error {
			v, err := erp.ParseAPIVersion(args[1])
			if err != nil {
				return err
			}
			if err := a.svc.SetAppAPIVersion(ctx, args[0], v); err != nil {
				return err
			}
			fmt.Fprintf(a.e.stdout, "app %s now answers in API version %s by default\n", args[0], v)
			return nil
		}),
	}
}

func (a *admin) tokenSetAPIVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "set-api-version ID VERSION",
		Short: "Choose the API version (0.4, 0.5, 0.6 or latest) a company token's calls get by default",
		Long: `An integration built on a later reference client reads products with the keys
of its version and rejects others, and sends nothing that tells its version:
give its company token that version. 0.6 adds the richer products (brand,
categories, photos, price categories, EAN codes, texts per language); 0.4
(the default) answers with the protocol's bodies. A client that sends
X-Cloudspot-API-Version gets what it asks for, whatever is set. "latest" is
stored as the newest version this server speaks. The token's id is in
'admin token list'.`,
		Example: `  cloudspot-server admin token set-api-version 3 0.6`,
		Args:    exactArgs(2, "a token id and a version"),
		RunE: a.runE(func(ctx context.Context, args []string) error {
			id, err := strconv.ParseInt(args[0], 10, 64)
			if err != nil {
				return usageError{fmt.Errorf("token id %q is not a number (see token list)", args[0])}
			}
			v, err := erp.ParseAPIVersion(args[1])
			if err != nil {
				return err
			}
			if err := a.svc.SetCompanyTokenAPIVersion(ctx, id, v); err != nil {
				return err
			}
			fmt.Fprintf(a.e.stdout, "company token %d now answers in API version %s by default\n", id, v)
			return nil
		}),
	}
}
