package main

import (
	"encoding/json"

	"github.com/spf13/cobra"

	"github.com/cloudspot-toolkit/cloudspot"
)

// userKeys are the keys of whoami's output, those of the ERP's user object
// with the company's uid of version 0.5 (empty from an older server). The
// pin is left out: a terminal, its scrollback and a pasted output are no
// place for it.
var userKeys = []string{"first_name", "last_name", "email", "company"}

func (c *cli) whoamiCmd() *cobra.Command {
	f := tokenFlags{token: &c.token}
	var o outputFlags
	cmd := &cobra.Command{
		Use:   "whoami",
		Short: "Show the user behind the token",
		Long: `whoami shows the person behind the stored user token for an app (or the token
in CLOUDSPOT_TOKEN or --token).`,
		Example: `  cloudspot whoami --test
  cloudspot whoami --app timeapp -o json`,
		Args: noArgs,
		RunE: runE(func(cmd *cobra.Command, _ []string) error {
			format, keys, err := o.resolve(c)
			if err != nil {
				return err
			}
			api, src, token, base, err := c.userAPI(&f)
			if err != nil {
				return err
			}
			u, err := api.User(cmd.Context(), token)
			if err != nil {
				return c.explain(err, base, src)
			}
			r, err := toRecord(u, userKeys)
			if err != nil {
				return err
			}
			return write(c.stdout, c.stderr, format, keys, []record{r}, true, c.width())
		}),
	}
	f.addApp(cmd)
	o.add(cmd, userKeys, userKeys[:3])
	return cmd
}

func (c *cli) permissionsCmd() *cobra.Command {
	f := tokenFlags{token: &c.token}
	var o outputFlags
	var has string
	cmd := &cobra.Command{
		Use:   "permissions",
		Short: "List the user's permissions for the app, one slug a line",
		Long: `permissions lists the permission slugs the user behind the token holds for the
app, one a line (or as a table, JSON, NDJSON or CSV with -o). With --has SLUG
it prints nothing and exits 0 when the user holds SLUG and 1 when not.`,
		Example: `  cloudspot permissions --test --app timeapp
  if cloudspot permissions --has timeapp_timetracking_create; then echo may create; fi`,
		Args: noArgs,
		RunE: runE(func(cmd *cobra.Command, _ []string) error {
			format, keys, err := o.resolve(c)
			if err != nil {
				return err
			}
			api, src, token, base, err := c.userAPI(&f)
			if err != nil {
				return err
			}
			perms, err := api.Permissions(cmd.Context(), token)
			if err != nil {
				return c.explain(err, base, src)
			}
			if cmd.Flags().Changed("has") {
				if perms.Has(has) {
					return nil
				}
				return quietExit{exitFailed}
			}
			rows := make([]record, len(perms))
			for i, p := range perms {
				rows[i] = record{{"permission", jsonString(p)}}
			}
			return write(c.stdout, c.stderr, format, keys, rows, false, c.width())
		}),
	}
	f.addApp(cmd)
	o.add(cmd, []string{"permission"}, []string{"permission"})
	o.auto = formatLines
	cmd.Flags().StringVar(&has, "has", "", "exit 0 if the user holds this permission, 1 if not; print nothing")
	return cmd
}

// userAPI finds the app and token for a user command and makes the client.
func (c *cli) userAPI(f *tokenFlags) (api *cloudspot.UserAPI, src tokenSource, token, base string, err error) {
	base, err = c.base()
	if err != nil {
		return nil, src, "", "", err
	}
	token, src, err = c.userToken(f, base)
	if err != nil {
		return nil, src, "", "", err
	}
	api, err = cloudspot.NewUserAPI(src.app, c.options(base, nil)...)
	if err != nil {
		return nil, src, "", "", usagef("%v", err)
	}
	return api, src, token, base, nil
}

func jsonString(s string) json.RawMessage {
	b, _ := json.Marshal(s)
	return b
}
