package cases

import (
	"context"
	"errors"
	"strings"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/access"
	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/audit"
)

// ---- lawyers ----

// setLawyerUser validates and applies the user link of a lawyer: a user of
// role lawyer, not linked to another lawyer record.
func setLawyerUser(tx *gorm.DB, l *Lawyer, v *string, ch *changeSet) error {
	if v == nil {
		return nil
	}
	id := strings.TrimSpace(*v)
	cur := ""
	if l.UserID != nil {
		cur = *l.UserID
	}
	if id == cur {
		return nil
	}
	if id == "" {
		l.UserID = nil
		ch.record("user_id", nil, false)
		return nil
	}
	role, err := userRole(tx, id)
	if err != nil {
		return err
	}
	if role != string(actor.Lawyer) {
		return apperr.Field("user_id", "not an enabled user with role lawyer")
	}
	n, err := countWhere(tx, &Lawyer{}, "user_id = ? AND id <> ?", id, l.ID)
	if err != nil {
		return err
	}
	if n > 0 {
		return apperr.New(apperr.ErrConflict, "user_already_linked", "this user is already linked to another lawyer")
	}
	l.UserID = &id
	ch.record("user_id", id, false)
	return nil
}

// CreateLawyer records a lawyer (admin, coordinator).
func (s *Service) CreateLawyer(ctx context.Context, p *actor.Principal, in LawyerFields) (LawyerView, error) {
	var out LawyerView
	if err := authenticated(p); err != nil {
		return out, err
	}
	if !access.Manages(p) {
		return out, errManage
	}
	if in.Name == nil {
		return out, apperr.Field("name", "required")
	}
	l, ch := buildLawyer(newID(), p.UserID, s.now(), in)
	if err := ch.err(); err != nil {
		return out, err
	}
	err := s.tx(ctx, p, func(tx *gorm.DB) error {
		if err := setLawyerUser(tx, l, in.UserID, ch); err != nil {
			return err
		}
		if err := tx.Create(l).Error; err != nil {
			return err
		}
		out = l.View(p)
		return s.record(ctx, tx, p, audit.Entry{Action: "lawyer.create", ObjectType: "lawyer", ObjectID: l.ID, Details: ch.details()})
	})
	return out, err
}

// GetLawyer returns a lawyer p may see.
func (s *Service) GetLawyer(ctx context.Context, p *actor.Principal, id string) (LawyerView, error) {
	var out LawyerView
	err := s.readTx(ctx, p, func(tx *gorm.DB) error {
		l, err := findLawyer(tx, p, id)
		if err != nil {
			return err
		}
		out = l.View(p)
		return s.record(ctx, tx, p, audit.Entry{Action: "lawyer.read", ObjectType: "lawyer", ObjectID: l.ID})
	})
	return out, err
}

// UpdateLawyer changes a lawyer if version is current (admin, coordinator).
func (s *Service) UpdateLawyer(ctx context.Context, p *actor.Principal, id string, version int64, in LawyerFields) (LawyerView, error) {
	var out LawyerView
	err := s.tx(ctx, p, func(tx *gorm.DB) error {
		l, err := findLawyer(tx, p, id)
		if err != nil {
			return err
		}
		if !access.Manages(p) {
			return errManage
		}
		if l.Version != version {
			return staleVersion
		}
		ch := newChangeSet()
		l.apply(in, ch)
		if err := ch.err(); err != nil {
			return err
		}
		if err := setLawyerUser(tx, l, in.UserID, ch); err != nil {
			return err
		}
		if ch.empty() { // nothing to change: answer the record as it is, no new version, no audit entry
			out = l.View(p)
			return nil
		}
		l.Version, l.UpdatedAt = version+1, s.now()
		if err := saveVersioned(tx, l, version); err != nil {
			return err
		}
		out = l.View(p)
		return s.record(ctx, tx, p, audit.Entry{Action: "lawyer.update", ObjectType: "lawyer", ObjectID: l.ID, Details: ch.details()})
	})
	return out, err
}

// DeleteLawyer removes a lawyer without assignments (admin, coordinator).
func (s *Service) DeleteLawyer(ctx context.Context, p *actor.Principal, id string) error {
	return s.tx(ctx, p, func(tx *gorm.DB) error {
		l, err := findLawyer(tx, p, id)
		if err != nil {
			return err
		}
		if !access.Manages(p) {
			return errManage
		}
		n, err := countWhere(tx, &Assignment{}, "lawyer_id = ?", l.ID)
		if err != nil {
			return err
		}
		if n > 0 {
			return apperr.New(apperr.ErrConflict, "lawyer_has_assignments", "the lawyer has assignments; end them instead")
		}
		if err := tx.Delete(&Lawyer{}, "id = ?", l.ID).Error; err != nil {
			return err
		}
		return s.record(ctx, tx, p, audit.Entry{Action: "lawyer.delete", ObjectType: "lawyer", ObjectID: l.ID})
	})
}

// ListLawyers lists the lawyers p may see.
func (s *Service) ListLawyers(ctx context.Context, p *actor.Principal, f LawyerFilter) (Page[LawyerView], error) {
	var out Page[LawyerView]
	if err := checkVocab("licence_status", f.LicenceStatus, LicenceStatuses); err != nil {
		return out, err
	}
	err := s.readTx(ctx, p, func(tx *gorm.DB) error {
		page, err := listLawyers(tx, p, f)
		if err != nil {
			return err
		}
		rows := page.rows
		out.Items = make([]LawyerView, 0, len(rows))
		for i := range rows {
			out.Items = append(out.Items, rows[i].View(p))
		}
		out.NextCursor, out.Total, out.TotalCapped = page.next, page.total, page.capped
		return nil
	})
	return out, err
}

// ---- assignments ----

// CreateAssignment assigns a lawyer to a case (admin, coordinator).
func (s *Service) CreateAssignment(ctx context.Context, p *actor.Principal, caseID string, in AssignmentCreate) (AssignmentView, error) {
	var out AssignmentView
	err := s.tx(ctx, p, func(tx *gorm.DB) error {
		c, err := findCase(tx, p, caseID)
		if err != nil {
			return err
		}
		if !access.Manages(p) {
			return errManage
		}
		l, err := findLawyer(tx, p, in.LawyerID)
		if errors.Is(err, apperr.ErrNotFound) {
			return apperr.Field("lawyer_id", "no such lawyer")
		} else if err != nil {
			return err
		}
		a, ch := buildAssignment(newID(), c.ID, l.ID, p.UserID, s.now(), in.AssignmentFields)
		if err := ch.err(); err != nil {
			return err
		}
		if a.Status == "active" {
			n, err := countWhere(tx, &Assignment{}, "case_id = ? AND lawyer_id = ? AND status = 'active'", c.ID, l.ID)
			if err != nil {
				return err
			}
			if n > 0 {
				return apperr.New(apperr.ErrConflict, "already_assigned", "the lawyer already has an active assignment on this case")
			}
		}
		if err := tx.Create(a).Error; err != nil {
			return err
		}
		det := ch.details()
		det["lawyer_id"], det["status"] = l.ID, a.Status
		out = a.View(l.Name)
		return s.record(ctx, tx, p, audit.Entry{Action: "assignment.create", ObjectType: "assignment", ObjectID: a.ID, CaseID: c.ID, Details: det})
	})
	return out, err
}

// GetAssignment returns an assignment of a case p may see.
func (s *Service) GetAssignment(ctx context.Context, p *actor.Principal, caseID, id string) (AssignmentView, error) {
	var out AssignmentView
	err := s.tx(ctx, p, func(tx *gorm.DB) error {
		a, err := findAssignment(tx, p, caseID, id)
		if err != nil {
			return err
		}
		name, err := lawyerName(tx, a.LawyerID)
		out = a.View(name)
		return err
	})
	return out, err
}

// UpdateAssignment changes an assignment if version is current (admin, coordinator).
func (s *Service) UpdateAssignment(ctx context.Context, p *actor.Principal, caseID, id string, version int64, in AssignmentFields) (AssignmentView, error) {
	var out AssignmentView
	err := s.tx(ctx, p, func(tx *gorm.DB) error {
		a, err := findAssignment(tx, p, caseID, id)
		if err != nil {
			return err
		}
		if !access.Manages(p) {
			return errManage
		}
		if a.Version != version {
			return staleVersion
		}
		ch := newChangeSet()
		a.apply(in, ch)
		if err := ch.err(); err != nil {
			return err
		}
		if ch.empty() { // nothing to change: answer the record as it is, no new version, no audit entry
			name, err := lawyerName(tx, a.LawyerID)
			out = a.View(name)
			return err
		}
		a.Version, a.UpdatedAt = version+1, s.now()
		if err := saveVersioned(tx, a, version); err != nil {
			return err
		}
		name, err := lawyerName(tx, a.LawyerID)
		if err != nil {
			return err
		}
		out = a.View(name)
		return s.record(ctx, tx, p, audit.Entry{Action: "assignment.update", ObjectType: "assignment", ObjectID: a.ID, CaseID: a.CaseID, Details: ch.details()})
	})
	return out, err
}

// DeleteAssignment removes an assignment recorded in error (admin, coordinator);
// an assignment that ended is updated, not deleted.
func (s *Service) DeleteAssignment(ctx context.Context, p *actor.Principal, caseID, id string) error {
	return s.tx(ctx, p, func(tx *gorm.DB) error {
		a, err := findAssignment(tx, p, caseID, id)
		if err != nil {
			return err
		}
		if !access.Manages(p) {
			return errManage
		}
		if err := tx.Delete(&Assignment{}, "id = ?", a.ID).Error; err != nil {
			return err
		}
		return s.record(ctx, tx, p, audit.Entry{Action: "assignment.delete", ObjectType: "assignment", ObjectID: a.ID, CaseID: a.CaseID,
			Details: map[string]any{"lawyer_id": a.LawyerID}})
	})
}

// ListAssignments lists the assignments of a case p may see.
func (s *Service) ListAssignments(ctx context.Context, p *actor.Principal, caseID string, o ListOptions) (Page[AssignmentView], error) {
	var out Page[AssignmentView]
	err := s.readTx(ctx, p, func(tx *gorm.DB) error {
		c, err := findCase(tx, p, caseID)
		if err != nil {
			return err
		}
		page, err := listAssignments(tx, c.ID, o)
		if err != nil {
			return err
		}
		rows := page.rows
		ids := make([]string, 0, len(rows))
		for _, r := range rows {
			ids = append(ids, r.LawyerID)
		}
		names, err := lawyerNames(tx, ids)
		if err != nil {
			return err
		}
		out.Items = make([]AssignmentView, 0, len(rows))
		for i := range rows {
			out.Items = append(out.Items, rows[i].View(names[rows[i].LawyerID]))
		}
		out.NextCursor, out.Total, out.TotalCapped = page.next, page.total, page.capped
		return nil
	})
	return out, err
}

// ---- shares ----

// CreateShare shares a case read-only with an observer (admin, coordinator).
func (s *Service) CreateShare(ctx context.Context, p *actor.Principal, caseID string, in ShareCreate) (ShareView, error) {
	var out ShareView
	err := s.tx(ctx, p, func(tx *gorm.DB) error {
		c, err := findCase(tx, p, caseID)
		if err != nil {
			return err
		}
		if !access.Manages(p) {
			return errManage
		}
		uid := strings.TrimSpace(in.UserID)
		if uid == "" {
			return apperr.Field("user_id", "required")
		}
		role, err := userRole(tx, uid)
		if err != nil {
			return err
		}
		if role != string(actor.Observer) {
			return apperr.Field("user_id", "not an enabled user with role observer")
		}
		n, err := countWhere(tx, &Share{}, "case_id = ? AND user_id = ? AND revoked_at IS NULL", c.ID, uid)
		if err != nil {
			return err
		}
		if n > 0 {
			return apperr.New(apperr.ErrConflict, "already_shared", "the case is already shared with this user")
		}
		sh := &Share{ID: newID(), CaseID: c.ID, UserID: uid, CreatedBy: p.UserID, CreatedAt: s.now()}
		if err := tx.Create(sh).Error; err != nil {
			return err
		}
		out = sh.View()
		return s.record(ctx, tx, p, audit.Entry{Action: "share.create", ObjectType: "share", ObjectID: sh.ID, CaseID: c.ID,
			Details: map[string]any{"user_id": uid}})
	})
	return out, err
}

// ListShares lists the shares (active and revoked) of a case (admin, coordinator).
func (s *Service) ListShares(ctx context.Context, p *actor.Principal, caseID string, o ListOptions) (Page[ShareView], error) {
	var out Page[ShareView]
	err := s.readTx(ctx, p, func(tx *gorm.DB) error {
		c, err := findCase(tx, p, caseID)
		if err != nil {
			return err
		}
		if !access.MaySeeShares(p) {
			return errNoShare
		}
		page, err := listShares(tx, c.ID, o)
		if err != nil {
			return err
		}
		rows := page.rows
		out.Items = make([]ShareView, 0, len(rows))
		for i := range rows {
			out.Items = append(out.Items, rows[i].View())
		}
		out.NextCursor, out.Total, out.TotalCapped = page.next, page.total, page.capped
		return nil
	})
	return out, err
}

// RevokeShare ends a share (admin, coordinator); the observer loses access at once.
func (s *Service) RevokeShare(ctx context.Context, p *actor.Principal, caseID, id string) error {
	return s.tx(ctx, p, func(tx *gorm.DB) error {
		sh, err := findShare(tx, p, caseID, id)
		if err != nil {
			return err
		}
		if !access.Manages(p) {
			return errManage
		}
		if sh.RevokedAt != nil {
			return apperr.New(apperr.ErrConflict, "share_revoked", "the share is already revoked")
		}
		now := s.now()
		res := tx.Model(&Share{}).Where("id = ? AND revoked_at IS NULL", sh.ID).Updates(map[string]any{"revoked_at": now, "revoked_by": p.UserID})
		if res.Error != nil {
			return res.Error
		}
		return s.record(ctx, tx, p, audit.Entry{Action: "share.revoke", ObjectType: "share", ObjectID: sh.ID, CaseID: sh.CaseID,
			Details: map[string]any{"user_id": sh.UserID}})
	})
}
