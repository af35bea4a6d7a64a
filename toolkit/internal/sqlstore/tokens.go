package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
)

// CreateUserToken implements erp.Store.
func (s *Store) CreateUserToken(ctx context.Context, t *erp.UserToken) error {
	return s.wrap(s.db.QueryRowContext(ctx, s.q(`INSERT INTO user_tokens (hash, user_id, app_slug, created_at, last_used_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`),
		t.Hash, t.UserID, t.AppSlug, ts(t.CreatedAt), ts(t.LastUsedAt), ts(t.ExpiresAt)).Scan(&t.ID))
}

const userTokenCols = `id, hash, user_id, app_slug, created_at, last_used_at, expires_at, revoked_at`

func scanUserToken(row interface{ Scan(...any) error }) (*erp.UserToken, error) {
	var t erp.UserToken
	var created, used, expires, revoked sql.NullInt64
	if err := row.Scan(&t.ID, &t.Hash, &t.UserID, &t.AppSlug, &created, &used, &expires, &revoked); err != nil {
		return nil, err
	}
	t.CreatedAt, t.LastUsedAt, t.ExpiresAt, t.RevokedAt = fromTS(created), fromTS(used), fromTS(expires), fromTS(revoked)
	return &t, nil
}

// UserTokenByHash implements erp.Store.
func (s *Store) UserTokenByHash(ctx context.Context, hash []byte) (*erp.UserToken, error) {
	t, err := scanUserToken(s.db.QueryRowContext(ctx, s.q(`SELECT `+userTokenCols+` FROM user_tokens WHERE hash = ?`), hash))
	return t, s.wrap(err)
}

// UserTokens implements erp.Store.
func (s *Store) UserTokens(ctx context.Context, userID int64) ([]erp.UserToken, error) {
	return list(ctx, s, `SELECT `+userTokenCols+` FROM user_tokens WHERE user_id = ? ORDER BY id DESC`, []any{userID}, scanUserToken)
}

// PurgeUserTokens implements erp.Store.
func (s *Store) PurgeUserTokens(ctx context.Context, before time.Time) (int, error) {
	res, err := s.db.ExecContext(ctx, s.q(`DELETE FROM user_tokens WHERE expires_at < ? OR revoked_at < ?`), ts(before), ts(before))
	if err != nil {
		return 0, s.wrap(err)
	}
	n, err := res.RowsAffected()
	return int(n), s.wrap(err)
}

// TouchUserToken implements erp.Store.
func (s *Store) TouchUserToken(ctx context.Context, id int64, at time.Time) error {
	_, err := s.db.ExecContext(ctx, s.q(`UPDATE user_tokens SET last_used_at = ? WHERE id = ?`), ts(at), id)
	return s.wrap(err)
}

// RevokeUserTokens implements erp.Store.
func (s *Store) RevokeUserTokens(ctx context.Context, userID int64, at time.Time) (int, error) {
	n, err := revokeUserTokens(ctx, s, s.db, userID, at)
	return n, s.wrap(err)
}

func revokeUserTokens(ctx context.Context, s *Store, q querier, userID int64, at time.Time) (int, error) {
	res, err := q.ExecContext(ctx, s.q(`UPDATE user_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL`), ts(at), userID)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// CreateCompanyToken implements erp.Store.
func (s *Store) CreateCompanyToken(ctx context.Context, t *erp.CompanyToken) error {
	if err := checkText(t.Name); err != nil {
		return err
	}
	return s.wrap(s.db.QueryRowContext(ctx, s.q(`INSERT INTO company_tokens (hash, name, company_id, can_products, can_clients, created_at, last_used_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`),
		t.Hash, t.Name, t.CompanyID, t.Rights.Products, t.Rights.Clients, ts(t.CreatedAt), ts(t.LastUsedAt)).Scan(&t.ID))
}

const companyTokenCols = `id, hash, name, company_id, can_products, can_clients, created_at, last_used_at, revoked_at`

func scanCompanyToken(row interface{ Scan(...any) error }) (*erp.CompanyToken, error) {
	var t erp.CompanyToken
	var created, used, revoked sql.NullInt64
	if err := row.Scan(&t.ID, &t.Hash, &t.Name, &t.CompanyID, &t.Rights.Products, &t.Rights.Clients, &created, &used, &revoked); err != nil {
		return nil, err
	}
	t.CreatedAt, t.LastUsedAt, t.RevokedAt = fromTS(created), fromTS(used), fromTS(revoked)
	return &t, nil
}

// CompanyTokenByHash implements erp.Store.
func (s *Store) CompanyTokenByHash(ctx context.Context, hash []byte) (*erp.CompanyToken, error) {
	t, err := scanCompanyToken(s.db.QueryRowContext(ctx, s.q(`SELECT `+companyTokenCols+` FROM company_tokens WHERE hash = ?`), hash))
	return t, s.wrap(err)
}

// CompanyTokenByID implements erp.Store.
func (s *Store) CompanyTokenByID(ctx context.Context, id int64) (*erp.CompanyToken, error) {
	t, err := scanCompanyToken(s.db.QueryRowContext(ctx, s.q(`SELECT `+companyTokenCols+` FROM company_tokens WHERE id = ?`), id))
	return t, s.wrap(err)
}

// CompanyTokens implements erp.Store.
func (s *Store) CompanyTokens(ctx context.Context, companyID int64) ([]erp.CompanyToken, error) {
	return list(ctx, s, `SELECT `+companyTokenCols+` FROM company_tokens WHERE company_id = ? ORDER BY id`, []any{companyID}, scanCompanyToken)
}

// TouchCompanyToken implements erp.Store.
func (s *Store) TouchCompanyToken(ctx context.Context, id int64, at time.Time) error {
	_, err := s.db.ExecContext(ctx, s.q(`UPDATE company_tokens SET last_used_at = ? WHERE id = ?`), ts(at), id)
	return s.wrap(err)
}

// RevokeCompanyToken implements erp.Store. Revoking twice keeps the first
// revocation time.
func (s *Store) RevokeCompanyToken(ctx context.Context, id int64, at time.Time) error {
	return s.exactlyOne(s.db.ExecContext(ctx, s.q(`UPDATE company_tokens SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?`), ts(at), id))
}
