package dossier

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/habeas-org/habeas/internal/partialdate"
)

// This file renders what issue 19 added to a case: the custody history,
// the structured sentence and the expected release with its derivation,
// the UN consent record, and the texts the limits engine gives in two
// languages.

// pick returns a text given in English and Chinese in the document's
// language (bilingual: "en / zh"); when one language is missing the other
// is shown rather than nothing.
func (r *renderer) pick(en, zh string) string {
	switch {
	case zh == "":
		return en
	case en == "":
		return zh
	}
	return r.l.join(en, zh)
}

// pickLines returns lines given in English and Chinese in the document's
// language; a bilingual document gets the English lines, then the Chinese.
func (r *renderer) pickLines(en, zh []string) []string {
	switch {
	case len(zh) == 0:
		return en
	case len(en) == 0:
		return zh
	}
	switch r.l.lang {
	case Chinese:
		return zh
	case Bilingual:
		return append(append([]string{}, en...), zh...)
	default:
		return en
	}
}

// limitTitle, limitBasis, limitMissing and limitNotes are the texts of a
// limit in the document's language.
func (r *renderer) limitTitle(t TimeLimit) string   { return r.pick(t.Title, t.TitleZh) }
func (r *renderer) limitBasis(t TimeLimit) string   { return r.pick(t.Basis, t.BasisZh) }
func (r *renderer) limitMissing(t TimeLimit) string { return r.pick(t.Missing, t.MissingZh) }

// both is a text given in English and Chinese as a format argument, each
// half falling back on the other when missing.
func both(en, zh string) bi                         { return bi{orElse(en, zh), orElse(zh, en)} }
func (r *renderer) limitNotes(t TimeLimit) []string { return r.pickLines(t.Notes, t.NotesZh) }

// custodySorted returns the custody periods the document may show, by start
// (earliest possible day; undated periods last, in their given order).
func (r *renderer) custodySorted() []CustodyPeriod {
	var out []CustodyPeriod
	for _, p := range r.doc.Case.Custody {
		if r.external() && p.Confidential {
			continue
		}
		out = append(out, p)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, aok := earliest(out[i].StartAt)
		b, bok := earliest(out[j].StartAt)
		if aok != bok {
			return aok
		}
		return aok && a.Before(b)
	})
	return out
}

func earliest(s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, false
	}
	d, err := partialdate.Parse(s, time.UTC)
	if err != nil {
		return time.Time{}, false
	}
	return d.Earliest(time.UTC), true
}

// place is the place of a custody period: facility, its kind, city, province.
func (r *renderer) place(p CustodyPeriod) string {
	name := p.FacilityName
	if p.FacilityKind.Value != "" {
		name = strings.TrimSpace(name + r.paren(r.l.term(p.FacilityKind)))
	}
	return r.joinL(name, p.City, p.Province)
}

// joinL joins the parts that are not blank with the document's comma
// (", "; "，" in Chinese).
func (r *renderer) joinL(parts ...string) string {
	sep := ", "
	if r.l.lang == Chinese {
		sep = "，"
	}
	var out []string
	for _, p := range parts {
		if strings.TrimSpace(p) != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}

// colon is the document's colon.
func (r *renderer) colon() string {
	if r.l.lang == Chinese {
		return "："
	}
	return ": "
}

// periodEnd is the end of a period, or "ongoing".
func (r *renderer) periodEnd(p CustodyPeriod) string {
	if p.EndAt == "" {
		return r.l.get("custody.ongoing")
	}
	return r.date(p.EndAt)
}

// periodLabel names a period in one line: measure, place, dates.
func (r *renderer) periodLabel(p CustodyPeriod) string {
	return r.joinL(r.l.term(p.Measure), r.place(p)) + r.colon() + r.date(p.StartAt) + " – " + r.periodEnd(p)
}

// periodByID finds a custody period the document shows.
func (r *renderer) periodByID(id string) (CustodyPeriod, bool) {
	if id == "" {
		return CustodyPeriod{}, false
	}
	for _, p := range r.custodySorted() {
		if p.ID == id {
			return p, true
		}
	}
	return CustodyPeriod{}, false
}

// custody is the custody-history section of the dossier: a table of the
// periods, measure, place, authority and dates, in start order.
func (r *renderer) custody() {
	r.section(SecCustody, r.l.get("sec.custody"))
	periods := r.custodySorted()
	if len(periods) == 0 {
		r.para(r.l.get("custody.none"), sizeBody, false)
		return
	}
	var rows [][]string
	for _, p := range periods {
		rows = append(rows, []string{r.marked(p.Confidential, r.l.term(p.Measure)), r.place(p), p.Authority, r.date(p.StartAt), r.periodEnd(p)})
	}
	r.table([]column{{r.l.get("col.measure"), 44}, {r.l.get("col.place"), 54}, {r.l.get("col.authority"), 32},
		{r.l.get("col.from"), 22}, {r.l.get("col.to"), 22}}, rows, nil)
}

// months shows a length in months as years and months.
func (r *renderer) months(n int) string {
	y, m := n/12, n%12
	var en, zh []string
	if y > 0 {
		en = append(en, plural(y, "year"))
		zh = append(zh, strconv.Itoa(y)+"年")
	}
	if m > 0 || y == 0 {
		en = append(en, plural(m, "month"))
		zh = append(zh, strconv.Itoa(m)+"个月")
	}
	return r.l.join(strings.Join(en, " "), strings.Join(zh, ""))
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return strconv.Itoa(n) + " " + unit + "s"
}

// sentenceLines are the structured sentence: kind and term, political
// rights, the date it took effect.
func (r *renderer) sentenceLines() string {
	s := r.doc.Case.SentenceInfo
	var lines []string
	if s.Kind.Value != "" {
		line := r.l.term(s.Kind)
		if s.TermMonths > 0 {
			line += ", " + r.months(s.TermMonths)
		}
		lines = append(lines, line)
	} else if s.TermMonths > 0 {
		lines = append(lines, r.months(s.TermMonths))
	}
	if s.PoliticalRightsMonths > 0 {
		lines = append(lines, r.l.format("sentence.political_rights", r.months2(s.PoliticalRightsMonths)))
	}
	if s.InForceAt != "" {
		lines = append(lines, r.l.format("sentence.in_force", r.date(s.InForceAt)))
	}
	return strings.Join(lines, "\n")
}

// months2 is months in both languages, as a format argument.
func (r *renderer) months2(n int) bi {
	saved := r.l.lang
	r.l.lang = English
	en := r.months(n)
	r.l.lang = Chinese
	zh := r.months(n)
	r.l.lang = saved
	return bi{en, zh}
}

// releaseText is the expected release and its derivation.
func (r *renderer) releaseText() (at, basis string) {
	rel := r.doc.Case.ExpectedRelease
	if rel == nil {
		return "", ""
	}
	at = r.date(rel.At)
	if at == "" && rel.Status != "" {
		at = r.l.get("release." + rel.Status)
	}
	return at, strings.Join(r.pickLines(rel.Basis, rel.BasisZh), "\n")
}

// consentText is the UN consent record: when, how, and (internal
// documents only) who.
func (r *renderer) consentText() string {
	c := r.doc.Case.UNConsent
	if c == nil {
		return r.l.get("consent.none")
	}
	parts := []string{r.l.format("consent.recorded", orDash(r.date(c.At)), orDash(r.l.term(c.Method)))}
	if c.By != "" && !r.external() {
		parts = append(parts, r.l.format("consent.by", c.By))
	}
	return strings.Join(parts, "\n")
}

// criminalLawArticle matches a Criminal Law article as the charges
// vocabulary writes it: "Art. 105", "Art. 120-3".
var criminalLawArticle = regexp.MustCompile(`^Art\. (\d+)(?:-(\d+))?$`)

// article shows a charge's Criminal Law article in the document's
// language: "Art. 105" is 《中华人民共和国刑法》第一百零五条 in Chinese,
// "Art. 120-3" 第一百二十条之三.
func (r *renderer) article(a string) string {
	m := criminalLawArticle.FindStringSubmatch(a)
	if m == nil {
		return a
	}
	n, _ := strconv.Atoi(m[1])
	zh := "《中华人民共和国刑法》第" + chineseNumber(n) + "条"
	if m[2] != "" {
		k, _ := strconv.Atoi(m[2])
		zh += "之" + chineseNumber(k)
	}
	return r.l.join(a, zh)
}

// chineseNumber writes 0 <= n < 10000 in Chinese numerals as laws number
// their articles: 91 九十一, 105 一百零五, 120 一百二十, 1000 一千.
func chineseNumber(n int) string {
	digits := []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	if n < 0 || n >= 10000 {
		return strconv.Itoa(n)
	}
	if n < 10 {
		return digits[n]
	}
	if n < 20 {
		s := "十"
		if n%10 > 0 {
			s += digits[n%10]
		}
		return s
	}
	units := []string{"千", "百", "十", ""}
	vals := []int{1000, 100, 10, 1}
	var b strings.Builder
	zero := false
	for i, v := range vals {
		d := n / v % 10
		switch {
		case d == 0:
			if b.Len() > 0 {
				zero = true
			}
		default:
			if zero {
				b.WriteString("零")
				zero = false
			}
			b.WriteString(digits[d] + units[i])
		}
	}
	return b.String()
}
