package support

import (
	"time"

	"github.com/habeas-org/habeas/internal/record"
)

// Partner is an organisation that acts in support of cases.
type Partner struct {
	ID       string `gorm:"primaryKey"`
	Name     string
	Kind     string
	Country  string // ISO 3166-1 alpha-2, or ""
	Notes    string // confidential
	Contacts string // confidential
	// Confidential hides the partner from observers (even its own linked
	// accounts) and from every external document.
	Confidential bool
	Search       string
	Version      int64
	CreatedBy    string
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// TableName is the partners table.
func (Partner) TableName() string { return "partners" }

// PartnerUser links an observer account to the partner it works for.
type PartnerUser struct {
	UserID    string `gorm:"primaryKey"`
	PartnerID string
	CreatedAt time.Time
}

// TableName is the partner_users table.
func (PartnerUser) TableName() string { return "partner_users" }

// Action is a support action on a case.
type Action struct {
	ID                string `gorm:"primaryKey"`
	CaseID            string
	Type              string
	Status            Status
	Priority          string
	Addressee         string
	Description       string
	AssigneeUserID    *string
	AssigneePartnerID *string
	RequestedAt       string // YYYY-MM-DD or ""
	DueAt             string // YYYY-MM-DD or ""
	Response          string
	Impact            string
	Notes             string
	AmountMinor       *int64
	Currency          string
	EvidenceIDs       record.JSONList[string] `gorm:"column:evidence_ids"`
	// Confidential hides the action from observers (even when assigned to
	// them) and from every external document.
	Confidential bool
	Version      int64
	CreatedBy    string
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// TableName is the support_actions table.
func (Action) TableName() string { return "support_actions" }

// Change is one status an action entered (its creation included, with an
// empty FromStatus): the history the case timeline shows.
type Change struct {
	ID         string `gorm:"primaryKey"`
	ActionID   string
	CaseID     string
	FromStatus string
	ToStatus   string
	ChangedBy  string
	ChangedAt  time.Time
}

// TableName is the support_action_changes table.
func (Change) TableName() string { return "support_action_changes" }

// Models lists the gorm models of this package (for the schema test).
func Models() []any { return []any{&Partner{}, &PartnerUser{}, &Action{}, &Change{}} }
