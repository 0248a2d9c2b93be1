package dossier

import (
	"bytes"
	"crypto/sha256"
	"image"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/image/font/sfnt"
)

// testFonts are the installed fonts; a test fails (never skips) without them:
// scripts/ensure-fonts.sh installs them.
func testFonts(t testing.TB) *Fonts {
	t.Helper()
	f := FindFonts(os.Getenv("HABEAS_PDF_FONT_DIR"))
	if err := f.Check(); err != nil {
		t.Fatalf("fonts missing (run scripts/ensure-fonts.sh): %v", err)
	}
	return f
}

// tool returns the path of a poppler-utils program, failing loudly when it
// is missing: the checks below are the only way to see what a reader sees.
func tool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s not found: install poppler-utils (scripts/ensure-fonts.sh does); these checks must not be skipped", name)
	}
	return p
}

func compose(t testing.TB, doc *Document) (string, *PDF) {
	t.Helper()
	p, err := Compose(doc, testFonts(t), testTerms)
	if err != nil {
		t.Fatalf("compose: %v", err)
	}
	var buf bytes.Buffer
	if _, err := p.WriteTo(&buf); err != nil {
		t.Fatalf("write: %v", err)
	}
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	if len(p.Report.MissingLabels) > 0 {
		t.Errorf("labels without translation: %v", p.Report.MissingLabels)
	}
	return path, p
}

func run(t testing.TB, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(tool(t, name), args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	return string(out)
}

// TestBilingualDossierText renders a bilingual dossier and reads it back as
// text: every section, every name form and every value is there; the
// scripts that are not shaped are replaced by their transliteration or a
// marker; the external version has no confidential value, in its text, its
// metadata or its raw bytes, although the Document given to the renderer
// holds them all (the renderer drops them itself; the service does too).
func TestBilingualDossierText(t *testing.T) {
	for _, aud := range []Audience{Internal, External} {
		t.Run(string(aud), func(t *testing.T) {
			doc := sample(Bilingual, aud)
			path, p := compose(t, doc)
			text := run(t, "pdftotext", "-layout", path, "-")
			flat := strings.Join(strings.Fields(text), " ")
			want := []string{
				// names: simplified, traditional, pinyin, transliterations, marker
				"许志永", "許志永", "Xu Zhiyong", "Tashi", "丁家喜", "张律师",
				"[name in Uyghur (Arabic script) not rendered: transliteration needed]",
				// every section, in both languages
				"Detainee profile / 被羁押者概况", "Case summary / 案件摘要", "Lawyers / 律师", "Chronology (events and hearings)",
				"Obstacles summary / 执业障碍汇总", "Legal time limits / 法定期限", "International support actions",
				"Evidence index / 证据索引", "Notes on this document", "Contents / 目录",
				// values
				"Subversion of state power / 颠覆国家政权罪", "Art. 105", "CPL Art. 91", "OVERDUE", "临沂市中级人民法院",
				"9f86d081884c7d659a2f", "Indictment 起诉书", doc.ID, "cannot be typeset correctly",
				"Page 3 of",
				// the other detainees of the case (issue 25)
				"Other detainees in this case", "Ding Jiaxi", "同案被告人",
			}
			for _, w := range want {
				if !strings.Contains(flat, w) {
					t.Errorf("%s: %q missing from the text", aud, w)
				}
			}
			// Arabic and Tibetan script never reach the page (no boxes, no mis-joined letters).
			for _, c := range text {
				if s := unshapedScript(c); s != "" {
					t.Fatalf("%s: rune %U of %s in the text layer", aud, c, s)
				}
			}
			info := run(t, "pdfinfo", path)
			for _, w := range []string{"Title:", "许志永", "Author:          Habeas", "Creator:         Habeas", "Subject:         Habeas",
				"Keywords:        Habeas", "CreationDate:", "2026"} {
				if !strings.Contains(info, w) {
					t.Errorf("%s: metadata lacks %q:\n%s", aud, w, info)
				}
			}
			if strings.Contains(info, "coordinator@example.org") {
				t.Errorf("%s: the metadata names the exporting user:\n%s", aud, info)
			}
			// The internal version marks every confidential row and field and explains the mark.
			marks := strings.Count(strings.Join(strings.Fields(text), " "), "[CONFIDENTIAL / 保密]")
			switch {
			case aud == Internal && (marks < 6 || !strings.Contains(flat, "Rows and fields marked [CONFIDENTIAL]")):
				t.Errorf("internal: %d CONFIDENTIAL marks, or no legend", marks)
			case aud == External && marks > 0:
				t.Errorf("external: %d CONFIDENTIAL marks", marks)
			}
			raw, _ := os.ReadFile(path)
			for _, s := range secrets {
				inText := strings.Contains(text, s)
				switch {
				case aud == External && (inText || strings.Contains(info, s) || bytes.Contains(raw, []byte(s))):
					t.Errorf("external: confidential %q present", s)
				case aud == Internal && !inText:
					t.Errorf("internal: confidential %q missing", s)
				}
			}
			if p.Report.Pages < 4 {
				t.Errorf("pages = %d", p.Report.Pages)
			}
		})
	}
}

// TestChineseAndEnglishDossiers: labels in one language only; names as recorded.
func TestChineseAndEnglishDossiers(t *testing.T) {
	for _, lang := range []Lang{English, Chinese} {
		doc := sample(lang, External)
		path, _ := compose(t, doc)
		text := strings.Join(strings.Fields(run(t, "pdftotext", path, "-")), " ")
		want, not := "Detainee profile", "被羁押者概况"
		if lang == Chinese {
			want, not = not, want
		}
		if !strings.Contains(text, want) || strings.Contains(text, not) {
			t.Errorf("%s: want %q and not %q", lang, want, not)
		}
		if !strings.Contains(text, "許志永") || !strings.Contains(text, "Xu Zhiyong") {
			t.Errorf("%s: names missing", lang)
		}
	}
}

// TestGlyphCoverage: every rune handed to a font is in that font's cmap
// (read again here from the font files), and page 1 rendered by pdftoppm
// has ink wherever text was drawn.
func TestGlyphCoverage(t *testing.T) {
	fonts := testFonts(t)
	doc := sample(Bilingual, Internal)
	path, p := compose(t, doc)
	files := map[string]string{"latin": fonts.Latin.Path, "cjk": fonts.CJK.Path, "latin-bold": fonts.Latin.Path}
	if fonts.LatinBold != nil {
		files["latin-bold"] = fonts.LatinBold.Path
	}
	for face, runes := range p.Report.Runes {
		if len(runes) == 0 && face != "latin-bold" {
			t.Errorf("no rune drawn with %s", face)
		}
		raw, err := os.ReadFile(files[face])
		if err != nil {
			t.Fatal(err)
		}
		f, err := sfnt.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		var buf sfnt.Buffer
		for c := range runes {
			if gid, err := f.GlyphIndex(&buf, c); err != nil || gid == 0 {
				t.Errorf("%s (%s) has no glyph for %q %U", face, files[face], c, c)
			}
		}
	}
	// Chinese of both kinds went to the CJK font, Latin letters to the Latin font.
	for _, c := range "许許志永临沂" {
		if !p.Report.Runes["cjk"][c] {
			t.Errorf("%q not drawn with the CJK font", c)
		}
	}
	for _, c := range "XuZhiyong" {
		if p.Report.Runes["cjk"][c] {
			t.Errorf("Latin %q drawn with the CJK font", c)
		}
	}

	out := filepath.Join(t.TempDir(), "page")
	const dpi = 100
	run(t, "pdftoppm", "-png", "-r", "100", "-f", "1", "-l", "1", "-singlefile", path, out)
	fh, err := os.Open(out + ".png")
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	img, err := png.Decode(fh)
	if err != nil {
		t.Fatal(err)
	}
	faces := map[string]bool{}
	for _, d := range p.Report.Page1 {
		if strings.HasPrefix(d.Text, "{") { // an alias, replaced when the file is written
			continue
		}
		px := func(mm float64) int { return int(mm / 25.4 * dpi) }
		box := image.Rect(px(d.X), px(d.Y), px(d.X+d.W)+1, px(d.Y+d.H)+1)
		if dark(img, box) == 0 {
			t.Errorf("no ink where %q (%s) was drawn at %v", d.Text, d.Face, box)
		}
		faces[d.Face] = true
	}
	if !faces["cjk"] || !faces["latin"] {
		t.Errorf("page 1 should hold both Chinese and Latin text, faces: %v", faces)
	}
}

// dark counts the dark pixels of img inside r.
func dark(img image.Image, r image.Rectangle) int {
	n := 0
	r = r.Intersect(img.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			if (cr+cg+cb)/3 < 0x9000 {
				n++
			}
		}
	}
	return n
}

// TestUnshapedScripts: Uyghur and Tibetan text never reaches a font; the
// transliteration is printed, or the marker when there is none, and the
// document says so.
func TestUnshapedScripts(t *testing.T) {
	doc := sample(English, External)
	doc.Detainee = Detainee{Name: "ئىلھام توختى", OtherNames: []Name{{Text: "Ilham Tohti", Kind: "uyghur_latin"}, {Text: "伊力哈木•土赫提", Kind: "simplified"}},
		Summary: "Quoted slogan: ئۇيغۇر and བོད་ in one line."}
	doc.Lawyers = []Lawyer{{Name: "བཀྲ་ཤིས་"}}
	path, p := compose(t, doc)
	text := strings.Join(strings.Fields(run(t, "pdftotext", path, "-")), " ")
	for _, w := range []string{"Ilham Tohti", "伊力哈木•土赫提", "[text in Uyghur (Arabic script) not rendered]",
		"[text in Tibetan script not rendered]", "[name in Tibetan script not rendered: transliteration needed]",
		"cannot be typeset correctly"} {
		if !strings.Contains(text, w) {
			t.Errorf("%q missing", w)
		}
	}
	for face, runes := range p.Report.Runes {
		for c := range runes {
			if unshapedScript(c) != "" {
				t.Errorf("%U handed to %s", c, face)
			}
		}
	}
	if !strings.Contains(run(t, "pdfinfo", path), "Ilham Tohti") {
		t.Errorf("metadata title should carry the transliteration")
	}
}

// TestMissingCJKFont: a document needing Chinese is refused, before any byte.
func TestMissingCJKFont(t *testing.T) {
	f := testFonts(t)
	noCJK := &Fonts{Latin: f.Latin, LatinBold: f.LatinBold}
	if _, err := Compose(sample(Bilingual, External), noCJK, testTerms); err == nil {
		t.Fatal("bilingual document composed without a CJK font")
	}
	latin := sample(English, External)
	latin.Detainee, latin.Case, latin.Lawyers, latin.Chronology, latin.Evidence = Detainee{Name: "Jane Doe"}, Case{}, nil, nil, nil
	if _, err := Compose(latin, noCJK, testTerms); err != nil {
		t.Fatalf("Latin-only English document: %v", err)
	}
}

func TestWGADDraft(t *testing.T) {
	doc := sample(Bilingual, External)
	doc.Kind = KindWGAD
	path, _ := compose(t, doc)
	text := strings.Join(strings.Fields(run(t, "pdftotext", path, "-")), " ")
	for _, w := range []string{"1. Identity of the person detained", "2. Arrest", "3. Detention", "4. Why the detention is arbitrary",
		"5. Domestic remedies", "6. Source of the communication and consent", "Category I", "Category II", "Category III",
		"[TO COMPLETE: nationality", "[TO COMPLETE: consent missing", "CPL Art. 91", "89", // overdue arrest approval under category I
		"Obstacle logged on 2020-03-02", "Subversion of state power", "许志永", "許志永",
		"Other detainees in this case", "Ding Jiaxi", "同案被告人"} {
		if !strings.Contains(text, w) {
			t.Errorf("%q missing from the WGAD draft", w)
		}
	}
	for _, s := range secrets {
		if strings.Contains(text, s) {
			t.Errorf("confidential %q in the WGAD draft", s)
		}
	}
}

// TestLabelTables: every label has both languages.
func TestLabelTables(t *testing.T) {
	for k, p := range uiLabels {
		if (p.En == "" && !strings.HasSuffix(k, "page_end")) || p.Zh == "" {
			t.Errorf("label %q lacks a language: %+v", k, p)
		}
	}
}

// TestComposeLeavesFontsIntact: fpdf writes into the font bytes it subsets;
// the shared Fonts must come out of an export exactly as they went in.
func TestComposeLeavesFontsIntact(t *testing.T) {
	fonts := testFonts(t)
	sum := func() [3][32]byte {
		var out [3][32]byte
		for i, f := range []*Face{fonts.Latin, fonts.LatinBold, fonts.CJK} {
			if f != nil {
				out[i] = sha256.Sum256(f.data)
			}
		}
		return out
	}
	before := sum()
	for _, lang := range []Lang{English, Chinese, Bilingual} {
		p, err := Compose(sample(lang, External), fonts, testTerms)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.WriteTo(io.Discard); err != nil {
			t.Fatal(err)
		}
	}
	if sum() != before {
		t.Fatal("composing a dossier changed the shared font bytes")
	}
}

// TestConcurrentCompose: the fonts are shared by concurrent exports.
func TestConcurrentCompose(t *testing.T) {
	fonts := testFonts(t)
	errs := make(chan error, 3)
	for _, lang := range []Lang{English, Chinese, Bilingual} {
		go func() {
			p, err := Compose(sample(lang, External), fonts, testTerms)
			if err == nil {
				_, err = p.WriteTo(io.Discard)
			}
			errs <- err
		}()
	}
	for range 3 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
