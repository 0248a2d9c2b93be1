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

// ---- custody periods ----
//
// Who may do what is the rule of timeline events: everyone who sees the
// case reads its periods, observers only the non-confidential ones (a
// confidential period is not found for them); admins, coordinators and the
// case's lawyers write them (access.MayEditTimeline).

var errEditCustody = apperr.New(apperr.ErrForbidden, "forbidden", "your role may not change the custody history of this case")

// custodyEditable checks that p sees the case and may change its custody history.
func custodyEditable(tx *gorm.DB, p *actor.Principal, caseID string) error {
	if err := record.CaseVisible(tx, p, caseID); err != nil {
		return err
	}
	if !access.MayEditTimeline(p) {
		return errEditCustody
	}
	return nil
}

// CreateCustodyPeriod records a custody period of the case (admin,
// coordinator, a lawyer of the case) and keeps the case's key dates in step.
func (s *Service) CreateCustodyPeriod(ctx context.Context, p *actor.Principal, caseID string, in CustodyPeriodFields) (CustodyPeriodView, error) {
	return record.Write(ctx, s.Kit, p, func(tx *gorm.DB) (CustodyPeriodView, error) {
		if err := custodyEditable(tx, p, caseID); err != nil {
			return CustodyPeriodView{}, err
		}
		cp, ch := buildCustodyPeriod(record.NewID(), caseID, p.UserID, s.Now(), in)
		if err := ch.Err(); err != nil {
			return CustodyPeriodView{}, err
		}
		if err := tx.Create(cp).Error; err != nil {
			return CustodyPeriodView{}, err
		}
		return s.custodyWritten(ctx, tx, p, cp, "custody_period.create", ch.Details())
	})
}

// GetCustodyPeriod returns a custody period of a case p may see.
func (s *Service) GetCustodyPeriod(ctx context.Context, p *actor.Principal, caseID, id string) (CustodyPeriodView, error) {
	return record.Read(ctx, s.Kit, p, func(tx *gorm.DB) (CustodyPeriodView, error) {
		cp, err := findCustodyPeriod(tx, p, caseID, id)
		if err != nil {
			return CustodyPeriodView{}, err
		}
		return cp.View(), nil
	})
}

// UpdateCustodyPeriod changes a custody period if version is current
// (admin, coordinator, a lawyer of the case) and keeps the case's key
// dates in step.
func (s *Service) UpdateCustodyPeriod(ctx context.Context, p *actor.Principal, caseID, id string, version int64, in CustodyPeriodFields) (CustodyPeriodView, error) {
	return record.Write(ctx, s.Kit, p, func(tx *gorm.DB) (CustodyPeriodView, error) {
		cp, err := findCustodyPeriod(tx, p, caseID, id)
		if err != nil {
			return CustodyPeriodView{}, err
		}
		if !access.MayEditTimeline(p) {
			return CustodyPeriodView{}, errEditCustody
		}
		if cp.Version != version {
			return CustodyPeriodView{}, record.ErrStale
		}
		ch := record.NewChangeSet()
		cp.apply(in, ch)
		if err := ch.Err(); err != nil {
			return CustodyPeriodView{}, err
		}
		if ch.Empty() { // nothing to change: answer the record as it is, no new version, no audit entry
			return cp.View(), nil
		}
		cp.Version, cp.UpdatedAt = version+1, s.Now()
		if err := record.SaveVersioned(tx, cp, version); err != nil {
			return CustodyPeriodView{}, err
		}
		return s.custodyWritten(ctx, tx, p, cp, "custody_period.update", ch.Details())
	})
}

// DeleteCustodyPeriod removes a custody period recorded in error if
// version is current (admin, coordinator, a lawyer of the case). The key
// dates it kept in step keep their values unless another period now
// gives them.
func (s *Service) DeleteCustodyPeriod(ctx context.Context, p *actor.Principal, caseID, id string, version int64) error {
	return s.Do(ctx, p, func(tx *gorm.DB) error {
		cp, err := findCustodyPeriod(tx, p, caseID, id)
		if err != nil {
			return err
		}
		if !access.MayEditTimeline(p) {
			return errEditCustody
		}
		if cp.Version != version {
			return record.ErrStale
		}
		res := tx.Where("id = ? AND version = ?", cp.ID, version).Delete(&CustodyPeriod{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return record.ErrStale
		}
		if err := s.Record(ctx, tx, p, audit.Entry{Action: "custody_period.delete", ObjectType: "custody_period", ObjectID: cp.ID,
			CaseID: cp.CaseID, Details: map[string]any{"measure": cp.Measure, "version": version}}); err != nil {
			return err
		}
		return s.syncKeyDates(ctx, tx, p, cp.CaseID)
	})
}

// ListCustodyPeriods lists the custody periods of a case p may see, by
// start (sort started_at or created, "-" for descending).
func (s *Service) ListCustodyPeriods(ctx context.Context, p *actor.Principal, caseID string, o record.ListOptions) (record.Page[CustodyPeriodView], error) {
	return record.Read(ctx, s.Kit, p, func(tx *gorm.DB) (record.Page[CustodyPeriodView], error) {
		if err := record.CaseVisible(tx, p, caseID); err != nil {
			return record.Page[CustodyPeriodView]{}, err
		}
		page, err := listCustodyPeriods(tx, p, caseID, o)
		return record.Map(page, func(cp *CustodyPeriod) CustodyPeriodView { return cp.View() }), err
	})
}

// custodyWritten records the audit entry of a change to cp, keeps the
// case's key dates in step and answers cp.
func (s *Service) custodyWritten(ctx context.Context, tx *gorm.DB, p *actor.Principal, cp *CustodyPeriod, action string, details map[string]any) (CustodyPeriodView, error) {
	details["version"] = cp.Version
	if err := s.Record(ctx, tx, p, audit.Entry{Action: action, ObjectType: "custody_period", ObjectID: cp.ID, CaseID: cp.CaseID, Details: details}); err != nil {
		return CustodyPeriodView{}, err
	}
	return cp.View(), s.syncKeyDates(ctx, tx, p, cp.CaseID)
}

// syncKeyDates keeps the key dates of the case in step with its
// non-confidential custody periods, in tx (docs/custody.md):
//
//   - detained_at is the start of the earliest criminal_detention period;
//   - rsdl_start_at and rsdl_end_at are the start and end of the earliest rsdl period;
//   - arrest_approved_at is the start of the earliest arrest period;
//   - release_at is the end of the custodial period that ended last, once
//     every custodial period has ended. While one is ongoing, release_at is
//     cleared if it is the end of a recorded custodial period (the periods
//     gave it before a later one was recorded: periods entered one by one
//     in order, custody continuing), and otherwise left as written.
//
// A key date no period gives is left as the client wrote it. A change is a
// new version of the case, audited as case.update with "derived_from":
// "custody_periods".
func (s *Service) syncKeyDates(ctx context.Context, tx *gorm.DB, p *actor.Principal, caseID string) error {
	var ps []CustodyPeriod
	if err := tx.Where("case_id = ? AND confidential = ?", caseID, false).Order("started_at_sort, id").Find(&ps).Error; err != nil {
		return err
	}
	if len(ps) == 0 {
		return nil
	}
	c, err := findCase(tx, p, caseID)
	if err != nil {
		return err
	}
	old := c.Version
	ch := record.NewChangeSet()
	set := func(dst, dstSort *string, v, field string) { ch.Date(dst, dstSort, &v, field) }
	first := map[string]*CustodyPeriod{}
	var last *CustodyPeriod
	ongoing := false
	ends := map[string]bool{}
	for i := range ps {
		cp := &ps[i]
		if first[cp.Measure] == nil {
			first[cp.Measure] = cp
		}
		if !Custodial(cp.Measure) {
			continue
		}
		if cp.EndedAt == "" {
			ongoing = true
			continue
		}
		ends[cp.EndedAt] = true
		if last == nil || cp.EndedAtSort > last.EndedAtSort {
			last = cp
		}
	}
	if cp := first["criminal_detention"]; cp != nil {
		set(&c.DetainedAt, &c.DetainedAtSort, cp.StartedAt, "detained_at")
	}
	if cp := first["rsdl"]; cp != nil {
		set(&c.RSDLStartAt, &c.RSDLStartAtSort, cp.StartedAt, "rsdl_start_at")
		set(&c.RSDLEndAt, &c.RSDLEndAtSort, cp.EndedAt, "rsdl_end_at")
	}
	if cp := first["arrest"]; cp != nil {
		set(&c.ArrestApprovedAt, &c.ArrestApprovedAtSort, cp.StartedAt, "arrest_approved_at")
	}
	switch {
	case last != nil && !ongoing:
		set(&c.ReleaseAt, &c.ReleaseAtSort, last.EndedAt, "release_at")
	case ongoing && ends[c.ReleaseAt]:
		set(&c.ReleaseAt, &c.ReleaseAtSort, "", "release_at")
	}
	if err := ch.Err(); err != nil { // cannot happen: the periods' dates were checked when stored
		return err
	}
	if ch.Empty() {
		return nil
	}
	c.Version, c.UpdatedAt = old+1, s.Now()
	if err := record.SaveVersioned(tx, c, old); err != nil {
		return err
	}
	det := ch.Details()
	det["derived_from"] = "custody_periods"
	return s.Record(ctx, tx, p, audit.Entry{Action: "case.update", ObjectType: "case", ObjectID: c.ID, CaseID: c.ID, Details: det})
}
