package erp

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"slices"
	"time"

	"github.com/cloudspot-toolkit/cloudspot"
)

// Config configures a Service. Only Store is required.
type Config struct {
	Store Store
	// Now is the clock; tests inject one to expire tokens.
	Now func() time.Time
	// Logger receives warnings such as sign-ins for unknown apps. It never
	// receives a password or a token.
	Logger *slog.Logger
	// TokenTTL is how long a user token lives; default 30 days.
	TokenTTL time.Duration
	// StrictApps refuses sign-ins for apps the ERP does not know. By
	// default such users sign in with no permissions, as the real ERP does.
	StrictApps bool
	// Argon2 are the cost parameters for new password hashes.
	Argon2 Argon2Params
	// SignInLimits bound password guessing; a zero Limit takes its
	// default (DefaultSignInLimits), a negative Max turns it off. They are
	// counted in the Store, so every process on one database shares them.
	SignInLimits SignInLimits
	// SignInWait bounds how long a sign-in waits for its turn to check a
	// password; past it the answer is EUnavailable ("busy, try again"),
	// not a connection that the server's write timeout cuts while the
	// request still queues. Default DefaultSignInWait.
	SignInWait time.Duration
	// ConsoleSessions end the web console's sessions; zero fields take
	// DefaultConsoleSessionLimits.
	ConsoleSessions ConsoleSessionLimits
	// AuditRetention is how long audit entries are kept; default
	// DefaultAuditRetention.
	AuditRetention time.Duration
	// AuditBudget is how many entries about failed and refused sign-ins
	// the audit log takes a minute, over every process on the database;
	// default DefaultAuditBudget. See auditAttempt.
	AuditBudget int
}

// DefaultSignInWait is well inside the server's 60 s write timeout, so a
// sign-in that cannot be served in time is told so.
const DefaultSignInWait = 20 * time.Second

// Service applies the domain's rules on top of a Store. It is safe for
// concurrent use. It reaches each aggregate through that aggregate's store
// alone, and its parts use only the store of their concern: the token
// cache reads TokenStore.TokenChanges, the sign-in limits count in the
// SignInStore, an import of products looks its categories up in the
// CategorieStore, the audit log writes to the AuditStore.
type Service struct {
	accounts    AccountStore
	tokens      TokenStore
	catalogue   CatalogueStore
	categorieen CategorieStore
	signIns     SignInStore
	auditLog    AuditStore
	pages       CataloguePages
	console     ConsoleStore
	ping        func(context.Context) error

	now       func() time.Time
	log       *slog.Logger
	ttl       time.Duration
	strict    bool
	argon     Argon2Params
	dummyHash string
	limits    SignInLimits
	inFlight  *inFlight
	// userFlight holds the sign-ins of one username counted against its
	// per-username limit and not yet decided to the hashing capacity, so
	// that right passwords in flight at once cannot use that limit up
	// before their successes clear it.
	userFlight *inFlight
	cache      *tokenCache
	// auditRetention and auditBudget: see Config.
	auditRetention time.Duration
	auditBudget    int
	// hashing bounds the password checks that run at once: each takes
	// Argon2.Memory, and a burst of sign-ins must not exhaust the machine.
	hashing chan struct{}
	wait    time.Duration // see Config.SignInWait

	consoleLimits ConsoleSessionLimits
}

// TokenRetention is how long an expired or revoked user token is kept (and
// listed by the admin commands) before PurgeTokens deletes it.
const TokenRetention = 7 * 24 * time.Hour

// touchEvery limits writes for "last used": a token used constantly is
// written at most once a minute.
const touchEvery = time.Minute

// NewService returns a Service on cfg.Store.
func NewService(cfg Config) (*Service, error) {
	if cfg.Store == nil {
		return nil, errors.New("erp: no store")
	}
	st := cfg.Store
	s := &Service{accounts: st, tokens: st, catalogue: st, categorieen: st, signIns: st, auditLog: st, pages: st, console: st, ping: st.Ping,
		now: cfg.Now, log: cfg.Logger, ttl: cfg.TokenTTL, strict: cfg.StrictApps, argon: cfg.Argon2, wait: cfg.SignInWait,
		consoleLimits: cfg.ConsoleSessions.withDefaults(), auditRetention: cfg.AuditRetention, auditBudget: cfg.AuditBudget}
	if s.wait <= 0 {
		s.wait = DefaultSignInWait
	}
	if s.auditRetention <= 0 {
		s.auditRetention = DefaultAuditRetention
	}
	if s.auditBudget <= 0 {
		s.auditBudget = DefaultAuditBudget
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.ttl <= 0 {
		s.ttl = 30 * 24 * time.Hour
	}
	if s.argon == (Argon2Params{}) {
		s.argon = DefaultArgon2()
	}
	// One check per core: argon2id is bound by the CPU, so more at once
	// would not finish sooner, only hold more memory (Argon2.Memory each).
	s.hashing = make(chan struct{}, runtime.GOMAXPROCS(0))
	s.limits = cfg.SignInLimits.withDefaults(cap(s.hashing))
	s.inFlight = &inFlight{share: s.limits.Concurrent, keys: map[string]*keySlots{}}
	s.userFlight = &inFlight{share: cap(s.hashing), waiting: maxWaitingPerUsername, keys: map[string]*keySlots{}}
	s.cache = newTokenCache(s.tokens.TokenChanges)
	// Unknown usernames are checked against this hash so that they take as
	// long as known ones and do not reveal which usernames exist.
	h, err := HashPassword(NewToken(), s.argon)
	if err != nil {
		return nil, err
	}
	s.dummyHash = h
	return s, nil
}

// SignIn is the result of a successful sign-in.
type SignIn struct {
	Token       string
	Permissions []string
	// CompanyUID is the uid of the user's company, which versions 0.5 and
	// up send.
	CompanyUID string
	// APIVersion is the requesting app's setting: the version to answer in
	// when the client did not ask for one (APIVersion04 for an unknown app).
	APIVersion APIVersion
}

// SignIn signs a user in from inside the process (no client address): see
// SignInFrom.
func (s *Service) SignIn(ctx context.Context, requestor, username, password string) (*SignIn, error) {
	return s.SignInFrom(ctx, "", requestor, username, password)
}

// SignInFrom checks a user's password and issues a token for the requesting
// app with the user's permissions in it. address is the client's, as
// ClientAddress returns it ("" for none). Wrong password, unknown user and a
// deactivated user are the same error, in about the same time. The attempt
// is counted against the SignInLimits before the password is checked; when
// a limit is used up the error is ETooMany with a RetryAfter, the same for
// every username. A right password past the Successes limit is ETooMany
// too, and issues no token.
func (s *Service) SignInFrom(ctx context.Context, address, requestor, username, password string) (*SignIn, error) {
	if err := checkUsername(username); err != nil {
		return nil, err
	}
	requestor = normalSlug(requestor)
	if err := checkRequestor(requestor); err != nil {
		return nil, err
	}
	app, err := s.accounts.AppBySlug(ctx, requestor)
	switch {
	case ErrorCode(err) == ENotFound:
		app = nil
		if s.strict {
			return nil, Errorf(EForbidden, "Unknown external app.")
		}
	case err != nil:
		return nil, err
	}
	// Only the waits for a turn are bounded by wait; the store calls keep
	// the request's own context.
	waitCtx, cancel := context.WithTimeout(ctx, s.wait)
	defer cancel()
	leave, err := s.inFlight.enter(waitCtx, address)
	if err != nil {
		return nil, err
	}
	defer leave()
	now := s.now()
	known, err := s.isKnownAddress(ctx, username, address, now)
	if err != nil {
		return nil, err
	}
	if !known && s.limits.PerUser.Max >= 0 {
		leave, err := s.userFlight.enter(waitCtx, username)
		if err != nil {
			return nil, err
		}
		defer leave()
		now = s.now() // the wait for a turn may have been long
	}
	keys := s.limits.keys(username, address, known)
	if err := s.countSignIn(ctx, keys, now, requestor, username, address); err != nil {
		return nil, err
	}
	u, err := s.accounts.UserByUsername(ctx, username)
	hash := s.dummyHash
	switch {
	case err == nil:
		hash = u.PasswordHash
	case ErrorCode(err) != ENotFound:
		return nil, err
	}
	ok, err := s.verify(waitCtx, hash, password)
	if err != nil {
		return nil, err
	}
	if u == nil || !ok || !u.Active {
		e := AuditEvent{Action: AuditSignInFailed, App: requestor, Address: address, Detail: "unknown username"}
		switch {
		case u == nil:
		case !ok:
			e.Username, e.Detail = u.Username, "wrong password"
		default:
			e.Username, e.Detail = u.Username, "deactivated user"
		}
		s.auditAttempt(ctx, e, nil)
		return nil, errBadCredentials()
	}
	if err := s.signIns.RefundSignIn(ctx, keys, now); err != nil {
		s.log.Warn("refunding a successful sign-in's attempt failed", "err", err)
	}
	if err := s.countSuccess(ctx, u.Username, requestor, address, now); err != nil {
		return nil, err
	}
	s.rememberAddress(ctx, u, address, now)
	if app == nil {
		s.log.Warn("sign-in for an unknown app: the user gets no permissions", "app", requestor, "user", u.Username)
	}
	token := NewUserToken()
	t := &UserToken{Hash: HashToken(token), UserID: u.ID, AppSlug: requestor, CreatedAt: now, LastUsedAt: now, ExpiresAt: now.Add(s.ttl)}
	if err := s.tokens.CreateUserToken(ctx, t); err != nil {
		return nil, err
	}
	s.audit(ctx, AuditEvent{Action: AuditSignIn, Username: u.Username, App: requestor, Address: address, Detail: fmt.Sprintf("user token %d issued", t.ID)})
	perms := []string{}
	if app != nil {
		if perms, err = s.grantedSlugs(ctx, u.ID, app.ID); err != nil {
			return nil, err
		}
	}
	res := &SignIn{Token: token, Permissions: perms, APIVersion: APIVersion04}
	if app != nil {
		res.APIVersion = app.APIVersion.OrDefault()
	}
	c, err := s.accounts.CompanyByID(ctx, u.CompanyID)
	if err != nil {
		return nil, err
	}
	res.CompanyUID = c.UID
	return res, nil
}

// verify checks a password once one of the hashing slots is free; a caller
// who gives up while waiting gets EUnavailable.
func (s *Service) verify(ctx context.Context, hash, password string) (bool, error) {
	select {
	case s.hashing <- struct{}{}:
	case <-ctx.Done():
		return false, errBusy()
	}
	defer func() { <-s.hashing }()
	return VerifyPassword(hash, password), nil
}

// TokenCacheStats says how many token checks were answered from memory
// (hits) and how many read the database (misses) since the service started.
func (s *Service) TokenCacheStats() (hits, misses uint64) {
	return s.cache.hits.Load(), s.cache.misses.Load()
}

// PurgeTokens deletes user tokens that expired or were revoked more than
// TokenRetention ago, sign-in counters whose window ended, known addresses
// that expired, ended console sessions and audit entries older than the
// audit retention, so that no table grows with every sign-in. It says how
// many tokens went.
func (s *Service) PurgeTokens(ctx context.Context) (int, error) {
	now := s.now()
	if _, err := s.signIns.PurgeSignInCounts(ctx, now); err != nil {
		return 0, err
	}
	if _, err := s.signIns.PurgeKnownAddresses(ctx, now); err != nil {
		return 0, err
	}
	if _, err := s.console.PurgeConsoleSessions(ctx, now.Add(-s.consoleLimits.Idle), now.Add(-s.consoleLimits.Lifetime)); err != nil {
		return 0, err
	}
	if _, err := s.auditLog.PurgeAudit(ctx, now.Add(-s.auditRetention)); err != nil {
		return 0, err
	}
	return s.tokens.PurgeUserTokens(ctx, now.Add(-TokenRetention))
}

// UserTokens returns a user's tokens, newest first; never their secrets,
// which are not stored.
func (s *Service) UserTokens(ctx context.Context, username string) ([]UserToken, error) {
	u, err := s.user(ctx, username)
	if err != nil {
		return nil, err
	}
	return s.tokens.UserTokens(ctx, u.ID)
}

func (s *Service) grantedSlugs(ctx context.Context, userID, appID int64) ([]string, error) {
	ps, err := s.accounts.Granted(ctx, userID, appID)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Slug
	}
	return out, nil
}

// userForToken checks a user token presented by requestor: it must exist,
// be live, belong to an active user and have been issued to that same app.
func (s *Service) userForToken(ctx context.Context, requestor, token string) (*userEntry, error) {
	if token == "" || !plausibleToken(token, UserTokenPrefix) {
		return nil, errNoValidToken()
	}
	key := sha256.Sum256([]byte(token))
	gen, err := s.cache.changes.current(ctx)
	if err != nil {
		return nil, err
	}
	e := s.cache.user(key, gen)
	if e == nil {
		if e, err = s.loadUserToken(ctx, key[:]); err != nil {
			return nil, err
		}
		s.cache.putUser(key, gen, e)
	}
	now := s.now()
	t := &e.token
	if !t.RevokedAt.IsZero() || !now.Before(t.ExpiresAt) || t.AppSlug != normalSlug(requestor) || !e.user.Active {
		return nil, errNoValidToken()
	}
	if dueForTouch(&e.lastUsed, now) {
		if err := s.tokens.TouchUserToken(ctx, t.ID, now); err != nil {
			s.log.Warn("recording token use failed", "err", err)
		}
	}
	return e, nil
}

// loadUserToken reads what a check of the token with this hash needs.
func (s *Service) loadUserToken(ctx context.Context, hash []byte) (*userEntry, error) {
	t, err := s.tokens.UserTokenByHash(ctx, hash)
	if ErrorCode(err) == ENotFound {
		return nil, errNoValidToken()
	} else if err != nil {
		return nil, err
	}
	u, err := s.accounts.UserByID(ctx, t.UserID)
	if err != nil {
		return nil, err
	}
	c, err := s.accounts.CompanyByID(ctx, u.CompanyID)
	if err != nil {
		return nil, err
	}
	e := &userEntry{token: *t, user: *u, perms: []string{}, apiVersion: APIVersion04, companyUID: c.UID}
	if t.Used() { // else the first use is written at once
		e.lastUsed.Store(t.LastUsedAt.UnixNano())
	}
	app, err := s.accounts.AppBySlug(ctx, t.AppSlug)
	switch {
	case ErrorCode(err) == ENotFound:
	case err != nil:
		return nil, err
	default:
		e.apiVersion = app.APIVersion.OrDefault()
		if e.perms, err = s.grantedSlugs(ctx, u.ID, app.ID); err != nil {
			return nil, err
		}
	}
	return e, nil
}

// PermissionsForToken returns the permissions, in the requesting app, of the
// user behind a token issued to that app.
func (s *Service) PermissionsForToken(ctx context.Context, requestor, token string) ([]string, error) {
	e, err := s.userForToken(ctx, requestor, token)
	if err != nil {
		return nil, err
	}
	return slices.Clone(e.perms), nil
}

// companyForToken checks a company token and the right a call needs.
func (s *Service) companyForToken(ctx context.Context, token string, need func(Rights) bool, what string) (*CompanyToken, error) {
	if token == "" || !plausibleToken(token, CompanyTokenPrefix) {
		return nil, errNoValidToken()
	}
	key := sha256.Sum256([]byte(token))
	gen, err := s.cache.changes.current(ctx)
	if err != nil {
		return nil, err
	}
	e := s.cache.company(key, gen)
	if e == nil {
		t, err := s.tokens.CompanyTokenByHash(ctx, key[:])
		if ErrorCode(err) == ENotFound {
			return nil, errNoValidToken()
		} else if err != nil {
			return nil, err
		}
		e = &companyEntry{token: *t}
		if t.Used() {
			e.lastUsed.Store(t.LastUsedAt.UnixNano())
		}
		s.cache.putCompany(key, gen, e)
	}
	t := e.token
	if !t.RevokedAt.IsZero() {
		return nil, errNoValidToken()
	}
	if !need(t.Rights) {
		return nil, Errorf(EForbidden, "This token does not have the right to see %s.", what)
	}
	if now := s.now(); dueForTouch(&e.lastUsed, now) {
		if err := s.tokens.TouchCompanyToken(ctx, t.ID, now); err != nil {
			s.log.Warn("recording token use failed", "err", err)
		}
	}
	return &t, nil
}

// ArtikelsForToken returns the products of a company token's company.
func (s *Service) ArtikelsForToken(ctx context.Context, token string) ([]cloudspot.Artikel, error) {
	t, err := s.companyForToken(ctx, token, func(r Rights) bool { return r.Artikels }, "products")
	if err != nil {
		return nil, err
	}
	ps, err := s.catalogue.Artikels(ctx, t.CompanyID)
	if err != nil {
		return nil, err
	}
	out := make([]cloudspot.Artikel, len(ps))
	for i, p := range ps {
		out[i] = p.Artikel
	}
	return out, nil
}

// ArtikelForToken returns one product of a company token's company by id,
// with its ID set: GET /artikels/?id=.
func (s *Service) ArtikelForToken(ctx context.Context, token string, id int64) (cloudspot.Artikel, error) {
	t, err := s.companyForToken(ctx, token, func(r Rights) bool { return r.Artikels }, "products")
	if err != nil {
		return cloudspot.Artikel{}, err
	}
	p, err := s.catalogue.Artikel(ctx, t.CompanyID, id)
	if ErrorCode(err) == ENotFound {
		return cloudspot.Artikel{}, Errorf(ENotFound, "Product not found.")
	} else if err != nil {
		return cloudspot.Artikel{}, err
	}
	a := p.Artikel
	a.ID = p.ID
	return a, nil
}

// KlantenForToken returns the clients of a company token's company.
func (s *Service) KlantenForToken(ctx context.Context, token string) ([]cloudspot.Klant, error) {
	t, err := s.companyForToken(ctx, token, func(r Rights) bool { return r.Klanten }, "clients")
	if err != nil {
		return nil, err
	}
	cs, err := s.catalogue.Klanten(ctx, t.CompanyID)
	if err != nil {
		return nil, err
	}
	out := make([]cloudspot.Klant, len(cs))
	for i, c := range cs {
		out[i] = c.Klant
	}
	return out, nil
}
