package names

import "unicode"

// isHan reports whether r is a Chinese character.
func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

// Grams returns the distinct index grams of a folded key: each Han
// character alone, and every run of two and of three characters.
func Grams(key string) []string {
	rs := []rune(key)
	seen := map[string]bool{}
	var out []string
	add := func(g string) {
		if !seen[g] {
			seen[g] = true
			out = append(out, g)
		}
	}
	for i, r := range rs {
		if isHan(r) {
			add(string(r))
		}
		if i+2 <= len(rs) {
			add(string(rs[i : i+2]))
		}
		if i+3 <= len(rs) {
			add(string(rs[i : i+3]))
		}
	}
	return out
}

// QueryGrams returns the grams a folded query is looked up by: a key
// matches only if it holds every one of them. Nil when the index cannot
// serve the query (a single non-Han character).
func QueryGrams(q string) []string {
	rs := []rune(q)
	switch {
	case len(rs) == 0:
		return nil
	case len(rs) == 1:
		if isHan(rs[0]) {
			return []string{q}
		}
		return nil
	case len(rs) == 2:
		return []string{q}
	}
	seen := map[string]bool{}
	var out []string
	for i := 0; i+3 <= len(rs); i++ {
		g := string(rs[i : i+3])
		if !seen[g] {
			seen[g] = true
			out = append(out, g)
		}
	}
	return out
}
