package cases

import (
	"time"

	"github.com/habeas-org/habeas/internal/record"
)

// Links between cases (issue 25, item 2; docs/case-records.md "Linked
// cases"): the same proceedings (co-defendants tried together), a related
// case, or "the lawyer of this case is the detainee of that one" (a lawyer
// who became a detainee). A link is stored once, from case_id to
// other_case_id, and shown from both cases with its direction resolved for
// the case it is read from.

// Case link kinds.
const (
	LinkSameProceedings = "same_proceedings"
	LinkRelated         = "related"
	LinkLawyerDetained  = "lawyer_detained"
)

// CaseLinkKinds is the vocabulary of kinds of link between two cases.
var CaseLinkKinds = record.Vocabulary{
	{Value: LinkSameProceedings, Label: "Same proceedings"},
	{Value: LinkRelated, Label: "Related case"},
	{Value: LinkLawyerDetained, Label: "A lawyer of this case is the detainee of the other case"},
}

// Directions of a link as read from one of its cases.
const (
	// LinkOutgoing: the link was made from the case it is read from
	// (for lawyer_detained: a lawyer of this case is the other's detainee).
	LinkOutgoing = "outgoing"
	// LinkIncoming: the link was made from the other case (for
	// lawyer_detained: this case's detainee was a lawyer in the other case).
	LinkIncoming = "incoming"
)

// symmetricLink reports whether a link of kind reads the same both ways.
func symmetricLink(kind string) bool { return kind != LinkLawyerDetained }

// CaseLink is one row of case_links.
type CaseLink struct {
	ID          string `gorm:"primaryKey"`
	CaseID      string
	OtherCaseID string
	Kind        string
	Note        string
	Version     int64
	CreatedBy   string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// TableName is the case_links table.
func (CaseLink) TableName() string { return "case_links" }

// CaseLinkCreate is the body of a new link: the other case and the kind.
type CaseLinkCreate struct {
	CaseID *string `json:"case_id"`
	CaseLinkFields
}

// CaseLinkFields are the settable fields of a link. Absent leaves a field
// as is; kind may not be cleared.
type CaseLinkFields struct {
	Kind *string `json:"kind"`
	Note *string `json:"note"`
}

// apply validates in into l.
func (l *CaseLink) apply(in CaseLinkFields, c *record.ChangeSet) {
	c.RequiredVocab(&l.Kind, in.Kind, "kind", CaseLinkKinds)
	c.Text(&l.Note, in.Note, "note", record.MaxShort, false)
}

// CaseLinkView is a link as read from one of its cases.
type CaseLinkView struct {
	ID string `json:"id"`
	// CaseID is the other case (as in the body that creates a link).
	CaseID string `json:"case_id"`
	// OtherCase names the other case for a list.
	OtherCase LinkedCase `json:"other_case"`
	Kind      string     `json:"kind"`
	Direction string     `json:"direction"`
	Note      string     `json:"note"`
	Version   int64      `json:"version"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
}

// LinkedCase is what a link shows of the other case.
type LinkedCase struct {
	ID           string   `json:"id"`
	Title        string   `json:"title"`
	CaseNumbers  []string `json:"case_numbers"`
	DetaineeID   string   `json:"detainee_id"`
	DetaineeName string   `json:"detainee_name"`
	Status       string   `json:"status"`
	Stage        string   `json:"stage"`
}

// View renders l as read from case from; other describes the other case.
func (l *CaseLink) View(from string, other LinkedCase) CaseLinkView {
	v := CaseLinkView{ID: l.ID, CaseID: l.OtherCaseID, Kind: l.Kind, Direction: LinkOutgoing, Note: l.Note,
		Version: l.Version, CreatedAt: l.CreatedAt.UTC(), UpdatedAt: l.UpdatedAt.UTC()}
	if l.OtherCaseID == from {
		v.CaseID, v.Direction = l.CaseID, LinkIncoming
	}
	if other.CaseNumbers == nil {
		other.CaseNumbers = []string{}
	}
	v.OtherCase = other
	return v
}
