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
	return insert(ctx, s, s.db, auditRows, e, &e.ID)
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
	es, err := all(ctx, s, auditRows, rest, args...)
	if err != nil {
		return nil, err
	}
	for i, j := 0, len(es)-1; i < j; i, j = i+1, j-1 {
		es[i], es[j] = es[j], es[i]
	}
	return es, nil
}

// PurgeAudit implements erp.AuditStore.
func (s *Store) PurgeAudit(ctx context.Context, before time.Time) (int, error) {
	res, err := s.db.ExecContext(ctx, `DELETE FROM audit_log WHERE at < $1`, ts(before))
	if err != nil {
		return 0, s.wrap(err)
	}
	n, err := res.RowsAffected()
	return int(n), s.wrap(err)
}
