package main

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/cloudspot-toolkit/cloudspot"
)

func (c *cli) loginCmd() *cobra.Command {
	var f tokenFlags
	var username string
	var passwordStdin, company bool
	cmd := &cobra.Command{
		Use:   "login",
		Short: "Sign a user in for an app and store the token",
		Long: `login signs a user of an external app in with their ERP username and password,
stores the token for this base URL and app, and shows the user's permissions.

The password is asked for without echo; scripts pass --username and
--password-stdin instead. The token goes to the OS keyring where there is one,
otherwise (headless machines, or CI set) to tokens.json in the user's config
directory, readable only by the user. CLOUDSPOT_TOKEN_STORE=file or =keyring
chooses. With --company, login stores a company API token (read from stdin,
or asked for without echo) for artikels and klanten.`,
		Example: `  cloudspot login --test --app timeapp
  echo "$PASSWORD" | cloudspot login --app timeapp --username demo --password-stdin
  cloudspot login --company < company-token.txt`,
		Args: noArgs,
		RunE: runE(func(cmd *cobra.Command, _ []string) error {
			if company {
				if f.app != "" || username != "" || passwordStdin {
					return usagef("--company takes none of --app, --username, --password-stdin")
				}
				return c.loginCompany(cmd)
			}
			return c.loginUser(cmd, c.appSlug(&f), username, passwordStdin)
		}),
	}
	f.addApp(cmd)
	cmd.Flags().StringVar(&username, "username", "", "the ERP username (asked for when not given)")
	cmd.Flags().BoolVar(&passwordStdin, "password-stdin", false, "read the password from the first line of stdin")
	cmd.Flags().BoolVar(&company, "company", false, "store a company API token instead of signing a user in")
	return cmd
}

func (c *cli) loginUser(cmd *cobra.Command, app, username string, passwordStdin bool) error {
	if app == "" {
		return usagef("which app? give --app SLUG or set CLOUDSPOT_APP")
	}
	base, err := c.base()
	if err != nil {
		return err
	}
	st, err := c.store()
	if err != nil {
		return err
	}
	p := c.prompter()
	if username == "" {
		if !p.interactive() || passwordStdin {
			return usagef("no terminal to ask for the username; give --username")
		}
		if username, err = p.ask("Username: "); err != nil {
			return failf("reading the username: %v", err)
		}
		username = strings.TrimSpace(username)
		if username == "" {
			return usagef("no username given")
		}
	}
	var password string
	switch {
	case passwordStdin:
		if password, err = p.line(); err != nil {
			return usagef("--password-stdin: no password on stdin")
		}
	case p.interactive():
		if password, err = p.secret("Password: "); err != nil {
			return failf("reading the password: %v", err)
		}
	default:
		return usagef("no terminal to ask for the password; use --password-stdin")
	}
	if password == "" {
		return usagef("no password given")
	}

	api, err := cloudspot.NewUserAPI(app, c.options(base, nil)...)
	if err != nil {
		return usagef("%s", strings.TrimPrefix(err.Error(), "cloudspot: "))
	}
	src := tokenSource{from: "stored", app: app}
	sess, err := api.Authenticate(cmd.Context(), username, password)
	if err != nil {
		return c.explain(err, base, src)
	}
	name := ""
	if err := sess.LoadUser(cmd.Context()); err == nil {
		name = sess.User.Name()
	}
	e, why, err := st.put(entry{BaseURL: base, App: app, Username: username, Name: name}, sess.Token)
	if err != nil {
		return err
	}
	w := visibleWriter{c.stdout}
	who := username
	if name != "" {
		who += " (" + name + ")"
	}
	fmt.Fprintf(w, "Logged in to %s at %s as %s.\n", app, base, who)
	printWhere(w, st, e, why)
	if len(sess.Permissions) == 0 {
		fmt.Fprintf(w, "No permissions for %s: is %q the app's slug?\n", app, app)
		return nil
	}
	fmt.Fprintf(w, "Permissions for %s:\n", app)
	for _, s := range sess.Permissions {
		fmt.Fprintf(w, "  %s\n", s)
	}
	return nil
}

func printWhere(w io.Writer, st *tokenStore, e entry, why string) {
	if e.Store == inKeyring {
		fmt.Fprintln(w, "Token stored in the OS keyring.")
		return
	}
	fmt.Fprintf(w, "Token stored in %s (readable only by you; %s).\n", st.path(), why)
}

func (c *cli) loginCompany(cmd *cobra.Command) error {
	base, err := c.base()
	if err != nil {
		return err
	}
	st, err := c.store()
	if err != nil {
		return err
	}
	p := c.prompter()
	var token string
	if p.interactive() {
		token, err = p.secret("Company API token: ")
	} else {
		token, err = p.line()
	}
	token = strings.TrimSpace(token)
	if err != nil || token == "" {
		return usagef("no company token given on stdin")
	}
	// A token is valid when the ERP knows it, even if it lacks the right
	// to see products.
	api, err := cloudspot.NewCompanyAPI(token, c.options(base, nil)...)
	if err != nil {
		return err
	}
	src := tokenSource{from: "stdin", company: true}
	if _, err := api.Artikels.List(cmd.Context()); err != nil && !errors.Is(err, cloudspot.ErrForbidden) {
		if errors.Is(err, cloudspot.ErrNoValidToken) {
			return authf("the ERP at %s does not accept this company token; ask an ERP administrator for a new one", base)
		}
		return c.explain(err, base, src)
	}
	e, why, err := st.put(entry{BaseURL: base, Company: true}, token)
	if err != nil {
		return err
	}
	fmt.Fprintf(visibleWriter{c.stdout}, "Company token for %s checked.\n", base)
	printWhere(c.stdout, st, e, why)
	return nil
}

func (c *cli) logoutCmd() *cobra.Command {
	var f tokenFlags
	var company bool
	cmd := &cobra.Command{
		Use:   "logout",
		Short: "Sign out: revoke the stored token and forget it",
		Long: `logout asks the ERP to revoke the user token that login stored for this base URL
and app, then removes it from the OS keyring or the token file. cloudspot-server
revokes it at once (its sign-out call); a server without that call leaves the
token valid until it expires, and logout says so and who can revoke it.

With --company it forgets the company token, which only an ERP administrator
can revoke.`,
		Example: `  cloudspot logout --test --app timeapp
  cloudspot logout --company`,
		Args: noArgs,
		RunE: runE(func(cmd *cobra.Command, _ []string) error {
			base, err := c.base()
			if err != nil {
				return err
			}
			st, err := c.store()
			if err != nil {
				return err
			}
			app := c.appSlug(&f)
			if company && app != "" {
				return usagef("give --app or --company, not both")
			}
			es, err := st.find(base, app, company)
			if err != nil {
				return err
			}
			switch {
			case len(es) == 0 && company:
				return failf("no company token stored for %s", base)
			case len(es) == 0 && app != "":
				return failf("not logged in to %s at %s", app, base)
			case len(es) == 0:
				return failf("not logged in at %s", base)
			case len(es) > 1:
				apps := make([]string, len(es))
				for i, e := range es {
					apps[i] = e.App
				}
				return usagef("logged in to several apps at %s (%s); choose one with --app", base, strings.Join(apps, ", "))
			}
			e := es[0]
			w := visibleWriter{c.stdout}
			if e.Company {
				if err := st.remove(e); err != nil {
					return err
				}
				fmt.Fprintf(w, "Logged out: the company token at %s (removed from %s).\n", base, st.where(e))
				fmt.Fprintln(w, "The company token itself stays valid until an ERP administrator revokes it (cloudspot-server admin token revoke ID).")
				return nil
			}
			revoked := c.signOut(cmd, base, e, st)
			if err := st.remove(e); err != nil {
				return err
			}
			fmt.Fprintf(w, "Logged out: %s at %s (removed from %s).\n", e.App, base, st.where(e))
			return revoked(w)
		}),
	}
	f.addApp(cmd)
	cmd.Flags().BoolVar(&company, "company", false, "forget the company token")
	return cmd
}

// signOut asks the ERP at base to revoke e's token and returns what to
// tell once the token is forgotten here: that the server revoked it, or
// that it stays valid and who can revoke it (an error when the ERP could
// not be asked).
func (c *cli) signOut(cmd *cobra.Command, base string, e entry, st *tokenStore) func(io.Writer) error {
	stays := func(w io.Writer, why string) {
		fmt.Fprintf(w, "%s: the token stays valid until it expires, unless an ERP administrator revokes it "+
			"(on cloudspot-server: cloudspot-server admin user revoke-tokens %s).\n", why, orUser(e.Username))
	}
	token, err := st.token(e)
	if err != nil {
		return func(w io.Writer) error {
			stays(w, "The stored token could not be read ("+err.Error()+")")
			return nil
		}
	}
	api, err := cloudspot.NewUserAPI(e.App, c.options(base, nil)...)
	if err == nil {
		err = api.SignOut(cmd.Context(), token)
	}
	switch {
	case err == nil:
		return func(w io.Writer) error {
			fmt.Fprintln(w, "The ERP revoked the token.")
			return nil
		}
	case errors.Is(err, errors.ErrUnsupported):
		return func(w io.Writer) error {
			stays(w, "The ERP at "+base+" does not offer sign-out")
			return nil
		}
	case errors.Is(err, cloudspot.ErrNoValidToken):
		return func(w io.Writer) error {
			fmt.Fprintln(w, "The ERP no longer accepted the token (expired, revoked or for another app).")
			return nil
		}
	}
	why := c.explain(err, base, tokenSource{from: "stored", app: e.App})
	return func(w io.Writer) error {
		stays(w, "The ERP could not revoke the token")
		return why
	}
}

// orUser is a username for a command line, or a placeholder for one that
// was not stored.
func orUser(username string) string {
	if username == "" {
		return "USERNAME"
	}
	return username
}

func (c *cli) authCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "auth",
		Short:   "Inspect stored tokens",
		Example: `  cloudspot auth status`,
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "status",
		Short: "Show which tokens are stored, and where",
		Long: `auth status lists every stored token by base URL: the app and user it is for,
or the company token, and whether it is in the OS keyring or the token file.
It shows no token.`,
		Example: `  cloudspot auth status`,
		Args:    noArgs,
		RunE: runE(func(cmd *cobra.Command, _ []string) error {
			st, err := c.store()
			if err != nil {
				return err
			}
			f, err := st.load()
			if err != nil {
				return err
			}
			w := visibleWriter{c.stdout}
			if t := c.getenv("CLOUDSPOT_TOKEN"); strings.TrimSpace(t) != "" {
				fmt.Fprintln(w, "CLOUDSPOT_TOKEN is set: it overrides the stored tokens.")
			}
			if len(f.Tokens) == 0 {
				fmt.Fprintln(w, "No tokens stored. Run cloudspot login --app SLUG to sign in.")
				return nil
			}
			var bases []string
			for _, e := range f.Tokens {
				if !slices.Contains(bases, e.BaseURL) {
					bases = append(bases, e.BaseURL)
				}
			}
			for _, b := range bases {
				fmt.Fprintln(w, b)
				for _, e := range f.Tokens {
					if e.BaseURL != b {
						continue
					}
					where := st.where(e)
					if e.Store == inKeyring {
						if _, err := st.token(e); err != nil {
							where += " (missing: " + err.Error() + ")"
						}
					}
					if e.Company {
						fmt.Fprintf(w, "  company token, in %s, saved %s\n", where, e.SavedAt.Format("2006-01-02 15:04 MST"))
						continue
					}
					who := e.Username
					if e.Name != "" {
						who += " (" + e.Name + ")"
					}
					fmt.Fprintf(w, "  app %s: %s, in %s, saved %s\n", e.App, who, where, e.SavedAt.Format("2006-01-02 15:04 MST"))
				}
			}
			return nil
		}),
	})
	return cmd
}
