package dossier

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// Standard Debian locations of the fonts (packages fonts-dejavu-core,
// fonts-noto-core and fonts-droid-fallback), tried after HABEAS_PDF_FONT_DIR.
var (
	latinCandidates = []fontCandidate{
		{regular: "DejaVuSans.ttf", bold: "DejaVuSans-Bold.ttf", dirs: []string{"/usr/share/fonts/truetype/dejavu"}},
		{regular: "NotoSans-Regular.ttf", bold: "NotoSans-Bold.ttf", dirs: []string{"/usr/share/fonts/truetype/noto"}},
	}
	cjkCandidates = []fontCandidate{
		{regular: "DroidSansFallbackFull.ttf", dirs: []string{"/usr/share/fonts/truetype/droid"}},
		{regular: "DroidSansFallback.ttf", dirs: []string{"/usr/share/fonts/truetype/droid"}},
	}
)

type fontCandidate struct {
	regular, bold string
	dirs          []string
}

// Face is one loaded TrueType font: its bytes (handed to fpdf) and its
// character map and advance widths (read with x/image/font/sfnt).
type Face struct {
	// Path is the file the face was read from.
	Path string
	data []byte
	sf   *sfnt.Font

	// bmp holds, for each rune of the Basic Multilingual Plane, its advance
	// width in thousandths of an em, or -1 when the font has no glyph.
	bmp  []int16
	mu   sync.Mutex
	more map[rune]int16
}

func loadFace(path string) (*Face, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	sf, err := sfnt.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", path, err)
	}
	f := &Face{Path: path, data: data, sf: sf, bmp: make([]int16, 0x10000), more: map[rune]int16{}}
	var buf sfnt.Buffer
	for r := rune(0); r < 0x10000; r++ {
		f.bmp[r] = f.lookup(&buf, r)
	}
	return f, nil
}

func (f *Face) lookup(buf *sfnt.Buffer, r rune) int16 {
	gid, err := f.sf.GlyphIndex(buf, r)
	if err != nil || gid == 0 {
		return -1
	}
	adv, err := f.sf.GlyphAdvance(buf, gid, fixed.I(1000), 0)
	if err != nil {
		return -1
	}
	return int16(adv.Round())
}

// width returns the advance of r in thousandths of an em, or -1 when the
// font has no glyph for r.
func (f *Face) width(r rune) int16 {
	if r >= 0 && r < 0x10000 {
		return f.bmp[r]
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	w, ok := f.more[r]
	if !ok {
		var buf sfnt.Buffer
		w = f.lookup(&buf, r)
		f.more[r] = w
	}
	return w
}

// Covers reports whether the font has a glyph for r (its cmap maps r).
func (f *Face) Covers(r rune) bool { return f != nil && f.width(r) >= 0 }

// Fonts are the faces the renderers use. Latin is required; CJK is needed
// for any Chinese text (labels of zh and bilingual documents included).
type Fonts struct {
	Latin     *Face
	LatinBold *Face
	CJK       *Face
	// Problems says what is missing, for the log and /readyz.
	Problems []string
}

// ErrFontMissing is returned when a document needs a font that is not installed.
var ErrFontMissing = errors.New("dossier: font missing")

// FindFonts looks for the fonts in dir (HABEAS_PDF_FONT_DIR, searched
// recursively; may be empty) and then in the standard Debian paths. A
// missing font is not an error here: it is listed in Problems (see Check).
func FindFonts(dir string) *Fonts {
	fs := &Fonts{}
	if p, pb := find(dir, latinCandidates); p != "" {
		if face, err := loadFace(p); err == nil {
			fs.Latin = face
			if pb != "" {
				if b, err := loadFace(pb); err == nil {
					fs.LatinBold = b
				}
			}
		} else {
			fs.Problems = append(fs.Problems, "Latin font "+p+": "+err.Error())
		}
	} else {
		fs.Problems = append(fs.Problems, "no Latin font found (install fonts-dejavu-core or fonts-noto-core, or set HABEAS_PDF_FONT_DIR)")
	}
	if p, _ := find(dir, cjkCandidates); p != "" {
		if face, err := loadFace(p); err == nil {
			fs.CJK = face
		} else {
			fs.Problems = append(fs.Problems, "CJK font "+p+": "+err.Error())
		}
	} else {
		fs.Problems = append(fs.Problems, "no CJK font found: Chinese text cannot be rendered (install fonts-droid-fallback, or put DroidSansFallbackFull.ttf in HABEAS_PDF_FONT_DIR)")
	}
	return fs
}

// find returns the first candidate present: in dir (recursively) first,
// then in the candidate's standard directories.
func find(dir string, cands []fontCandidate) (regular, bold string) {
	if dir != "" {
		found := map[string]string{}
		_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if !d.IsDir() {
				if _, ok := found[d.Name()]; !ok {
					found[d.Name()] = p
				}
			}
			return nil
		})
		for _, c := range cands {
			if p := found[c.regular]; p != "" {
				return p, found[c.bold]
			}
		}
	}
	for _, c := range cands {
		for _, d := range c.dirs {
			p := filepath.Join(d, c.regular)
			if _, err := os.Stat(p); err == nil {
				b := ""
				if c.bold != "" {
					if _, err := os.Stat(filepath.Join(d, c.bold)); err == nil {
						b = filepath.Join(d, c.bold)
					}
				}
				return p, b
			}
		}
	}
	return "", ""
}

// Check returns an error naming every missing font (nil when all are there):
// the readiness check and the start-up log use it.
func (f *Fonts) Check() error {
	if len(f.Problems) == 0 {
		return nil
	}
	return fmt.Errorf("%w: %s", ErrFontMissing, strings.Join(f.Problems, "; "))
}
