package deadlines

import (
	"sort"

	"github.com/habeas-org/habeas/internal/lang"
	"github.com/habeas-org/habeas/internal/partialdate"
)

// Release statuses.
const (
	ReleaseExpected      = "expected"
	ReleaseReleased      = "released"
	ReleaseNotApplicable = "not_applicable"
	ReleaseUnknown       = "unknown"
)

// Release is the expected release date of a case and its derivation.
type Release struct {
	At     partialdate.Date // zero: none (no fixed term, unknown, released)
	Basis  []string         // derivation lines, in the language asked for
	Status string           // expected, released, not_applicable, unknown
}

// dayForDay reports whether custody under measure counts one day of a
// fixed-term sentence per day (Criminal Law Art. 47; Supervision Law Art.
// 44 for liuzhi); RSDL counts two days for one (CPL Art. 76); other
// measures (bail, residential surveillance at home, administrative
// detention, custody with no procedure) are not credited.
func dayForDay(measure string) bool {
	switch measure {
	case MeasureCriminalDetention, MeasureArrest, MeasureLiuzhi, MeasureServing:
		return true
	}
	return false
}

// ExpectedRelease computes the expected release date of a fixed-term
// sentence and its derivation (in l): the term runs from the first day of
// the custody that continued into the sentence, counted day for day; earlier
// criminal custody is credited day for day, RSDL two days for one;
// commutations (sentence_commuted events) take their months off. A date is
// never more precise than the dates it rests on (docs/deadlines.md).
func ExpectedRelease(f Facts, l lang.Lang) Release {
	if rel := f.release(); !rel.IsZero() {
		return Release{Status: ReleaseReleased, Basis: []string{msg(l, "rel_recorded", rel)}}
	}
	switch f.Sentence.Kind {
	case SentenceLife, SentenceDeath, SentenceDeathSusp:
		return Release{Status: ReleaseNotApplicable, Basis: []string{msg(l, "rel_no_term_"+f.Sentence.Kind)}}
	case "", SentenceFixedTerm, "criminal_detention_sentence":
	default:
		return Release{Status: ReleaseNotApplicable, Basis: []string{msg(l, "rel_not_custodial")}}
	}
	if f.Sentence.TermMonths <= 0 {
		if f.Sentence.Kind == "" && f.Verdict.IsZero() {
			return Release{Status: ReleaseNotApplicable, Basis: []string{msg(l, "rel_no_sentence")}}
		}
		return Release{Status: ReleaseUnknown, Basis: []string{msg(l, "rel_missing", msg(l, "rel_term"))}}
	}
	periods := f.custody()
	sort.SliceStable(periods, func(i, j int) bool { return periods[i].Start.SortKey() < periods[j].Start.SortKey() })
	for _, p := range periods {
		if p.Start.IsZero() && (dayForDay(p.Measure) || p.Measure == MeasureRSDL) {
			return Release{Status: ReleaseUnknown, Basis: []string{msg(l, "rel_missing", msg(l, "rel_period_start", measureName(l, p.Measure)))}}
		}
	}
	// The anchor: the first day-for-day period after the last RSDL period.
	anchor := -1
	for i, p := range periods {
		switch {
		case p.Measure == MeasureRSDL:
			anchor = -1
		case dayForDay(p.Measure) && anchor < 0:
			anchor = i
		}
	}
	if anchor < 0 {
		return Release{Status: ReleaseUnknown, Basis: []string{msg(l, "rel_missing", msg(l, "rel_custody_after"))}}
	}
	approx := false
	a := periods[anchor].Start
	approx = approx || !a.Exact()
	months := f.Sentence.TermMonths
	var basis []string
	for _, e := range f.events(EvSentenceCommuted) {
		if e.Months > 0 {
			months -= e.Months
			basis = append(basis, msg(l, "rel_commuted", e.At, e.Months))
		}
	}
	start := a.Earliest(cstZone())
	end := addDays(addMonths(start, months), -1)
	basis = append([]string{msg(l, "rel_term_line", f.Sentence.TermMonths, a, dayText(addDays(addMonths(start, f.Sentence.TermMonths), -1)))}, basis...)
	rsdlDays, credit := 0, 0
	for i, p := range periods[:anchor] {
		if !dayForDay(p.Measure) && p.Measure != MeasureRSDL {
			if Custodial(p.Measure) {
				basis = append(basis, msg(l, "rel_not_credited", measureName(l, p.Measure), p.Start, p.End))
			}
			continue
		}
		last := p.End
		if next := periods[i+1].Start; !next.IsZero() && (last.IsZero() || !notBefore(dayBefore(next), last)) {
			last = dayBefore(next)
		}
		if last.IsZero() {
			return Release{Status: ReleaseUnknown, Basis: append(basis, msg(l, "rel_missing", msg(l, "rel_period_end", measureName(l, p.Measure))))}
		}
		approx = approx || !p.Start.Exact() || !last.Exact()
		n := daysBetween(p.Start.Earliest(cstZone()), last.Earliest(cstZone())) + 1
		if n <= 0 {
			continue
		}
		if p.Measure == MeasureRSDL {
			rsdlDays += n
			basis = append(basis, msg(l, "rel_rsdl_line", p.Start, last, n, n/2))
			continue
		}
		credit += n
		basis = append(basis, msg(l, "rel_day_line", measureName(l, p.Measure), p.Start, last, n))
	}
	if rsdlDays%2 == 1 && rsdlDays > 1 {
		basis = append(basis, msg(l, "rel_rsdl_odd", rsdlDays, rsdlDays/2))
	}
	credit += rsdlDays / 2
	end = addDays(end, -credit)
	at := dateOf(end)
	at.Approximate = approx
	if approx {
		basis = append(basis, msg(l, "rel_approx"))
	}
	basis = append(basis, msg(l, "rel_result", at))
	return Release{At: at, Basis: basis, Status: ReleaseExpected}
}

// measureName is a custody measure's name in l.
func measureName(l lang.Lang, m string) string { return msg(l, "m_"+m) }
