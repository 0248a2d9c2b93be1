package timeline

import (
	"encoding/json"
	"time"

	"github.com/habeas-org/habeas/internal/record"
)

// Builders: the rows the create operations store, from the same input by the
// same validation and derivation (obstacle flag, precision, sort key, first
// revision), without a transaction, reference checks or an audit entry. The
// service uses them; so does the bulk loader of generated data
// (internal/seed), whose rows must be exactly those the API would write.

// NewEvent returns the event CreateEvent would store for f. The lawyer and
// evidence references are not checked here: the caller names only rows of
// the same case it knows to exist.
func NewEvent(id, caseID, createdBy string, at time.Time, f EventFields) (*Event, error) {
	ev, _, err := buildEvent(id, caseID, createdBy, at, f)
	return ev, err
}

func buildEvent(id, caseID, createdBy string, at time.Time, f EventFields) (*Event, map[string]any, error) {
	ev := &Event{ID: id, CaseID: caseID, EvidenceIDs: record.JSONList[string]{}, Version: 1, CreatedBy: createdBy,
		CreatedAt: at, UpdatedBy: createdBy, UpdatedAt: at}
	ch, err := f.apply(ev)
	return ev, ch, err
}

// NewRevision returns the revision row that records the state of ev after a
// change ("create" for its first revision), made by `by` at ev.UpdatedAt.
func NewRevision(id string, ev *Event, change, reason, by string) (*Revision, error) {
	raw, err := json.Marshal(ev.state())
	if err != nil {
		return nil, err
	}
	return &Revision{ID: id, EventID: ev.ID, Version: ev.Version, Change: change, State: string(raw),
		Reason: reason, ChangedBy: by, ChangedAt: ev.UpdatedAt}, nil
}

// NewHearing returns the hearing CreateHearing would store for f.
func NewHearing(id, caseID, createdBy string, at time.Time, f HearingFields) (*Hearing, error) {
	h, _, err := buildHearing(id, caseID, createdBy, at, f)
	return h, err
}

func buildHearing(id, caseID, createdBy string, at time.Time, f HearingFields) (*Hearing, map[string]any, error) {
	h := &Hearing{ID: id, CaseID: caseID, Version: 1, CreatedBy: createdBy, CreatedAt: at, UpdatedAt: at}
	ch, err := f.apply(h)
	return h, ch, err
}
