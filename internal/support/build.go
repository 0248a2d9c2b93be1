package support

import (
	"time"

	"github.com/habeas-org/habeas/internal/record"
)

// Builders: the rows the create operations store, from the same input by the
// same validation, without a transaction, reference checks or an audit
// entry. The service uses them; so does the bulk loader of generated data
// (internal/seed), whose rows must be exactly those the API would write.

// NewPartner returns the partner CreatePartner would store for in (users
// are linked separately).
func NewPartner(id, createdBy string, at time.Time, in PartnerFields) (*Partner, error) {
	pt, ch := buildPartner(id, createdBy, at, in)
	return pt, ch.Err()
}

func buildPartner(id, createdBy string, at time.Time, in PartnerFields) (*Partner, *record.ChangeSet) {
	pt := &Partner{ID: id, Version: 1, CreatedBy: createdBy, CreatedAt: at, UpdatedAt: at}
	ch := newChanges()
	if in.Name == nil {
		ch.Fail("name", "required")
	}
	if in.Kind == nil {
		ch.Fail("kind", "required")
	}
	pt.apply(in, ch)
	return pt, ch
}

// NewAction returns the support action CreateAction would store for in on
// the given day (requested_at defaults to today, YYYY-MM-DD in China): status
// proposed, or assigned when an assignee is named. The assignee references
// are not checked here.
func NewAction(id, caseID, createdBy string, at time.Time, today string, in ActionFields) (*Action, error) {
	a, ch := buildAction(id, caseID, createdBy, at, today, in)
	if err := ch.Err(); err != nil {
		return nil, err
	}
	assignIfNamed(a)
	return a, nil
}

func buildAction(id, caseID, createdBy string, at time.Time, today string, in ActionFields) (*Action, *record.ChangeSet) {
	a := &Action{ID: id, CaseID: caseID, Status: Proposed, Priority: "normal", EvidenceIDs: []string{},
		Version: 1, CreatedBy: createdBy, CreatedAt: at, UpdatedAt: at, RequestedAt: today}
	ch := newChanges()
	if in.Type == nil {
		ch.Fail("type", "required")
	} else if in.Confidential == nil {
		a.Confidential = isFunding(*in.Type) // a grant to a family is confidential unless said otherwise
	}
	a.apply(in, ch)
	a.check(ch)
	return a, ch
}

// assignIfNamed moves a new action with an assignee to assigned.
func assignIfNamed(a *Action) {
	if a.AssigneeUserID != nil || a.AssigneePartnerID != nil {
		a.Status = Assigned
	}
}

// NewChange returns the history row of a status the action entered (from
// "" on creation), by `by` at a.UpdatedAt.
func NewChange(id string, a *Action, from Status, by string) *Change {
	return &Change{ID: id, ActionID: a.ID, CaseID: a.CaseID, FromStatus: from, ToStatus: a.Status,
		ChangedBy: by, ChangedAt: a.UpdatedAt}
}
