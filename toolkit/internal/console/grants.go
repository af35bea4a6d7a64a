package console

import (
	"net/http"
	"net/url"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
)

// The ERP's own permission screen: one user, one app, the app's tree with
// a Ja/Neen toggle per permission. Each toggle is admin grant or admin
// revoke, applied at once, with the domain's rule: a child is granted
// only with its parent, and revoking a parent revokes everything under it.

type grantsPage struct {
	U    *erp.User
	App  *erp.App
	Rows []grantRow
}

type grantRow struct {
	node
	Granted bool
}

func (c *Console) showGrants(q *request) error { return c.grants(q, http.StatusOK) }

func (c *Console) grants(q *request, status int, errs ...fieldError) error {
	u, err := c.svc.User(q.ctx, q.r.PathValue("user"))
	if err != nil {
		return err
	}
	a, err := c.appBySlug(q)
	if err != nil {
		return err
	}
	ps, err := c.svc.Permissions(q.ctx, a.Slug)
	if err != nil {
		return err
	}
	granted, err := c.svc.Granted(q.ctx, u.Username, a.Slug)
	if err != nil {
		return err
	}
	has := map[string]bool{}
	for _, g := range granted {
		has[g] = true
	}
	p := grantsPage{U: u, App: a}
	for _, n := range treeOf(ps) {
		p.Rows = append(p.Rows, grantRow{n, has[n.Slug]})
	}
	return q.page(c, status, "grants", "users", "Externe App: "+a.Name, p, errs...)
}

// setGrant is admin grant (Ja) or admin revoke (Neen) of one permission.
func (c *Console) setGrant(q *request) error {
	username, app := q.r.PathValue("user"), q.r.PathValue("app")
	perm := q.r.PostFormValue("permission")
	if err := c.checkPermission(q, perm); err != nil {
		return err
	}
	var err error
	msg := ""
	switch q.r.PostFormValue("value") {
	case "ja":
		err, msg = c.svc.Grant(q.ctx, username, perm), "Granted "+perm+"."
	case "neen":
		err, msg = c.svc.Revoke(q.ctx, username, perm), "Revoked "+perm+" and what is under it."
	default:
		return c.grants(q, http.StatusBadRequest, fieldError{"ja-" + perm, "Choose Ja or Neen."})
	}
	if err != nil {
		errs, status, err := refused(err, "ja-"+perm)
		if err != nil {
			return err
		}
		return c.grants(q, status, errs...)
	}
	return q.done(c, "/users/"+url.PathEscape(username)+"/apps/"+url.PathEscape(app)+"#perm-"+url.PathEscape(perm), msg)
}
