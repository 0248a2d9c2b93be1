// Package cases is the core domain of Habeas: detainees, their cases (with
// charges), lawyers, assignments of lawyers to cases and shares of cases with
// observers. The service (service*.go) takes (ctx, principal, input), asks
// internal/access, runs one transaction and records the audit entry in it; the
// store (store*.go) holds every query, each starting from an access scope.
package cases

import (
	"time"

	"github.com/habeas-org/habeas/internal/record"
)

// OtherName is one more form of a person's name, e.g. {"Ding Jiaxi", "pinyin"}.
type OtherName struct {
	Name string `json:"name"`
	Kind string `json:"kind"`
}

// CrossReference is the record id of the same person in another database.
type CrossReference struct {
	Database string `json:"database"`
	RecordID string `json:"record_id"`
}

// Detainee is a person detained (or believed detained) for political reasons.
// Each partial date is kept as EDTF text plus a sort column (see partialdate).
type Detainee struct {
	ID                     string `gorm:"primaryKey"`
	Name                   string
	OtherNames             record.JSONList[OtherName]
	Sex                    string
	BornAt                 string
	BornAtSort             string
	DiedAt                 string
	DiedAtSort             string
	EthnicGroup            string
	Religion               string
	OccupationCategory     string
	Occupation             string
	HomeProvince           string
	HomePlace              string
	Nationality            string
	Issue                  string
	DetentionStatus        string
	DetentionPlace         string
	FacilityType           string
	HealthConcerns         string
	FamilyContacts         string // confidential
	HomeAddress            string // confidential
	ConfidentialNotes      string // confidential
	CrossReferences        record.JSONList[CrossReference]
	Summary                string
	Source                 string
	SourceReliability      string
	InformationCredibility string
	Search                 string
	Version                int64
	CreatedBy              string
	CreatedAt              time.Time
	UpdatedAt              time.Time
}

// TableName is the detainees table.
func (Detainee) TableName() string { return "detainees" }

// Case is one criminal (or extralegal) case against a detainee.
type Case struct {
	ID                     string `gorm:"primaryKey"`
	DetaineeID             string
	CaseNumbers            record.JSONList[string]
	Title                  string
	Status                 string
	Stage                  string
	DetainingAuthority     string
	InvestigatingAuthority string
	Procuratorate          string
	Court                  string
	DetentionPlace         string
	DetainedAt             string
	DetainedAtSort         string
	RSDLStartAt            string `gorm:"column:rsdl_start_at"`
	RSDLStartAtSort        string `gorm:"column:rsdl_start_at_sort"`
	RSDLEndAt              string `gorm:"column:rsdl_end_at"`
	RSDLEndAtSort          string `gorm:"column:rsdl_end_at_sort"`
	ArrestApprovedAt       string
	ArrestApprovedAtSort   string
	IndictedAt             string
	IndictedAtSort         string
	TrialAt                string
	TrialAtSort            string
	VerdictAt              string
	VerdictAtSort          string
	AppealAt               string
	AppealAtSort           string
	SentenceStartAt        string
	SentenceStartAtSort    string
	SentenceEndAt          string
	SentenceEndAtSort      string
	ReleaseAt              string
	ReleaseAtSort          string
	Sentence               string
	SentenceKind           string
	SentenceTermMonths     *int
	PoliticalRightsMonths  *int
	SentenceInForceAt      string
	SentenceInForceAtSort  string
	UNConsentBy            string `gorm:"column:un_consent_by"` // confidential
	UNConsentAt            string `gorm:"column:un_consent_at"`
	UNConsentAtSort        string `gorm:"column:un_consent_at_sort"`
	UNConsentMethod        string `gorm:"column:un_consent_method"`
	Summary                string
	ConfidentialNotes      string // confidential
	Source                 string
	SourceReliability      string
	InformationCredibility string
	Search                 string
	Version                int64
	CreatedBy              string
	CreatedAt              time.Time
	UpdatedAt              time.Time

	Charges []Charge `gorm:"-"`
}

// TableName is the cases table.
func (Case) TableName() string { return "cases" }

// Charge is one charge of a case.
type Charge struct {
	ID       string `gorm:"primaryKey"`
	CaseID   string
	Position int
	Charge   string
	Detail   string
}

// TableName is the case_charges table.
func (Charge) TableName() string { return "case_charges" }

// Lawyer is a defence lawyer, optionally linked to a user account.
type Lawyer struct {
	ID                string `gorm:"primaryKey"`
	UserID            *string
	Name              string
	OtherNames        record.JSONList[OtherName]
	LawFirm           string
	LicenceNumber     string
	Jurisdiction      string
	LicenceStatus     string
	RiskStatus        record.JSONList[string]
	Contact           string // confidential
	ConfidentialNotes string // confidential
	// Confidential: the lawyer must not be named outside the defence team
	// (issue 25). Observers never see the lawyer nor their assignments;
	// external documents leave them out.
	Confidential bool
	// DetaineeID is the detainee record that is this lawyer (a lawyer who
	// became a detainee, issue 25), or nil.
	DetaineeID *string
	Search     string
	Version    int64
	CreatedBy  string
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// TableName is the lawyers table.
func (Lawyer) TableName() string { return "lawyers" }

// Assignment is a lawyer on a case.
type Assignment struct {
	ID            string `gorm:"primaryKey"`
	CaseID        string
	LawyerID      string
	Role          string
	Status        string
	StartedAt     string
	StartedAtSort string
	EndedAt       string
	EndedAtSort   string
	Notes         string
	Version       int64
	CreatedBy     string
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// TableName is the assignments table.
func (Assignment) TableName() string { return "assignments" }

// Share gives an observer read access to a case until revoked.
type Share struct {
	ID        string `gorm:"primaryKey"`
	CaseID    string
	UserID    string
	CreatedBy string
	CreatedAt time.Time
	RevokedAt *time.Time
	RevokedBy string
}

// TableName is the case_shares table.
func (Share) TableName() string { return "case_shares" }

// Models lists every gorm model of this package (the schema test checks them).
func Models() []any {
	return []any{&Detainee{}, &Case{}, &Charge{}, &Lawyer{}, &Assignment{}, &Share{}, &CustodyPeriod{}}
}
