package seed

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/habeas-org/habeas/internal/cases"
	"github.com/habeas-org/habeas/internal/timeline"
)

// The criminal process of a generated case: the key events in the order of
// the PRC Criminal Procedure Law (detention, notification, meetings, arrest,
// review for prosecution, indictment, trial, verdict, appeal, release), each
// a plausible number of days after the one before, cut at a drawn stage and
// at the reference day.

var (
	// firstDetention and lastDetention bound the first detention of a detainee.
	firstDetention = time.Date(2012, 1, 1, 0, 0, 0, 0, time.UTC)
	lastDetention  = time.Date(2025, 9, 30, 0, 0, 0, 0, time.UTC)
	// referenceDay is "today" for the generated content: nothing happened
	// after it; hearings of cases not yet tried are scheduled after it.
	referenceDay = time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC)
)

// step is one event of a case.
type step struct {
	typ string
	at  time.Time
	key bool // a key event of the process (not filler)
}

func days(r *rand.Rand, lo, hi int) time.Duration {
	return time.Duration(lo+r.IntN(hi-lo+1)) * 24 * time.Hour
}

// process returns the key events of a case detained at d, in order.
func process(r *rand.Rand, d time.Time) []step {
	var s []step
	t := d
	add := func(typ string, after time.Duration) {
		t = t.Add(after)
		s = append(s, step{typ: typ, at: t, key: true})
	}
	if r.IntN(5) == 0 {
		add("summons", 0)
	}
	if r.IntN(4) == 0 { // residential surveillance at a designated location first
		add("rsdl_start", days(r, 0, 1))
		if r.IntN(2) == 0 {
			add("family_not_notified", days(r, 1, 5))
		}
		add("rsdl_end", days(r, 120, 183))
		add("detention", 0)
	} else {
		add("detention", days(r, 0, 1))
	}
	if r.IntN(10) < 6 {
		add("family_not_notified", days(r, 1, 3))
	} else {
		add("family_notified", days(r, 1, 3))
	}
	add("meeting_requested", days(r, 2, 14))
	switch r.IntN(10) {
	case 0, 1, 2, 3, 4, 5:
		add("meeting_denied", days(r, 1, 4))
	case 6, 7:
		add("meeting_unanswered", days(r, 3, 10))
	default:
		add("meeting_granted", days(r, 1, 3))
	}
	add("arrest_requested", days(r, 10, 20))
	add("arrest_approved", days(r, 5, 7))
	if r.IntN(2) == 0 {
		add("custody_extended", days(r, 55, 60))
	}
	add("transferred_for_review", days(r, 30, 120))
	if r.IntN(10) < 3 {
		add("returned_for_supplementary_investigation", days(r, 25, 30))
		add("transferred_for_review", days(r, 25, 30))
	}
	add("indictment", days(r, 20, 45))
	add("court_accepted", days(r, 2, 10))
	add("trial", days(r, 20, 120))
	if r.IntN(10) < 4 {
		add("family_barred_from_trial", 0)
	}
	if r.IntN(10) < 2 {
		add("trial_in_secret", 0)
	}
	add("verdict", days(r, 10, 300))
	add("sentence", 0)
	add("judgment_received", days(r, 3, 10))
	if r.IntN(10) < 6 {
		add("appeal", days(r, 3, 10))
		add("appeal_accepted", days(r, 10, 30))
		add("second_instance_verdict", days(r, 30, 90))
	}
	add("release", days(r, 365, 365*8))
	return s
}

// stageOf maps the last key event of a case to its stage.
var stageOf = map[string]string{
	"summons": "summons", "rsdl_start": "rsdl", "rsdl_end": "criminal_detention", "detention": "criminal_detention",
	"family_not_notified": "criminal_detention", "family_notified": "criminal_detention",
	"meeting_requested": "criminal_detention", "meeting_denied": "criminal_detention",
	"meeting_unanswered": "criminal_detention", "meeting_granted": "criminal_detention",
	"arrest_requested": "arrest_requested", "arrest_approved": "arrested", "custody_extended": "arrested",
	"transferred_for_review": "prosecution_review", "returned_for_supplementary_investigation": "supplementary_investigation",
	"indictment": "indicted", "court_accepted": "indicted", "trial": "first_instance_trial",
	"family_barred_from_trial": "first_instance_trial", "trial_in_secret": "first_instance_trial",
	"verdict": "first_instance_verdict", "sentence": "first_instance_verdict", "judgment_received": "first_instance_verdict",
	"appeal": "appeal", "appeal_accepted": "appeal", "second_instance_verdict": "serving_sentence", "release": "released",
}

// fillerTypes are events that happen anywhere in a case, obstacles most.
var fillerTypes = []string{
	"meeting_requested", "meeting_denied", "meeting_denied", "meeting_monitored", "case_file_access_refused",
	"harassment", "harassment", "lawyer_pressured_to_withdraw", "detainee_pressured_to_dismiss_lawyer",
	"licence_threatened", "law_firm_pressured", "travel_ban", "family_detained", "televised_confession",
	"transfer", "health_concern", "health_concern", "ill_treatment_allegation", "charge_added", "other",
}

// lawyerEvents are the event types that concern the case's lawyer.
var lawyerEvents = map[string]bool{
	"meeting_requested": true, "meeting_granted": true, "meeting_denied": true, "meeting_unanswered": true,
	"meeting_monitored": true, "case_file_access_refused": true, "lawyer_dismissed": true,
	"lawyer_replaced_by_state_appointed": true, "lawyer_pressured_to_withdraw": true, "licence_threatened": true,
	"law_firm_pressured": true, "harassment": true,
}

var sources = []string{"Family member", "Defence lawyer", "Court notice", "Procuratorate notice", "Fellow detainee",
	"Radio Free Asia report", "Social media post by a relative", "Police notice to the family"}

// caseEvents returns n events of a case whose process is key: the key
// events up to the reference day (at most n), then filler events between
// the first and the last, all in order.
func caseEvents(r *rand.Rand, key []step, n int) []step {
	cut := len(key)
	for i, s := range key {
		if s.at.After(referenceDay) {
			cut = i
			break
		}
	}
	key = key[:min(cut, n)]
	if len(key) == 0 {
		return nil
	}
	out := slices.Clone(key)
	from := key[0].at
	to := key[len(key)-1].at
	if to.Sub(from) < 30*24*time.Hour {
		to = from.Add(days(r, 30, 400))
		if to.After(referenceDay) {
			to = referenceDay
		}
	}
	span := int(to.Sub(from)/(24*time.Hour)) + 1
	for len(out) < n {
		out = append(out, step{typ: fillerTypes[r.IntN(len(fillerTypes))], at: from.Add(time.Duration(r.IntN(span)) * 24 * time.Hour)})
	}
	slices.SortStableFunc(out, func(a, b step) int { return a.at.Compare(b.at) })
	return out
}

// partialDate writes t as a partial date: mostly the day, sometimes only
// the month or year, sometimes approximate ("2019-03~").
func partialDate(r *rand.Rand, t time.Time) string {
	var s string
	switch x := r.IntN(100); {
	case x < 85:
		s = t.Format("2006-01-02")
	case x < 96:
		s = t.Format("2006-01")
	default:
		s = t.Format("2006")
	}
	if r.IntN(100) < 6 {
		s += "~"
	}
	return s
}

func ptr[T any](v T) *T { return &v }

// eventFields returns the input of one event.
func eventFields(r *rand.Rand, s step, place, lawyerID string) timeline.EventFields {
	f := timeline.EventFields{Type: ptr(s.typ), Place: ptr(place)}
	switch {
	case s.typ == "trial" && r.IntN(2) == 0:
		f.OccurredAt = ptr(s.at.Format("2006-01-02") + "T09:30:00+08:00")
	case s.key:
		f.OccurredAt = ptr(s.at.Format("2006-01-02"))
		if r.IntN(100) < 4 {
			f.Approximate = ptr(true)
		}
	default:
		f.OccurredAt = ptr(partialDate(r, s.at))
	}
	term, _ := timeline.EventTypes.Lookup(s.typ)
	desc := term.Label + " (" + place + ")."
	if term.Obstacle && r.IntN(2) == 0 {
		desc += " The authorities cited state security."
	}
	f.Description = ptr(desc)
	f.Source = ptr(sources[r.IntN(len(sources))])
	f.SourceReliability = ptr(timeline.SourceReliability[r.IntN(3)])
	f.InformationCredibility = ptr(timeline.InformationCredibility[r.IntN(3)])
	if lawyerEvents[s.typ] && lawyerID != "" {
		f.LawyerID = ptr(lawyerID)
	}
	if s.typ == "custody_extended" {
		f.ExtensionMonths = ptr(1 + r.IntN(2))
	}
	if r.IntN(100) < 8 || (term.Obstacle && r.IntN(100) < 10) {
		f.Confidential = ptr(true)
	}
	return f
}

// sentence is a sentence of a generated verdict and its length in months (0: life).
type sentence struct {
	text   string
	months int
}

var sentences = []sentence{{"1 year 6 months", 18}, {"2 years", 24}, {"3 years", 36}, {"3 years 6 months", 42},
	{"4 years", 48}, {"5 years", 60}, {"7 years", 84}, {"8 years", 96}, {"10 years", 120}, {"11 years", 132},
	{"14 years", 168}, {"Life imprisonment", 0}}

// caseDates fills the key dates of a case from its key events.
func caseDates(r *rand.Rand, f *cases.CaseFields, key []step, sent sentence) {
	set := func(dst **string, t time.Time) {
		if *dst == nil {
			s := t.Format("2006-01-02")
			if r.IntN(100) < 5 {
				s += "~"
			}
			*dst = &s
		}
	}
	for _, s := range key {
		switch s.typ {
		case "detention":
			set(&f.DetainedAt, s.at)
		case "rsdl_start":
			set(&f.DetainedAt, s.at)
			set(&f.RSDLStartAt, s.at)
		case "rsdl_end":
			set(&f.RSDLEndAt, s.at)
		case "arrest_approved":
			set(&f.ArrestApprovedAt, s.at)
		case "indictment":
			set(&f.IndictedAt, s.at)
		case "trial":
			set(&f.TrialAt, s.at)
		case "verdict":
			set(&f.VerdictAt, s.at)
			set(&f.SentenceStartAt, key[0].at)
			if sent.months > 0 {
				set(&f.SentenceEndAt, key[0].at.AddDate(0, sent.months, 0))
			}
			f.Sentence = &sent.text
		case "appeal":
			set(&f.AppealAt, s.at)
		case "release":
			set(&f.ReleaseAt, s.at)
		}
	}
}

func caseNumber(abbr string, year, n int, kind string) string {
	return fmt.Sprintf("(%d)%s%02d%s%d号", year, abbr, 1+n%5, kind, 100+n%900)
}
