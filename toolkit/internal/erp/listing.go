package erp

import (
	"context"
	"strings"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/textsearch"
)

// The listings below are what the admin commands show. They go through the
// service, like every other use of the store, so that a slug is normalised
// and a missing one reported the same way everywhere.

// Companies returns every company, oldest first.
func (s *Service) Companies(ctx context.Context) ([]Company, error) {
	return s.accounts.Companies(ctx)
}

// Company returns the company with that slug.
func (s *Service) Company(ctx context.Context, slug string) (*Company, error) {
	return s.company(ctx, slug)
}

// User returns the user with that username.
func (s *Service) User(ctx context.Context, username string) (*User, error) {
	return s.user(ctx, username)
}

// Users returns every user by username.
func (s *Service) Users(ctx context.Context) ([]User, error) {
	return s.accounts.Users(ctx)
}

// SearchUsers returns the users of a company (every company when
// companySlug is "") whose username, name or email holds the text q, as
// textsearch matches it; all of them when q is "". By username.
func (s *Service) SearchUsers(ctx context.Context, companySlug, q string) ([]User, error) {
	var companyID int64
	if companySlug != "" {
		c, err := s.company(ctx, companySlug)
		if err != nil {
			return nil, err
		}
		companyID = c.ID
	}
	us, err := s.accounts.Users(ctx)
	if err != nil {
		return nil, err
	}
	m := textsearch.New(q)
	out := us[:0]
	for _, u := range us {
		if (companyID == 0 || u.CompanyID == companyID) && m.In(u.Username, u.FirstName+" "+u.LastName, u.Email) {
			out = append(out, u)
		}
	}
	return out, nil
}

// Apps returns every external app by slug.
func (s *Service) Apps(ctx context.Context) ([]App, error) {
	return s.accounts.Apps(ctx)
}

// Permissions returns an app's permission tree, parents before children.
func (s *Service) Permissions(ctx context.Context, appSlug string) ([]Permission, error) {
	app, err := s.app(ctx, appSlug)
	if err != nil {
		return nil, err
	}
	return s.accounts.Permissions(ctx, app.ID)
}

// CompanyTokens returns a company's tokens, never their secrets, which are
// not stored.
func (s *Service) CompanyTokens(ctx context.Context, companySlug string) ([]CompanyToken, error) {
	c, err := s.company(ctx, companySlug)
	if err != nil {
		return nil, err
	}
	return s.tokens.CompanyTokens(ctx, c.ID)
}

// Ping reports whether the database answers.
func (s *Service) Ping(ctx context.Context) error {
	return s.ping(ctx)
}

// normalSlug is how every slug given by a person is compared: without surrounding
// space and in lower case.
func normalSlug(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func (s *Service) company(ctx context.Context, companySlug string) (*Company, error) {
	c, err := s.accounts.CompanyBySlug(ctx, normalSlug(companySlug))
	return c, notFoundAs(err, "company %q does not exist", companySlug)
}

// companySlug is the slug of the company with that id, for an audit
// entry; "" when it cannot be read (the entry is still written).
func (s *Service) companySlug(ctx context.Context, id int64) string {
	c, err := s.accounts.CompanyByID(ctx, id)
	if err != nil {
		return ""
	}
	return c.Slug
}

func (s *Service) app(ctx context.Context, appSlug string) (*App, error) {
	a, err := s.accounts.AppBySlug(ctx, normalSlug(appSlug))
	return a, notFoundAs(err, "app %q does not exist", appSlug)
}
