package dossier

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

// Issue 19: custody history, sentence and expected release, limits v2 in
// two languages, the WGAD draft v2. Every check reads the PDF back with
// pdftotext, as a reader would.

// Texts of the limits as the engine gives them in each language.
const (
	arrestTitleEn  = "Arrest approved or suspect released after criminal detention"
	arrestTitleZh  = "批准逮捕或者释放犯罪嫌疑人"
	arrestBasisEn  = "CPL Art. 91"
	arrestBasisZh  = "《中华人民共和国刑事诉讼法》第九十一条"
	investTitleEn  = "Investigation custody after arrest"
	investTitleZh  = "逮捕后的侦查羁押期限"
	investBasisEn  = "CPL Arts. 156, 158, 159"
	investBasisZh  = "《中华人民共和国刑事诉讼法》第一百五十六条、第一百五十八条、第一百五十九条"
	missingEn      = "date the arrest was approved"
	missingZh      = "批准逮捕的日期"
	noteEn         = "Counting stops at the change of measure on 2016-01-08."
	noteZh         = "计算至2016年1月8日强制措施变更时止。"
	assertedEn     = "passed without the required step"
	assertedZh     = "届满而未采取法定步骤"
	unlessExtEn    = "overdue unless extended"
	unlessExtZh    = "除非已依法延长，否则已逾期"
	consentGapEn   = "consent missing"
	consentGapZh   = "缺少同意"
	rsdlSiteName   = "Beijing RSDL site 北京指定居所"
	tianjinCentre  = "Tianjin No. 2 Detention Centre 天津市第二看守所"
	releaseBasisEn = "Sentence of 54 months from 2016-01-08, less 155 days of RSDL counted as 78 days."
	releaseBasisZh = "刑期54个月自2016年1月8日起算，折抵指定居所监视居住155天（折抵78天）。"
)

// wangQuanzhang is a case built like the public chronology of Wang
// Quanzhang (taken 2015-08-03, RSDL from 2015-08-04, arrest approved
// 2016-01-08, sentenced 2019-01-28 to 4 years 6 months), with limits as the
// engine gives them: the arrest limit is only overdue unless extended and
// the investigation custody unknown. Nothing in it is a proven violation.
func wangQuanzhang(lang Lang) *Document {
	doc := sample(lang, External)
	doc.Kind = KindWGAD
	doc.Detainee.Nationality = "China 中国"
	doc.Case.Summary = "Human rights lawyer taken in the 709 crackdown 709大抓捕; held incommunicado in RSDL."
	doc.Case.Dates = []KeyDate{{"date.detained", "2015-08-03"}, {"date.rsdl_start", "2015-08-04"},
		{"date.arrest_approved", "2016-01-08"}, {"date.trial", "2018-12-26"}, {"date.verdict", "2019-01-28"}}
	doc.Case.Custody = []CustodyPeriod{
		{ID: "p2", Measure: Term{"custody_measures", "arrest"}, StartAt: "2016-01-08", EndAt: "2019-01-28",
			FacilityName: tianjinCentre, FacilityKind: Term{"facility_types", "detention_centre"}, City: "Tianjin", Authority: "Tianjin PSB"},
		{ID: "p1", Measure: Term{"custody_measures", "rsdl"}, StartAt: "2015-08-04", EndAt: "2016-01-08",
			FacilityName: rsdlSiteName, FacilityKind: Term{"facility_types", "rsdl_site"}, City: "Beijing", Province: "Beijing", Authority: "Beijing PSB"},
		{ID: "p3", Measure: Term{"custody_measures", "serving_sentence"}, StartAt: "2019-01-28", EndAt: "2020-04-05",
			FacilityName: "Linyi Prison 临沂监狱", FacilityKind: Term{"facility_types", "prison"}, City: "Linyi", Province: "Shandong"},
		{ID: "p4", Measure: Term{"custody_measures", "criminal_detention"}, StartAt: "2015-09~", FacilityName: "SECRET-PLACE-4471", Confidential: true},
	}
	doc.Case.SentenceInfo = Sentence{Kind: Term{"sentence_kinds", "fixed_term"}, TermMonths: 54, PoliticalRightsMonths: 60, InForceAt: "2019-01-28"}
	doc.Case.ExpectedRelease = &ExpectedRelease{At: "2020-04-05", Status: "expected", Basis: []string{releaseBasisEn}, BasisZh: []string{releaseBasisZh}}
	// no obstacle: the only possible problems are the limits
	doc.Chronology = []ChronologyItem{
		{At: "2015-08-03", Kind: "event", Type: Term{"event_types", "detention"}, Description: "Taken from his home 从家中被带走"},
		{At: "2016-07-12", Kind: "event", Type: Term{"event_types", "complaint_filed"}, Description: "Li Wenzu's complaint to the procuratorate 李文足向检察院控告"},
		{At: "2018-04-04", Kind: "event", Type: Term{"event_types", "petition_filed"}, Description: "Walk from Beijing to Tianjin 从北京走到天津"},
		{At: "2018-05", Kind: "event", Type: Term{"event_types", "complaint_filed"}, Description: "SECRET-REMEDY-3390", Confidential: true},
	}
	doc.TimeLimits = []TimeLimit{
		{Rule: "arrest_approval", PeriodID: "p1", Title: arrestTitleEn, TitleZh: arrestTitleZh, Basis: arrestBasisEn, BasisZh: arrestBasisZh,
			StartAt: "2015-08-04", Due: time.Date(2015, 8, 11, 0, 0, 0, 0, time.UTC), DueLatest: time.Date(2015, 9, 10, 0, 0, 0, 0, time.UTC),
			Status: StatusOverdueUnlessExtended, Missing: missingEn, MissingZh: missingZh, Notes: []string{noteEn}, NotesZh: []string{noteZh}},
		{Rule: "investigation_custody", PeriodID: "p2", Title: investTitleEn, TitleZh: investTitleZh, Basis: investBasisEn, BasisZh: investBasisZh,
			StartAt: "2016-01-08", Status: StatusUnknown, Missing: "date the case was transferred for review", MissingZh: "移送审查起诉的日期"},
		{Rule: "appeal_window", Title: "Appeal against the first-instance judgment", TitleZh: "对一审判决提出上诉", Basis: "CPL Art. 230",
			BasisZh: "《中华人民共和国刑事诉讼法》第二百三十条", Status: StatusNotApplicable},
	}
	return doc
}

// read composes doc and returns its text as pdftotext gives it (raw, with
// the line breaks), with runs of white space made one space, and with no
// white space at all (Chinese wraps without spaces).
func read(t *testing.T, doc *Document) (raw, flat, tight string) {
	t.Helper()
	path, _ := compose(t, doc)
	raw = run(t, "pdftotext", path, "-")
	fields := strings.Fields(raw)
	return raw, strings.Join(fields, " "), strings.Join(fields, "")
}

// between returns the part of s from the first from to the next to.
func between(t *testing.T, s, from, to string) string {
	t.Helper()
	i := strings.Index(s, from)
	if i < 0 {
		t.Fatalf("%q not found", from)
	}
	j := strings.Index(s[i+len(from):], to)
	if j < 0 {
		t.Fatalf("%q not found after %q", to, from)
	}
	return s[i : i+len(from)+j]
}

// (a) A WGAD draft whose only problems are an unknown and an "overdue
// unless extended" limit asserts no violation: no Category I fact, no
// "passed without the required step"; both limits under "To verify" with
// the missing fact.
func TestWGADAssertsNoUnprovenViolation(t *testing.T) {
	for _, lang := range []Lang{English, Chinese, Bilingual} {
		t.Run(string(lang), func(t *testing.T) {
			_, flat, tight := read(t, wangQuanzhang(lang))
			if lang != Chinese {
				if strings.Contains(flat, assertedEn) {
					t.Errorf("a violation is asserted:\n%s", flat)
				}
				cat1 := between(t, flat, "Category I:", "Category II:")
				if !strings.Contains(cat1, "No fact in the case record supports this category yet.") || strings.Contains(cat1, arrestBasisEn) {
					t.Errorf("category I should offer no fact:\n%s", cat1)
				}
				verify := flat[strings.Index(flat, "To verify: time limits"):]
				for _, w := range []string{arrestTitleEn, arrestBasisEn, unlessExtEn, "Missing fact: " + missingEn, "2015-09-10",
					investTitleEn, "date the case was transferred for review", "unknown"} {
					if !strings.Contains(verify, w) {
						t.Errorf("%q missing from the to-verify part:\n%s", w, verify)
					}
				}
				if strings.Contains(verify, "Appeal against the first-instance judgment") {
					t.Error("a not-applicable limit listed to verify")
				}
			}
			if lang != English {
				if strings.Contains(tight, assertedZh) {
					t.Errorf("a violation is asserted (zh)")
				}
				cat1 := between(t, tight, "第一类：", "第二类：")
				if !strings.Contains(cat1, "案件记录中尚无支持此类的事实。") || strings.Contains(cat1, arrestBasisZh) {
					t.Errorf("category I should offer no fact (zh):\n%s", cat1)
				}
				verify := tight[strings.Index(tight, "待核实："):]
				for _, w := range []string{arrestTitleZh, arrestBasisZh, unlessExtZh, "缺少的事实：" + missingZh, investTitleZh, "移送审查起诉的日期"} {
					if !strings.Contains(verify, w) {
						t.Errorf("%q missing from the to-verify part (zh)", w)
					}
				}
			}
		})
	}
}

// (b) A strict overdue limit is asserted under Category I with its article,
// the day it counted from and the days overdue; it is not "to verify".
func TestWGADAssertsStrictOverdue(t *testing.T) {
	for _, lang := range []Lang{English, Chinese} {
		t.Run(string(lang), func(t *testing.T) {
			doc := wangQuanzhang(lang)
			doc.TimeLimits[0].Status, doc.TimeLimits[0].DaysOverdue = StatusOverdue, 121
			doc.TimeLimits[0].Missing, doc.TimeLimits[0].MissingZh = "", ""
			_, flat, tight := read(t, doc)
			if lang == English {
				cat1 := between(t, flat, "Category I:", "Category II:")
				for _, w := range []string{assertedEn, arrestTitleEn, arrestBasisEn, "counted from 2015-08-04", "due 2015-08-11", "121 days overdue", "Beijing RSDL site"} {
					if !strings.Contains(cat1, w) {
						t.Errorf("%q missing from category I:\n%s", w, cat1)
					}
				}
				verify := flat[strings.Index(flat, "To verify: time limits"):]
				if strings.Contains(verify, arrestTitleEn) {
					t.Error("a strict overdue limit is also listed to verify")
				}
				return
			}
			cat1 := between(t, tight, "第一类：", "第二类：")
			for _, w := range []string{assertedZh, arrestTitleZh, arrestBasisZh, "自2015年8月4日起算", "已逾期121天"} {
				if !strings.Contains(cat1, w) {
					t.Errorf("%q missing from category I (zh):\n%s", w, cat1)
				}
			}
		})
	}
}

// A custody period recorded as held without any procedure is a Category I
// fact.
func TestWGADNoProcedurePeriod(t *testing.T) {
	doc := wangQuanzhang(English)
	doc.Case.Custody = append(doc.Case.Custody, CustodyPeriod{ID: "p0", Measure: Term{"custody_measures", "no_procedure"},
		StartAt: "2015-07-10", EndAt: "2015-08-03", FacilityName: "Black jail 黑监狱", City: "Beijing"})
	_, flat, _ := read(t, doc)
	cat1 := between(t, flat, "Category I:", "Category II:")
	if !strings.Contains(cat1, "Held without any legal procedure from 2015-07-10 to 2015-08-03 (Black jail 黑监狱, Beijing)") {
		t.Errorf("no-procedure finding missing from category I:\n%s", cat1)
	}
	// and it is the first custody period: the place of arrest
	if !strings.Contains(between(t, flat, "Place of arrest", "Forces that carried out"), "Black jail") {
		t.Error("place of arrest is not the first custody period's")
	}
}

// englishWord finds Latin words of three letters or more.
var englishWord = regexp.MustCompile(`[A-Za-z]{3,}`)

// (c) The Chinese dossier and draft hold the engine's Chinese titles,
// citations, notes and missing facts, Chinese Criminal Law citations for the
// charges, and no English rule text; the labels are all Chinese: every Latin
// word in them is data of the fixture or an allowed token.
func TestChineseDocumentsHaveNoEnglishRuleText(t *testing.T) {
	for _, kind := range []Kind{KindDossier, KindWGAD} {
		t.Run(string(kind), func(t *testing.T) {
			doc := wangQuanzhang(Chinese)
			doc.Kind = kind
			_, _, tight := read(t, doc)
			for _, w := range []string{arrestTitleZh, arrestBasisZh, investBasisZh, missingZh, "颠覆国家政权罪（《中华人民共和国刑法》第一百零五条）"} {
				if !strings.Contains(tight, w) {
					t.Errorf("%q missing", w)
				}
			}
			if kind == KindDossier && !strings.Contains(tight, noteZh) {
				t.Errorf("Chinese note missing")
			}
			for _, w := range []string{arrestTitleEn, arrestBasisEn, investTitleEn, investBasisEn, missingEn, noteEn, "CPL", "Art.",
				"TO COMPLETE", "overdue", "unknown", "Category", releaseBasisEn} {
				if strings.Contains(strings.Join(strings.Fields(w), ""), " ") || strings.Contains(tight, strings.Join(strings.Fields(w), "")) {
					t.Errorf("English %q in the Chinese %s", w, kind)
				}
			}
			// Every Latin word comes from the fixture's data, or is an allowed token.
			data := map[string]bool{"Habeas": true, "PDF": true, "SHA": true, "UTC": true, "KiB": true, "MiB": true}
			for _, s := range []string{doc.ID, doc.Evidence[0].SHA256} {
				for _, w := range englishWord.FindAllString(s, -1) {
					data[w] = true
				}
			}
			walkText(doc, func(s string) {
				for _, w := range englishWord.FindAllString(s, -1) {
					data[w] = true
				}
			})
			for _, w := range englishWord.FindAllString(tight, -1) {
				if !data[w] {
					for d := range data { // words glued together by the whitespace removal
						if strings.Contains(w, d) {
							w = ""
							break
						}
					}
					if w != "" {
						t.Errorf("English %q in the Chinese %s: not data of the case", w, kind)
					}
				}
			}
		})
	}
}

// (d) Dates and numbers never break across lines: a long paragraph full of
// dates, wrapped at many widths, keeps every date and number whole; and in
// the PDF each one is on one line.
func TestDatesNeverSplit(t *testing.T) {
	fonts := testFonts(t)
	atoms := []string{"2015-08-03", "2015-08~", "4,134", "2015年8月3日", "约2019年3月", "2016年1月8日", "4134天", "（2018）"}
	var b strings.Builder
	for i := 0; i < 30; i++ {
		b.WriteString("被羁押于")
		b.WriteString(atoms[i%len(atoms)])
		b.WriteString(strings.Repeat("期", i%5))
		b.WriteString(" held until ")
		b.WriteString(atoms[(i+3)%len(atoms)])
		b.WriteString(", ")
	}
	text := b.String()
	for _, lang := range []Lang{English, Chinese} {
		r := newRenderer(&Document{Lang: lang}, fonts, testTerms)
		for w := 30.0; w <= 120; w += 0.7 { // from the width of the narrowest column (a date fits)
			lines := r.wrap(text, w, sizeBody, false)
			got := strings.Join(lines, "")
			want := strings.ReplaceAll(strings.ReplaceAll(text, " ", ""), "\u00a0", "")
			if strings.ReplaceAll(got, " ", "") != want {
				t.Fatalf("width %.1f: text lost in wrapping", w)
			}
			for i, line := range lines {
				if i == len(lines)-1 {
					break
				}
				next := lines[i+1]
				for _, a := range atoms {
					for k := 1; k < len([]rune(a)); k++ {
						head, tail := string([]rune(a)[:k]), string([]rune(a)[k:])
						if strings.HasSuffix(line, head) && strings.HasPrefix(next, tail) {
							t.Fatalf("width %.1f: %q split as %q | %q", w, a, line, next)
						}
					}
				}
			}
		}
	}
	// In the PDF: a Chinese dossier whose summary is full of dates.
	doc := wangQuanzhang(Chinese)
	doc.Kind = KindDossier
	doc.Case.Summary = text
	raw, _, _ := read(t, doc)
	for _, a := range []string{"2015年8月3日", "2016年1月8日", "4134天", "2015-08-03", "4,134"} {
		n := strings.Count(text, a)
		if got := strings.Count(raw, a); got < n {
			t.Errorf("%q: %d whole in the text layer, want at least %d (split across lines?)", a, got, n)
		}
	}
}

// (e) The draft keeps a visible consent gap until a consent is recorded;
// then it shows the consent (never who gave it: the draft is external).
func TestWGADConsentGap(t *testing.T) {
	for _, lang := range []Lang{English, Chinese} {
		gap, fact := consentGapEn, "Consent recorded in Habeas: given on 2019-05-02 (Through the family)"
		if lang == Chinese {
			gap, fact = consentGapZh, "Habeas中已记录同意：于2019年5月2日作出（经由家属）"
		}
		doc := wangQuanzhang(lang)
		_, flat, tight := read(t, doc)
		if !strings.Contains(flat, gap) || strings.Contains(strings.ReplaceAll(tight, " ", ""), strings.ReplaceAll(fact, " ", "")) {
			t.Errorf("%s: without consent the gap %q must show", lang, gap)
		}
		doc.Case.UNConsent = &Consent{By: "CONSENT-BY-5580", At: "2019-05-02", Method: Term{"consent_methods", "via_family"}}
		_, flat, tight = read(t, doc)
		if strings.Contains(flat, gap) || !strings.Contains(tight, strings.ReplaceAll(fact, " ", "")) {
			t.Errorf("%s: with consent the gap must go and the record show:\n%s", lang, flat)
		}
		if strings.Contains(flat, "CONSENT-BY-5580") {
			t.Errorf("%s: who consented printed in the draft", lang)
		}
	}
}

// (f) The dossier shows the custody history as a table of the periods in
// start order (confidential ones only internally), the sentence and the
// expected release with its derivation; the WGAD draft lists the places of
// detention with their dates, nationality, trial and verdict dates and the
// domestic remedies.
func TestCustodyHistory(t *testing.T) {
	doc := wangQuanzhang(English)
	doc.Kind = KindDossier
	_, flat, _ := read(t, doc)
	path, _ := compose(t, doc)
	layout := run(t, "pdftotext", "-layout", path, "-")
	// one table row per period, in start order (the fixture gives them out of order)
	rows := []*regexp.Regexp{
		regexp.MustCompile(`(?m)^Measure\s+Place\s+Authority\s+From\s+To$`),
		regexp.MustCompile(`(?m)^Residential surveillance at a\s+Beijing RSDL site 北京指定居所 \(RSDL\s+Beijing PSB\s+2015-08-04\s+2016-01-08$`),
		regexp.MustCompile(`(?m)^Formal arrest \(pre-trial\s+Tianjin No. 2 Detention Centre 天津\s+Tianjin PSB\s+2016-01-08\s+2019-01-28$`),
		regexp.MustCompile(`(?m)^Serving a sentence\s+Linyi Prison 临沂监狱 \(Prison\), Linyi,\s+2019-01-28\s+2020-04-05$`),
	}
	last := -1
	for _, re := range rows {
		loc := re.FindStringIndex(layout)
		if loc == nil || loc[0] < last {
			t.Errorf("custody history row %s missing or out of order:\n%s", re, layout)
			break
		}
		last = loc[0]
	}
	if strings.Contains(flat, "SECRET-PLACE-4471") {
		t.Error("a confidential period in the external dossier")
	}
	for _, w := range []string{"Fixed-term imprisonment, 4 years 6 months", "deprivation of political rights: 5 years", "in force since 2019-01-28",
		"Expected release 2020-04-05", releaseBasisEn, "Nationality China 中国", "Consent to a UN submission Not recorded",
		"Custody period: Residential surveillance at a designated location (RSDL)", unlessExtEn, "Passes even with every lawful extension on 2015-09-10",
		"Missing fact: " + missingEn, noteEn} {
		if !strings.Contains(flat, w) {
			t.Errorf("%q missing from the dossier", w)
		}
	}
	internal := wangQuanzhang(English)
	internal.Kind, internal.Audience = KindDossier, Internal
	internal.Case.UNConsent = &Consent{By: "CONSENT-BY-5580", At: "2019-05-02", Method: Term{"consent_methods", "written"}}
	_, iflat, _ := read(t, internal)
	for _, w := range []string{"SECRET-PLACE-4471", "Given by: CONSENT-BY-5580"} {
		if !strings.Contains(iflat, w) {
			t.Errorf("internal dossier lacks %q", w)
		}
	}

	_, wflat, _ := read(t, wangQuanzhang(English))
	places := between(t, wflat, "Places of detention and transfers", "Authority that ordered")
	for _, w := range []string{"2015-08-04 – 2016-01-08: Residential surveillance at a designated location (RSDL), Beijing RSDL site",
		"2016-01-08 – 2019-01-28: Formal arrest (pre-trial custody), Tianjin No. 2 Detention Centre"} {
		if !strings.Contains(places, w) {
			t.Errorf("%q missing from places of detention:\n%s", w, places)
		}
	}
	for _, w := range []string{"Nationality China 中国", "Date of the trial 2018-12-26", "Date of the verdict 2019-01-28",
		"Account of the facts (case summary) Human rights lawyer taken in the 709 crackdown", "Date of arrest 2015-08-04",
		"Category IV: prolonged administrative custody of asylum seekers, immigrants or refugees (to assess)",
		"2016-07-12: Complaint filed against officials – Li Wenzu's complaint", "2018-04-04: Petition (letters and visits) filed"} {
		if !strings.Contains(wflat, w) {
			t.Errorf("%q missing from the WGAD draft", w)
		}
	}
	if strings.Contains(wflat, "SECRET-REMEDY-3390") || strings.Contains(wflat, "SECRET-PLACE-4471") {
		t.Error("confidential material in the WGAD draft")
	}
}

// chineseNumber writes article numbers as the laws do.
func TestChineseNumber(t *testing.T) {
	for n, want := range map[int]string{1: "一", 10: "十", 15: "十五", 39: "三十九", 91: "九十一", 100: "一百", 105: "一百零五",
		120: "一百二十", 230: "二百三十", 1000: "一千", 1010: "一千零一十"} {
		if got := chineseNumber(n); got != want {
			t.Errorf("%d: %q, want %q", n, got, want)
		}
	}
}
