package console

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
)

// Apps and their permission trees: add, relabel, remove; the API version
// an app's users get.

type appsPage struct {
	Apps []erp.App
	Slug string // the create form's values
	Name string
}

func (c *Console) listApps(q *request) error { return c.apps(q, http.StatusOK, appsPage{}) }

func (c *Console) apps(q *request, status int, p appsPage, errs ...fieldError) error {
	var err error
	if p.Apps, err = c.svc.Apps(q.ctx); err != nil {
		return err
	}
	return q.page(c, status, "apps", "apps", "Apps", p, errs...)
}

// createApp is admin app create.
func (c *Console) createApp(q *request) error {
	p := appsPage{Slug: q.r.PostFormValue("slug"), Name: q.r.PostFormValue("name")}
	a, err := c.svc.CreateApp(q.ctx, p.Slug, p.Name)
	if err != nil {
		errs, status, err := refused(err, "slug")
		if err != nil {
			return err
		}
		return c.apps(q, status, p, errs...)
	}
	return q.done(c, appURL(a.Slug), "Created app "+a.Slug+".")
}

func appURL(slug string) string { return "/apps/" + url.PathEscape(slug) }

// node is a permission in its tree, with its depth.
type node struct {
	erp.Permission
	Depth int
}

// treeOf puts an app's permissions (parents first) in the order of the
// tree, each child under its parent, with their depths.
func treeOf(ps []erp.Permission) []node {
	children := map[int64][]erp.Permission{}
	for _, p := range ps {
		children[p.ParentID] = append(children[p.ParentID], p)
	}
	var out []node
	var walk func(parent int64, depth int)
	walk = func(parent int64, depth int) {
		for _, p := range children[parent] {
			out = append(out, node{p, depth})
			walk(p.ID, depth+1)
		}
	}
	walk(0, 0)
	return out
}

type appPage struct {
	App  *erp.App
	Tree []node
	New  struct{ Slug, Label, Parent string }
}

func (c *Console) showApp(q *request) error { return c.app(q, http.StatusOK, appPage{}) }

func (c *Console) app(q *request, status int, p appPage, errs ...fieldError) error {
	a, err := c.appBySlug(q)
	if err != nil {
		return err
	}
	p.App = a
	ps, err := c.svc.Permissions(q.ctx, a.Slug)
	if err != nil {
		return err
	}
	p.Tree = treeOf(ps)
	if p.New.Slug == "" {
		p.New.Slug = a.Slug + "_"
	}
	return q.page(c, status, "app", "apps", a.Name, p, errs...)
}

func (c *Console) appBySlug(q *request) (*erp.App, error) {
	slug := q.r.PathValue("app")
	as, err := c.svc.Apps(q.ctx)
	if err != nil {
		return nil, err
	}
	for i := range as {
		if as[i].Slug == slug {
			return &as[i], nil
		}
	}
	return nil, erp.Errorf(erp.ENotFound, "App %q does not exist.", slug)
}

// setAppVersion is admin app set-api-version.
func (c *Console) setAppVersion(q *request) error {
	slug := q.r.PathValue("app")
	v, err := erp.ParseAPIVersion(q.r.PostFormValue("api_version"))
	if err == nil {
		err = c.svc.SetAppAPIVersion(q.ctx, slug, v)
	}
	if err != nil {
		errs, status, err := refused(err, "app-"+slug+"-version")
		if err != nil {
			return err
		}
		return c.apps(q, status, appsPage{}, errs...)
	}
	return q.done(c, "/apps", fmt.Sprintf("App %s now answers in API version %s by default.", slug, v))
}

// addPermission is admin app add-permission.
func (c *Console) addPermission(q *request) error {
	slug := q.r.PathValue("app")
	var p appPage
	p.New.Slug, p.New.Label, p.New.Parent = q.r.PostFormValue("slug"), q.r.PostFormValue("label"), q.r.PostFormValue("parent")
	perm, err := c.svc.AddPermission(q.ctx, slug, p.New.Slug, p.New.Label, p.New.Parent)
	if err != nil {
		field := "perm-slug"
		if containsFold(erp.ErrorMessage(err), "parent") {
			field = "perm-parent"
		} else if containsFold(erp.ErrorMessage(err), "characters") {
			field = "perm-label"
		}
		errs, status, err := refused(err, field)
		if err != nil {
			return err
		}
		return c.app(q, status, p, errs...)
	}
	return q.done(c, appURL(slug), "Added permission "+perm.Slug+".")
}

// renamePermission is admin app rename-permission.
func (c *Console) renamePermission(q *request) error {
	slug, perm := q.r.PathValue("app"), q.r.PathValue("perm")
	if err := c.checkPermission(q, perm); err != nil {
		return err
	}
	if err := c.svc.RenamePermission(q.ctx, perm, q.r.PostFormValue("label")); err != nil {
		errs, status, err := refused(err, "label-"+perm)
		if err != nil {
			return err
		}
		return c.app(q, status, appPage{}, errs...)
	}
	return q.done(c, appURL(slug), "Relabelled "+perm+".")
}

// checkPermission refuses a permission of another app than the path's.
func (c *Console) checkPermission(q *request, perm string) error {
	ps, err := c.svc.Permissions(q.ctx, q.r.PathValue("app"))
	if err != nil {
		return err
	}
	for _, p := range ps {
		if p.Slug == perm {
			return nil
		}
	}
	return erp.Errorf(erp.ENotFound, "App %s has no permission %q.", q.r.PathValue("app"), perm)
}

type removePage struct {
	App     *erp.App
	Removed []node // the permission and everything under it
}

// confirmRemovePermission shows what a removal takes away before it is
// done.
func (c *Console) confirmRemovePermission(q *request) error {
	a, err := c.appBySlug(q)
	if err != nil {
		return err
	}
	ps, err := c.svc.Permissions(q.ctx, a.Slug)
	if err != nil {
		return err
	}
	p := removePage{App: a}
	tree := treeOf(ps)
	for i, n := range tree {
		if n.Slug != q.r.PathValue("perm") {
			continue
		}
		p.Removed = append(p.Removed, n)
		for _, m := range tree[i+1:] {
			if m.Depth <= n.Depth {
				break
			}
			p.Removed = append(p.Removed, m)
		}
	}
	if len(p.Removed) == 0 {
		return erp.Errorf(erp.ENotFound, "App %s has no permission %q.", a.Slug, q.r.PathValue("perm"))
	}
	return q.page(c, http.StatusOK, "remove", "apps", "Remove "+p.Removed[0].Label, p)
}

// removePermission is admin app remove-permission.
func (c *Console) removePermission(q *request) error {
	slug, perm := q.r.PathValue("app"), q.r.PathValue("perm")
	if err := c.checkPermission(q, perm); err != nil {
		return err
	}
	n, grants, err := c.svc.RemovePermission(q.ctx, perm)
	if err != nil {
		return err
	}
	return q.done(c, appURL(slug), fmt.Sprintf("Removed %s with %d permission(s) under it; %d grant(s) went.", perm, n-1, grants))
}
