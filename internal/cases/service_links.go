package cases

import (
	"context"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/access"
	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/record"
)

// ---- links between cases ----
//
// Who may do what (access.CaseLinkVisible, access.MayEditCaseLinks): a
// link is seen, from either of its cases, only by those who see both
// cases; a link to a case the caller may not see is not listed, not
// counted and not found. Those who may edit a case (admin, coordinator, a
// lawyer holding it) link it to another case they see.

var errEditLinks = apperr.New(apperr.ErrForbidden, "forbidden", "your role may not change the links of this case")

// CreateCaseLink links the case to another case p sees.
func (s *Service) CreateCaseLink(ctx context.Context, p *actor.Principal, caseID string, in CaseLinkCreate) (CaseLinkView, error) {
	return record.Write(ctx, s.Kit, p, func(tx *gorm.DB) (CaseLinkView, error) {
		if err := record.CaseVisible(tx, p, caseID); err != nil {
			return CaseLinkView{}, err
		}
		if !access.MayEditCaseLinks(p) {
			return CaseLinkView{}, errEditLinks
		}
		other := ""
		if in.CaseID != nil {
			other = strings.TrimSpace(*in.CaseID)
		}
		if other == "" {
			return CaseLinkView{}, apperr.Field("case_id", "required")
		}
		other, ok := record.ParseID(other)
		switch {
		case !ok:
			return CaseLinkView{}, apperr.Field("case_id", "no such case")
		case other == caseID:
			return CaseLinkView{}, apperr.Field("case_id", "a case cannot be linked to itself")
		}
		if err := record.CaseVisible(tx, p, other); errors.Is(err, apperr.ErrNotFound) {
			// The same answer whether the case exists or not.
			return CaseLinkView{}, apperr.Field("case_id", "no such case")
		} else if err != nil {
			return CaseLinkView{}, err
		}
		now := s.Now()
		l := &CaseLink{ID: record.NewID(), CaseID: caseID, OtherCaseID: other, Version: 1, CreatedBy: p.UserID, CreatedAt: now, UpdatedAt: now}
		ch := record.NewChangeSet()
		if in.Kind == nil {
			ch.FailCode("kind", apperr.FieldRequired, "required")
		}
		l.apply(in.CaseLinkFields, ch)
		if err := ch.Err(); err != nil {
			return CaseLinkView{}, err
		}
		if err := linkUnique(tx, l); err != nil {
			return CaseLinkView{}, err
		}
		if err := tx.Create(l).Error; err != nil {
			return CaseLinkView{}, err
		}
		details := ch.Details()
		details["other_case_id"] = other
		return s.linkWritten(ctx, tx, l, caseID, p, "case_link.create", details)
	})
}

// GetCaseLink returns a link of the case, read from it, if p sees both cases.
func (s *Service) GetCaseLink(ctx context.Context, p *actor.Principal, caseID, id string) (CaseLinkView, error) {
	return record.Read(ctx, s.Kit, p, func(tx *gorm.DB) (CaseLinkView, error) {
		l, err := findCaseLink(tx, p, caseID, id)
		if err != nil {
			return CaseLinkView{}, err
		}
		return linkView(tx, l, caseID)
	})
}

// UpdateCaseLink changes the kind or note of a link if version is current.
func (s *Service) UpdateCaseLink(ctx context.Context, p *actor.Principal, caseID, id string, version int64, in CaseLinkFields) (CaseLinkView, error) {
	return record.Write(ctx, s.Kit, p, func(tx *gorm.DB) (CaseLinkView, error) {
		l, err := findCaseLink(tx, p, caseID, id)
		if err != nil {
			return CaseLinkView{}, err
		}
		if !access.MayEditCaseLinks(p) {
			return CaseLinkView{}, errEditLinks
		}
		if l.Version != version {
			return CaseLinkView{}, record.ErrStale
		}
		ch := record.NewChangeSet()
		l.apply(in, ch)
		if err := ch.Err(); err != nil {
			return CaseLinkView{}, err
		}
		if ch.Empty() {
			return linkView(tx, l, caseID)
		}
		if ch.Changed("kind") {
			if err := linkUnique(tx, l); err != nil {
				return CaseLinkView{}, err
			}
		}
		l.Version, l.UpdatedAt = version+1, s.Now()
		if err := record.SaveVersioned(tx, l, version); err != nil {
			return CaseLinkView{}, err
		}
		return s.linkWritten(ctx, tx, l, caseID, p, "case_link.update", ch.Details())
	})
}

// DeleteCaseLink removes a link, from either of its cases.
func (s *Service) DeleteCaseLink(ctx context.Context, p *actor.Principal, caseID, id string) error {
	return s.Do(ctx, p, func(tx *gorm.DB) error {
		l, err := findCaseLink(tx, p, caseID, id)
		if err != nil {
			return err
		}
		if !access.MayEditCaseLinks(p) {
			return errEditLinks
		}
		if err := tx.Delete(&CaseLink{}, "id = ?", l.ID).Error; err != nil {
			return err
		}
		return s.Record(ctx, tx, p, audit.Entry{Action: "case_link.delete", ObjectType: "case_link", ObjectID: l.ID, CaseID: caseID,
			Details: map[string]any{"kind": l.Kind, "case_id": l.CaseID, "other_case_id": l.OtherCaseID}})
	})
}

// ListCaseLinks lists the links of a case p sees (to and from it) whose
// other case p also sees, oldest first.
func (s *Service) ListCaseLinks(ctx context.Context, p *actor.Principal, caseID string, o record.ListOptions) (record.Page[CaseLinkView], error) {
	return record.Read(ctx, s.Kit, p, func(tx *gorm.DB) (record.Page[CaseLinkView], error) {
		if err := record.CaseVisible(tx, p, caseID); err != nil {
			return record.Page[CaseLinkView]{}, err
		}
		page, err := linkList.Page(func() *gorm.DB { return caseLinks(tx, p, caseID) }, o)
		if err != nil {
			return record.Page[CaseLinkView]{}, err
		}
		others := make([]string, 0, len(page.Items))
		for i := range page.Items {
			others = append(others, otherCase(&page.Items[i], caseID))
		}
		named, err := linkedCases(tx, others)
		if err != nil {
			return record.Page[CaseLinkView]{}, err
		}
		return record.Map(page, func(l *CaseLink) CaseLinkView { return l.View(caseID, named[otherCase(l, caseID)]) }), nil
	})
}

// CaseLinkRecords are the links of a case (either direction) whose other
// case p sees, for the case export, read from caseID.
func CaseLinkRecords(tx *gorm.DB, p *actor.Principal, caseID string) ([]CaseLinkView, error) {
	var rows []CaseLink
	if err := caseLinks(tx, p, caseID).Order("case_links.id").Limit(record.MaxLimit * 5).Find(&rows).Error; err != nil {
		return nil, err
	}
	others := make([]string, 0, len(rows))
	for i := range rows {
		others = append(others, otherCase(&rows[i], caseID))
	}
	named, err := linkedCases(tx, others)
	if err != nil {
		return nil, err
	}
	out := make([]CaseLinkView, 0, len(rows))
	for i := range rows {
		out = append(out, rows[i].View(caseID, named[otherCase(&rows[i], caseID)]))
	}
	return out, nil
}

// NewCaseLink validates a link from caseID to other (the case import): the
// caller checked that both cases exist and may be written. A link that
// already exists is reported as apperr.ErrConflict.
func NewCaseLink(tx *gorm.DB, id, caseID, other, by string, at time.Time, in CaseLinkFields) (*CaseLink, error) {
	l := &CaseLink{ID: id, CaseID: caseID, OtherCaseID: other, Version: 1, CreatedBy: by, CreatedAt: at, UpdatedAt: at}
	if caseID == other {
		return nil, apperr.Field("case_id", "a case cannot be linked to itself")
	}
	ch := record.NewChangeSet()
	if in.Kind == nil {
		ch.FailCode("kind", apperr.FieldRequired, "required")
	}
	l.apply(in, ch)
	if err := ch.Err(); err != nil {
		return nil, err
	}
	return l, linkUnique(tx, l)
}

// caseLinks is the query of the links of caseID (either direction) p sees.
func caseLinks(tx *gorm.DB, p *actor.Principal, caseID string) *gorm.DB {
	return record.Where(tx.Model(&CaseLink{}), access.CaseLinkVisible(p, "case_links")).
		Where("(case_links.case_id = ? OR case_links.other_case_id = ?)", caseID, caseID)
}

// linkList is the keyset of a case's links, in the order they were made.
var linkList = record.Keyset[CaseLink]{
	Table: "case_links",
	Sorts: record.Sorts[CaseLink]{
		"created": {Column: "case_links.id", Value: func(l *CaseLink) string { return l.ID }},
	},
	DefaultSort: "created", ID: func(l *CaseLink) string { return l.ID }, Count: true,
}

// otherCase is the case at the other end of l from caseID.
func otherCase(l *CaseLink, caseID string) string {
	if l.CaseID == caseID {
		return l.OtherCaseID
	}
	return l.CaseID
}

// findCaseLink is the link id of caseID (either direction), if p sees both its cases.
func findCaseLink(tx *gorm.DB, p *actor.Principal, caseID, id string) (*CaseLink, error) {
	var l CaseLink
	err := caseLinks(tx, p, caseID).Where("case_links.id = ?", id).Take(&l).Error
	if err != nil {
		return nil, record.NotFound(err, "case_link")
	}
	return &l, nil
}

// linkUnique refuses a second link of the same kind between the same two
// cases (either way round for the kinds that read the same both ways).
func linkUnique(tx *gorm.DB, l *CaseLink) error {
	q := tx.Model(&CaseLink{}).Where("kind = ? AND id <> ?", l.Kind, l.ID)
	if symmetricLink(l.Kind) {
		q = q.Where("((case_id = ? AND other_case_id = ?) OR (case_id = ? AND other_case_id = ?))", l.CaseID, l.OtherCaseID, l.OtherCaseID, l.CaseID)
	} else {
		q = q.Where("case_id = ? AND other_case_id = ?", l.CaseID, l.OtherCaseID)
	}
	var n int64
	if err := q.Count(&n).Error; err != nil {
		return err
	}
	if n > 0 {
		return apperr.Field("case_id", "these cases are already linked as "+l.Kind)
	}
	return nil
}

// linkedCases names the cases ids (which the caller sees), by id.
func linkedCases(tx *gorm.DB, ids []string) (map[string]LinkedCase, error) {
	out := map[string]LinkedCase{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []Case
	if err := tx.Select("id, detainee_id, case_numbers, title, status, stage").Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, err
	}
	detainees := make([]string, 0, len(rows))
	for i := range rows {
		detainees = append(detainees, rows[i].DetaineeID)
	}
	var names []Detainee
	if err := tx.Select("id, name").Where("id IN ?", detainees).Find(&names).Error; err != nil {
		return nil, err
	}
	name := map[string]string{}
	for _, d := range names {
		name[d.ID] = d.Name
	}
	for _, c := range rows {
		out[c.ID] = LinkedCase{ID: c.ID, Title: c.Title, CaseNumbers: orEmpty(c.CaseNumbers), DetaineeID: c.DetaineeID,
			DetaineeName: name[c.DetaineeID], Status: c.Status, Stage: c.Stage}
	}
	return out, nil
}

// linkView renders l read from caseID.
func linkView(tx *gorm.DB, l *CaseLink, caseID string) (CaseLinkView, error) {
	named, err := linkedCases(tx, []string{otherCase(l, caseID)})
	if err != nil {
		return CaseLinkView{}, err
	}
	return l.View(caseID, named[otherCase(l, caseID)]), nil
}

// linkWritten records the audit entry of a change to l and answers l read from caseID.
func (s *Service) linkWritten(ctx context.Context, tx *gorm.DB, l *CaseLink, caseID string, p *actor.Principal, action string, details map[string]any) (CaseLinkView, error) {
	details["version"] = l.Version
	if err := s.Record(ctx, tx, p, audit.Entry{Action: action, ObjectType: "case_link", ObjectID: l.ID, CaseID: caseID, Details: details}); err != nil {
		return CaseLinkView{}, err
	}
	return linkView(tx, l, caseID)
}
