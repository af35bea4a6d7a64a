package main

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
		if got := newTextSearch(tc.q).in(tc.text); got != tc.want {
			t.Errorf("search %q in %q = %v, want %v", tc.q, tc.text, got, tc.want)
		}
	}
	if s := newTextSearch("  "); s != nil || !s.in("anything") {
		t.Error("an empty search must be no filter")
	}
}
