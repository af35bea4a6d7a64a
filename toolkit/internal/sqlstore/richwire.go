package sqlstore

import (
	"database/sql"
	"database/sql/driver"
	"encoding/json"
)

// A product's list-valued keys of version 0.6 are stored as the wire JSON
// of the list, written by the SDK's models of its parts (the one source of
// the wire format), so that the list call copies them out as they are. An
// empty list is stored as NULL, which a reader fetches for free and the
// list call writes as []. The schema lets nothing but a JSON array or NULL
// into these columns (migration 0009), which is what makes copying safe.

// jsonList stores a list of the SDK's wire types as its JSON.
type jsonList[T any] struct{ p *[]T }

func listOf[T any](p *[]T) jsonList[T] { return jsonList[T]{p} }

func (jsonList[T]) kind() kind { return kJSON }

func (l jsonList[T]) Value() (driver.Value, error) {
	if len(*l.p) == 0 {
		return nil, nil
	}
	b, err := json.Marshal(*l.p)
	return string(b), err
}

// Scan reads a stored list; NULL and [] both leave the field nil, as an
// import without the key does.
func (l jsonList[T]) Scan(src any) error {
	var s sql.NullString
	if err := s.Scan(src); err != nil {
		return err
	}
	*l.p = nil
	if s.String == "" {
		return nil
	}
	if err := json.Unmarshal([]byte(s.String), l.p); err != nil {
		return err
	}
	if len(*l.p) == 0 {
		*l.p = nil
	}
	return nil
}
