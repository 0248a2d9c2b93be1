package names

import (
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"unicode/utf8"
)

func TestFoldEquivalentForms(t *testing.T) {
	groups := [][]string{
		{"刘贤斌", "劉賢斌"},
		{"刘晓波", "劉曉波"},
		{"liuxiaobo", "Liu Xiaobo", "Liú Xiǎobō", "LIU XIAOBO", "liu-xiaobo", "Ｌｉｕ　Ｘｉａｏｂｏ"},
		{"伊力哈木·土赫提", "伊力哈木•土赫提", "伊力哈木・土赫提", "伊力哈木‧土赫提", "伊力哈木 土赫提", "伊力哈木.土赫提", "伊力哈木-土赫提"},
		{"liu", "Ｌｉｕ", "Liú", "LIÙ"},
		{"lu", "Lǚ", "Lv", "LÜ", "lü", "Lü"},
		{"许志永", "許志永"},
		{"ilhamtoxti", "ئىلھام توختى", "Ilham Toxti", "ilham-toxti"},
		{"phamdoantrang", "Phạm Đoan Trang"},
		{"tsering", "Tsering", "Tse-ring", "Tse'ring", "Tse’ring"},
	}
	for _, g := range groups {
		want := Fold(g[0])
		for _, s := range g[1:] {
			if got := Fold(s); got != want {
				t.Errorf("Fold(%q) = %q, want %q (as Fold(%q))", s, got, want, g[0])
			}
		}
	}
}

func TestFoldValues(t *testing.T) {
	cases := map[string]string{
		"Ｌｉｕ":                "liu",
		"Liú Xiǎobō":         "liuxiaobo",
		"Lǚ":                 "lu",
		"劉曉波":                "刘晓波",
		"伊力哈木·土赫提":           "伊力哈木土赫提",
		"ئىلھام توختى":       "ilhamtoxti",
		"ئۆمەر":              "omer",
		"گۈلمىرا ئىمىن":      "gulmiraimin",
		"راھىلە داۋۇت":       "rahiledawut",
		"ئابدۇۋەلى ئايۇپ":    "abduweliayup",
		"چاغرى":              "chaghri",
		"Ømer Łukasz Straße": "omerlukaszstrasse",
		"  ":                 "",
		"·•・":                "",
		"Ａｂｃ１２３":             "abc123",
		// Tibetan is kept as written; only the tsheg (a separator) goes.
		"བཀྲ་ཤིས་དབང་ཕྱུག": "བཀྲཤིསདབངཕྱུག",
		// Hangul and kana keep their marks (not Latin).
		"김정은": "김정은",
		"ガ":   "ガ",
	}
	for in, want := range cases {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestKeys(t *testing.T) {
	cases := []struct {
		name string
		want []string // each must be among the keys
		not  []string
	}{
		{"刘贤斌", []string{"刘贤斌", "liuxianbin", "xianbinliu"}, nil},
		{"劉賢斌", []string{"刘贤斌", "liuxianbin", "xianbinliu"}, nil},
		{"刘晓波", []string{"刘晓波", "liuxiaobo", "xiaoboliu"}, nil},
		{"劉曉波", []string{"刘晓波", "liuxiaobo", "xiaoboliu"}, nil},
		{"刘 贤斌", []string{"刘贤斌", "liuxianbin", "xianbinliu"}, nil},
		{"伊力哈木·土赫提", []string{"伊力哈木土赫提", "yilihamutuheti", "tuhetiyilihamu"}, nil},
		{"伊力哈木•土赫提", []string{"伊力哈木土赫提", "yilihamutuheti", "tuhetiyilihamu"}, nil},
		{"ئىلھام توختى", []string{"ilhamtoxti", "ilhamtohti"}, nil},
		{"欧阳修", []string{"欧阳修", "ouyangxiu", "xiuouyang"}, []string{"yangxiuou"}},
		{"歐陽修", []string{"欧阳修", "ouyangxiu", "xiuouyang"}, nil},
		{"司马光", []string{"simaguang", "guangsima"}, nil},
		{"諸葛亮", []string{"诸葛亮", "zhugeliang", "liangzhuge"}, nil},
		{"上官婉儿", []string{"shangguanwaner", "wanershangguan"}, nil},
		{"曾金燕", []string{"zengjinyan", "jinyanzeng"}, nil},
		{"单 超", []string{"shanchao", "chaoshan"}, nil},
		{"吕", []string{"吕", "lu"}, nil},
		{"吕耿松", []string{"lugengsong", "gengsonglu"}, nil},
		{"许志永", []string{"xuzhiyong", "zhiyongxu"}, nil},
		{"Liu Xiaobo", []string{"liuxiaobo"}, []string{"xiaoboliu"}},
		{"བཀྲ་ཤིས་དབང་ཕྱུག", []string{"བཀྲཤིསདབངཕྱུག"}, nil},
	}
	for _, c := range cases {
		keys := Keys(c.name)
		for _, w := range c.want {
			if !slices.Contains(keys, w) {
				t.Errorf("Keys(%q) = %q, missing %q", c.name, keys, w)
			}
		}
		for _, w := range c.not {
			if slices.Contains(keys, w) {
				t.Errorf("Keys(%q) = %q, has %q", c.name, keys, w)
			}
		}
		for i, k := range keys {
			if Fold(k) != k {
				t.Errorf("Keys(%q)[%d] = %q is not folded", c.name, i, k)
			}
			if slices.Index(keys, k) != i {
				t.Errorf("Keys(%q) repeats %q", c.name, k)
			}
		}
	}
	if Keys("  ·  ") != nil {
		t.Errorf("Keys of separators only: want nil")
	}
	// Latin names get only their fold.
	if got := Keys("Ilham Tohti"); !slices.Equal(got, []string{"ilhamtohti"}) {
		t.Errorf("Keys(Ilham Tohti) = %q", got)
	}
}

// A query as a user types it finds the name form as written: the folded
// query is a substring of one of the name's keys.
func TestQueriesFindNames(t *testing.T) {
	cases := map[string][]string{
		"刘贤斌":          {"liu xianbin", "liuxianbin", "Xianbin Liu", "劉賢斌", "贤斌", "Liú Xiánbīn", "xianbin"},
		"劉曉波":          {"Liu Xiaobo", "刘晓波", "曉波", "xiaobo liu", "LIU"},
		"伊力哈木·土赫提":     {"伊力哈木•土赫提", "伊力哈木", "土赫提", "yilihamu"},
		"ئىلھام توختى": {"Ilham Tohti", "Ilham Toxti", "Ilham", "Tohti", "toxti", "ئىلھام"},
		"歐陽修":          {"欧阳修", "Ouyang Xiu", "Xiu Ouyang", "ouyang"},
		"吕耿松":          {"Lü Gengsong", "Lv Gengsong", "Lu Gengsong", "呂耿松"},
	}
	for name, queries := range cases {
		keys := Keys(name)
		for _, q := range queries {
			fq := Fold(q)
			if !slices.ContainsFunc(keys, func(k string) bool { return containsStr(k, fq) }) {
				t.Errorf("query %q (%q) does not find %q (keys %q)", q, fq, name, keys)
			}
		}
	}
}

func containsStr(s, sub string) bool {
	return len(sub) <= len(s) && (sub == "" || indexOf(s, sub) >= 0)
}

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

func TestFoldIdempotentOnNames(t *testing.T) {
	for _, s := range sampleNames {
		f := Fold(s)
		if Fold(f) != f {
			t.Errorf("Fold(Fold(%q)) = %q, Fold = %q", s, Fold(f), f)
		}
		if !utf8.ValidString(f) {
			t.Errorf("Fold(%q) not valid UTF-8", s)
		}
	}
}

var sampleNames = []string{
	"刘贤斌", "劉賢斌", "Liu Xianbin", "刘晓波", "劉曉波", "Liú Xiǎobō", "伊力哈木·土赫提", "伊力哈木•土赫提",
	"ئىلھام توختى", "Ilham Tohti", "Ｌｉｕ", "Lǚ", "歐陽修", "བཀྲ་ཤིས་དབང་ཕྱུག", "ᠬᠠᠳᠠ", "Phạm Đoan Trang",
	"薴", "乾隆", "김정은", "Nguyễn Văn Đài", "Ахмеджан", "ʻAbd al-Raʼūf",
}

// Idempotence and valid output on random strings: mixed-script names and
// arbitrary code points (the fuzz test explores further).
func TestFoldIdempotentRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(20, 2))
	for i := 0; i < 20000; i++ {
		var s string
		if i%2 == 0 {
			s = randomString(rng, 16)
		} else {
			rs := make([]rune, 1+rng.IntN(10))
			for j := range rs {
				rs[j] = rune(rng.IntN(0x30000))
			}
			s = string(rs)
		}
		f := Fold(s)
		if !utf8.ValidString(f) {
			t.Fatalf("Fold(%q) = %q: not valid UTF-8", s, f)
		}
		if f2 := Fold(f); f2 != f {
			t.Fatalf("Fold(%q) = %q, Fold of that = %q", s, f, f2)
		}
		for _, k := range Keys(s) {
			if Fold(k) != k {
				t.Fatalf("Keys(%q) has %q, not folded", s, k)
			}
		}
	}
}

// Arabic-script text that is not Uyghur is kept as written, not half
// transliterated.
func TestFoldArabicNotUyghur(t *testing.T) {
	if got := Fold("محمد عبد الله"); got != "محمدعبدالله" {
		t.Errorf("Fold(محمد عبد الله) = %q", got)
	}
	if got := Keys("محمد"); len(got) != 1 {
		t.Errorf("Keys(محمد) = %q, want the fold only", got)
	}
	// Presentation forms are Uyghur letters after NFKC.
	if got := Fold("ﺋﯩﻠﮫﺎﻡ"); got != "ilham" {
		t.Errorf("Fold(presentation forms) = %q, want ilham", got)
	}
}

// Fold and Keys are called from every request: the lazily built OpenCC
// converter and the pinyin cache must be safe for concurrent use (run
// with -race).
func TestConcurrentUse(t *testing.T) {
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, s := range sampleNames {
				Keys(s)
				Fold(s)
			}
		}()
	}
	wg.Wait()
}
