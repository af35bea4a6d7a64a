package importfile

import (
	"strings"
	"unicode/utf8"
)

// nearest is the key of keys closest to name, for a "did you mean": the one
// whose spelling differs from name by the fewest letters added, removed or
// changed, ignoring case, when that is at most 2 (and less than half of
// name), else "". A key that name begins with is taken too (naam_nl:
// naam); a longer key that begins with name is not (prijs is not
// prijscategorieen, nor verkoopprijs_excl).
func nearest(name string, keys []string) string {
	name = strings.ToLower(strings.TrimSpace(name))
	n := utf8.RuneCountInString(name)
	if n == 0 || n > 64 {
		return ""
	}
	best, bestD := "", 3
	for _, k := range keys {
		lk := strings.ToLower(k)
		d := distance(name, lk)
		if d < bestD && d*2 < n {
			best, bestD = k, d
		}
	}
	if best == "" {
		for _, k := range keys {
			lk := strings.ToLower(k)
			if len(lk) >= 3 && strings.HasPrefix(name, lk) {
				return k
			}
		}
	}
	return best
}

// distance is the Levenshtein distance between a and b, in runes.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// unknownKey is the problem of a key that is not one of keys, with the
// nearest one as a suggestion.
func unknownKey(what string, key string, keys []string) string {
	msg := "unknown " + what
	if s := nearest(key, keys); s != "" {
		msg += "; did you mean " + s + "?"
	}
	return msg
}
