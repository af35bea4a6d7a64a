package sqlstore

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
)

// AddAudit implements erp.AuditStore.
func (s *Store) AddAudit(ctx context.Context, e *erp.AuditEvent) error {
	r := auditRow{AuditEvent: *e}
	r.Attempts = max(r.Attempts, 1)
	return s.write(ctx, func() error { return insert(ctx, s, s.db, auditRows, &r, &e.ID) })
}

// AddAuditAttempt implements erp.AuditStore.
func (s *Store) AddAuditAttempt(ctx context.Context, key []byte) (bool, error) {
	res, err := s.exec(ctx, `UPDATE audit_log SET attempts = attempts + 1 WHERE aggregate_key = $1`, key)
	if err != nil {
		return false, s.wrap(err)
	}
	n, err := res.RowsAffected()
	return n > 0, s.wrap(err)
}

// addAggregateAudit appends an aggregate entry, or adds its attempts to
// the one a concurrent writer appended first. The username is kept only
// when a user of that name exists: it may be what a client typed.
const addAggregateAudit = `INSERT INTO audit_log (at, action, username, app, address, detail, attempts, aggregate_key, actor, company)
	VALUES ($1, $2, CASE WHEN EXISTS (SELECT 1 FROM users WHERE username = $3) THEN $3 ELSE '' END, $4, $5, $6, $7, $8, $9, $10)
	ON CONFLICT (aggregate_key) DO UPDATE SET attempts = audit_log.attempts + excluded.attempts
	RETURNING id`

// AddAggregateAudit implements erp.AuditStore.
func (s *Store) AddAggregateAudit(ctx context.Context, key []byte, e *erp.AuditEvent) error {
	if len(key) == 0 {
		return erp.Errorf(erp.EInvalid, "an aggregate audit entry needs a key")
	}
	args := []any{ts(e.At), e.Action, e.Username, e.App, e.Address, e.Detail, max(e.Attempts, 1), key, e.Actor, e.Company}
	if err := checkText(args...); err != nil {
		return err
	}
	return s.write(ctx, func() error { return s.wrap(s.db.QueryRowContext(ctx, addAggregateAudit, args...).Scan(&e.ID)) })
}

// Audit implements erp.AuditStore.
func (s *Store) Audit(ctx context.Context, f erp.AuditFilter) ([]erp.AuditEvent, error) {
	var where []string
	var args []any
	add := func(cond string, arg any) {
		args = append(args, arg)
		where = append(where, strings.ReplaceAll(cond, "$?", "$"+strconv.Itoa(len(args))))
	}
	if !f.Since.IsZero() {
		add(`at >= $?`, ts(f.Since))
	}
	if !f.Until.IsZero() {
		add(`at < $?`, ts(f.Until))
	}
	if f.Username != "" {
		add(`username = $?`, f.Username)
	}
	if f.Actor != "" {
		add(`actor = $?`, f.Actor)
	}
	if f.Company != "" {
		add(`company = $?`, f.Company)
	}
	if f.BeforeID > 0 {
		add(`id < $?`, f.BeforeID)
	}
	if a, ok := strings.CutSuffix(f.Action, "."); ok {
		// A prefix: compare the start, which no LIKE wildcard can widen.
		add(`substr(action, 1, `+strconv.Itoa(len(a)+1)+`) = $?`, a+".")
	} else if f.Action != "" {
		add(`action = $?`, f.Action)
	}
	rest := ""
	if len(where) > 0 {
		rest = `WHERE ` + strings.Join(where, ` AND `)
	}
	rest += ` ORDER BY id DESC`
	if f.Limit > 0 {
		rest += ` LIMIT ` + strconv.Itoa(f.Limit)
	}
	rows, err := all(ctx, s, auditRows, rest, args...)
	if err != nil {
		return nil, err
	}
	// Newest first from the query, oldest first to the caller.
	es := make([]erp.AuditEvent, len(rows))
	for i, r := range rows {
		es[len(rows)-1-i] = r.AuditEvent
	}
	return es, nil
}

// PurgeAudit implements erp.AuditStore.
func (s *Store) PurgeAudit(ctx context.Context, before time.Time) (int, error) {
	res, err := s.exec(ctx, `DELETE FROM audit_log WHERE at < $1`, ts(before))
	if err != nil {
		return 0, s.wrap(err)
	}
	n, err := res.RowsAffected()
	return int(n), s.wrap(err)
}
