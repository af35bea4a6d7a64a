package erp

import (
	"context"
	"iter"
	"time"

	"github.com/cloudspot-toolkit/cloudspot"
)

// The domain's data is kept by one store per aggregate: each interface
// below is one concern, with its part of the conformance suite in package
// storetest (accounts.go, tokens.go, catalogue.go, categories.go,
// signin.go, audit.go, pages.go, console.go). Every method is atomic. Lookups of a missing row
// return an *Error with ENotFound, duplicates EConflict, and an unreachable
// database EUnavailable.

// Store is what a storage engine implements: every aggregate's store on one
// database. A Service takes a Store and hands each of its parts only the
// aggregates that part uses.
type Store interface {
	AccountStore
	TokenStore
	CatalogueStore
	CategorieStore
	SignInStore
	AuditStore
	CataloguePages
	ConsoleStore
	// Ping reports whether the database answers.
	Ping(ctx context.Context) error
	Close() error
}

// AccountStore keeps the companies, their users, the external apps with
// their permission trees, and the users' grants.
type AccountStore interface {
	CreateCompany(ctx context.Context, c *Company) error
	CompanyBySlug(ctx context.Context, slug string) (*Company, error)
	CompanyByID(ctx context.Context, id int64) (*Company, error)
	Companies(ctx context.Context) ([]Company, error)
	// SetCompanyUID replaces a company's uid; another company's uid is
	// EConflict.
	SetCompanyUID(ctx context.Context, companyID int64, uid string) error
	// DeleteCompany deletes a company with its users (their grants and
	// tokens), company tokens, categories, products and clients, all or
	// nothing.
	DeleteCompany(ctx context.Context, id int64) error

	CreateUser(ctx context.Context, u *User) error
	UserByUsername(ctx context.Context, username string) (*User, error)
	UserByID(ctx context.Context, id int64) (*User, error)
	Users(ctx context.Context) ([]User, error)
	SetUserPassword(ctx context.Context, userID int64, hash string) error
	// SetUserPin replaces a user's pin ("" clears it).
	SetUserPin(ctx context.Context, userID int64, pin string) error
	// SetUserActive activates or deactivates a user; deactivating revokes
	// all of the user's tokens in the same transaction.
	SetUserActive(ctx context.Context, userID int64, active bool, now time.Time) error

	CreateApp(ctx context.Context, a *App) error
	AppBySlug(ctx context.Context, slug string) (*App, error)
	Apps(ctx context.Context) ([]App, error)
	// SetAppAPIVersion replaces the version an app's users get by default.
	SetAppAPIVersion(ctx context.Context, appID int64, v APIVersion) error
	// CreatePermission adds a node to an app's tree; a ParentID must name a
	// permission of the same app.
	CreatePermission(ctx context.Context, p *Permission) error
	PermissionBySlug(ctx context.Context, slug string) (*Permission, error)
	// Permissions returns an app's tree, parents before children.
	Permissions(ctx context.Context, appID int64) ([]Permission, error)
	// SetPermissionLabel replaces a permission's label.
	SetPermissionLabel(ctx context.Context, id int64, label string) error
	// DeletePermission deletes a permission with every permission under
	// it and every grant of them, all or nothing, and says how many
	// permissions and grants went.
	DeletePermission(ctx context.Context, id int64) (permissions, grants int, err error)

	// Grant gives a user a permission. A child can be granted only while
	// its parent is (EInvalid otherwise); granting twice is not an error.
	Grant(ctx context.Context, userID, permissionID int64) error
	// Revoke takes a permission and all its descendants from a user.
	Revoke(ctx context.Context, userID, permissionID int64) error
	// Granted returns the user's permissions in one app, parents first.
	Granted(ctx context.Context, userID, appID int64) ([]Permission, error)
}

// TokenStore keeps user tokens and company tokens, by the hash of their
// secret, and the number that tells token checks what changed.
type TokenStore interface {
	CreateUserToken(ctx context.Context, t *UserToken) error
	UserTokenByHash(ctx context.Context, hash []byte) (*UserToken, error)
	TouchUserToken(ctx context.Context, id int64, at time.Time) error
	// RevokeUserTokens revokes every live token of a user and says how many.
	RevokeUserTokens(ctx context.Context, userID int64, at time.Time) (int, error)
	// UserTokens returns a user's tokens, newest first.
	UserTokens(ctx context.Context, userID int64) ([]UserToken, error)
	// RevokeUserToken revokes one token of a user (revoking it again keeps
	// the first revocation time); a token of another user, or none, is
	// ENotFound.
	RevokeUserToken(ctx context.Context, userID, id int64, at time.Time) error
	// PurgeUserTokens deletes the tokens that expired or were revoked
	// before the given time and says how many.
	PurgeUserTokens(ctx context.Context, before time.Time) (int, error)

	CreateCompanyToken(ctx context.Context, t *CompanyToken) error
	CompanyTokenByHash(ctx context.Context, hash []byte) (*CompanyToken, error)
	CompanyTokenByID(ctx context.Context, id int64) (*CompanyToken, error)
	CompanyTokens(ctx context.Context, companyID int64) ([]CompanyToken, error)
	TouchCompanyToken(ctx context.Context, id int64, at time.Time) error
	RevokeCompanyToken(ctx context.Context, id int64, at time.Time) error
	// SetCompanyTokenName replaces a company token's name.
	SetCompanyTokenName(ctx context.Context, id int64, name string) error
	// SetCompanyTokenAPIVersion replaces the version a company token's
	// calls get by default.
	SetCompanyTokenAPIVersion(ctx context.Context, id int64, v APIVersion) error

	// TokenChanges returns a number that moves forward, in the same
	// transaction, whenever a token, a user, a company's uid, an app, a
	// permission or a grant changes in a way a token check could see (not
	// when a token is issued or its use recorded), in this process or any
	// other.
	TokenChanges(ctx context.Context) (int64, error)
}

// CatalogueStore keeps a company's products (artikels), with their
// details, and its clients (klanten): imported in bulk, listed whole or
// streamed row by row as the wire JSON the lists send, which it writes
// with every change that alters it.
type CatalogueStore interface {
	// ImportArtikels creates or updates (by SKU) a company's products as
	// they come, in one transaction: a sequence that ends with an error
	// changes nothing. A SKU that comes twice is written twice, counting
	// once as created and then as updated. A product's categories are
	// named by id (CategorieID, Categorieen[i].ID; names are ignored) and
	// must be the company's (EInvalid otherwise). A product with
	// KeepDetails writes the protocol's fields alone and keeps its stored
	// details (counted in Kept when it has any); without KeepDetails its
	// details are replaced whole.
	ImportArtikels(ctx context.Context, companyID int64, artikels iter.Seq2[ArtikelImport, error]) (ImportResult, error)
	// Artikels returns a company's products in creation order, with their
	// details and their categories' current names.
	Artikels(ctx context.Context, companyID int64) ([]StoredArtikel, error)
	// Artikel returns one product of a company by id; another company's
	// product is ENotFound.
	Artikel(ctx context.Context, companyID, id int64) (*StoredArtikel, error)
	// ImportKlanten creates or updates (by klantennummer) a company's
	// clients as ImportArtikels does products.
	ImportKlanten(ctx context.Context, companyID int64, klanten iter.Seq2[cloudspot.Klant, error]) (ImportResult, error)
	// Klanten returns a company's clients by client number.
	Klanten(ctx context.Context, companyID int64) ([]StoredKlant, error)
	// CatalogueStamp returns the stamp of a company's catalogue: a number
	// that changes, in the same transaction, with every change of what the
	// company's lists send (an import of its products or clients, a
	// renamed or deleted category), in this process or any other. Two lists
	// read at the same stamp are the same bytes.
	CatalogueStamp(ctx context.Context, companyID int64) (int64, error)
	// StreamList passes a company's list in body to fn, one encoded row at
	// a time (products in creation order, clients by client number), from
	// one consistent snapshot, whose stamp it passes to stamp first: an
	// error from stamp ends it before any row.
	StreamList(ctx context.Context, companyID int64, body ListBody, stamp func(int64) error, fn RowFunc) error
	// StreamArtikel passes one product of a company to fn, encoded with its
	// id, with its details or without; another company's product, or none,
	// is ENotFound.
	StreamArtikel(ctx context.Context, companyID, id int64, details bool, fn RowFunc) error
}

// CategorieStore keeps each company's category tree. Its changes (imports,
// renames, moves, deletions) hold the company for their transaction, so
// that each one sees the tree as the one before it left it.
type CategorieStore interface {
	// ImportCategorieen creates a company's missing categories, found by
	// parent and naam, in one transaction, as they come: each record's
	// Parents must name existing categories or ones created earlier in the
	// sequence (EInvalid otherwise), and the company may not pass
	// MaxCompanyCategorieen (EInvalid, checked under the import's lock).
	// Existing categories keep their id and place and count as updated; a
	// new one goes after its siblings.
	ImportCategorieen(ctx context.Context, companyID int64, cats iter.Seq2[NewCategorie, error]) (ImportResult, error)
	// Categorieen returns a company's categories by id. A moved category
	// may come before its parent.
	Categorieen(ctx context.Context, companyID int64) ([]StoredCategorie, error)
	// CategorieSubtree returns a company's category id and its descendants
	// (at most MaxCategorieDepth levels) by id; none when id is not the
	// company's.
	CategorieSubtree(ctx context.Context, companyID, id int64) ([]StoredCategorie, error)
	// RenameCategorie renames a company's category: another company's or
	// none is ENotFound, a sibling of that name EConflict.
	RenameCategorie(ctx context.Context, companyID, id int64, naam string) error
	// MoveCategorie puts a company's category under parentID (0: among the
	// roots), after the children parentID has. In the same transaction, and
	// alone among the changes of the company's categories, it first passes
	// them as they stand to check: an error from check refuses the move, so
	// that two moves at once are judged each on the other's result. A
	// sibling of the same name is EConflict.
	MoveCategorie(ctx context.Context, companyID, id, parentID int64, check func([]StoredCategorie) error) error
	// DeleteCategorieen deletes the company's categories that plan, given
	// them as they stand in the same transaction (alone among the changes
	// of the company's categories), returns, children before their parent.
	// Products keep their place but lose the deleted categories from
	// their list, and a product whose main category is deleted has none.
	// An error from plan deletes nothing.
	DeleteCategorieen(ctx context.Context, companyID int64, plan func([]StoredCategorie) ([]int64, error)) (CategorieDeletion, error)
}

// SignInStore keeps the sign-in counters that SignInLimits are checked
// against and the addresses users signed in from, shared by every process
// on the database.
type SignInStore interface {
	// CountSignIn counts one sign-in attempt against every key, atomically
	// and before the password is checked: when a key's limit is used up it
	// counts nothing and returns that key's index in keys and when its
	// window ends; otherwise it returns -1 and the zero time. Concurrent
	// callers, in this process or in any other on the same database, each
	// see their own count.
	CountSignIn(ctx context.Context, keys []LimitKey, now time.Time) (blockedBy int, blockedUntil time.Time, err error)
	// RefundSignIn undoes what a sign-in whose password was right counted:
	// it clears the keys marked Forget and takes one attempt back from the
	// others.
	RefundSignIn(ctx context.Context, keys []LimitKey, now time.Time) error
	// PurgeSignInCounts deletes the counters whose window ended before now
	// and says how many.
	PurgeSignInCounts(ctx context.Context, now time.Time) (int, error)

	// RememberAddress records that a user signed in from the address that
	// a.Key stands for, until a.Until (a later sign-in moves it), and
	// keeps only the user's keep newest addresses (by Until).
	RememberAddress(ctx context.Context, a KnownAddress, keep int) error
	// IsKnownAddress reports whether key stands for an address that is
	// remembered after now.
	IsKnownAddress(ctx context.Context, key []byte, now time.Time) (bool, error)
	// PurgeKnownAddresses deletes the addresses remembered until before
	// now and says how many.
	PurgeKnownAddresses(ctx context.Context, now time.Time) (int, error)
}

// AuditStore keeps the audit log.
type AuditStore interface {
	// AddAudit appends an entry to the audit log and sets its ID.
	AddAudit(ctx context.Context, e *AuditEvent) error
	// AddAuditAttempt adds one attempt to the entry that key names and
	// reports whether there is one; without one it changes nothing.
	AddAuditAttempt(ctx context.Context, key []byte) (bool, error)
	// AddAggregateAudit appends e as the entry that key names; when another
	// writer appended that entry first, it adds e.Attempts to it instead.
	// e.Username may be what a client typed: the entry keeps it only when
	// a user of that name exists, decided in the same statement.
	AddAggregateAudit(ctx context.Context, key []byte, e *AuditEvent) error
	// Audit returns the entries f selects, oldest first.
	Audit(ctx context.Context, f AuditFilter) ([]AuditEvent, error)
	// PurgeAudit deletes the entries older than before and says how many.
	PurgeAudit(ctx context.Context, before time.Time) (int, error)
}

// CataloguePages reads a company's catalogue a page at a time, for people
// who browse it: a page costs the rows it shows (and, with a filter, the
// rows it passes over), whatever the size of the catalogue, and starts
// where the previous one ended (keyset pagination, not OFFSET).
type CataloguePages interface {
	// ArtikelPage passes keep a company's products with their details and
	// their categories' current names, by id from r, until keep kept
	// limit of them, and returns those in id order. A nil keep keeps all.
	ArtikelPage(ctx context.Context, companyID int64, r KeyRange, limit int, keep func(*StoredArtikel) bool) ([]StoredArtikel, error)
	// KlantPage is ArtikelPage for clients, by client number.
	KlantPage(ctx context.Context, companyID int64, r KeyRange, limit int, keep func(*StoredKlant) bool) ([]StoredKlant, error)
	// CatalogueCounts counts a company's products, clients and categories.
	CatalogueCounts(ctx context.Context, companyID int64) (CatalogueCounts, error)
}

// KeyRange is where a page starts: after the key After, going up, or
// (Before > 0) below the key Before, going down, so that a page's rows are
// the limit nearest Before. Both zero is from the first key up.
type KeyRange struct {
	After, Before int64
}

// ConsoleStore keeps the web console's own accounts and their sessions,
// by the hash of the session's secret.
type ConsoleStore interface {
	CreateConsoleUser(ctx context.Context, u *ConsoleUser) error
	ConsoleUserByUsername(ctx context.Context, username string) (*ConsoleUser, error)
	// ConsoleUsers returns every console user by username.
	ConsoleUsers(ctx context.Context) ([]ConsoleUser, error)
	// SetConsoleUserPassword replaces a console user's password hash and
	// ends their sessions, in one transaction.
	SetConsoleUserPassword(ctx context.Context, id int64, hash string) error
	// SetConsoleUserActive activates or deactivates a console user;
	// deactivating ends their sessions in the same transaction.
	SetConsoleUserActive(ctx context.Context, id int64, active bool) error

	CreateConsoleSession(ctx context.Context, s *ConsoleSession) error
	// ConsoleSessionByHash returns a session with its user.
	ConsoleSessionByHash(ctx context.Context, hash []byte) (*ConsoleSession, *ConsoleUser, error)
	// TouchConsoleSession records that a session was used at a time.
	TouchConsoleSession(ctx context.Context, id int64, at time.Time) error
	// DeleteConsoleSession ends a session; one that is gone is no error.
	DeleteConsoleSession(ctx context.Context, id int64) error
	// PurgeConsoleSessions deletes the sessions last seen before idle or
	// created before started, and says how many.
	PurgeConsoleSessions(ctx context.Context, idle, started time.Time) (int, error)
	// ConsoleKey returns the key that every process serving the console
	// signs its forms with: the one stored, or fresh when none is stored
	// yet, which is then stored. Processes starting together all get the
	// one that was stored first.
	ConsoleKey(ctx context.Context, fresh []byte) ([]byte, error)
}
