package main

import (
	"context"
	"fmt"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
)

// categorieID reads a category id from the command line.
func categorieID(arg, what string) (int64, error) {
	id, err := strconv.ParseInt(arg, 10, 64)
	if err != nil || id <= 0 {
		return 0, usageError{fmt.Errorf("%s %q is not a category id (see categorieen list)", what, arg)}
	}
	return id, nil
}

func (a *admin) categorieRenameCmd() *cobra.Command {
	var company string
	c := &cobra.Command{
		Use:   "rename --company SLUG ID NAAM",
		Short: "Give a category a new name, which every product shows at once",
		Long: `Rename a category. Products name their categories by id, so every product
in it shows the new name at once, in GET /artikels/ and GET /categories/.
A sibling of the same name is refused; the ids are in 'categorieen list'.`,
		Example: `  cloudspot-server admin categorieen rename --company acme 4 "Bieren"`,
		Args:    exactArgs(2, "a category id and its new name"),
		RunE: a.runE(func(ctx context.Context, args []string) error {
			id, err := categorieID(args[0], "ID")
			if err != nil {
				return err
			}
			if err := a.svc.RenameCategorie(ctx, company, id, args[1]); err != nil {
				return err
			}
			fmt.Fprintf(a.e.stdout, "category %d of %s is now named %q\n", id, company, args[1])
			return nil
		}),
	}
	c.Flags().StringVar(&company, "company", "", "the company's slug")
	c.MarkFlagRequired("company")
	return c
}

func (a *admin) categorieMoveCmd() *cobra.Command {
	var company, parent string
	var root bool
	c := &cobra.Command{
		Use:   "move --company SLUG ID (--parent ID | --root)",
		Short: "Put a category, with its subcategories, under another one or among the roots",
		Long: fmt.Sprintf(`Move a category with its whole subtree under the category --parent names,
or among the roots with --root. It goes last among its new siblings (a move
under the parent it has puts it last there). Refused: a move under the
category itself or one of its subcategories, one that makes the tree deeper
than %d levels, and one next to a sibling of the same name. Products keep
their categories.`, erp.MaxCategorieDepth),
		Example: `  cloudspot-server admin categorieen move --company acme 4 --parent 1
  cloudspot-server admin categorieen move --company acme 4 --root`,
		Args: exactArgs(1, "a category id"),
		RunE: a.runE(func(ctx context.Context, args []string) error {
			id, err := categorieID(args[0], "ID")
			if err != nil {
				return err
			}
			if (parent == "") == !root {
				return usageError{fmt.Errorf("give either --parent ID or --root")}
			}
			var to int64
			where := "among the roots"
			if parent != "" {
				if to, err = categorieID(parent, "--parent"); err != nil {
					return err
				}
				where = fmt.Sprintf("under category %d", to)
			}
			if err := a.svc.MoveCategorie(ctx, company, id, to); err != nil {
				return err
			}
			fmt.Fprintf(a.e.stdout, "category %d of %s is now %s\n", id, company, where)
			return nil
		}),
	}
	c.Flags().StringVar(&company, "company", "", "the company's slug")
	c.MarkFlagRequired("company")
	c.Flags().StringVar(&parent, "parent", "", "the id of the category to put it under")
	c.Flags().BoolVar(&root, "root", false, "make it a root")
	return c
}

func (a *admin) categorieDeleteCmd() *cobra.Command {
	var company string
	var recursive bool
	c := &cobra.Command{
		Use:   "delete --company SLUG ID [--recursive]",
		Short: "Delete a category; products stay, without it",
		Long: `Delete a category. One with subcategories is refused unless --recursive,
which deletes them too. Products are never deleted: each loses the deleted
categories from its categorieen, and a product whose main category
(categorie_id) is deleted has none (null) from then on. The output says how
many products changed; an import of categories and products puts them back.`,
		Example: `  cloudspot-server admin categorieen delete --company acme 6
  cloudspot-server admin categorieen delete --company acme 1 --recursive`,
		Args: exactArgs(1, "a category id"),
		RunE: a.runE(func(ctx context.Context, args []string) error {
			id, err := categorieID(args[0], "ID")
			if err != nil {
				return err
			}
			res, err := a.svc.DeleteCategorie(ctx, company, id, recursive)
			if erp.ErrorCode(err) == erp.EConflict && !recursive {
				return fmt.Errorf("%w (--recursive deletes them too)", err)
			}
			if err != nil {
				return err
			}
			with := ""
			if res.Categorieen > 1 {
				with = " with its " + erp.Subcategories(res.Categorieen-1)
			}
			fmt.Fprintf(a.e.stdout, "deleted category %d of %s%s\n", id, company, with)
			fmt.Fprintf(a.e.stdout, "products that listed a deleted category: %d (they keep their other categories)\n", res.Listed)
			fmt.Fprintf(a.e.stdout, "products whose main category was deleted: %d (they now have none)\n", res.Main)
			return nil
		}),
	}
	c.Flags().StringVar(&company, "company", "", "the company's slug")
	c.MarkFlagRequired("company")
	c.Flags().BoolVar(&recursive, "recursive", false, "delete its subcategories too")
	return c
}
