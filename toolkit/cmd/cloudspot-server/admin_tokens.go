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

// admin token: the company tokens, their rights and API version.

func (a *admin) tokenCmd() *cobra.Command {
	c := &cobra.Command{Use: "token", Short: "Manage company API tokens"}
	var company, name, rights string
	create := &cobra.Command{
		Use: "create --company SLUG --name NAME [--rights artikels,klanten]", Short: "Create a company token; its secret is shown once",
		Example: `  cloudspot-server admin token create --company acme --name webshop --rights artikels`,
		Args:    exactArgs(0, "no arguments"),
		RunE: a.runE(func(ctx context.Context, _ []string) error {
			r, err := parseRights(rights)
			if err != nil {
				return err
			}
			secret, t, err := a.svc.IssueCompanyToken(ctx, company, name, r)
			if err != nil {
				return err
			}
			fmt.Fprintf(a.e.stderr, "created company token %d (%s) with rights %s; the secret below is shown only now:\n", t.ID, t.Name, t.Rights)
			fmt.Fprintln(a.e.stdout, secret)
			return nil
		}),
	}
	create.Flags().StringVar(&company, "company", "", "the company's slug")
	create.Flags().StringVar(&name, "name", "", "what the token is for")
	create.MarkFlagRequired("company")
	create.MarkFlagRequired("name")
	create.Flags().StringVar(&rights, "rights", "artikels,klanten", "comma-separated: artikels, klanten")
	list := &cobra.Command{
		Use: "list --company SLUG", Short: "List a company's tokens (never their secrets)", Args: exactArgs(0, "no arguments"),
		RunE: a.runE(func(ctx context.Context, _ []string) error {
			ts, err := a.svc.CompanyTokens(ctx, company)
			if err != nil {
				return err
			}
			w := a.table()
			fmt.Fprintln(w, "ID\tNAME\tRIGHTS\tVERSION\tCREATED\tLAST USED\tREVOKED")
			for _, t := range ts {
				revoked := "-"
				if !t.RevokedAt.IsZero() {
					revoked = t.RevokedAt.Format(time.DateTime)
				}
				fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Name, t.Rights, t.APIVersion.OrDefault(), t.CreatedAt.Format(time.DateTime), lastUsed(t.Used(), t.LastUsedAt), revoked)
			}
			return w.Flush()
		}),
	}
	list.Flags().StringVar(&company, "company", "", "the company's slug")
	list.MarkFlagRequired("company")
	revoke := &cobra.Command{
		Use: "revoke ID", Short: "Revoke a company token", Args: exactArgs(1, "a token id (see token list)"),
		RunE: a.runE(func(ctx context.Context, args []string) error {
			id, err := strconv.ParseInt(args[0], 10, 64)
			if err != nil {
				return usageError{fmt.Errorf("token id %q is not a number", args[0])}
			}
			if err := a.svc.RevokeCompanyToken(ctx, id); err != nil {
				return err
			}
			fmt.Fprintf(a.e.stdout, "revoked company token %d\n", id)
			return nil
		}),
	}
	rename := &cobra.Command{
		Use: "rename ID NAME", Short: "Give a company token another name; its secret and rights stay", Args: exactArgs(2, "a token id (see token list) and a name"),
		Example: `  cloudspot-server admin token rename 3 "webshop (old)"`,
		RunE: a.runE(func(ctx context.Context, args []string) error {
			id, err := strconv.ParseInt(args[0], 10, 64)
			if err != nil {
				return usageError{fmt.Errorf("token id %q is not a number (see token list)", args[0])}
			}
			if err := a.svc.RenameCompanyToken(ctx, id, args[1]); err != nil {
				return err
			}
			fmt.Fprintf(a.e.stdout, "company token %d is now named %q\n", id, strings.TrimSpace(args[1]))
			return nil
		}),
	}
	c.AddCommand(create, list, revoke, rename, a.tokenSetAPIVersionCmd())
	return c
}

func (a *admin) tokenSetAPIVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "set-api-version ID VERSION",
		Short: "Choose the API version (0.4, 0.5, 0.6 or latest) a company token's calls get by default",
		Long: `An integration built on the reference client of version 0.5 or 0.6 reads
products with the keys of its version and rejects others, and sends nothing
that tells its version: give its company token that version. 0.6 adds each
product's details (brand, categories, photos, price categories, EAN codes,
texts per language); 0.4 (the default) answers with the protocol's bodies. A client that sends
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

func parseRights(s string) (erp.Rights, error) {
	var r erp.Rights
	for _, p := range strings.Split(s, ",") {
		switch strings.TrimSpace(strings.ToLower(p)) {
		case "artikels":
			r.Artikels = true
		case "klanten":
			r.Klanten = true
		case "":
		default:
			return r, usageError{fmt.Errorf("--rights: unknown right %q: use artikels, klanten or both", p)}
		}
	}
	return r, nil
}
