package console

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
)

// Companies: list, create, uid; per company its users, tokens and the size
// of its catalogue.

type companiesPage struct {
	Companies []erp.Company
	Slug      string // the create form's values, kept after a refusal
	Name      string
}

func (c *Console) listCompanies(q *request) error {
	return c.companies(q, http.StatusOK, companiesPage{})
}

func (c *Console) companies(q *request, status int, p companiesPage, errs ...fieldError) error {
	cs, err := c.svc.Companies(q.ctx)
	if err != nil {
		return err
	}
	p.Companies = cs
	return q.page(c, status, "companies", "companies", "Companies", p, errs...)
}

// createCompany is admin company create.
func (c *Console) createCompany(q *request) error {
	p := companiesPage{Slug: q.r.PostFormValue("slug"), Name: q.r.PostFormValue("name")}
	co, err := c.svc.CreateCompany(q.ctx, p.Slug, p.Name)
	if err != nil {
		field := "slug"
		if erp.ErrorCode(err) == erp.EInvalid && p.Slug != "" && containsFold(erp.ErrorMessage(err), "name") {
			field = "name"
		}
		errs, status, err := refused(err, field)
		if err != nil {
			return err
		}
		return c.companies(q, status, p, errs...)
	}
	return q.done(c, "/companies/"+co.Slug, "Created company "+co.Slug+".")
}

type companyPage struct {
	Company  *erp.Company
	Counts   erp.CatalogueCounts
	Users    []erp.User
	Tokens   []erp.CompanyToken
	UID      string // the uid form's value
	NewToken newToken
	// Secret is a token just created, shown this once.
	Secret      string
	SecretToken *erp.CompanyToken
}

// newToken is the create-token form's values.
type newToken struct {
	Name       string
	Artikels   bool
	Klanten    bool
	APIVersion string
}

func (c *Console) showCompany(q *request) error {
	return c.company(q, http.StatusOK, companyPage{NewToken: newToken{Artikels: true, Klanten: true}})
}

// company renders a company's page (admin company show) with p's forms.
func (c *Console) company(q *request, status int, p companyPage, errs ...fieldError) error {
	co, err := c.svc.Company(q.ctx, q.r.PathValue("company"))
	if err != nil {
		return err
	}
	p.Company = co
	if p.UID == "" {
		p.UID = co.UID
	}
	if p.Counts, err = c.svc.CatalogueCounts(q.ctx, co.Slug); err != nil {
		return err
	}
	if p.Users, err = c.svc.SearchUsers(q.ctx, co.Slug, ""); err != nil {
		return err
	}
	if p.Tokens, err = c.svc.CompanyTokens(q.ctx, co.Slug); err != nil {
		return err
	}
	return q.page(c, status, "company", "companies", co.Name, p, errs...)
}

// setCompanyUID is admin company set-uid.
func (c *Console) setCompanyUID(q *request) error {
	slug, uid := q.r.PathValue("company"), q.r.PostFormValue("uid")
	if err := c.svc.SetCompanyUID(q.ctx, slug, uid); err != nil {
		errs, status, err := refused(err, "uid")
		if err != nil {
			return err
		}
		return c.company(q, status, companyPage{UID: uid, NewToken: newToken{Artikels: true, Klanten: true}}, errs...)
	}
	return q.done(c, "/companies/"+slug, "The company's uid is now "+uid+".")
}

// createToken is admin token create: the secret is shown on this answer
// only, never in a URL or a cookie.
func (c *Console) createToken(q *request) error {
	slug := q.r.PathValue("company")
	nt := newToken{Name: q.r.PostFormValue("name"), Artikels: q.r.PostFormValue("artikels") != "", Klanten: q.r.PostFormValue("klanten") != "", APIVersion: q.r.PostFormValue("api_version")}
	again := func(err error, field string) error {
		errs, status, err := refused(err, field)
		if err != nil {
			return err
		}
		return c.company(q, status, companyPage{NewToken: nt}, errs...)
	}
	var v erp.APIVersion
	if nt.APIVersion != "" {
		var err error
		if v, err = erp.ParseAPIVersion(nt.APIVersion); err != nil {
			return again(err, "token-version")
		}
	}
	secret, t, err := c.svc.IssueCompanyToken(q.ctx, slug, nt.Name, erp.Rights{Artikels: nt.Artikels, Klanten: nt.Klanten})
	if err != nil {
		field := "token-name"
		if containsFold(erp.ErrorMessage(err), "right") {
			field = "token-artikels"
		}
		return again(err, field)
	}
	p := companyPage{Secret: secret, SecretToken: t, NewToken: newToken{Artikels: true, Klanten: true}}
	if v != "" && v != erp.APIVersion04 {
		// admin token set-api-version, as one would run it next. The
		// secret is shown even when this fails: it cannot be shown again.
		if err := c.svc.SetCompanyTokenAPIVersion(q.ctx, t.ID, v); err != nil {
			c.log.Error("console: setting a new token's API version failed", "token", t.ID, "err", err)
			return c.company(q, http.StatusCreated, p, fieldError{"token-" + strconv.FormatInt(t.ID, 10) + "-version", "The token was created, but its API version could not be set: set it below."})
		}
		t.APIVersion = v
	}
	return c.company(q, http.StatusCreated, p)
}

// tokenID reads the {id} of a token's path; it must be the company's token.
func (c *Console) companyToken(q *request) (*erp.CompanyToken, error) {
	id, err := strconv.ParseInt(q.r.PathValue("id"), 10, 64)
	if err != nil {
		return nil, erp.Errorf(erp.ENotFound, "There is no such token.")
	}
	ts, err := c.svc.CompanyTokens(q.ctx, q.r.PathValue("company"))
	if err != nil {
		return nil, err
	}
	for i := range ts {
		if ts[i].ID == id {
			return &ts[i], nil
		}
	}
	return nil, erp.Errorf(erp.ENotFound, "Company %s has no token %d.", q.r.PathValue("company"), id)
}

// renameToken is admin token rename.
func (c *Console) renameToken(q *request) error {
	t, err := c.companyToken(q)
	if err != nil {
		return err
	}
	field := "token-" + strconv.FormatInt(t.ID, 10) + "-name"
	if err := c.svc.RenameCompanyToken(q.ctx, t.ID, q.r.PostFormValue("name")); err != nil {
		errs, status, err := refused(err, field)
		if err != nil {
			return err
		}
		return c.company(q, status, companyPage{NewToken: newToken{Artikels: true, Klanten: true}}, errs...)
	}
	return q.done(c, "/companies/"+url.PathEscape(q.r.PathValue("company"))+"#tokens", "Renamed token "+strconv.FormatInt(t.ID, 10)+".")
}

// setTokenVersion is admin token set-api-version.
func (c *Console) setTokenVersion(q *request) error {
	t, err := c.companyToken(q)
	if err != nil {
		return err
	}
	v, err := erp.ParseAPIVersion(q.r.PostFormValue("api_version"))
	if err == nil {
		err = c.svc.SetCompanyTokenAPIVersion(q.ctx, t.ID, v)
	}
	if err != nil {
		errs, status, err := refused(err, "token-"+strconv.FormatInt(t.ID, 10)+"-version")
		if err != nil {
			return err
		}
		return c.company(q, status, companyPage{NewToken: newToken{Artikels: true, Klanten: true}}, errs...)
	}
	return q.done(c, "/companies/"+url.PathEscape(q.r.PathValue("company"))+"#tokens", "Token "+strconv.FormatInt(t.ID, 10)+" now answers in API version "+string(v)+".")
}

// revokeToken is admin token revoke.
func (c *Console) revokeToken(q *request) error {
	t, err := c.companyToken(q)
	if err != nil {
		return err
	}
	if err := c.svc.RevokeCompanyToken(q.ctx, t.ID); err != nil {
		return err
	}
	return q.done(c, "/companies/"+url.PathEscape(q.r.PathValue("company"))+"#tokens", "Revoked token "+strconv.FormatInt(t.ID, 10)+".")
}

// containsFold reports whether s holds sub in any case: which field a
// domain error is about, when a form has several.
func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}
