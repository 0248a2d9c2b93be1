package deadlines

import (
	"time"

	"github.com/habeas-org/habeas/internal/lang"
	"github.com/habeas-org/habeas/internal/partialdate"
)

// draft is a rule's computation for one period or request, before the
// status is decided.
type draft struct {
	startEvent string
	start      partialdate.Date
	periodID   string
	due        span // the due day with the extensions recorded
	// max is the due day with every lawful extension (not known: the rule
	// has none, max = due); unbounded: an open-ended extension or exception
	// may apply, so the limit never passes for certain (unboundedWhy says
	// which).
	max          span
	unbounded    bool
	unboundedWhy string
	step         span // when the next step happened (zero: not recorded)
	stepAt       partialdate.Date
	stepName     string // the fact the step is (for missing)
	stop         span   // when counting stops without the step: custody ended
	stopAt       partialdate.Date
	stopWhy      string
	extensions   []string
	notes        []string
	missing      string // why the status cannot be decided (the missing fact)
	// lowerBound: the start used is the earliest the real start can be (a
	// proxy date), so the real limit is the same day or later: "met" and
	// "pending" are certain, "overdue" is not (proxyMissing names the fact).
	lowerBound   bool
	proxyMissing string
	// stepUnknowable: when the limit passed with no step recorded, the step
	// is something the defence rarely learns (an interrogation, a transfer):
	// unknown, naming it, rather than overdue.
	stepUnknowable string
	// daysUnknown: the end of the period is not recorded, so the days past
	// the limit are not counted (it names the missing end).
	daysUnknown   string
	notApplicable string
}

func decide(r Rule, d draft, now time.Time, l lang.Lang) Result {
	txt := ruleText(r.ID, l)
	res := Result{Rule: r.ID, Title: txt.Title, Basis: txt.Basis, Wording: txt.Wording, StartEvent: d.startEvent,
		StartAt: d.start.String(), PeriodID: d.periodID, Extensions: d.extensions, Notes: d.notes}
	if txt.Uncertainty != "" {
		res.Notes = append(res.Notes, txt.Uncertainty)
	}
	if d.notApplicable != "" {
		res.Status = NotApplicable
		res.Notes = append(res.Notes, d.notApplicable)
		return res
	}
	if d.missing != "" || !d.due.known {
		res.Status, res.Missing = Unknown, d.missing
		return res
	}
	res.DueAt = endOf(d.due.hi)
	latest := d.due
	if d.max.known {
		latest = d.max
	}
	if !d.unbounded {
		res.DueAtLatest = endOf(latest.hi)
	}
	res.ChangesAt = d.changesAt(now)
	certain := !d.due.approx && !d.lowerBound
	early := !d.due.approx // a step or a day before the computed limit is before the real one
	t := today(now)
	p, kind := span{lo: t, hi: t, known: true}, "open"
	switch {
	case d.step.known:
		p, kind = d.step, "step"
	case d.stop.known && !d.stop.lo.After(t):
		p, kind = d.stop, "stop"
	}
	switch {
	case early && !p.approx && !p.hi.After(d.due.lo):
		switch kind {
		case "open":
			res.Status = Pending
			n := daysBetween(t, d.due.lo)
			res.DaysRemaining = &n
		case "step":
			res.Status, res.MetAt = Met, d.stepAt.String()
		default:
			res.Status, res.MetAt = Met, d.stopAt.String()
			res.Notes = append(res.Notes, msg(l, "ended_before_limit", d.stopWhy, d.stopAt))
		}
	case certain && !p.approx && p.lo.After(d.due.hi):
		if kind != "step" && d.stepUnknowable != "" {
			res.Status, res.Missing = Unknown, d.stepUnknowable
			break
		}
		over := daysBetween(d.due.hi, p.lo)
		switch {
		case d.unbounded:
			res.Status = OverdueUnlessExtended
			res.Notes = append(res.Notes, d.unboundedWhy)
		case d.max.known && !p.hi.After(d.max.lo):
			res.Status = OverdueUnlessExtended
			res.Notes = append(res.Notes, msg(l, "within_max", dayText(d.max.hi)))
		case d.max.known && p.lo.After(d.max.hi):
			res.Status = Overdue
			over = daysBetween(d.max.hi, p.lo)
			res.Notes = append(res.Notes, msg(l, "past_max", dayText(d.max.hi)))
		case d.max.known:
			res.Status = OverdueUnlessExtended
		default:
			res.Status = Overdue
		}
		res.DaysOverdue = &over
		daysUnknown := kind != "step" && d.daysUnknown != ""
		if daysUnknown {
			res.DaysOverdue = nil
			res.Notes = append(res.Notes, msg(l, "days_not_counted", d.daysUnknown))
		}
		switch {
		case kind == "step":
			res.MetAt = d.stepAt.String()
			res.Notes = append(res.Notes, msg(l, "step_late"))
		case kind == "stop" && !daysUnknown:
			res.Notes = append(res.Notes, msg(l, "counted_until", d.stopWhy, d.stopAt))
		}
	default:
		res.Status = Unknown
		switch {
		case d.lowerBound && !d.due.approx && !p.approx:
			res.Missing = d.proxyMissing
		case p.approx || (kind == "step" && !d.step.exact()):
			res.Missing = msg(l, "exact_date_of", d.stepName)
		default:
			res.Missing = msg(l, "exact_date_of", factName(l, d.startEvent))
		}
	}
	if d.due.known && !d.due.lo.Equal(d.due.hi) && res.Status != Unknown {
		res.Notes = append(res.Notes, msg(l, "partial_start", dayText(d.due.lo), dayText(d.due.hi)))
	}
	return res
}

func dayText(d day) string { return d.Format("2006-01-02") }

// setStep sets the draft's step to the earliest present date.
func (d *draft) setStep(name string, dates ...partialdate.Date) {
	if s := earliest(d.start, dates...); !s.IsZero() {
		d.step, d.stepAt = spanOf(s), s
	}
	d.stepName = name
}

// setStop sets when counting stops (custody ended) and why.
func (d *draft) setStop(why string, at partialdate.Date) {
	if at.IsZero() || (!d.start.IsZero() && !notBefore(at, d.start)) {
		return
	}
	d.stop, d.stopAt, d.stopWhy = spanOf(at), at, why
}

// changesAt is the first instant after now at which the passage of time
// alone may change the decision (the start of a CST day), zero when it
// cannot: the result is judged at today only while no step is recorded and
// custody has not ended, and then changes only when today passes the due
// day, the limit with every extension, or reaches the end of custody (the
// comparisons of decide). The time-limit index re-evaluates the case then.
func (d draft) changesAt(now time.Time) time.Time {
	t := today(now)
	if d.step.known || (d.stop.known && !d.stop.lo.After(t)) {
		return time.Time{}
	}
	cands := []day{addDays(d.due.lo, 1), addDays(d.due.hi, 1)}
	if d.max.known {
		cands = append(cands, addDays(d.max.lo, 1), addDays(d.max.hi, 1))
	}
	if d.stop.known {
		cands = append(cands, d.stop.lo)
	}
	var next time.Time
	for _, c := range cands {
		if c.After(t) && (next.IsZero() || c.Before(next)) {
			next = c
		}
	}
	return next
}
