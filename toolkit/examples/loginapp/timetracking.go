package main

import (
	"net/http"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// The time tracking page is where the permission model shows: opening it
// needs timeapp_timetracking_use, and its Create button (and the POST behind
// it) needs timeapp_timetracking_create as well. Hiding the button is only
// for the user's sake; the server checks the permission again.

// entry is one time entry.
type entry struct {
	At          time.Time
	Description string
}

// maxEntries bounds what one user can make the app hold in memory.
const maxEntries = 50

// entryStore keeps each user's latest entries in memory, newest first. A
// real app would keep them in a database. It is safe for concurrent use.
type entryStore struct {
	mu     sync.Mutex
	byUser map[string][]entry
}

func newEntryStore() *entryStore {
	return &entryStore{byUser: map[string][]entry{}}
}

func (st *entryStore) add(username string, e entry) {
	st.mu.Lock()
	defer st.mu.Unlock()
	list := append([]entry{e}, st.byUser[username]...)
	if len(list) > maxEntries {
		list = list[:maxEntries]
	}
	st.byUser[username] = list
}

func (st *entryStore) list(username string) []entry {
	st.mu.Lock()
	defer st.mu.Unlock()
	return append([]entry(nil), st.byUser[username]...)
}

// forbidden answers 403 for a signed-in user who lacks a permission.
func (a *app) forbidden(w http.ResponseWriter, r *http.Request, q *request, perm string) {
	a.log.Info("permission missing", "username", q.sess.Username, "permission", perm)
	a.render(w, r, http.StatusForbidden, "message", view{
		Title:     "No access",
		CSRF:      q.sess.CSRF,
		Error:     "You do not have the permission " + perm + ". Ask your ERP administrator if you need it.",
		Back:      "/dashboard",
		BackLabel: "Back to the dashboard",
	})
}

func (a *app) timetrackingView(q *request) view {
	return view{
		Title:     "Time tracking",
		CSRF:      q.sess.CSRF,
		CanCreate: q.perms.Has(permTimetrackingCreate),
		Entries:   a.entries.list(q.sess.Username),
	}
}

// timetracking shows the user's entries, and the create form to those who
// may create.
func (a *app) timetracking(w http.ResponseWriter, r *http.Request, q *request) {
	if !q.perms.Has(permTimetracking) {
		a.forbidden(w, r, q, permTimetracking)
		return
	}
	a.render(w, r, http.StatusOK, "timetracking", a.timetrackingView(q))
}

// createEntry adds a time entry; signedIn has checked the CSRF token.
func (a *app) createEntry(w http.ResponseWriter, r *http.Request, q *request) {
	for _, p := range []string{permTimetracking, permTimetrackingCreate} {
		if !q.perms.Has(p) {
			a.forbidden(w, r, q, p)
			return
		}
	}
	desc := strings.TrimSpace(r.PostFormValue("description"))
	if desc == "" || utf8.RuneCountInString(desc) > 200 || !utf8.ValidString(desc) {
		v := a.timetrackingView(q)
		v.Error = "Describe what you are working on in 1 to 200 characters."
		v.Description = desc
		a.render(w, r, http.StatusUnprocessableEntity, "timetracking", v)
		return
	}
	a.entries.add(q.sess.Username, entry{At: a.now(), Description: desc})
	http.Redirect(w, r, "/timetracking", http.StatusSeeOther)
}
