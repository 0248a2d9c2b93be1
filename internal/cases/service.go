package cases

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/access"
	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/db"
)

// Service is the case-records service. Every method takes the acting
// principal, asks internal/access, runs in one transaction and writes its
// audit entry in that transaction: if the entry cannot be written, nothing
// happens (not even a read).
type Service struct {
	db    *db.DB
	audit audit.Recorder
	now   func() time.Time
}

// NewService returns the service over d, recording into rec.
func NewService(d *db.DB, rec audit.Recorder) *Service {
	return &Service{db: d, audit: rec, now: func() time.Time { return time.Now().UTC() }}
}

func newID() string { return uuid.Must(uuid.NewV7()).String() }

var (
	errManage  = apperr.New(apperr.ErrForbidden, "forbidden", "only admins and coordinators may do this")
	errEdit    = apperr.New(apperr.ErrForbidden, "forbidden", "your role may not edit this record")
	errNoShare = apperr.New(apperr.ErrForbidden, "forbidden", "only admins and coordinators see who a case is shared with")
)

func authenticated(p *actor.Principal) error {
	if p == nil || p.UserID == "" {
		return apperr.New(apperr.ErrUnauthenticated, "unauthenticated", "sign in first")
	}
	return nil
}

func (s *Service) tx(ctx context.Context, p *actor.Principal, fn func(tx *gorm.DB) error) error {
	if err := authenticated(p); err != nil {
		return err
	}
	return s.db.WithTx(actor.WithPrincipal(ctx, p), fn)
}

// readTx runs fn, a read (which may record its audit entry with s.record),
// in a read transaction: on SQLite it takes no write lock, so reads run
// beside each other and beside writes (every s.tx takes SQLite's single
// write lock). An entry it records is group-committed (audit.ReadTx) before
// the caller answers.
func (s *Service) readTx(ctx context.Context, p *actor.Principal, fn func(tx *gorm.DB) error) error {
	if err := authenticated(p); err != nil {
		return err
	}
	ctx = actor.WithPrincipal(ctx, p)
	return audit.ReadTx(ctx, s.db, s.audit, fn)
}

func (s *Service) record(ctx context.Context, tx *gorm.DB, p *actor.Principal, e audit.Entry) error {
	e.ActorID, e.ActorRole = p.UserID, string(p.Role)
	if err := s.audit.Record(ctx, tx, e); err != nil {
		return errors.Join(errors.New("cases: audit"), err)
	}
	return nil
}

// Vocabularies returns every controlled vocabulary (any signed-in user).
func (s *Service) Vocabularies(p *actor.Principal) (map[string]Vocabulary, error) {
	if err := authenticated(p); err != nil {
		return nil, err
	}
	return Vocabularies, nil
}

// ---- detainees ----

// CreateDetainee records a new detainee (admin, coordinator).
func (s *Service) CreateDetainee(ctx context.Context, p *actor.Principal, in DetaineeFields) (DetaineeView, error) {
	var out DetaineeView
	if err := authenticated(p); err != nil {
		return out, err
	}
	if !access.Manages(p) {
		return out, errManage
	}
	if in.Name == nil {
		return out, apperr.Field("name", "required")
	}
	d, ch := buildDetainee(newID(), p.UserID, s.now(), in)
	if err := ch.err(); err != nil {
		return out, err
	}
	err := s.tx(ctx, p, func(tx *gorm.DB) error {
		if err := tx.Create(d).Error; err != nil {
			return err
		}
		return s.record(ctx, tx, p, audit.Entry{Action: "detainee.create", ObjectType: "detainee", ObjectID: d.ID, Details: ch.details()})
	})
	if err != nil {
		return out, err
	}
	return d.View(p), nil
}

// GetDetainee returns a detainee's full record and audits the read.
func (s *Service) GetDetainee(ctx context.Context, p *actor.Principal, id string) (DetaineeView, error) {
	var out DetaineeView
	err := s.readTx(ctx, p, func(tx *gorm.DB) error {
		d, err := findDetainee(tx, p, id)
		if err != nil {
			return err
		}
		out = d.View(p)
		return s.record(ctx, tx, p, audit.Entry{Action: "detainee.read", ObjectType: "detainee", ObjectID: d.ID})
	})
	return out, err
}

// UpdateDetainee changes a detainee if version is current (admin,
// coordinator, or a lawyer holding one of the detainee's cases).
func (s *Service) UpdateDetainee(ctx context.Context, p *actor.Principal, id string, version int64, in DetaineeFields) (DetaineeView, error) {
	var out DetaineeView
	err := s.tx(ctx, p, func(tx *gorm.DB) error {
		d, err := findDetainee(tx, p, id)
		if err != nil {
			return err
		}
		if !access.MayEditCase(p) {
			return errEdit
		}
		if d.Version != version {
			return staleVersion
		}
		ch := newChangeSet()
		d.apply(in, ch)
		if err := ch.err(); err != nil {
			return err
		}
		if ch.empty() { // nothing to change: answer the record as it is, no new version, no audit entry
			out = d.View(p)
			return nil
		}
		d.Version, d.UpdatedAt = version+1, s.now()
		if err := saveVersioned(tx, d, version); err != nil {
			return err
		}
		out = d.View(p)
		return s.record(ctx, tx, p, audit.Entry{Action: "detainee.update", ObjectType: "detainee", ObjectID: d.ID, Details: ch.details()})
	})
	return out, err
}

// DeleteDetainee removes a detainee that has no case (admin, coordinator).
func (s *Service) DeleteDetainee(ctx context.Context, p *actor.Principal, id string) error {
	return s.tx(ctx, p, func(tx *gorm.DB) error {
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
		if n > 0 {
			return apperr.New(apperr.ErrConflict, "detainee_has_cases", "delete the detainee's cases first")
		}
		if err := tx.Delete(&Detainee{}, "id = ?", d.ID).Error; err != nil {
			return err
		}
		return s.record(ctx, tx, p, audit.Entry{Action: "detainee.delete", ObjectType: "detainee", ObjectID: d.ID})
	})
}

// ListDetainees lists the detainees p may see.
func (s *Service) ListDetainees(ctx context.Context, p *actor.Principal, f DetaineeFilter) (Page[DetaineeView], error) {
	var out Page[DetaineeView]
	for _, e := range []error{checkVocab("status", f.Status, DetentionStatuses), checkVocab("issue", f.Issue, IssueCategories), checkVocab("charge", f.Charge, Charges)} {
		if e != nil {
			return out, e
		}
	}
	err := s.readTx(ctx, p, func(tx *gorm.DB) error {
		page, err := listDetainees(tx, p, f)
		if err != nil {
			return err
		}
		rows := page.rows
		out.Items = make([]DetaineeView, 0, len(rows))
		for i := range rows {
			out.Items = append(out.Items, rows[i].View(p))
		}
		out.NextCursor, out.Total, out.TotalCapped = page.next, page.total, page.capped
		return nil
	})
	return out, err
}

// ---- cases ----

// CreateCase opens a case for a detainee (admin, coordinator).
func (s *Service) CreateCase(ctx context.Context, p *actor.Principal, in CaseCreate) (CaseView, error) {
	var out CaseView
	if err := authenticated(p); err != nil {
		return out, err
	}
	if !access.Manages(p) {
		return out, errManage
	}
	c, ch := buildCase(newID(), p.UserID, s.now(), in.CaseFields)
	if in.DetaineeID == "" {
		ch.fail("detainee_id", "required")
	}
	if err := ch.err(); err != nil {
		return out, err
	}
	err := s.tx(ctx, p, func(tx *gorm.DB) error {
		d, err := findDetainee(tx, p, in.DetaineeID)
		if errors.Is(err, apperr.ErrNotFound) {
			return apperr.Field("detainee_id", "no such detainee")
		} else if err != nil {
			return err
		}
		c.DetaineeID = d.ID
		if err := tx.Create(c).Error; err != nil {
			return err
		}
		if err := replaceCharges(tx, c); err != nil {
			return err
		}
		det := ch.details()
		det["detainee_id"] = d.ID
		out = c.View(p, d.Name)
		return s.record(ctx, tx, p, audit.Entry{Action: "case.create", ObjectType: "case", ObjectID: c.ID, CaseID: c.ID, Details: det})
	})
	return out, err
}

// GetCase returns a case's full record and audits the read.
func (s *Service) GetCase(ctx context.Context, p *actor.Principal, id string) (CaseView, error) {
	var out CaseView
	err := s.readTx(ctx, p, func(tx *gorm.DB) error {
		c, err := findCase(tx, p, id)
		if err != nil {
			return err
		}
		name, err := detaineeName(tx, c.DetaineeID)
		if err != nil {
			return err
		}
		out = c.View(p, name)
		return s.record(ctx, tx, p, audit.Entry{Action: "case.read", ObjectType: "case", ObjectID: c.ID, CaseID: c.ID})
	})
	return out, err
}

// UpdateCase changes a case if version is current (admin, coordinator, a
// lawyer holding the case).
func (s *Service) UpdateCase(ctx context.Context, p *actor.Principal, id string, version int64, in CaseFields) (CaseView, error) {
	var out CaseView
	err := s.tx(ctx, p, func(tx *gorm.DB) error {
		c, err := findCase(tx, p, id)
		if err != nil {
			return err
		}
		if !access.MayEditCase(p) {
			return errEdit
		}
		if c.Version != version {
			return staleVersion
		}
		ch := newChangeSet()
		c.apply(in, ch)
		if err := ch.err(); err != nil {
			return err
		}
		if ch.empty() { // nothing to change: answer the record as it is, no new version, no audit entry
			name, err := detaineeName(tx, c.DetaineeID)
			out = c.View(p, name)
			return err
		}
		c.Version, c.UpdatedAt = version+1, s.now()
		if err := saveVersioned(tx, c, version); err != nil {
			return err
		}
		if _, changed := ch.values["charges"]; changed {
			if err := replaceCharges(tx, c); err != nil {
				return err
			}
		}
		name, err := detaineeName(tx, c.DetaineeID)
		if err != nil {
			return err
		}
		out = c.View(p, name)
		return s.record(ctx, tx, p, audit.Entry{Action: "case.update", ObjectType: "case", ObjectID: c.ID, CaseID: c.ID, Details: ch.details()})
	})
	return out, err
}

// DeleteCase removes a case with its charges, assignments and shares (admin, coordinator).
func (s *Service) DeleteCase(ctx context.Context, p *actor.Principal, id string) error {
	return s.tx(ctx, p, func(tx *gorm.DB) error {
		c, err := findCase(tx, p, id)
		if err != nil {
			return err
		}
		if !access.Manages(p) {
			return errManage
		}
		// Evidence is never deleted with its case (issue 7): the evidence
		// table's foreign key refuses it; say so instead of failing with a 500.
		var evidence int64
		if err := tx.Table("evidence").Where("case_id = ?", c.ID).Count(&evidence).Error; err != nil {
			return err
		}
		if evidence > 0 {
			return apperr.New(apperr.ErrConflict, "case_has_evidence",
				"the case holds evidence items, which are never deleted with their case")
		}
		// Nor is its timeline (issue 6): events are never erased.
		for _, table := range []string{"case_events", "hearings"} {
			var n int64
			if err := tx.Table(table).Where("case_id = ?", c.ID).Count(&n).Error; err != nil {
				return err
			}
			if n > 0 {
				return apperr.New(apperr.ErrConflict, "case_has_timeline",
					"the case has timeline events or hearings, which are never deleted with their case")
			}
		}
		// Support actions (issue 8) are the record of what was done for the
		// case: never deleted with it either.
		var actions int64
		if err := tx.Table("support_actions").Where("case_id = ?", c.ID).Count(&actions).Error; err != nil {
			return err
		}
		if actions > 0 {
			return apperr.New(apperr.ErrConflict, "case_has_support_actions",
				"the case holds support actions, which are never deleted with their case; cancel them instead")
		}
		for _, m := range []any{&Charge{}, &Assignment{}, &Share{}} {
			if err := tx.Where("case_id = ?", c.ID).Delete(m).Error; err != nil {
				return err
			}
		}
		if err := tx.Delete(&Case{}, "id = ?", c.ID).Error; err != nil {
			return err
		}
		return s.record(ctx, tx, p, audit.Entry{Action: "case.delete", ObjectType: "case", ObjectID: c.ID, CaseID: c.ID})
	})
}

// ListCases lists the cases p may see.
func (s *Service) ListCases(ctx context.Context, p *actor.Principal, f CaseFilter) (Page[CaseView], error) {
	var out Page[CaseView]
	for _, e := range []error{checkVocab("status", f.Status, CaseStatuses), checkVocab("stage", f.Stage, Stages),
		checkVocab("issue", f.Issue, IssueCategories), checkVocab("charge", f.Charge, Charges)} {
		if e != nil {
			return out, e
		}
	}
	err := s.readTx(ctx, p, func(tx *gorm.DB) error {
		page, err := listCases(tx, p, f)
		if err != nil {
			return err
		}
		rows := page.rows
		ids := make([]string, 0, len(rows))
		for _, r := range rows {
			ids = append(ids, r.DetaineeID)
		}
		names, err := detaineeNames(tx, ids)
		if err != nil {
			return err
		}
		out.Items = make([]CaseView, 0, len(rows))
		for i := range rows {
			out.Items = append(out.Items, rows[i].View(p, names[rows[i].DetaineeID]))
		}
		out.NextCursor, out.Total, out.TotalCapped = page.next, page.total, page.capped
		return nil
	})
	return out, err
}
