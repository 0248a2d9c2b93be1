package deadlines

import (
	"sort"
	"time"

	"github.com/habeas-org/habeas/internal/civil"
	"github.com/habeas-org/habeas/internal/partialdate"
)

// custody returns the custody periods the rules read: the recorded ones in
// start order, or, when none are recorded, those derived from the key dates
// (docs/deadlines.md, "Custody periods derived from key dates"):
//   - detained_at starts a criminal_detention period, unless RSDL starts the
//     same day or earlier (then the person went straight into RSDL and no
//     criminal-detention rule applies);
//   - rsdl_start_at..rsdl_end_at is an rsdl period;
//   - arrest_approved_at starts an arrest period, which lasts until the
//     judgment takes effect (sentence_in_force_at);
//   - from the date in force a custodial sentence is a serving_sentence period;
//   - each period ends the day before the next one starts; release_at ends
//     the last one.
func (f Facts) custody() []Period {
	if len(f.Periods) > 0 {
		out := append([]Period(nil), f.Periods...)
		sort.SliceStable(out, func(i, j int) bool {
			a, b := out[i].Start, out[j].Start
			if a.IsZero() != b.IsZero() {
				return !a.IsZero()
			}
			return a.SortKey() < b.SortKey()
		})
		return out
	}
	var out []Period
	rel := f.release()
	straightRSDL := !f.RSDLStart.IsZero() && !f.Detained.IsZero() && notBefore(f.Detained, f.RSDLStart)
	if !f.Detained.IsZero() && !straightRSDL {
		next := earliest(f.Detained, f.RSDLStart, f.ArrestApproved)
		out = append(out, Period{Measure: MeasureCriminalDetention, Start: f.Detained, End: endBefore(next, rel, f.Detained), Derived: true})
	}
	if !f.RSDLStart.IsZero() || !f.RSDLEnd.IsZero() {
		end := f.RSDLEnd
		if end.IsZero() {
			end = endBefore(earliest(f.RSDLStart, f.ArrestApproved), rel, f.RSDLStart)
		}
		out = append(out, Period{Measure: MeasureRSDL, Start: f.RSDLStart, End: end, Derived: true})
	}
	inForce := f.Sentence.InForce
	if !f.ArrestApproved.IsZero() {
		next := partialdate.Date{}
		if !inForce.IsZero() && notBefore(inForce, f.ArrestApproved) {
			next = inForce
		}
		out = append(out, Period{Measure: MeasureArrest, Start: f.ArrestApproved, End: endBefore(next, rel, f.ArrestApproved), Derived: true})
	}
	if !inForce.IsZero() && custodialSentence(f.Sentence.Kind) {
		end := partialdate.Date{}
		if !rel.IsZero() && notBefore(rel, inForce) {
			end = rel
		}
		out = append(out, Period{Measure: MeasureServing, Start: inForce, End: end, Derived: true})
	}
	return out
}

// endBefore is the end of a derived period: the day before next starts,
// else the release (when not before start), else zero (ongoing).
func endBefore(next, release, start partialdate.Date) partialdate.Date {
	if !next.IsZero() {
		return dayBefore(next)
	}
	if !release.IsZero() && (start.IsZero() || notBefore(release, start)) {
		return release
	}
	return partialdate.Date{}
}

// dayBefore is the previous day of an exact date; a partial date stays as is.
func dayBefore(d partialdate.Date) partialdate.Date {
	if d.Precision != partialdate.Day {
		return d
	}
	t := d.Earliest(civil.CST).AddDate(0, 0, -1)
	return partialdate.Date{Year: t.Year(), Month: int(t.Month()), Day: t.Day(), Precision: partialdate.Day, Approximate: d.Approximate}
}

// dateOf is the calendar day t as an exact partial date.
func dateOf(t time.Time) partialdate.Date {
	y, m, d := t.In(civil.CST).Date()
	return partialdate.Date{Year: y, Month: int(m), Day: d, Precision: partialdate.Day}
}

func custodialSentence(kind string) bool {
	switch kind {
	case "", SentenceFixedTerm, SentenceLife, SentenceDeathSusp, "criminal_detention_sentence":
		return true
	}
	return false
}

// periodsOf returns the periods of a measure.
func (c *evalCtx) periodsOf(measure string) []Period {
	var out []Period
	for _, p := range c.periods {
		if p.Measure == measure {
			out = append(out, p)
		}
	}
	return out
}

// has reports whether a period of one of the measures exists.
func (c *evalCtx) has(measures ...string) bool {
	for _, m := range measures {
		if len(c.periodsOf(m)) > 0 {
			return true
		}
	}
	return false
}

// ended is the earliest date p is known to have ended: its recorded end,
// the start of a later period of another measure, or the release.
func (c *evalCtx) ended(p Period) partialdate.Date {
	dates := []partialdate.Date{p.End, c.f.release()}
	if p.Derived {
		dates[0] = partialdate.Date{} // derived ends are the day before the next start: use the start
	}
	for _, q := range c.periods {
		if q.Measure != p.Measure && !q.Start.IsZero() && !p.Start.IsZero() && q.Start.SortKey() > p.Start.SortKey() {
			dates = append(dates, q.Start)
		}
	}
	return earliest(p.Start, dates...)
}

// nextStart is the earliest start of a later period of one of the measures.
func (c *evalCtx) nextStart(p Period, measures ...string) partialdate.Date {
	var dates []partialdate.Date
	for _, q := range c.periods {
		for _, m := range measures {
			if q.Measure == m && !q.Start.IsZero() && !p.Start.IsZero() && notBefore(q.Start, p.Start) && q.Start != p.Start {
				dates = append(dates, q.Start)
			}
		}
	}
	return earliest(p.Start, dates...)
}

// custodyEnd is when the pre-trial custody of the case ended as far as the
// record shows: release, or the judgment taking effect.
func (c *evalCtx) custodyEnd() partialdate.Date {
	return earliest(partialdate.Date{}, c.f.release(), c.f.Sentence.InForce)
}

// periodAt returns the custodial period in force on d (by earliest day).
func (c *evalCtx) periodAt(d partialdate.Date) (Period, bool) {
	var found Period
	ok := false
	for _, p := range c.periods {
		if !Custodial(p.Measure) || p.Start.IsZero() || !notBefore(d, p.Start) {
			continue
		}
		if !p.End.IsZero() && !notBefore(p.End, d) {
			continue
		}
		found, ok = p, true
	}
	return found, ok
}
