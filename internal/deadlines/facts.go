package deadlines

import (
	"sort"

	"github.com/habeas-org/habeas/internal/civil"
	"github.com/habeas-org/habeas/internal/partialdate"
)

// Custody measures (the custody_measures vocabulary of internal/cases).
const (
	MeasureNoProcedure       = "no_procedure"
	MeasureSummons           = "summons"
	MeasureAdministrative    = "administrative_detention"
	MeasureCriminalDetention = "criminal_detention"
	MeasureRSDL              = "rsdl"
	MeasureLiuzhi            = "liuzhi"
	MeasureArrest            = "arrest"
	MeasureResidential       = "residential_surveillance"
	MeasureBail              = "bail"
	MeasureServing           = "serving_sentence"
	MeasurePsychiatric       = "psychiatric_custody"
	MeasureCamp              = "transformation_camp"
	MeasurePostRelease       = "post_release_control"
)

// Custodial reports whether a measure deprives of liberty (summons is
// custodial for its hours but counts as nothing).
func Custodial(measure string) bool {
	switch measure {
	case MeasureResidential, MeasureBail, MeasurePostRelease, MeasureSummons, "":
		return false
	}
	return true
}

// Sentence kinds (the sentence_kinds vocabulary).
const (
	SentenceFixedTerm = "fixed_term"
	SentenceLife      = "life"
	SentenceDeathSusp = "death_suspended"
	SentenceDeath     = "death"
)

// Period is one custody period as the engine reads it.
type Period struct {
	ID      string
	Measure string           // custody measure value
	Start   partialdate.Date // zero: not recorded
	End     partialdate.Date // zero: ongoing (as far as the record shows)
	Place   string           // facility name, city (for notes)
	Derived bool             // derived from the case's key dates, not recorded
}

// Sentence is the first-instance (or final) sentence as recorded.
type Sentence struct {
	Kind       string           // sentence kind value; "" unknown
	TermMonths int              // fixed term; 0 unknown
	InForce    partialdate.Date // date the judgment took effect
}

// Facts are the case's custody periods, key dates, sentence and events, as
// recorded and visible to the reader.
type Facts struct {
	// Periods are the recorded periods visible to the reader; when there
	// are none they are derived from the key dates (docs/deadlines.md).
	Periods        []Period
	Detained       partialdate.Date // criminal detention (刑事拘留)
	RSDLStart      partialdate.Date // residential surveillance at a designated location
	RSDLEnd        partialdate.Date
	ArrestApproved partialdate.Date // arrest approved / executed (逮捕)
	Indicted       partialdate.Date // public prosecution filed
	Verdict        partialdate.Date // first-instance judgment
	Appeal         partialdate.Date // appeal lodged
	Release        partialdate.Date
	Sentence       Sentence
	// StateSecurityOrTerrorism: a charge in the endangering-state-security
	// chapter or of terrorism; Arts. 39 and 85 then allow exceptions.
	StateSecurityOrTerrorism bool
	Events                   []Event
	// UN are the case's UN communications visible to the reader (the
	// government's reply clock, rules_un.go).
	UN []UNCommunication
}

// events returns the events of type typ in date order.
func (f Facts) events(typ string) []Event {
	var out []Event
	for _, e := range f.Events {
		if e.Type == typ && !e.At.IsZero() {
			out = append(out, e)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.SortKey() < out[j].At.SortKey() })
	return out
}

// firstAfter returns the first event of typ that can fall on or after
// start (its latest possible day is not before start's earliest).
func (f Facts) firstAfter(typ string, start partialdate.Date) (Event, bool) {
	for _, e := range f.events(typ) {
		if start.IsZero() || !e.At.Latest(civil.CST).Before(start.Earliest(civil.CST)) {
			return e, true
		}
	}
	return Event{}, false
}

// release is the recorded release: the key date, else a release event.
func (f Facts) release() partialdate.Date {
	if !f.Release.IsZero() {
		return f.Release
	}
	if evs := f.events(EvRelease); len(evs) > 0 {
		return evs[len(evs)-1].At
	}
	return partialdate.Date{}
}

// notBefore reports whether a can fall on or after b's earliest day.
func notBefore(a, b partialdate.Date) bool { return a.SortKey()[:10] >= b.SortKey()[:10] }

// earliest returns the earliest of the present dates that are not before
// from (zero from: any), by earliest possible day.
func earliest(from partialdate.Date, dates ...partialdate.Date) partialdate.Date {
	var best partialdate.Date
	for _, d := range dates {
		if d.IsZero() || (!from.IsZero() && !notBefore(d, from)) {
			continue
		}
		if best.IsZero() || d.SortKey() < best.SortKey() {
			best = d
		}
	}
	return best
}
