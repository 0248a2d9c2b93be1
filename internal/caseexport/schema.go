// Package caseexport exports a case's full record as one JSON document
// (schema habeas.case-export/1, docs/case-export.md) for other tools and
// for another Habeas, imports such a document as a new case, and exports
// the list of cases a caller may see as CSV (issue 25, item 5).
//
// The export holds what the caller may see through the API, in the API's
// own shapes (the views of internal/cases, timeline, evidence): the same
// access as the case (404 when not visible), the same confidentiality
// (observers get no confidential field or row). The import builds every
// row with the builders the create operations use, so a field an export
// carries is validated exactly as a create of it would be.
package caseexport

import (
	"time"

	"github.com/habeas-org/habeas/internal/cases"
	"github.com/habeas-org/habeas/internal/deadlines"
	"github.com/habeas-org/habeas/internal/evidence"
	"github.com/habeas-org/habeas/internal/timeline"
)

// Schema is the name and version of the export document. A change that
// an importer of version 1 would misread gets a new version.
const Schema = "habeas.case-export/1"

// Header is the part of the document before its sections: the schema,
// when and by which role it was made, and whether confidential fields and
// rows are included.
type Header struct {
	Schema               string    `json:"schema"`
	ExportedAt           time.Time `json:"exported_at"`
	ExportedByRole       string    `json:"exported_by_role"`
	ConfidentialIncluded bool      `json:"confidential_included"`
}

// SupportAction is a support action of the case as exported: its content
// and status. The assignee (an account or partner of the exporting
// instance) is not exported.
type SupportAction struct {
	ID          string    `json:"id"`
	Type        string    `json:"type"`
	Status      string    `json:"status"`
	Priority    string    `json:"priority"`
	Addressee   string    `json:"addressee"`
	Description string    `json:"description"`
	RequestedAt *string   `json:"requested_at"`
	DueAt       *string   `json:"due_at"`
	Response    string    `json:"response"`
	Impact      string    `json:"impact"`
	Notes       string    `json:"notes"`
	Amount      *string   `json:"amount"`
	Currency    *string   `json:"currency"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// CampaignRef is a campaign the case belongs to (docs/campaigns.md): the
// import joins the campaign of that id when the target has it, and lists
// it as skipped otherwise.
type CampaignRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// ExportLink is a link of the case to another case as exported: the other
// case's id (in the exporting instance), the kind, and the direction read
// from the exported case (docs/case-records.md "Linked cases").
type ExportLink struct {
	CaseID    string `json:"case_id"`
	Kind      string `json:"kind"`
	Direction string `json:"direction"`
	Note      string `json:"note"`
}

// SkippedRecord is a reference of the document to a record outside the
// case that the import did not recreate, and why: a link to a case, or a
// lawyer's detainee record, that is not in the target instance.
type SkippedRecord struct {
	Path   string `json:"path"`
	ID     string `json:"id"`
	Reason string `json:"reason"`
}

// Document is the whole export, in the order it is written. Events come
// last: they are streamed in batches (the other sections are read whole).
type Document struct {
	Header
	Detainee  cases.DetaineeView     `json:"detainee"`
	Case      cases.CaseView         `json:"case"`
	Campaigns []CampaignRef          `json:"campaigns"`
	Relatives []cases.RelativeRecord `json:"relatives"`
	// Detainees are the other detainees linked to the case (co-defendants,
	// issue 25), not the case's own detainee: references to records outside
	// the case, recreated on import when the detainee exists there.
	Detainees        []cases.CaseDetaineeView    `json:"detainees"`
	Lawyers          []cases.LawyerView          `json:"lawyers"`
	Assignments      []cases.AssignmentView      `json:"assignments"`
	CustodyPeriods   []cases.CustodyPeriodView   `json:"custody_periods"`
	UNCommunications []cases.UNCommunicationView `json:"un_communications"`
	Links            []ExportLink                `json:"links"`
	Hearings         []timeline.HearingView      `json:"hearings"`
	SupportActions   []SupportAction             `json:"support_actions"`
	Evidence         []evidence.View             `json:"evidence"`
	TimeLimits       []deadlines.Item            `json:"time_limits"`
	Events           []timeline.EventView        `json:"events"`
}
