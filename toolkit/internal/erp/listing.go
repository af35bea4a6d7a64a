package erp

import (
	"context"
	"strings"
)

// The listings below are what the admin commands show. They go through the
// service, like every other use of the store, so that a slug is normalised
// and a missing one reported the same way everywhere.

// Companies returns every company, oldest first.
func (s *Service) Companies(ctx context.Context) ([]Company, error) {
	return s.accounts.Companies(ctx)
}

// Users returns every user by username.
func (s *Service) Users(ctx context.Context) ([]User, error) {
	return s.accounts.Users(ctx)
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

func (s *Service) app(ctx context.Context, appSlug string) (*App, error) {
	a, err := s.accounts.AppBySlug(ctx, normalSlug(appSlug))
	return a, notFoundAs(err, "app %q does not exist", appSlug)
}
