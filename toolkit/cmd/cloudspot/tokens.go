package main

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/cloudspot-toolkit/cloudspot/internal/tokenkind"
)

// tokenFlags are the flags of commands that need a token: --token (a
// global flag, bound by the root command) and, for user tokens, --app.
type tokenFlags struct {
	token *string
	app   string
}

func (f *tokenFlags) addApp(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.app, "app", "", "the external app's slug (env CLOUDSPOT_APP; default: the one app logged in to)")
}

// appSlug is --app, else CLOUDSPOT_APP, lower-cased as the ERP expects.
func (c *cli) appSlug(f *tokenFlags) string {
	app := f.app
	if app == "" {
		app = c.getenv("CLOUDSPOT_APP")
	}
	return strings.ToLower(strings.TrimSpace(app))
}

// given returns a token from --token or CLOUDSPOT_TOKEN, which override
// stored tokens.
func (c *cli) given(f *tokenFlags) (token, from string) {
	if f.token != nil && *f.token != "" {
		return *f.token, "--token"
	}
	if t := strings.TrimSpace(c.getenv("CLOUDSPOT_TOKEN")); t != "" {
		return t, "CLOUDSPOT_TOKEN"
	}
	return "", ""
}

// userToken finds the user token and app for whoami and permissions.
func (c *cli) userToken(f *tokenFlags, base string) (token string, src tokenSource, err error) {
	app := c.appSlug(f)
	token, from := c.given(f)
	st, err := c.store()
	if err != nil {
		return "", src, err
	}
	if token != "" {
		if tokenkind.Of(token) == tokenkind.Company {
			return "", src, usagef("%s holds %s (%s…); whoami and permissions need a user token: sign in with cloudspot login --app SLUG%s and leave %s out, or give a user token (%s…)",
				from, tokenkind.Company, tokenkind.CompanyPrefix, c.baseFlag(base), from, tokenkind.UserPrefix)
		}
		if app == "" {
			// The app is needed for the request; take it from the one
			// login there is, if there is exactly one.
			if es, _ := st.find(base, "", false); len(es) == 1 {
				app = es[0].App
			} else {
				return "", src, usagef("which app is %s for? give --app SLUG or set CLOUDSPOT_APP", from)
			}
		}
		return token, tokenSource{from: from, app: app}, nil
	}
	es, err := st.find(base, app, false)
	if err != nil {
		return "", src, err
	}
	switch {
	case len(es) == 0 && app == "":
		return "", src, authf("not logged in at %s; run cloudspot login --app SLUG%s, or set CLOUDSPOT_TOKEN", base, c.baseFlag(base))
	case len(es) == 0:
		return "", src, authf("not logged in to %s at %s; run cloudspot login --app %s%s", app, base, app, c.baseFlag(base))
	case len(es) > 1:
		apps := make([]string, len(es))
		for i, e := range es {
			apps[i] = e.App
		}
		return "", src, usagef("logged in to several apps at %s (%s); choose one with --app", base, strings.Join(apps, ", "))
	}
	src = tokenSource{from: "stored", app: es[0].App}
	token, err = st.token(es[0])
	if err != nil {
		return "", src, authf("cannot read the stored token for %s from %v; run cloudspot login --app %s%s", src.app, err, src.app, c.baseFlag(base))
	}
	return token, src, nil
}

// companyToken finds the company token for the list commands.
func (c *cli) companyToken(f *tokenFlags, base string) (token string, src tokenSource, err error) {
	if token, from := c.given(f); token != "" {
		if tokenkind.Of(token) == tokenkind.User {
			return "", src, usagef("%s holds %s (%s…), which signs a user in to an app; the company's products, clients and categories need a company token (%s…), which an ERP administrator creates (cloudspot-server admin token create)",
				from, tokenkind.User, tokenkind.UserPrefix, tokenkind.CompanyPrefix)
		}
		return token, tokenSource{from: from, company: true}, nil
	}
	st, err := c.store()
	if err != nil {
		return "", src, err
	}
	es, err := st.find(base, "", true)
	if err != nil {
		return "", src, err
	}
	if len(es) == 0 {
		return "", src, authf("no company token for %s; set CLOUDSPOT_TOKEN, or store one with cloudspot login --company%s", base, c.baseFlag(base))
	}
	src = tokenSource{from: "stored", company: true}
	token, err = st.token(es[0])
	if err != nil {
		return "", src, authf("cannot read the stored company token from %v; run cloudspot login --company%s", err, c.baseFlag(base))
	}
	return token, src, nil
}
