package erp

import "context"

// PasswordMatches reports whether username exists and password is its
// password. It is the operator's check (is a published password still in
// use?): it issues no token and counts against no limit.
func (s *Service) PasswordMatches(ctx context.Context, username, password string) (bool, error) {
	u, err := s.accounts.UserByUsername(ctx, username)
	if ErrorCode(err) == ENotFound {
		return false, nil
	} else if err != nil {
		return false, err
	}
	return s.verify(ctx, u.PasswordHash, password)
}

// CompanyTokenLive reports whether secret is a company token that has not
// been revoked.
func (s *Service) CompanyTokenLive(ctx context.Context, secret string) (bool, error) {
	t, err := s.tokens.CompanyTokenByHash(ctx, HashToken(secret))
	if ErrorCode(err) == ENotFound {
		return false, nil
	} else if err != nil {
		return false, err
	}
	return t.RevokedAt.IsZero(), nil
}

// DeleteCompany deletes a company and everything that belongs to it: its
// users with their grants and tokens, its company tokens, its products and
// its clients, all or nothing.
func (s *Service) DeleteCompany(ctx context.Context, slug string) error {
	c, err := s.company(ctx, slug)
	if err != nil {
		return err
	}
	return s.audited(ctx, s.accounts.DeleteCompany(ctx, c.ID), AuditEvent{Action: AuditCompanyDelete, Company: c.Slug, Detail: c.Slug})
}
