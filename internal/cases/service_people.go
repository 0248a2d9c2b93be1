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
	"github.com/habeas-org/habeas/internal/record"
)

// ---- lawyers ----

// setLawyerUser validates and applies the user link of a lawyer: a user of
// role lawyer, not linked to another lawyer record.
func setLawyerUser(tx *gorm.DB, l *Lawyer, v *string, ch *record.ChangeSet) error {
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
		ch.Set("user_id", nil, false)
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
	ch.Set("user_id", id, false)
	return nil
}

// CreateLawyer records a lawyer (admin, coordinator).
func (s *Service) CreateLawyer(ctx context.Context, p *actor.Principal, in LawyerFields) (LawyerView, error) {
	if err := record.Authenticated(p); err != nil {
		return LawyerView{}, err
	}
	if !access.Manages(p) {
		return LawyerView{}, errManage
	}
	if in.Name == nil {
		return LawyerView{}, apperr.Field("name", "required")
	}
	l, ch := buildLawyer(record.NewID(), p.UserID, s.Now(), in)
	if err := ch.Err(); err != nil {
		return LawyerView{}, err
	}
	return record.Write(ctx, s.Kit, p, func(tx *gorm.DB) (LawyerView, error) {
		if err := setLawyerUser(tx, l, in.UserID, ch); err != nil {
			return LawyerView{}, err
		}
		if err := setLawyerDetainee(tx, p, l, in.DetaineeID, ch); err != nil {
			return LawyerView{}, err
		}
		if err := tx.Create(l).Error; err != nil {
			return LawyerView{}, err
		}
		if err := indexRecords(tx, l); err != nil {
			return LawyerView{}, err
		}
		return lawyerWritten(tx, p, l, s.Record(ctx, tx, p, audit.Entry{Action: "lawyer.create", ObjectType: "lawyer", ObjectID: l.ID, Details: ch.Details()}))
	})
}

// lawyerWritten answers l for p once its audit entry is recorded (err).
func lawyerWritten(tx *gorm.DB, p *actor.Principal, l *Lawyer, err error) (LawyerView, error) {
	if err != nil {
		return LawyerView{}, err
	}
	return lawyerView(tx, p, l)
}

// GetLawyer returns a lawyer p may see.
func (s *Service) GetLawyer(ctx context.Context, p *actor.Principal, id string) (LawyerView, error) {
	return record.Read(ctx, s.Kit, p, func(tx *gorm.DB) (LawyerView, error) {
		l, err := findLawyer(tx, p, id)
		if err != nil {
			return LawyerView{}, err
		}
		return lawyerWritten(tx, p, l, s.Record(ctx, tx, p, audit.Entry{Action: "lawyer.read", ObjectType: "lawyer", ObjectID: l.ID}))
	})
}

// UpdateLawyer changes a lawyer if version is current (admin, coordinator).
func (s *Service) UpdateLawyer(ctx context.Context, p *actor.Principal, id string, version int64, in LawyerFields) (LawyerView, error) {
	return record.Write(ctx, s.Kit, p, func(tx *gorm.DB) (LawyerView, error) {
		l, err := findLawyer(tx, p, id)
		if err != nil {
			return LawyerView{}, err
		}
		if !access.Manages(p) {
			return LawyerView{}, errManage
		}
		if l.Version != version {
			return LawyerView{}, record.ErrStale
		}
		ch := record.NewChangeSet()
		l.apply(in, ch)
		if err := ch.Err(); err != nil {
			return LawyerView{}, err
		}
		if err := setLawyerUser(tx, l, in.UserID, ch); err != nil {
			return LawyerView{}, err
		}
		if err := setLawyerDetainee(tx, p, l, in.DetaineeID, ch); err != nil {
			return LawyerView{}, err
		}
		if ch.Empty() { // nothing to change: answer the record as it is, no new version, no audit entry
			return lawyerView(tx, p, l)
		}
		l.Version, l.UpdatedAt = version+1, s.Now()
		if err := record.SaveVersioned(tx, l, version); err != nil {
			return LawyerView{}, err
		}
		if ch.Changed("name") || ch.Changed("other_names") || ch.Changed("law_firm") || ch.Changed("licence_number") {
			if err := indexRecords(tx, l); err != nil {
				return LawyerView{}, err
			}
		}
		return lawyerWritten(tx, p, l, s.Record(ctx, tx, p, audit.Entry{Action: "lawyer.update", ObjectType: "lawyer", ObjectID: l.ID, Details: ch.Details()}))
	})
}

// DeleteLawyer removes a lawyer without assignments (admin, coordinator).
func (s *Service) DeleteLawyer(ctx context.Context, p *actor.Principal, id string) error {
	return s.Do(ctx, p, func(tx *gorm.DB) error {
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
		if err := deleteIndex(tx, ownerLawyer, l.ID); err != nil {
			return err
		}
		return s.Record(ctx, tx, p, audit.Entry{Action: "lawyer.delete", ObjectType: "lawyer", ObjectID: l.ID})
	})
}

// ListLawyers lists the lawyers p may see.
func (s *Service) ListLawyers(ctx context.Context, p *actor.Principal, f LawyerFilter) (record.Page[LawyerView], error) {
	if err := record.CheckVocab("licence_status", f.LicenceStatus, LicenceStatuses); err != nil {
		return record.Page[LawyerView]{}, err
	}
	return record.Read(ctx, s.Kit, p, func(tx *gorm.DB) (record.Page[LawyerView], error) {
		page, best, err := listLawyers(tx, p, f)
		if err != nil {
			return record.Page[LawyerView]{}, err
		}
		out := record.Map(page, func(l *Lawyer) LawyerView {
			v := l.View(p)
			v.Matched = withMatch(best, l.ID)
			return v
		})
		return out, lawyerDetainees(tx, p, page.Items, out.Items)
	})
}

// ---- assignments ----

// CreateAssignment assigns a lawyer to a case (admin, coordinator).
func (s *Service) CreateAssignment(ctx context.Context, p *actor.Principal, caseID string, in AssignmentCreate) (AssignmentView, error) {
	return record.Write(ctx, s.Kit, p, func(tx *gorm.DB) (AssignmentView, error) {
		c, err := findCase(tx, p, caseID)
		if err != nil {
			return AssignmentView{}, err
		}
		if !access.Manages(p) {
			return AssignmentView{}, errManage
		}
		l, err := findLawyer(tx, p, in.LawyerID)
		if errors.Is(err, apperr.ErrNotFound) {
			return AssignmentView{}, apperr.Field("lawyer_id", "no such lawyer")
		} else if err != nil {
			return AssignmentView{}, err
		}
		a, ch := buildAssignment(record.NewID(), c.ID, l.ID, p.UserID, s.Now(), in.AssignmentFields)
		if err := ch.Err(); err != nil {
			return AssignmentView{}, err
		}
		if a.Status == "active" {
			n, err := countWhere(tx, &Assignment{}, "case_id = ? AND lawyer_id = ? AND status = 'active'", c.ID, l.ID)
			if err != nil {
				return AssignmentView{}, err
			}
			if n > 0 {
				return AssignmentView{}, apperr.New(apperr.ErrConflict, "already_assigned", "the lawyer already has an active assignment on this case")
			}
		}
		if err := tx.Create(a).Error; err != nil {
			return AssignmentView{}, err
		}
		det := ch.Details()
		det["lawyer_id"], det["status"] = l.ID, a.Status
		return a.View(LawyerRef{l.Name, l.Confidential}), s.Record(ctx, tx, p, audit.Entry{Action: "assignment.create", ObjectType: "assignment", ObjectID: a.ID, CaseID: c.ID, Details: det})
	})
}

// GetAssignment returns an assignment of a case p may see.
func (s *Service) GetAssignment(ctx context.Context, p *actor.Principal, caseID, id string) (AssignmentView, error) {
	return record.Read(ctx, s.Kit, p, func(tx *gorm.DB) (AssignmentView, error) {
		a, err := findAssignment(tx, p, caseID, id)
		if err != nil {
			return AssignmentView{}, err
		}
		name, err := lawyerOf(tx, a.LawyerID)
		return a.View(name), err
	})
}

// UpdateAssignment changes an assignment if version is current (admin, coordinator).
func (s *Service) UpdateAssignment(ctx context.Context, p *actor.Principal, caseID, id string, version int64, in AssignmentFields) (AssignmentView, error) {
	return record.Write(ctx, s.Kit, p, func(tx *gorm.DB) (AssignmentView, error) {
		a, err := findAssignment(tx, p, caseID, id)
		if err != nil {
			return AssignmentView{}, err
		}
		if !access.Manages(p) {
			return AssignmentView{}, errManage
		}
		if a.Version != version {
			return AssignmentView{}, record.ErrStale
		}
		ch := record.NewChangeSet()
		a.apply(in, ch)
		if err := ch.Err(); err != nil {
			return AssignmentView{}, err
		}
		if ch.Empty() { // nothing to change: answer the record as it is, no new version, no audit entry
			name, err := lawyerOf(tx, a.LawyerID)
			return a.View(name), err
		}
		a.Version, a.UpdatedAt = version+1, s.Now()
		if err := record.SaveVersioned(tx, a, version); err != nil {
			return AssignmentView{}, err
		}
		name, err := lawyerOf(tx, a.LawyerID)
		if err != nil {
			return AssignmentView{}, err
		}
		return a.View(name), s.Record(ctx, tx, p, audit.Entry{Action: "assignment.update", ObjectType: "assignment", ObjectID: a.ID, CaseID: a.CaseID, Details: ch.Details()})
	})
}

// DeleteAssignment removes an assignment recorded in error (admin, coordinator);
// an assignment that ended is updated, not deleted.
func (s *Service) DeleteAssignment(ctx context.Context, p *actor.Principal, caseID, id string) error {
	return s.Do(ctx, p, func(tx *gorm.DB) error {
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
		return s.Record(ctx, tx, p, audit.Entry{Action: "assignment.delete", ObjectType: "assignment", ObjectID: a.ID, CaseID: a.CaseID,
			Details: map[string]any{"lawyer_id": a.LawyerID}})
	})
}

// ListAssignments lists the assignments of a case p may see.
func (s *Service) ListAssignments(ctx context.Context, p *actor.Principal, caseID string, o record.ListOptions) (record.Page[AssignmentView], error) {
	return record.Read(ctx, s.Kit, p, func(tx *gorm.DB) (record.Page[AssignmentView], error) {
		c, err := findCase(tx, p, caseID)
		if err != nil {
			return record.Page[AssignmentView]{}, err
		}
		page, err := listAssignments(tx, p, c.ID, o)
		if err != nil {
			return record.Page[AssignmentView]{}, err
		}
		ids := make([]string, 0, len(page.Items))
		for _, r := range page.Items {
			ids = append(ids, r.LawyerID)
		}
		names, err := lawyerNames(tx, ids)
		if err != nil {
			return record.Page[AssignmentView]{}, err
		}
		return record.Map(page, func(a *Assignment) AssignmentView { return a.View(names[a.LawyerID]) }), nil
	})
}

// ---- shares ----

// CreateShare shares a case read-only with an observer (admin, coordinator).
func (s *Service) CreateShare(ctx context.Context, p *actor.Principal, caseID string, in ShareCreate) (ShareView, error) {
	return record.Write(ctx, s.Kit, p, func(tx *gorm.DB) (ShareView, error) {
		c, err := findCase(tx, p, caseID)
		if err != nil {
			return ShareView{}, err
		}
		if !access.Manages(p) {
			return ShareView{}, errManage
		}
		uid := strings.TrimSpace(in.UserID)
		if uid == "" {
			return ShareView{}, apperr.Field("user_id", "required")
		}
		role, err := userRole(tx, uid)
		if err != nil {
			return ShareView{}, err
		}
		if role != string(actor.Observer) {
			return ShareView{}, apperr.Field("user_id", "not an enabled user with role observer")
		}
		n, err := countWhere(tx, &Share{}, "case_id = ? AND user_id = ? AND revoked_at IS NULL", c.ID, uid)
		if err != nil {
			return ShareView{}, err
		}
		if n > 0 {
			return ShareView{}, apperr.New(apperr.ErrConflict, "already_shared", "the case is already shared with this user")
		}
		sh := &Share{ID: record.NewID(), CaseID: c.ID, UserID: uid, CreatedBy: p.UserID, CreatedAt: s.Now()}
		if err := tx.Create(sh).Error; err != nil {
			return ShareView{}, err
		}
		refs, err := userRefs(tx, []string{uid})
		if err != nil {
			return ShareView{}, err
		}
		return sh.View(refs[uid]), s.Record(ctx, tx, p, audit.Entry{Action: "share.create", ObjectType: "share", ObjectID: sh.ID, CaseID: c.ID,
			Details: map[string]any{"user_id": uid}})
	})
}

// ListShares lists the shares (active and revoked) of a case (admin, coordinator).
func (s *Service) ListShares(ctx context.Context, p *actor.Principal, caseID string, o record.ListOptions) (record.Page[ShareView], error) {
	return record.Read(ctx, s.Kit, p, func(tx *gorm.DB) (record.Page[ShareView], error) {
		c, err := findCase(tx, p, caseID)
		if err != nil {
			return record.Page[ShareView]{}, err
		}
		if !access.MaySeeShares(p) {
			return record.Page[ShareView]{}, errNoShare
		}
		page, err := listShares(tx, c.ID, o)
		if err != nil {
			return record.Page[ShareView]{}, err
		}
		ids := make([]string, 0, len(page.Items))
		for _, sh := range page.Items {
			ids = append(ids, sh.UserID)
		}
		refs, err := userRefs(tx, ids)
		if err != nil {
			return record.Page[ShareView]{}, err
		}
		return record.Map(page, func(sh *Share) ShareView { return sh.View(refs[sh.UserID]) }), nil
	})
}

// RevokeShare ends a share (admin, coordinator); the observer loses access at once.
func (s *Service) RevokeShare(ctx context.Context, p *actor.Principal, caseID, id string) error {
	return s.Do(ctx, p, func(tx *gorm.DB) error {
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
		now := s.Now()
		res := tx.Model(&Share{}).Where("id = ? AND revoked_at IS NULL", sh.ID).Updates(map[string]any{"revoked_at": now, "revoked_by": p.UserID})
		if res.Error != nil {
			return res.Error
		}
		return s.Record(ctx, tx, p, audit.Entry{Action: "share.revoke", ObjectType: "share", ObjectID: sh.ID, CaseID: sh.CaseID,
			Details: map[string]any{"user_id": sh.UserID}})
	})
}
