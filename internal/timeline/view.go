package timeline

import (
	"encoding/json"
	"time"
)

// EventState is an event's content as kept in each revision.
type EventState struct {
	Type                   string   `json:"type"`
	Obstacle               bool     `json:"obstacle"`
	OccurredAt             string   `json:"occurred_at"`
	Precision              string   `json:"precision"`
	Approximate            bool     `json:"approximate"`
	Place                  string   `json:"place"`
	Description            string   `json:"description"`
	Source                 string   `json:"source"`
	SourceReliability      string   `json:"source_reliability"`
	InformationCredibility string   `json:"information_credibility"`
	Confidential           bool     `json:"confidential"`
	LawyerID               *string  `json:"lawyer_id"`
	RelativeID             *string  `json:"relative_id"`
	EvidenceIDs            []string `json:"evidence_ids"`
	ExtensionMonths        int      `json:"extension_months"`
}

// EventView is an event as the API shows it.
type EventView struct {
	ID     string `json:"id"`
	CaseID string `json:"case_id"`
	EventState
	Version      int64          `json:"version"`
	CreatedBy    string         `json:"created_by"`
	CreatedAt    time.Time      `json:"created_at"`
	UpdatedBy    string         `json:"updated_by"`
	UpdatedAt    time.Time      `json:"updated_at"`
	Deleted      bool           `json:"deleted"`
	DeletedAt    *time.Time     `json:"deleted_at,omitempty"`
	DeletedBy    string         `json:"deleted_by,omitempty"`
	DeleteReason string         `json:"delete_reason,omitempty"`
	Revisions    []RevisionView `json:"revisions,omitempty"`
}

// RevisionView is one version of an event.
type RevisionView struct {
	Version   int64      `json:"version"`
	Change    string     `json:"change"`
	ChangedBy string     `json:"changed_by"`
	ChangedAt time.Time  `json:"changed_at"`
	Reason    string     `json:"reason,omitempty"`
	State     EventState `json:"state"`
}

// state returns the content of ev.
func (ev *Event) state() EventState {
	s := EventState{Type: ev.Type, Obstacle: ev.Obstacle, OccurredAt: ev.OccurredAt, Precision: ev.DatePrecision,
		Approximate: ev.Approximate, Place: ev.Place, Description: ev.Description, Source: ev.Source,
		SourceReliability: ev.SourceReliability, InformationCredibility: ev.InformationCredibility,
		Confidential: ev.Confidential, LawyerID: ev.LawyerID, RelativeID: ev.RelativeID, EvidenceIDs: []string(ev.EvidenceIDs),
		ExtensionMonths: ev.ExtensionMonths}
	if s.EvidenceIDs == nil {
		s.EvidenceIDs = []string{}
	}
	return s
}

// View returns the API form of ev (without revisions).
func (ev *Event) View() EventView {
	return EventView{ID: ev.ID, CaseID: ev.CaseID, EventState: ev.state(), Version: ev.Version,
		CreatedBy: ev.CreatedBy, CreatedAt: ev.CreatedAt.UTC(), UpdatedBy: ev.UpdatedBy, UpdatedAt: ev.UpdatedAt.UTC(),
		Deleted: ev.DeletedAt != nil, DeletedAt: utc(ev.DeletedAt), DeletedBy: ev.DeletedBy, DeleteReason: ev.DeleteReason}
}

// View returns the API form of r; ok is false when its state cannot be read.
func (r *Revision) View() (RevisionView, bool) {
	v := RevisionView{Version: r.Version, Change: r.Change, ChangedBy: r.ChangedBy, ChangedAt: r.ChangedAt.UTC(), Reason: r.Reason}
	if err := json.Unmarshal([]byte(r.State), &v.State); err != nil {
		return v, false
	}
	if v.State.EvidenceIDs == nil {
		v.State.EvidenceIDs = []string{}
	}
	return v, true
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// HearingView is a hearing as the API shows it.
type HearingView struct {
	ID          string    `json:"id"`
	CaseID      string    `json:"case_id"`
	ScheduledAt time.Time `json:"scheduled_at"`
	TimeZone    string    `json:"time_zone"`
	// LocalTime is scheduled_at in time_zone (RFC 3339 with that offset).
	LocalTime              string    `json:"local_time"`
	Court                  string    `json:"court"`
	Type                   string    `json:"type"`
	Status                 string    `json:"status"`
	Outcome                string    `json:"outcome"`
	DefenseLawyerAdmitted  *bool     `json:"defense_lawyer_admitted"`
	FamilyAdmitted         *bool     `json:"family_admitted"`
	DiplomatsAdmitted      *bool     `json:"diplomats_admitted"`
	OtherObserversAdmitted *bool     `json:"other_observers_admitted"`
	Observers              string    `json:"observers"`
	Notes                  string    `json:"notes"`
	Confidential           bool      `json:"confidential"`
	Version                int64     `json:"version"`
	CreatedBy              string    `json:"created_by"`
	CreatedAt              time.Time `json:"created_at"`
	UpdatedAt              time.Time `json:"updated_at"`
	// DetaineeName is set in the cross-case calendar (GET /hearings).
	DetaineeName *string `json:"detainee_name,omitempty"`
}

// View returns the API form of h.
func (h *Hearing) View() HearingView {
	loc, ok := loadZone(h.TimeZone)
	if !ok {
		loc = zone
	}
	return HearingView{ID: h.ID, CaseID: h.CaseID, ScheduledAt: h.ScheduledAt.UTC(), TimeZone: h.TimeZone,
		LocalTime: h.ScheduledAt.In(loc).Format(time.RFC3339), Court: h.Court, Type: h.Type, Status: h.Status,
		Outcome: h.Outcome, DefenseLawyerAdmitted: h.DefenseLawyerAdmitted, FamilyAdmitted: h.FamilyAdmitted,
		DiplomatsAdmitted: h.DiplomatsAdmitted, OtherObserversAdmitted: h.OtherObserversAdmitted,
		Observers: h.Observers, Notes: h.Notes, Confidential: h.Confidential, Version: h.Version,
		CreatedBy: h.CreatedBy, CreatedAt: h.CreatedAt.UTC(), UpdatedAt: h.UpdatedAt.UTC()}
}

// KeyDate is a dated field of the case record (detention, arrest...).
type KeyDate struct {
	// Field is the case field ("detained_at").
	Field string `json:"field"`
	Label string `json:"label"`
	// Date is the field's EDTF value ("2019-03~").
	Date string `json:"date"`
}

// Item is one entry of a case's timeline: exactly one of Event, Hearing,
// KeyDate is set, as Kind says.
type Item struct {
	Kind string `json:"kind"`
	// ID is the event's, hearing's or support action's id, or the key
	// date's field name.
	ID string `json:"id"`
	// SortKey is the item's place in the order (see docs/timeline.md).
	SortKey string `json:"sort_key"`
	// Date is when: EDTF, or RFC 3339 for timestamps and hearings.
	Date        string       `json:"date"`
	Precision   string       `json:"precision"`
	Approximate bool         `json:"approximate"`
	Obstacle    bool         `json:"obstacle"`
	Event       *EventView   `json:"event,omitempty"`
	Hearing     *HearingView `json:"hearing,omitempty"`
	KeyDate     *KeyDate     `json:"key_date,omitempty"`
	// SupportAction is set for kind support_action: the action with its
	// status changes (one item per action).
	SupportAction *SupportGroup `json:"support_action,omitempty"`
}

// Page is one page of the timeline, oldest first.
type Page struct {
	Items      []Item  `json:"items"`
	NextCursor *string `json:"next_cursor"`
}

// HearingPage is one page of the hearing calendar, earliest first.
type HearingPage struct {
	Items      []HearingView `json:"items"`
	NextCursor *string       `json:"next_cursor"`
}

// FeedInfo describes the caller's calendar feed. URL is only set when the
// feed was just created or rotated: the secret is never shown again.
type FeedInfo struct {
	Active    bool       `json:"active"`
	CreatedAt *time.Time `json:"created_at"`
	URL       string     `json:"url,omitempty"`
}
