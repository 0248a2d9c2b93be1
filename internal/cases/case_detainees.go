package cases

import (
	"strings"
	"time"

	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/record"
)

// Several detainees per case (issue 25, docs/case-records.md "Detainees in
// a case"): the case's own detainee (cases.detainee_id) is its principal
// defendant and stays where it is; the other detainees of the same
// proceedings are linked to the case with a role (case_detainees). A
// detainee linked to a case the caller sees is visible to the caller
// (access.DetaineeIDVisible), never that detainee's other cases.

// CaseDetaineeRoles is the vocabulary of roles of a detainee linked to a
// case. "defendant" is the role of the principal detainee too (answered,
// never stored). "witness" is a detainee held in the proceedings as a
// witness: in the 709 crackdown staff of the Fengrui law firm were held
// under residential surveillance and pressed to testify against the
// lawyers, and a defense team tracks them with the case.
var CaseDetaineeRoles = record.Vocabulary{
	{Value: "defendant", Label: "Defendant"},
	{Value: "co_defendant", Label: "Co-defendant"},
	{Value: "witness", Label: "Detained witness"},
}

// CaseDetainee is one row of case_detainees: a detainee other than the
// principal linked to a case.
type CaseDetainee struct {
	ID         string `gorm:"primaryKey"`
	CaseID     string
	DetaineeID string
	Role       string
	Note       string
	Version    int64
	CreatedBy  string
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// TableName is the case_detainees table.
func (CaseDetainee) TableName() string { return "case_detainees" }

// CaseDetaineeCreate links a detainee to a case.
type CaseDetaineeCreate struct {
	DetaineeID *string `json:"detainee_id"`
	Role       *string `json:"role"`
	Note       *string `json:"note"`
}

// CaseDetaineeFields are the settable fields of a link (the detainee is
// not: unlink and link another).
type CaseDetaineeFields struct {
	Role *string `json:"role"`
	Note *string `json:"note"`
}

// apply validates in into l.
func (l *CaseDetainee) apply(in CaseDetaineeFields, c *record.ChangeSet) {
	c.RequiredVocab(&l.Role, in.Role, "role", CaseDetaineeRoles)
	c.Text(&l.Note, in.Note, "note", record.MaxLong, false)
}

// buildCaseDetainee returns the link CreateCaseDetainee would store for in.
func buildCaseDetainee(id, caseID, createdBy string, at time.Time, in CaseDetaineeCreate) (*CaseDetainee, *record.ChangeSet) {
	l := &CaseDetainee{ID: id, CaseID: caseID, Version: 1, CreatedBy: createdBy, CreatedAt: at, UpdatedAt: at}
	ch := record.NewChangeSet()
	if in.DetaineeID == nil || strings.TrimSpace(*in.DetaineeID) == "" {
		ch.FailCode("detainee_id", apperr.FieldRequired, "required")
	} else {
		l.DetaineeID = strings.TrimSpace(*in.DetaineeID)
		ch.Set("detainee_id", l.DetaineeID, false)
	}
	if in.Role == nil {
		ch.FailCode("role", apperr.FieldRequired, "required")
	}
	l.apply(CaseDetaineeFields{Role: in.Role, Note: in.Note}, ch)
	return l, ch
}

// CaseDetaineePerson is the detainee of a link: its name forms, as every
// caller who sees the case may see them.
type CaseDetaineePerson struct {
	ID         string      `json:"id"`
	Name       string      `json:"name"`
	OtherNames []OtherName `json:"other_names"`
}

// CaseDetaineeView is a detainee of a case as the API answers it: the
// principal detainee (principal true, role "defendant", no version: it is
// the case's own detainee, changed on the case) or a linked one.
type CaseDetaineeView struct {
	CaseID     string             `json:"case_id"`
	DetaineeID string             `json:"detainee_id"`
	Role       string             `json:"role"`
	Note       string             `json:"note"`
	Principal  bool               `json:"principal"`
	Detainee   CaseDetaineePerson `json:"detainee"`
	Version    *int64             `json:"version"`
	CreatedAt  *time.Time         `json:"created_at"`
	UpdatedAt  *time.Time         `json:"updated_at"`
}

// view renders l with its detainee d.
func (l *CaseDetainee) view(d *Detainee) CaseDetaineeView {
	v, c, u := l.Version, l.CreatedAt.UTC(), l.UpdatedAt.UTC()
	return CaseDetaineeView{CaseID: l.CaseID, DetaineeID: l.DetaineeID, Role: l.Role, Note: l.Note,
		Detainee: personOf(l.DetaineeID, d), Version: &v, CreatedAt: &c, UpdatedAt: &u}
}

// principalView renders the principal detainee d of case caseID.
func principalView(caseID, detaineeID string, d *Detainee) CaseDetaineeView {
	return CaseDetaineeView{CaseID: caseID, DetaineeID: detaineeID, Role: "defendant", Principal: true, Detainee: personOf(detaineeID, d)}
}

func personOf(id string, d *Detainee) CaseDetaineePerson {
	if d == nil {
		return CaseDetaineePerson{ID: id, OtherNames: []OtherName{}}
	}
	return CaseDetaineePerson{ID: d.ID, Name: d.Name, OtherNames: orEmpty(d.OtherNames)}
}

// CoDefendantCase is a case where a detainee is linked (not the principal),
// as the detainee's record lists it (only cases the caller sees).
type CoDefendantCase struct {
	CaseID       string `json:"case_id"`
	Title        string `json:"title"`
	Status       string `json:"status"`
	Role         string `json:"role"`
	DetaineeID   string `json:"principal_detainee_id"`
	DetaineeName string `json:"principal_detainee_name"`
}

// MaxCoDefendantCases bounds the co-defendant cases a detainee's record
// lists (the case list filtered by detainee_id has them all).
const MaxCoDefendantCases = 50

// NewCaseDetainee validates in and returns the link it makes (the case
// JSON import, which checks that the detainee exists in its transaction).
func NewCaseDetainee(id, caseID, createdBy string, at time.Time, in CaseDetaineeCreate) (*CaseDetainee, error) {
	l, ch := buildCaseDetainee(id, caseID, createdBy, at, in)
	return l, ch.Err()
}
