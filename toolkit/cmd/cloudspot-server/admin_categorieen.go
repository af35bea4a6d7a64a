package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/cloudspot-toolkit/cloudspot"
)

func (a *admin) categorieenCmd() *cobra.Command {
	c := &cobra.Command{Use: "categorieen", Short: "Show, rename, move and delete a company's product categories (import them with 'admin import categorieen')"}
	var company string
	var asJSON bool
	list := &cobra.Command{
		Use:   "list --company SLUG",
		Short: "Show a company's category tree with the ids products name",
		Long: `Show a company's categories as a tree, each with its id: an artikels import
names a category by id (categorie_id, or a number in categorieen) or by its
name. --json prints the tree as GET /categories/ sends it.`,
		Example: `  cloudspot-server admin categorieen list --company acme
  cloudspot-server admin categorieen list --company acme --json`,
		Args: exactArgs(0, "no arguments (the company is --company)"),
		RunE: a.runE(func(ctx context.Context, _ []string) error {
			cs, err := a.svc.Categorieen(ctx, company)
			if err != nil {
				return err
			}
			if asJSON {
				// The SDK's Categorie writes the wire tree (children
				// always a list): the shape GET /categories/ sends.
				return a.writeJSON(cs)
			}
			w := a.table()
			fmt.Fprintln(w, "ID\tNAAM")
			var rows func(cs []cloudspot.Categorie, depth int)
			rows = func(cs []cloudspot.Categorie, depth int) {
				for _, c := range cs {
					fmt.Fprintf(w, "%d\t%s%s\n", c.ID, strings.Repeat("  ", depth), c.Naam)
					rows(c.Children, depth+1)
				}
			}
			rows(cs, 0)
			return w.Flush()
		}),
	}
	list.Flags().StringVar(&company, "company", "", "the company's slug")
	list.MarkFlagRequired("company")
	list.Flags().BoolVar(&asJSON, "json", false, "print the tree as JSON, with the API's keys")
	c.AddCommand(list, a.categorieRenameCmd(), a.categorieMoveCmd(), a.categorieDeleteCmd())
	return c
}
