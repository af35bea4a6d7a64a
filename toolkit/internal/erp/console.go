package erp

import (
	"context"
	"crypto/rand"
	"strings"
	"time"
)

// ConsoleUser is an account of the web console: a person who administers
// the ERP from a browser, as cloudspot-server's admin commands do from a
// terminal. Console users are not ERP users: they sign in to the console
// alone, and no ERP user signs in to it.
type ConsoleUser struct {
	ID           int64
	Username     string // unique among console users
	PasswordHash string // argon2id, as users' passwords
	Active       bool
	CreatedAt    time.Time
}

// ConsoleSession is a console user's signed-in browser. Only the hash of
// its secret is kept; the secret lives in the browser's cookie.
type ConsoleSession struct {
	ID         int64
	Hash       []byte
	UserID     int64
	CreatedAt  time.Time
	LastSeenAt time.Time
}

// ConsoleSessionLimits end console sessions: Idle after that long without
// a request, Lifetime after that long whatever happens.
type ConsoleSessionLimits struct {
	Idle     time.Duration
	Lifetime time.Duration
}

// DefaultConsoleSessionLimits end a session after 30 idle minutes, and
// every session after 12 hours: a working day.
func DefaultConsoleSessionLimits() ConsoleSessionLimits {
	return ConsoleSessionLimits{Idle: 30 * time.Minute, Lifetime: 12 * time.Hour}
}

func (l ConsoleSessionLimits) withDefaults() ConsoleSessionLimits {
	def := DefaultConsoleSessionLimits()
	if l.Idle <= 0 {
		l.Idle = def.Idle
	}
	if l.Lifetime <= 0 {
		l.Lifetime = def.Lifetime
	}
	return l
}

// consoleKey keeps a console username's sign-in counters apart from an
// ERP user's of the same name; the address's counter is shared, since one
// client guessing at both is one client.
func consoleKey(username string) string { return "console\x00" + username }

// CreateConsoleUser adds an active console user, storing only an argon2id
// hash of the password. Usernames follow the ERP users' rule.
func (s *Service) CreateConsoleUser(ctx context.Context, username, password string) (*ConsoleUser, error) {
	username = strings.TrimSpace(username)
	if !usernameRE.MatchString(username) {
		return nil, Errorf(EInvalid, "console username %q: use 1 to 150 letters, digits and . _ @ + -", clip(username, 160))
	}
	if err := checkPassword(password); err != nil {
		return nil, err
	}
	hash, err := HashPassword(password, s.argon)
	if err != nil {
		return nil, err
	}
	u := &ConsoleUser{Username: username, PasswordHash: hash, Active: true, CreatedAt: s.now()}
	return u, s.audited(ctx, s.console.CreateConsoleUser(ctx, u), AuditEvent{Action: AuditConsoleUserCreate, Detail: "console user " + u.Username})
}

// ConsoleUsers returns every console user by username.
func (s *Service) ConsoleUsers(ctx context.Context) ([]ConsoleUser, error) {
	return s.console.ConsoleUsers(ctx)
}

// SetConsoleUserActive activates or deactivates a console user; a
// deactivated user's sessions end at once, in this process and any other.
func (s *Service) SetConsoleUserActive(ctx context.Context, username string, active bool) error {
	u, err := s.consoleUser(ctx, username)
	if err != nil {
		return err
	}
	action := AuditConsoleUserActivate
	if !active {
		action = AuditConsoleUserDeactivate
	}
	return s.audited(ctx, s.console.SetConsoleUserActive(ctx, u.ID, active), AuditEvent{Action: action, Detail: "console user " + u.Username})
}

// SetConsoleUserPassword replaces a console user's password and ends their
// sessions.
func (s *Service) SetConsoleUserPassword(ctx context.Context, username, password string) error {
	if err := checkPassword(password); err != nil {
		return err
	}
	u, err := s.consoleUser(ctx, username)
	if err != nil {
		return err
	}
	hash, err := HashPassword(password, s.argon)
	if err != nil {
		return err
	}
	return s.audited(ctx, s.console.SetConsoleUserPassword(ctx, u.ID, hash),
		AuditEvent{Action: AuditConsoleUserPassword, Detail: "console user " + u.Username + ": password changed; sessions ended"})
}

func (s *Service) consoleUser(ctx context.Context, username string) (*ConsoleUser, error) {
	u, err := s.console.ConsoleUserByUsername(ctx, strings.TrimSpace(username))
	return u, notFoundAs(err, "console user %q does not exist", clip(username, 160))
}

// ConsoleSignIn checks a console user's password and opens a session,
// returning its secret (for the browser's cookie; it is not stored) and
// the user. address is the client's, as ClientAddress returns it. The
// attempt is counted against the same SignInLimits as the API's sign-ins,
// on counters of its own for the username (the address's are shared), and
// waits for the same share of the hashing capacity. Wrong password, unknown
// user and a deactivated user are the same error, in about the same time.
func (s *Service) ConsoleSignIn(ctx context.Context, address, username, password string) (string, *ConsoleUser, error) {
	if err := checkUsername(username); err != nil {
		return "", nil, err
	}
	waitCtx, cancel := context.WithTimeout(ctx, s.wait)
	defer cancel()
	leave, err := s.inFlight.enter(waitCtx, address)
	if err != nil {
		return "", nil, err
	}
	defer leave()
	now := s.now()
	// A refusal is audited as the API's are (auditRefused): bounded a
	// minute, and without the typed username.
	keys := s.limits.keys(consoleKey(username), address, false)
	if err := s.countSignIn(ctx, keys, now, "", "", address); err != nil {
		return "", nil, err
	}
	u, err := s.console.ConsoleUserByUsername(ctx, username)
	hash := s.dummyHash
	switch {
	case err == nil:
		hash = u.PasswordHash
	case ErrorCode(err) != ENotFound:
		return "", nil, err
	}
	ok, err := s.verify(waitCtx, hash, password)
	if err != nil {
		return "", nil, err
	}
	if u == nil || !ok || !u.Active {
		e := AuditEvent{Action: AuditConsoleSignInFailed, Address: address, Detail: "unknown console username"}
		switch {
		case u == nil:
		case !ok:
			e.Actor, e.Detail = ConsoleActor(u.Username), "wrong password"
		default:
			e.Actor, e.Detail = ConsoleActor(u.Username), "deactivated console user"
		}
		// Failures share an entry per console user (or per unknown
		// name) and minute, under the audit's budget (auditAttempt).
		s.auditAttempt(ctx, e, []byte("console\x00"+e.Actor+"\x00"+e.Detail))
		return "", nil, errBadCredentials()
	}
	if err := s.signIns.RefundSignIn(ctx, keys, now); err != nil {
		s.log.Warn("refunding a successful console sign-in's attempt failed", "err", err)
	}
	secret := NewToken()
	sess := &ConsoleSession{Hash: HashToken(secret), UserID: u.ID, CreatedAt: now, LastSeenAt: now}
	if err := s.console.CreateConsoleSession(ctx, sess); err != nil {
		return "", nil, err
	}
	s.audit(ctx, AuditEvent{Action: AuditConsoleSignIn, Actor: ConsoleActor(u.Username), Address: address})
	return secret, u, nil
}

// ConsoleSession returns the user of the session whose secret a browser
// sent. A session that is unknown, idle longer than the limits allow,
// older than their lifetime, or whose user was deactivated is EUnauthorized;
// an ended one is deleted. Use is recorded at most once a minute.
func (s *Service) ConsoleSession(ctx context.Context, secret string) (*ConsoleUser, error) {
	if secret == "" || len(secret) > 2*tokenLen {
		return nil, errSessionEnded()
	}
	sess, u, err := s.console.ConsoleSessionByHash(ctx, HashToken(secret))
	if ErrorCode(err) == ENotFound {
		return nil, errSessionEnded()
	} else if err != nil {
		return nil, err
	}
	now := s.now()
	if !u.Active || !now.Before(sess.LastSeenAt.Add(s.consoleLimits.Idle)) || !now.Before(sess.CreatedAt.Add(s.consoleLimits.Lifetime)) {
		if err := s.console.DeleteConsoleSession(ctx, sess.ID); err != nil {
			s.log.Warn("deleting an ended console session failed", "err", err)
		}
		return nil, errSessionEnded()
	}
	if now.Sub(sess.LastSeenAt) >= touchEvery {
		if err := s.console.TouchConsoleSession(ctx, sess.ID, now); err != nil {
			s.log.Warn("recording a console session's use failed", "err", err)
		}
	}
	return u, nil
}

// ConsoleSignOut ends the session whose secret a browser sent; an unknown
// one is no error.
func (s *Service) ConsoleSignOut(ctx context.Context, secret string) error {
	if secret == "" || len(secret) > 2*tokenLen {
		return nil
	}
	sess, u, err := s.console.ConsoleSessionByHash(ctx, HashToken(secret))
	if ErrorCode(err) == ENotFound {
		return nil
	} else if err != nil {
		return err
	}
	return s.audited(ctx, s.console.DeleteConsoleSession(ctx, sess.ID), AuditEvent{Action: AuditConsoleSignOut, Actor: ConsoleActor(u.Username)})
}

// ConsoleKey returns the key that every process serving the console signs
// its forms with (a sign-in form's token, a message carried over a
// redirect), so that a form one process served is good at another.
func (s *Service) ConsoleKey(ctx context.Context) ([]byte, error) {
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, err
	}
	return s.console.ConsoleKey(ctx, fresh)
}

// MsgSessionEnded is what a browser whose console session ended is told.
const MsgSessionEnded = "Your session has ended; sign in again."

func errSessionEnded() *Error { return &Error{Code: EUnauthorized, Message: MsgSessionEnded} }
