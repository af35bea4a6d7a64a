package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
)

// admin app, grant and revoke: the external apps, their permission trees,
// the API version their users get, and the permissions users hold.

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
		Use: "add-permission APP SLUG [--label LABEL] [--parent SLUG]", Short: "Add a permission to an app's tree",
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
	c.AddCommand(create, list, addPerm, tree, a.appSetAPIVersionCmd(), a.renamePermissionCmd(), a.removePermissionCmd())
	return c
}

func (a *admin) renamePermissionCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "rename-permission PERMISSION LABEL",
		Short:   "Give a permission another label; its slug, which apps see, stays",
		Example: `  cloudspot-server admin app rename-permission timeapp_use "TimeApp: toegang"`,
		Args:    exactArgs(2, "a permission slug and a label"),
		RunE: a.runE(func(ctx context.Context, args []string) error {
			if err := a.svc.RenamePermission(ctx, args[0], args[1]); err != nil {
				return err
			}
			fmt.Fprintf(a.e.stdout, "permission %s is now labelled %q\n", args[0], args[1])
			return nil
		}),
	}
}

func (a *admin) removePermissionCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "remove-permission PERMISSION",
		Short:   "Remove a permission and every permission under it, from the tree and from every user",
		Example: `  cloudspot-server admin app remove-permission timeapp_timetracking_delete`,
		Args:    exactArgs(1, "a permission slug"),
		RunE: a.runE(func(ctx context.Context, args []string) error {
			n, grants, err := a.svc.RemovePermission(ctx, args[0])
			if err != nil {
				return err
			}
			fmt.Fprintf(a.e.stdout, "removed %s with %d permission(s) under it; %d grant(s) went\n", args[0], n-1, grants)
			return nil
		}),
	}
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
