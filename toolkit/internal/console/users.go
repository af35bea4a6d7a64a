package console

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
)

// Users: list and search, create (the password twice, never shown again),
// deactivate and reactivate, a new password, a pin, their tokens with
// their last use, revoked one by one or all at once.

type usersPage struct {
	Users     []erp.User
	Companies []erp.Company
	Slugs     map[int64]string // company slug by id
	Search    string
	Company   string // the company the list is limited to
	New       erp.NewUser
}

func (c *Console) listUsers(q *request) error {
	return c.users(q, http.StatusOK, usersPage{Search: q.r.FormValue("q"), Company: q.r.FormValue("company")})
}

func (c *Console) users(q *request, status int, p usersPage, errs ...fieldError) error {
	var err error
	if p.Companies, err = c.svc.Companies(q.ctx); err != nil {
		return err
	}
	p.Slugs = map[int64]string{}
	for _, co := range p.Companies {
		p.Slugs[co.ID] = co.Slug
	}
	p.Users, err = c.svc.SearchUsers(q.ctx, p.Company, p.Search)
	if erp.ErrorCode(err) == erp.ENotFound {
		errs = append(errs, fieldError{"filter-company", erp.ErrorMessage(err)})
		p.Users, err = []erp.User{}, nil
	}
	if err != nil {
		return err
	}
	if p.New.Company == "" {
		p.New.Company = p.Company
	}
	return q.page(c, status, "users", "users", "Users", p, errs...)
}

// createUser is admin user create: the password is typed twice, as the
// command asks for it twice on a terminal.
func (c *Console) createUser(q *request) error {
	f := q.r.PostForm
	n := erp.NewUser{Username: f.Get("username"), Password: f.Get("password"), FirstName: f.Get("first_name"),
		LastName: f.Get("last_name"), Email: f.Get("email"), Company: f.Get("company")}
	again := func(status int, errs ...fieldError) error {
		n.Password = "" // never sent back
		return c.users(q, status, usersPage{New: n}, errs...)
	}
	if n.Password != f.Get("password_again") {
		return again(http.StatusBadRequest, fieldError{"password-again", "The passwords do not match."})
	}
	u, err := c.svc.CreateUser(q.ctx, n)
	if err != nil {
		errs, status, err := refused(err, userField(err))
		if err != nil {
			return err
		}
		return again(status, errs...)
	}
	return q.done(c, "/users/"+url.PathEscape(u.Username), "Created user "+u.Username+".")
}

// userField is the create-user field a domain error is about.
func userField(err error) string {
	msg := erp.ErrorMessage(err)
	for _, f := range []struct{ word, field string }{{"password", "password"}, {"email", "email"}, {"company", "company"}} {
		if containsFold(msg, f.word) {
			return f.field
		}
	}
	return "username"
}

type userPage struct {
	U       *erp.User
	Company string
	Tokens  []erp.UserToken
	Apps    []erp.App
}

func (c *Console) showUser(q *request) error { return c.user(q, http.StatusOK) }

func (c *Console) user(q *request, status int, errs ...fieldError) error {
	u, err := c.svc.User(q.ctx, q.r.PathValue("user"))
	if err != nil {
		return err
	}
	p := userPage{U: u}
	co, err := c.companyByID(q, u.CompanyID)
	if err != nil {
		return err
	}
	p.Company = co
	if p.Tokens, err = c.svc.UserTokens(q.ctx, u.Username); err != nil {
		return err
	}
	if p.Apps, err = c.svc.Apps(q.ctx); err != nil {
		return err
	}
	return q.page(c, status, "user", "users", u.Username, p, errs...)
}

func (c *Console) companyByID(q *request, id int64) (string, error) {
	cs, err := c.svc.Companies(q.ctx)
	if err != nil {
		return "", err
	}
	for _, co := range cs {
		if co.ID == id {
			return co.Slug, nil
		}
	}
	return "", nil
}

func userURL(username string) string { return "/users/" + url.PathEscape(username) }

// setUserActive is admin user activate and deactivate.
func (c *Console) setUserActive(q *request) error {
	username := q.r.PathValue("user")
	active := q.r.PostFormValue("active") == "yes"
	if err := c.svc.SetUserActive(q.ctx, username, active); err != nil {
		return err
	}
	msg := username + " is active again."
	if !active {
		msg = username + " is deactivated; their tokens are revoked."
	}
	return q.done(c, userURL(username), msg)
}

// setPassword is admin user set-password.
func (c *Console) setPassword(q *request) error {
	username := q.r.PathValue("user")
	pw := q.r.PostFormValue("password")
	if pw != q.r.PostFormValue("password_again") {
		return c.user(q, http.StatusBadRequest, fieldError{"new-password-again", "The passwords do not match."})
	}
	if err := c.svc.SetPassword(q.ctx, username, pw); err != nil {
		errs, status, err := refused(err, "new-password")
		if err != nil {
			return err
		}
		return c.user(q, status, errs...)
	}
	return q.done(c, userURL(username), "The password of "+username+" is changed; their tokens are revoked.")
}

// setPin is admin user set-pin, and set-pin --clear.
func (c *Console) setPin(q *request) error {
	username := q.r.PathValue("user")
	pin := ""
	if q.r.PostFormValue("clear") == "" {
		pin = q.r.PostFormValue("pin")
		if pin != q.r.PostFormValue("pin_again") {
			return c.user(q, http.StatusBadRequest, fieldError{"pin-again", "The pins do not match."})
		}
		if pin == "" {
			return c.user(q, http.StatusBadRequest, fieldError{"pin", "Enter a pin, or remove the pin."})
		}
	}
	if err := c.svc.SetUserPin(q.ctx, username, pin); err != nil {
		errs, status, err := refused(err, "pin")
		if err != nil {
			return err
		}
		return c.user(q, status, errs...)
	}
	msg := "The pin of " + username + " is set."
	if pin == "" {
		msg = "The pin of " + username + " is removed."
	}
	return q.done(c, userURL(username), msg)
}

// revokeUserTokens is admin user revoke-tokens.
func (c *Console) revokeUserTokens(q *request) error {
	username := q.r.PathValue("user")
	n, err := c.svc.RevokeUserTokens(q.ctx, username)
	if err != nil {
		return err
	}
	return q.done(c, userURL(username)+"#tokens", fmt.Sprintf("Revoked %d token(s) of %s.", n, username))
}

// revokeUserToken is admin user revoke-token.
func (c *Console) revokeUserToken(q *request) error {
	username := q.r.PathValue("user")
	id, err := strconv.ParseInt(q.r.PathValue("id"), 10, 64)
	if err != nil {
		return erp.Errorf(erp.ENotFound, "There is no such token.")
	}
	if err := c.svc.RevokeUserToken(q.ctx, username, id); err != nil {
		return err
	}
	return q.done(c, userURL(username)+"#tokens", fmt.Sprintf("Revoked token %d of %s.", id, username))
}
