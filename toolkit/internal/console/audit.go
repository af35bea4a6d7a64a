package console

import (
	"net/http"
	"strconv"
	"time"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
)

// The audit log, newest first, a page at a time, filtered by time, actor,
// kind of change, company and user: admin audit.

const auditPage = 50

type auditView struct {
	Filter  auditFilter
	Entries []erp.AuditEvent
	// Older is the before= of the next page, 0 for none.
	Older int64
}

// auditFilter is the filter form's values as typed.
type auditFilter struct {
	Since, Until, Actor, Action, Company, User string
}

// timeLayout is how the form's times are typed (datetime-local), in UTC.
const timeLayout = "2006-01-02T15:04"

func (c *Console) showAudit(q *request) error {
	if err := q.r.ParseForm(); err != nil {
		return err
	}
	form := q.r.Form
	v := auditView{Filter: auditFilter{Since: form.Get("since"), Until: form.Get("until"), Actor: form.Get("actor"),
		Action: form.Get("action"), Company: form.Get("company"), User: form.Get("user")}}
	f := erp.AuditFilter{Actor: v.Filter.Actor, Action: v.Filter.Action, Company: v.Filter.Company, Username: v.Filter.User, Limit: auditPage + 1}
	var errs []fieldError
	for _, t := range []struct {
		field, value string
		to           *time.Time
	}{{"since", v.Filter.Since, &f.Since}, {"until", v.Filter.Until, &f.Until}} {
		if t.value == "" {
			continue
		}
		at, err := time.Parse(timeLayout, t.value)
		if err != nil {
			errs = append(errs, fieldError{t.field, "Give a time as 2026-01-02T15:04 (UTC)."})
			continue
		}
		*t.to = at
	}
	if b, err := strconv.ParseInt(form.Get("before"), 10, 64); err == nil && b > 0 {
		f.BeforeID = b
	}
	status := http.StatusOK
	if len(errs) == 0 {
		es, err := c.svc.Audit(q.ctx, f)
		if err != nil {
			return err
		}
		if len(es) > auditPage {
			es = es[1:] // the oldest is the next page's
			v.Older = es[0].ID
		}
		for i := len(es) - 1; i >= 0; i-- {
			v.Entries = append(v.Entries, es[i])
		}
	} else {
		status = http.StatusBadRequest
	}
	return q.page(c, status, "audit", "audit", "Audit log", v, errs...)
}
