package cloudspot_test

import (
	"encoding/json"
	"fmt"
	"math/big"
	"slices"

	"github.com/cloudspot-toolkit/cloudspot"
)

// Prices from a form or a file: the scale is kept, a comma is a decimal
// point when there is no dot, and a thousands separator is refused rather
// than guessed.
func ExampleParseDecimal() {
	for _, s := range []string{"12.50", "12,50", " 3 ", "1.5e-3", "1.250,00"} {
		d, err := cloudspot.ParseDecimal(s)
		if err != nil {
			fmt.Println("error:", err)
			continue
		}
		fmt.Println(d, d.Scale())
	}
	// Output:
	// 12.50 2
	// 12.50 2
	// 3 0
	// 0.0015 4
	// error: cloudspot: invalid decimal "1.250,00": unexpected character ','
}

// For constants: a typo panics at once instead of turning into a price.
func ExampleMustParseDecimal() {
	vat := cloudspot.MustParseDecimal("21")
	fmt.Println(vat, vat.Known())
	// Output: 21 true
}

// From cents, or any other count of a power of ten.
func ExampleNewDecimal() {
	fmt.Println(cloudspot.NewDecimal(1250, 2), cloudspot.NewDecimal(5, -2), cloudspot.NewDecimal(-5, 2))
	// Output: 12.50 500 -0.05
}

// A null price decodes to the zero Decimal, which is unknown: not 0.
func ExampleDecimal_Known() {
	var a cloudspot.Artikel
	if err := json.Unmarshal([]byte(`{"inkoopprijs_excl": null, "verkoopprijs_excl": 0}`), &a); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(a.InkoopprijsExcl.Known(), a.VerkoopprijsExcl.Known())
	// Output: false true
}

func ExampleDecimal_String() {
	var unknown cloudspot.Decimal
	fmt.Printf("%q %q %q\n", cloudspot.MustParseDecimal("23.00"), cloudspot.MustParseDecimal("1e2"), unknown)
	// Output: "23.00" "100" ""
}

// Writing many prices without an allocation each.
func ExampleDecimal_AppendText() {
	var line []byte
	for i, p := range []string{"2.50", "1.80", "12.00"} {
		if i > 0 {
			line = append(line, ';')
		}
		line, _ = cloudspot.MustParseDecimal(p).AppendText(line)
	}
	fmt.Println(string(line))
	// Output: 2.50;1.80;12.00
}

// Sorting a price list: unknown prices come first, and the scale does not
// matter.
func ExampleDecimal_Cmp() {
	prices := []cloudspot.Decimal{cloudspot.MustParseDecimal("2.5"), {}, cloudspot.MustParseDecimal("1.80"), cloudspot.MustParseDecimal("2.50")}
	slices.SortStableFunc(prices, cloudspot.Decimal.Cmp)
	fmt.Printf("%q\n", prices)
	// Output: ["" "1.80" "2.5" "2.50"]
}

func ExampleDecimal_Equal() {
	fmt.Println(cloudspot.MustParseDecimal("1.0").Equal(cloudspot.MustParseDecimal("1.00")))
	fmt.Println(cloudspot.Decimal{}.Equal(cloudspot.MustParseDecimal("0")))
	// Output:
	// true
	// false
}

// For a chart, never for money.
func ExampleDecimal_Float64() {
	fmt.Println(cloudspot.MustParseDecimal("2.50").Float64(), cloudspot.Decimal{}.Float64())
	// Output: 2.5 NaN
}

// Stock counts are usually whole numbers.
func ExampleDecimal_Int64() {
	fmt.Println(cloudspot.MustParseDecimal("12.00").Int64())
	fmt.Println(cloudspot.MustParseDecimal("12.5").Int64())
	// Output:
	// 12 true
	// 0 false
}

// Exact arithmetic goes through math/big.
func ExampleDecimal_Rat() {
	excl := cloudspot.MustParseDecimal("19.99")
	incl := new(big.Rat).Mul(excl.Rat(), big.NewRat(121, 100))
	fmt.Println(incl.FloatString(2), cloudspot.Decimal{}.Rat() == nil)
	// Output: 24.19 true
}

func ExampleDecimal_Scale() {
	fmt.Println(cloudspot.MustParseDecimal("12.50").Scale(), cloudspot.MustParseDecimal("12.5").Scale())
	// Output: 2 1
}

// A negative stock is a backorder.
func ExampleDecimal_Sign() {
	for _, s := range []string{"-3", "0.00", "7"} {
		fmt.Print(cloudspot.MustParseDecimal(s).Sign(), " ")
	}
	fmt.Println(cloudspot.Decimal{}.Sign())
	// Output: -1 0 1 0
}

// A number keeps its scale; unknown is null.
func ExampleDecimal_MarshalJSON() {
	b, err := json.Marshal(map[string]cloudspot.Decimal{"prijs": cloudspot.MustParseDecimal("12.50"), "korting": {}})
	fmt.Println(string(b), err)
	// Output: {"korting":null,"prijs":12.50} <nil>
}

// Numbers, numbers as strings (as Django REST framework sends decimals)
// and null all decode.
func ExampleDecimal_UnmarshalJSON() {
	var v struct{ A, B, C cloudspot.Decimal }
	err := json.Unmarshal([]byte(`{"A": 12.50, "B": "3,75", "C": null}`), &v)
	fmt.Println(v.A, v.B, v.C.Known(), err)
	// Output: 12.50 3.75 false <nil>
}

// Text is what CSV cells, flags and database columns use; empty is
// unknown.
func ExampleDecimal_MarshalText() {
	for _, d := range []cloudspot.Decimal{cloudspot.MustParseDecimal("0.95"), {}} {
		b, _ := d.MarshalText()
		fmt.Printf("%q\n", b)
	}
	// Output:
	// "0.95"
	// ""
}

func ExampleDecimal_UnmarshalText() {
	var d cloudspot.Decimal
	fmt.Println(d.UnmarshalText([]byte("4,19")), d)
	fmt.Println(d.UnmarshalText([]byte("  ")), d.Known())
	fmt.Println(d.UnmarshalText([]byte("gratis")))
	// Output:
	// <nil> 4.19
	// <nil> false
	// cloudspot: invalid decimal "gratis": no digits
}
