package names

import "unicode"

// Uyghur in Arabic script (Uyghur Ereb Yéziqi, UEY) is transliterated
// letter by letter to Uyghur Latin (Uyghur Latin Yéziqi, ULY), the
// romanisation adopted at the Xinjiang University conferences of 2000-2001
// and published as the standard Latin alphabet of Uyghur (ULY, 2000). The
// 32 letters of the alphabet, in its order, with their ULY forms:
//
//	ئا a   ئە e   ب b   پ p   ت t   ج j   چ ch  خ x
//	د d    ر r    ز z   ژ zh  س s   ش sh  غ gh  ف f
//	ق q    ك k    گ g   ڭ ng  ل l   م m   ن n   ھ h
//	ئو o   ئۇ u   ئۆ ö  ئۈ ü  ۋ w   ئې é  ئى i  ي y
//
// The hamza carrier ئ (U+0626) writes no sound: it starts a syllable that
// begins with a vowel (ئىلھام = ilham) and is silent; ULY writes an
// apostrophe only between two vowels (sa'et), which the fold removes
// anyway, so ئ maps to nothing. Unicode decomposes ئ into ي + hamza above,
// which is why the fold transliterates before it strips marks.
//
// A few letters that Uyghur text typed on Arabic or Persian keyboards uses
// for Uyghur ones are mapped as the letter they stand for: Arabic heh ه for
// ھ, keheh ک for ك, Farsi yeh ی for ى, hamza ء (silent, like ئ). Arabic
// short-vowel marks (harakat) do not occur in Uyghur and are stripped with
// the other marks. Text with an Arabic-script letter outside this table
// (Arabic ث ح ص ض ط ظ ع and others) is not Uyghur: it is kept as written.
var uyghurLatin = map[rune]string{
	'\u0627': "a",  // ا alef (ئا)
	'\u06D5': "e",  // ە ae (ئە)
	'\u0628': "b",  // ب
	'\u067E': "p",  // پ
	'\u062A': "t",  // ت
	'\u062C': "j",  // ج
	'\u0686': "ch", // چ
	'\u062E': "x",  // خ
	'\u062F': "d",  // د
	'\u0631': "r",  // ر
	'\u0632': "z",  // ز
	'\u0698': "zh", // ژ
	'\u0633': "s",  // س
	'\u0634': "sh", // ش
	'\u063A': "gh", // غ
	'\u0641': "f",  // ف
	'\u0642': "q",  // ق
	'\u0643': "k",  // ك
	'\u06AF': "g",  // گ
	'\u06AD': "ng", // ڭ
	'\u0644': "l",  // ل
	'\u0645': "m",  // م
	'\u0646': "n",  // ن
	'\u06BE': "h",  // ھ heh doachashmee
	'\u0648': "o",  // و (ئو)
	'\u06C7': "u",  // ۇ (ئۇ)
	'\u06C6': "ö",  // ۆ (ئۆ)
	'\u06C8': "ü",  // ۈ (ئۈ)
	'\u06CB': "w",  // ۋ ve
	'\u06D0': "é",  // ې e (ئې)
	'\u0649': "i",  // ى alef maksura (ئى)
	'\u064A': "y",  // ي
	'\u0626': "",   // ئ hamza carrier: silent
	// Keyboard substitutes.
	'\u0647': "h", // ه Arabic heh for ھ
	'\u06A9': "k", // ک keheh for ك
	'\u06CC': "i", // ی Farsi yeh for ى
	'\u0621': "",  // ء bare hamza, silent like ئ
}

// isUyghurText reports whether the fold transliterates the Arabic script
// of s (NFKC): s holds Arabic letters and all of them are in the Uyghur
// table. Arabic or Persian text (محمد: ح is not a Uyghur letter) is kept
// as written, whole, rather than half transliterated. The decision is
// taken for the whole text so that the fold stays idempotent.
func isUyghurText(s string) bool {
	found := false
	for _, r := range s {
		if r < 0x0600 || !unicode.Is(unicode.Arabic, r) || !unicode.IsLetter(r) {
			continue
		}
		if _, ok := uyghurLatin[r]; !ok {
			return false
		}
		found = true
	}
	return found
}

// uyghurEnglish turns a folded ULY key into the English-style romanisation
// of Uyghur names common in the press and in NGO lists: x (خ) is written h
// ("Tohti", not "Toxti") and q (ق) is written k ("Kurban" beside "Qurban").
// The fold has already dropped ULY's diacritics (ö ü é -> o u e). Other
// letters are the same in both.
func uyghurEnglish(key string) string {
	b := []byte(key)
	for i, c := range b {
		switch c {
		case 'x':
			b[i] = 'h'
		case 'q':
			b[i] = 'k'
		}
	}
	return string(b)
}
