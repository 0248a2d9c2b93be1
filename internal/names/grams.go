package names

import "unicode/utf8"

// Grams returns the distinct index grams of a folded key: each Chinese
// character alone, and every run of two and of three characters. A key of
// n characters has at most n + (n-1) + (n-2) grams (fewer when some
// repeat): 17 for "liuxianbin", 6 for 刘贤斌.
func Grams(key string) []string {
	// Byte offsets of each character, and one past the end.
	var offs [64]int
	idx := offs[:0]
	for i := range key {
		idx = append(idx, i)
	}
	n := len(idx)
	idx = append(idx, len(key))
	out := make([]string, 0, 3*n)
	add := func(g string) {
		for _, x := range out {
			if x == g {
				return
			}
		}
		out = append(out, g)
	}
	if n > 16 {
		// Long keys (case titles): a set instead of the linear scan.
		seen := make(map[string]struct{}, 3*n)
		add = func(g string) {
			if _, ok := seen[g]; !ok {
				seen[g] = struct{}{}
				out = append(out, g)
			}
		}
	}
	for i := 0; i < n; i++ {
		if r, _ := utf8.DecodeRuneInString(key[idx[i]:]); r >= 0x2E80 && isHan(r) {
			add(key[idx[i]:idx[i+1]])
		}
		if i+2 <= n {
			add(key[idx[i]:idx[i+2]])
		}
		if i+3 <= n {
			add(key[idx[i]:idx[i+3]])
		}
	}
	return out
}

// QueryGrams returns the grams a folded query is looked up by: a key
// matches only if it holds every one of them. The contract: when a key
// contains q, every gram of QueryGrams(q) is in Grams(key). A query of one
// Chinese character is its own gram, a query of two characters is its own
// gram; a longer one is looked up by a covering subset of its trigrams:
// those starting at characters 0, 3, 6, ... and the last one, so that
// every character of q is in some gram (9 characters: 3 grams, not 7).
// Nil when the index cannot serve the query (empty, or a single
// character that is not Chinese).
func QueryGrams(q string) []string {
	n := utf8.RuneCountInString(q)
	switch {
	case n == 0:
		return nil
	case n == 1:
		if r, _ := utf8.DecodeRuneInString(q); isHan(r) {
			return []string{q}
		}
		return nil
	case n == 2:
		return []string{q}
	}
	idx := make([]int, 0, n+1)
	for i := range q {
		idx = append(idx, i)
	}
	idx = append(idx, len(q))
	out := make([]string, 0, n/3+1)
	add := func(g string) {
		for _, x := range out {
			if x == g {
				return
			}
		}
		out = append(out, g)
	}
	for i := 0; i+3 <= n; i += 3 {
		add(q[idx[i]:idx[i+3]])
	}
	if n%3 != 0 {
		add(q[idx[n-3]:idx[n]])
	}
	return out
}
