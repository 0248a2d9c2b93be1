package campaigns

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/access"
	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/deadlines"
	"github.com/habeas-org/habeas/internal/record"
)

// CaseView is a case of a campaign as the campaign page lists it: what the
// reader sees of the case, its most urgent open time limit and the number
// of its overdue limits (from the time-limit index, in the reader's
// visibility class).
type CaseView struct {
	CaseID       string     `json:"case_id"`
	Title        string     `json:"title"`
	DetaineeID   string     `json:"detainee_id"`
	DetaineeName string     `json:"detainee_name"`
	Stage        string     `json:"stage"`
	Status       string     `json:"status"`
	DetainedAt   *string    `json:"detained_at"`
	ReleaseAt    *string    `json:"release_at"`
	Overdue      int64      `json:"overdue"`
	NextLimit    *NextLimit `json:"next_limit"`
	AddedAt      time.Time  `json:"added_at"`
}

// NextLimit is a case's most urgent open time limit.
type NextLimit struct {
	Rule   string  `json:"rule"`
	Status string  `json:"status"`
	DueAt  *string `json:"due_at"`
}

// Membership is a campaign a case belongs to, as the case shows it.
type Membership struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	StartedAt *string   `json:"started_at"`
	EndedAt   *string   `json:"ended_at"`
	AddedAt   time.Time `json:"added_at"`
}

// caseRow is what a campaign's case list reads of a case.
type caseRow struct {
	ID             string
	DetaineeID     string
	Title          string
	Stage          string
	Status         string
	DetainedAt     string
	DetainedAtSort string
	ReleaseAt      string
	AddedAt        time.Time
}

func (caseRow) TableName() string { return "cases" }

// caseList is the keyset of a campaign's cases.
var caseList = record.Keyset[caseRow]{
	Table: "cases",
	Sorts: record.Sorts[caseRow]{
		"detained_at": {Column: "cases.detained_at_sort", Value: func(c *caseRow) string { return c.DetainedAtSort }},
		"created":     {Column: "cases.id", Value: func(c *caseRow) string { return c.ID }},
	},
	DefaultSort: "detained_at", ID: func(c *caseRow) string { return c.ID }, Count: true,
}

// ListCases lists the cases of a campaign that p sees, by detention (sort
// detained_at or created, "-" for descending).
func (s *Service) ListCases(ctx context.Context, p *actor.Principal, id string, o record.ListOptions) (record.Page[CaseView], error) {
	return record.Read(ctx, s.Kit, p, func(tx *gorm.DB) (record.Page[CaseView], error) {
		c, err := find(tx, p, id)
		if err != nil {
			return record.Page[CaseView]{}, err
		}
		base := func() *gorm.DB {
			return record.Where(tx.Model(&caseRow{}).Joins("JOIN campaign_cases ON campaign_cases.case_id = cases.id AND campaign_cases.campaign_id = ?", c.ID),
				access.CaseIDVisible(p, "cases.id"))
		}
		// Keyset selects cases.*; the membership's added_at is read per page.
		page, err := caseList.Page(base, o)
		if err != nil {
			return record.Page[CaseView]{}, err
		}
		return s.caseViews(tx, p, c.ID, page)
	})
}

// caseViews completes a page of a campaign's cases: detainee names, when
// each was added, the time limits.
func (s *Service) caseViews(tx *gorm.DB, p *actor.Principal, campaignID string, page record.Page[caseRow]) (record.Page[CaseView], error) {
	caseIDs := make([]string, len(page.Items))
	detIDs := make([]string, len(page.Items))
	for i, r := range page.Items {
		caseIDs[i], detIDs[i] = r.ID, r.DetaineeID
	}
	names := map[string]string{}
	added := map[string]time.Time{}
	overdue := map[string]int64{}
	next := map[string]deadlines.NextLimit{}
	if len(caseIDs) > 0 {
		var dets []struct{ ID, Name string }
		if err := tx.Table("detainees").Select("id, name").Where("id IN ?", detIDs).Scan(&dets).Error; err != nil {
			return record.Page[CaseView]{}, err
		}
		for _, d := range dets {
			names[d.ID] = d.Name
		}
		var ms []Member
		if err := tx.Where("campaign_id = ? AND case_id IN ?", campaignID, caseIDs).Find(&ms).Error; err != nil {
			return record.Page[CaseView]{}, err
		}
		for _, m := range ms {
			added[m.CaseID] = m.AddedAt
		}
		var od []struct {
			CaseID string
			N      int64
		}
		if err := tx.Table("deadline_items").Select("case_id, COUNT(*) AS n").
			Where("class = ? AND case_id IN ? AND status = ?", class(p), caseIDs, string(deadlines.Overdue)).
			Group("case_id").Scan(&od).Error; err != nil {
			return record.Page[CaseView]{}, err
		}
		for _, r := range od {
			overdue[r.CaseID] = r.N
		}
		var err error
		if next, err = deadlines.NextLimits(tx, p, caseIDs); err != nil {
			return record.Page[CaseView]{}, err
		}
	}
	return record.Map(page, func(r *caseRow) CaseView {
		v := CaseView{CaseID: r.ID, Title: r.Title, DetaineeID: r.DetaineeID, DetaineeName: names[r.DetaineeID], Stage: r.Stage,
			Status: r.Status, DetainedAt: optional(r.DetainedAt), ReleaseAt: optional(r.ReleaseAt), Overdue: overdue[r.ID], AddedAt: added[r.ID]}
		if n, ok := next[r.ID]; ok {
			v.NextLimit = &NextLimit{Rule: n.Rule, Status: n.Status, DueAt: optional(n.DueAt)}
		}
		return v
	}), nil
}

// class is p's visibility class in the time-limit index.
func class(p *actor.Principal) string {
	if access.SeesConfidential(p) {
		return deadlines.ClassFull
	}
	return deadlines.ClassOpen
}

// AddCase adds a case to a campaign (admin, coordinator). An unknown case
// is an error about case_id; a case already in the campaign is 409.
func (s *Service) AddCase(ctx context.Context, p *actor.Principal, id string, in CaseAdd) (Membership, error) {
	return record.Write(ctx, s.Kit, p, func(tx *gorm.DB) (Membership, error) {
		c, err := find(tx, p, id)
		if err != nil {
			return Membership{}, err
		}
		if !access.ManagesCampaigns(p) {
			return Membership{}, errManage
		}
		if in.CaseID == "" {
			return Membership{}, apperr.FieldWithCode("case_id", apperr.FieldRequired, "required")
		}
		if err := record.CaseVisible(tx, p, in.CaseID); err != nil {
			return Membership{}, apperr.FieldWithCode("case_id", apperr.FieldNotFound, "no such case")
		}
		var n int64
		if err := tx.Model(&Member{}).Where("campaign_id = ? AND case_id = ?", c.ID, in.CaseID).Count(&n).Error; err != nil {
			return Membership{}, err
		}
		if n > 0 {
			return Membership{}, errMember
		}
		m := Member{CampaignID: c.ID, CaseID: in.CaseID, AddedBy: p.UserID, AddedAt: s.Now()}
		if err := tx.Create(&m).Error; err != nil {
			if isUnique(err) {
				return Membership{}, errMember
			}
			return Membership{}, fmt.Errorf("campaigns: add case: %w", err)
		}
		if err := s.Record(ctx, tx, p, audit.Entry{Action: "campaign.case_add", ObjectType: "campaign", ObjectID: c.ID,
			CaseID: in.CaseID, Details: map[string]any{"name": c.Name}}); err != nil {
			return Membership{}, err
		}
		return membership(c, m.AddedAt), nil
	})
}

func membership(c *Campaign, added time.Time) Membership {
	return Membership{ID: c.ID, Name: c.Name, StartedAt: optional(c.StartedAt), EndedAt: optional(c.EndedAt), AddedAt: added}
}

// RemoveCase takes a case out of a campaign (admin, coordinator); a case
// not in it is not found.
func (s *Service) RemoveCase(ctx context.Context, p *actor.Principal, id, caseID string) error {
	return s.Do(ctx, p, func(tx *gorm.DB) error {
		c, err := find(tx, p, id)
		if err != nil {
			return err
		}
		if !access.ManagesCampaigns(p) {
			return errManage
		}
		res := tx.Where("campaign_id = ? AND case_id = ?", c.ID, caseID).Delete(&Member{})
		if res.Error != nil {
			return fmt.Errorf("campaigns: remove case: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return apperr.NotFound("case")
		}
		return s.Record(ctx, tx, p, audit.Entry{Action: "campaign.case_remove", ObjectType: "campaign", ObjectID: c.ID,
			CaseID: caseID, Details: map[string]any{"name": c.Name}})
	})
}

// MaxCaseCampaigns bounds the campaigns a case lists (a case belongs to a
// handful).
const MaxCaseCampaigns = record.MaxLimit

// ForCase lists the campaigns of a case p sees, by name (at most
// MaxCaseCampaigns).
func (s *Service) ForCase(ctx context.Context, p *actor.Principal, caseID string) ([]Membership, error) {
	return record.Read(ctx, s.Kit, p, func(tx *gorm.DB) ([]Membership, error) {
		if err := record.CaseVisible(tx, p, caseID); err != nil {
			return nil, err
		}
		return MembershipsTx(tx, caseID)
	})
}

// MembershipsTx lists the campaigns of a case whose visibility the caller
// has checked (a campaign holding a case p sees is visible to p), by name.
func MembershipsTx(tx *gorm.DB, caseID string) ([]Membership, error) {
	var rows []struct {
		Campaign
		AddedAt2 time.Time `gorm:"column:added_at2"`
	}
	err := tx.Table("campaigns").Select("campaigns.*, campaign_cases.added_at AS added_at2").
		Joins("JOIN campaign_cases ON campaign_cases.campaign_id = campaigns.id").
		Where("campaign_cases.case_id = ?", caseID).Order("campaigns.name_key, campaigns.id").Limit(MaxCaseCampaigns).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("campaigns: of case: %w", err)
	}
	out := make([]Membership, 0, len(rows))
	for i := range rows {
		out = append(out, membership(&rows[i].Campaign, rows[i].AddedAt2))
	}
	return out, nil
}
