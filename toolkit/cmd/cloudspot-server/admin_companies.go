package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"
)

// admin company: the companies, each with the uid the ERP knows it by.

func (a *admin) companyCmd() *cobra.Command {
	c := &cobra.Command{Use: "company", Short: "Create and list companies"}
	var name string
	create := &cobra.Command{
		Use:     "create SLUG --name NAME",
		Short:   "Create a company",
		Example: `  cloudspot-server admin company create acme --name "Acme BV"`,
		Args:    exactArgs(1, "a company slug"),
		RunE: a.runE(func(ctx context.Context, args []string) error {
			co, err := a.svc.CreateCompany(ctx, args[0], name)
			if err != nil {
				return err
			}
			fmt.Fprintf(a.e.stdout, "created company %s (%s)\n", co.Slug, co.Name)
			return nil
		}),
	}
	create.Flags().StringVar(&name, "name", "", "the company's name")
	create.MarkFlagRequired("name")
	list := &cobra.Command{
		Use:   "list",
		Short: "List companies",
		Args:  exactArgs(0, "no arguments"),
		RunE: a.runE(func(ctx context.Context, _ []string) error {
			cs, err := a.svc.Companies(ctx)
			if err != nil {
				return err
			}
			w := a.table()
			fmt.Fprintln(w, "SLUG\tNAME\tUID\tCREATED")
			for _, co := range cs {
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", co.Slug, co.Name, co.UID, co.CreatedAt.Format(time.DateOnly))
			}
			return w.Flush()
		}),
	}
	c.AddCommand(create, list, a.companyShowCmd(), a.companySetUIDCmd())
	return c
}

func (a *admin) companyShowCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "show SLUG",
		Short:   "Show a company: its uid, the size of its catalogue, its users and its tokens",
		Example: `  cloudspot-server admin company show acme`,
		Args:    exactArgs(1, "a company slug"),
		RunE: a.runE(func(ctx context.Context, args []string) error {
			co, err := a.svc.Company(ctx, args[0])
			if err != nil {
				return err
			}
			n, err := a.svc.CatalogueCounts(ctx, co.Slug)
			if err != nil {
				return err
			}
			us, err := a.svc.SearchUsers(ctx, co.Slug, "")
			if err != nil {
				return err
			}
			ts, err := a.svc.CompanyTokens(ctx, co.Slug)
			if err != nil {
				return err
			}
			w := a.table()
			fmt.Fprintf(w, "company\t%s (%s)\nuid\t%s\ncreated\t%s\nartikels\t%d\nklanten\t%d\ncategorieen\t%d\n",
				co.Slug, co.Name, co.UID, co.CreatedAt.Format(time.DateOnly), n.Artikels, n.Klanten, n.Categorieen)
			var users, tokens []string
			for _, u := range us {
				users = append(users, u.Username)
			}
			for _, t := range ts {
				if t.RevokedAt.IsZero() {
					tokens = append(tokens, fmt.Sprintf("%d %s", t.ID, t.Name))
				}
			}
			fmt.Fprintf(w, "users\t%s\ntokens\t%s\n", dash(strings.Join(users, ", ")), dash(strings.Join(tokens, ", ")))
			return w.Flush()
		}),
	}
}

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
