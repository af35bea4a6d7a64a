package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/demo"
)

func (a *admin) demoCmd() *cobra.Command {
	c := &cobra.Command{Use: "demo", Short: "Check for or remove the demo's published credentials"}
	c.AddCommand(&cobra.Command{
		Use:   "check",
		Short: "Say whether the demo's published credentials work in this database (exit 1 if they do)",
		Args:  exactArgs(0, "no arguments"),
		RunE: a.runE(func(ctx context.Context, _ []string) error {
			found, err := demo.PublicCredentials(ctx, a.svc)
			if err != nil {
				return err
			}
			if len(found) == 0 {
				fmt.Fprintln(a.e.stdout, "no demo credentials in this database")
				return nil
			}
			for _, f := range found {
				fmt.Fprintln(a.e.stdout, f)
			}
			return fmt.Errorf("the demo's published credentials work in this database: remove them with 'admin demo remove'")
		}),
	}, &cobra.Command{
		Use:   "remove",
		Short: "Delete the demo company with its users, tokens, categories, products and clients",
		Long: `Delete the demo company with its users, their grants and tokens, its company
tokens, categories, products and clients, then check that no published demo credential
works any more. The app timeapp and its permissions stay (they hold no
credential, and real users may hold them).`,
		Args: exactArgs(0, "no arguments"),
		RunE: a.runE(func(ctx context.Context, _ []string) error {
			removed, err := demo.Remove(ctx, a.svc)
			if err != nil {
				return err
			}
			if removed {
				fmt.Fprintf(a.e.stdout, "removed the demo company %q with its users, tokens, categories, products and clients\n", demo.Company)
			} else {
				fmt.Fprintln(a.e.stdout, "no demo company in this database")
			}
			return nil
		}),
	})
	return c
}
