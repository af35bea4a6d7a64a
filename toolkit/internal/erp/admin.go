package erp

import (
	"context"
	"fmt"
	"net/mail"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

var (
	slugRE     = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,62}$`)
	usernameRE = regexp.MustCompile(`^[\p{L}\p{N}._@+-]{1,150}$`)
)

// MinPasswordLen is the shortest password the server accepts.
const MinPasswordLen = 8

// CreateCompany adds a company with a unique slug.
func (s *Service) CreateCompany(ctx context.Context, slug, name string) (*Company, error) {
	slug = normalSlug(slug)
	if !slugRE.MatchString(slug) {
		return nil, Errorf(EInvalid, "company slug %q: use lower-case letters, digits, - and _", slug)
	}
	name = strings.TrimSpace(name)
	if name == "" {
		return nil, Errorf(EInvalid, "company %q: a name is required", slug)
	}
	c := &Company{Slug: slug, Name: name, UID: NewCompanyUID(), CreatedAt: s.now()}
	return c, s.audited(ctx, s.accounts.CreateCompany(ctx, c), AuditEvent{Action: AuditCompanyCreate, Company: c.Slug, Detail: c.Slug})
}

// NewUser is what an administrator gives to create a user.
type NewUser struct {
	Username  string
	Password  string
	FirstName string
	LastName  string
	Email     string
	Company   string // slug
}

// CreateUser adds an active user, storing only an argon2id hash of the
// password.
func (s *Service) CreateUser(ctx context.Context, n NewUser) (*User, error) {
	n.Username = strings.TrimSpace(n.Username)
	if !usernameRE.MatchString(n.Username) {
		return nil, Errorf(EInvalid, "username %q: use 1 to 150 letters, digits and . _ @ + -", n.Username)
	}
	if err := checkPassword(n.Password); err != nil {
		return nil, err
	}
	n.Email = strings.TrimSpace(n.Email)
	if n.Email != "" {
		if a, err := mail.ParseAddress(n.Email); err != nil || a.Address != n.Email {
			return nil, Errorf(EInvalid, "email %q is not an address", n.Email)
		}
	}
	c, err := s.company(ctx, n.Company)
	if err != nil {
		return nil, err
	}
	hash, err := HashPassword(n.Password, s.argon)
	if err != nil {
		return nil, err
	}
	u := &User{Username: n.Username, PasswordHash: hash, FirstName: strings.TrimSpace(n.FirstName),
		LastName: strings.TrimSpace(n.LastName), Email: n.Email, CompanyID: c.ID, Active: true, CreatedAt: s.now()}
	return u, s.audited(ctx, s.accounts.CreateUser(ctx, u), AuditEvent{Action: AuditUserCreate, Username: u.Username, Company: c.Slug, Detail: "company " + c.Slug})
}

func checkPassword(pw string) error {
	if utf8.RuneCountInString(pw) < MinPasswordLen {
		return Errorf(EInvalid, "the password must have at least %d characters", MinPasswordLen)
	}
	if len(pw) > 1024 {
		return Errorf(EInvalid, "the password is longer than 1024 bytes")
	}
	return nil
}

// SetPassword replaces a user's password and revokes their tokens, so that
// a leaked password stops working everywhere.
func (s *Service) SetPassword(ctx context.Context, username, password string) error {
	if err := checkPassword(password); err != nil {
		return err
	}
	u, err := s.user(ctx, username)
	if err != nil {
		return err
	}
	hash, err := HashPassword(password, s.argon)
	if err != nil {
		return err
	}
	if err := s.accounts.SetUserPassword(ctx, u.ID, hash); err != nil {
		return err
	}
	n, err := s.tokens.RevokeUserTokens(ctx, u.ID, s.now())
	return s.audited(ctx, err, AuditEvent{Action: AuditUserPassword, Username: u.Username, Company: s.companySlug(ctx, u.CompanyID), Detail: fmt.Sprintf("password changed; %d user tokens revoked", n)})
}

// SetUserActive activates or deactivates a user; deactivation revokes every
// token the user holds.
func (s *Service) SetUserActive(ctx context.Context, username string, active bool) error {
	u, err := s.user(ctx, username)
	if err != nil {
		return err
	}
	action := AuditUserActivate
	if !active {
		action = AuditUserDeactivate
	}
	return s.audited(ctx, s.accounts.SetUserActive(ctx, u.ID, active, s.now()), AuditEvent{Action: action, Username: u.Username, Company: s.companySlug(ctx, u.CompanyID)})
}

// RevokeUserTokens signs a user out of every app.
func (s *Service) RevokeUserTokens(ctx context.Context, username string) (int, error) {
	u, err := s.user(ctx, username)
	if err != nil {
		return 0, err
	}
	n, err := s.tokens.RevokeUserTokens(ctx, u.ID, s.now())
	return n, s.audited(ctx, err, AuditEvent{Action: AuditUserTokens, Username: u.Username, Company: s.companySlug(ctx, u.CompanyID), Detail: fmt.Sprintf("%d user tokens revoked", n)})
}

func (s *Service) user(ctx context.Context, username string) (*User, error) {
	u, err := s.accounts.UserByUsername(ctx, strings.TrimSpace(username))
	return u, notFoundAs(err, "user %q does not exist", username)
}

// CreateApp registers an external app.
func (s *Service) CreateApp(ctx context.Context, slug, name string) (*App, error) {
	slug = normalSlug(slug)
	if !slugRE.MatchString(slug) {
		return nil, Errorf(EInvalid, "app slug %q: use lower-case letters, digits, - and _", slug)
	}
	if name = strings.TrimSpace(name); name == "" {
		name = slug
	}
	a := &App{Slug: slug, Name: name, CreatedAt: s.now()}
	return a, s.audited(ctx, s.accounts.CreateApp(ctx, a), AuditEvent{Action: AuditAppCreate, App: a.Slug})
}

// AddPermission adds a permission to an app's tree, under parent (a
// permission slug) or at the root when parent is "". The slug must start
// with the app's slug and an underscore, as the ERP's do.
func (s *Service) AddPermission(ctx context.Context, appSlug, slug, label, parent string) (*Permission, error) {
	app, err := s.app(ctx, appSlug)
	if err != nil {
		return nil, err
	}
	slug = normalSlug(slug)
	if !slugRE.MatchString(slug) || !strings.HasPrefix(slug, app.Slug+"_") {
		return nil, Errorf(EInvalid, "permission slug %q: must start with %q and use lower-case letters, digits and _", slug, app.Slug+"_")
	}
	p := &Permission{AppID: app.ID, Slug: slug, Label: strings.TrimSpace(label)}
	if p.Label == "" {
		p.Label = slug
	}
	if err := checkLabel(p.Label); err != nil {
		return nil, err
	}
	if parent != "" {
		pp, err := s.accounts.PermissionBySlug(ctx, normalSlug(parent))
		if err != nil {
			return nil, notFoundAs(err, "parent permission %q does not exist", parent)
		}
		if pp.AppID != app.ID {
			return nil, Errorf(EInvalid, "parent permission %q belongs to another app", parent)
		}
		p.ParentID = pp.ID
	}
	return p, s.audited(ctx, s.accounts.CreatePermission(ctx, p), AuditEvent{Action: AuditPermissionAdd, App: app.Slug, Detail: p.Slug})
}

// MaxLabelLen bounds a permission's label and a company token's name, in
// characters.
const MaxLabelLen = 200

// checkLabel refuses a permission's label or a token's name that no screen
// can show on one line.
func checkLabel(label string) error {
	if utf8.RuneCountInString(label) > MaxLabelLen {
		return Errorf(EInvalid, "%q is longer than %d characters", clip(label, 40), MaxLabelLen)
	}
	if strings.IndexFunc(label, unicode.IsControl) >= 0 {
		return Errorf(EInvalid, "%q holds a control character", clip(label, 40))
	}
	return nil
}

// RenamePermission gives a permission another label (what the ERP's
// permission screen shows); its slug, which apps see, stays.
func (s *Service) RenamePermission(ctx context.Context, slug, label string) error {
	p, err := s.permission(ctx, slug)
	if err != nil {
		return err
	}
	if label = strings.TrimSpace(label); label == "" {
		return Errorf(EInvalid, "permission %q: a label is required", p.Slug)
	}
	if err := checkLabel(label); err != nil {
		return err
	}
	return s.audited(ctx, s.accounts.SetPermissionLabel(ctx, p.ID, label),
		AuditEvent{Action: AuditPermissionRename, App: s.appSlug(ctx, p.AppID), Detail: fmt.Sprintf("%s now labelled %q", p.Slug, label)})
}

// RemovePermission deletes a permission from its app's tree with every
// permission under it, and takes them from every user who held them. It
// says how many permissions and grants went.
func (s *Service) RemovePermission(ctx context.Context, slug string) (permissions, grants int, err error) {
	p, err := s.permission(ctx, slug)
	if err != nil {
		return 0, 0, err
	}
	permissions, grants, err = s.accounts.DeletePermission(ctx, p.ID)
	return permissions, grants, s.audited(ctx, err, AuditEvent{Action: AuditPermissionRemove, App: s.appSlug(ctx, p.AppID),
		Detail: fmt.Sprintf("%s removed with %d permissions under it; %d grants went", p.Slug, permissions-1, grants)})
}

func (s *Service) permission(ctx context.Context, slug string) (*Permission, error) {
	p, err := s.accounts.PermissionBySlug(ctx, normalSlug(slug))
	return p, notFoundAs(err, "permission %q does not exist", clip(slug, 80))
}

// appSlug is the slug of the app with that id, for an audit entry; ""
// when it cannot be read.
func (s *Service) appSlug(ctx context.Context, id int64) string {
	apps, err := s.accounts.Apps(ctx)
	if err != nil {
		return ""
	}
	for _, a := range apps {
		if a.ID == id {
			return a.Slug
		}
	}
	return ""
}

// Grant gives a user a permission; its parent must already be granted.
func (s *Service) Grant(ctx context.Context, username, permission string) error {
	u, p, err := s.userAndPermission(ctx, username, permission)
	if err != nil {
		return err
	}
	return s.audited(ctx, s.accounts.Grant(ctx, u.ID, p.ID), AuditEvent{Action: AuditGrant, Username: u.Username, Company: s.companySlug(ctx, u.CompanyID), Detail: p.Slug})
}

// Revoke takes a permission, and every permission under it, from a user.
func (s *Service) Revoke(ctx context.Context, username, permission string) error {
	u, p, err := s.userAndPermission(ctx, username, permission)
	if err != nil {
		return err
	}
	return s.audited(ctx, s.accounts.Revoke(ctx, u.ID, p.ID), AuditEvent{Action: AuditRevoke, Username: u.Username, Company: s.companySlug(ctx, u.CompanyID), Detail: p.Slug})
}

// Granted returns a user's permission slugs in one app.
func (s *Service) Granted(ctx context.Context, username, appSlug string) ([]string, error) {
	u, err := s.user(ctx, username)
	if err != nil {
		return nil, err
	}
	app, err := s.app(ctx, appSlug)
	if err != nil {
		return nil, err
	}
	return s.grantedSlugs(ctx, u.ID, app.ID)
}

func (s *Service) userAndPermission(ctx context.Context, username, permission string) (*User, *Permission, error) {
	u, err := s.user(ctx, username)
	if err != nil {
		return nil, nil, err
	}
	p, err := s.permission(ctx, permission)
	if err != nil {
		return nil, nil, err
	}
	return u, p, nil
}

// IssueCompanyToken creates a company API token with the given rights and
// returns its secret, which is not stored and cannot be shown again.
func (s *Service) IssueCompanyToken(ctx context.Context, companySlug, name string, r Rights) (string, *CompanyToken, error) {
	secret := NewCompanyToken()
	t, err := s.RegisterCompanyToken(ctx, companySlug, name, secret, r)
	return secret, t, err
}

// RegisterCompanyToken stores a company token whose secret the caller
// chose, such as the demo's published one. Prefer IssueCompanyToken.
func (s *Service) RegisterCompanyToken(ctx context.Context, companySlug, name, secret string, r Rights) (*CompanyToken, error) {
	c, err := s.company(ctx, companySlug)
	if err != nil {
		return nil, err
	}
	if !r.Artikels && !r.Klanten {
		return nil, Errorf(EInvalid, "a company token needs at least one right: products or clients")
	}
	if name, err = tokenName(name); err != nil {
		return nil, err
	}
	if len(secret) < 32 {
		return nil, Errorf(EInvalid, "a company token secret needs at least 32 characters")
	}
	now := s.now()
	t := &CompanyToken{Hash: HashToken(secret), Name: name, CompanyID: c.ID, Rights: r, CreatedAt: now, LastUsedAt: now}
	if err := s.tokens.CreateCompanyToken(ctx, t); err != nil {
		return nil, err
	}
	s.audit(ctx, AuditEvent{Action: AuditCompanyToken, Company: c.Slug, Detail: fmt.Sprintf("company %s, token %d %q, rights %s", c.Slug, t.ID, t.Name, r)})
	return t, nil
}

// RevokeCompanyToken revokes a company token by its id.
func (s *Service) RevokeCompanyToken(ctx context.Context, id int64) error {
	t, err := s.tokens.CompanyTokenByID(ctx, id)
	if err != nil {
		return notFoundAs(err, "company token %d does not exist", id)
	}
	return s.audited(ctx, s.tokens.RevokeCompanyToken(ctx, t.ID, s.now()), AuditEvent{Action: AuditCompanyRevoke, Company: s.companySlug(ctx, t.CompanyID), Detail: fmt.Sprintf("token %d %q", t.ID, t.Name)})
}

// tokenName is a company token's name as given, trimmed, or why it cannot
// be one.
func tokenName(name string) (string, error) {
	if name = strings.TrimSpace(name); name == "" {
		return "", Errorf(EInvalid, "a company token needs a name, to tell it apart when revoking")
	}
	return name, checkLabel(name)
}

// RenameCompanyToken gives a company token another name; its secret and
// rights stay.
func (s *Service) RenameCompanyToken(ctx context.Context, id int64, name string) error {
	name, err := tokenName(name)
	if err != nil {
		return err
	}
	t, err := s.tokens.CompanyTokenByID(ctx, id)
	if err != nil {
		return notFoundAs(err, "company token %d does not exist", id)
	}
	return s.audited(ctx, s.tokens.SetCompanyTokenName(ctx, t.ID, name),
		AuditEvent{Action: AuditCompanyTokenRename, Company: s.companySlug(ctx, t.CompanyID), Detail: fmt.Sprintf("token %d %q now named %q", t.ID, t.Name, name)})
}

// RevokeUserToken signs a user out of the one app that token was issued
// to; tokens are named by their id (see UserTokens).
func (s *Service) RevokeUserToken(ctx context.Context, username string, id int64) error {
	u, err := s.user(ctx, username)
	if err != nil {
		return err
	}
	err = s.tokens.RevokeUserToken(ctx, u.ID, id, s.now())
	return s.audited(ctx, notFoundAs(err, "user %q has no token %d", u.Username, id),
		AuditEvent{Action: AuditUserTokenRevoke, Username: u.Username, Company: s.companySlug(ctx, u.CompanyID), Detail: fmt.Sprintf("user token %d revoked", id)})
}

// notFoundAs rewords a not-found error for an admin; other errors pass.
func notFoundAs(err error, format string, args ...any) error {
	if ErrorCode(err) == ENotFound {
		return Errorf(ENotFound, format, args...)
	}
	return err
}
