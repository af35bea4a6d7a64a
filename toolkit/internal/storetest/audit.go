package storetest

import (
	"crypto/sha256"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

// auditTests hold erp.AuditStore to its rules: entries kept as written,
// selected by time, action, username and count, and purged by age.
var auditTests = []test{
	{"AddAudit", testAddAudit},
	{"AuditFilter", testAuditFilter},
	{"PurgeAudit", testPurgeAudit},
	{"AuditActorCompanyPages", testAuditActorCompanyPages},
	{"AggregateAudit", testAggregateAudit},
	{"ConcurrentAggregateAudit", testConcurrentAggregateAudit},
}

// addAudit appends entries, one second apart from t0, each with the action
// and username given as "action username" ("action" alone for none).
func addAudit(t *testing.T, st erp.AuditStore, entries ...string) []erp.AuditEvent {
	t.Helper()
	out := make([]erp.AuditEvent, len(entries))
	for i, e := range entries {
		action, username, _ := strings.Cut(e, " ")
		out[i] = erp.AuditEvent{At: t0.Add(time.Duration(i) * time.Second), Action: action, Username: username, Detail: fmt.Sprint("entry ", i)}
		check(t, st.AddAudit(ctx, &out[i]))
	}
	return out
}

// details lists the entries' Detail, which addAudit numbers.
func details(es []erp.AuditEvent) []string {
	out := []string{}
	for _, e := range es {
		out = append(out, e.Detail)
	}
	return out
}

func testAddAudit(t *testing.T, st erp.Store) {
	if es := erptest.Must(st.Audit(ctx, erp.AuditFilter{}))(t); len(es) != 0 {
		t.Fatalf("the audit log of an empty store holds %+v", es)
	}
	e := erp.AuditEvent{At: t0, Action: erp.AuditSignIn, Username: "françoise", App: "timeapp", Address: "2001:db8::/64",
		Detail: "user token 7 issued; “quotes” & <tags>\nand a second line", Actor: "console:anne-marie", Company: "acme", Attempts: 1}
	check(t, st.AddAudit(ctx, &e))
	other := erp.AuditEvent{At: t0, Action: erp.AuditCompanyCreate, Detail: "acme"}
	check(t, st.AddAudit(ctx, &other))
	if e.ID == 0 || other.ID == 0 || e.ID == other.ID {
		t.Fatalf("ids %d and %d: want two distinct ids", e.ID, other.ID)
	}
	got := erptest.Must(st.Audit(ctx, erp.AuditFilter{}))(t)
	if len(got) != 2 {
		t.Fatalf("the log holds %d entries, want 2", len(got))
	}
	sameTime(t, "At", got[0].At, t0)
	got[0].At = e.At
	if !reflect.DeepEqual(got[0], e) {
		t.Errorf("read back %+v, want %+v", got[0], e)
	}
	if got[1].ID != other.ID || got[1].Username != "" || got[1].App != "" || got[1].Address != "" || got[1].Actor != "" || got[1].Company != "" || got[1].Attempts != 1 {
		t.Errorf("an entry without username, app and address reads back as %+v", got[1])
	}
	bad := erp.AuditEvent{At: t0, Action: erp.AuditSignInFailed, Username: "nul\x00"}
	wantCode(t, "an entry with a NUL", st.AddAudit(ctx, &bad), erp.EInvalid)
}

func testAuditFilter(t *testing.T, st erp.Store) {
	addAudit(t, st,
		erp.AuditSignIn+" an",             // 0
		erp.AuditSignInFailed+" bert",     // 1
		erp.AuditThrottled,                // 2
		erp.AuditUserCreate+" an",         // 3
		"signinx.other an",                // 4: starts like signin. but is not one
		erp.AuditSignIn+" bert",           // 5
		erp.AuditCompanyTokenAPIVersion,   // 6
		erp.AuditCompanyToken+" an_",      // 7
		erp.AuditSignInFailed+" AN",       // 8
		erp.AuditCompanyRevoke+" an%",     // 9
		erp.AuditCategorieMove+" bert",    // 10
		erp.AuditImportArtikels+" anbert", // 11
	)
	at := func(i int) time.Time { return t0.Add(time.Duration(i) * time.Second) }
	for _, c := range []struct {
		name string
		f    erp.AuditFilter
		want []int
	}{
		{"everything, oldest first", erp.AuditFilter{}, []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}},
		{"since, inclusive", erp.AuditFilter{Since: at(9)}, []int{9, 10, 11}},
		{"until, exclusive", erp.AuditFilter{Until: at(2)}, []int{0, 1}},
		{"since and until", erp.AuditFilter{Since: at(3), Until: at(5)}, []int{3, 4}},
		{"one action", erp.AuditFilter{Action: erp.AuditSignIn}, []int{0, 5}},
		{"an action's prefix", erp.AuditFilter{Action: "signin."}, []int{0, 1, 2, 5, 8}},
		{"a longer prefix", erp.AuditFilter{Action: "company.token."}, []int{6, 7, 9}},
		{"a prefix that is not a whole word", erp.AuditFilter{Action: "sign."}, nil},
		{"a prefix with a LIKE wildcard", erp.AuditFilter{Action: "sign%."}, nil},
		{"an action without its dot", erp.AuditFilter{Action: "signin"}, nil},
		{"a username, exactly", erp.AuditFilter{Username: "an"}, []int{0, 3, 4}},
		{"a username with LIKE wildcards", erp.AuditFilter{Username: "an%"}, []int{9}},
		{"the newest entries, oldest first", erp.AuditFilter{Limit: 3}, []int{9, 10, 11}},
		{"all filters at once", erp.AuditFilter{Since: at(1), Until: at(9), Action: "signin.", Username: "bert", Limit: 1}, []int{5}},
	} {
		got := details(erptest.Must(st.Audit(ctx, c.f))(t))
		want := []string{}
		for _, i := range c.want {
			want = append(want, fmt.Sprint("entry ", i))
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s (%+v): %q, want %q", c.name, c.f, got, want)
		}
	}
}

func testPurgeAudit(t *testing.T, st erp.Store) {
	addAudit(t, st, erp.AuditSignIn, erp.AuditSignIn, erp.AuditSignIn, erp.AuditSignIn)
	if n := erptest.Must(st.PurgeAudit(ctx, t0.Add(2*time.Second)))(t); n != 2 {
		t.Errorf("purging the entries older than the third deleted %d, want 2", n)
	}
	if got, want := details(erptest.Must(st.Audit(ctx, erp.AuditFilter{}))(t)), []string{"entry 2", "entry 3"}; !reflect.DeepEqual(got, want) {
		t.Errorf("after the purge: %q, want %q (an entry as old as the limit stays)", got, want)
	}
	if n := erptest.Must(st.PurgeAudit(ctx, t0.Add(2*time.Second)))(t); n != 0 {
		t.Errorf("a second purge deleted %d, want 0", n)
	}
}

// testAuditActorCompanyPages selects by who made a change and which
// company it concerns, and reads a long log a page at a time, newest
// first, by the id an earlier page ended with.
func testAuditActorCompanyPages(t *testing.T, st erp.Store) {
	for i, e := range []struct{ actor, company string }{
		{"cli", "acme"},          // 0
		{"console:an", "acme"},   // 1
		{"console:an", "bakker"}, // 2
		{"", ""},                 // 3: a sign-in
		{"console:an%", "acme%"}, // 4
		{"console:bert", "acme"}, // 5
	} {
		ev := erp.AuditEvent{At: t0.Add(time.Duration(i) * time.Second), Action: erp.AuditUserCreate, Actor: e.actor, Company: e.company, Detail: fmt.Sprint("entry ", i)}
		check(t, st.AddAudit(ctx, &ev))
	}
	all := erptest.Must(st.Audit(ctx, erp.AuditFilter{}))(t)
	for _, c := range []struct {
		name string
		f    erp.AuditFilter
		want []int
	}{
		{"an actor, exactly", erp.AuditFilter{Actor: "console:an"}, []int{1, 2}},
		{"an actor with a LIKE wildcard", erp.AuditFilter{Actor: "console:an%"}, []int{4}},
		{"a company, exactly", erp.AuditFilter{Company: "acme"}, []int{0, 1, 5}},
		{"actor and company", erp.AuditFilter{Actor: "console:an", Company: "bakker"}, []int{2}},
		{"before an id", erp.AuditFilter{BeforeID: all[3].ID}, []int{0, 1, 2}},
		{"the newest page before an id", erp.AuditFilter{BeforeID: all[5].ID, Limit: 2}, []int{3, 4}},
		{"the next page", erp.AuditFilter{BeforeID: all[3].ID, Limit: 2}, []int{1, 2}},
		{"a company's pages", erp.AuditFilter{Company: "acme", BeforeID: all[5].ID, Limit: 1}, []int{1}},
	} {
		got := details(erptest.Must(st.Audit(ctx, c.f))(t))
		want := []string{}
		for _, i := range c.want {
			want = append(want, fmt.Sprint("entry ", i))
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s (%+v): %q, want %q", c.name, c.f, got, want)
		}
	}
}

func auditKey(name string) []byte {
	h := sha256.Sum256([]byte(name))
	return h[:]
}

// testAggregateAudit: an aggregate entry is appended once under its key and
// then counts the attempts added to it; it names its username only when a
// user of that name exists; a key names one entry, not another.
func testAggregateAudit(t *testing.T, st erp.Store) {
	f := newFixture(t, st, "acme")
	key := auditKey("refused user-acme")
	if found := erptest.Must(st.AddAuditAttempt(ctx, key))(t); found {
		t.Fatal("AddAuditAttempt found an entry under a key never used")
	}
	if es := erptest.Must(st.Audit(ctx, erp.AuditFilter{}))(t); len(es) != 0 {
		t.Fatalf("AddAuditAttempt without an entry wrote %+v", es)
	}
	e := erp.AuditEvent{At: t0, Action: erp.AuditThrottled, Username: f.user.Username, App: "timeapp", Address: "203.0.113.7", Detail: "refused", Actor: "console:an", Company: "acme", Attempts: 1}
	check(t, st.AddAggregateAudit(ctx, key, &e))
	if e.ID == 0 {
		t.Fatal("AddAggregateAudit set no id")
	}
	for range 4 {
		if !erptest.Must(st.AddAuditAttempt(ctx, key))(t) {
			t.Fatal("AddAuditAttempt did not find the entry just appended")
		}
	}
	// A second append under the key (another writer's) adds its attempts.
	late := erp.AuditEvent{At: t0.Add(time.Second), Action: erp.AuditThrottled, Username: f.user.Username, App: "other", Address: "198.51.100.1", Detail: "refused", Attempts: 3}
	check(t, st.AddAggregateAudit(ctx, key, &late))
	if late.ID != e.ID {
		t.Errorf("the second append under one key has id %d, want the entry's %d", late.ID, e.ID)
	}
	typed := erp.AuditEvent{At: t0, Action: erp.AuditThrottled, Username: "my secret password", Detail: "refused", Attempts: 1}
	check(t, st.AddAggregateAudit(ctx, auditKey("refused typed"), &typed))
	check(t, st.AddAudit(ctx, &erp.AuditEvent{At: t0, Action: erp.AuditSignIn, Username: f.user.Username}))

	got := erptest.Must(st.Audit(ctx, erp.AuditFilter{}))(t)
	if len(got) != 3 {
		t.Fatalf("the log holds %d entries, want 3: %+v", len(got), got)
	}
	want := e
	want.Attempts = 1 + 4 + 3
	sameTime(t, "At", got[0].At, t0)
	got[0].At = want.At
	if !reflect.DeepEqual(got[0], want) {
		t.Errorf("the aggregate entry reads back as %+v, want %+v (the first attempt's app and address, every attempt counted)", got[0], want)
	}
	if got[1].Username != "" || got[1].Attempts != 1 {
		t.Errorf("an aggregate entry for a username no user has reads back as %+v, want no username", got[1])
	}
	if got[2].Attempts != 1 {
		t.Errorf("an entry of its own counts %d attempts, want 1", got[2].Attempts)
	}
	if found := erptest.Must(st.AddAuditAttempt(ctx, auditKey("another key")))(t); found {
		t.Error("AddAuditAttempt found an entry under another key")
	}
	// A purged aggregate entry is gone with its key.
	erptest.Must(st.PurgeAudit(ctx, t0.Add(time.Hour)))(t)
	if found := erptest.Must(st.AddAuditAttempt(ctx, key))(t); found {
		t.Error("AddAuditAttempt found a purged entry")
	}
}

// testConcurrentAggregateAudit appends and counts under one key from many
// writers at once: one entry, every attempt counted.
func testConcurrentAggregateAudit(t *testing.T, st erp.Store) {
	key := auditKey("busy")
	const n = 60
	errs := parallel(n, func(i int) error {
		found, err := st.AddAuditAttempt(ctx, key)
		if err != nil || found {
			return err
		}
		return st.AddAggregateAudit(ctx, key, &erp.AuditEvent{At: t0, Action: erp.AuditSignInFailed, Detail: "unknown username", Attempts: 1})
	})
	for _, err := range errs {
		check(t, err)
	}
	got := erptest.Must(st.Audit(ctx, erp.AuditFilter{}))(t)
	if len(got) != 1 || got[0].Attempts != n {
		t.Errorf("%d attempts at once under one key: %d entries %+v, want one counting %d", n, len(got), got, n)
	}
}
