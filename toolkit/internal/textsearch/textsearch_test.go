package textsearch

import "testing"

func TestTextSearch(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		q, text string
		want    bool
	}{
		{"francoise", "Françoise Dubois", true},
		{"FRANÇOISE", "francoise", true},
		{"ca va", "Ça Va Bistro", true},
		{"muller", "Bäckerei Müller GmbH", true},
		{"soren", "Søren Østergaard", true},
		{"strasse", "Hauptstraße 1", true},
		{"lodz", "Łódź", true},
		{"aesop", "Æsop", true},
		{"  arabica ", "Koffiebonen Arabica 1kg", true},
		{"DIG-BON", "dig-bon-025", true},
		{"1059", "1059", true},
		{"arabica", "Robusta", false},
		{"françoise", "Francis", false},
		{"mueller", "Müller", false},
	} {
		if got := New(tc.q).In(tc.text); got != tc.want {
			t.Errorf("search %q in %q = %v, want %v", tc.q, tc.text, got, tc.want)
		}
	}
	if s := New("  "); s != nil || !s.In("anything") {
		t.Error("an empty search must be no filter")
	}
}

// BenchmarkTextSearch is the cost of a search over a list the size of the
// demo's catalogue (74 names): what the collation-aware search adds to a
// list, next to the request itself.
func BenchmarkTextSearch(b *testing.B) {
	names := make([]string, 74)
	for i := range names {
		names[i] = []string{"Koffiebonen Arabica 1 kg", "Françoise Dubois", "Søren Østergaard", "Hauptstraße 1", "Verzendkosten België"}[i%5]
	}
	b.ReportAllocs()
	for b.Loop() {
		s := New("soren")
		n := 0
		for _, name := range names {
			if s.In(name) {
				n++
			}
		}
		if n != 15 {
			b.Fatalf("%d matches, want 15", n)
		}
	}
}
