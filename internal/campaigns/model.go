// Package campaigns serves campaigns and crackdowns (issue 25,
// docs/campaigns.md): a named group of cases ("709 crackdown", "Xinjiang",
// "Hong Kong NSL") with a description and dates, which coordinators report
// on as a whole. Who sees and writes them is access.CampaignVisible and
// access.ManagesCampaigns; every list and count of a campaign is over the
// cases its reader sees.
package campaigns

import (
	"strings"
	"time"

	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/partialdate"
	"github.com/habeas-org/habeas/internal/record"
)

// Campaign is one row of campaigns.
type Campaign struct {
	ID            string `gorm:"primaryKey"`
	Name          string
	NameKey       string
	Description   string
	StartedAt     string
	StartedAtSort string
	EndedAt       string
	EndedAtSort   string
	Version       int64
	CreatedBy     string
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// TableName is the campaigns table.
func (Campaign) TableName() string { return "campaigns" }

// Member is one row of campaign_cases: a case of a campaign.
type Member struct {
	CampaignID string `gorm:"primaryKey"`
	CaseID     string `gorm:"primaryKey"`
	AddedBy    string
	AddedAt    time.Time
}

// TableName is the campaign_cases table.
func (Member) TableName() string { return "campaign_cases" }

// Fields are the settable fields of a campaign. Absent leaves a field as
// is; "" clears it (name may not be cleared). started_at and ended_at are
// partial dates (YYYY, YYYY-MM or YYYY-MM-DD, "~" when approximate).
type Fields struct {
	Name        *string `json:"name"`
	Description *string `json:"description"`
	StartedAt   *string `json:"started_at"`
	EndedAt     *string `json:"ended_at"`
}

// CaseAdd is the body adding a case to a campaign.
type CaseAdd struct {
	CaseID string `json:"case_id"`
}

// View is a campaign as the API returns it. Cases counts the campaign's
// cases the reader sees.
type View struct {
	ID          string    `json:"id"`
	Name        string    `json:"name"`
	Description string    `json:"description"`
	StartedAt   *string   `json:"started_at"`
	EndedAt     *string   `json:"ended_at"`
	Cases       int64     `json:"cases"`
	Version     int64     `json:"version"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// View is the campaign as the API returns it, with n visible cases.
func (c *Campaign) View(n int64) View {
	return View{ID: c.ID, Name: c.Name, Description: c.Description, StartedAt: optional(c.StartedAt),
		EndedAt: optional(c.EndedAt), Cases: n, Version: c.Version, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
}

// nameKey is the key two names must not share: cleaned and lower-cased.
func nameKey(name string) string { return strings.ToLower(record.Clean(name)) }

// apply validates in into c.
func (c *Campaign) apply(in Fields, ch *record.ChangeSet) {
	ch.Required(&c.Name, in.Name, "name")
	c.NameKey = nameKey(c.Name)
	ch.Text(&c.Description, in.Description, "description", record.MaxLong, false)
	ch.Date(&c.StartedAt, &c.StartedAtSort, in.StartedAt, "started_at")
	ch.Date(&c.EndedAt, &c.EndedAtSort, in.EndedAt, "ended_at")
	if c.StartedAt != "" && c.EndedAt != "" {
		s, err1 := partialdate.Parse(c.StartedAt, time.UTC)
		e, err2 := partialdate.Parse(c.EndedAt, time.UTC)
		// An end before the start: its latest possible day is before the
		// start's earliest ("2015" may end in "2015-07").
		if err1 == nil && err2 == nil && e.Latest(time.UTC).Before(s.Earliest(time.UTC)) {
			ch.FailCode("ended_at", apperr.FieldBeforeStart, "before started_at")
		}
	}
}
