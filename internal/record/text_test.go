package record

import (
	"strings"
	"testing"
)

// Names and other one-line fields (at most MaxShort characters) refuse
// what makes look-alike records: bidirectional controls, invisible
// characters and line breaks; they keep what real names need: ZWNJ between
// Arabic-script letters (Persian names such as علی‌رضا), ZWJ and ZWNJ after a virama in Indic scripts,
// Mongolian variation selectors, ideographic variation selectors after Han.
// Long free text refuses only direction overrides, embeddings and isolates
// (and control characters other than tab and line breaks).
func TestCheckTextCharacters(t *testing.T) {
	realNames := []string{
		"ئىلھام توختى",        // Ilham Tohti (Uyghur)
		"راھىلە داۋۇت",        // Rahile Dawut (Uyghur)
		"غەيرەت نىياز",        // Gheyret Niyaz (Uyghur)
		"پەرھات مۇھەممەت",     // Uyghur, with U+06D5
		"علی\u200cرضا رجایی",  // Alireza Rajaei (Persian; ZWNJ inside علی‌رضا)
		"نرگس محمدی",          // Narges Mohammadi (Persian)
		"محمد\u200cعلی طاهری", // Mohammad-Ali Taheri (Persian; ZWNJ)
		"عبدالله\u200cزاده",   // a Persian surname ending in ‌زاده
		"ශ්\u200dරී ලංකා",     // Sinhala ශ්‍රී: ZWJ after the virama (al-lakuna)
		"स्\u200cत्री",        // Devanagari: ZWNJ after the virama (half-form suppressed)
		"ᠤᠯᠠᠭᠠᠨ\u180eᠠ",       // Mongolian with the vowel separator
		"ᠭ\u180bᠠ",            // Mongolian free variation selector
		"葛\U000E0100西",        // Han with an ideographic variation selector
		"伊力哈木·土赫提", "丁家喜", "Ilham Tohti", "José Ñúñez", "O'Brien-Smith", "བློ་བཟང་", "王 全璋",
	}
	for _, s := range realNames {
		if msg := CheckText(s, MaxShort); msg != "" {
			t.Errorf("short text %q (%+q) refused: %s", s, s, msg)
		}
	}
	badShort := map[string]string{
		"right-to-left override (the finding)": "Ilham\u202eitheT",
		"zero-width space (the finding)":       "Ilham\u200bTohti",
		"left-to-right embedding":              "\u202aIlham",
		"pop directional formatting":           "Ilham\u202c",
		"right-to-left isolate":                "\u2067ئىلھام\u2069",
		"first strong isolate":                 "a\u2068b",
		"left-to-right mark":                   "Ilham\u200e Tohti",
		"right-to-left mark":                   "ئىلھام\u200f",
		"Arabic letter mark":                   "ئىلھام\u061c",
		"word joiner":                          "Il\u2060ham",
		"BOM inside text":                      "Ilham\ufeffTohti",
		"BOM at the start":                     "\ufeffIlham",
		"soft hyphen":                          "Il\u00adham",
		"combining grapheme joiner":            "Il\u034fham",
		"Hangul filler":                        "\u3164",
		"halfwidth Hangul filler":              "a\uffa0b",
		"invisible times":                      "a\u2062b",
		"tag character":                        "a\U000E0041b",
		"Mongolian vowel separator in Latin":   "a\u180eb",
		"variation selector after Latin":       "a\ufe0fb",
		"ZWNJ between Latin letters":           "Il\u200cham",
		"ZWJ between Latin letters":            "Il\u200dham",
		"ZWNJ at the end of Arabic":            "ئىلھام\u200c",
		"ZWNJ at the start":                    "\u200cئىلھام",
		"ZWNJ before a space":                  "علی\u200c رضا",
		"two ZWNJ":                             "علی\u200c\u200cرضا",
		"ZWNJ between Han":                     "王\u200c五",
		"line feed":                            "Ilham\nTohti",
		"carriage return":                      "Ilham\rTohti",
		"tab":                                  "Ilham\tTohti",
		"line separator":                       "Ilham\u2028Tohti",
		"escape":                               "Ilham\x1b[31m",
		"C1 control":                           "Ilham\u0085",
		"Arabic number sign":                   "\u0600123",
		"interlinear annotation":               "a\ufff9b\ufffbc",
		"NUL":                                  "a\x00b",
	}
	for name, s := range badShort {
		if msg := CheckText(s, MaxShort); msg == "" {
			t.Errorf("%s: short text %+q accepted", name, s)
		}
	}
	if msg := CheckText("Ilham\u202eTohti", MaxShort); !strings.Contains(msg, "U+202E") {
		t.Errorf("message %q does not name the character", msg)
	}
	goodLong := []string{
		"line one\nline two\r\nline three\n\n\tindented",
		"مەن ئىلھام توختى\u200f (Ilham Tohti) \u200eis held in Urumqi",
		"a note with علی\u200cرضا and ශ්\u200dරී",
		"soft\u00adhyphen and zero\u200bwidth space in pasted text",
		"paragraph\u2029separator",
	}
	for _, s := range goodLong {
		if msg := CheckText(s, MaxLong); msg != "" {
			t.Errorf("long text %+q refused: %s", s, msg)
		}
	}
	for name, s := range map[string]string{
		"right-to-left override": "see \u202eexe.txt",
		"left-to-right override": "\u202dabc",
		"embedding":              "\u202babc\u202c",
		"isolate":                "\u2066abc\u2069",
		"escape sequence":        "abc\x1b[2J",
		"bell":                   "abc\x07",
		"C1 control":             "abc\u009b",
		"NUL":                    "a\x00b",
		"invalid UTF-8":          "a\xffb",
	} {
		if msg := CheckText(s, MaxLong); msg == "" {
			t.Errorf("%s: long text %+q accepted", name, s)
		}
	}
	if msg := CheckText("a\xffb", MaxShort); msg == "" {
		t.Error("invalid UTF-8 accepted")
	}
}
