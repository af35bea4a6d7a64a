package erpauth

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/cloudspot-toolkit/cloudspot"
)

// Config configures an Auth. The zero Config is a working one with safe
// defaults: sessions in memory, Secure cookies over TLS, a check with the
// ERP every 5 minutes that fails closed, 10 failed sign-ins per address in
// 15 minutes.
type Config struct {
	// Keys are secret keys of at least MinKeySize random bytes. The first
	// signs the login forms (and seals sessions in a CookieStore made with
	// the same list); every key is tried to check or open them. To rotate,
	// put a new key first and drop the old one a MaxAge later. Without
	// keys, New makes one for this process: a login form opened before a
	// restart then has to be sent again.
	Keys [][]byte

	// Store keeps the sessions; default a MemoryStore of
	// DefaultMaxSessions.
	Store Store

	// AppName names the app in pages and messages; default "this app".
	AppName string
	// AppPermission, when set, is the permission a user needs to sign in
	// and to stay signed in: the app's own "use" permission, such as
	// "timeapp_use". A user without it is refused at sign-in, and signed
	// out at the Recheck that finds it gone.
	AppPermission string

	// LoginPath is where the app serves LoginHandler; Require sends
	// browsers there. Default "/login".
	LoginPath string
	// AfterLogin is where a sign-in lands when no page was asked for;
	// default "/".
	AfterLogin string

	// CookieName names the session cookie (default "erpauth"); the login
	// form's cookie and the one for the message after a session ends add
	// "_csrf" and "_flash". Over TLS, or with SecureCookies, the cookies
	// are Secure and their names get the __Host- prefix.
	CookieName string
	// SecureCookies makes cookies Secure on plain HTTP too, for an app
	// behind a proxy that ends TLS.
	SecureCookies bool

	// IdleTimeout ends a session after this long without a request
	// (default 30 minutes); MaxAge ends it this long after the sign-in
	// however much it is used (default 12 hours).
	IdleTimeout time.Duration
	MaxAge      time.Duration
	// Recheck is how often the ERP is asked again for a session's
	// permissions (default 5 minutes): a token the ERP no longer accepts
	// ends the session, a permission taken away closes the pages that need
	// it, at the first request after that long. One call per session per
	// Recheck, however many requests arrive at once.
	Recheck time.Duration
	// Grace is how long after a Recheck falls due a session keeps the
	// ERP's last answer while the ERP cannot be reached. The default, 0,
	// fails closed: the request gets a 502 page until the ERP answers.
	Grace time.Duration

	// LoginTemplate renders the login page from a LoginPage, and
	// ErrorTemplate the page of a refused request from an ErrorPage; the
	// defaults are plain HTML.
	LoginTemplate *template.Template
	ErrorTemplate *template.Template

	// CrossOriginOnly turns off the session's form token: unsafe requests
	// to guarded routes are then refused by the cross-origin check alone
	// (net/http's CrossOriginProtection, which browsers since 2023 make
	// reliable). By default a form must also carry CSRFToken.
	CrossOriginOnly bool

	// ClientAddr is the address of the person behind a request, whom
	// failed sign-ins are counted against; default the connection's
	// address. Behind proxies of the app's own, use BehindProxies.
	ClientAddr func(*http.Request) netip.Addr
	// ForwardClientAddr sends that address to the ERP with each sign-in
	// (X-Forwarded-For, see cloudspot.ForwardedFor), so that an ERP that
	// trusts the app as a proxy counts failures per person, not per app.
	ForwardClientAddr bool
	// MaxFailedSignIns is how many sign-ins the ERP may refuse (a wrong
	// password, or the ERP's own limit) for one address (IPv4, or IPv6
	// /64) in FailedSignInWindow before erpauth refuses its sign-ins
	// itself, without asking the ERP; default 10 in 15 minutes, a negative
	// number turns the limit off.
	MaxFailedSignIns   int
	FailedSignInWindow time.Duration

	// PermissionsChanged, when set, is called when a Recheck finds a
	// session's permissions changed, with the user as they are now and
	// the permissions before; once per change, on the request that
	// made the check.
	PermissionsChanged func(ctx context.Context, u User, before cloudspot.Permissions)

	// Logger receives a record for each sign-in, refusal and session end,
	// without passwords or tokens; default none.
	Logger *slog.Logger
	// Now is the clock; default time.Now.
	Now func() time.Time
}

// Auth signs users in with the ERP and guards an app's routes. Make it with
// New; it is safe for concurrent use.
type Auth struct {
	api           *cloudspot.UserAPI
	cfg           Config
	forms         signer
	store         Store
	cop           *http.CrossOriginProtection
	limit         *limiter
	checks        *checks
	loginTemplate *template.Template
	errorTemplate *template.Template
	log           *slog.Logger
	now           func() time.Time
	clientAddr    func(*http.Request) netip.Addr
}

// New returns an Auth that signs users in through userAPI (made for the
// app's slug, pointed at the ERP) as cfg says. It fails for a key that is
// too short, a negative duration, or a path that is not absolute.
func New(userAPI *cloudspot.UserAPI, cfg Config) (*Auth, error) {
	if userAPI == nil {
		return nil, errors.New("erpauth: New: nil UserAPI")
	}
	if err := cfg.fill(); err != nil {
		return nil, err
	}
	keys := cfg.Keys
	if len(keys) == 0 {
		k := make([]byte, MinKeySize)
		rand.Read(k)
		keys = [][]byte{k}
	}
	if err := checkKeys(keys); err != nil {
		return nil, err
	}
	if cs, ok := cfg.Store.(clockSetter); ok {
		cs.setClock(cfg.Now)
	}
	a := &Auth{
		api:           userAPI,
		cfg:           cfg,
		forms:         signer(deriveKeys(keys, "form token")),
		store:         cfg.Store,
		cop:           http.NewCrossOriginProtection(),
		limit:         newLimiter(cfg.MaxFailedSignIns, cfg.FailedSignInWindow),
		checks:        newChecks(cfg.Recheck, DefaultMaxSessions),
		loginTemplate: cfg.LoginTemplate,
		errorTemplate: cfg.ErrorTemplate,
		log:           cfg.Logger,
		now:           cfg.Now,
		clientAddr:    cfg.ClientAddr,
	}
	return a, nil
}

// fill checks cfg and puts the defaults in its zero fields.
func (cfg *Config) fill() error {
	for _, d := range []struct {
		name string
		v    *time.Duration
		def  time.Duration
	}{
		{"IdleTimeout", &cfg.IdleTimeout, 30 * time.Minute},
		{"MaxAge", &cfg.MaxAge, 12 * time.Hour},
		{"Recheck", &cfg.Recheck, 5 * time.Minute},
		{"FailedSignInWindow", &cfg.FailedSignInWindow, 15 * time.Minute},
		{"Grace", &cfg.Grace, 0},
	} {
		if *d.v < 0 {
			return fmt.Errorf("erpauth: Config.%s is negative (%s)", d.name, *d.v)
		}
		if *d.v == 0 {
			*d.v = d.def
		}
	}
	for _, p := range []struct {
		name string
		v    *string
		def  string
	}{{"LoginPath", &cfg.LoginPath, "/login"}, {"AfterLogin", &cfg.AfterLogin, "/"}} {
		if *p.v == "" {
			*p.v = p.def
		}
		if _, ok := safeNext(*p.v); !ok {
			return fmt.Errorf("erpauth: Config.%s %q: want a path of this app, starting with one /", p.name, *p.v)
		}
	}
	if cfg.CookieName == "" {
		cfg.CookieName = "erpauth"
	}
	if !validCookieName(cfg.CookieName) {
		return fmt.Errorf("erpauth: Config.CookieName %q: want letters, digits, - and _", cfg.CookieName)
	}
	if cfg.AppName == "" {
		cfg.AppName = "this app"
	}
	if cfg.MaxFailedSignIns == 0 {
		cfg.MaxFailedSignIns = 10
	}
	if cfg.Store == nil {
		cfg.Store = NewMemoryStore(0)
	}
	if cfg.LoginTemplate == nil {
		cfg.LoginTemplate = defaultLoginTemplate
	}
	if cfg.ErrorTemplate == nil {
		cfg.ErrorTemplate = defaultErrorTemplate
	}
	if cfg.ClientAddr == nil {
		cfg.ClientAddr = remoteAddr
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return nil
}

func validCookieName(s string) bool {
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return s != "" && !strings.HasPrefix(strings.ToLower(s), "__host-") && !strings.HasPrefix(strings.ToLower(s), "__secure-")
}
