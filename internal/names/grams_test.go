package names

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// alphabet mixes the scripts names come in, with separators, diacritics,
// full-width forms and traditional characters, so that random strings go
// through every branch of the fold.
var alphabet = []rune(
	"abcdefghijklmnopqrstuvwxyzLIUXV" + // Latin
		"áéíóúǚǜüāēīōūàèìòùñçøłæß" + // diacritics and special letters
		"ＬｉｕＸ１" + // full-width
		"刘贤斌晓波伊力哈木土赫提欧阳修司马光王张李" + // simplified
		"劉賢曉歐陽馬張薴" + // traditional
		"ئىلھامتوختۇۆۈېەۋڭغچشژ" + // Uyghur Arabic
		"བཀྲཤིསདབངཕྱུག" + // Tibetan
		"ᠬᠠᠳ" + // Mongolian
		"김정은ガ" + // Hangul, kana
		" ·•・‧.-_'’\u0301\u0308\u200d\u0640") // separators, combining marks, ZWJ, tatweel

func randomString(rng *rand.Rand, max int) string {
	n := 1 + rng.IntN(max)
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteRune(alphabet[rng.IntN(len(alphabet))])
	}
	return b.String()
}

// The gram contract: a key that contains q holds every gram of
// QueryGrams(q). Checked on thousands of random mixed-script names, for
// every key of each and random substrings of those keys.
func TestGramsCoverQueries(t *testing.T) {
	rng := rand.New(rand.NewPCG(20, 1))
	checked := 0
	for i := 0; i < 5000; i++ {
		for _, key := range Keys(randomString(rng, 14)) {
			grams := Grams(key)
			set := make(map[string]bool, len(grams))
			for _, g := range grams {
				if set[g] {
					t.Fatalf("Grams(%q) repeats %q", key, g)
				}
				set[g] = true
			}
			rs := []rune(key)
			for j := 0; j < 4; j++ {
				a := rng.IntN(len(rs))
				b := a + 1 + rng.IntN(len(rs)-a)
				q := string(rs[a:b])
				if Fold(q) != q {
					// A substring of a key is itself folded, except where
					// it cuts a phrase OpenCC converts differently.
					continue
				}
				qg := QueryGrams(q)
				if qg == nil && (len(rs[a:b]) > 1 || isHan(rs[a])) {
					t.Fatalf("QueryGrams(%q) = nil", q)
				}
				for _, g := range qg {
					if !set[g] {
						t.Fatalf("key %q contains %q but lacks its gram %q (grams %q)", key, q, g, grams)
					}
				}
				checked++
			}
		}
	}
	if checked < 10000 {
		t.Fatalf("only %d queries checked", checked)
	}
}

func TestQueryGrams(t *testing.T) {
	cases := map[string][]string{
		"":          nil,
		"l":         nil,
		"刘":         {"刘"},
		"li":        {"li"},
		"晓波":        {"晓波"},
		"liu":       {"liu"},
		"liux":      {"liu", "iux"},
		"liuxiaobo": {"liu", "xia", "obo"},
		"liuxiaob":  {"liu", "xia", "aob"},
		"aaaaaa":    {"aaa"},
		"刘晓波":       {"刘晓波"},
	}
	for q, want := range cases {
		if got := QueryGrams(q); !slices.Equal(got, want) {
			t.Errorf("QueryGrams(%q) = %q, want %q", q, got, want)
		}
	}
	if got := Grams("刘晓波"); !slices.Equal(got, []string{"刘", "刘晓", "刘晓波", "晓", "晓波", "波"}) {
		t.Errorf("Grams(刘晓波) = %q", got)
	}
	if got := len(Grams("liuxianbin")); got != 17 {
		t.Errorf("len(Grams(liuxianbin)) = %d, want 17", got)
	}
	// Long keys (case titles) take the set path.
	long := strings.Repeat("abcdefghij", 5)
	if got := Grams(long); len(got) != 20 {
		t.Errorf("len(Grams(%q)) = %d, want 20", long, len(got))
	}
}

func FuzzFold(f *testing.F) {
	for _, s := range sampleNames {
		f.Add(s)
	}
	f.Add("a\u0301 \u0301b")
	f.Add("\u0301")
	f.Fuzz(func(t *testing.T, s string) {
		k := Fold(s)
		if !utf8.ValidString(k) {
			t.Fatalf("Fold(%q) = %q: not valid UTF-8", s, k)
		}
		if k2 := Fold(k); k2 != k {
			t.Fatalf("Fold(%q) = %q but Fold of that = %q", s, k, k2)
		}
		for _, key := range Keys(s) {
			if key == "" || Fold(key) != key {
				t.Fatalf("Keys(%q) has %q, not folded (%q)", s, key, Fold(key))
			}
		}
	})
}
