package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
)

func (a *admin) tokenCmd() *cobra.Command {
	c := &cobra.Command{Use: "token", Short: "Manage company API tokens"}
	var company, name, rights string
	create := &cobra.Command{
		Use: "create --company SLUG --name NAME --rights products,clients", Short: "Create a company token; its secret is shown once",
		Example: `  cloudspot-server admin token create --company acme --name webshop --rights products`,
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
	create.Flags().StringVar(&company, "company", "", "the company's slug (required)")
	create.Flags().StringVar(&name, "name", "", "what the token is for (required)")
	create.Flags().StringVar(&rights, "rights", "products,clients", "comma-separated: products, clients")
	list := &cobra.Command{
		Use: "list --company SLUG", Short: "List a company's tokens (never their secrets)", Args: exactArgs(0, "no arguments"),
		RunE: a.runE(func(ctx context.Context, _ []string) error {
			ts, err := a.svc.CompanyTokens(ctx, company)
			if err != nil {
				return err
			}
			w := a.table()
			fmt.Fprintln(w, "ID\tNAME\tRIGHTS\tCREATED\tLAST USED\tREVOKED")
			for _, t := range ts {
				revoked := "-"
				if !t.RevokedAt.IsZero() {
					revoked = t.RevokedAt.Format(time.DateTime)
				}
				fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Name, t.Rights, t.CreatedAt.Format(time.DateTime), lastUsed(t.Used(), t.LastUsedAt), revoked)
			}
			return w.Flush()
		}),
	}
	list.Flags().StringVar(&company, "company", "", "the company's slug (required)")
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
	c.AddCommand(create, list, revoke)
	return c
}

func parseRights(s string) (erp.Rights, error) {
	var r erp.Rights
	for _, p := range strings.Split(s, ",") {
		switch strings.TrimSpace(strings.ToLower(p)) {
		case "products", "artikels":
			r.Products = true
		case "clients", "klanten":
			r.Clients = true
		case "":
		default:
			return r, usageError{fmt.Errorf("--rights: unknown right %q: use products, clients or both", p)}
		}
	}
	return r, nil
}

func (a *admin) importCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "import",
		Short: "Import products or clients from JSON or CSV, all or nothing",
		Long: `Import products or clients into a company from a JSON file (a list of objects,
or the API's own {"data": [...]}) or a CSV file with a header row (, or ;).
Keys and columns are the API's keys (naam, SKU, ...; klantennummer, ...).
Records are created or updated by SKU / client number, in one transaction:
one bad record changes nothing, and the error names the record and field.`,
	}
	var company, format string
	sub := func(kind string) *cobra.Command {
		cmd := &cobra.Command{
			Use: kind + " --company SLUG FILE", Short: "Import " + kind, Args: exactArgs(1, "a file (- for standard input)"),
			Example: "  cloudspot-server admin import " + kind + " --company acme " + kind + ".csv",
			RunE: a.runE(func(ctx context.Context, args []string) error {
				r, f, err := a.openInput(args[0], format)
				if err != nil {
					return err
				}
				defer r.Close()
				var res erp.ImportResult
				if kind == "products" {
					ps, err := erp.ParseArtikels(r, f)
					if err != nil {
						return err
					}
					res, err = a.svc.ImportProducts(ctx, company, ps)
					if err != nil {
						return err
					}
				} else {
					ks, err := erp.ParseKlanten(r, f)
					if err != nil {
						return err
					}
					res, err = a.svc.ImportClients(ctx, company, ks)
					if err != nil {
						return err
					}
				}
				fmt.Fprintf(a.e.stdout, "imported %s into %s: %d created, %d updated\n", kind, company, res.Created, res.Updated)
				return nil
			}),
		}
		cmd.Flags().StringVar(&company, "company", "", "the company's slug (required)")
		cmd.Flags().StringVar(&format, "format", "", "json or csv (default: from the file's extension)")
		return cmd
	}
	c.AddCommand(sub("products"), sub("clients"))
	return c
}

func (a *admin) openInput(name, format string) (io.ReadCloser, string, error) {
	if format == "" {
		switch strings.ToLower(filepath.Ext(name)) {
		case ".json":
			format = erp.FormatJSON
		case ".csv":
			format = erp.FormatCSV
		default:
			return nil, "", usageError{fmt.Errorf("cannot tell the format of %q: use --format json or --format csv", name)}
		}
	}
	if name == "-" {
		return io.NopCloser(a.e.stdin), format, nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, "", err
	}
	return f, format, nil
}
