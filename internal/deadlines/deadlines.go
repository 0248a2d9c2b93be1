// Package deadlines computes the time limits of the PRC Criminal Procedure
// Law (2018 revision) for a case: rules as data, evaluated by pure functions
// over the case's key dates and logged events. A limit that passes without
// the next step is what advocates cite as evidence of arbitrary detention, so
// every result carries its article; and a result is never more certain than
// the dates it was computed from.
package deadlines

import (
	"sort"
	"time"

	"github.com/habeas-org/habeas/internal/partialdate"
)

// Status of a time limit.
type Status string

// Statuses.
const (
	// Pending: the limit has not passed and the next step has not happened.
	Pending Status = "pending"
	// Met: the next step happened within the limit.
	Met Status = "met"
	// Overdue: the limit passed without the next step (or the step came late).
	Overdue Status = "overdue"
	// Unknown: a needed date is missing or too imprecise to decide.
	Unknown Status = "unknown"
)

// Event types the rules read from the case timeline.
const (
	EvFamilyNotified      = "family_notified"
	EvMeetingRequested    = "meeting_requested"
	EvMeetingGranted      = "meeting_granted"
	EvCustodyExtended     = "custody_extended"       // Months: 1 (Art. 156), 2 (Art. 158), 2 (Art. 159)
	EvCustodyRecalculated = "custody_recalculated"   // Art. 160: new crimes found, clock restarts
	EvTransferredForProsc = "transferred_for_review" // case sent to the procuratorate for review for prosecution
	EvReturnedForSuppInv  = "returned_for_supplementary_investigation"
	EvReviewExtended      = "review_extended"   // +15 days (Art. 172)
	EvCourtAccepted       = "court_accepted"    // first-instance court accepts the case
	EvTrialExtended       = "trial_extended"    // higher court approval, +3 months (Art. 208)
	EvJudgmentReceived    = "judgment_received" // written first-instance judgment received
	EvAppealAccepted      = "appeal_accepted"   // second-instance court accepts the case
	EvSecondInstExtended  = "second_instance_extended"
	EvSecondInstVerdict   = "second_instance_verdict"
)

// Event is a dated event of the case timeline.
type Event struct {
	Type string
	At   partialdate.Date
	// Months is the length of an extension event (custody_extended).
	Months int
}

// Facts are the case's key dates and events, as recorded.
type Facts struct {
	Detained       partialdate.Date // criminal detention (刑事拘留)
	RSDLStart      partialdate.Date // residential surveillance at a designated location
	RSDLEnd        partialdate.Date
	ArrestApproved partialdate.Date // arrest approved / executed (逮捕)
	Indicted       partialdate.Date // public prosecution filed
	Verdict        partialdate.Date // first-instance judgment
	Appeal         partialdate.Date // appeal lodged
	Release        partialdate.Date
	// StateSecurityOrTerrorism: a charge in the endangering-state-security
	// chapter or of terrorism; Arts. 39 and 85 then allow exceptions.
	StateSecurityOrTerrorism bool
	Events                   []Event
}

// Result is one rule applied to one case.
type Result struct {
	Rule          string    `json:"rule"`
	Title         string    `json:"title"`
	Basis         string    `json:"basis"`
	Wording       string    `json:"wording"`
	StartEvent    string    `json:"start_event"`
	StartAt       string    `json:"start_at,omitempty"`
	DueAt         time.Time `json:"-"`
	Status        Status    `json:"status"`
	DaysRemaining *int      `json:"days_remaining,omitempty"`
	DaysOverdue   *int      `json:"days_overdue,omitempty"`
	MetAt         string    `json:"met_at,omitempty"`
	Extensions    []string  `json:"extensions,omitempty"`
	Notes         []string  `json:"notes,omitempty"`
}

// Rule is one time limit of the law, with its article and wording.
type Rule struct {
	ID      string
	Title   string
	Basis   string
	Wording string
	// Uncertainty says what in our reading of the rule may be wrong.
	Uncertainty string
	eval        func(r Rule, f Facts) []draft
}

// draft is a rule's computation before the status is decided.
type draft struct {
	startEvent string
	start      partialdate.Date
	due        span // the due day, as a span when the start is partial
	step       span // when the next step happened (zero: not yet)
	stepAt     partialdate.Date
	extensions []string
	notes      []string
	missing    string // why the start is unknown
	// lowerBound: the start used is the earliest the real start can be (a
	// proxy date), so the real limit is the same day or later: "met" and
	// "pending" are certain, "overdue" is not.
	lowerBound bool
}

// Evaluate applies every rule to f at time now and returns the applicable
// results, ordered by due date (unknown last).
func Evaluate(f Facts, now time.Time) []Result {
	var out []Result
	for _, r := range Rules {
		for _, d := range r.eval(r, f) {
			out = append(out, decide(r, d, now))
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.DueAt.IsZero() != b.DueAt.IsZero() {
			return !a.DueAt.IsZero()
		}
		return a.DueAt.Before(b.DueAt)
	})
	return out
}

func decide(r Rule, d draft, now time.Time) Result {
	res := Result{Rule: r.ID, Title: r.Title, Basis: r.Basis, Wording: r.Wording, StartEvent: d.startEvent,
		StartAt: d.start.String(), Extensions: d.extensions, Notes: d.notes, MetAt: d.stepAt.String()}
	if r.Uncertainty != "" {
		res.Notes = append(res.Notes, r.Uncertainty)
	}
	if d.missing != "" || !d.due.known {
		res.Status = Unknown
		if d.missing != "" {
			res.Notes = append(res.Notes, d.missing)
		}
		return res
	}
	// The due day: certain when the span is one day; otherwise decide only
	// what holds for every possible day, and report the latest due day.
	res.DueAt = endOf(d.due.hi)
	certain := !d.due.approx && !d.lowerBound
	early := !d.due.approx // a step or a day before the computed limit is before the real one
	t := today(now)
	switch {
	case d.step.known:
		switch {
		case !d.step.approx && early && !d.step.hi.After(d.due.lo):
			res.Status = Met
		case !d.step.approx && certain && d.step.lo.After(d.due.hi):
			res.Status = Overdue
			n := daysBetween(d.due.hi, d.step.lo)
			res.DaysOverdue = &n
			res.Notes = append(res.Notes, "the next step came after the limit")
		default:
			res.Status = Unknown
			res.Notes = append(res.Notes, "dates too imprecise to tell whether the step came in time")
		}
	case certain && t.After(d.due.hi):
		res.Status = Overdue
		n := daysBetween(d.due.hi, t)
		res.DaysOverdue = &n
	case early && !t.After(d.due.lo):
		res.Status = Pending
		n := daysBetween(t, d.due.lo)
		res.DaysRemaining = &n
	default:
		res.Status = Unknown
		res.Notes = append(res.Notes, "start date only approximate or partial: the limit may or may not have passed")
	}
	if d.due.known && !d.due.lo.Equal(d.due.hi) && res.Status != Unknown {
		res.Notes = append(res.Notes, "start date partial: computed for every possible start day (due between "+
			d.due.lo.Format("2006-01-02")+" and "+d.due.hi.Format("2006-01-02")+")")
	}
	return res
}

// events returns the events of type typ in date order.
func (f Facts) events(typ string) []Event {
	var out []Event
	for _, e := range f.Events {
		if e.Type == typ {
			out = append(out, e)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.SortKey() < out[j].At.SortKey() })
	return out
}

// firstAfter returns the first event of typ not before start (by earliest day).
func (f Facts) firstAfter(typ string, start partialdate.Date) (Event, bool) {
	for _, e := range f.events(typ) {
		if start.IsZero() || e.At.SortKey() >= start.SortKey() {
			return e, true
		}
	}
	return Event{}, false
}

// stepOf turns the first present date into the step span.
func stepOf(dates ...partialdate.Date) (span, partialdate.Date) {
	for _, d := range dates {
		if !d.IsZero() {
			return spanOf(d), d
		}
	}
	return span{}, partialdate.Date{}
}
