package cloudspot

import (
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"sync"
	"testing"
)

func TestNewDecimal(t *testing.T) {
	t.Parallel()
	tests := []struct {
		unscaled int64
		scale    int32
		want     string
		wantSc   int32
	}{
		{0, 0, "0", 0},
		{0, 2, "0.00", 2},
		{1250, 2, "12.50", 2},
		{-5, 2, "-0.05", 2},
		{5, -2, "500", 0},
		{-7, -1, "-70", 0},
		{0, -3, "0", 0},
		{math.MaxInt64, 0, "9223372036854775807", 0},
		{math.MinInt64, 3, "-9223372036854775.808", 3},
		{1, 25, "0.0000000000000000000000001", 25},
		{3, -20, "300000000000000000000", 0},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d_%d", tt.unscaled, tt.scale), func(t *testing.T) {
			t.Parallel()
			d := NewDecimal(tt.unscaled, tt.scale)
			if got := d.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
			if got := d.Scale(); got != tt.wantSc {
				t.Errorf("Scale() = %d, want %d", got, tt.wantSc)
			}
		})
	}
}

func TestDecimalUnknown(t *testing.T) {
	t.Parallel()
	var d Decimal
	if d.Known() || d.String() != "" || d.Sign() != 0 || d.Scale() != 0 || d.Rat() != nil || !math.IsNaN(d.Float64()) {
		t.Errorf("zero value: Known=%v String=%q Sign=%d Scale=%d Rat=%v Float64=%v", d.Known(), d.String(), d.Sign(), d.Scale(), d.Rat(), d.Float64())
	}
	if n, ok := d.Int64(); ok || n != 0 {
		t.Errorf("Int64 of unknown = %d, %v", n, ok)
	}
	zero := NewDecimal(0, 2)
	if !zero.Known() || zero.String() != "0.00" {
		t.Errorf("a known zero: Known=%v String=%q", zero.Known(), zero)
	}
	if d.Equal(zero) || zero.Equal(d) || d.Cmp(zero) != -1 || zero.Cmp(d) != 1 || !d.Equal(Decimal{}) {
		t.Error("unknown must differ from zero and sort first")
	}
	if d.Cmp(MustParseDecimal("-1e100")) != -1 {
		t.Error("unknown must sort before every known value")
	}
	for _, v := range []Decimal{d, zero} {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		var back Decimal
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if back.Known() != v.Known() || back.String() != v.String() {
			t.Errorf("JSON round trip of %q (%s): %q, known %v", v, b, back, back.Known())
		}
		text, _ := v.MarshalText()
		var fromText Decimal
		if err := fromText.UnmarshalText(text); err != nil || fromText.Known() != v.Known() || fromText.String() != v.String() {
			t.Errorf("text round trip of %q: %q, %v", v, fromText, err)
		}
	}
	if got, _ := json.Marshal(d); string(got) != "null" {
		t.Errorf("unknown marshals as %s, want null", got)
	}
}

func TestParseDecimal(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in    string
		want  string
		scale int32
	}{
		{"0", "0", 0},
		{"12.50", "12.50", 2},
		{"12,50", "12.50", 2},
		{"-0.05", "-0.05", 2},
		{"-0,05", "-0.05", 2},
		{"+3", "3", 0},
		{"  42.0\t\n", "42.0", 1},
		{".5", "0.5", 1},
		{"-.5", "-0.5", 1},
		{"5.", "5", 0},
		{"5,", "5", 0},
		{"007.10", "7.10", 2},
		{"-0", "0", 0},
		{"-0.00", "0.00", 2},
		{"1e2", "100", 0},
		{"1E2", "100", 0},
		{"1e+2", "100", 0},
		{"1.5e-3", "0.0015", 4},
		{"1.50e1", "15.0", 1},
		{"1.5e1", "15", 0},
		{"12,5e2", "1250", 0},
		{"-2.5E-1", "-0.25", 2},
		{"0e5", "0", 0},
		{"0.00e1", "0.0", 1},
		{"1e0", "1", 0},
		{"1e-0", "1", 0},
		{"1e0002", "100", 0},
		{"1e100", "1" + strings.Repeat("0", 100), 0},
		{"1e-100", "0." + strings.Repeat("0", 99) + "1", 100},
		{"123456789012345678901234567890.123456789", "123456789012345678901234567890.123456789", 9},
		{strings.Repeat("9", 100), strings.Repeat("9", 100), 0},
		{strings.Repeat("0", 500) + "1", "1", 0},
		{"0." + strings.Repeat("0", 150) + "1", "0." + strings.Repeat("0", 150) + "1", 151},
		{"1." + strings.Repeat("0", 200), "1." + strings.Repeat("0", 200), 200},
		{strings.Repeat("9", 100) + "e100", strings.Repeat("9", 100) + strings.Repeat("0", 100), 0},
	}
	for _, tt := range tests {
		name := tt.in
		if len(name) > 30 {
			name = name[:30]
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			d, err := ParseDecimal(tt.in)
			if err != nil {
				t.Fatalf("ParseDecimal(%q): %v", tt.in, err)
			}
			if got := d.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
			if got := d.Scale(); got != tt.scale {
				t.Errorf("Scale() = %d, want %d", got, tt.scale)
			}
		})
	}
}

func TestParseDecimalErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		wantMsg string // substring of the error besides the common prefix
	}{
		{"", "empty"},
		{"   ", "empty"},
		{"NaN", ""},
		{"nan", ""},
		{"Inf", ""},
		{"-Inf", ""},
		{"+Infinity", ""},
		{"1.2.3", "unexpected"},
		{"1,2,3", "unexpected"},
		{"1,234.56", "unexpected"},
		{"1.234,56", "unexpected"},
		{"1 000", "unexpected"},
		{"1_000", "unexpected"},
		{"1'000", "unexpected"},
		{"1e", "exponent"},
		{"1e+", "exponent"},
		{"1e-", "exponent"},
		{"e5", "no digits"},
		{"-", "no digits"},
		{"+", "no digits"},
		{".", "no digits"},
		{",", "no digits"},
		{"-.", "no digits"},
		{"abc", "no digits"},
		{"12abc", "unexpected"},
		{"--1", "no digits"},
		{"+-1", "no digits"},
		{"- 1", "no digits"},
		{"0x10", "unexpected"},
		{"1e2.5", "unexpected"},
		{"1e2e3", "unexpected"},
		{"١٢", "no digits"},
		{"12\x00", "unexpected"},
		{"1e101", "out of range"},
		{"1e-101", "out of range"},
		{"1e999999999999999999999", "out of range"},
		{"1e-00000000000000000000000101", "out of range"},
		{strings.Repeat("9", 101), "out of range"},
		{"0." + strings.Repeat("1", 101), "out of range"},
		{"1." + strings.Repeat("0", 201), "out of range"},
		{"0." + strings.Repeat("0", 300), "out of range"},
		{"1" + strings.Repeat("0", 300), "out of range"},
		{"1." + strings.Repeat("0", 150) + "e-60", "out of range"},
		{strings.Repeat("9", 100) + "e101", "out of range"},
		{strings.Repeat("9", 150) + "e100", "out of range"},
	}
	for _, tt := range tests {
		name := tt.in
		if len(name) > 30 {
			name = name[:30]
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			d, err := ParseDecimal(tt.in)
			if err == nil {
				t.Fatalf("ParseDecimal(%q) = %s, want error", tt.in, d)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "cloudspot: invalid decimal ") {
				t.Errorf("error %q lacks prefix", msg)
			}
			if !strings.Contains(msg, tt.wantMsg) {
				t.Errorf("error %q does not contain %q", msg, tt.wantMsg)
			}
			quoted := tt.in
			if len(quoted) > 40 {
				quoted = quoted[:40]
			}
			if !strings.Contains(msg, fmt.Sprintf("%q", quoted)) {
				t.Errorf("error %q does not quote the input", msg)
			}
			if len(msg) > 200 {
				t.Errorf("error message too long (%d bytes): %q", len(msg), msg)
			}
		})
	}
}

func TestMustParseDecimal(t *testing.T) {
	t.Parallel()
	if got := MustParseDecimal("19.99").String(); got != "19.99" {
		t.Errorf("MustParseDecimal = %s", got)
	}
	defer func() {
		if recover() == nil {
			t.Error("MustParseDecimal(\"x\") did not panic")
		}
	}()
	MustParseDecimal("x")
}

func TestDecimalStringAndFormat(t *testing.T) {
	t.Parallel()
	d := MustParseDecimal("-1234.500")
	if got := fmt.Sprintf("%v|%s|%v", d, d, &d); got != "-1234.500|-1234.500|-1234.500" {
		t.Errorf("fmt = %q", got)
	}
	type wrapper struct{ Price Decimal }
	if got := fmt.Sprintf("%v", wrapper{MustParseDecimal("9.90")}); got != "{9.90}" {
		t.Errorf("fmt struct = %q", got)
	}
}

func TestDecimalCmp(t *testing.T) {
	t.Parallel()
	tests := []struct {
		a, b string
		want int
	}{
		{"1.0", "1.00", 0},
		{"1", "1.000000", 0},
		{"0", "0.00", 0},
		{"0", "-0.00", 0},
		{"1.01", "1.1", -1},
		{"-1.01", "-1.1", 1},
		{"-1", "0", -1},
		{"0", "-0.0001", 1},
		{"100", "99.999", 1},
		{"1e2", "100.00", 0},
		{"-5", "5", -1},
		{"9223372036854775807", "922337203685477580.7", 1},
		{"-9223372036854775808", "-922337203685477580.8", -1},
		{"0.000000000000000000001", "0.00000000000000000001", -1},
		{"123456789012345678901234567890", "123456789012345678901234567891", -1},
		{"123456789012345678901234567890", "12345678901234567890123456789.0", 1},
		{"99999999999999999999", "1e20", -1},
		{"1.5", "1.49999999999999999999999", 1},
	}
	for _, tt := range tests {
		t.Run(tt.a+"_"+tt.b, func(t *testing.T) {
			t.Parallel()
			a, b := MustParseDecimal(tt.a), MustParseDecimal(tt.b)
			if got := a.Cmp(b); got != tt.want {
				t.Errorf("Cmp = %d, want %d", got, tt.want)
			}
			if got := b.Cmp(a); got != -tt.want {
				t.Errorf("reverse Cmp = %d, want %d", got, -tt.want)
			}
			if got := a.Equal(b); got != (tt.want == 0) {
				t.Errorf("Equal = %v", got)
			}
		})
	}
}

func TestDecimalRat(t *testing.T) {
	t.Parallel()
	// Arithmetic is the caller's, exactly, through big.Rat: 0.1 ten times is 1.
	sum := new(big.Rat)
	for range 10 {
		sum.Add(sum, MustParseDecimal("0.1").Rat())
	}
	if sum.Cmp(big.NewRat(1, 1)) != 0 {
		t.Errorf("0.1 summed ten times = %s", sum)
	}
	vat := new(big.Rat).Mul(MustParseDecimal("19.99").Rat(), MustParseDecimal("0.21").Rat())
	if got := vat.FloatString(2); got != "4.20" {
		t.Errorf("VAT = %s, want 4.20", got)
	}
	for _, s := range []string{"12.50", "-0.05", "0", "123456789012345678901234567890.123456789", "1e100"} {
		want, _ := new(big.Rat).SetString(s)
		if got := MustParseDecimal(s).Rat(); got.Cmp(want) != 0 {
			t.Errorf("Rat(%s) = %s, want %s", s, got, want)
		}
	}
}

func TestDecimalFloat64(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want float64
	}{
		{"0", 0},
		{"12.50", 12.5},
		{"-0.05", -0.05},
		{"0.1", 0.1},
		{"1e100", 1e100},
		{"123456789.123456789", 123456789.123456789},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			if got := MustParseDecimal(tt.in).Float64(); got != tt.want {
				t.Errorf("Float64 = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestDecimalInt64(t *testing.T) {
	t.Parallel()
	tests := []struct {
		d      Decimal
		want   int64
		wantOK bool
	}{
		{MustParseDecimal("12.00"), 12, true},
		{MustParseDecimal("12"), 12, true},
		{MustParseDecimal("-12.000"), -12, true},
		{MustParseDecimal("12.5"), 0, false},
		{MustParseDecimal("-0.001"), 0, false},
		{MustParseDecimal("0.000"), 0, true},
		{Decimal{}, 0, false},
		{NewDecimal(0, 30), 0, true},
		{MustParseDecimal("1" + strings.Repeat("0", 30) + "e-30"), 1, true},
		{MustParseDecimal("12345678901234567890.5"), 0, false},
		{MustParseDecimal("1e2"), 100, true},
		{MustParseDecimal("9223372036854775807"), math.MaxInt64, true},
		{MustParseDecimal("-9223372036854775808.0"), math.MinInt64, true},
		{MustParseDecimal("9223372036854775808"), 0, false},
		{MustParseDecimal("-9223372036854775809"), 0, false},
		{NewDecimal(5, math.MaxInt32), 0, false},
		{NewDecimal(1000, 3), 1, true},
	}
	for i, tt := range tests {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			t.Parallel()
			got, ok := tt.d.Int64()
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("Int64() = %d, %v; want %d, %v", got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestDecimalMarshalJSON(t *testing.T) {
	t.Parallel()
	type invoice struct {
		Total Decimal  `json:"total"`
		VAT   *Decimal `json:"vat,omitempty"`
	}
	vat := MustParseDecimal("21.00")
	got, err := json.Marshal(invoice{Total: MustParseDecimal("-12.50"), VAT: &vat})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"total":-12.50,"vat":21.00}`; string(got) != want {
		t.Errorf("Marshal = %s, want %s", got, want)
	}
	var back invoice
	if err := json.Unmarshal(got, &back); err != nil {
		t.Fatal(err)
	}
	if back.Total.String() != "-12.50" || back.VAT == nil || back.VAT.String() != "21.00" {
		t.Errorf("round trip = %+v", back)
	}
}

func TestDecimalUnmarshalJSON(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    string
		wantErr string
	}{
		{in: `12.50`, want: "12.50"},
		{in: `-0.05`, want: "-0.05"},
		{in: `1e2`, want: "100"},
		{in: `1.5E-3`, want: "0.0015"},
		{in: `0`, want: "0"},
		{in: `"12.50"`, want: "12.50"},
		{in: `" 12.50 "`, want: "12.50"},
		{in: `"12,50"`, want: "12.50"},
		{in: `"-3"`, want: "-3"},
		{in: `""`, want: ""},
		{in: `"  "`, want: ""},
		{in: `"\u0031\u0032"`, want: "12"},
		{in: `null`, want: ""},
		{in: ` 7.0 `, want: "7.0"},
		{in: `true`, wantErr: "found a boolean"},
		{in: `false`, wantErr: "found a boolean"},
		{in: `{}`, wantErr: "found an object"},
		{in: `{"a":1}`, wantErr: "found an object"},
		{in: `[]`, wantErr: "found a list"},
		{in: `[1]`, wantErr: "found a list"},
		{in: `"abc"`, wantErr: `invalid decimal "abc"`},
		{in: `"NaN"`, wantErr: `invalid decimal "NaN"`},
		{in: `1e999`, wantErr: "out of range"},
		{in: `"1e999"`, wantErr: "out of range"},
		{in: `1,5`, wantErr: "malformed JSON"},
		{in: `01`, wantErr: "malformed JSON"},
		{in: `"12.5`, wantErr: "truncated JSON"},
		{in: `"12.5\x"`, wantErr: "malformed JSON"},
		{in: ``, wantErr: "empty"},
		{in: `NaN`, wantErr: "malformed JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			d := MustParseDecimal("99.99") // must be overwritten
			err := d.UnmarshalJSON([]byte(tt.in))
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("UnmarshalJSON(%s) = %s, want error", tt.in, d)
				}
				if !strings.HasPrefix(err.Error(), "cloudspot: invalid decimal") || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("error %q, want it to contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("UnmarshalJSON(%s): %v", tt.in, err)
			}
			if d.String() != tt.want {
				t.Errorf("UnmarshalJSON(%s) = %s, want %s", tt.in, d, tt.want)
			}
		})
	}
}

func TestDecimalUnmarshalJSONStruct(t *testing.T) {
	t.Parallel()
	type line struct {
		Price Decimal  `json:"price"`
		Qty   Decimal  `json:"qty"`
		Disc  *Decimal `json:"disc"`
	}
	tests := []struct {
		in      string
		price   string
		qty     string
		wantErr string
	}{
		{in: `{"price": 12.50, "qty": "3"}`, price: "12.50", qty: "3"},
		{in: `{"price": "12.50", "qty": 2.000}`, price: "12.50", qty: "2.000"},
		{in: `{"price": null, "qty": ""}`, price: "", qty: ""},
		{in: `{"price": true}`, wantErr: "found a boolean"},
		{in: `{"price": {"amount": 1}}`, wantErr: "found an object"},
		{in: `{"price": [1]}`, wantErr: "found a list"},
		{in: `{"price": "abc"}`, wantErr: `"abc"`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			l := line{Price: MustParseDecimal("1.11"), Qty: MustParseDecimal("2.22")}
			err := json.Unmarshal([]byte(tt.in), &l)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Unmarshal error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if l.Price.String() != tt.price || l.Qty.String() != tt.qty {
				t.Errorf("got price=%s qty=%s, want %s %s", l.Price, l.Qty, tt.price, tt.qty)
			}
		})
	}
}

func TestDecimalText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    string
		wantErr bool
	}{
		{in: "12.50", want: "12.50"},
		{in: "-0.05", want: "-0.05"},
		{in: "12,50", want: "12.50"},
		{in: " 3 ", want: "3"},
		{in: "", want: ""},
		{in: "  ", want: ""},
		{in: "abc", wantErr: true},
		{in: "1.2.3", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			var d Decimal
			err := d.UnmarshalText([]byte(tt.in))
			if tt.wantErr {
				if err == nil {
					t.Fatalf("UnmarshalText(%q) = %s, want error", tt.in, d)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d.String() != tt.want {
				t.Errorf("UnmarshalText(%q) = %s, want %s", tt.in, d, tt.want)
			}
			text, err := d.MarshalText()
			if err != nil {
				t.Fatal(err)
			}
			var back Decimal
			if err := back.UnmarshalText(text); err != nil {
				t.Fatal(err)
			}
			if back.String() != d.String() || back.Scale() != d.Scale() {
				t.Errorf("text round trip %q -> %s", text, back)
			}
		})
	}
	t.Run("map key", func(t *testing.T) {
		t.Parallel()
		m := map[Decimal]int{MustParseDecimal("0.21"): 3}
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != `{"0.21":3}` {
			t.Errorf("map JSON = %s", b)
		}
	})
}

func TestDecimalConcurrentUse(t *testing.T) {
	t.Parallel()
	price := MustParseDecimal("19.99")
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				if price.Cmp(NewDecimal(int64(i), 0)) == 0 {
					t.Error("19.99 equals a whole number")
				}
				_ = price.Rat().Add(price.Rat(), big.NewRat(int64(i), 1))
				_ = price.String()
			}
		}()
	}
	wg.Wait()
	if price.String() != "19.99" {
		t.Errorf("shared value modified: %s", price)
	}
}

func FuzzParseDecimal(f *testing.F) {
	for _, s := range []string{
		"0", "12.50", "12,50", "-0.05", "+3", ".5", "5.", "1e2", "1.5e-3",
		"1E+100", "1e-100", "  7 ", "NaN", "Inf", "1.2.3", "1e", "-", ".",
		"abc", "1,234.5", "0.000", "-0", strings.Repeat("9", 101), "1e101",
		"00000000001.10000000000e-5",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDecimal(s)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "cloudspot: invalid decimal") {
				t.Fatalf("error %q lacks prefix", err)
			}
			return
		}
		str := d.String()
		back, err := ParseDecimal(str)
		if err != nil {
			t.Fatalf("ParseDecimal(%q) ok = %s, but reparse failed: %v", s, str, err)
		}
		if !back.Equal(d) || back.Scale() != d.Scale() || back.String() != str {
			t.Fatalf("round trip %q -> %q -> %q (scale %d vs %d)", s, str, back, d.Scale(), back.Scale())
		}
		js, err := d.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		if !json.Valid(js) {
			t.Fatalf("MarshalJSON(%q) = %s is not valid JSON", s, js)
		}
		var fromJSON Decimal
		if err := json.Unmarshal(js, &fromJSON); err != nil || !fromJSON.Equal(d) || fromJSON.Scale() != d.Scale() {
			t.Fatalf("JSON round trip of %q: %s, %v", s, fromJSON, err)
		}
		want, _ := new(big.Rat).SetString(str)
		if d.Rat().Cmp(want) != 0 {
			t.Fatalf("Rat(%s) = %s", str, d.Rat())
		}
		if strings.ContainsAny(s, ".,") || strings.Contains(s, "e") || strings.Contains(s, "E") {
			return
		}
		// A plain integer converts to int64 exactly when strconv says so.
		n, err := strconv.ParseInt(strings.TrimPrefix(strings.TrimSpace(s), "+"), 10, 64)
		if got, ok := d.Int64(); ok != (err == nil) || (ok && got != n) {
			t.Fatalf("Int64(%q) = %d, %v; strconv says %d, %v", s, got, ok, n, err)
		}
	})
}
