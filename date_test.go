package cloudspot

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want Date
	}{
		{"1985-03-14", Date{1985, time.March, 14}},
		{"  1985-03-14\n", Date{1985, time.March, 14}},
		{"1985-03-14T00:00:00Z", Date{1985, time.March, 14}},
		{"1985-03-14T23:59:59+05:00", Date{1985, time.March, 14}},
		{"1985-03-14T00:00:00.000000", Date{1985, time.March, 14}},
		{"1985-03-14 00:00:00", Date{1985, time.March, 14}},
		{" 1985-03-14 12:30 ", Date{1985, time.March, 14}},
		{"2024-02-29", Date{2024, time.February, 29}},
		{"2000-02-29", Date{2000, time.February, 29}},
		{"1600-02-29", Date{1600, time.February, 29}},
		{"2023-02-28", Date{2023, time.February, 28}},
		{"2023-12-31", Date{2023, time.December, 31}},
		{"2023-01-01", Date{2023, time.January, 1}},
		{"2023-04-30", Date{2023, time.April, 30}},
		{"0001-01-01", Date{1, time.January, 1}},
		{"0000-01-01", Date{0, time.January, 1}},
		{"9999-12-31", Date{9999, time.December, 31}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := ParseDate(tt.in)
			if err != nil {
				t.Fatalf("ParseDate(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("ParseDate(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseDateErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		wantMsg string
	}{
		{"", "empty"},
		{"   ", "empty"},
		{"2023-02-29", "day out of range"},
		{"1900-02-29", "day out of range"},
		{"2100-02-29", "day out of range"},
		{"2023-04-31", "day out of range"},
		{"2023-06-31", "day out of range"},
		{"2023-09-31", "day out of range"},
		{"2023-11-31", "day out of range"},
		{"2023-01-32", "day out of range"},
		{"2023-01-00", "day out of range"},
		{"2023-00-10", "month out of range"},
		{"2023-13-01", "month out of range"},
		{"0000-00-00", "month out of range"},
		{"2023-1-01", "YYYY-MM-DD"},
		{"2023-01-1", "YYYY-MM-DD"},
		{"23-01-01", "YYYY-MM-DD"},
		{"20230101", "YYYY-MM-DD"},
		{"2023/01/01", "YYYY-MM-DD"},
		{"14/03/1985", "YYYY-MM-DD"},
		{"2023-01-01Z", "YYYY-MM-DD"},
		{"2023-01-01x00:00", "YYYY-MM-DD"},
		{"2023-01-+1", "YYYY-MM-DD"},
		{"-023-01-01", "YYYY-MM-DD"},
		{"+2023-01-01", "YYYY-MM-DD"},
		{"12023-01-01", "YYYY-MM-DD"},
		{"abcd-ef-gh", "YYYY-MM-DD"},
		{"2023-02-29T00:00:00Z", "day out of range"},
		{"null", "YYYY-MM-DD"},
		{strings.Repeat("x", 100), "YYYY-MM-DD"},
	}
	for _, tt := range tests {
		name := tt.in
		if len(name) > 30 {
			name = name[:30]
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			d, err := ParseDate(tt.in)
			if err == nil {
				t.Fatalf("ParseDate(%q) = %v, want error", tt.in, d)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "cloudspot: invalid date ") {
				t.Errorf("error %q lacks prefix", msg)
			}
			if !strings.Contains(msg, tt.wantMsg) {
				t.Errorf("error %q does not contain %q", msg, tt.wantMsg)
			}
			if len(msg) > 120 {
				t.Errorf("error not truncated: %q", msg)
			}
		})
	}
}

func TestDateOf(t *testing.T) {
	t.Parallel()
	tokyo := time.FixedZone("JST", 9*3600)
	tests := []struct {
		name string
		t    time.Time
		want Date
	}{
		{"utc", time.Date(1985, 3, 14, 15, 4, 5, 0, time.UTC), Date{1985, time.March, 14}},
		{"own location", time.Date(1985, 3, 14, 23, 30, 0, 0, time.UTC).In(tokyo), Date{1985, time.March, 15}},
		{"midnight", time.Date(2024, 2, 29, 0, 0, 0, 0, tokyo), Date{2024, time.February, 29}},
		{"zero time", time.Time{}, Date{1, time.January, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := DateOf(tt.t); got != tt.want {
				t.Errorf("DateOf = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestDateString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		d    Date
		want string
	}{
		{Date{}, ""},
		{Date{1985, time.March, 14}, "1985-03-14"},
		{Date{2024, time.December, 1}, "2024-12-01"},
		{Date{33, time.January, 2}, "0033-01-02"},
		{Date{0, time.January, 1}, "0000-01-01"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			t.Parallel()
			if got := tt.d.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
			if tt.d.IsZero() != (tt.want == "") {
				t.Errorf("IsZero() = %v", tt.d.IsZero())
			}
		})
	}
}

func TestDateIsZero(t *testing.T) {
	t.Parallel()
	tests := []struct {
		d    Date
		want bool
	}{
		{Date{}, true},
		{Date{Year: 1}, false},
		{Date{Month: time.January}, false},
		{Date{Day: 1}, false},
		{Date{2000, time.January, 1}, false},
	}
	for _, tt := range tests {
		t.Run(tt.d.String(), func(t *testing.T) {
			t.Parallel()
			if got := tt.d.IsZero(); got != tt.want {
				t.Errorf("%+v.IsZero() = %v, want %v", tt.d, got, tt.want)
			}
		})
	}
}

func TestDateIn(t *testing.T) {
	t.Parallel()
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		ny = time.FixedZone("EST", -5*3600)
	}
	tests := []struct {
		name string
		d    Date
		loc  *time.Location
		want time.Time
	}{
		{"utc", Date{1985, time.March, 14}, time.UTC, time.Date(1985, 3, 14, 0, 0, 0, 0, time.UTC)},
		{"new york", Date{2024, time.July, 4}, ny, time.Date(2024, 7, 4, 0, 0, 0, 0, ny)},
		{"leap day", Date{2024, time.February, 29}, time.UTC, time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := tt.d.In(tt.loc)
			if !got.Equal(tt.want) || got.Location() != tt.loc {
				t.Errorf("In = %v, want %v", got, tt.want)
			}
			if DateOf(got) != tt.d {
				t.Errorf("DateOf(In) = %v, want %v", DateOf(got), tt.d)
			}
		})
	}
}

func TestDateBeforeAfter(t *testing.T) {
	t.Parallel()
	tests := []struct {
		a, b   Date
		before bool
		after  bool
	}{
		{Date{1985, 3, 14}, Date{1985, 3, 14}, false, false},
		{Date{1985, 3, 14}, Date{1985, 3, 15}, true, false},
		{Date{1985, 3, 31}, Date{1985, 4, 1}, true, false},
		{Date{1985, 12, 31}, Date{1986, 1, 1}, true, false},
		{Date{1986, 1, 1}, Date{1985, 12, 31}, false, true},
		{Date{2000, 6, 1}, Date{2000, 5, 30}, false, true},
		{Date{}, Date{1, 1, 1}, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.a.String()+"_"+tt.b.String(), func(t *testing.T) {
			t.Parallel()
			if got := tt.a.Before(tt.b); got != tt.before {
				t.Errorf("%v.Before(%v) = %v", tt.a, tt.b, got)
			}
			if got := tt.a.After(tt.b); got != tt.after {
				t.Errorf("%v.After(%v) = %v", tt.a, tt.b, got)
			}
		})
	}
}

func TestDateJSON(t *testing.T) {
	t.Parallel()
	type client struct {
		Name      string `json:"name"`
		BirthDate Date   `json:"birth_date"`
	}
	t.Run("marshal", func(t *testing.T) {
		t.Parallel()
		tests := []struct {
			c    client
			want string
		}{
			{client{"Ann", Date{1985, time.March, 14}}, `{"name":"Ann","birth_date":"1985-03-14"}`},
			{client{"Bob", Date{}}, `{"name":"Bob","birth_date":null}`},
		}
		for _, tt := range tests {
			got, err := json.Marshal(tt.c)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("Marshal = %s, want %s", got, tt.want)
			}
			var back client
			if err := json.Unmarshal(got, &back); err != nil {
				t.Fatal(err)
			}
			if back != tt.c {
				t.Errorf("round trip = %+v, want %+v", back, tt.c)
			}
		}
	})
	t.Run("unmarshal", func(t *testing.T) {
		t.Parallel()
		tests := []struct {
			in      string
			want    Date
			wantErr string
		}{
			{in: `"1985-03-14"`, want: Date{1985, time.March, 14}},
			{in: `"1985-03-14T00:00:00Z"`, want: Date{1985, time.March, 14}},
			{in: `"1985-03-14 10:00:00"`, want: Date{1985, time.March, 14}},
			{in: `" 1985-03-14 "`, want: Date{1985, time.March, 14}},
			{in: `null`, want: Date{}},
			{in: `""`, want: Date{}},
			{in: `" "`, want: Date{}},
			{in: `"2023-02-29"`, wantErr: "day out of range"},
			{in: `"14/03/1985"`, wantErr: "invalid date"},
			{in: `19850314`, wantErr: "found a number"},
			{in: `true`, wantErr: "found a boolean"},
			{in: `{}`, wantErr: "found an object"},
			{in: `["1985-03-14"]`, wantErr: "found a list"},
			{in: `"1985-03-14`, wantErr: "truncated JSON"},
			{in: ``, wantErr: "found empty input"},
		}
		for _, tt := range tests {
			t.Run(tt.in, func(t *testing.T) {
				t.Parallel()
				d := Date{2001, time.January, 1} // must be overwritten
				err := d.UnmarshalJSON([]byte(tt.in))
				if tt.wantErr != "" {
					if err == nil {
						t.Fatalf("UnmarshalJSON(%s) = %v, want error", tt.in, d)
					}
					if !strings.HasPrefix(err.Error(), "cloudspot: invalid date") || !strings.Contains(err.Error(), tt.wantErr) {
						t.Errorf("error %q, want it to contain %q", err, tt.wantErr)
					}
					return
				}
				if err != nil {
					t.Fatalf("UnmarshalJSON(%s): %v", tt.in, err)
				}
				if d != tt.want {
					t.Errorf("UnmarshalJSON(%s) = %+v, want %+v", tt.in, d, tt.want)
				}
			})
		}
	})
	t.Run("struct null resets", func(t *testing.T) {
		t.Parallel()
		c := client{BirthDate: Date{1985, time.March, 14}}
		if err := json.Unmarshal([]byte(`{"birth_date":null}`), &c); err != nil {
			t.Fatal(err)
		}
		if !c.BirthDate.IsZero() {
			t.Errorf("null did not reset date: %v", c.BirthDate)
		}
		if err := json.Unmarshal([]byte(`{"birth_date":42}`), &c); err == nil {
			t.Error("number accepted")
		}
	})
	t.Run("pointer", func(t *testing.T) {
		t.Parallel()
		var v struct {
			D *Date `json:"d"`
		}
		if err := json.Unmarshal([]byte(`{"d":"2024-02-29"}`), &v); err != nil {
			t.Fatal(err)
		}
		if v.D == nil || *v.D != (Date{2024, time.February, 29}) {
			t.Errorf("pointer = %v", v.D)
		}
	})
}

func TestDateText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    Date
		wantErr bool
	}{
		{in: "1985-03-14", want: Date{1985, time.March, 14}},
		{in: " 1985-03-14T08:00:00Z ", want: Date{1985, time.March, 14}},
		{in: "", want: Date{}},
		{in: "   ", want: Date{}},
		{in: "2023-02-29", wantErr: true},
		{in: "yesterday", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			d := Date{2001, time.January, 1}
			err := d.UnmarshalText([]byte(tt.in))
			if tt.wantErr {
				if err == nil {
					t.Fatalf("UnmarshalText(%q) = %v, want error", tt.in, d)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d != tt.want {
				t.Errorf("UnmarshalText(%q) = %+v, want %+v", tt.in, d, tt.want)
			}
			text, err := d.MarshalText()
			if err != nil {
				t.Fatal(err)
			}
			var back Date
			if err := back.UnmarshalText(text); err != nil {
				t.Fatal(err)
			}
			if back != d {
				t.Errorf("text round trip %q -> %+v", text, back)
			}
		})
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{
		"1985-03-14", "2024-02-29", "2023-02-29", "1985-03-14T00:00:00Z",
		"1985-03-14 00:00:00", " 0000-01-01 ", "9999-12-31", "", "null",
		"2023-13-01", "20230101", "2023-1-1",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "cloudspot: invalid date") {
				t.Fatalf("error %q lacks prefix", err)
			}
			return
		}
		if d.IsZero() {
			t.Fatalf("ParseDate(%q) returned the zero Date without error", s)
		}
		str := d.String()
		back, err := ParseDate(str)
		if err != nil || back != d {
			t.Fatalf("round trip %q -> %q -> %+v, %v", s, str, back, err)
		}
		if DateOf(d.In(time.UTC)) != d {
			t.Fatalf("In/DateOf round trip of %v", d)
		}
		js, err := d.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		var fromJSON Date
		if err := json.Unmarshal(js, &fromJSON); err != nil || fromJSON != d {
			t.Fatalf("JSON round trip of %q: %s -> %+v, %v", s, js, fromJSON, err)
		}
	})
}
