package dossier

import (
	"bytes"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/go-pdf/fpdf"
)

// Page geometry (A4, mm).
const (
	pageW    = 210.0
	pageH    = 297.0
	marginL  = 18.0
	marginR  = 18.0
	marginT  = 18.0
	bottom   = pageH - 20.0
	contentW = pageW - marginL - marginR

	sizeBody  = 9.5
	sizeSmall = 8.0
	sizeH1    = 15.0
	sizeH2    = 11.5
)

// PDF is a composed document, held in memory (its size grows with the
// document's pages, not with anything else) until WriteTo streams it out.
type PDF struct {
	pdf    *fpdf.Fpdf
	Report Report
}

// Report says what went into a composed document; tests use it to check
// that every rune handed to a font is covered by that font.
type Report struct {
	Pages int
	// Runes are the runes drawn with each face: "latin", "latin-bold", "cjk".
	Runes map[string]map[rune]bool
	// MissingLabels are label keys without a translation (should be none).
	MissingLabels []string
	// Notes are the label keys of the notes printed in the document.
	Notes []string
	// Page1 are the runs of text drawn on the first page, where they are.
	Page1 []Drawn
}

// Drawn is one run of text drawn with one face, and its box (mm from the
// top-left corner of the page).
type Drawn struct {
	Face       string
	Text       string
	X, Y, W, H float64
}

// WriteTo writes the PDF to w.
func (p *PDF) WriteTo(w io.Writer) (int64, error) {
	cw := &countWriter{w: w}
	err := p.pdf.Output(cw)
	return cw.n, err
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	c.n += int64(n)
	return n, err
}

// Compose lays out doc (a dossier or a WGAD draft, per doc.Kind) with fonts,
// labelling vocabulary terms in English with terms. It fails with
// ErrFontMissing when a needed font is not installed, before anything is
// written anywhere.
func Compose(doc *Document, fonts *Fonts, terms TermLabels) (*PDF, error) {
	if err := Require(doc, fonts); err != nil {
		return nil, err
	}
	r := newRenderer(doc, fonts, terms)
	switch doc.Kind {
	case KindWGAD:
		r.wgad()
	default:
		r.dossier()
	}
	if err := r.pdf.Error(); err != nil {
		return nil, fmt.Errorf("dossier: compose: %w", err)
	}
	r.pdf.Close()
	if err := r.pdf.Error(); err != nil {
		return nil, fmt.Errorf("dossier: compose: %w", err)
	}
	return &PDF{pdf: r.pdf, Report: r.report()}, nil
}

// Require fails with ErrFontMissing when doc needs a font that is missing:
// the Latin font always, the CJK font for Chinese labels or any CJK text.
func Require(doc *Document, fonts *Fonts) error {
	if fonts == nil || fonts.Latin == nil {
		return fmt.Errorf("%w: no Latin font", ErrFontMissing)
	}
	if fonts.CJK != nil {
		return nil
	}
	if doc.Lang != English {
		return fmt.Errorf("%w: no CJK font for a %s document", ErrFontMissing, doc.Lang)
	}
	found := false
	walkText(doc, func(s string) {
		for _, c := range s {
			if !found && !fonts.Latin.Covers(c) && isCJK(c) {
				found = true
			}
		}
	})
	if found {
		return fmt.Errorf("%w: no CJK font for the Chinese text of this case", ErrFontMissing)
	}
	return nil
}

type renderer struct {
	pdf   *fpdf.Fpdf
	fonts *Fonts
	doc   *Document
	l     *labeler
	used  map[string]*runeSet
	notes map[string]bool
	y     float64
	page1 []Drawn
	// tocPages are the pages the sections start on.
	tocPages map[Section]int
	// rec, when set, receives every block drawn, in order (the editable
	// document, odt.go); quiet > 0 while a block being recorded draws its
	// own paragraphs.
	rec   *[]Block
	quiet int
}

// record appends b to the recorded blocks (when recording).
func (r *renderer) record(b Block) {
	if r.rec != nil && r.quiet == 0 {
		*r.rec = append(*r.rec, b)
	}
}

// runeSet is a set of runes, a bitmap for the Basic Multilingual Plane.
type runeSet struct {
	bmp  [0x10000 / 64]uint64
	more map[rune]bool
}

func (s *runeSet) add(c rune) {
	if c >= 0 && c < 0x10000 {
		s.bmp[c/64] |= 1 << (c % 64)
		return
	}
	if s.more == nil {
		s.more = map[rune]bool{}
	}
	s.more[c] = true
}

func (s *runeSet) all() map[rune]bool {
	out := map[rune]bool{}
	for i, w := range s.bmp {
		for b := 0; w != 0 && b < 64; b++ {
			if w&(1<<b) != 0 {
				out[rune(i*64+b)] = true
			}
		}
	}
	for c := range s.more {
		out[c] = true
	}
	return out
}

func newRenderer(doc *Document, fonts *Fonts, terms TermLabels) *renderer {
	p := fpdf.New("P", "mm", "A4", "")
	p.SetMargins(marginL, marginT, marginR)
	p.SetAutoPageBreak(false, 0)
	// fpdf writes into the font bytes it is given while it subsets them
	// (utf8FontFile.getMetrics appends to a slice of the file), so every
	// document gets its own copy: the shared Fonts stay intact and
	// concurrent exports do not race.
	p.AddUTF8FontFromBytes("latin", "", bytes.Clone(fonts.Latin.data))
	bold := fonts.Latin
	if fonts.LatinBold != nil {
		bold = fonts.LatinBold
	}
	p.AddUTF8FontFromBytes("latin", "B", bytes.Clone(bold.data))
	if fonts.CJK != nil {
		p.AddUTF8FontFromBytes("cjk", "", bytes.Clone(fonts.CJK.data))
	}
	r := &renderer{pdf: p, fonts: fonts, doc: doc, l: newLabeler(doc.Lang, terms),
		used: map[string]*runeSet{"latin": {}, "latin-bold": {}, "cjk": {}}, notes: map[string]bool{}, tocPages: map[Section]int{}}
	p.SetCreationDate(doc.GeneratedAt)
	p.SetModificationDate(doc.GeneratedAt)
	// Author, creator, subject and keywords name the organisation, never
	// the exporting user (issue 25): a document that leaves the team must
	// not name who made it.
	org := doc.Organisation
	if org == "" {
		org = DefaultOrganisation
	}
	p.SetCreator(org, true)
	p.SetProducer("Habeas (go-pdf/fpdf)", true)
	p.SetAuthor(org, true)
	p.SetSubject(org+" · "+r.l.en("doc.id")+" "+doc.ID, true)
	p.SetKeywords(org, true)
	title := r.l.en("doc.dossier")
	if doc.Kind == KindWGAD {
		title = r.l.en("doc.wgad")
	}
	// The metadata holds only what the cover shows: kind, detainee's main
	// name, audience, document id. It is written as UTF-16, so any script works.
	name := doc.Detainee.Name
	if HasUnshaped(name) {
		name = r.transliteration()
	}
	p.SetTitle(title+": "+name+" ("+r.l.en("audience."+string(doc.Audience))+")", true)
	if doc.Lang == Chinese {
		p.SetLang("zh-CN")
	} else {
		p.SetLang("en")
	}
	return r
}

func (r *renderer) report() Report {
	rep := Report{Pages: r.pdf.PageCount(), Runes: map[string]map[rune]bool{}, Page1: r.page1}
	for k, set := range r.used {
		rep.Runes[k] = set.all()
	}
	for k := range r.l.missing {
		rep.MissingLabels = append(rep.MissingLabels, k)
	}
	for k := range r.notes {
		rep.Notes = append(rep.Notes, k)
	}
	sort.Strings(rep.MissingLabels)
	sort.Strings(rep.Notes)
	return rep
}

// ---- drawing primitives ----

// draw writes one cleaned line at (x, y), span by span, each with its face.
func (r *renderer) draw(x, y, h float64, s string, size float64, bold bool) float64 {
	r.pdf.SetXY(x, y)
	for _, sp := range r.spans(s) {
		key := "latin"
		switch {
		case sp.face == faceCJK:
			key = "cjk"
			r.pdf.SetFont("cjk", "", size)
		case bold:
			key = "latin-bold"
			r.pdf.SetFont("latin", "B", size)
		default:
			r.pdf.SetFont("latin", "", size)
		}
		set := r.used[key]
		for _, c := range sp.text {
			if c != ' ' || key == "cjk" {
				set.add(c)
			}
		}
		w := r.pdf.GetStringWidth(sp.text)
		if r.pdf.PageNo() == 1 && strings.TrimSpace(sp.text) != "" {
			r.page1 = append(r.page1, Drawn{Face: key, Text: sp.text, X: r.pdf.GetX(), Y: y, W: w, H: h})
		}
		r.pdf.CellFormat(w, h, sp.text, "", 0, "L", false, 0, "")
	}
	return r.pdf.GetX() - x
}

// lineH is the line height for a font size.
func lineH(size float64) float64 { return size / ptPerMM * 1.45 }

// newPage starts a page and puts the cursor at the top margin.
func (r *renderer) newPage() {
	r.pdf.AddPage()
	r.y = marginT
}

// ensure starts a new page unless h mm still fit on this one.
func (r *renderer) ensure(h float64) {
	if r.y+h > bottom {
		r.newPage()
	}
}

// para writes text over the content width (or from x with width w),
// breaking lines and pages.
func (r *renderer) paraAt(x, w float64, s string, size float64, bold bool) {
	r.record(Block{Kind: BlockPara, Text: r.clean(s), Bold: bold, Large: size > sizeH1})
	lh := lineH(size)
	for _, line := range r.wrap(r.clean(s), w, size, bold) {
		r.ensure(lh)
		r.draw(x, r.y, lh, line, size, bold)
		r.y += lh
	}
}

func (r *renderer) para(s string, size float64, bold bool) {
	r.paraAt(marginL, contentW, s, size, bold)
}

// gap adds vertical space.
func (r *renderer) gap(h float64) { r.y += h }

// section starts a numbered part of the document: a heading, a bookmark,
// and the page number the table of contents will show.
func (r *renderer) section(sec Section, label string) {
	r.ensure(lineH(sizeH1) + 6*lineH(sizeBody))
	if r.y > marginT {
		r.gap(4)
	}
	if _, ok := r.tocPages[sec]; !ok {
		r.tocPages[sec] = r.pdf.PageNo()
	}
	r.pdf.Bookmark(r.clean(label), 0, r.y)
	r.record(Block{Kind: BlockHeading, Text: r.clean(label)})
	r.quiet++
	defer func() { r.quiet-- }()
	r.pdf.SetTextColor(20, 40, 90)
	r.para(label, sizeH1, true)
	r.pdf.SetTextColor(0, 0, 0)
	r.pdf.SetDrawColor(20, 40, 90)
	r.pdf.Line(marginL, r.y+0.5, pageW-marginR, r.y+0.5)
	r.gap(3)
}

// subheading is a bold line inside a section.
func (r *renderer) subheading(s string) {
	r.ensure(lineH(sizeH2) + 2*lineH(sizeBody))
	r.record(Block{Kind: BlockSubheading, Text: r.clean(s)})
	r.quiet++
	defer func() { r.quiet-- }()
	r.gap(1.5)
	r.para(s, sizeH2, true)
	r.gap(0.5)
}

const labelW = 48.0

// field writes "label: value" in two columns; an empty value is skipped
// unless always is set (then "unknown" is shown).
func (r *renderer) field(labelKey, value string) {
	if strings.TrimSpace(value) == "" {
		return
	}
	r.fieldText(r.l.get(labelKey), value, false)
}

func (r *renderer) fieldText(label, value string, todo bool) {
	r.record(Block{Kind: BlockField, Label: r.clean(label), Text: r.clean(value), ToDo: todo})
	lh := lineH(sizeBody)
	labLines := r.wrap(r.clean(label), labelW-3, sizeSmall, true)
	valLines := r.wrap(r.clean(value), contentW-labelW, sizeBody, false)
	r.ensure(lh * float64(min(len(valLines), 3)))
	y0 := r.y
	r.pdf.SetTextColor(90, 90, 90)
	for i, line := range labLines {
		r.draw(marginL, y0+float64(i)*lineH(sizeSmall)+0.4, lh, line, sizeSmall, true)
	}
	r.pdf.SetTextColor(0, 0, 0)
	if todo {
		r.pdf.SetTextColor(170, 20, 20)
	}
	yl := y0 + float64(len(labLines))*lineH(sizeSmall)
	for _, line := range valLines {
		if r.y+lh > bottom {
			r.newPage()
			yl = r.y
		}
		r.draw(marginL+labelW, r.y, lh, line, sizeBody, false)
		r.y += lh
	}
	r.pdf.SetTextColor(0, 0, 0)
	if r.y < yl {
		r.y = yl
	}
	r.gap(0.8)
}

// notice draws a framed block of paragraphs.
func (r *renderer) notice(texts []string, red bool) {
	clean := make([]string, len(texts))
	for i, t := range texts {
		clean[i] = r.clean(t)
	}
	r.record(Block{Kind: BlockNotice, Texts: clean})
	lh := lineH(sizeBody)
	var lines []string
	for i, t := range texts {
		if i > 0 {
			lines = append(lines, "")
		}
		lines = append(lines, r.wrap(r.clean(t), contentW-6, sizeBody, false)...)
	}
	h := float64(len(lines))*lh + 4
	r.ensure(h)
	if red {
		r.pdf.SetDrawColor(170, 20, 20)
		r.pdf.SetFillColor(253, 240, 240)
	} else {
		r.pdf.SetDrawColor(20, 40, 90)
		r.pdf.SetFillColor(240, 243, 250)
	}
	r.pdf.Rect(marginL, r.y, contentW, h, "DF")
	y := r.y + 2
	for _, line := range lines {
		r.draw(marginL+3, y, lh, line, sizeBody, false)
		y += lh
	}
	r.y += h + 2
}

// column of a table.
type column struct {
	label string
	w     float64
}

// table draws rows under a header repeated on every page. Each cell wraps.
func (r *renderer) table(cols []column, rows [][]string, highlight func(i int) bool) {
	if r.rec != nil {
		b := Block{Kind: BlockTable}
		for _, c := range cols {
			b.Texts = append(b.Texts, r.clean(c.label))
		}
		for _, row := range rows {
			cells := make([]string, len(row))
			for i, c := range row {
				cells[i] = r.clean(c)
			}
			b.Rows = append(b.Rows, cells)
		}
		r.record(b)
	}
	const size = sizeSmall
	lh := lineH(size)
	header := func() {
		h := 0
		wrapped := make([][]string, len(cols))
		for i, c := range cols {
			wrapped[i] = r.wrap(r.clean(c.label), c.w-2, size, true)
			h = max(h, len(wrapped[i]))
		}
		hh := float64(h)*lh + 1.5
		r.ensure(hh + lh)
		r.pdf.SetFillColor(225, 230, 240)
		r.pdf.Rect(marginL, r.y, contentW, hh, "F")
		x := marginL
		for i, c := range cols {
			for j, line := range wrapped[i] {
				r.draw(x+1, r.y+0.75+float64(j)*lh, lh, line, size, true)
			}
			x += c.w
		}
		r.y += hh
	}
	header()
	for ri, row := range rows {
		wrapped := make([][]string, len(cols))
		n := 1
		for i, c := range cols {
			wrapped[i] = r.wrap(r.clean(row[i]), c.w-2, size, false)
			n = max(n, len(wrapped[i]))
		}
		h := float64(n)*lh + 1
		if r.y+h > bottom {
			r.newPage()
			header()
		}
		if highlight != nil && highlight(ri) {
			r.pdf.SetFillColor(253, 236, 236)
			r.pdf.Rect(marginL, r.y, contentW, h, "F")
		} else if ri%2 == 1 {
			r.pdf.SetFillColor(247, 247, 247)
			r.pdf.Rect(marginL, r.y, contentW, h, "F")
		}
		x := marginL
		for i, c := range cols {
			for j, line := range wrapped[i] {
				r.draw(x+1, r.y+0.5+float64(j)*lh, lh, line, size, false)
			}
			x += c.w
		}
		r.y += h
	}
	r.gap(2)
}

// finish draws, once every page exists, the footers ("page N of M") and
// the table of contents on the page reserved for it (page numbers known by
// now: no placeholder is left to patch in the file).
func (r *renderer) finish(tocPage int, secs []Section, label func(Section) string) {
	total := r.pdf.PageCount()
	for n := 1; n <= total; n++ {
		r.pdf.SetPage(n)
		r.pdf.SetFont("latin", "", 1) // a page's content stream has its own font state: set it anew
		r.footer(n, total)
	}
	r.pdf.SetPage(tocPage)
	r.pdf.SetFont("latin", "", 1)
	r.y = marginT
	r.para(r.l.get("doc.toc"), sizeH1, true)
	r.gap(4)
	lh := lineH(sizeBody) + 1.5
	for _, s := range secs {
		lines := r.wrap(r.clean(label(s)), contentW-20, sizeBody, false)
		for j, line := range lines {
			r.draw(marginL, r.y, lh, line, sizeBody, false)
			if j == len(lines)-1 {
				num := strconv.Itoa(r.tocPages[s])
				r.draw(pageW-marginR-r.strWidth(num, sizeBody, false), r.y, lh, num, sizeBody, false)
			}
			r.y += lh
		}
	}
	r.pdf.SetPage(total)
}

// footer prints the marking, the document id and "page N of M".
func (r *renderer) footer(n, total int) {
	y := pageH - 13
	r.pdf.SetDrawColor(180, 180, 180)
	r.pdf.Line(marginL, y-1, pageW-marginR, y-1)
	mark := "footer." + string(r.doc.Audience)
	if r.doc.Kind == KindWGAD {
		mark = "footer.wgad"
	}
	r.pdf.SetTextColor(90, 90, 90)
	r.draw(marginL, y, 5, r.clean(r.l.get(mark)+"  ·  "+r.doc.ID), 7, false)
	page := r.l.en("doc.page") + " " + strconv.Itoa(n) + " " + r.l.en("doc.page_of") + " " + strconv.Itoa(total)
	if r.doc.Lang == Chinese {
		page = r.l.zh("doc.page") + " " + strconv.Itoa(n) + " " + r.l.zh("doc.page_of") + " " + strconv.Itoa(total)
	}
	w := r.strWidth(page, 7, false)
	r.draw(pageW-marginR-w, y, 5, page, 7, false)
	r.pdf.SetTextColor(0, 0, 0)
}

// reserveTOC adds the page the table of contents is drawn on at the end.
func (r *renderer) reserveTOC() int {
	r.newPage()
	return r.pdf.PageNo()
}

// names returns the name forms to print: the primary name first (its
// transliteration, or the marker, when it is in a script that needs
// shaping), then every other drawable form with its kind. A form in a script
// that needs shaping is left out; when no transliteration of it is recorded,
// the marker takes its place. The notes section says why.
func (r *renderer) names(primary string, others []Name) []string {
	var out []string
	seen := map[string]bool{}
	add := func(s string) {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	undrawable := func(text string) (script, translit string) {
		r.notes["note.unshaped"] = true
		script = "script.other"
		for _, c := range text {
			if s := unshapedScript(c); s != "" {
				script = s
				break
			}
		}
		return script, transliterationOf(others, script)
	}
	first := primary
	if HasUnshaped(primary) {
		script, t := undrawable(primary)
		first = t
		if t == "" {
			first = r.l.format("note.name_untransliterated", r.l.biLabel(script))
		}
		seen[t] = true // the transliteration is the primary form now
	}
	out = append(out, first)
	seen[first] = true
	for _, n := range others {
		if !HasUnshaped(n.Text) {
			label := ""
			if n.Kind != "" {
				label = " (" + r.l.term(Term{Vocab: "name_kinds", Value: n.Kind}) + ")"
			}
			if !seen[n.Text] {
				add(n.Text + label)
			}
			continue
		}
		if script, t := undrawable(n.Text); t == "" {
			add(r.l.format("note.name_untransliterated", r.l.biLabel(script)))
		}
	}
	return out
}

// transliterationOf returns a Latin form of the name recorded for script.
func transliterationOf(others []Name, script string) string {
	order := []string{"latin", "pinyin"}
	switch script {
	case "script.arabic":
		order = []string{"uyghur_latin", "latin", "pinyin"}
	case "script.tibetan":
		order = []string{"tibetan_latin", "latin", "pinyin"}
	}
	for _, k := range order {
		for _, n := range others {
			if n.Kind == k && n.Text != "" && !HasUnshaped(n.Text) {
				return n.Text
			}
		}
	}
	return ""
}

// transliteration is the detainee's name in a drawable form.
func (r *renderer) transliteration() string {
	if t := transliterationOf(r.doc.Detainee.OtherNames, "script.arabic"); t != "" {
		return t
	}
	for _, n := range r.doc.Detainee.OtherNames {
		if n.Text != "" && !HasUnshaped(n.Text) {
			return n.Text
		}
	}
	return "[" + r.l.en("unknown") + "]"
}

// displayName is the main name to show: the primary name, or its
// transliteration when it is in a script that is not drawn.
func (r *renderer) displayName() string {
	if HasUnshaped(r.doc.Detainee.Name) {
		return r.transliteration()
	}
	return r.doc.Detainee.Name
}

// walkText calls fn with every text of doc that a document may print.
func walkText(doc *Document, fn func(string)) {
	d := doc.Detainee
	for _, s := range []string{d.Name, d.Nationality, d.BornAt, d.EthnicGroup, d.Religion, d.Occupation, d.HomeProvince, d.HomePlace,
		d.DetentionPlace, d.HealthConcerns, d.Summary, d.FamilyContacts, d.HomeAddress, d.ConfidentialNotes, doc.GeneratedBy, doc.Organisation} {
		fn(s)
	}
	for _, n := range d.OtherNames {
		fn(n.Text)
	}
	for _, s := range d.CrossReferences {
		fn(s)
	}
	for _, rel := range d.Relatives {
		for _, s := range []string{rel.Name, rel.Place, rel.Contact, rel.Address} {
			fn(s)
		}
		for _, n := range rel.OtherNames {
			fn(n.Text)
		}
	}
	c := doc.Case
	for _, s := range []string{c.Title, c.DetainingAuthority, c.InvestigatingAuthority, c.Procuratorate, c.Court,
		c.DetentionPlace, c.Sentence, c.Summary, c.ConfidentialNotes} {
		fn(s)
	}
	for _, s := range c.CaseNumbers {
		fn(s)
	}
	for _, p := range c.Custody {
		for _, s := range []string{p.FacilityName, p.City, p.Province, p.Authority, p.StartAt, p.EndAt} {
			fn(s)
		}
	}
	if c.UNConsent != nil {
		fn(c.UNConsent.By)
	}
	for _, cd := range c.CoDetainees {
		fn(cd.Name)
		for _, n := range cd.OtherNames {
			fn(n.Text)
		}
	}
	for _, ch := range c.Charges {
		fn(ch.Detail)
	}
	for _, l := range doc.Lawyers {
		fn(l.Name)
		fn(l.LawFirm)
		fn(l.Contact)
		for _, n := range l.OtherNames {
			fn(n.Text)
		}
	}
	for _, it := range doc.Chronology {
		fn(it.Description)
		fn(it.Place)
	}
	for _, s := range doc.Support {
		fn(s.Addressee)
	}
	for _, e := range doc.Evidence {
		fn(e.Title)
		fn(e.Kind)
	}
}
