package deadlines

import (
	"strings"
	"testing"
	"time"

	"github.com/habeas-org/habeas/internal/civil"
	"github.com/habeas-org/habeas/internal/lang"
)

// Adding a later arrest date must not turn Art. 91 from met into overdue:
// the limit is met by the earliest step that ends criminal detention (here
// RSDL the next day), not by the first recorded step in a fixed order.
func TestLaterArrestDateKeepsArt91Met(t *testing.T) {
	f := Facts{Detained: pd(t, "2015-08-03"), RSDLStart: pd(t, "2015-08-04")}
	for _, arrest := range []string{"", "2016-01-08"} {
		f.ArrestApproved = pd(t, arrest)
		r := find(Evaluate(f, at(t, "2026-06-01"), lang.English), "arrest_approval")
		if r == nil || r.Status != Met || r.MetAt != "2015-08-04" {
			t.Fatalf("arrest %q: %+v, want met on 2015-08-04", arrest, r)
		}
	}
}

// A lawyer meeting requested before a release in 2020: days_overdue stops
// at the release, it does not run to today.
func TestCountingStopsAtRelease(t *testing.T) {
	f := Facts{ArrestApproved: pd(t, "2019-01-10"), Release: pd(t, "2020-06-01"),
		Events: []Event{ev(t, EvMeetingRequested, "2019-03-01")}}
	r := find(Evaluate(f, at(t, "2031-01-01"), lang.English), "lawyer_meeting")
	if r == nil || r.Status != Overdue || r.DaysOverdue == nil || *r.DaysOverdue != 456 {
		t.Fatalf("%+v, want overdue by 456 days (2019-03-03 to the release on 2020-06-01)", r)
	}
	// With a state-security charge the meeting needs permission during the
	// investigation: not proven overdue.
	f.StateSecurityOrTerrorism = true
	if r := find(Evaluate(f, at(t, "2031-01-01"), lang.English), "lawyer_meeting"); r.Status != OverdueUnlessExtended {
		t.Errorf("state security: %s, want overdue_unless_extended", r.Status)
	}
}

// Ilham Tohti as first recorded (detention and verdict, no arrest date):
// Art. 91 is unknown naming the missing arrest date, and nothing counts
// thousands of days.
func TestMissingArrestDateIlhamTohti(t *testing.T) {
	f := Facts{Detained: pd(t, "2014-01-15"), Verdict: pd(t, "2014-09-23"), Sentence: Sentence{Kind: SentenceLife},
		StateSecurityOrTerrorism: true}
	rs := Evaluate(f, at(t, "2026-06-01"), lang.English)
	r := find(rs, "arrest_approval")
	if r == nil || r.Status != Unknown || !strings.Contains(r.Missing, "arrest") {
		t.Fatalf("Art. 91: %+v, want unknown naming the arrest", r)
	}
	for _, r := range rs {
		if r.Status == Overdue {
			t.Errorf("%s: overdue on a record that does not prove it (notes %v)", r.Rule, r.Notes)
		}
		if r.DaysOverdue != nil && *r.DaysOverdue > 300 {
			t.Errorf("%s: %d days overdue", r.Rule, *r.DaysOverdue)
		}
	}
	if rel := ExpectedRelease(f, lang.English); rel.Status != ReleaseNotApplicable || len(rel.Basis) == 0 {
		t.Errorf("life sentence: %+v", rel)
	}
}

// Investigation custody past the base two months with no extension logged
// is overdue_unless_extended, never overdue (Arts. 156-160).
func TestUnloggedExtensions(t *testing.T) {
	f := Facts{ArrestApproved: pd(t, "2024-01-10")}
	for _, now := range []string{"2024-04-01", "2025-06-01"} {
		r := find(Evaluate(f, at(t, now), lang.English), "investigation_custody")
		if r == nil || r.Status != OverdueUnlessExtended {
			t.Fatalf("%s: %+v, want overdue_unless_extended", now, r)
		}
		if day := r.DueAt.In(civil.CST).Format(time.DateOnly); day != "2024-03-10" {
			t.Errorf("due %s, want 2024-03-10", day)
		}
	}
}

// Someone taken straight into RSDL gets no criminal-detention rule.
func TestStraightIntoRSDL(t *testing.T) {
	f := Facts{Detained: pd(t, "2020-02-15"), RSDLStart: pd(t, "2020-02-15")}
	rs := Evaluate(f, at(t, "2020-03-01"), lang.English)
	for _, rule := range []string{"family_notice_detention", "transfer_detention_centre", "arrest_approval"} {
		if r := find(rs, rule); r == nil || r.Status != NotApplicable {
			t.Errorf("%s: %+v, want not_applicable", rule, r)
		}
	}
	if r := find(rs, "rsdl_max"); r == nil || r.Status != Pending {
		t.Errorf("rsdl_max: %+v, want pending", r)
	}
}

// Held with no procedure and still held: its own finding, naming the articles.
func TestNoProcedureFinding(t *testing.T) {
	f := Facts{Periods: []Period{{ID: "np", Measure: MeasureNoProcedure, Start: pd(t, "2024-05-01"), Place: "black jail, Beijing"}}}
	r := find(Evaluate(f, at(t, "2024-05-11"), lang.English), "no_procedure")
	if r == nil || r.Status != Overdue || r.PeriodID != "np" || *r.DaysOverdue != 9 || !strings.Contains(r.Basis, "Art. 37") {
		t.Fatalf("%+v", r)
	}
}

// The State Council's holiday notice of the current year must be in the
// table: add it when it is published (usually in November).
func TestHolidayTableCoversThisYear(t *testing.T) {
	year := time.Now().In(civil.CST).Year()
	if !HolidaysCover(year) {
		t.Fatalf("holidays_data.go has no State Council holiday notice for %d: add it", year)
	}
	for y := 2015; y <= 2026; y++ {
		if !HolidaysCover(y) {
			t.Errorf("holiday table misses %d", y)
		}
	}
}

// The appeal window moves past public holidays (Art. 105 ¶4), and an
// adjusted working day is a working day.
func TestAppealWindowMovesPastHolidays(t *testing.T) {
	for _, c := range []struct{ received, due string }{
		{"2024-09-22", "2024-10-08"}, // 2 October: National Day holiday, 8 October the first working day
		{"2024-09-19", "2024-09-29"}, // Sunday 29 September 2024: an adjusted working day
		{"2024-03-01", "2024-03-11"}, // Monday: no move
		{"2024-03-02", "2024-03-12"},
	} {
		f := Facts{Verdict: pd(t, c.received), Events: []Event{ev(t, EvJudgmentReceived, c.received)}}
		r := find(Evaluate(f, at(t, c.received), lang.English), "appeal_window")
		if got := r.DueAt.In(civil.CST).Format(time.DateOnly); got != c.due {
			t.Errorf("received %s: due %s, want %s", c.received, got, c.due)
		}
	}
	// Custody limits are not moved: RSDL ending on a holiday stays.
	f := Facts{RSDLStart: pd(t, "2024-04-01")}
	r := find(Evaluate(f, at(t, "2024-04-02"), lang.English), "rsdl_max")
	if got := r.DueAt.In(civil.CST).Format(time.DateOnly); got != "2024-10-01" {
		t.Errorf("rsdl_max due %s, want 2024-10-01 (not moved)", got)
	}
}

// Chinese: every rule and message has Chinese text, and the Chinese
// results carry no English rule text.
func TestChineseTexts(t *testing.T) {
	for _, r := range Rules {
		zh, en := rulesZH[r.ID], rulesEN[r.ID]
		if zh.Title == "" || zh.Basis == "" || zh.Wording == "" || en.Title == "" || (en.Uncertainty != "") != (zh.Uncertainty != "") {
			t.Errorf("rule %s: texts missing", r.ID)
		}
		switch {
		case r.ID == "un_government_reply":
			// The UN reply clock rests on the UN body's practice and
			// says so: it never cites a PRC law.
			if !strings.Contains(zh.Basis, "联合国") || strings.Contains(zh.Basis, "《") || !strings.Contains(en.Basis, "not PRC law") {
				t.Errorf("rule %s: basis %q / %q must name the UN practice, not a PRC law", r.ID, zh.Basis, en.Basis)
			}
		case !strings.Contains(zh.Basis, "《中华人民共和国"):
			t.Errorf("rule %s: Chinese basis %q", r.ID, zh.Basis)
		}
	}
	for k := range messagesEN {
		if _, ok := messagesZH[k]; !ok {
			t.Errorf("message %s has no Chinese text", k)
		}
	}
	for k := range factsEN {
		if _, ok := factsZH[k]; !ok {
			t.Errorf("fact %s has no Chinese name", k)
		}
	}
	for _, g := range goldenCases() {
		f := g.facts(t)
		for _, r := range Evaluate(f, at(t, goldenNow), lang.Chinese) {
			for _, s := range append([]string{r.Title, r.Basis, r.Missing}, r.Notes...) {
				if strings.Contains(s, "the ") || strings.Contains(s, "CPL") {
					t.Errorf("%s %s: English in Chinese text %q", g.name, r.Rule, s)
				}
			}
		}
		for _, s := range ExpectedRelease(f, lang.Chinese).Basis {
			if strings.Contains(s, "the ") || strings.Contains(s, "days") {
				t.Errorf("%s: English in the Chinese release basis %q", g.name, s)
			}
		}
	}
}

// Expected release: commutations, RSDL credit, missing dates.
func TestExpectedRelease(t *testing.T) {
	base := func() Facts {
		return Facts{Detained: pd(t, "2018-01-20"), RSDLStart: pd(t, "2018-01-27"), ArrestApproved: pd(t, "2018-04-19"),
			Verdict: pd(t, "2020-06-17"), Sentence: Sentence{Kind: SentenceFixedTerm, TermMonths: 48}}
	}
	f := base()
	if rel := ExpectedRelease(f, lang.English); rel.At.String() != "2022-03-01" || len(rel.Basis) != 4 {
		t.Errorf("%+v", rel)
	}
	f.Events = []Event{{Type: EvSentenceCommuted, At: pd(t, "2021-01-01"), Months: 6}}
	if rel := ExpectedRelease(f, lang.English); rel.At.String() != "2021-08-31" {
		t.Errorf("commuted: %+v", rel)
	}
	f = base()
	f.Sentence.TermMonths = 0
	if rel := ExpectedRelease(f, lang.English); rel.Status != ReleaseUnknown || rel.At.String() != "" {
		t.Errorf("no term: %+v", rel)
	}
	f = base()
	f.ArrestApproved = pd(t, "2018-04")
	if rel := ExpectedRelease(f, lang.English); !rel.At.Approximate {
		t.Errorf("partial arrest date: %+v, want an approximate date", rel)
	}
	f = base()
	f.Release = pd(t, "2022-03-01")
	if rel := ExpectedRelease(f, lang.English); rel.Status != ReleaseReleased {
		t.Errorf("released: %+v", rel)
	}
}
