package cases

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/access"
	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/record"
)

// ---- detainees of a case (co-defendants, issue 25) ----
//
// Everyone who sees the case reads its detainees (the principal first);
// admins, coordinators and the case's lawyers link, re-role and unlink
// them (access.MayEditCaseDetainees). A link only names a detainee the
// caller already sees: linking is never a way to reach another record.

var errEditCaseDetainees = apperr.New(apperr.ErrForbidden, "forbidden", "your role may not change the detainees of this case")

// errPrincipalDetainee answers a write on the principal detainee through
// the links: it is the case's own detainee.
func errPrincipalDetainee() error {
	return &apperr.Error{Kind: apperr.ErrConflict, Code: "principal_detainee",
		Message: "this detainee is the case's own (principal) detainee, changed on the case itself",
		Fields:  map[string]string{"detainee_id": "the case's principal detainee"}}
}

// caseHead is the id and principal detainee of a case p sees.
func caseHead(tx *gorm.DB, p *actor.Principal, caseID string) (*Case, error) {
	var c Case
	if err := tx.Model(&Case{}).Scopes(access.Cases(p)).Select("cases.id, cases.detainee_id").
		Where("cases.id = ?", caseID).Take(&c).Error; err != nil {
		return nil, record.NotFound(err, "case")
	}
	return &c, nil
}

// CreateCaseDetainee links a detainee p sees to a case (admin,
// coordinator, a lawyer of the case).
func (s *Service) CreateCaseDetainee(ctx context.Context, p *actor.Principal, caseID string, in CaseDetaineeCreate) (CaseDetaineeView, error) {
	return record.Write(ctx, s.Kit, p, func(tx *gorm.DB) (CaseDetaineeView, error) {
		c, err := caseHead(tx, p, caseID)
		if err != nil {
			return CaseDetaineeView{}, err
		}
		if !access.MayEditCaseDetainees(p) {
			return CaseDetaineeView{}, errEditCaseDetainees
		}
		l, ch := buildCaseDetainee(record.NewID(), c.ID, p.UserID, s.Now(), in)
		if err := ch.Err(); err != nil {
			return CaseDetaineeView{}, err
		}
		d, err := findDetainee(tx, p, l.DetaineeID)
		if errors.Is(err, apperr.ErrNotFound) {
			return CaseDetaineeView{}, apperr.FieldWithCode("detainee_id", apperr.FieldNotFound, "no such detainee")
		} else if err != nil {
			return CaseDetaineeView{}, err
		}
		if d.ID == c.DetaineeID {
			return CaseDetaineeView{}, errPrincipalDetainee()
		}
		var n int64
		if err := tx.Model(&CaseDetainee{}).Where("case_id = ? AND detainee_id = ?", c.ID, d.ID).Count(&n).Error; err != nil {
			return CaseDetaineeView{}, fmt.Errorf("case detainees: %w", err)
		}
		if n > 0 {
			return CaseDetaineeView{}, &apperr.Error{Kind: apperr.ErrConflict, Code: "detainee_already_in_case",
				Message: "this detainee is already linked to the case", Fields: map[string]string{"detainee_id": "already linked to this case"}}
		}
		if err := tx.Create(l).Error; err != nil {
			return CaseDetaineeView{}, err
		}
		return s.caseDetaineeWritten(ctx, tx, p, l, d, "case_detainee.create", ch.Details())
	})
}

// GetCaseDetainee returns one detainee of a case p sees, the principal too.
func (s *Service) GetCaseDetainee(ctx context.Context, p *actor.Principal, caseID, detaineeID string) (CaseDetaineeView, error) {
	return record.Read(ctx, s.Kit, p, func(tx *gorm.DB) (CaseDetaineeView, error) {
		c, err := caseHead(tx, p, caseID)
		if err != nil {
			return CaseDetaineeView{}, err
		}
		if detaineeID == c.DetaineeID {
			var d Detainee
			if err := tx.Where("id = ?", c.DetaineeID).Take(&d).Error; err != nil {
				return CaseDetaineeView{}, record.NotFound(err, "case_detainee")
			}
			return principalView(c.ID, c.DetaineeID, &d), nil
		}
		l, d, err := findCaseDetainee(tx, c.ID, detaineeID)
		if err != nil {
			return CaseDetaineeView{}, err
		}
		return l.view(d), nil
	})
}

// UpdateCaseDetainee changes the role or note of a linked detainee if
// version is current (admin, coordinator, a lawyer of the case).
func (s *Service) UpdateCaseDetainee(ctx context.Context, p *actor.Principal, caseID, detaineeID string, version int64, in CaseDetaineeFields) (CaseDetaineeView, error) {
	return record.Write(ctx, s.Kit, p, func(tx *gorm.DB) (CaseDetaineeView, error) {
		l, d, err := s.editableLink(tx, p, caseID, detaineeID)
		if err != nil {
			return CaseDetaineeView{}, err
		}
		if l.Version != version {
			return CaseDetaineeView{}, record.ErrStale
		}
		ch := record.NewChangeSet()
		l.apply(in, ch)
		if err := ch.Err(); err != nil {
			return CaseDetaineeView{}, err
		}
		if ch.Empty() {
			return l.view(d), nil
		}
		l.Version, l.UpdatedAt = version+1, s.Now()
		if err := record.SaveVersioned(tx, l, version); err != nil {
			return CaseDetaineeView{}, err
		}
		return s.caseDetaineeWritten(ctx, tx, p, l, d, "case_detainee.update", ch.Details())
	})
}

// DeleteCaseDetainee unlinks a detainee from a case if version is current
// (admin, coordinator, a lawyer of the case). The principal detainee is
// never unlinked here. The audit trail keeps the link.
func (s *Service) DeleteCaseDetainee(ctx context.Context, p *actor.Principal, caseID, detaineeID string, version int64) error {
	return s.Do(ctx, p, func(tx *gorm.DB) error {
		l, _, err := s.editableLink(tx, p, caseID, detaineeID)
		if err != nil {
			return err
		}
		if l.Version != version {
			return record.ErrStale
		}
		res := tx.Where("id = ? AND version = ?", l.ID, version).Delete(&CaseDetainee{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return record.ErrStale
		}
		return s.Record(ctx, tx, p, audit.Entry{Action: "case_detainee.delete", ObjectType: "case_detainee", ObjectID: l.ID,
			CaseID: l.CaseID, Details: map[string]any{"detainee_id": l.DetaineeID, "role": l.Role, "version": version}})
	})
}

// editableLink is the link of detaineeID to caseID for a write by p.
func (s *Service) editableLink(tx *gorm.DB, p *actor.Principal, caseID, detaineeID string) (*CaseDetainee, *Detainee, error) {
	c, err := caseHead(tx, p, caseID)
	if err != nil {
		return nil, nil, err
	}
	if detaineeID == c.DetaineeID {
		if !access.MayEditCaseDetainees(p) {
			return nil, nil, errEditCaseDetainees
		}
		return nil, nil, errPrincipalDetainee()
	}
	l, d, err := findCaseDetainee(tx, c.ID, detaineeID)
	if err != nil {
		return nil, nil, err
	}
	if !access.MayEditCaseDetainees(p) {
		return nil, nil, errEditCaseDetainees
	}
	return l, d, nil
}

// ListCaseDetainees lists the detainees of a case p sees: the principal
// detainee first (on the first page, within limit), then the linked ones
// in the order they were linked.
func (s *Service) ListCaseDetainees(ctx context.Context, p *actor.Principal, caseID string, o record.ListOptions) (record.Page[CaseDetaineeView], error) {
	return record.Read(ctx, s.Kit, p, func(tx *gorm.DB) (record.Page[CaseDetaineeView], error) {
		var none record.Page[CaseDetaineeView]
		c, err := caseHead(tx, p, caseID)
		if err != nil {
			return none, err
		}
		// The first page holds the principal and limit-1 links.
		limit, err := record.Limit(o.Limit, record.MaxLimit)
		if err != nil {
			return none, err
		}
		first := o.Cursor == ""
		lo := o
		if first {
			lo.Limit = max(limit-1, 1)
		}
		page, err := caseDetaineeList.Page(func() *gorm.DB {
			return tx.Model(&CaseDetainee{}).Where("case_detainees.case_id = ?", c.ID)
		}, lo)
		if err != nil {
			return none, err
		}
		if first && limit == 1 {
			// The principal alone; the next page starts before the first link.
			page.Items, page.NextCursor = nil, nil
			if page.Total > 0 {
				next := startCursor(o.Sort)
				page.NextCursor = &next
			}
		}
		ids := []string{}
		for _, l := range page.Items {
			ids = append(ids, l.DetaineeID)
		}
		if first {
			ids = append(ids, c.DetaineeID)
		}
		people, err := detaineesByID(tx, ids)
		if err != nil {
			return none, err
		}
		out := record.Page[CaseDetaineeView]{Items: make([]CaseDetaineeView, 0, len(page.Items)+1), NextCursor: page.NextCursor,
			Total: page.Total + 1, TotalCapped: page.TotalCapped}
		if first {
			out.Items = append(out.Items, principalView(c.ID, c.DetaineeID, people[c.DetaineeID]))
		}
		for i := range page.Items {
			out.Items = append(out.Items, page.Items[i].view(people[page.Items[i].DetaineeID]))
		}
		return out, nil
	})
}

// startCursor is a cursor of caseDetaineeList before its first row: ids
// are UUIDs, all after "0" and before "g".
func startCursor(sort string) string {
	if sort == "" {
		sort = caseDetaineeList.DefaultSort
	}
	id := "0"
	if strings.HasPrefix(sort, "-") {
		id = "g"
	}
	return record.EncodeCursor(map[string]string{"s": sort, "v": "", "i": id})
}

// caseDetaineeList is the keyset of a case's linked detainees, in the
// order they were linked (ids are time-ordered).
var caseDetaineeList = record.Keyset[CaseDetainee]{
	Table: "case_detainees",
	Sorts: record.Sorts[CaseDetainee]{
		"created": {Column: "case_detainees.id", Value: func(l *CaseDetainee) string { return l.ID }},
	},
	DefaultSort: "created", ID: func(l *CaseDetainee) string { return l.ID }, Count: true,
}

// caseDetaineeWritten records the audit entry of a change to l and answers l.
func (s *Service) caseDetaineeWritten(ctx context.Context, tx *gorm.DB, p *actor.Principal, l *CaseDetainee, d *Detainee, action string, details map[string]any) (CaseDetaineeView, error) {
	details["version"] = l.Version
	details["detainee_id"] = l.DetaineeID
	if err := s.Record(ctx, tx, p, audit.Entry{Action: action, ObjectType: "case_detainee", ObjectID: l.ID, CaseID: l.CaseID, Details: details}); err != nil {
		return CaseDetaineeView{}, err
	}
	return l.view(d), nil
}

// findCaseDetainee is the link of detaineeID to caseID (a case the caller
// sees: its linked detainees are visible with it) and its detainee.
func findCaseDetainee(tx *gorm.DB, caseID, detaineeID string) (*CaseDetainee, *Detainee, error) {
	var l CaseDetainee
	if err := tx.Where("case_id = ? AND detainee_id = ?", caseID, detaineeID).Take(&l).Error; err != nil {
		return nil, nil, record.NotFound(err, "case_detainee")
	}
	var d Detainee
	if err := tx.Where("id = ?", l.DetaineeID).Take(&d).Error; err != nil {
		return nil, nil, fmt.Errorf("case detainee: %w", err)
	}
	return &l, &d, nil
}

// detaineesByID loads the detainees of ids (their name forms) by id.
func detaineesByID(tx *gorm.DB, ids []string) (map[string]*Detainee, error) {
	out := map[string]*Detainee{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []Detainee
	if err := tx.Select("id, name, other_names").Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("case detainees: names: %w", err)
	}
	for i := range rows {
		out[rows[i].ID] = &rows[i]
	}
	return out, nil
}

// CaseDetaineesOf returns the linked detainees (not the principal) of the
// cases caseIDs, by case, in the order they were linked, with their
// detainee's name forms: for the dossier, the WGAD draft and the case
// export, which have already checked that the caller sees the cases.
func CaseDetaineesOf(tx *gorm.DB, caseIDs []string) (map[string][]CaseDetaineeView, error) {
	out := map[string][]CaseDetaineeView{}
	if len(caseIDs) == 0 {
		return out, nil
	}
	var links []CaseDetainee
	if err := tx.Where("case_id IN ?", caseIDs).Order("case_id, id").Find(&links).Error; err != nil {
		return nil, fmt.Errorf("case detainees: %w", err)
	}
	ids := make([]string, 0, len(links))
	for _, l := range links {
		ids = append(ids, l.DetaineeID)
	}
	people, err := detaineesByID(tx, ids)
	if err != nil {
		return nil, err
	}
	for i := range links {
		out[links[i].CaseID] = append(out[links[i].CaseID], links[i].view(people[links[i].DetaineeID]))
	}
	return out, nil
}

// coDefendantCases lists the cases p sees where detainee id is linked (not
// the principal), newest link first, at most MaxCoDefendantCases.
func coDefendantCases(tx *gorm.DB, p *actor.Principal, id string) ([]CoDefendantCase, error) {
	var rows []struct {
		CaseID, Title, Status, Role, DetaineeID, DetaineeName string
	}
	vis := access.CaseIDVisible(p, "cases.id")
	err := tx.Table("case_detainees").
		Select("cases.id AS case_id, cases.title, cases.status, case_detainees.role, cases.detainee_id, detainees.name AS detainee_name").
		Joins("JOIN cases ON cases.id = case_detainees.case_id").
		Joins("JOIN detainees ON detainees.id = cases.detainee_id").
		Where("case_detainees.detainee_id = ?", id).Where(vis.SQL, vis.Args...).
		Order("case_detainees.id DESC").Limit(MaxCoDefendantCases).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("co-defendant cases: %w", err)
	}
	out := make([]CoDefendantCase, 0, len(rows))
	for _, r := range rows {
		out = append(out, CoDefendantCase{CaseID: r.CaseID, Title: r.Title, Status: r.Status, Role: r.Role,
			DetaineeID: r.DetaineeID, DetaineeName: r.DetaineeName})
	}
	return out, nil
}

// moveCaseDetainees moves the case links of detainee from to detainee to
// (a merge): a link to a case to is already linked to goes, and so does a
// link of to to a case it is the principal detainee of.
func moveCaseDetainees(tx *gorm.DB, from, to string) error {
	if err := tx.Where("detainee_id = ? AND case_id IN (SELECT m_cd.case_id FROM case_detainees m_cd WHERE m_cd.detainee_id = ?)", from, to).
		Delete(&CaseDetainee{}).Error; err != nil {
		return err
	}
	if err := tx.Model(&CaseDetainee{}).Where("detainee_id = ?", from).Update("detainee_id", to).Error; err != nil {
		return err
	}
	return tx.Where("detainee_id = ? AND case_id IN (SELECT m_c.id FROM cases m_c WHERE m_c.detainee_id = ?)", to, to).
		Delete(&CaseDetainee{}).Error
}
