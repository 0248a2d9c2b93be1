package support

import (
	"context"
	"fmt"
	"sort"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/access"
	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/record"
)

// PartnerFilter filters the partner list.
type PartnerFilter struct {
	Kind   string
	Q      string
	Cursor string
	Limit  int
}

// PartnerPage is one page of partners.
type PartnerPage struct {
	Items      []PartnerView `json:"items"`
	NextCursor *string       `json:"next_cursor"`
	Total      int64         `json:"total"`
}

// linkUsers replaces the observer accounts linked to pt when in names them.
func linkUsers(tx *gorm.DB, pt *Partner, in *[]string, ch *record.ChangeSet, now func() PartnerUser) error {
	if in == nil {
		return nil
	}
	if len(*in) > maxUsers {
		ch.Fail("user_ids", fmt.Sprintf("at most %d accounts", maxUsers))
		return nil
	}
	ids, ok := record.ParseIDs(*in)
	if !ok {
		ch.Fail("user_ids", "not a list of ids")
		return nil
	}
	for _, id := range ids {
		var n int64
		if err := tx.Table("users").Where("id = ? AND role = ? AND disabled = ?", id, string(actor.Observer), false).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			ch.Fail("user_ids", "every id must be an enabled observer account")
			return nil
		}
		var other []string
		if err := tx.Model(&PartnerUser{}).Where("user_id = ? AND partner_id <> ?", id, pt.ID).Pluck("partner_id", &other).Error; err != nil {
			return err
		}
		if len(other) > 0 {
			ch.Fail("user_ids", "an account is already linked to another partner; unlink it there first")
			return nil
		}
	}
	var old []string
	if err := tx.Model(&PartnerUser{}).Where("partner_id = ?", pt.ID).Order("user_id").Pluck("user_id", &old).Error; err != nil {
		return err
	}
	if err := tx.Where("partner_id = ?", pt.ID).Delete(&PartnerUser{}).Error; err != nil {
		return err
	}
	for _, id := range ids {
		row := now()
		row.UserID, row.PartnerID = id, pt.ID
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
	}
	sorted := append([]string(nil), ids...)
	sort.Strings(sorted)
	if !record.Same(sorted, old) {
		ch.Set("user_ids", sorted, true)
	}
	return nil
}

func (s *Service) partnerView(tx *gorm.DB, p *actor.Principal, pt *Partner) (PartnerView, error) {
	users, err := partnerUsers(tx, []string{pt.ID})
	if err != nil {
		return PartnerView{}, err
	}
	return pt.view(p, users[pt.ID]), nil
}

// CreatePartner records a partner (admin, coordinator).
func (s *Service) CreatePartner(ctx context.Context, p *actor.Principal, in PartnerFields) (PartnerView, error) {
	if err := record.Authenticated(p); err != nil {
		return PartnerView{}, err
	}
	if !access.ManagesSupport(p) {
		return PartnerView{}, errManage
	}
	now := s.Now()
	pt, ch := buildPartner(record.NewID(), p.UserID, now, in)
	if err := ch.Err(); err != nil {
		return PartnerView{}, err
	}
	return record.Write(ctx, s.Kit, p, func(tx *gorm.DB) (PartnerView, error) {
		if err := tx.Create(pt).Error; err != nil {
			return PartnerView{}, err
		}
		if err := linkUsers(tx, pt, in.UserIDs, ch, func() PartnerUser { return PartnerUser{CreatedAt: now} }); err != nil {
			return PartnerView{}, err
		}
		if err := ch.Err(); err != nil {
			return PartnerView{}, err
		}
		if err := s.Record(ctx, tx, p, audit.Entry{Action: "partner.create", ObjectType: "partner", ObjectID: pt.ID, Details: ch.Details()}); err != nil {
			return PartnerView{}, err
		}
		return s.partnerView(tx, p, pt)
	})
}

// GetPartner returns a partner p may see; a read that shows the contacts
// (admin, coordinator) is audited.
func (s *Service) GetPartner(ctx context.Context, p *actor.Principal, id string) (PartnerView, error) {
	return record.Read(ctx, s.Kit, p, func(tx *gorm.DB) (PartnerView, error) {
		pt, err := findPartner(tx, p, id)
		if err != nil {
			return PartnerView{}, err
		}
		out, err := s.partnerView(tx, p, pt)
		if err != nil || !access.SeesPartnerConfidential(p) {
			return out, err
		}
		return out, s.Record(ctx, tx, p, audit.Entry{Action: "partner.read", ObjectType: "partner", ObjectID: pt.ID})
	})
}

// UpdatePartner changes a partner if version is current (admin, coordinator).
func (s *Service) UpdatePartner(ctx context.Context, p *actor.Principal, id string, version int64, in PartnerFields) (PartnerView, error) {
	return record.Write(ctx, s.Kit, p, func(tx *gorm.DB) (PartnerView, error) {
		pt, err := findPartner(tx, p, id)
		if err != nil {
			return PartnerView{}, err
		}
		if !access.ManagesSupport(p) {
			return PartnerView{}, errManage
		}
		if pt.Version != version {
			return PartnerView{}, record.ErrStale
		}
		ch := newChanges()
		pt.apply(in, ch)
		if err := ch.Err(); err != nil {
			return PartnerView{}, err
		}
		now := s.Now()
		if err := linkUsers(tx, pt, in.UserIDs, ch, func() PartnerUser { return PartnerUser{CreatedAt: now} }); err != nil {
			return PartnerView{}, err
		}
		if err := ch.Err(); err != nil {
			return PartnerView{}, err
		}
		if ch.Empty() {
			return s.partnerView(tx, p, pt)
		}
		pt.Version, pt.UpdatedAt = version+1, now
		if err := record.SaveVersioned(tx, pt, version); err != nil {
			return PartnerView{}, err
		}
		if err := s.Record(ctx, tx, p, audit.Entry{Action: "partner.update", ObjectType: "partner", ObjectID: pt.ID, Details: ch.Details()}); err != nil {
			return PartnerView{}, err
		}
		return s.partnerView(tx, p, pt)
	})
}

// DeletePartner removes a partner no action is assigned to (admin,
// coordinator); its account links go with it.
func (s *Service) DeletePartner(ctx context.Context, p *actor.Principal, id string) error {
	return s.Do(ctx, p, func(tx *gorm.DB) error {
		pt, err := findPartner(tx, p, id)
		if err != nil {
			return err
		}
		if !access.ManagesSupport(p) {
			return errManage
		}
		var n int64
		if err := tx.Model(&Action{}).Where("assignee_partner_id = ?", pt.ID).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return apperr.New(apperr.ErrConflict, "partner_has_actions",
				"support actions are assigned to this partner; reassign them first")
		}
		if err := tx.Where("partner_id = ?", pt.ID).Delete(&PartnerUser{}).Error; err != nil {
			return err
		}
		if err := tx.Delete(&Partner{}, "id = ?", pt.ID).Error; err != nil {
			return err
		}
		return s.Record(ctx, tx, p, audit.Entry{Action: "partner.delete", ObjectType: "partner", ObjectID: pt.ID})
	})
}

// partnerList is the keyset of the partner list, by name. Its pages carry
// no count of their own: the list counts every match (PartnerPage.Total).
var partnerList = record.Keyset[Partner]{
	Table:       "partners",
	Sorts:       record.Sorts[Partner]{"name": {Column: "partners.name", Value: func(pt *Partner) string { return pt.Name }}},
	DefaultSort: "name", ID: func(pt *Partner) string { return pt.ID },
}

// ListPartners lists the partners p sees, by name.
func (s *Service) ListPartners(ctx context.Context, p *actor.Principal, f PartnerFilter) (PartnerPage, error) {
	if f.Kind != "" && !PartnerKinds.Has(f.Kind) {
		return PartnerPage{}, apperr.Field("kind", "not a known partner kind")
	}
	if _, err := record.Limit(f.Limit, record.MaxLimit); err != nil {
		return PartnerPage{}, err
	}
	if len(f.Q) > 200 {
		return PartnerPage{}, apperr.Field("q", "at most 200 bytes")
	}
	return record.Read(ctx, s.Kit, p, func(tx *gorm.DB) (PartnerPage, error) {
		base := func() *gorm.DB {
			q := record.Where(tx.Model(&Partner{}), access.PartnerVisible(p, "partners"))
			if f.Kind != "" {
				q = q.Where("partners.kind = ?", f.Kind)
			}
			if f.Q != "" {
				q = q.Where("partners.search LIKE ?"+record.LikeEscape, record.LikePattern(f.Q))
			}
			return q
		}
		// The search text is matched in base: the page is asked without it.
		page, err := partnerList.Page(base, record.ListOptions{Cursor: f.Cursor, Limit: f.Limit})
		if err != nil {
			return PartnerPage{}, err
		}
		out := PartnerPage{NextCursor: page.NextCursor}
		if err := base().Count(&out.Total).Error; err != nil {
			return PartnerPage{}, err
		}
		ids := make([]string, len(page.Items))
		for i := range page.Items {
			ids[i] = page.Items[i].ID
		}
		users, err := partnerUsers(tx, ids)
		if err != nil {
			return PartnerPage{}, err
		}
		out.Items = make([]PartnerView, 0, len(page.Items))
		for i := range page.Items {
			out.Items = append(out.Items, page.Items[i].view(p, users[page.Items[i].ID]))
		}
		return out, nil
	})
}
