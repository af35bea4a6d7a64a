package sqlstore

import (
	"database/sql"
	"database/sql/driver"
	"encoding"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
)

// Each table's columns are listed once, below, each bound to the field that
// carries it. The SELECT lists, the scans, the inserts and Copy are derived
// from these lists, and a test holds every engine's migrations to them, so a
// column added in one place cannot be missed in another.

// kind is how a column is stored, the same in every engine (SQLite keeps
// booleans as integers, PostgreSQL as BOOLEAN: each reads back as a bool).
type kind byte

const (
	kInt   kind = 'i' // integer; ids, Unix microseconds
	kText  kind = 's' // text; also decimals and dates in their text form
	kBool  kind = 'b'
	kBytes kind = 'x'
	// kJSON is a JSON array kept as its text, or NULL: the database
	// refuses any other value (a CHECK in SQLite, the json type and a
	// CHECK in PostgreSQL), so that readers may copy it into a body
	// unchecked.
	kJSON kind = 'j'
)

// String names the kind as the schema test reports it.
func (k kind) String() string {
	switch k {
	case kInt:
		return "integer"
	case kText:
		return "text"
	case kBool:
		return "boolean"
	case kBytes:
		return "bytes"
	case kJSON:
		return "json"
	}
	return "kind " + strconv.Itoa(int(k))
}

// column is one column of a table as Copy sees it.
type column struct {
	name string
	kind kind
}

// table is a table as Copy sees it, whatever the Go type of its rows.
type table struct {
	name string
	cols []column
}

// order is what Copy sorts rows by, so that a row comes after the rows it
// refers to (a parent permission has the smaller id). JSON columns are left
// out: PostgreSQL's json type has no order.
func (t table) order() string {
	if t.cols[0].name == "id" {
		return "id"
	}
	var names []string
	for _, c := range t.cols {
		if c.kind != kJSON {
			names = append(names, c.name)
		}
	}
	return strings.Join(names, ", ")
}

// selectAll is the query Copy reads a table with, in order(). Categories
// go level by level, roots first: a moved category can have a smaller id
// than its new parent.
func (t table) selectAll() string {
	if t.name != "categories" {
		return `SELECT ` + t.list("") + ` FROM ` + t.name + ` ORDER BY ` + t.order()
	}
	return `WITH RECURSIVE level (id, n) AS (
			SELECT id, 0 FROM categories WHERE parent_id IS NULL
			UNION ALL SELECT c.id, level.n + 1 FROM categories c JOIN level ON c.parent_id = level.id)
		SELECT ` + t.list("c") + ` FROM categories c JOIN level ON level.id = c.id ORDER BY level.n, c.id`
}

// list is the comma-separated column names, each prefixed with alias and a
// dot when alias is set.
func (t table) list(alias string) string {
	names := make([]string, len(t.cols))
	for i, c := range t.cols {
		names[i] = c.name
		if alias != "" {
			names[i] = alias + "." + c.name
		}
	}
	return strings.Join(names, ", ")
}

// field binds a column to the field of T that carries it: ref returns a
// pointer to the field, or a wrapper of one that converts the field to and
// from how it is stored.
type field[T any] struct {
	name string
	ref  func(*T) any
}

// tableOf is a table whose rows are values of T.
type tableOf[T any] struct {
	table
	fields []field[T]
}

func newRows[T any](name string, fields ...field[T]) tableOf[T] {
	r := tableOf[T]{table: table{name: name}, fields: fields}
	var zero T
	for _, f := range fields {
		r.cols = append(r.cols, column{f.name, kindOf(f.ref(&zero))})
	}
	return r
}

// kindOf derives how a column is stored from what its field's ref returns.
func kindOf(ref any) kind {
	if s, ok := ref.(interface{ kind() kind }); ok {
		return s.kind()
	}
	switch t := reflect.TypeOf(ref); {
	case t.Kind() != reflect.Pointer:
	case t.Elem().Kind() == reflect.Int64:
		return kInt
	case t.Elem().Kind() == reflect.String:
		return kText
	case t.Elem().Kind() == reflect.Bool:
		return kBool
	case t.Elem() == reflect.TypeFor[[]byte]():
		return kBytes
	}
	panic(fmt.Sprintf("sqlstore: no column kind for %T", ref))
}

// scanner is what *sql.Row and *sql.Rows share.
type scanner interface{ Scan(...any) error }

// scan reads one row selected with list into a new T.
func (r tableOf[T]) scan(row scanner) (*T, error) {
	v := new(T)
	dest := make([]any, len(r.fields))
	for i, f := range r.fields {
		dest[i] = f.ref(v)
	}
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	return v, nil
}

// values returns the stored form of v's columns, leaving out those named in
// skip, in list order.
func (r tableOf[T]) values(v *T, skip ...string) ([]any, error) {
	out := make([]any, 0, len(r.fields))
	for _, f := range r.fields {
		if contains(skip, f.name) {
			continue
		}
		a, err := storedValue(f.ref(v))
		if err != nil {
			return nil, fmt.Errorf("%s.%s: %w", r.name, f.name, err)
		}
		out = append(out, a)
	}
	return out, nil
}

// storedValue is what database/sql's default converter makes of ref, with
// the common kinds first, since an import converts every field of every
// record.
func storedValue(ref any) (driver.Value, error) {
	switch p := ref.(type) {
	case *string:
		return *p, nil
	case *int64:
		return *p, nil
	case *bool:
		return *p, nil
	case driver.Valuer:
		return p.Value()
	}
	return driver.DefaultParameterConverter.ConvertValue(ref)
}

// insertSQL inserts every column but id and returns the new row's id.
func (r tableOf[T]) insertSQL() string {
	cols := r.without("id")
	return `INSERT INTO ` + r.name + ` (` + strings.Join(cols, ", ") + `) VALUES (` + params(1, len(cols)) + `) RETURNING id`
}

// without returns the column names but those in skip.
func (r tableOf[T]) without(skip ...string) []string {
	var out []string
	for _, c := range r.cols {
		if !contains(skip, c.name) {
			out = append(out, c.name)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// params returns n placeholders numbered from first: "$1, $2, $3".
func params(first, n int) string {
	ps := make([]string, n)
	for i := range ps {
		ps[i] = "$" + strconv.Itoa(first+i)
	}
	return strings.Join(ps, ", ")
}

// micros stores a time as Unix microseconds: exact, sortable and the same
// in every engine. The zero time is NULL.
type micros struct{ t *time.Time }

func (micros) kind() kind { return kInt }

func (m micros) Value() (driver.Value, error) { return ts(*m.t), nil }

func (m micros) Scan(src any) error {
	var v sql.NullInt64
	if err := v.Scan(src); err != nil {
		return err
	}
	*m.t = fromTS(v)
	return nil
}

// optionalID stores an id where 0 means none as NULL.
type optionalID struct{ id *int64 }

func (optionalID) kind() kind { return kInt }

func (o optionalID) Value() (driver.Value, error) { return nullID(*o.id), nil }

func (o optionalID) Scan(src any) error {
	var v sql.NullInt64
	if err := v.Scan(src); err != nil {
		return err
	}
	*o.id = v.Int64
	return nil
}

// optionalBytes stores bytes where none means none as NULL.
type optionalBytes struct{ b *[]byte }

func (optionalBytes) kind() kind { return kBytes }

func (o optionalBytes) Value() (driver.Value, error) {
	if len(*o.b) == 0 {
		return nil, nil
	}
	return *o.b, nil
}

func (o optionalBytes) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*o.b = nil
	case []byte:
		*o.b = append([]byte(nil), v...)
	default:
		return fmt.Errorf("sqlstore: bytes from %T", src)
	}
	return nil
}

// textual stores a value in its text form: decimals exact and with their
// scale, dates as "YYYY-MM-DD" ("" when unset).
type textual struct {
	v interface {
		encoding.TextMarshaler
		encoding.TextUnmarshaler
	}
}

func (textual) kind() kind { return kText }

func (t textual) Value() (driver.Value, error) {
	b, err := t.v.MarshalText()
	return string(b), err
}

func (t textual) Scan(src any) error {
	var s sql.NullString
	if err := s.Scan(src); err != nil {
		return err
	}
	return t.v.UnmarshalText([]byte(s.String))
}

// grant is a row of grants, which has no domain type of its own.
type grant struct{ UserID, PermissionID int64 }

// productCategory is a row of product_categories: a product is in a
// category, at a place in its list.
type productCategory struct{ ProductID, Position, CategoryID int64 }

// productRow is a row of products, and of product_details with it: a
// product with its wire JSON, the object of the protocol's keys (wire) and
// the fragment of its details (detailsWire), as package wirerow writes
// them.
type productRow struct {
	erp.StoredArtikel
	wire, detailsWire string
}

// clientRow is a row of clients: a client with its wire JSON.
type clientRow struct {
	erp.StoredKlant
	wire string
}

// catalogueStamp is a row of catalogue_stamps (see erp.CatalogueStore's
// CatalogueStamp).
type catalogueStamp struct{ CompanyID, Stamp int64 }

// consoleKey is the row of console_keys (see ConsoleKey).
type consoleKey struct {
	ID     int64
	Secret []byte
}

// auditRow is a row of audit_log: an entry, and the key of the aggregate
// whose attempts it counts (nil for an entry of its own).
type auditRow struct {
	erp.AuditEvent
	AggregateKey []byte
}

// signInCount is a row of sign_in_counts (see CountSignIn).
type signInCount struct {
	Key        []byte
	Attempts   int64
	WindowEnds time.Time
}

func f[T any](name string, ref func(*T) any) field[T] { return field[T]{name, ref} }

var (
	companyRows = newRows("companies",
		f("id", func(c *erp.Company) any { return &c.ID }),
		f("slug", func(c *erp.Company) any { return &c.Slug }),
		f("name", func(c *erp.Company) any { return &c.Name }),
		f("created_at", func(c *erp.Company) any { return micros{&c.CreatedAt} }),
		f("uid", func(c *erp.Company) any { return &c.UID }),
	)
	userRows = newRows("users",
		f("id", func(u *erp.User) any { return &u.ID }),
		f("username", func(u *erp.User) any { return &u.Username }),
		f("password_hash", func(u *erp.User) any { return &u.PasswordHash }),
		f("first_name", func(u *erp.User) any { return &u.FirstName }),
		f("last_name", func(u *erp.User) any { return &u.LastName }),
		f("email", func(u *erp.User) any { return &u.Email }),
		f("company_id", func(u *erp.User) any { return &u.CompanyID }),
		f("active", func(u *erp.User) any { return &u.Active }),
		f("created_at", func(u *erp.User) any { return micros{&u.CreatedAt} }),
		f("pin", func(u *erp.User) any { return &u.Pin }),
	)
	appRows = newRows("apps",
		f("id", func(a *erp.App) any { return &a.ID }),
		f("slug", func(a *erp.App) any { return &a.Slug }),
		f("name", func(a *erp.App) any { return &a.Name }),
		f("created_at", func(a *erp.App) any { return micros{&a.CreatedAt} }),
		f("api_version", func(a *erp.App) any { return (*string)(&a.APIVersion) }),
	)
	permissionRows = newRows("permissions",
		f("id", func(p *erp.Permission) any { return &p.ID }),
		f("app_id", func(p *erp.Permission) any { return &p.AppID }),
		f("slug", func(p *erp.Permission) any { return &p.Slug }),
		f("label", func(p *erp.Permission) any { return &p.Label }),
		f("parent_id", func(p *erp.Permission) any { return optionalID{&p.ParentID} }),
	)
	grantRows = newRows("grants",
		f("user_id", func(g *grant) any { return &g.UserID }),
		f("permission_id", func(g *grant) any { return &g.PermissionID }),
	)
	auditRows = newRows("audit_log",
		f("id", func(e *auditRow) any { return &e.ID }),
		f("at", func(e *auditRow) any { return micros{&e.At} }),
		f("action", func(e *auditRow) any { return &e.Action }),
		f("username", func(e *auditRow) any { return &e.Username }),
		f("app", func(e *auditRow) any { return &e.App }),
		f("address", func(e *auditRow) any { return &e.Address }),
		f("detail", func(e *auditRow) any { return &e.Detail }),
		f("actor", func(e *auditRow) any { return &e.Actor }),
		f("company", func(e *auditRow) any { return &e.Company }),
		f("attempts", func(e *auditRow) any { return &e.Attempts }),
		f("aggregate_key", func(e *auditRow) any { return optionalBytes{&e.AggregateKey} }),
	)
	consoleUserRows = newRows("console_users",
		f("id", func(u *erp.ConsoleUser) any { return &u.ID }),
		f("username", func(u *erp.ConsoleUser) any { return &u.Username }),
		f("password_hash", func(u *erp.ConsoleUser) any { return &u.PasswordHash }),
		f("active", func(u *erp.ConsoleUser) any { return &u.Active }),
		f("created_at", func(u *erp.ConsoleUser) any { return micros{&u.CreatedAt} }),
	)
	consoleKeyRows = newRows("console_keys",
		f("id", func(k *consoleKey) any { return &k.ID }),
		f("secret", func(k *consoleKey) any { return &k.Secret }),
	)
	consoleSessionRows = newRows("console_sessions",
		f("id", func(s *erp.ConsoleSession) any { return &s.ID }),
		f("hash", func(s *erp.ConsoleSession) any { return &s.Hash }),
		f("user_id", func(s *erp.ConsoleSession) any { return &s.UserID }),
		f("created_at", func(s *erp.ConsoleSession) any { return micros{&s.CreatedAt} }),
		f("last_seen_at", func(s *erp.ConsoleSession) any { return micros{&s.LastSeenAt} }),
	)
	signInCountRows = newRows("sign_in_counts",
		f("key", func(c *signInCount) any { return &c.Key }),
		f("attempts", func(c *signInCount) any { return &c.Attempts }),
		f("window_ends", func(c *signInCount) any { return micros{&c.WindowEnds} }),
	)
	knownAddressRows = newRows("known_addresses",
		f("key", func(a *erp.KnownAddress) any { return &a.Key }),
		f("user_id", func(a *erp.KnownAddress) any { return &a.UserID }),
		f("expires_at", func(a *erp.KnownAddress) any { return micros{&a.Until} }),
	)
	userTokenRows = newRows("user_tokens",
		f("id", func(t *erp.UserToken) any { return &t.ID }),
		f("hash", func(t *erp.UserToken) any { return &t.Hash }),
		f("user_id", func(t *erp.UserToken) any { return &t.UserID }),
		f("app_slug", func(t *erp.UserToken) any { return &t.AppSlug }),
		f("created_at", func(t *erp.UserToken) any { return micros{&t.CreatedAt} }),
		f("last_used_at", func(t *erp.UserToken) any { return micros{&t.LastUsedAt} }),
		f("expires_at", func(t *erp.UserToken) any { return micros{&t.ExpiresAt} }),
		f("revoked_at", func(t *erp.UserToken) any { return micros{&t.RevokedAt} }),
	)
	companyTokenRows = newRows("company_tokens",
		f("id", func(t *erp.CompanyToken) any { return &t.ID }),
		f("hash", func(t *erp.CompanyToken) any { return &t.Hash }),
		f("name", func(t *erp.CompanyToken) any { return &t.Name }),
		f("company_id", func(t *erp.CompanyToken) any { return &t.CompanyID }),
		f("can_products", func(t *erp.CompanyToken) any { return &t.Rights.Artikels }),
		f("can_clients", func(t *erp.CompanyToken) any { return &t.Rights.Klanten }),
		f("created_at", func(t *erp.CompanyToken) any { return micros{&t.CreatedAt} }),
		f("last_used_at", func(t *erp.CompanyToken) any { return micros{&t.LastUsedAt} }),
		f("revoked_at", func(t *erp.CompanyToken) any { return micros{&t.RevokedAt} }),
		f("api_version", func(t *erp.CompanyToken) any { return (*string)(&t.APIVersion) }),
	)
	productRows = newRows("products",
		f("id", func(p *productRow) any { return &p.ID }),
		f("company_id", func(p *productRow) any { return &p.CompanyID }),
		f("naam", func(p *productRow) any { return &p.Naam }),
		f("beschrijving", func(p *productRow) any { return &p.Beschrijving }),
		f("sku", func(p *productRow) any { return &p.SKU }),
		f("voorraad_bijhouden", func(p *productRow) any { return (*string)(&p.VoorraadBijhouden) }),
		f("op_voorraad", func(p *productRow) any { return textual{&p.OpVoorraad} }),
		f("product_url", func(p *productRow) any { return &p.ProductURL }),
		f("verkoopprijs_excl", func(p *productRow) any { return textual{&p.VerkoopprijsExcl} }),
		f("verkoopprijs_incl", func(p *productRow) any { return textual{&p.VerkoopprijsIncl} }),
		f("inkoopprijs_excl", func(p *productRow) any { return textual{&p.InkoopprijsExcl} }),
		f("inkoopprijs_incl", func(p *productRow) any { return textual{&p.InkoopprijsIncl} }),
		f("btw", func(p *productRow) any { return textual{&p.BTW} }),
		f("bestellingtype", func(p *productRow) any { return (*string)(&p.Bestellingtype) }),
		f("units_per_bestelling", func(p *productRow) any { return textual{&p.UnitsPerBestelling} }),
		f("status", func(p *productRow) any { return (*string)(&p.Status) }),
		f("wire", func(p *productRow) any { return &p.wire }),
	)
	categoryRows = newRows("categories",
		f("id", func(c *erp.StoredCategorie) any { return &c.ID }),
		f("company_id", func(c *erp.StoredCategorie) any { return &c.CompanyID }),
		f("parent_id", func(c *erp.StoredCategorie) any { return optionalID{&c.ParentID} }),
		f("naam", func(c *erp.StoredCategorie) any { return &c.Naam }),
		f("position", func(c *erp.StoredCategorie) any { return &c.Position }),
	)
	// detailRows are a product's details but its categories (see
	// productCategoryRows); the lists are kept as their wire JSON.
	detailRows = newRows("product_details",
		f("product_id", func(p *productRow) any { return &p.ID }),
		f("interne_notitie", func(p *productRow) any { return &p.InterneNotitie }),
		f("merk", func(p *productRow) any { return &p.Merk }),
		f("merk_id", func(p *productRow) any { return optionalID{&p.MerkID} }),
		f("categorie_id", func(p *productRow) any { return optionalID{&p.CategorieID} }),
		f("fotos", func(p *productRow) any { return listOf(&p.Fotos) }),
		f("prijscategorieen", func(p *productRow) any { return listOf(&p.Prijscategorieen) }),
		f("ean", func(p *productRow) any { return listOf(&p.EAN) }),
		f("samenstellingen", func(p *productRow) any { return listOf(&p.Samenstellingen) }),
		f("ruwe_grondstoffen", func(p *productRow) any { return listOf(&p.RuweGrondstoffen) }),
		f("gebruiksaanwijzingen", func(p *productRow) any { return listOf(&p.Gebruiksaanwijzingen) }),
		f("meer_info", func(p *productRow) any { return listOf(&p.MeerInfo) }),
		f("wire", func(p *productRow) any { return &p.detailsWire }),
	)
	productCategoryRows = newRows("product_categories",
		f("product_id", func(l *productCategory) any { return &l.ProductID }),
		f("position", func(l *productCategory) any { return &l.Position }),
		f("category_id", func(l *productCategory) any { return &l.CategoryID }),
	)
	clientRows = newRows("clients",
		f("id", func(c *clientRow) any { return &c.ID }),
		f("company_id", func(c *clientRow) any { return &c.CompanyID }),
		f("klantennummer", func(c *clientRow) any { return &c.Klantennummer }),
		f("aanspreektitel", func(c *clientRow) any { return (*string)(&c.Aanspreektitel) }),
		f("voornaam", func(c *clientRow) any { return &c.Voornaam }),
		f("achternaam", func(c *clientRow) any { return &c.Achternaam }),
		f("straat", func(c *clientRow) any { return &c.Straat }),
		f("huisnummer", func(c *clientRow) any { return &c.Huisnummer }),
		f("busnummer", func(c *clientRow) any { return &c.Busnummer }),
		f("postcode", func(c *clientRow) any { return &c.Postcode }),
		f("plaats", func(c *clientRow) any { return &c.Plaats }),
		f("land", func(c *clientRow) any { return &c.Land }),
		f("geboortedatum", func(c *clientRow) any { return textual{&c.Geboortedatum} }),
		f("geboorteplaats", func(c *clientRow) any { return &c.Geboorteplaats }),
		f("is_bedrijf", func(c *clientRow) any { return &c.IsBedrijf }),
		f("bedrijfsnaam", func(c *clientRow) any { return &c.Bedrijfsnaam }),
		f("btw_nummer", func(c *clientRow) any { return &c.BTWNummer }),
		f("ondernemingsnummer", func(c *clientRow) any { return &c.Ondernemingsnummer }),
		f("wire", func(c *clientRow) any { return &c.wire }),
	)
	stampRows = newRows("catalogue_stamps",
		f("company_id", func(c *catalogueStamp) any { return &c.CompanyID }),
		f("stamp", func(c *catalogueStamp) any { return &c.Stamp }),
	)
)

// tables lists every table of the schema in dependency order: each table
// refers only to tables above it.
var tables = []table{
	companyRows.table, stampRows.table, userRows.table, appRows.table, permissionRows.table, grantRows.table,
	userTokenRows.table, companyTokenRows.table, productRows.table, categoryRows.table, detailRows.table,
	productCategoryRows.table, clientRows.table,
	signInCountRows.table, auditRows.table, knownAddressRows.table, consoleUserRows.table, consoleSessionRows.table, consoleKeyRows.table,
}
