package timeline

import (
	"fmt"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/access"
	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/civil"
	"github.com/habeas-org/habeas/internal/partialdate"
	"github.com/habeas-org/habeas/internal/record"
)

// DatedEvent is an event as the time-limit rules read it: its type, its
// date and, for an extension, its length in months. It is an alias of an
// unnamed struct type spelled as deadlines.Event, so a DatedEvent is
// assignable to a deadlines.Event (and the compiler says when the two
// drift apart) without this package importing internal/deadlines.
type DatedEvent = struct {
	Type   string
	At     partialdate.Date
	Months int
}

// DatedEventsTx returns, per case, the live (not deleted) events of
// caseIDs (cases whose visibility the caller has checked) whose date can be
// placed, in timeline order, inside tx. Confidential events only with
// withConfidential (access.SeesConfidential of the reader: the rule of
// access.TimelineRowVisible), so a computed limit never gives away an event
// its reader cannot see.
func DatedEventsTx(tx *gorm.DB, caseIDs []string, withConfidential bool) (map[string][]DatedEvent, error) {
	out := map[string][]DatedEvent{}
	if len(caseIDs) == 0 {
		return out, nil
	}
	var rows []Event
	q := tx.Model(&Event{})
	if !withConfidential {
		q = q.Where("case_events.confidential = ?", false)
	}
	q = q.Select("case_events.case_id, case_events.type, case_events.occurred_at, case_events.extension_months").
		Where("case_events.case_id IN ? AND case_events.deleted_at IS NULL", caseIDs).
		Order("case_events.sort_key, case_events.id")
	if err := q.Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("timeline: events for time limits: %w", err)
	}
	for i := range rows {
		if ev, ok := rows[i].DeadlineEvent(); ok {
			out[rows[i].CaseID] = append(out[rows[i].CaseID], ev)
		}
	}
	return out, nil
}

// DeadlineEvent is the event as the time-limit rules read it; ok is false
// when its date is not one the rules can place (dates are read in China
// Standard Time).
func (e *Event) DeadlineEvent() (ev DatedEvent, ok bool) {
	at, err := partialdate.Parse(e.OccurredAt, civil.CST)
	if err != nil {
		return DatedEvent{}, false
	}
	return DatedEvent{Type: e.Type, At: at, Months: e.ExtensionMonths}, true
}

// Chronology is a case's live events and hearings in timeline order, as an
// export reads them.
type Chronology struct {
	Events   []Event
	Hearings []Hearing
}

// ChronologyTx reads the chronology of a case p sees (the caller checks the
// case), inside an existing transaction. Without withConfidential,
// confidential events and hearings are left out whoever p is (an external
// export holds none).
func ChronologyTx(tx *gorm.DB, p *actor.Principal, caseID string, withConfidential bool) (*Chronology, error) {
	var out Chronology
	ev := record.Where(tx.Model(&Event{}), access.TimelineRowVisible(p, "case_events")).
		Where("case_events.case_id = ? AND case_events.deleted_at IS NULL", caseID)
	hr := record.Where(tx.Model(&Hearing{}), access.TimelineRowVisible(p, "hearings")).Where("hearings.case_id = ?", caseID)
	if !withConfidential {
		ev = ev.Where("case_events.confidential = ?", false)
		hr = hr.Where("hearings.confidential = ?", false)
	}
	if err := ev.Order("case_events.sort_key, case_events.id").Find(&out.Events).Error; err != nil {
		return nil, fmt.Errorf("timeline: chronology events: %w", err)
	}
	if err := hr.Order("hearings.sort_key, hearings.id").Find(&out.Hearings).Error; err != nil {
		return nil, fmt.Errorf("timeline: chronology hearings: %w", err)
	}
	return &out, nil
}
