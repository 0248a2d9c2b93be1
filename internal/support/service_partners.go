package support

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/access"
	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/cases"
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
func linkUsers(tx *gorm.DB, pt *Partner, in *[]string, ch *changeSet, now func() PartnerUser) error {
	if in == nil {
		return nil
	}
	if len(*in) > maxUsers {
		ch.fail("user_ids", fmt.Sprintf("at most %d accounts", maxUsers))
		return nil
	}
	ids, ok := parseIDs(*in)
	if !ok {
		ch.fail("user_ids", "not a list of ids")
		return nil
	}
	for _, id := range ids {
		var n int64
		if err := tx.Table("users").Where("id = ? AND role = ? AND disabled = ?", id, string(actor.Observer), false).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			ch.fail("user_ids", "every id must be an enabled observer account")
			return nil
		}
		var other []string
		if err := tx.Model(&PartnerUser{}).Where("user_id = ? AND partner_id <> ?", id, pt.ID).Pluck("partner_id", &other).Error; err != nil {
			return err
		}
		if len(other) > 0 {
			ch.fail("user_ids", "an account is already linked to another partner; unlink it there first")
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
	if !sameList(sorted, old) {
		ch.record("user_ids", sorted, true)
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
	var out PartnerView
	if err := authenticated(p); err != nil {
		return out, err
	}
	if !access.ManagesSupport(p) {
		return out, errManage
	}
	now := s.now()
	pt, ch := buildPartner(newID(), p.UserID, now, in)
	if err := ch.err(); err != nil {
		return out, err
	}
	err := s.tx(ctx, p, func(tx *gorm.DB) error {
		if err := tx.Create(pt).Error; err != nil {
			return err
		}
		if err := linkUsers(tx, pt, in.UserIDs, ch, func() PartnerUser { return PartnerUser{CreatedAt: now} }); err != nil {
			return err
		}
		if err := ch.err(); err != nil {
			return err
		}
		if err := s.record(ctx, tx, p, audit.Entry{Action: "partner.create", ObjectType: "partner", ObjectID: pt.ID, Details: ch.details()}); err != nil {
			return err
		}
		var err error
		out, err = s.partnerView(tx, p, pt)
		return err
	})
	return out, err
}

// GetPartner returns a partner p may see; a read that shows the contacts
// (admin, coordinator) is audited.
func (s *Service) GetPartner(ctx context.Context, p *actor.Principal, id string) (PartnerView, error) {
	var out PartnerView
	err := s.tx(ctx, p, func(tx *gorm.DB) error {
		pt, err := findPartner(tx, p, id)
		if err != nil {
			return err
		}
		out, err = s.partnerView(tx, p, pt)
		if err != nil || !access.SeesPartnerConfidential(p) {
			return err
		}
		return s.record(ctx, tx, p, audit.Entry{Action: "partner.read", ObjectType: "partner", ObjectID: pt.ID})
	})
	return out, err
}

// UpdatePartner changes a partner if version is current (admin, coordinator).
func (s *Service) UpdatePartner(ctx context.Context, p *actor.Principal, id string, version int64, in PartnerFields) (PartnerView, error) {
	var out PartnerView
	err := s.tx(ctx, p, func(tx *gorm.DB) error {
		pt, err := findPartner(tx, p, id)
		if err != nil {
			return err
		}
		if !access.ManagesSupport(p) {
			return errManage
		}
		if pt.Version != version {
			return errStale
		}
		ch := newChangeSet()
		pt.apply(in, ch)
		if err := ch.err(); err != nil {
			return err
		}
		now := s.now()
		if err := linkUsers(tx, pt, in.UserIDs, ch, func() PartnerUser { return PartnerUser{CreatedAt: now} }); err != nil {
			return err
		}
		if err := ch.err(); err != nil {
			return err
		}
		if ch.empty() {
			out, err = s.partnerView(tx, p, pt)
			return err
		}
		pt.Version, pt.UpdatedAt = version+1, now
		if err := saveVersioned(tx, pt, version); err != nil {
			return err
		}
		if err := s.record(ctx, tx, p, audit.Entry{Action: "partner.update", ObjectType: "partner", ObjectID: pt.ID, Details: ch.details()}); err != nil {
			return err
		}
		out, err = s.partnerView(tx, p, pt)
		return err
	})
	return out, err
}

// DeletePartner removes a partner no action is assigned to (admin,
// coordinator); its account links go with it.
func (s *Service) DeletePartner(ctx context.Context, p *actor.Principal, id string) error {
	return s.tx(ctx, p, func(tx *gorm.DB) error {
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
		return s.record(ctx, tx, p, audit.Entry{Action: "partner.delete", ObjectType: "partner", ObjectID: pt.ID})
	})
}

// ListPartners lists the partners p sees, by name.
func (s *Service) ListPartners(ctx context.Context, p *actor.Principal, f PartnerFilter) (PartnerPage, error) {
	var out PartnerPage
	if f.Kind != "" && !PartnerKinds.Has(f.Kind) {
		return out, apperr.Field("kind", "not a known partner kind")
	}
	if f.Limit < 0 || f.Limit > cases.MaxLimit {
		return out, apperr.Field("limit", "between 1 and 200")
	}
	if len(f.Q) > 200 {
		return out, apperr.Field("q", "at most 200 bytes")
	}
	limit := f.Limit
	if limit == 0 {
		limit = cases.DefaultLimit
	}
	cur, err := decodeCursor(f.Cursor, "name")
	if err != nil {
		return out, err
	}
	err = s.tx(ctx, p, func(tx *gorm.DB) error {
		base := func() *gorm.DB {
			q := where(tx.Model(&Partner{}), access.PartnerVisible(p, "partners"))
			if f.Kind != "" {
				q = q.Where("partners.kind = ?", f.Kind)
			}
			if f.Q != "" {
				r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
				q = q.Where(`partners.search LIKE ? ESCAPE '\'`, "%"+r.Replace(strings.ToLower(cases.Clean(f.Q)))+"%")
			}
			return q
		}
		if err := base().Count(&out.Total).Error; err != nil {
			return err
		}
		q := base()
		if cur != nil {
			q = q.Where("(partners.name > ? OR (partners.name = ? AND partners.id > ?))", cur.Value, cur.Value, cur.ID)
		}
		var rows []Partner
		if err := q.Order("partners.name ASC, partners.id ASC").Limit(limit + 1).Find(&rows).Error; err != nil {
			return err
		}
		if len(rows) > limit {
			rows = rows[:limit]
			last := rows[len(rows)-1]
			c := encodeCursor(cursor{Sort: "name", Value: last.Name, ID: last.ID})
			out.NextCursor = &c
		}
		ids := make([]string, len(rows))
		for i := range rows {
			ids[i] = rows[i].ID
		}
		users, err := partnerUsers(tx, ids)
		if err != nil {
			return err
		}
		out.Items = make([]PartnerView, 0, len(rows))
		for i := range rows {
			out.Items = append(out.Items, rows[i].view(p, users[rows[i].ID]))
		}
		return nil
	})
	return out, err
}
