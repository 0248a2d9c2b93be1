package timeline

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/habeas-org/habeas/internal/record"
)

const (
	maxPlace       = 500
	maxDescription = 20000
	maxSource      = 2000
	maxCourt       = 500
	maxObservers   = 5000
	maxNotes       = 20000
	maxReason      = 2000
	maxEvidence    = 100
	maxMonths      = 24 // a custody extension is 1-2 months; a commutation takes off at most 2 years at a time
)

// EventFields are the settable fields of an event. Every field is a pointer:
// absent means "leave as is" (PATCH) or "empty" (create). Fields nobody sets
// (id, case, obstacle, version, timestamps) are not here, so the strict JSON
// decoder rejects them.
type EventFields struct {
	Type                   *string   `json:"type"`
	OccurredAt             *string   `json:"occurred_at"`
	Approximate            *bool     `json:"approximate"`
	Place                  *string   `json:"place"`
	Description            *string   `json:"description"`
	Source                 *string   `json:"source"`
	SourceReliability      *string   `json:"source_reliability"`
	InformationCredibility *string   `json:"information_credibility"`
	Confidential           *bool     `json:"confidential"`
	LawyerID               *string   `json:"lawyer_id"`
	RelativeID             *string   `json:"relative_id"`
	EvidenceIDs            *[]string `json:"evidence_ids"`
	ExtensionMonths        *int      `json:"extension_months"`
}

// text validates and trims a free-text field (any script; no NUL).
func text(c *record.ChangeSet, name string, v *string, max int, required bool) (string, bool) {
	if v == nil {
		return "", false
	}
	s := strings.TrimSpace(*v)
	msg := record.CheckText(s, max)
	if msg == "" && required && s == "" {
		msg = "required"
	}
	if msg != "" {
		c.Fail(name, msg)
		return "", false
	}
	return s, true
}

// oneOf validates a code against a list (empty allowed when !required).
func oneOf(c *record.ChangeSet, name string, v *string, allowed []string, required bool) (string, bool) {
	if v == nil {
		return "", false
	}
	s := strings.TrimSpace(*v)
	if (s == "" && required) || (s != "" && !slices.Contains(allowed, s)) {
		msg := "one of " + strings.Join(allowed, ", ")
		if len(allowed) > 12 {
			msg = "a value of the vocabulary (GET /api/v1/vocabularies)"
		}
		c.Fail(name, msg)
		return "", false
	}
	return s, true
}

// set writes v into *dst and records the change.
func set[T comparable](c *record.ChangeSet, name string, dst *T, v T) {
	if *dst != v {
		*dst = v
		c.Set(name, v, false)
	}
}

// apply validates f and writes it into ev; it returns the changed fields or
// an ErrInvalid naming every bad field. References (lawyer, evidence) are
// checked by the service against the database.
func (f EventFields) apply(ev *Event) (map[string]any, error) {
	c := record.NewChangeSet()
	if s, ok := oneOf(c, "type", f.Type, EventTypes.Values(), true); ok {
		set(c, "type", &ev.Type, s)
		t, _ := EventTypes.Lookup(s)
		ev.Obstacle = t.Obstacle
	}
	if f.OccurredAt != nil || f.Approximate != nil {
		w, err := ParseWhen(ev.OccurredAt)
		if f.OccurredAt != nil {
			w, err = ParseWhen(*f.OccurredAt)
		}
		if err != nil {
			c.Fail("occurred_at", err.Error())
		} else {
			if f.Approximate != nil {
				w.Approximate = *f.Approximate
			}
			set(c, "occurred_at", &ev.OccurredAt, w.String())
			set(c, "approximate", &ev.Approximate, w.Approximate)
			ev.DatePrecision, ev.SortKey = w.Precision(), w.SortKey()
		}
	}
	if s, ok := text(c, "place", f.Place, maxPlace, false); ok {
		set(c, "place", &ev.Place, s)
	}
	if s, ok := text(c, "description", f.Description, maxDescription, false); ok {
		set(c, "description", &ev.Description, s)
	}
	if s, ok := text(c, "source", f.Source, maxSource, false); ok {
		set(c, "source", &ev.Source, s)
	}
	if s, ok := oneOf(c, "source_reliability", f.SourceReliability, SourceReliability, false); ok {
		set(c, "source_reliability", &ev.SourceReliability, s)
	}
	if s, ok := oneOf(c, "information_credibility", f.InformationCredibility, InformationCredibility, false); ok {
		set(c, "information_credibility", &ev.InformationCredibility, s)
	}
	if f.Confidential != nil {
		set(c, "confidential", &ev.Confidential, *f.Confidential)
	}
	c.OptionalID(&ev.LawyerID, f.LawyerID, "lawyer_id")
	c.OptionalID(&ev.RelativeID, f.RelativeID, "relative_id")
	c.IDs(&ev.EvidenceIDs, f.EvidenceIDs, "evidence_ids", maxEvidence)
	if f.ExtensionMonths != nil {
		if m := *f.ExtensionMonths; m < 0 || m > maxMonths {
			c.Fail("extension_months", fmt.Sprintf("from 0 to %d", maxMonths))
		} else {
			set(c, "extension_months", &ev.ExtensionMonths, m)
		}
	}
	if c.Err() == nil {
		switch {
		case ev.Type == "":
			c.Fail("type", "required")
		case ev.OccurredAt == "":
			c.Fail("occurred_at", "required")
		case ev.ExtensionMonths != 0 && !slices.Contains(ExtensionTypes, ev.Type):
			c.Fail("extension_months", "only for events of type "+strings.Join(ExtensionTypes, ", "))
		}
	}
	return c.Values(), c.Err()
}

// DeleteInput is the body of a soft delete.
type DeleteInput struct {
	Reason string `json:"reason"`
}

// OptBool is a JSON boolean that may be null: Set says whether the field
// was sent at all, Value is nil for null ("unknown").
type OptBool struct {
	Set   bool
	Value *bool
}

// UnmarshalJSON implements json.Unmarshaler.
func (o *OptBool) UnmarshalJSON(b []byte) error {
	o.Set = true
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		o.Value = nil
		return nil
	}
	var v bool
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	o.Value = &v
	return nil
}

// HearingFields are the settable fields of a hearing (absent: leave as is).
type HearingFields struct {
	// ScheduledAt is RFC 3339, or a local date-time without offset
	// ("2024-03-05T09:30") read in TimeZone.
	ScheduledAt            *string `json:"scheduled_at"`
	TimeZone               *string `json:"time_zone"`
	Court                  *string `json:"court"`
	Type                   *string `json:"type"`
	Status                 *string `json:"status"`
	Outcome                *string `json:"outcome"`
	DefenseLawyerAdmitted  OptBool `json:"defense_lawyer_admitted"`
	FamilyAdmitted         OptBool `json:"family_admitted"`
	DiplomatsAdmitted      OptBool `json:"diplomats_admitted"`
	OtherObserversAdmitted OptBool `json:"other_observers_admitted"`
	Observers              *string `json:"observers"`
	Notes                  *string `json:"notes"`
	Confidential           *bool   `json:"confidential"`
}

var localLayouts = []string{"2006-01-02T15:04:05", "2006-01-02T15:04"}

// parseScheduled reads an RFC 3339 date-time, or a local one in loc.
func parseScheduled(s string, loc *time.Location) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), t.Year() >= 1000 && t.Year() <= 9999
	}
	for _, l := range localLayouts {
		if t, err := time.ParseInLocation(l, s, loc); err == nil {
			return t.UTC(), t.Year() >= 1000 && t.Year() <= 9999
		}
	}
	return time.Time{}, false
}

// loadZone loads an IANA time zone by name ("Asia/Shanghai", "UTC").
func loadZone(name string) (*time.Location, bool) {
	if name == "" || name == "Local" || len(name) > 64 {
		return nil, false
	}
	loc, err := time.LoadLocation(name)
	return loc, err == nil
}

func optBool(c *record.ChangeSet, name string, dst **bool, o OptBool) {
	if !o.Set {
		return
	}
	if (*dst == nil) != (o.Value == nil) || (o.Value != nil && **dst != *o.Value) {
		*dst = o.Value
		if o.Value == nil {
			c.Set(name, nil, false)
		} else {
			c.Set(name, *o.Value, false)
		}
	}
}

// apply validates f and writes it into h; it returns the changed fields.
func (f HearingFields) apply(h *Hearing) (map[string]any, error) {
	c := record.NewChangeSet()
	zoneOK := true
	if f.TimeZone != nil {
		name := strings.TrimSpace(*f.TimeZone)
		if _, ok := loadZone(name); !ok {
			c.Fail("time_zone", "an IANA time zone such as Asia/Shanghai")
			zoneOK = false
		} else {
			set(c, "time_zone", &h.TimeZone, name)
		}
	}
	if h.TimeZone == "" {
		h.TimeZone = DefaultZone
	}
	if f.ScheduledAt != nil && zoneOK {
		loc, _ := loadZone(h.TimeZone)
		if t, ok := parseScheduled(*f.ScheduledAt, loc); !ok {
			c.Fail("scheduled_at", "an RFC 3339 date-time (2024-03-05T09:30:00+08:00), or a local one (2024-03-05T09:30) in time_zone")
		} else if !t.Equal(h.ScheduledAt) {
			h.ScheduledAt = t
			c.Set("scheduled_at", t.Format(time.RFC3339), false)
		}
	}
	h.SortKey = instantKey(h.ScheduledAt)
	if s, ok := text(c, "court", f.Court, maxCourt, false); ok {
		set(c, "court", &h.Court, s)
	}
	if s, ok := oneOf(c, "type", f.Type, HearingTypes.Values(), true); ok {
		set(c, "type", &h.Type, s)
	}
	if s, ok := oneOf(c, "status", f.Status, HearingStatuses.Values(), true); ok {
		set(c, "status", &h.Status, s)
	}
	if s, ok := text(c, "outcome", f.Outcome, maxNotes, false); ok {
		set(c, "outcome", &h.Outcome, s)
	}
	optBool(c, "defense_lawyer_admitted", &h.DefenseLawyerAdmitted, f.DefenseLawyerAdmitted)
	optBool(c, "family_admitted", &h.FamilyAdmitted, f.FamilyAdmitted)
	optBool(c, "diplomats_admitted", &h.DiplomatsAdmitted, f.DiplomatsAdmitted)
	optBool(c, "other_observers_admitted", &h.OtherObserversAdmitted, f.OtherObserversAdmitted)
	if s, ok := text(c, "observers", f.Observers, maxObservers, false); ok {
		set(c, "observers", &h.Observers, s)
	}
	if s, ok := text(c, "notes", f.Notes, maxNotes, false); ok {
		set(c, "notes", &h.Notes, s)
	}
	if f.Confidential != nil {
		set(c, "confidential", &h.Confidential, *f.Confidential)
	}
	if c.Err() == nil {
		switch {
		case h.ScheduledAt.IsZero():
			c.Fail("scheduled_at", "required")
		case h.Type == "":
			c.Fail("type", "required")
		}
	}
	if h.Status == "" {
		h.Status = "scheduled"
	}
	return c.Values(), c.Err()
}

// HearingRange selects hearings across cases: [From, To), keyset cursor.
type HearingRange struct {
	From, To time.Time
	Cursor   string
	Limit    int
}

// TimelineQuery selects a page of a case's timeline.
type TimelineQuery struct {
	// Kinds limits the item kinds (empty: all).
	Kinds []string
	// ObstaclesOnly keeps only obstacle events (and hearings held without notice).
	ObstaclesOnly bool
	Cursor        string
	Limit         int
}

// MaxPage is the largest page; DefaultPage the default.
const (
	MaxPage     = 200
	DefaultPage = 50
)

// ParseBound reads a range bound of the hearing calendar: an RFC 3339
// date-time, or a date (YYYY-MM-DD) meaning its midnight in DefaultZone.
// Empty is an open end.
func ParseBound(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil && t.Year() >= 1000 && t.Year() <= 9999 {
		return t.UTC(), nil
	}
	if t, err := time.ParseInLocation("2006-01-02", s, zone); err == nil && t.Year() >= 1000 && t.Year() <= 9999 {
		return t.UTC(), nil
	}
	return time.Time{}, errors.New("a date (2024-03-05, midnight in " + DefaultZone + ") or an RFC 3339 date-time")
}
