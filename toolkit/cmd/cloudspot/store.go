package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	gokeyring "github.com/zalando/go-keyring"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/command"
)

// Where login keeps tokens. Every stored token has an entry in the index
// file (tokens.json in the user's config directory, mode 0600 in a 0700
// directory); the token itself is in the OS keyring when there is one, and
// in the entry otherwise.
const (
	inKeyring = "keyring"
	inFile    = "file"

	keyringService = "cloudspot"
)

// entry is one stored token: a user token for an app at a base URL, or a
// company token (App empty) at a base URL.
type entry struct {
	BaseURL  string    `json:"base_url"`
	App      string    `json:"app,omitempty"`
	Company  bool      `json:"company,omitempty"`
	Username string    `json:"username,omitempty"`
	Name     string    `json:"name,omitempty"`
	Store    string    `json:"store"`
	Token    string    `json:"token,omitempty"`
	SavedAt  time.Time `json:"saved_at"`
}

// key names the entry in the keyring.
func (e entry) key() string {
	if e.Company {
		return e.BaseURL + " company"
	}
	return e.BaseURL + " app:" + e.App
}

// same reports whether o is a token for the same thing as e: the same app
// (or the company) at the same ERP, however its base URL was spelled.
func (e entry) same(o entry) bool {
	return command.SameERP(e.BaseURL, o.BaseURL) && e.Company == o.Company && e.App == o.App
}

type indexFile struct {
	Tokens []entry `json:"tokens"`
}

// keyring is the OS keyring; an interface so that tests can replace it.
type keyring interface {
	Set(service, user, secret string) error
	Get(service, user string) (string, error)
	Delete(service, user string) error
}

// osKeyring is the real keyring. A call that hangs (a Secret Service that
// never answers) counts as no keyring after a few seconds.
type osKeyring struct{}

func (osKeyring) Set(service, user, secret string) error {
	_, err := withDeadline(func() (string, error) { return "", gokeyring.Set(service, user, secret) })
	return err
}

func (osKeyring) Get(service, user string) (string, error) {
	return withDeadline(func() (string, error) { return gokeyring.Get(service, user) })
}

func (osKeyring) Delete(service, user string) error {
	_, err := withDeadline(func() (string, error) { return "", gokeyring.Delete(service, user) })
	return err
}

func withDeadline(f func() (string, error)) (string, error) {
	type result struct {
		s   string
		err error
	}
	ch := make(chan result, 1)
	go func() { s, err := f(); ch <- result{s, err} }()
	select {
	case r := <-ch:
		return r.s, r.err
	case <-time.After(5 * time.Second):
		return "", errors.New("the keyring did not answer")
	}
}

// tokenStore reads and writes stored tokens.
type tokenStore struct {
	dir     string // the cloudspot config directory
	mode    string // "", inKeyring or inFile (CLOUDSPOT_TOKEN_STORE)
	ci      bool   // CI is set: never try the keyring unless asked to
	keyring keyring
}

func (c *cli) store() (*tokenStore, error) {
	dir := c.getenv("XDG_CONFIG_HOME")
	if dir == "" {
		d, err := os.UserConfigDir()
		if err != nil {
			return nil, failf("cannot find a config directory to keep tokens in: %v", err)
		}
		dir = d
	}
	mode := strings.ToLower(strings.TrimSpace(c.getenv("CLOUDSPOT_TOKEN_STORE")))
	if mode != "" && mode != inKeyring && mode != inFile {
		return nil, usagef("CLOUDSPOT_TOKEN_STORE=%q: want %q or %q", mode, inKeyring, inFile)
	}
	return &tokenStore{dir: filepath.Join(dir, "cloudspot"), mode: mode, ci: c.getenv("CI") != "", keyring: osKeyring{}}, nil
}

func (s *tokenStore) path() string { return filepath.Join(s.dir, "tokens.json") }

func (s *tokenStore) load() (indexFile, error) {
	var f indexFile
	b, err := os.ReadFile(s.path())
	if errors.Is(err, os.ErrNotExist) {
		return f, nil
	}
	if err != nil {
		return f, failf("reading stored tokens: %v", err)
	}
	if err := json.Unmarshal(b, &f); err != nil {
		return f, failf("%s is damaged (%v); remove it and run cloudspot login again", s.path(), err)
	}
	return f, nil
}

// save writes the index with mode 0600 in a 0700 directory, replacing the
// old file in one step so that a crash leaves either version whole.
func (s *tokenStore) save(f indexFile) error {
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return failf("keeping tokens: %v", err)
	}
	if err := os.Chmod(s.dir, 0o700); err != nil {
		return failf("keeping tokens: %v", err)
	}
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(s.dir, ".tokens-*.json")
	if err != nil {
		return failf("keeping tokens: %v", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return failf("keeping tokens: %v", err)
	}
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		return failf("keeping tokens: %v", err)
	}
	if err := tmp.Close(); err != nil {
		return failf("keeping tokens: %v", err)
	}
	if err := os.Rename(tmp.Name(), s.path()); err != nil {
		return failf("keeping tokens: %v", err)
	}
	return nil
}

// put stores token for e and says where it went: in the keyring unless the
// store is forced to a file, CI is set, or there is no keyring; the reason
// for a file is returned for the user.
func (s *tokenStore) put(e entry, token string) (stored entry, why string, err error) {
	e.SavedAt = time.Now().UTC().Truncate(time.Second)
	e.Store, e.Token = inFile, token
	switch {
	case s.mode == inFile:
		why = "CLOUDSPOT_TOKEN_STORE=file"
	case s.mode == "" && s.ci:
		why = "CI is set"
	default:
		kerr := s.keyring.Set(keyringService, e.key(), token)
		if kerr == nil {
			e.Store, e.Token = inKeyring, ""
		} else if s.mode == inKeyring {
			return e, "", failf("cannot store the token in the OS keyring: %v", kerr)
		} else {
			why = "no OS keyring: " + oneLine(kerr.Error())
		}
	}
	f, err := s.load()
	if err != nil {
		return e, "", err
	}
	for _, old := range f.Tokens {
		if old.same(e) && old.Store == inKeyring && (e.Store == inFile || old.key() != e.key()) {
			_ = s.keyring.Delete(keyringService, old.key())
		}
	}
	f.Tokens = slices.DeleteFunc(f.Tokens, e.same)
	f.Tokens = append(f.Tokens, e)
	return e, why, s.save(f)
}

// token returns the token of a stored entry.
func (s *tokenStore) token(e entry) (string, error) {
	if e.Store == inFile {
		return e.Token, nil
	}
	t, err := s.keyring.Get(keyringService, e.key())
	if err != nil {
		return "", fmt.Errorf("the OS keyring: %v", oneLine(err.Error()))
	}
	return t, nil
}

// remove forgets e, in the keyring and in the index.
func (s *tokenStore) remove(e entry) error {
	if e.Store == inKeyring {
		if err := s.keyring.Delete(keyringService, e.key()); err != nil && !errors.Is(err, gokeyring.ErrNotFound) {
			return failf("removing the token from the OS keyring: %v", oneLine(err.Error()))
		}
	}
	f, err := s.load()
	if err != nil {
		return err
	}
	f.Tokens = slices.DeleteFunc(f.Tokens, e.same)
	return s.save(f)
}

// find returns the stored entries for the ERP at base that match app ("" =
// any user token) or, with company, the company token.
func (s *tokenStore) find(base, app string, company bool) ([]entry, error) {
	f, err := s.load()
	if err != nil {
		return nil, err
	}
	var out []entry
	for _, e := range f.Tokens {
		if !command.SameERP(e.BaseURL, base) || e.Company != company {
			continue
		}
		if !company && app != "" && e.App != app {
			continue
		}
		out = append(out, e)
	}
	return out, nil
}

// where says where an entry's token is, for people.
func (s *tokenStore) where(e entry) string {
	if e.Store == inKeyring {
		return "the OS keyring"
	}
	return s.path()
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
