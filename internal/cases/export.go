package cases

import (
	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/access"
	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/record"
)

// AssignedLawyer is a lawyer with their assignment to a case.
type AssignedLawyer struct {
	Lawyer     Lawyer
	Assignment Assignment
}

// CaseRecords are the records of one case that a document export (the PDF
// dossier) shows: the case with its charges, its detainee, every lawyer
// ever assigned to it, its custody periods (by start) and its UN
// communications (by date transmitted; confidential ones of both only for
// a p who may read them).
type CaseRecords struct {
	Case     Case
	Detainee Detainee
	Lawyers  []AssignedLawyer
	Custody  []CustodyPeriod
	UN       []UNCommunication
	// Detainees are the other detainees linked to the case (co-defendants,
	// issue 25), in the order they were linked, with their name forms.
	Detainees []CaseDetaineeView
}

// LoadCaseRecords reads, inside tx, the case caseID as p may see it (a case
// p may not see is not found) with its detainee, charges and assigned
// lawyers. It records no audit entry: the caller audits the export in tx.
// Confidential fields are returned as stored; the caller leaves them out of
// what it shows when the audience may not see them.
func LoadCaseRecords(tx *gorm.DB, p *actor.Principal, caseID string) (*CaseRecords, error) {
	c, err := findCase(tx, p, caseID)
	if err != nil {
		return nil, err
	}
	var d Detainee
	if err := tx.Where("id = ?", c.DetaineeID).Take(&d).Error; err != nil {
		return nil, record.NotFound(err, "detainee")
	}
	var as []Assignment
	q := record.Where(tx, access.AssignmentVisible(p, "assignments")).Where("assignments.case_id = ?", c.ID)
	if err := q.Order("assignments.started_at_sort, assignments.id").Find(&as).Error; err != nil {
		return nil, err
	}
	custody, err := CustodyPeriodsTx(tx, p, []string{c.ID})
	if err != nil {
		return nil, err
	}
	out := &CaseRecords{Case: *c, Detainee: d, Custody: custody[c.ID]}
	err = record.Where(tx, access.UNCommunicationVisible(p, "un_communications")).
		Where("un_communications.case_id = ? AND un_communications.deleted_at IS NULL", c.ID).
		Order("un_communications.transmitted_at, un_communications.submitted_at, un_communications.id").Find(&out.UN).Error
	if err != nil {
		return nil, err
	}
	linked, err := CaseDetaineesOf(tx, []string{c.ID})
	if err != nil {
		return nil, err
	}
	out.Detainees = linked[c.ID]
	if len(as) == 0 {
		return out, nil
	}
	ids := make([]string, 0, len(as))
	for _, a := range as {
		ids = append(ids, a.LawyerID)
	}
	var ls []Lawyer
	if err := tx.Where("id IN ?", ids).Find(&ls).Error; err != nil {
		return nil, err
	}
	byID := make(map[string]Lawyer, len(ls))
	for _, l := range ls {
		byID[l.ID] = l
	}
	for _, a := range as {
		out.Lawyers = append(out.Lawyers, AssignedLawyer{Lawyer: byID[a.LawyerID], Assignment: a})
	}
	return out, nil
}
