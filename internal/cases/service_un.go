package cases

import (
	"context"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/access"
	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/record"
)

// ---- UN communications ----
//
// Who may do what is the rule of the case's other records
// (access.UNCommunicationVisible, access.MayEditUNCommunications):
// everyone who sees the case reads its communications, observers only the
// non-confidential ones of the cases shared with them (a confidential one
// is not found for them); admins, coordinators and the case's lawyers
// write them.

var errEditUN = apperr.New(apperr.ErrForbidden, "forbidden", "your role may not change the UN communications of this case")

// CreateUNCommunication records a UN communication of the case (admin,
// coordinator, a lawyer of the case).
func (s *Service) CreateUNCommunication(ctx context.Context, p *actor.Principal, caseID string, in UNCommunicationFields) (UNCommunicationView, error) {
	return record.Write(ctx, s.Kit, p, func(tx *gorm.DB) (UNCommunicationView, error) {
		if err := record.CaseVisible(tx, p, caseID); err != nil {
			return UNCommunicationView{}, err
		}
		if !access.MayEditUNCommunications(p) {
			return UNCommunicationView{}, errEditUN
		}
		u, ch := buildUNCommunication(record.NewID(), caseID, p.UserID, s.Now(), in)
		if err := ch.Err(); err != nil {
			return UNCommunicationView{}, err
		}
		if err := tx.Create(u).Error; err != nil {
			return UNCommunicationView{}, err
		}
		return s.unWritten(ctx, tx, p, u, "un_communication.create", ch.Details())
	})
}

// GetUNCommunication returns a UN communication of a case p may see.
func (s *Service) GetUNCommunication(ctx context.Context, p *actor.Principal, caseID, id string) (UNCommunicationView, error) {
	return record.Read(ctx, s.Kit, p, func(tx *gorm.DB) (UNCommunicationView, error) {
		u, err := findUNCommunication(tx, p, caseID, id)
		if err != nil {
			return UNCommunicationView{}, err
		}
		return u.View(), nil
	})
}

// UpdateUNCommunication changes a UN communication if version is current
// (admin, coordinator, a lawyer of the case).
func (s *Service) UpdateUNCommunication(ctx context.Context, p *actor.Principal, caseID, id string, version int64, in UNCommunicationFields) (UNCommunicationView, error) {
	return record.Write(ctx, s.Kit, p, func(tx *gorm.DB) (UNCommunicationView, error) {
		u, err := findUNCommunication(tx, p, caseID, id)
		if err != nil {
			return UNCommunicationView{}, err
		}
		if !access.MayEditUNCommunications(p) {
			return UNCommunicationView{}, errEditUN
		}
		if u.Version != version {
			return UNCommunicationView{}, record.ErrStale
		}
		ch := record.NewChangeSet()
		u.apply(in, ch)
		if err := ch.Err(); err != nil {
			return UNCommunicationView{}, err
		}
		if ch.Empty() { // nothing to change: the record as it is, no new version, no audit entry
			return u.View(), nil
		}
		u.Version, u.UpdatedAt = version+1, s.Now()
		if err := record.SaveVersioned(tx, u, version); err != nil {
			return UNCommunicationView{}, err
		}
		return s.unWritten(ctx, tx, p, u, "un_communication.update", ch.Details())
	})
}

// DeleteUNCommunication removes a UN communication recorded in error if
// version is current (admin, coordinator, a lawyer of the case). It is a
// soft delete: the row stays, out of every list, and the audit trail
// keeps what was recorded.
func (s *Service) DeleteUNCommunication(ctx context.Context, p *actor.Principal, caseID, id string, version int64) error {
	return s.Do(ctx, p, func(tx *gorm.DB) error {
		u, err := findUNCommunication(tx, p, caseID, id)
		if err != nil {
			return err
		}
		if !access.MayEditUNCommunications(p) {
			return errEditUN
		}
		if u.Version != version {
			return record.ErrStale
		}
		now := s.Now()
		res := tx.Model(&UNCommunication{}).Where("id = ? AND version = ? AND deleted_at IS NULL", u.ID, version).
			Updates(map[string]any{"deleted_at": now, "updated_at": now, "version": version + 1})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return record.ErrStale
		}
		return s.Record(ctx, tx, p, audit.Entry{Action: "un_communication.delete", ObjectType: "un_communication", ObjectID: u.ID,
			CaseID: u.CaseID, Details: map[string]any{"kind": u.Kind, "version": version}})
	})
}

// ListUNCommunications lists the UN communications of a case p may see,
// by transmission (sort transmitted_at or created, "-" for descending).
func (s *Service) ListUNCommunications(ctx context.Context, p *actor.Principal, caseID string, o record.ListOptions) (record.Page[UNCommunicationView], error) {
	return record.Read(ctx, s.Kit, p, func(tx *gorm.DB) (record.Page[UNCommunicationView], error) {
		if err := record.CaseVisible(tx, p, caseID); err != nil {
			return record.Page[UNCommunicationView]{}, err
		}
		page, err := listUNCommunications(tx, p, caseID, o)
		return record.Map(page, func(u *UNCommunication) UNCommunicationView { return u.View() }), err
	})
}

// unWritten records the audit entry of a change to u and answers u.
func (s *Service) unWritten(ctx context.Context, tx *gorm.DB, p *actor.Principal, u *UNCommunication, action string, details map[string]any) (UNCommunicationView, error) {
	details["version"] = u.Version
	if err := s.Record(ctx, tx, p, audit.Entry{Action: action, ObjectType: "un_communication", ObjectID: u.ID, CaseID: u.CaseID, Details: details}); err != nil {
		return UNCommunicationView{}, err
	}
	return u.View(), nil
}

// findUNCommunication is the live communication id of caseID, if p may see it.
func findUNCommunication(tx *gorm.DB, p *actor.Principal, caseID, id string) (*UNCommunication, error) {
	var u UNCommunication
	err := record.Where(tx, access.UNCommunicationVisible(p, "un_communications")).
		Where("un_communications.case_id = ? AND un_communications.id = ? AND un_communications.deleted_at IS NULL", caseID, id).Take(&u).Error
	if err != nil {
		return nil, record.NotFound(err, "un_communication")
	}
	return &u, nil
}

// unList is the keyset of a case's UN communications, by transmission.
var unList = record.Keyset[UNCommunication]{
	Table: "un_communications",
	Sorts: record.Sorts[UNCommunication]{
		"transmitted_at": {Column: "un_communications.transmitted_at", Value: func(u *UNCommunication) string { return u.TransmittedAt }},
		"created":        {Column: "un_communications.id", Value: func(u *UNCommunication) string { return u.ID }},
	},
	DefaultSort: "transmitted_at", ID: func(u *UNCommunication) string { return u.ID }, Count: true,
}

func listUNCommunications(tx *gorm.DB, p *actor.Principal, caseID string, o record.ListOptions) (record.Page[UNCommunication], error) {
	base := func() *gorm.DB {
		return record.Where(tx.Model(&UNCommunication{}), access.UNCommunicationVisible(p, "un_communications")).
			Where("un_communications.case_id = ? AND un_communications.deleted_at IS NULL", caseID)
	}
	return unList.Page(base, o)
}
