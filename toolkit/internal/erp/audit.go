package erp

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// AuditEvent is one entry of the audit log: who signed in or failed to,
// who was throttled, which tokens were issued and revoked, and every change
// an administrator made. It never holds a password or a token: a token is
// named by its id, and a failed sign-in's username only when that user
// exists (people type their password into the username field).
type AuditEvent struct {
	ID       int64
	At       time.Time
	Action   string // one of the Audit* constants
	Username string // the account concerned, if any
	App      string // the requesting app of a sign-in
	Address  string // the client address of a sign-in
	Detail   string
	// Actor is who made the change: CLIActor, ConsoleActor(name), or ""
	// for what a client of the API did (a sign-in). The Service takes it
	// from the context of the call (WithActor).
	Actor string
	// Company is the slug of the company a change concerns, "" for none
	// (an app, a sign-in).
	Company string
	// Attempts is how many sign-in attempts the entry stands for: failed
	// and refused sign-ins of one username in one minute share an entry
	// (its App and Address are the first attempt's), and the entry of
	// those past the budget counts them all. Every other entry is 1.
	Attempts int64
}

// Audit actions.
const (
	AuditSignIn                 = "signin.success"
	AuditSignInFailed           = "signin.failure"
	AuditThrottled              = "signin.throttled"
	AuditSuppressed             = "signin.suppressed"
	AuditSignOut                = "signout"
	AuditUserTokens             = "user.tokens.revoke"
	AuditCompanyToken           = "company.token.issue"
	AuditCompanyRevoke          = "company.token.revoke"
	AuditCompanyCreate          = "company.create"
	AuditCompanyDelete          = "company.delete"
	AuditUserCreate             = "user.create"
	AuditUserPassword           = "user.password"
	AuditUserActivate           = "user.activate"
	AuditUserDeactivate         = "user.deactivate"
	AuditAppCreate              = "app.create"
	AuditPermissionAdd          = "permission.add"
	AuditGrant                  = "permission.grant"
	AuditRevoke                 = "permission.revoke"
	AuditImportArtikels         = "import.artikels"
	AuditImportKlanten          = "import.klanten"
	AuditCompanyUID             = "company.uid"
	AuditUserPin                = "user.pin"
	AuditAppAPIVersion          = "app.api_version"
	AuditImportCategorieen      = "import.categorieen"
	AuditCompanyTokenAPIVersion = "company.token.api_version"
	AuditCategorieRename        = "categorie.rename"
	AuditCategorieMove          = "categorie.move"
	AuditCategorieDelete        = "categorie.delete"
	AuditPermissionRename       = "permission.rename"
	AuditPermissionRemove       = "permission.remove"
	AuditCompanyTokenRename     = "company.token.rename"
	AuditUserTokenRevoke        = "user.token.revoke"
	AuditConsoleSignIn          = "console.signin.success"
	AuditConsoleSignInFailed    = "console.signin.failure"
	AuditConsoleSignOut         = "console.signout"
	AuditConsoleUserCreate      = "console.user.create"
	AuditConsoleUserActivate    = "console.user.activate"
	AuditConsoleUserDeactivate  = "console.user.deactivate"
	AuditConsoleUserPassword    = "console.user.password"
)

// DefaultAuditRetention is how long audit entries are kept before
// PurgeTokens deletes them, unless Config.AuditRetention says otherwise.
const DefaultAuditRetention = 365 * 24 * time.Hour

// DefaultAuditBudget is how many entries about failed and refused sign-ins
// the audit log takes a minute, unless Config.AuditBudget says otherwise.
const DefaultAuditBudget = 100

// auditWindow is the span over which a username's failed or refused
// sign-ins share one entry, and over which the budget is counted.
const auditWindow = time.Minute

// AuditFilter selects audit entries; zero fields select everything.
type AuditFilter struct {
	Since, Until time.Time
	Action       string // an action, or a prefix of one ending in "." such as "signin."
	Username     string
	Actor        string // who made the change (AuditEvent.Actor)
	Company      string // the slug of the company a change concerns
	// BeforeID selects the entries older than the one with that id, so
	// that a long log is read a page at a time, newest first.
	BeforeID int64
	Limit    int // the newest Limit entries; 0 for all
}

// CLIActor is the actor of the changes made with cloudspot-server's admin
// commands.
const CLIActor = "cli"

// ConsoleActor is the actor of the changes a console user makes.
func ConsoleActor(username string) string { return "console:" + username }

type actorKey struct{}

// WithActor returns a context whose calls' changes the audit log records
// as made by actor (CLIActor, ConsoleActor(name)).
func WithActor(ctx context.Context, actor string) context.Context {
	return context.WithValue(ctx, actorKey{}, actor)
}

// actorOf is the actor that WithActor put in ctx, or "".
func actorOf(ctx context.Context) string {
	a, _ := ctx.Value(actorKey{}).(string)
	return a
}

// Audit returns the audit entries f selects, oldest first.
func (s *Service) Audit(ctx context.Context, f AuditFilter) ([]AuditEvent, error) {
	// Entries hold printable text only, so a filter of other text finds
	// nothing; made printable, it finds that and no engine refuses it.
	for _, p := range []*string{&f.Action, &f.Username, &f.Actor, &f.Company} {
		*p = printable(*p)
	}
	return s.auditLog.Audit(ctx, f)
}

// audit records e now. A failure to record is logged, not returned: the
// change it describes has happened already.
func (s *Service) audit(ctx context.Context, e AuditEvent) {
	e.At = s.now()
	e.Attempts = 1
	if e.Actor == "" {
		e.Actor = actorOf(ctx)
	}
	clean(&e)
	if err := s.auditLog.AddAudit(context.WithoutCancel(ctx), &e); err != nil {
		s.log.Warn("writing the audit log failed", "action", e.Action, "err", err)
	}
}

func clean(e *AuditEvent) {
	for _, p := range []*string{&e.Username, &e.App, &e.Address, &e.Detail, &e.Actor, &e.Company} {
		*p = printable(*p)
	}
}

// auditAttempt records a failed or refused sign-in so that nothing an
// anonymous client sends makes the audit log grow by more than a bounded
// amount a minute: within a minute, the attempts refused by one counter
// (by, its key), or else of one action, username and detail, share one
// entry that counts them; at most the budget of such entries is written a
// minute, over every process on the database; past it, one entry a minute
// counts the attempts not logged one by one. e.Username is what the client
// typed: the entry names it only when a user of that name exists
// (AddAggregateAudit), so no typed password is ever stored.
func (s *Service) auditAttempt(ctx context.Context, e AuditEvent, by []byte) {
	ctx = context.WithoutCancel(ctx)
	now := s.now()
	window := strconv.FormatInt(now.Truncate(auditWindow).Unix(), 10)
	e.At, e.Attempts = now, 1
	clean(&e)
	key := hashParts("audit", window, e.Action, e.Username, e.Detail)
	if by != nil {
		key = hashParts("audit", window, e.Action, string(by))
	}
	err := func() error {
		if found, err := s.auditLog.AddAuditAttempt(ctx, key); err != nil || found {
			return err
		}
		over, _, err := s.signIns.CountSignIn(ctx, []LimitKey{{Key: hashParts("audit budget"), Limit: Limit{Max: s.auditBudget, Window: auditWindow}}}, now)
		if err != nil {
			return err
		}
		if over >= 0 {
			key = hashParts("audit suppressed", window)
			e = AuditEvent{At: now, Action: AuditSuppressed, Attempts: 1,
				Detail: fmt.Sprintf("failed and refused sign-ins past the budget of %d entries a minute: not logged one by one", s.auditBudget)}
		}
		return s.auditLog.AddAggregateAudit(ctx, key, &e)
	}()
	if err != nil {
		s.log.Warn("writing the audit log failed", "action", e.Action, "err", err)
	}
}

// audited records e when err is nil, and returns err.
func (s *Service) audited(ctx context.Context, err error, e AuditEvent) error {
	if err == nil {
		s.audit(ctx, e)
	}
	return err
}

// printable makes text that every engine stores: valid UTF-8 without NUL,
// at most 300 bytes.
func printable(v string) string {
	v = strings.ReplaceAll(strings.ToValidUTF8(v, "\uFFFD"), "\x00", "")
	if len(v) > 300 {
		v = v[:300]
		for !utf8.ValidString(v) {
			v = v[:len(v)-1]
		}
	}
	return v
}
