package cloudspot

import (
	"fmt"
	"math"
	"math/big"
	"math/bits"
	"strconv"
)

// Limits applied by ParseDecimal so that untrusted input cannot force huge
// allocations or computations.
const (
	decimalMaxSignificant = 100 // significant digits in the input
	decimalMaxExponent    = 100 // magnitude of an exponent
	decimalMaxIntDigits   = 200 // digits before the point of the result
	decimalMaxScale       = 200 // digits after the point of the result
)

// pow10 returns 10^n for 0 <= n <= 19 as an unsigned integer.
func pow10(n int) uint64 {
	p := uint64(1)
	for ; n > 0; n-- {
		p *= 10
	}
	return p
}

// Decimal is an exact base-10 number for money, percentages and quantities,
// or "unknown". It never uses floating point and keeps its scale (digits
// after the point): "12.50" stays "12.50".
//
// The zero Decimal is unknown: it is what JSON null, an empty string and an
// empty CSV cell decode to, and it encodes back as null, so a price the ERP
// does not know is never mistaken for a price of 0. [Decimal.Known] tells
// them apart.
//
// A value of up to 18 digits is held without allocating; longer ones use
// arbitrary precision. Decimals are immutable: copying one and using it
// from several goroutines is safe.
type Decimal struct {
	big   *big.Int // the unscaled value when it does not fit coef; never mutated
	coef  int64    // the unscaled value when big is nil
	scale int32    // digits after the point; never negative
	known bool
}

// NewDecimal returns unscaled × 10^-scale, so NewDecimal(1250, 2) is 12.50.
// A negative scale multiplies: NewDecimal(5, -2) is 500 (with scale 0).
func NewDecimal(unscaled int64, scale int32) Decimal {
	if scale >= 0 {
		return Decimal{coef: unscaled, scale: scale, known: true}
	}
	v := big.NewInt(unscaled)
	v.Mul(v, new(big.Int).Exp(big.NewInt(10), big.NewInt(-int64(scale)), nil))
	return decimalOfBig(v, 0)
}

// decimalOfBig wraps v, which the caller gives up, keeping it only when it
// does not fit an int64.
func decimalOfBig(v *big.Int, scale int32) Decimal {
	if v.IsInt64() {
		return Decimal{coef: v.Int64(), scale: scale, known: true}
	}
	return Decimal{big: v, scale: scale, known: true}
}

// unscaled returns the unscaled value as a big.Int the caller may modify.
func (d Decimal) unscaled() *big.Int {
	if d.big != nil {
		return new(big.Int).Set(d.big)
	}
	return big.NewInt(d.coef)
}

// ParseDecimal parses a decimal such as "12.50", "-0.05", "+3", ".5", "1e2" or
// "1.5e-3". A ',' is accepted as the decimal separator when s contains no '.'
// ("12,50"); thousands separators are rejected. Surrounding spaces are
// ignored. The scale is kept: "12.50" has scale 2, "1e2" is 100 with scale 0.
// The result is always known; empty text is an error here (UnmarshalText and
// UnmarshalJSON read it as unknown).
//
// To protect against hostile input, ParseDecimal reports an out of range
// error for more than 100 significant digits, an exponent beyond ±100, or a
// result with more than 200 digits before or after the point.
func ParseDecimal(s string) (Decimal, error) { return parseDecimal(s) }

// parseDecimal serves strings and the decoder's bytes alike, so that a
// price read from a response is never copied into a string first.
func parseDecimal[T string | []byte](s T) (Decimal, error) {
	t := trimSpace(s)
	if len(t) == 0 {
		return Decimal{}, decimalError(string(s), "empty string")
	}
	i := 0
	neg := false
	if t[0] == '+' || t[0] == '-' {
		neg = t[0] == '-'
		i++
	}
	intStart := i
	for i < len(t) && isDigit(t[i]) {
		i++
	}
	intEnd := i
	fracStart, fracEnd := i, i
	if i < len(t) && (t[i] == '.' || (t[i] == ',' && !hasByte(t, '.'))) {
		i++
		fracStart = i
		for i < len(t) && isDigit(t[i]) {
			i++
		}
		fracEnd = i
	}
	if intEnd == intStart && fracEnd == fracStart {
		return Decimal{}, decimalError(string(s), "no digits")
	}
	exp := int64(0)
	if i < len(t) && (t[i] == 'e' || t[i] == 'E') {
		i++
		expNeg := false
		if i < len(t) && (t[i] == '+' || t[i] == '-') {
			expNeg = t[i] == '-'
			i++
		}
		start := i
		for i < len(t) && t[i] == '0' {
			i++
		}
		sig := i
		for i < len(t) && isDigit(t[i]) {
			i++
		}
		if i == start {
			return Decimal{}, decimalError(string(s), "missing exponent digits")
		}
		if i-sig > 3 {
			return Decimal{}, decimalError(string(s), "exponent out of range")
		}
		for j := sig; j < i; j++ {
			exp = exp*10 + int64(t[j]-'0')
		}
		if exp > decimalMaxExponent {
			return Decimal{}, decimalError(string(s), "exponent out of range")
		}
		if expNeg {
			exp = -exp
		}
	}
	if i != len(t) {
		return Decimal{}, decimalError(string(s), fmt.Sprintf("unexpected character %q", t[i]))
	}

	// The unscaled value's digits are the integer digits then the fraction
	// digits; count them without leading zeros.
	nDigits := (intEnd - intStart) + (fracEnd - fracStart)
	lead := 0 // leading zeros
	for lead < nDigits && digitAt(t, intStart, intEnd, fracStart, lead) == '0' {
		lead++
	}
	trail := 0 // trailing zeros, to count significant digits only
	for trail < nDigits-lead && digitAt(t, intStart, intEnd, fracStart, nDigits-1-trail) == '0' {
		trail++
	}
	if nDigits-lead-trail > decimalMaxSignificant {
		return Decimal{}, decimalError(string(s), "too many significant digits (out of range)")
	}
	scale := int64(fracEnd-fracStart) - exp
	core := nDigits - lead
	if scale > decimalMaxScale || int64(core)-scale > decimalMaxIntDigits {
		return Decimal{}, decimalError(string(s), "value out of range")
	}
	// A negative scale (1e2) becomes trailing zeros of the unscaled value.
	zeros := 0
	if scale < 0 {
		zeros = int(-scale)
		scale = 0
	}
	if core+zeros <= 18 {
		var c int64
		for k := lead; k < nDigits; k++ {
			c = c*10 + int64(digitAt(t, intStart, intEnd, fracStart, k)-'0')
		}
		c *= int64(pow10(zeros))
		if neg {
			c = -c
		}
		return Decimal{coef: c, scale: int32(scale), known: true}, nil
	}
	buf := make([]byte, 0, core+zeros+1)
	if neg {
		buf = append(buf, '-')
	}
	for k := lead; k < nDigits; k++ {
		buf = append(buf, digitAt(t, intStart, intEnd, fracStart, k))
	}
	for ; zeros > 0; zeros-- {
		buf = append(buf, '0')
	}
	v, ok := new(big.Int).SetString(string(buf), 10)
	if !ok {
		return Decimal{}, decimalError(string(s), "malformed digits")
	}
	return decimalOfBig(v, int32(scale)), nil
}

// digitAt returns the k-th digit of the integer digits t[intStart:intEnd]
// followed by the fraction digits starting at fracStart.
func digitAt[T string | []byte](t T, intStart, intEnd, fracStart, k int) byte {
	if n := intEnd - intStart; k >= n {
		return t[fracStart+k-n]
	}
	return t[intStart+k]
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

func trimSpace[T string | []byte](s T) T {
	i, j := 0, len(s)
	for i < j && isSpace(s[i]) {
		i++
	}
	for j > i && isSpace(s[j-1]) {
		j--
	}
	return s[i:j]
}

func hasByte[T string | []byte](s T, c byte) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return true
		}
	}
	return false
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

// MustParseDecimal is like ParseDecimal but panics on error. Use it for
// constants and in tests, never on external input.
func MustParseDecimal(s string) Decimal {
	d, err := ParseDecimal(s)
	if err != nil {
		panic(err)
	}
	return d
}

// Known reports whether d holds a number; the zero Decimal does not.
func (d Decimal) Known() bool { return d.known }

// String returns d in plain notation (no exponent) keeping its scale:
// "12.50", "-0.05", "100", "0.00"; an unknown d is "".
func (d Decimal) String() string {
	var buf [32]byte
	return string(d.appendTo(buf[:0]))
}

// AppendText appends String's text to b, without allocating for a value
// of up to 18 digits: for writing many prices to a file or a response.
func (d Decimal) AppendText(b []byte) ([]byte, error) { return d.appendTo(b), nil }

func (d Decimal) appendTo(b []byte) []byte {
	if !d.known {
		return b
	}
	var digits []byte
	var tmp [24]byte
	neg := false
	if d.big != nil {
		neg = d.big.Sign() < 0
		digits = new(big.Int).Abs(d.big).Append(tmp[:0], 10)
	} else {
		neg = d.coef < 0
		u := uint64(d.coef)
		if neg {
			u = -u
		}
		digits = strconv.AppendUint(tmp[:0], u, 10)
	}
	if neg && !(len(digits) == 1 && digits[0] == '0') {
		b = append(b, '-')
	}
	scale := int(d.scale)
	if scale == 0 {
		return append(b, digits...)
	}
	if len(digits) <= scale {
		b = append(b, '0', '.')
		for i := len(digits); i < scale; i++ {
			b = append(b, '0')
		}
		return append(b, digits...)
	}
	b = append(b, digits[:len(digits)-scale]...)
	b = append(b, '.')
	return append(b, digits[len(digits)-scale:]...)
}

// Scale returns the number of digits after the point ("12.50" has scale 2).
func (d Decimal) Scale() int32 { return d.scale }

// Sign returns -1, 0 or +1 depending on the sign of d, and 0 when d is
// unknown.
func (d Decimal) Sign() int {
	switch {
	case d.big != nil:
		return d.big.Sign()
	case d.coef < 0:
		return -1
	case d.coef > 0:
		return 1
	}
	return 0
}

// Cmp compares d and e numerically and returns -1, 0 or +1; the scale does
// not matter (1.0 and 1.00 compare equal). An unknown value sorts before
// every known one, and two unknown values are equal, so that sorting a
// price list puts the unknown prices first.
func (d Decimal) Cmp(e Decimal) int {
	if !d.known || !e.known {
		return boolCmp(d.known, e.known)
	}
	if ds, es := d.Sign(), e.Sign(); ds != es || ds == 0 {
		return intCmp(ds, es)
	}
	if d.big == nil && e.big == nil {
		if d.scale == e.scale {
			return intCmp64(d.coef, e.coef)
		}
		// Scale the one with fewer digits after the point up, when
		// that cannot overflow.
		a, b, diff := d.coef, e.coef, int(e.scale)-int(d.scale)
		if diff < 0 {
			a, b, diff = b, a, -diff
		}
		if diff <= 18 {
			if hi, lo := bits.Mul64(absU64(a), pow10(diff)); hi == 0 && lo <= math.MaxInt64 {
				sa := int64(lo)
				if a < 0 {
					sa = -sa
				}
				if d.scale < e.scale {
					return intCmp64(sa, b)
				}
				return intCmp64(b, sa)
			}
		}
	}
	s := max(d.scale, e.scale)
	return d.rescaled(s).Cmp(e.rescaled(s))
}

// rescaled returns the unscaled value of d expressed with scale s >= d.scale.
func (d Decimal) rescaled(s int32) *big.Int {
	v := d.unscaled()
	if s > d.scale && v.Sign() != 0 {
		v.Mul(v, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(s-d.scale)), nil))
	}
	return v
}

func absU64(n int64) uint64 {
	if n < 0 {
		return -uint64(n)
	}
	return uint64(n)
}

func intCmp(a, b int) int { return intCmp64(int64(a), int64(b)) }

func intCmp64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func boolCmp(a, b bool) int {
	switch {
	case a == b:
		return 0
	case b:
		return -1
	}
	return 1
}

// Equal reports whether d and e are numerically equal, ignoring scale
// (1.0 equals 1.00), or both unknown. go-cmp uses this method to compare
// Decimals.
func (d Decimal) Equal(e Decimal) bool { return d.Cmp(e) == 0 }

// Float64 returns the nearest float64 to d, or NaN when d is unknown. It
// is meant for display and plotting only: never use the result for money
// arithmetic.
func (d Decimal) Float64() float64 {
	if !d.known {
		return math.NaN()
	}
	if d.big == nil && d.scale <= 22 && absU64(d.coef) < 1<<53 {
		// Both operands are exact, so the quotient is correctly rounded.
		return float64(d.coef) / math.Pow10(int(d.scale))
	}
	f, _ := strconv.ParseFloat(d.String(), 64)
	return f
}

// Int64 returns d as an int64 and true when d is a whole number that fits in
// an int64 (12.00 → 12, true). Otherwise, and when d is unknown, it returns
// 0, false (12.5 → 0, false).
func (d Decimal) Int64() (int64, bool) {
	if !d.known {
		return 0, false
	}
	if d.big == nil {
		switch {
		case d.scale == 0 || d.coef == 0:
			return d.coef, true
		case d.scale > 18:
			return 0, false // 10^19 > |coef|, which is not zero
		}
		p := int64(pow10(int(d.scale)))
		if d.coef%p != 0 {
			return 0, false
		}
		return d.coef / p, true
	}
	r := d.Rat()
	if !r.IsInt() || !r.Num().IsInt64() {
		return 0, false
	}
	return r.Num().Int64(), true
}

// Rat returns d as a new exact fraction, for arithmetic the caller needs
// (totals, VAT): big.Rat does it exactly. It returns nil when d is unknown.
func (d Decimal) Rat() *big.Rat {
	if !d.known {
		return nil
	}
	den := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(d.scale)), nil)
	return new(big.Rat).SetFrac(d.unscaled(), den)
}

// MarshalJSON writes d as a JSON number keeping its scale (12.50), and an
// unknown d as null.
func (d Decimal) MarshalJSON() ([]byte, error) {
	if !d.known {
		return []byte("null"), nil
	}
	return d.appendTo(nil), nil
}

// UnmarshalJSON accepts a JSON number (12.5), a JSON string holding a
// decimal ("12.50", as Django REST framework sends them; "12,50"), and
// null or a blank string, which are unknown. Any other JSON value is an
// error.
func (d *Decimal) UnmarshalJSON(data []byte) error {
	// A plain JSON number, the common case, needs no scanner.
	if t := trimSpace(data); len(t) > 0 && (t[0] == '-' || isDigit(t[0])) && validNumber(t) {
		v, err := parseDecimal(t)
		if err != nil {
			return err
		}
		*d = v
		return nil
	}
	v, err := unmarshalScalar(data, "cloudspot: invalid decimal", (*scanner).decimal)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// MarshalText returns String(): empty for an unknown d. It serves CSV,
// flags, databases and map keys.
func (d Decimal) MarshalText() ([]byte, error) { return d.appendTo(nil), nil }

// UnmarshalText parses text with ParseDecimal; empty (or blank) text is
// unknown.
func (d *Decimal) UnmarshalText(text []byte) error {
	if len(trimSpace(text)) == 0 {
		*d = Decimal{}
		return nil
	}
	v, err := parseDecimal(text)
	if err != nil {
		return err
	}
	*d = v
	return nil
}
