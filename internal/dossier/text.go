package dossier

import (
	"fmt"
	"strings"
	"unicode"
)

// Faces of a text run.
const (
	faceLatin = iota
	faceCJK
)

const ptPerMM = 72 / 25.4

// unshapedScript returns the label key of the script of r when r belongs to
// a script that fpdf cannot typeset (it neither shapes nor reorders): drawn
// rune by rune, Arabic-script Uyghur comes out with mis-joined letters and
// Tibetan with broken stacks. Empty for every other rune.
func unshapedScript(r rune) string {
	switch {
	case r < 0x0590:
		return ""
	case unicode.In(r, unicode.Arabic, unicode.Syriac, unicode.Thaana, unicode.Nko):
		return "script.arabic"
	case unicode.Is(unicode.Tibetan, r):
		return "script.tibetan"
	case unicode.In(r, unicode.Hebrew, unicode.Mongolian, unicode.Devanagari, unicode.Bengali,
		unicode.Gurmukhi, unicode.Gujarati, unicode.Oriya, unicode.Tamil, unicode.Telugu, unicode.Kannada,
		unicode.Malayalam, unicode.Sinhala, unicode.Myanmar, unicode.Khmer, unicode.Lao, unicode.Thai):
		return "script.other"
	}
	return ""
}

// HasUnshaped reports whether s holds text in a script the renderer does not draw.
func HasUnshaped(s string) bool {
	for _, r := range s {
		if unshapedScript(r) != "" {
			return true
		}
	}
	return false
}

// ignorable runes carry no glyph (zero-width joiners, variation selectors,
// byte-order marks) and are dropped.
func ignorable(r rune) bool {
	return (r >= 0x200B && r <= 0x200F) || (r >= 0x2060 && r <= 0x206F) || (r >= 0xFE00 && r <= 0xFE0F) ||
		r == 0xFEFF || unicode.Is(unicode.Cc, r) && r != '\n'
}

// isCJK reports whether r is an ideograph or CJK punctuation: a line may
// break before and after it.
func isCJK(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul, unicode.Bopomofo) ||
		(r >= 0x3000 && r <= 0x303F) || (r >= 0xFF00 && r <= 0xFFEF)
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// dateUnit is a Chinese unit written after a number (date parts, days,
// months, years, counts): it never starts a line away from its number.
func dateUnit(r rune) bool { return strings.ContainsRune("年月日天号时分秒个次岁", r) }

// opening punctuation never ends a line.
func opening(r rune) bool { return strings.ContainsRune("（「『【《〈“‘(", r) }

// closing punctuation never starts a line.
func closing(r rune) bool {
	return strings.ContainsRune("，。、；：？！）」』】》〉’”,.;:?!)", r)
}

// clean makes s drawable: tabs become spaces, ignorable runes go, text in
// scripts that need shaping becomes a note naming the script, and a rune no
// installed font covers becomes its code point ("[U+1F600]").
func (r *renderer) clean(s string) string {
	var b strings.Builder
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		c := rs[i]
		switch {
		case c == '\t' || c == '\r':
			b.WriteRune(' ')
		case ignorable(c):
		case unshapedScript(c) != "":
			script := unshapedScript(c)
			// swallow the whole run, spaces and punctuation inside it included
			j := i + 1
			for j < len(rs) && (unshapedScript(rs[j]) != "" || ((unicode.IsSpace(rs[j]) || unicode.IsPunct(rs[j]) || ignorable(rs[j])) && j+1 < len(rs) && unshapedScript(rs[j+1]) != "")) {
				j++
			}
			i = j - 1
			r.notes["note.unshaped"] = true
			b.WriteString(r.l.format("note.text_unshaped", r.l.biLabel(script)))
		case r.faceFor(c) < 0:
			r.notes["note.uncovered"] = true
			fmt.Fprintf(&b, "[U+%04X]", c)
		default:
			b.WriteRune(c)
		}
	}
	return b.String()
}

// faceFor returns the face that draws c: the Latin font when it covers c,
// else the CJK font when it does, else -1.
func (r *renderer) faceFor(c rune) int {
	if c == '\n' || c == ' ' {
		return faceLatin
	}
	if r.fonts.Latin.Covers(c) {
		return faceLatin
	}
	if r.fonts.CJK.Covers(c) {
		return faceCJK
	}
	return -1
}

// span is a run of text drawn with one face.
type span struct {
	face int
	text string
}

func (r *renderer) spans(s string) []span {
	var out []span
	var b strings.Builder
	cur := -1
	for _, c := range s {
		f := r.faceFor(c)
		if f != cur && b.Len() > 0 {
			out = append(out, span{cur, b.String()})
			b.Reset()
		}
		cur = f
		b.WriteRune(c)
	}
	if b.Len() > 0 {
		out = append(out, span{cur, b.String()})
	}
	return out
}

// runeWidth is the advance of c in mm at size pt.
func (r *renderer) runeWidth(c rune, size float64, bold bool) float64 {
	var w int16
	switch r.faceFor(c) {
	case faceCJK:
		w = r.fonts.CJK.width(c)
	default:
		face := r.fonts.Latin
		if bold && r.fonts.LatinBold != nil {
			face = r.fonts.LatinBold
		}
		w = face.width(c)
	}
	if w < 0 {
		w = 0
	}
	return float64(w) * size / 1000 / ptPerMM
}

func (r *renderer) strWidth(s string, size float64, bold bool) float64 {
	w := 0.0
	for _, c := range s {
		w += r.runeWidth(c, size, bold)
	}
	return w
}

// wrap breaks cleaned text into lines no wider than w mm: at spaces, around
// ideographs (closing punctuation stays on its line), and inside a word
// only when the word alone is wider than the line.
func (r *renderer) wrap(s string, w, size float64, bold bool) []string {
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		var line strings.Builder
		lineW := 0.0
		pendingSpace := false
		flush := func() {
			lines = append(lines, line.String())
			line.Reset()
			lineW, pendingSpace = 0, false
		}
		spaceW := r.runeWidth(' ', size, bold)
		for _, tok := range tokens(para) {
			if tok == " " {
				pendingSpace = line.Len() > 0
				continue
			}
			tw := r.strWidth(tok, size, bold)
			extra := 0.0
			if pendingSpace {
				extra = spaceW
			}
			if line.Len() > 0 && lineW+extra+tw > w {
				flush()
				extra = 0
			}
			if tw > w { // a word wider than the line: break it by runes
				for _, c := range tok {
					cw := r.runeWidth(c, size, bold)
					if line.Len() > 0 && lineW+extra+cw > w {
						flush()
						extra = 0
					}
					if extra > 0 {
						line.WriteByte(' ')
						lineW += extra
						extra = 0
						pendingSpace = false
					}
					line.WriteRune(c)
					lineW += cw
				}
				continue
			}
			if extra > 0 {
				line.WriteByte(' ')
				lineW += extra
			}
			pendingSpace = false
			line.WriteString(tok)
			lineW += tw
		}
		flush()
	}
	return lines
}

// tokens splits a paragraph into words, single spaces and single
// ideographs (each with the closing punctuation that follows it). Dates and
// numbers are words: "2015-08-03", "2015-08~", "4,134" have no space inside,
// a Chinese date keeps its units ("2015年8月3日", "约2019年3月") and a number
// its unit ("4134天"), so no line ever breaks inside one (a word breaks only
// when it alone is wider than the line).
func tokens(s string) []string {
	var out []string
	var word strings.Builder
	endWord := func() {
		if word.Len() > 0 {
			out = append(out, word.String())
			word.Reset()
		}
	}
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		c := rs[i]
		switch {
		case c == ' ':
			endWord()
			if len(out) == 0 || out[len(out)-1] != " " {
				out = append(out, " ")
			}
		case c == '约' && i+1 < len(rs) && isDigit(rs[i+1]):
			// "约2019年3月": the approximate mark stays with its date
			endWord()
			word.WriteRune(c)
		case dateUnit(c) && i > 0 && isDigit(rs[i-1]) && word.Len() > 0:
			// "2015年8月3日", "4134天": a number and its unit are one word
			word.WriteRune(c)
		case opening(c) && i+1 < len(rs) && rs[i+1] != ' ' && !isCJK(rs[i+1]):
			// "（2018）": an opening mark stays with the word it opens
			endWord()
			word.WriteRune(c)
		case isCJK(c) && !closing(c):
			endWord()
			t := string(c)
			// an opening mark never ends a line: it goes with the ideograph after it
			for opening(rs[i]) && i+1 < len(rs) && isCJK(rs[i+1]) && !closing(rs[i+1]) {
				i++
				t += string(rs[i])
			}
			for i+1 < len(rs) && closing(rs[i+1]) {
				i++
				t += string(rs[i])
			}
			out = append(out, t)
		default:
			word.WriteRune(c)
		}
	}
	endWord()
	return out
}
