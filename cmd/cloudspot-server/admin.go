package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/cloudspot-toolkit/cloudspot/internal/erp"
)

// admin holds what every admin command needs: the database flag and, once
// opened, the service on it.
type admin struct {
	e   *env
	db  string
	svc *erp.Service
}

func adminCmd(e *env) *cobra.Command {
	a := &admin{e: e}
	c := &cobra.Command{
		Use:   "admin",
		Short: "Manage companies, users, apps, permissions, tokens and data",
		Long: `Manage the server's data directly in its database (the server may be running).
Passwords are read from a no-echo prompt, or from the first line of standard
input when it is not a terminal; never from the command line.`,
	}
	e.dbFlag(c, &a.db)
	c.AddCommand(a.companyCmd(), a.userCmd(), a.appCmd(), a.grantCmd(true), a.grantCmd(false), a.tokenCmd(), a.importCmd(), a.migrateDataCmd())
	return c
}

// open opens the store and builds the service; commands call it in RunE so
// that --help never touches a database.
func (a *admin) open(ctx context.Context) (func(), error) {
	st, err := openStore(ctx, a.db)
	if err != nil {
		return nil, err
	}
	svc, err := erp.NewService(erp.Config{Store: st})
	if err != nil {
		st.Close()
		return nil, err
	}
	a.svc = svc
	return func() { st.Close() }, nil
}

// runE wraps a command body with opening and closing the database.
func (a *admin) runE(fn func(ctx context.Context, args []string) error) func(*cobra.Command, []string) error {
	return func(c *cobra.Command, args []string) error {
		closeDB, err := a.open(c.Context())
		if err != nil {
			return err
		}
		defer closeDB()
		return fn(c.Context(), args)
	}
}

func (a *admin) table() *tabwriter.Writer {
	return tabwriter.NewWriter(a.e.stdout, 0, 4, 2, ' ', 0)
}

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
	create.Flags().StringVar(&name, "name", "", "the company's name (required)")
	list := &cobra.Command{
		Use:   "list",
		Short: "List companies",
		Args:  exactArgs(0, "no arguments"),
		RunE: a.runE(func(ctx context.Context, _ []string) error {
			cs, err := a.svc.Store().Companies(ctx)
			if err != nil {
				return err
			}
			w := a.table()
			fmt.Fprintln(w, "SLUG\tNAME\tCREATED")
			for _, co := range cs {
				fmt.Fprintf(w, "%s\t%s\t%s\n", co.Slug, co.Name, co.CreatedAt.Format(time.DateOnly))
			}
			return w.Flush()
		}),
	}
	c.AddCommand(create, list)
	return c
}

func (a *admin) userCmd() *cobra.Command {
	c := &cobra.Command{Use: "user", Short: "Manage users"}
	var n erp.NewUser
	create := &cobra.Command{
		Use:   "create USERNAME --company SLUG",
		Short: "Create a user; the password is asked without echo (or read from stdin)",
		Example: `  cloudspot-server admin user create jan --company acme --first-name Jan --last-name Peeters --email jan@acme.be
  printf '%s\n' "$PASSWORD" | cloudspot-server admin user create jan --company acme`,
		Args: exactArgs(1, "a username"),
		RunE: a.runE(func(ctx context.Context, args []string) error {
			n.Username = args[0]
			pw, err := a.readPassword("Password for " + args[0])
			if err != nil {
				return err
			}
			n.Password = pw
			u, err := a.svc.CreateUser(ctx, n)
			if err != nil {
				return err
			}
			fmt.Fprintf(a.e.stdout, "created user %s\n", u.Username)
			return nil
		}),
	}
	create.Flags().StringVar(&n.Company, "company", "", "slug of the user's company (required)")
	create.Flags().StringVar(&n.FirstName, "first-name", "", "first name")
	create.Flags().StringVar(&n.LastName, "last-name", "", "last name")
	create.Flags().StringVar(&n.Email, "email", "", "email address")

	list := &cobra.Command{
		Use:   "list",
		Short: "List users",
		Args:  exactArgs(0, "no arguments"),
		RunE: a.runE(func(ctx context.Context, _ []string) error {
			us, err := a.svc.Store().Users(ctx)
			if err != nil {
				return err
			}
			companies := map[int64]string{}
			cs, err := a.svc.Store().Companies(ctx)
			if err != nil {
				return err
			}
			for _, co := range cs {
				companies[co.ID] = co.Slug
			}
			w := a.table()
			fmt.Fprintln(w, "USERNAME\tNAME\tEMAIL\tCOMPANY\tACTIVE")
			for _, u := range us {
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", u.Username, strings.TrimSpace(u.FirstName+" "+u.LastName), u.Email, companies[u.CompanyID], yesNo(u.Active))
			}
			return w.Flush()
		}),
	}
	setActive := func(active bool) *cobra.Command {
		use, short := "deactivate USERNAME", "Deactivate a user and revoke all their tokens"
		if active {
			use, short = "activate USERNAME", "Activate a deactivated user"
		}
		return &cobra.Command{
			Use: use, Short: short, Args: exactArgs(1, "a username"),
			RunE: a.runE(func(ctx context.Context, args []string) error {
				if err := a.svc.SetUserActive(ctx, args[0], active); err != nil {
					return err
				}
				fmt.Fprintf(a.e.stdout, "user %s is now %s\n", args[0], map[bool]string{true: "active", false: "deactivated; their tokens are revoked"}[active])
				return nil
			}),
		}
	}
	setPassword := &cobra.Command{
		Use: "set-password USERNAME", Short: "Set a user's password (asked without echo) and revoke their tokens", Args: exactArgs(1, "a username"),
		RunE: a.runE(func(ctx context.Context, args []string) error {
			pw, err := a.readPassword("New password for " + args[0])
			if err != nil {
				return err
			}
			if err := a.svc.SetPassword(ctx, args[0], pw); err != nil {
				return err
			}
			fmt.Fprintf(a.e.stdout, "password of %s changed; their tokens are revoked\n", args[0])
			return nil
		}),
	}
	signOut := &cobra.Command{
		Use: "revoke-tokens USERNAME", Short: "Revoke every token of a user (sign them out of all apps)", Args: exactArgs(1, "a username"),
		RunE: a.runE(func(ctx context.Context, args []string) error {
			n, err := a.svc.RevokeUserTokens(ctx, args[0])
			if err != nil {
				return err
			}
			fmt.Fprintf(a.e.stdout, "revoked %d token(s) of %s\n", n, args[0])
			return nil
		}),
	}
	var app string
	perms := &cobra.Command{
		Use: "permissions USERNAME --app SLUG", Short: "List a user's permissions in an app", Args: exactArgs(1, "a username"),
		RunE: a.runE(func(ctx context.Context, args []string) error {
			ps, err := a.svc.Granted(ctx, args[0], app)
			if err != nil {
				return err
			}
			for _, p := range ps {
				fmt.Fprintln(a.e.stdout, p)
			}
			return nil
		}),
	}
	perms.Flags().StringVar(&app, "app", "", "the app's slug (required)")
	c.AddCommand(create, list, setActive(false), setActive(true), setPassword, signOut, perms)
	return c
}

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
			apps, err := a.svc.Store().Apps(ctx)
			if err != nil {
				return err
			}
			w := a.table()
			fmt.Fprintln(w, "SLUG\tNAME")
			for _, app := range apps {
				fmt.Fprintf(w, "%s\t%s\n", app.Slug, app.Name)
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
			app, err := a.svc.Store().AppBySlug(ctx, strings.ToLower(args[0]))
			if err != nil {
				return notFound(err, "app %q does not exist", args[0])
			}
			ps, err := a.svc.Store().Permissions(ctx, app.ID)
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
	c.AddCommand(create, list, addPerm, tree)
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
			co, err := a.svc.Store().CompanyBySlug(ctx, strings.ToLower(company))
			if err != nil {
				return notFound(err, "company %q does not exist", company)
			}
			ts, err := a.svc.Store().CompanyTokens(ctx, co.ID)
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
				fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Name, t.Rights, t.CreatedAt.Format(time.DateTime), t.LastUsedAt.Format(time.DateTime), revoked)
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

// readPassword asks for a password without echo when stdin is a terminal
// (twice, to catch typos), and otherwise reads the first line of stdin.
func (a *admin) readPassword(prompt string) (string, error) {
	if f, ok := a.e.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprintf(a.e.stderr, "%s: ", prompt)
		pw, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(a.e.stderr)
		if err != nil {
			return "", err
		}
		fmt.Fprint(a.e.stderr, "Again: ")
		again, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(a.e.stderr)
		if err != nil {
			return "", err
		}
		if string(pw) != string(again) {
			return "", fmt.Errorf("the passwords do not match")
		}
		return string(pw), nil
	}
	line, err := bufio.NewReader(a.e.stdin).ReadString('\n')
	if err != nil && (err != io.EOF || line == "") {
		return "", fmt.Errorf("reading the password from standard input: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func notFound(err error, format string, args ...any) error {
	if erp.ErrorCode(err) == erp.ENotFound {
		return fmt.Errorf(format, args...)
	}
	return err
}
