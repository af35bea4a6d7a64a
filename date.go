package cloudspot

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Date is a calendar date without a time of day or time zone, such as a
// client's birth date. The zero value means "unset"; it is encoded as null in
// JSON and as empty text.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// dateError builds a ParseDate error quoting (a truncated) input.
func dateError(input, reason string) error {
	return fmt.Errorf("cloudspot: invalid date %s: %s", decimalQuote(input), reason)
}

// dateDaysIn returns the number of days in month m of year y (Gregorian).
func dateDaysIn(y int, m time.Month) int {
	switch m {
	case time.February:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

// dateAtoi parses a fixed-width run of ASCII digits.
func dateAtoi(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// ParseDate parses a "YYYY-MM-DD" date and checks that it exists (2023-02-29
// is an error). Surrounding spaces are ignored. A date-time whose date is
// followed by 'T' or ' ' ("1985-03-14T00:00:00Z", "1985-03-14 00:00:00") is
// accepted and its time part ignored, without time zone conversion.
func ParseDate(s string) (Date, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return Date{}, dateError(s, "empty string")
	}
	if len(t) > 10 && (t[10] == 'T' || t[10] == ' ') {
		t = t[:10]
	}
	if len(t) != 10 || t[4] != '-' || t[7] != '-' {
		return Date{}, dateError(s, "want YYYY-MM-DD")
	}
	y, ok1 := dateAtoi(t[0:4])
	m, ok2 := dateAtoi(t[5:7])
	d, ok3 := dateAtoi(t[8:10])
	if !ok1 || !ok2 || !ok3 {
		return Date{}, dateError(s, "want YYYY-MM-DD")
	}
	if m < 1 || m > 12 {
		return Date{}, dateError(s, "month out of range")
	}
	if d < 1 || d > dateDaysIn(y, time.Month(m)) {
		return Date{}, dateError(s, "day out of range")
	}
	return Date{Year: y, Month: time.Month(m), Day: d}, nil
}

// DateOf returns the date of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// String returns "YYYY-MM-DD" (year zero-padded to 4 digits), or "" for the
// zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// IsZero reports whether d is the zero (unset) Date.
func (d Date) IsZero() bool { return d == Date{} }

// In returns midnight at the start of d in loc (loc must not be nil). Out of
// range fields are normalized as by time.Date.
func (d Date) In(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// Before reports whether d is strictly earlier than e.
func (d Date) Before(e Date) bool {
	if d.Year != e.Year {
		return d.Year < e.Year
	}
	if d.Month != e.Month {
		return d.Month < e.Month
	}
	return d.Day < e.Day
}

// After reports whether d is strictly later than e.
func (d Date) After(e Date) bool { return e.Before(d) }

// MarshalJSON writes the zero Date as null and others as "YYYY-MM-DD".
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(d.String())
}

// UnmarshalJSON accepts null or "" (both give the zero Date) and a JSON
// string parsed with ParseDate. Other JSON values are an error.
func (d *Date) UnmarshalJSON(data []byte) error {
	v, err := unmarshalScalar(data, "cloudspot: invalid date", (*scanner).date)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// MarshalText returns String() ("" for the zero Date).
func (d Date) MarshalText() ([]byte, error) {
	return []byte(d.String()), nil
}

// UnmarshalText parses text with ParseDate; empty (or blank) text gives the
// zero Date.
func (d *Date) UnmarshalText(text []byte) error {
	if len(bytes.TrimSpace(text)) == 0 {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(string(text))
	if err != nil {
		return err
	}
	*d = v
	return nil
}
