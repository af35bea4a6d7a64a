package sqlstore

import (
	"context"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
)

// SetCompanyUID implements erp.Store.
func (s *Store) SetCompanyUID(ctx context.Context, companyID int64, uid string) error {
	if err := checkText(uid); err != nil {
		return err
	}
	return conflict(s.exactlyOne(s.db.ExecContext(ctx, `UPDATE companies SET uid = $1 WHERE id = $2`, uid, companyID)),
		"company uid %q is another company's", uid)
}

// SetUserPin implements erp.Store.
func (s *Store) SetUserPin(ctx context.Context, userID int64, pin string) error {
	if err := checkText(pin); err != nil {
		return err
	}
	return s.exactlyOne(s.db.ExecContext(ctx, `UPDATE users SET pin = $1 WHERE id = $2`, pin, userID))
}

// SetAppAPIVersion implements erp.Store.
func (s *Store) SetAppAPIVersion(ctx context.Context, appID int64, v erp.APIVersion) error {
	return s.exactlyOne(s.db.ExecContext(ctx, `UPDATE apps SET api_version = $1 WHERE id = $2`, string(v), appID))
}

// SetCompanyTokenAPIVersion implements erp.Store.
func (s *Store) SetCompanyTokenAPIVersion(ctx context.Context, id int64, v erp.APIVersion) error {
	return s.exactlyOne(s.db.ExecContext(ctx, `UPDATE company_tokens SET api_version = $1 WHERE id = $2`, string(v), id))
}
