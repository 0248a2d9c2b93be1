package names

import "testing"

// benchNames are one name form of each kind the index folds.
var benchNames = []struct{ kind, name string }{
	{"latin", "Liu Xiaobo"},
	{"latin-folded", "liuxiaobo"},
	{"tones", "Liú Xiǎobō"},
	{"simplified", "刘贤斌"},
	{"traditional", "劉曉波"},
	{"transliterated", "伊力哈木·土赫提"},
	{"uyghur", "ئىلھام توختى"},
	{"tibetan", "བཀྲ་ཤིས་དབང་ཕྱུག"},
}

func BenchmarkFold(b *testing.B) {
	Fold("劉") // build the converter outside the timings
	for _, c := range benchNames {
		b.Run(c.kind, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Fold(c.name)
			}
		})
	}
}

func BenchmarkKeys(b *testing.B) {
	Keys("劉曉波")
	for _, c := range benchNames {
		b.Run(c.kind, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Keys(c.name)
			}
		})
	}
}

func BenchmarkGrams(b *testing.B) {
	for _, k := range []string{"liuxiaobo", "刘贤斌", "yilihamutuheti"} {
		b.Run(k, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Grams(k)
			}
		})
	}
}
