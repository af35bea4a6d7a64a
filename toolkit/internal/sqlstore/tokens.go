package sqlstore

import (
	"context"
	"time"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
)

// User and company tokens, kept by the hash of their secret, and the number
// that tells token checks what changed (erp.TokenStore).

// CreateUserToken implements erp.TokenStore.
func (s *Store) CreateUserToken(ctx context.Context, t *erp.UserToken) error {
	return s.write(ctx, func() error { return insert(ctx, s, s.db, userTokenRows, t, &t.ID) })
}

// UserTokenByHash implements erp.TokenStore.
func (s *Store) UserTokenByHash(ctx context.Context, hash []byte) (*erp.UserToken, error) {
	return one(ctx, s, userTokenRows, `WHERE hash = $1`, hash)
}

// UserTokens implements erp.TokenStore.
func (s *Store) UserTokens(ctx context.Context, userID int64) ([]erp.UserToken, error) {
	return all(ctx, s, userTokenRows, `WHERE user_id = $1 ORDER BY id DESC`, userID)
}

// PurgeUserTokens implements erp.TokenStore.
func (s *Store) PurgeUserTokens(ctx context.Context, before time.Time) (int, error) {
	res, err := s.exec(ctx, `DELETE FROM user_tokens WHERE expires_at < $1 OR revoked_at < $1`, ts(before))
	if err != nil {
		return 0, s.wrap(err)
	}
	n, err := res.RowsAffected()
	return int(n), s.wrap(err)
}

// TouchUserToken implements erp.TokenStore.
func (s *Store) TouchUserToken(ctx context.Context, id int64, at time.Time) error {
	_, err := s.exec(ctx, `UPDATE user_tokens SET last_used_at = $1 WHERE id = $2`, ts(at), id)
	return s.wrap(err)
}

// RevokeUserTokens implements erp.TokenStore.
func (s *Store) RevokeUserTokens(ctx context.Context, userID int64, at time.Time) (int, error) {
	var n int
	err := s.write(ctx, func() (err error) {
		n, err = revokeUserTokens(ctx, s.db, userID, at)
		return err
	})
	return n, s.wrap(err)
}

func revokeUserTokens(ctx context.Context, q querier, userID int64, at time.Time) (int, error) {
	res, err := q.ExecContext(ctx, `UPDATE user_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL`, ts(at), userID)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// RevokeUserToken implements erp.TokenStore.
func (s *Store) RevokeUserToken(ctx context.Context, userID, id int64, at time.Time) error {
	return s.exactlyOne(s.exec(ctx, `UPDATE user_tokens SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2 AND user_id = $3`, ts(at), id, userID))
}

// CreateCompanyToken implements erp.TokenStore.
func (s *Store) CreateCompanyToken(ctx context.Context, t *erp.CompanyToken) error {
	return s.write(ctx, func() error { return insert(ctx, s, s.db, companyTokenRows, t, &t.ID) })
}

// CompanyTokenByHash implements erp.TokenStore.
func (s *Store) CompanyTokenByHash(ctx context.Context, hash []byte) (*erp.CompanyToken, error) {
	return one(ctx, s, companyTokenRows, `WHERE hash = $1`, hash)
}

// CompanyTokenByID implements erp.TokenStore.
func (s *Store) CompanyTokenByID(ctx context.Context, id int64) (*erp.CompanyToken, error) {
	return one(ctx, s, companyTokenRows, `WHERE id = $1`, id)
}

// CompanyTokens implements erp.TokenStore.
func (s *Store) CompanyTokens(ctx context.Context, companyID int64) ([]erp.CompanyToken, error) {
	return all(ctx, s, companyTokenRows, `WHERE company_id = $1 ORDER BY id`, companyID)
}

// TouchCompanyToken implements erp.TokenStore.
func (s *Store) TouchCompanyToken(ctx context.Context, id int64, at time.Time) error {
	_, err := s.exec(ctx, `UPDATE company_tokens SET last_used_at = $1 WHERE id = $2`, ts(at), id)
	return s.wrap(err)
}

// RevokeCompanyToken implements erp.TokenStore. Revoking twice keeps the first
// revocation time.
func (s *Store) RevokeCompanyToken(ctx context.Context, id int64, at time.Time) error {
	return s.exactlyOne(s.exec(ctx, `UPDATE company_tokens SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2`, ts(at), id))
}

// SetCompanyTokenAPIVersion implements erp.TokenStore.
func (s *Store) SetCompanyTokenAPIVersion(ctx context.Context, id int64, v erp.APIVersion) error {
	return s.exactlyOne(s.exec(ctx, `UPDATE company_tokens SET api_version = $1 WHERE id = $2`, string(v), id))
}

// SetCompanyTokenName implements erp.TokenStore.
func (s *Store) SetCompanyTokenName(ctx context.Context, id int64, name string) error {
	if err := checkText(name); err != nil {
		return err
	}
	return s.exactlyOne(s.exec(ctx, `UPDATE company_tokens SET name = $1 WHERE id = $2`, name, id))
}

const tokenChangesSQL = `SELECT n FROM token_changes WHERE id = 1`

// TokenChanges implements erp.TokenStore. The triggers of the token_changes
// migration move the number; it is bookkeeping, not data, so Copy leaves it
// to the target's own triggers.
func (s *Store) TokenChanges(ctx context.Context) (int64, error) {
	var n int64
	err := s.changes.QueryRowContext(ctx).Scan(&n)
	return n, s.wrap(err)
}
