package cases

import (
	"context"
	"errors"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/access"
	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/record"
)

// Service is the case-records service. Every method takes the acting
// principal, asks internal/access, runs in one transaction and writes its
// audit entry in that transaction: if the entry cannot be written, nothing
// happens (not even a read).
type Service struct {
	*record.Kit
	// releases fills the expected release of case views (nil: none).
	releases ReleaseSource
	// createWithoutIndex makes CreateDetainee skip the name index and the
	// duplicate lookup: the creation of before issue 20, set only by the
	// create benchmark (export_test.go) as its baseline.
	createWithoutIndex bool
}

// NewService returns the service over d, recording into rec.
func NewService(d *db.DB, rec audit.Recorder) *Service {
	return &Service{Kit: record.NewKit("cases", d, rec)}
}

var (
	errManage  = apperr.New(apperr.ErrForbidden, "forbidden", "only admins and coordinators may do this")
	errEdit    = apperr.New(apperr.ErrForbidden, "forbidden", "your role may not edit this record")
	errNoShare = apperr.New(apperr.ErrForbidden, "forbidden", "only admins and coordinators see who a case is shared with")
)

// Vocabularies returns every controlled vocabulary (any signed-in user).
func (s *Service) Vocabularies(p *actor.Principal) (map[string]record.Vocabulary, error) {
	if err := record.Authenticated(p); err != nil {
		return nil, err
	}
	return Vocabularies, nil
}

// ---- detainees ----

// CreateDetainee records a new detainee (admin, coordinator).
func (s *Service) CreateDetainee(ctx context.Context, p *actor.Principal, in DetaineeFields) (DetaineeView, error) {
	if err := record.Authenticated(p); err != nil {
		return DetaineeView{}, err
	}
	if !access.Manages(p) {
		return DetaineeView{}, errManage
	}
	if in.Name == nil {
		return DetaineeView{}, apperr.Field("name", "required")
	}
	d, ch := buildDetainee(record.NewID(), p.UserID, s.Now(), in)
	if err := ch.Err(); err != nil {
		return DetaineeView{}, err
	}
	return record.Write(ctx, s.Kit, p, func(tx *gorm.DB) (DetaineeView, error) {
		if err := tx.Create(d).Error; err != nil {
			return DetaineeView{}, err
		}
		v := d.View(p)
		if !s.createWithoutIndex {
			if err := indexNewRecords(tx, d); err != nil {
				return DetaineeView{}, err
			}
			dups, err := s.PossibleDuplicates(tx, d.nameForms(), d.BornAt, d.ID)
			if err != nil {
				return DetaineeView{}, err
			}
			v.PossibleDuplicates = dups
		}
		return v, s.Record(ctx, tx, p, audit.Entry{Action: "detainee.create", ObjectType: "detainee", ObjectID: d.ID, Details: ch.Details()})
	})
}

// GetDetainee returns a detainee's full record and audits the read.
func (s *Service) GetDetainee(ctx context.Context, p *actor.Principal, id string) (DetaineeView, error) {
	return record.Read(ctx, s.Kit, p, func(tx *gorm.DB) (DetaineeView, error) {
		d, err := findDetainee(tx, p, id)
		if err != nil {
			return DetaineeView{}, err
		}
		v, err := detaineeView(tx, p, d)
		if err != nil {
			return DetaineeView{}, err
		}
		if v.CoDefendantIn, err = coDefendantCases(tx, p, d.ID); err != nil {
			return DetaineeView{}, err
		}
		return v, s.Record(ctx, tx, p, audit.Entry{Action: "detainee.read", ObjectType: "detainee", ObjectID: d.ID})
	})
}

// UpdateDetainee changes a detainee if version is current (admin,
// coordinator, or a lawyer holding one of the detainee's cases).
func (s *Service) UpdateDetainee(ctx context.Context, p *actor.Principal, id string, version int64, in DetaineeFields) (DetaineeView, error) {
	return record.Write(ctx, s.Kit, p, func(tx *gorm.DB) (DetaineeView, error) {
		d, err := findDetainee(tx, p, id)
		if err != nil {
			return DetaineeView{}, err
		}
		if !access.MayEditCase(p) {
			return DetaineeView{}, errEdit
		}
		if held, err := detaineeHeld(tx, p, d.ID); err != nil {
			return DetaineeView{}, err
		} else if !held { // seen only as a co-defendant of a case p holds
			return DetaineeView{}, errEdit
		}
		if d.Version != version {
			return DetaineeView{}, record.ErrStale
		}
		ch := record.NewChangeSet()
		d.apply(in, ch)
		if err := ch.Err(); err != nil {
			return DetaineeView{}, err
		}
		if ch.Empty() { // nothing to change: answer the record as it is, no new version, no audit entry
			return detaineeView(tx, p, d)
		}
		d.Version, d.UpdatedAt = version+1, s.Now()
		if err := record.SaveVersioned(tx, d, version); err != nil {
			return DetaineeView{}, err
		}
		if ch.Changed("name") || ch.Changed("other_names") {
			if err := indexRecords(tx, d); err != nil {
				return DetaineeView{}, err
			}
		}
		if err := s.Record(ctx, tx, p, audit.Entry{Action: "detainee.update", ObjectType: "detainee", ObjectID: d.ID, Details: ch.Details()}); err != nil {
			return DetaineeView{}, err
		}
		return detaineeView(tx, p, d)
	})
}

// DeleteDetainee removes a detainee that has no case (admin, coordinator).
func (s *Service) DeleteDetainee(ctx context.Context, p *actor.Principal, id string) error {
	return s.Do(ctx, p, func(tx *gorm.DB) error {
		d, err := findDetainee(tx, p, id)
		if err != nil {
			return err
		}
		if !access.Manages(p) {
			return errManage
		}
		n, err := countWhere(tx, &Case{}, "detainee_id = ?", d.ID)
		if err != nil {
			return err
		}
		// Nor a detainee linked to a case as a co-defendant (issue 25).
		linked, err := countWhere(tx, &CaseDetainee{}, "detainee_id = ?", d.ID)
		if err != nil {
			return err
		}
		if n+linked > 0 {
			return apperr.New(apperr.ErrConflict, "detainee_has_cases", "delete the detainee's cases first")
		}
		// A lawyer record that was this detainee no longer is (PostgreSQL's
		// ON DELETE SET NULL, done here for SQLite).
		if err := tx.Model(&Lawyer{}).Where("detainee_id = ?", d.ID).Update("detainee_id", nil).Error; err != nil {
			return err
		}
		if err := tx.Delete(&Detainee{}, "id = ?", d.ID).Error; err != nil {
			return err
		}
		if err := deleteIndex(tx, ownerDetainee, d.ID); err != nil {
			return err
		}
		return s.Record(ctx, tx, p, audit.Entry{Action: "detainee.delete", ObjectType: "detainee", ObjectID: d.ID})
	})
}

// checkDetaineeFilter checks the search and vocabulary filters of a
// detainee list or export (an export must refuse before it streams).
func checkDetaineeFilter(f DetaineeFilter) error {
	if _, err := parseSearch(f.Q); err != nil {
		return err
	}
	return firstError(record.CheckVocab("status", f.Status, DetentionStatuses), record.CheckVocab("issue", f.Issue, IssueCategories),
		record.CheckVocab("charge", f.Charge, Charges))
}

// ListDetainees lists the detainees p may see.
func (s *Service) ListDetainees(ctx context.Context, p *actor.Principal, f DetaineeFilter) (record.Page[DetaineeView], error) {
	if err := checkDetaineeFilter(f); err != nil {
		return record.Page[DetaineeView]{}, err
	}
	return record.Read(ctx, s.Kit, p, func(tx *gorm.DB) (record.Page[DetaineeView], error) {
		page, best, err := listDetainees(tx, p, f)
		if err != nil {
			return record.Page[DetaineeView]{}, err
		}
		out := record.Map(page, func(d *Detainee) DetaineeView {
			v := d.View(p)
			v.Matched = withMatch(best, d.ID)
			return v
		})
		return out, detaineeLawyers(tx, p, out.Items)
	})
}

// ---- cases ----

// CreateCase opens a case for a detainee (admin, coordinator).
func (s *Service) CreateCase(ctx context.Context, p *actor.Principal, in CaseCreate) (CaseView, error) {
	if err := record.Authenticated(p); err != nil {
		return CaseView{}, err
	}
	if !access.Manages(p) {
		return CaseView{}, errManage
	}
	c, ch := buildCase(record.NewID(), p.UserID, s.Now(), in.CaseFields)
	if in.DetaineeID == "" {
		ch.Fail("detainee_id", "required")
	}
	if err := ch.Err(); err != nil {
		return CaseView{}, err
	}
	return record.Write(ctx, s.Kit, p, func(tx *gorm.DB) (CaseView, error) {
		d, err := findDetainee(tx, p, in.DetaineeID)
		if errors.Is(err, apperr.ErrNotFound) {
			return CaseView{}, apperr.Field("detainee_id", "no such detainee")
		} else if err != nil {
			return CaseView{}, err
		}
		c.DetaineeID = d.ID
		if err := tx.Create(c).Error; err != nil {
			return CaseView{}, err
		}
		if err := replaceCharges(tx, c); err != nil {
			return CaseView{}, err
		}
		if err := indexNewRecords(tx, c); err != nil {
			return CaseView{}, err
		}
		det := ch.Details()
		det["detainee_id"] = d.ID
		v := c.View(p, d.Name)
		if err := s.fillReleases(ctx, tx, p, &v); err != nil {
			return CaseView{}, err
		}
		return v, s.Record(ctx, tx, p, audit.Entry{Action: "case.create", ObjectType: "case", ObjectID: c.ID, CaseID: c.ID, Details: det})
	})
}

// GetCase returns a case's full record and audits the read.
func (s *Service) GetCase(ctx context.Context, p *actor.Principal, id string) (CaseView, error) {
	return record.Read(ctx, s.Kit, p, func(tx *gorm.DB) (CaseView, error) {
		c, err := findCase(tx, p, id)
		if err != nil {
			return CaseView{}, err
		}
		name, err := detaineeName(tx, c.DetaineeID)
		if err != nil {
			return CaseView{}, err
		}
		v := c.View(p, name)
		if err := s.fillReleases(ctx, tx, p, &v); err != nil {
			return CaseView{}, err
		}
		return v, s.Record(ctx, tx, p, audit.Entry{Action: "case.read", ObjectType: "case", ObjectID: c.ID, CaseID: c.ID})
	})
}

// UpdateCase changes a case if version is current (admin, coordinator, a
// lawyer holding the case).
func (s *Service) UpdateCase(ctx context.Context, p *actor.Principal, id string, version int64, in CaseFields) (CaseView, error) {
	return record.Write(ctx, s.Kit, p, func(tx *gorm.DB) (CaseView, error) {
		c, err := findCase(tx, p, id)
		if err != nil {
			return CaseView{}, err
		}
		if !access.MayEditCase(p) {
			return CaseView{}, errEdit
		}
		if c.Version != version {
			return CaseView{}, record.ErrStale
		}
		ch := record.NewChangeSet()
		c.apply(in, ch)
		if err := ch.Err(); err != nil {
			return CaseView{}, err
		}
		if ch.Empty() { // nothing to change: answer the record as it is, no new version, no audit entry
			return s.caseView(ctx, tx, p, c)
		}
		c.Version, c.UpdatedAt = version+1, s.Now()
		if err := record.SaveVersioned(tx, c, version); err != nil {
			return CaseView{}, err
		}
		if ch.Changed("charges") {
			if err := replaceCharges(tx, c); err != nil {
				return CaseView{}, err
			}
		}
		if ch.Changed("title") || ch.Changed("case_numbers") {
			if err := indexRecords(tx, c); err != nil {
				return CaseView{}, err
			}
		}
		v, err := s.caseView(ctx, tx, p, c)
		if err != nil {
			return CaseView{}, err
		}
		return v, s.Record(ctx, tx, p, audit.Entry{Action: "case.update", ObjectType: "case", ObjectID: c.ID, CaseID: c.ID, Details: ch.Details()})
	})
}

// caseView renders c for p with its detainee's name and expected release.
func (s *Service) caseView(ctx context.Context, tx *gorm.DB, p *actor.Principal, c *Case) (CaseView, error) {
	name, err := detaineeName(tx, c.DetaineeID)
	if err != nil {
		return CaseView{}, err
	}
	v := c.View(p, name)
	return v, s.fillReleases(ctx, tx, p, &v)
}

// DeleteCase removes a case with its charges, assignments, shares and
// custody periods (admin, coordinator).
func (s *Service) DeleteCase(ctx context.Context, p *actor.Principal, id string) error {
	return s.Do(ctx, p, func(tx *gorm.DB) error {
		c, err := findCase(tx, p, id)
		if err != nil {
			return err
		}
		if !access.Manages(p) {
			return errManage
		}
		if err := caseDeletable(tx, c.ID); err != nil {
			return err
		}
		for _, m := range []any{&Charge{}, &Assignment{}, &Share{}, &CustodyPeriod{}} {
			if err := tx.Where("case_id = ?", c.ID).Delete(m).Error; err != nil {
				return err
			}
		}
		if err := tx.Where("case_id = ? OR other_case_id = ?", c.ID, c.ID).Delete(&CaseLink{}).Error; err != nil {
			return err
		}
		if err := tx.Delete(&Case{}, "id = ?", c.ID).Error; err != nil {
			return err
		}
		if err := deleteIndex(tx, ownerCase, c.ID); err != nil {
			return err
		}
		return s.Record(ctx, tx, p, audit.Entry{Action: "case.delete", ObjectType: "case", ObjectID: c.ID, CaseID: c.ID})
	})
}

// ListCases lists the cases p may see.
func (s *Service) ListCases(ctx context.Context, p *actor.Principal, f CaseFilter) (record.Page[CaseView], error) {
	err := firstError(record.CheckVocab("status", f.Status, CaseStatuses), record.CheckVocab("stage", f.Stage, Stages),
		record.CheckVocab("issue", f.Issue, IssueCategories), record.CheckVocab("charge", f.Charge, Charges))
	if err != nil {
		return record.Page[CaseView]{}, err
	}
	return record.Read(ctx, s.Kit, p, func(tx *gorm.DB) (record.Page[CaseView], error) {
		page, best, err := listCases(tx, p, f)
		if err != nil {
			return record.Page[CaseView]{}, err
		}
		ids := make([]string, 0, len(page.Items))
		for _, r := range page.Items {
			ids = append(ids, r.DetaineeID)
		}
		names, err := detaineeNames(tx, ids)
		if err != nil {
			return record.Page[CaseView]{}, err
		}
		out := record.Map(page, func(c *Case) CaseView {
			v := c.View(p, names[c.DetaineeID])
			v.Matched = withMatch(best, c.ID)
			return v
		})
		views := make([]*CaseView, len(out.Items))
		for i := range out.Items {
			views[i] = &out.Items[i]
		}
		return out, s.fillReleases(ctx, tx, p, views...)
	})
}

// firstError is the first of errs that is not nil.
func firstError(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
