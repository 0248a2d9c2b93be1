package campaigns

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
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/record"
)

// Service answers the campaign routes.
type Service struct {
	*record.Kit
}

// NewService returns the campaign service over d, recording into rec.
func NewService(d *db.DB, rec audit.Recorder) *Service {
	return &Service{Kit: record.NewKit("campaigns", d, rec)}
}

var (
	errManage = apperr.New(apperr.ErrForbidden, "forbidden", "only administrators and coordinators change campaigns")
	// errNotEmpty answers the deletion of a campaign that still has cases.
	errNotEmpty = apperr.New(apperr.ErrConflict, "campaign_not_empty", "remove the campaign's cases before deleting it")
	// errMember answers adding a case the campaign holds already.
	errMember = apperr.New(apperr.ErrConflict, "already_in_campaign", "the case is already in this campaign")
)

// errNameTaken answers a name another campaign has (409 naming the field).
func errNameTaken() error {
	e := apperr.New(apperr.ErrConflict, "campaign_name_taken", "another campaign has this name")
	e.Fields = map[string]string{"name": "another campaign has this name"}
	return e
}

// Create records a campaign (admin, coordinator).
func (s *Service) Create(ctx context.Context, p *actor.Principal, in Fields) (View, error) {
	return record.Write(ctx, s.Kit, p, func(tx *gorm.DB) (View, error) {
		if !access.ManagesCampaigns(p) {
			return View{}, errManage
		}
		now := s.Now()
		c := &Campaign{ID: record.NewID(), Version: 1, CreatedBy: p.UserID, CreatedAt: now, UpdatedAt: now}
		ch := record.NewChangeSet()
		c.apply(in, ch)
		if c.Name == "" {
			ch.FailCode("name", apperr.FieldRequired, "required")
		}
		if err := ch.Err(); err != nil {
			return View{}, err
		}
		if err := nameFree(tx, c); err != nil {
			return View{}, err
		}
		if err := tx.Create(c).Error; err != nil {
			if isUnique(err) {
				return View{}, errNameTaken()
			}
			return View{}, fmt.Errorf("campaigns: create: %w", err)
		}
		return s.written(ctx, tx, p, c, "campaign.create", ch.Details(), 0)
	})
}

// nameFree returns errNameTaken when another campaign has c's name.
func nameFree(tx *gorm.DB, c *Campaign) error {
	var n int64
	if err := tx.Model(&Campaign{}).Where("name_key = ? AND id <> ?", c.NameKey, c.ID).Count(&n).Error; err != nil {
		return err
	}
	if n > 0 {
		return errNameTaken()
	}
	return nil
}

// Get returns a campaign p may see, with the number of its cases p sees.
func (s *Service) Get(ctx context.Context, p *actor.Principal, id string) (View, error) {
	return record.Read(ctx, s.Kit, p, func(tx *gorm.DB) (View, error) {
		c, err := find(tx, p, id)
		if err != nil {
			return View{}, err
		}
		n, err := countCases(tx, p, c.ID)
		return c.View(n), err
	})
}

// Update changes a campaign if version is current (admin, coordinator).
func (s *Service) Update(ctx context.Context, p *actor.Principal, id string, version int64, in Fields) (View, error) {
	return record.Write(ctx, s.Kit, p, func(tx *gorm.DB) (View, error) {
		c, err := find(tx, p, id)
		if err != nil {
			return View{}, err
		}
		if !access.ManagesCampaigns(p) {
			return View{}, errManage
		}
		if c.Version != version {
			return View{}, record.ErrStale
		}
		ch := record.NewChangeSet()
		c.apply(in, ch)
		if err := ch.Err(); err != nil {
			return View{}, err
		}
		n, err := countCases(tx, p, c.ID)
		if err != nil {
			return View{}, err
		}
		if ch.Empty() {
			return c.View(n), nil
		}
		if err := nameFree(tx, c); err != nil {
			return View{}, err
		}
		c.Version, c.UpdatedAt = version+1, s.Now()
		if err := record.SaveVersioned(tx, c, version); err != nil {
			return View{}, err
		}
		return s.written(ctx, tx, p, c, "campaign.update", ch.Details(), n)
	})
}

// Delete removes an empty campaign (admin, coordinator): a campaign that
// still has cases is refused (409 campaign_not_empty), so that no
// membership is lost by a slip.
func (s *Service) Delete(ctx context.Context, p *actor.Principal, id string) error {
	return s.Do(ctx, p, func(tx *gorm.DB) error {
		c, err := find(tx, p, id)
		if err != nil {
			return err
		}
		if !access.ManagesCampaigns(p) {
			return errManage
		}
		var n int64
		if err := tx.Model(&Member{}).Where("campaign_id = ?", c.ID).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return errNotEmpty
		}
		if err := tx.Delete(&Campaign{}, "id = ?", c.ID).Error; err != nil {
			return fmt.Errorf("campaigns: delete: %w", err)
		}
		return s.Record(ctx, tx, p, audit.Entry{Action: "campaign.delete", ObjectType: "campaign", ObjectID: c.ID,
			Details: map[string]any{"name": c.Name, "version": c.Version}})
	})
}

// List lists the campaigns p may see, by name (sort name, started_at or
// created, "-" for descending); q matches a part of the name.
func (s *Service) List(ctx context.Context, p *actor.Principal, o record.ListOptions) (record.Page[View], error) {
	return record.Read(ctx, s.Kit, p, func(tx *gorm.DB) (record.Page[View], error) {
		base := func() *gorm.DB {
			q := record.Where(tx.Model(&Campaign{}), access.CampaignVisible(p, "campaigns"))
			if strings.TrimSpace(o.Q) != "" {
				q = q.Where("campaigns.name_key LIKE ?"+record.LikeEscape, record.LikePattern(o.Q))
			}
			return q
		}
		page, err := list.Page(base, o)
		if err != nil {
			return record.Page[View]{}, err
		}
		counts, err := caseCounts(tx, p, ids(page.Items))
		return record.Map(page, func(c *Campaign) View { return c.View(counts[c.ID]) }), err
	})
}

// list is the keyset of the campaign list.
var list = record.Keyset[Campaign]{
	Table: "campaigns",
	Sorts: record.Sorts[Campaign]{
		"name":       {Column: "campaigns.name_key", Value: func(c *Campaign) string { return c.NameKey }},
		"started_at": {Column: "campaigns.started_at_sort", Value: func(c *Campaign) string { return c.StartedAtSort }},
		"created":    {Column: "campaigns.id", Value: func(c *Campaign) string { return c.ID }},
	},
	DefaultSort: "name", ID: func(c *Campaign) string { return c.ID }, Count: true,
}

func ids(cs []Campaign) []string {
	out := make([]string, len(cs))
	for i := range cs {
		out[i] = cs[i].ID
	}
	return out
}

// written records the audit entry of a change to c and answers c.
func (s *Service) written(ctx context.Context, tx *gorm.DB, p *actor.Principal, c *Campaign, action string, details map[string]any, n int64) (View, error) {
	details["version"] = c.Version
	if err := s.Record(ctx, tx, p, audit.Entry{Action: action, ObjectType: "campaign", ObjectID: c.ID, Details: details}); err != nil {
		return View{}, err
	}
	return c.View(n), nil
}

// find is the campaign id, if p may see it.
func find(tx *gorm.DB, p *actor.Principal, id string) (*Campaign, error) {
	var c Campaign
	err := record.Where(tx, access.CampaignVisible(p, "campaigns")).Where("campaigns.id = ?", id).Take(&c).Error
	if err != nil {
		return nil, record.NotFound(err, "campaign")
	}
	return &c, nil
}

// visibleMembers is the query on campaign_cases of the cases of campaign
// id that p sees.
func visibleMembers(tx *gorm.DB, p *actor.Principal) *gorm.DB {
	return record.Where(tx.Table("campaign_cases"), access.CaseIDVisible(p, "campaign_cases.case_id"))
}

// countCases is the number of cases of campaign id that p sees.
func countCases(tx *gorm.DB, p *actor.Principal, id string) (int64, error) {
	var n int64
	err := visibleMembers(tx, p).Where("campaign_cases.campaign_id = ?", id).Count(&n).Error
	return n, err
}

// caseCounts is the number of cases p sees of each campaign of ids.
func caseCounts(tx *gorm.DB, p *actor.Principal, ids []string) (map[string]int64, error) {
	out := map[string]int64{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		CampaignID string
		N          int64
	}
	err := visibleMembers(tx, p).Select("campaign_cases.campaign_id, COUNT(*) AS n").
		Where("campaign_cases.campaign_id IN ?", ids).Group("campaign_cases.campaign_id").Scan(&rows).Error
	for _, r := range rows {
		out[r.CampaignID] = r.N
	}
	return out, err
}

// isUnique reports whether err is a unique-constraint violation (two
// writers racing for the same name or membership).
func isUnique(err error) bool {
	s := strings.ToLower(err.Error())
	return strings.Contains(s, "unique") || strings.Contains(s, "duplicate key") || errors.Is(err, gorm.ErrDuplicatedKey)
}
