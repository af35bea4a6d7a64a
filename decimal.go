package cloudspot

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"
)

// Limits applied by ParseDecimal so that untrusted input cannot force huge
// allocations or computations.
const (
	decimalMaxSignificant = 100 // significant digits in the input
	decimalMaxExponent    = 100 // magnitude of an exponent
	decimalMaxIntDigits   = 200 // digits before the point of the result
	decimalMaxScale       = 200 // digits after the point of the result
)

// decimalPow10Small holds 10^0 .. 10^18, which all fit in an int64.
var decimalPow10Small = [...]int64{
	1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000,
	1000000000, 10000000000, 100000000000, 1000000000000, 10000000000000,
	100000000000000, 1000000000000000, 10000000000000000,
	100000000000000000, 1000000000000000000,
}

// decimalBigZero is shared and must never be modified.
var decimalBigZero = new(big.Int)

// Decimal is an exact base-10 number for money, percentages and quantities.
// It never uses floating point internally and keeps its scale (number of
// digits after the point): "12.50" stays "12.50".
//
// The zero value is 0. Decimals are immutable: copying one by value and
// using it from several goroutines is safe.
type Decimal struct {
	value *big.Int // unscaled value; nil means zero; never mutated
	scale int32    // digits after the point; never negative
}

// NewDecimal returns unscaled × 10^-scale, so NewDecimal(1250, 2) is 12.50.
// A negative scale multiplies: NewDecimal(5, -2) is 500 (with scale 0).
func NewDecimal(unscaled int64, scale int32) Decimal {
	v := big.NewInt(unscaled)
	if scale < 0 {
		v.Mul(v, decimalPow10(-int64(scale)))
		scale = 0
	}
	return decimalMake(v, scale)
}

// decimalMake wraps v (which the caller gives up) into a Decimal.
func decimalMake(v *big.Int, scale int32) Decimal {
	if v.Sign() == 0 {
		v = nil
	}
	return Decimal{value: v, scale: scale}
}

// decimalPow10 returns a new big.Int holding 10^n (n >= 0).
func decimalPow10(n int64) *big.Int {
	if n < int64(len(decimalPow10Small)) {
		return big.NewInt(decimalPow10Small[n])
	}
	return new(big.Int).Exp(big.NewInt(10), big.NewInt(n), nil)
}

// decimalScaleOf converts an int64 scale to int32, panicking on overflow.
func decimalScaleOf(n int64) int32 {
	if n < 0 || n > 1<<31-1 {
		panic("cloudspot: decimal scale out of range")
	}
	return int32(n)
}

// unscaled returns the unscaled value; the result must not be modified.
func (d Decimal) unscaled() *big.Int {
	if d.value == nil {
		return decimalBigZero
	}
	return d.value
}

// rescaled returns the unscaled value of d expressed with scale s (s >= d.scale)
// as a new big.Int.
func (d Decimal) rescaled(s int32) *big.Int {
	v := new(big.Int).Set(d.unscaled())
	if s > d.scale && v.Sign() != 0 {
		v.Mul(v, decimalPow10(int64(s)-int64(d.scale)))
	}
	return v
}

// decimalError builds a ParseDecimal error quoting (a truncated) input.
func decimalError(input, reason string) error {
	return fmt.Errorf("cloudspot: invalid decimal %s: %s", decimalQuote(input), reason)
}

// decimalQuote quotes s for an error message, truncated to 40 bytes.
func decimalQuote(s string) string {
	const max = 40
	if len(s) > max {
		return strconv.Quote(s[:max]) + "..."
	}
	return strconv.Quote(s)
}

func decimalIsDigit(c byte) bool { return '0' <= c && c <= '9' }

// ParseDecimal parses a decimal such as "12.50", "-0.05", "+3", ".5", "1e2" or
// "1.5e-3". A ',' is accepted as the decimal separator when s contains no '.'
// ("12,50"); thousands separators are rejected. Surrounding spaces are
// ignored. The scale is kept: "12.50" has scale 2, "1e2" is 100 with scale 0.
//
// To protect against hostile input, ParseDecimal reports an out of range
// error for more than 100 significant digits, an exponent beyond ±100, or a
// result with more than 200 digits before or after the point.
func ParseDecimal(s string) (Decimal, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return Decimal{}, decimalError(s, "empty string")
	}
	i := 0
	neg := false
	if t[0] == '+' || t[0] == '-' {
		neg = t[0] == '-'
		i++
	}
	start := i
	for i < len(t) && decimalIsDigit(t[i]) {
		i++
	}
	intDigits := t[start:i]
	fracDigits := ""
	if i < len(t) && (t[i] == '.' || (t[i] == ',' && strings.IndexByte(t, '.') < 0)) {
		i++
		start = i
		for i < len(t) && decimalIsDigit(t[i]) {
			i++
		}
		fracDigits = t[start:i]
	}
	if intDigits == "" && fracDigits == "" {
		return Decimal{}, decimalError(s, "no digits")
	}
	exp := int64(0)
	if i < len(t) && (t[i] == 'e' || t[i] == 'E') {
		i++
		expNeg := false
		if i < len(t) && (t[i] == '+' || t[i] == '-') {
			expNeg = t[i] == '-'
			i++
		}
		start = i
		for i < len(t) && decimalIsDigit(t[i]) {
			i++
		}
		if start == i {
			return Decimal{}, decimalError(s, "missing exponent digits")
		}
		ed := strings.TrimLeft(t[start:i], "0")
		if len(ed) > 3 {
			return Decimal{}, decimalError(s, "exponent out of range")
		}
		for j := 0; j < len(ed); j++ {
			exp = exp*10 + int64(ed[j]-'0')
		}
		if exp > decimalMaxExponent {
			return Decimal{}, decimalError(s, "exponent out of range")
		}
		if expNeg {
			exp = -exp
		}
	}
	if i != len(t) {
		return Decimal{}, decimalError(s, fmt.Sprintf("unexpected character %q", t[i]))
	}

	// All digits of the unscaled value, without leading zeros.
	digits := intDigits + fracDigits
	core := strings.TrimLeft(digits, "0")
	if len(strings.TrimRight(core, "0")) > decimalMaxSignificant {
		return Decimal{}, decimalError(s, "too many significant digits (out of range)")
	}
	scale := int64(len(fracDigits)) - exp
	if scale > decimalMaxScale || int64(len(core))-scale > decimalMaxIntDigits {
		return Decimal{}, decimalError(s, "value out of range")
	}
	v := new(big.Int)
	if core != "" {
		if _, ok := v.SetString(core, 10); !ok {
			return Decimal{}, decimalError(s, "malformed digits")
		}
	}
	if scale < 0 {
		v.Mul(v, decimalPow10(-scale))
		scale = 0
	}
	if neg {
		v.Neg(v)
	}
	return decimalMake(v, int32(scale)), nil
}

// MustParseDecimal is like ParseDecimal but panics on error. Use it for
// constants and in tests, never on external input.
func MustParseDecimal(s string) Decimal {
	d, err := ParseDecimal(s)
	if err != nil {
		panic(err)
	}
	return d
}

// String returns d in plain notation (no exponent) keeping its scale:
// "12.50", "-0.05", "100", "0.00".
func (d Decimal) String() string {
	u := d.unscaled()
	digits := new(big.Int).Abs(u).Text(10)
	var b strings.Builder
	if u.Sign() < 0 {
		b.WriteByte('-')
	}
	if d.scale == 0 {
		b.WriteString(digits)
		return b.String()
	}
	scale := int(d.scale)
	if len(digits) <= scale {
		b.WriteString("0.")
		b.WriteString(strings.Repeat("0", scale-len(digits)))
		b.WriteString(digits)
		return b.String()
	}
	b.WriteString(digits[:len(digits)-scale])
	b.WriteByte('.')
	b.WriteString(digits[len(digits)-scale:])
	return b.String()
}

// StringFixed returns d rounded half away from zero to exactly places digits
// after the point, padding with zeros: 2.5 with places 2 gives "2.50".
func (d Decimal) StringFixed(places int32) string {
	r := d.Round(places)
	if places > r.scale {
		r = decimalMake(r.rescaled(places), places)
	}
	return r.String()
}

// Round rounds d half away from zero to places digits after the point
// (2.345 → 2.35, -2.345 → -2.35). A negative places rounds to tens,
// hundreds, ... . If d has no more than places digits it is returned
// unchanged (its scale is not increased).
func (d Decimal) Round(places int32) Decimal {
	if d.scale <= places {
		return d
	}
	resScale := places
	if resScale < 0 {
		resScale = 0
	}
	u := d.unscaled()
	if u.Sign() == 0 {
		return Decimal{scale: resScale}
	}
	diff := int64(d.scale) - int64(places) // > 0
	abs := new(big.Int).Abs(u)
	// 2|u| < 2^(BitLen+1) <= 10^diff: the result is zero. This avoids
	// computing enormous powers of ten.
	if diff > int64(abs.BitLen()) {
		return Decimal{scale: resScale}
	}
	unit := decimalPow10(diff)
	q, r := new(big.Int).QuoRem(abs, unit, new(big.Int))
	r.Lsh(r, 1)
	if r.Cmp(unit) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	if places < 0 {
		q.Mul(q, decimalPow10(-int64(places)))
	}
	if u.Sign() < 0 {
		q.Neg(q)
	}
	return decimalMake(q, resScale)
}

// Add returns d + e exactly; the scale is the larger of the two scales.
func (d Decimal) Add(e Decimal) Decimal {
	s := max(d.scale, e.scale)
	v := d.rescaled(s)
	v.Add(v, e.rescaled(s))
	return decimalMake(v, s)
}

// Sub returns d - e exactly; the scale is the larger of the two scales.
func (d Decimal) Sub(e Decimal) Decimal {
	s := max(d.scale, e.scale)
	v := d.rescaled(s)
	v.Sub(v, e.rescaled(s))
	return decimalMake(v, s)
}

// Mul returns d × e exactly; the scale is the sum of the two scales
// (1.5 × 0.20 = 0.300). Use Round to bring it back to a currency scale.
func (d Decimal) Mul(e Decimal) Decimal {
	s := decimalScaleOf(int64(d.scale) + int64(e.scale))
	v := new(big.Int).Mul(d.unscaled(), e.unscaled())
	return decimalMake(v, s)
}

// Neg returns -d with the same scale.
func (d Decimal) Neg() Decimal {
	return decimalMake(new(big.Int).Neg(d.unscaled()), d.scale)
}

// Abs returns |d| with the same scale.
func (d Decimal) Abs() Decimal {
	return decimalMake(new(big.Int).Abs(d.unscaled()), d.scale)
}

// Cmp compares d and e numerically and returns -1, 0 or +1; the scale does
// not matter (1.0 and 1.00 compare equal).
func (d Decimal) Cmp(e Decimal) int {
	ds, es := d.Sign(), e.Sign()
	if ds != es || ds == 0 {
		switch {
		case ds < es:
			return -1
		case ds > es:
			return 1
		}
		return 0
	}
	s := max(d.scale, e.scale)
	return d.rescaled(s).Cmp(e.rescaled(s))
}

// Equal reports whether d and e are numerically equal, ignoring scale
// (1.0 equals 1.00). go-cmp uses this method to compare Decimals.
func (d Decimal) Equal(e Decimal) bool { return d.Cmp(e) == 0 }

// Sign returns -1, 0 or +1 depending on the sign of d.
func (d Decimal) Sign() int { return d.unscaled().Sign() }

// IsZero reports whether d is numerically zero (whatever its scale).
func (d Decimal) IsZero() bool { return d.Sign() == 0 }

// Scale returns the number of digits after the point ("12.50" has scale 2).
func (d Decimal) Scale() int32 { return d.scale }

// Float64 returns the nearest float64 to d. It is meant for display and
// plotting only: never use the result for money arithmetic.
func (d Decimal) Float64() float64 {
	f, _ := strconv.ParseFloat(d.String(), 64)
	return f
}

// Int64 returns d as an int64 and true when d is a whole number that fits in
// an int64 (12.00 → 12, true). Otherwise it returns 0, false (12.5 → 0, false).
func (d Decimal) Int64() (int64, bool) {
	u := d.unscaled()
	if u.Sign() == 0 {
		return 0, true
	}
	q := u
	if d.scale > 0 {
		// 10^scale >= 2^scale > |u|: u is not a multiple of 10^scale.
		if int64(d.scale) >= int64(u.BitLen()) {
			return 0, false
		}
		var r big.Int
		q, _ = new(big.Int).QuoRem(u, decimalPow10(int64(d.scale)), &r)
		if r.Sign() != 0 {
			return 0, false
		}
	}
	if !q.IsInt64() {
		return 0, false
	}
	return q.Int64(), true
}

// MarshalJSON writes d as a JSON number literal, keeping its scale (12.50).
func (d Decimal) MarshalJSON() ([]byte, error) {
	return []byte(d.String()), nil
}

// UnmarshalJSON accepts a JSON number (12.5), a JSON string holding a
// decimal ("12.50", as sent by Django REST framework; "" means zero) and
// null (zero). Any other JSON value is an error.
func (d *Decimal) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return errors.New("cloudspot: invalid decimal: empty JSON input")
	}
	switch c := data[0]; {
	case string(data) == "null":
		*d = Decimal{}
		return nil
	case c == '"':
		var s string
		if err := json.Unmarshal(data, &s); err != nil {
			return fmt.Errorf("cloudspot: invalid decimal: malformed JSON string %s: %v", decimalQuote(string(data)), err)
		}
		if strings.TrimSpace(s) == "" {
			*d = Decimal{}
			return nil
		}
		v, err := ParseDecimal(s)
		if err != nil {
			return err
		}
		*d = v
		return nil
	case c == '-' || decimalIsDigit(c):
		if !json.Valid(data) {
			return fmt.Errorf("cloudspot: invalid decimal: malformed JSON number %s", decimalQuote(string(data)))
		}
		v, err := ParseDecimal(string(data))
		if err != nil {
			return err
		}
		*d = v
		return nil
	}
	return fmt.Errorf("cloudspot: invalid decimal: expected JSON number, string or null, found %s", scalarJSONKind(data))
}

// scalarJSONKind describes the JSON value in data for error messages.
func scalarJSONKind(data []byte) string {
	if len(data) == 0 {
		return "empty input"
	}
	switch data[0] {
	case '{':
		return "object"
	case '[':
		return "array"
	case 't', 'f':
		return "boolean " + decimalQuote(string(data))
	case '"':
		return "string " + decimalQuote(string(data))
	case 'n':
		return "null"
	}
	if data[0] == '-' || decimalIsDigit(data[0]) {
		return "number " + decimalQuote(string(data))
	}
	return decimalQuote(string(data))
}

// MarshalText returns String(), for CSV, flags, databases and map keys.
func (d Decimal) MarshalText() ([]byte, error) {
	return []byte(d.String()), nil
}

// UnmarshalText parses text with ParseDecimal; empty (or blank) text is zero.
func (d *Decimal) UnmarshalText(text []byte) error {
	if len(bytes.TrimSpace(text)) == 0 {
		*d = Decimal{}
		return nil
	}
	v, err := ParseDecimal(string(text))
	if err != nil {
		return err
	}
	*d = v
	return nil
}
