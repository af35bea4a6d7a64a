package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

func (a *admin) appCmd() *cobra.Command {
	c := &cobra.Command{Use: "app", Short: "Manage external apps and their permission trees"}
	var name string
	create := &cobra.Command{
		Use: "create SLUG [--name NAME]", Short: "Register an external app", Args: exactArgs(1, "an app slug"),
		Example: `  cloudspot-server admin app create timeapp --name TimeApp`,
		RunE: a.runE(func(ctx context.Context, args []string) error {
			app, err := a.svc.CreateApp(ctx, args[0], name)
			if err != nil {
				return err
			}
			fmt.Fprintf(a.e.stdout, "created app %s (%s)\n", app.Slug, app.Name)
			return nil
		}),
	}
	create.Flags().StringVar(&name, "name", "", "display name")
	list := &cobra.Command{
		Use: "list", Short: "List apps", Args: exactArgs(0, "no arguments"),
		RunE: a.runE(func(ctx context.Context, _ []string) error {
			apps, err := a.svc.Apps(ctx)
			if err != nil {
				return err
			}
			w := a.table()
			fmt.Fprintln(w, "SLUG\tNAME\tAPI VERSION")
			for _, app := range apps {
				fmt.Fprintf(w, "%s\t%s\t%s\n", app.Slug, app.Name, app.APIVersion.OrDefault())
			}
			return w.Flush()
		}),
	}
	var label, parent string
	addPerm := &cobra.Command{
		Use: "add-permission APP SLUG --label LABEL [--parent SLUG]", Short: "Add a permission to an app's tree",
		Example: `  cloudspot-server admin app add-permission timeapp timeapp_use --label "TimeApp: toegang"
  cloudspot-server admin app add-permission timeapp timeapp_timetracking_use --label Timetrackings --parent timeapp_use`,
		Args: exactArgs(2, "an app slug and a permission slug"),
		RunE: a.runE(func(ctx context.Context, args []string) error {
			p, err := a.svc.AddPermission(ctx, args[0], args[1], label, parent)
			if err != nil {
				return err
			}
			fmt.Fprintf(a.e.stdout, "added permission %s to %s\n", p.Slug, args[0])
			return nil
		}),
	}
	addPerm.Flags().StringVar(&label, "label", "", "label as the ERP shows it")
	addPerm.Flags().StringVar(&parent, "parent", "", "parent permission's slug")
	tree := &cobra.Command{
		Use: "permissions APP", Short: "Show an app's permission tree", Args: exactArgs(1, "an app slug"),
		RunE: a.runE(func(ctx context.Context, args []string) error {
			ps, err := a.svc.Permissions(ctx, args[0])
			if err != nil {
				return err
			}
			depth := map[int64]int{}
			for _, p := range ps {
				if p.ParentID != 0 {
					depth[p.ID] = depth[p.ParentID] + 1
				}
				fmt.Fprintf(a.e.stdout, "%s%s  (%s)\n", strings.Repeat("  ", depth[p.ID]), p.Slug, p.Label)
			}
			return nil
		}),
	}
	c.AddCommand(create, list, addPerm, tree, a.appSetAPIVersionCmd())
	return c
}

func (a *admin) grantCmd(grant bool) *cobra.Command {
	use, short := "grant USERNAME PERMISSION", "Grant a permission (its parent must be granted)"
	if !grant {
		use, short = "revoke USERNAME PERMISSION", "Revoke a permission and every permission under it"
	}
	return &cobra.Command{
		Use: use, Short: short, Args: exactArgs(2, "a username and a permission slug"),
		RunE: a.runE(func(ctx context.Context, args []string) error {
			if grant {
				if err := a.svc.Grant(ctx, args[0], args[1]); err != nil {
					return err
				}
				fmt.Fprintf(a.e.stdout, "granted %s to %s\n", args[1], args[0])
				return nil
			}
			if err := a.svc.Revoke(ctx, args[0], args[1]); err != nil {
				return err
			}
			fmt.Fprintf(a.e.stdout, "revoked %s (and what is under it) from %s\n", args[1], args[0])
			return nil
		}),
	}
}
