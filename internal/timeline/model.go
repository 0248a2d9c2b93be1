// Package timeline is the case timeline (issue 6): events of a case (with
// obstacles marked, revisions on every edit, soft deletion), hearings, the
// merged chronological timeline of a case, the cross-case hearing calendar
// and each user's iCalendar feed. The service takes (ctx, principal, input),
// asks internal/access, runs one transaction and records the audit entry in
// it; the store (store.go) holds the queries, each starting from an access
// condition.
package timeline

import (
	"time"

	"github.com/habeas-org/habeas/internal/record"
)

// Event is one row of case_events: something that happened in a case.
type Event struct {
	ID                     string `gorm:"primaryKey"`
	CaseID                 string
	Type                   string
	Obstacle               bool
	OccurredAt             string
	DatePrecision          string
	Approximate            bool
	SortKey                string
	Place                  string
	Description            string
	Source                 string
	SourceReliability      string
	InformationCredibility string
	Confidential           bool
	LawyerID               *string
	RelativeID             *string
	EvidenceIDs            record.JSONList[string] `gorm:"column:evidence_ids"`
	ExtensionMonths        int
	Version                int64
	CreatedBy              string
	CreatedAt              time.Time
	UpdatedBy              string
	UpdatedAt              time.Time
	DeletedAt              *time.Time
	DeletedBy              string
	DeleteReason           string
}

// TableName is the case_events table.
func (Event) TableName() string { return "case_events" }

// Revision is one version of an event: its state after a change.
type Revision struct {
	ID        string `gorm:"primaryKey"`
	EventID   string
	Version   int64
	Change    string // create, update, delete
	State     string // JSON of EventState
	Reason    string
	ChangedBy string
	ChangedAt time.Time
}

// TableName is the case_event_revisions table.
func (Revision) TableName() string { return "case_event_revisions" }

// Hearing is one row of hearings: a court hearing of a case.
type Hearing struct {
	ID                     string `gorm:"primaryKey"`
	CaseID                 string
	ScheduledAt            time.Time
	TimeZone               string
	SortKey                string
	Court                  string
	Type                   string
	Status                 string
	Outcome                string
	DefenseLawyerAdmitted  *bool
	FamilyAdmitted         *bool
	DiplomatsAdmitted      *bool
	OtherObserversAdmitted *bool
	Observers              string
	Notes                  string
	Confidential           bool
	Version                int64
	CreatedBy              string
	CreatedAt              time.Time
	UpdatedAt              time.Time
}

// TableName is the hearings table.
func (Hearing) TableName() string { return "hearings" }

// Feed is a user's secret calendar-feed URL; only the secret's SHA-256 is kept.
type Feed struct {
	ID        string `gorm:"primaryKey"`
	UserID    string
	TokenHash string
	CreatedAt time.Time
	RevokedAt *time.Time
}

// TableName is the calendar_feeds table.
func (Feed) TableName() string { return "calendar_feeds" }

// Models lists the gorm models of this package (for the schema test).
func Models() []any { return []any{&Event{}, &Revision{}, &Hearing{}, &Feed{}} }
