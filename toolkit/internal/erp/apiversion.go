package erp

import (
	"context"
	"crypto/rand"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// APIVersion names the release of the reference client whose bodies an
// answer carries. The reference clients copy every key of an answer onto
// their models and fail on a key they do not know, so an answer must carry
// exactly the keys of the version its client speaks: the server cannot send
// the richest bodies to everyone.
type APIVersion string

// The versions the server speaks. The zero APIVersion means "not chosen"
// and is served as APIVersion04.
const (
	APIVersion04 APIVersion = "0.4" // the protocol's bodies; the default
	APIVersion05 APIVersion = "0.5" // adds company to the sign-in answer, company and pin to the user
	// APIVersion06 adds the products' id, brand, categories, photos,
	// price categories, EANs and texts, and the categories call. The
	// reference wrappers' own number for these bodies is not known: 0.6 is
	// this server's name for them.
	APIVersion06 APIVersion = "0.6"
	// LatestAPIVersion is the richest version this server speaks.
	LatestAPIVersion = APIVersion06
)

// APIVersions lists the versions the server speaks, oldest first.
func APIVersions() []APIVersion { return []APIVersion{APIVersion04, APIVersion05, APIVersion06} }

// ParseAPIVersion reads a version as an administrator or a client writes
// it: "0.5", "0.5.0" or "latest" (any case, spaces around ignored). "" is
// the zero APIVersion.
func ParseAPIVersion(s string) (APIVersion, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	switch s {
	case "":
		return "", nil
	case "latest":
		return LatestAPIVersion, nil
	}
	for _, v := range APIVersions() {
		if s == string(v) || s == string(v)+".0" {
			return v, nil
		}
	}
	return "", Errorf(EInvalid, "API version %q is not one this server speaks: %s or latest", clip(s, 20), versionList())
}

func versionList() string {
	vs := APIVersions()
	names := make([]string, len(vs))
	for i, v := range vs {
		names[i] = string(v)
	}
	return strings.Join(names, ", ")
}

// clip shortens what a client sent before an error message repeats it,
// to at most n bytes and never inside a character.
func clip(s string, n int) string {
	if len(s) > n {
		for n > 0 && !utf8.RuneStart(s[n]) {
			n--
		}
		return s[:n] + "…"
	}
	return s
}

// OrDefault is v, or APIVersion04 when v was not chosen.
func (v APIVersion) OrDefault() APIVersion {
	if v == "" {
		return APIVersion04
	}
	return v
}

// AtLeast reports whether v (or the default, when v is not chosen) has
// everything of w.
func (v APIVersion) AtLeast(w APIVersion) bool {
	return rank(v.OrDefault()) >= rank(w.OrDefault())
}

func rank(v APIVersion) int {
	for i, k := range APIVersions() {
		if k == v {
			return i
		}
	}
	return -1
}

// uidRE is what a company uid may be: the ERP's uids are UUIDs, and an
// administrator copying one from the ERP needs no other characters.
var uidRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9-]{0,63}$`)

// pinRE is a user's pin: digits only, as typed on a time clock's keypad.
var pinRE = regexp.MustCompile(`^[0-9]{4,12}$`)

// NewCompanyUID returns a random UUID (version 4), the form the ERP gives a
// company's uid.
func NewCompanyUID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// SetCompanyUID gives a company the uid it has in the ERP, so that apps
// that match companies by uid see the same one here.
func (s *Service) SetCompanyUID(ctx context.Context, companySlug, uid string) error {
	uid = strings.TrimSpace(uid)
	if !uidRE.MatchString(uid) {
		return Errorf(EInvalid, "company uid %q: use 1 to 64 letters, digits and -, such as a UUID", clip(uid, 70))
	}
	c, err := s.company(ctx, companySlug)
	if err != nil {
		return err
	}
	return s.audited(ctx, s.accounts.SetCompanyUID(ctx, c.ID, uid), AuditEvent{Action: AuditCompanyUID, Company: c.Slug, Detail: c.Slug + " uid " + uid})
}

// SetUserPin sets a user's pin, or clears it with "". The ERP hands the pin
// to the apps the user signs in to (version 0.5 and later), so it is kept
// as it was given, not hashed: it is not a credential of this server.
func (s *Service) SetUserPin(ctx context.Context, username, pin string) error {
	if pin != "" && !pinRE.MatchString(pin) {
		return Errorf(EInvalid, "a pin is 4 to 12 digits")
	}
	u, err := s.user(ctx, username)
	if err != nil {
		return err
	}
	detail := "pin set" // never the pin itself
	if pin == "" {
		detail = "pin removed"
	}
	return s.audited(ctx, s.accounts.SetUserPin(ctx, u.ID, pin), AuditEvent{Action: AuditUserPin, Username: u.Username, Company: s.companySlug(ctx, u.CompanyID), Detail: detail})
}

// SetAppAPIVersion chooses the version of the bodies an app's users get
// when their client does not ask for one: an app built on the reference
// client 0.5 cannot say so itself.
func (s *Service) SetAppAPIVersion(ctx context.Context, appSlug string, v APIVersion) error {
	if err := checkVersion(v); err != nil {
		return err
	}
	app, err := s.app(ctx, appSlug)
	if err != nil {
		return err
	}
	return s.audited(ctx, s.accounts.SetAppAPIVersion(ctx, app.ID, v), AuditEvent{Action: AuditAppAPIVersion, App: app.Slug, Detail: "API version " + string(v)})
}

// SetCompanyTokenAPIVersion chooses the version of the bodies a company
// token's calls get when the client does not ask for one: an integration
// built on a later reference client cannot say so itself.
func (s *Service) SetCompanyTokenAPIVersion(ctx context.Context, tokenID int64, v APIVersion) error {
	if err := checkVersion(v); err != nil {
		return err
	}
	t, err := s.tokens.CompanyTokenByID(ctx, tokenID)
	if err != nil {
		return notFoundAs(err, "company token %d does not exist", tokenID)
	}
	return s.audited(ctx, s.tokens.SetCompanyTokenAPIVersion(ctx, t.ID, v),
		AuditEvent{Action: AuditCompanyTokenAPIVersion, Company: s.companySlug(ctx, t.CompanyID), Detail: fmt.Sprintf("token %d %q: API version %s", t.ID, t.Name, v)})
}

// checkVersion refuses a version an administrator may not set.
func checkVersion(v APIVersion) error {
	if v == "" {
		return Errorf(EInvalid, "an API version is required: %s or latest", versionList())
	}
	if rank(v) < 0 {
		return Errorf(EInvalid, "API version %q is not one this server speaks: %s or latest", clip(string(v), 20), versionList())
	}
	return nil
}

// versionFor is the version of a company call's answer: the one the client
// asked for, else the token's own setting, else the protocol's.
func (t *CompanyToken) versionFor(asked APIVersion) APIVersion {
	if asked != "" {
		return asked
	}
	return t.APIVersion.OrDefault()
}
