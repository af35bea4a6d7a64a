package cloudspot_test

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/cloudspot-toolkit/cloudspot"
)

// A birth date is a day, not an instant: no time zone can move it.
func ExampleDate() {
	var k cloudspot.Klant
	if err := json.Unmarshal([]byte(`{"voornaam": "Lotte", "geboortedatum": "1990-04-12"}`), &k); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(k.Geboortedatum, k.Geboortedatum.Year, k.Geboortedatum.Month)
	// Output: 1990-04-12 1990 April
}

// Today in Brussels, whatever the machine's zone.
func ExampleDateOf() {
	brussels := time.FixedZone("CET", 3600)
	t := time.Date(2024, 2, 29, 23, 30, 0, 0, time.UTC) // already March 1st in Brussels
	fmt.Println(cloudspot.DateOf(t), cloudspot.DateOf(t.In(brussels)))
	// Output: 2024-02-29 2024-03-01
}

// A date that does not exist is an error; the time of a date-time is
// ignored.
func ExampleParseDate() {
	for _, s := range []string{"1985-03-14", "1985-03-14T00:00:00Z", "2023-02-29"} {
		d, err := cloudspot.ParseDate(s)
		if err != nil {
			fmt.Println("error:", err)
			continue
		}
		fmt.Println(d)
	}
	// Output:
	// 1985-03-14
	// 1985-03-14
	// error: cloudspot: invalid date "2023-02-29": day out of range
}

// Is a client of age today?
func ExampleDate_After() {
	born := cloudspot.Date{Year: 2006, Month: time.May, Day: 20}
	today := cloudspot.Date{Year: 2024, Month: time.May, Day: 19}
	eighteen := cloudspot.Date{Year: born.Year + 18, Month: born.Month, Day: born.Day}
	fmt.Println("of age:", !eighteen.After(today))
	// Output: of age: false
}

func ExampleDate_Before() {
	a := cloudspot.Date{Year: 1990, Month: time.April, Day: 12}
	fmt.Println(a.Before(cloudspot.Date{Year: 1990, Month: time.April, Day: 13}), a.Before(a))
	// Output: true false
}

// Midnight at the start of the day, in the zone the caller chooses.
func ExampleDate_In() {
	d := cloudspot.Date{Year: 2024, Month: time.March, Day: 31}
	fmt.Println(d.In(time.UTC))
	fmt.Println(d.In(time.UTC).AddDate(0, 0, 1).Weekday())
	// Output:
	// 2024-03-31 00:00:00 +0000 UTC
	// Monday
}

// A client without a known birth date.
func ExampleDate_IsZero() {
	var k cloudspot.Klant
	json.Unmarshal([]byte(`{"geboortedatum": null}`), &k)
	fmt.Println(k.Geboortedatum.IsZero())
	// Output: true
}

func ExampleDate_String() {
	fmt.Printf("%q %q\n", cloudspot.Date{Year: 812, Month: time.January, Day: 28}, cloudspot.Date{})
	// Output: "0812-01-28" ""
}

func ExampleDate_MarshalJSON() {
	b, err := json.Marshal([]cloudspot.Date{{Year: 1990, Month: time.April, Day: 12}, {}})
	fmt.Println(string(b), err)
	// Output: ["1990-04-12",null] <nil>
}

func ExampleDate_UnmarshalJSON() {
	var ds []cloudspot.Date
	fmt.Println(json.Unmarshal([]byte(`["1990-04-12", "", null]`), &ds), ds[0], ds[1].IsZero(), ds[2].IsZero())
	fmt.Println(json.Unmarshal([]byte(`[19900412]`), &ds))
	// Output:
	// <nil> 1990-04-12 true true
	// cloudspot: invalid date: expected JSON string or null, found a number
}

// Text is what CSV cells and flags use.
func ExampleDate_MarshalText() {
	b, _ := cloudspot.Date{Year: 1990, Month: time.April, Day: 12}.MarshalText()
	fmt.Println(string(b))
	// Output: 1990-04-12
}

func ExampleDate_UnmarshalText() {
	var d cloudspot.Date
	fmt.Println(d.UnmarshalText([]byte(" 1990-04-12 ")), d)
	fmt.Println(d.UnmarshalText([]byte("12/04/1990")))
	// Output:
	// <nil> 1990-04-12
	// cloudspot: invalid date "12/04/1990": want YYYY-MM-DD
}
