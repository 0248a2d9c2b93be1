package cases

import (
	"time"

	"github.com/habeas-org/habeas/internal/record"
)

// Builders: the rows the create operations store, made from the same input
// structs by the same validation and normalisation (search column, partial
// date sort keys), without a transaction or an audit entry. The services use
// them; so does the bulk loader of generated data (internal/seed), whose rows
// must be exactly those the API would have written.

// NewDetainee returns the detainee CreateDetainee would store for in.
func NewDetainee(id, createdBy string, at time.Time, in DetaineeFields) (*Detainee, error) {
	d, ch := buildDetainee(id, createdBy, at, in)
	return d, ch.Err()
}

func buildDetainee(id, createdBy string, at time.Time, in DetaineeFields) (*Detainee, *record.ChangeSet) {
	d := &Detainee{ID: id, Version: 1, CreatedBy: createdBy, CreatedAt: at, UpdatedAt: at}
	ch := record.NewChangeSet()
	d.apply(in, ch)
	return d, ch
}

// NewCase returns the case CreateCase would store for in (status open unless
// set), its charges numbered and given ids by chargeID.
func NewCase(id, detaineeID, createdBy string, at time.Time, in CaseFields, chargeID func() string) (*Case, error) {
	c, ch := buildCase(id, createdBy, at, in)
	if err := ch.Err(); err != nil {
		return nil, err
	}
	c.DetaineeID = detaineeID
	numberCharges(c, chargeID)
	return c, nil
}

func buildCase(id, createdBy string, at time.Time, in CaseFields) (*Case, *record.ChangeSet) {
	c := &Case{ID: id, Status: "open", Version: 1, CreatedBy: createdBy, CreatedAt: at, UpdatedAt: at}
	ch := record.NewChangeSet()
	c.apply(in, ch)
	return c, ch
}

// numberCharges gives each charge of c its id, case and position.
func numberCharges(c *Case, chargeID func() string) {
	for i := range c.Charges {
		c.Charges[i].ID = chargeID()
		c.Charges[i].CaseID = c.ID
		c.Charges[i].Position = i
	}
}

// NewLawyer returns the lawyer CreateLawyer would store for in. The user
// link (in.UserID) is not checked here: the caller links only enabled users
// of role lawyer, each to one lawyer.
func NewLawyer(id, createdBy string, at time.Time, in LawyerFields) (*Lawyer, error) {
	l, ch := buildLawyer(id, createdBy, at, in)
	if err := ch.Err(); err != nil {
		return nil, err
	}
	if in.UserID != nil && *in.UserID != "" {
		u := *in.UserID
		l.UserID = &u
	}
	return l, nil
}

func buildLawyer(id, createdBy string, at time.Time, in LawyerFields) (*Lawyer, *record.ChangeSet) {
	l := &Lawyer{ID: id, Version: 1, CreatedBy: createdBy, CreatedAt: at, UpdatedAt: at}
	ch := record.NewChangeSet()
	l.apply(in, ch)
	return l, ch
}

// NewAssignment returns the assignment CreateAssignment would store for in
// (status active unless set; role required).
func NewAssignment(id, caseID, lawyerID, createdBy string, at time.Time, in AssignmentFields) (*Assignment, error) {
	a, ch := buildAssignment(id, caseID, lawyerID, createdBy, at, in)
	return a, ch.Err()
}

func buildAssignment(id, caseID, lawyerID, createdBy string, at time.Time, in AssignmentFields) (*Assignment, *record.ChangeSet) {
	a := &Assignment{ID: id, CaseID: caseID, LawyerID: lawyerID, Status: "active", Version: 1, CreatedBy: createdBy, CreatedAt: at, UpdatedAt: at}
	ch := record.NewChangeSet()
	if in.Role == nil {
		ch.Fail("role", "required")
	}
	a.apply(in, ch)
	return a, ch
}
