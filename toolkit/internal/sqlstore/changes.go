package sqlstore

import "context"

const tokenChangesSQL = `SELECT n FROM token_changes WHERE id = 1`

// TokenChanges implements erp.Store. The triggers of the token_changes
// migration move the number; it is bookkeeping, not data, so Copy leaves it
// to the target's own triggers.
func (s *Store) TokenChanges(ctx context.Context) (int64, error) {
	var n int64
	err := s.changes.QueryRowContext(ctx).Scan(&n)
	return n, s.wrap(err)
}
