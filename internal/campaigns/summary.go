package campaigns

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/access"
	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/deadlines"
	"github.com/habeas-org/habeas/internal/record"
	"github.com/habeas-org/habeas/internal/support"
)

// MaxMonths bounds the months of a campaign's counts over time: the last
// twenty years up to the current month (a crackdown of 2015 is told from
// its start).
const MaxMonths = 240

// Summary is what the campaign page reports on the campaign as a whole.
// Every count is over the campaign's cases the reader sees; support actions
// are those the reader sees (observers never count a confidential one),
// time limits those of the reader's visibility class in the index.
type Summary struct {
	CampaignID string `json:"campaign_id"`
	// Cases is the number of the campaign's cases the reader sees.
	Cases    int64            `json:"cases"`
	ByStage  map[string]int64 `json:"by_stage"`
	ByStatus map[string]int64 `json:"by_status"`
	// Overdue counts the overdue time limits by status (overdue,
	// overdue_unless_extended); OverdueCases the cases with one at least.
	Overdue      map[string]int64 `json:"overdue"`
	OverdueCases int64            `json:"overdue_cases"`
	// Support counts the support actions of the cases by status.
	Support map[string]int64 `json:"support"`
	// Months are the counts per calendar month, oldest first: from the
	// campaign's start (or its first detention) to the current month, at
	// most MaxMonths (MonthsCapped then says earlier months were left out).
	Months       []Month `json:"months"`
	MonthsCapped bool    `json:"months_capped"`
}

// Month is one month of a campaign's counts over time. A date known only
// to the year counts in its January, one known to the month in that month.
type Month struct {
	// Month is "YYYY-MM".
	Month string `json:"month"`
	// Detained and Released count the cases detained and released in the
	// month; InCustody those detained and not released at its end.
	Detained  int64 `json:"detained"`
	Released  int64 `json:"released"`
	InCustody int64 `json:"in_custody"`
	// Events counts the timeline events of the cases dated in the month.
	Events int64 `json:"events"`
}

// Summary reports on a campaign p may see.
func (s *Service) Summary(ctx context.Context, p *actor.Principal, id string) (Summary, error) {
	return record.Read(ctx, s.Kit, p, func(tx *gorm.DB) (Summary, error) {
		c, err := find(tx, p, id)
		if err != nil {
			return Summary{}, err
		}
		out := Summary{CampaignID: c.ID, ByStage: map[string]int64{}, ByStatus: map[string]int64{},
			Overdue: map[string]int64{string(deadlines.Overdue): 0, string(deadlines.OverdueUnlessExtended): 0}, Support: map[string]int64{}}
		for _, st := range support.Statuses {
			out.Support[string(st)] = 0
		}
		if err := summarise(tx, p, c, s.Now(), &out); err != nil {
			return Summary{}, fmt.Errorf("campaigns: summary: %w", err)
		}
		return out, nil
	})
}

// members is the subquery of the ids of the cases of campaign id that p sees.
func members(tx *gorm.DB, p *actor.Principal, id string) *gorm.DB {
	return visibleMembers(tx.Session(&gorm.Session{NewDB: true}), p).Select("campaign_cases.case_id").Where("campaign_cases.campaign_id = ?", id)
}

type groupCount struct {
	K string
	N int64
}

func summarise(tx *gorm.DB, p *actor.Principal, c *Campaign, now time.Time, out *Summary) error {
	fresh := func() *gorm.DB { return tx.Session(&gorm.Session{NewDB: true}) }
	group := func(q *gorm.DB, col string, into map[string]int64) error {
		var rows []groupCount
		if err := q.Select(col + " AS k, COUNT(*) AS n").Group(col).Scan(&rows).Error; err != nil {
			return err
		}
		for _, r := range rows {
			into[r.K] += r.N
		}
		return nil
	}
	cases := func() *gorm.DB { return fresh().Table("cases").Where("cases.id IN (?)", members(tx, p, c.ID)) }
	if err := group(cases(), "cases.stage", out.ByStage); err != nil {
		return err
	}
	if err := group(cases(), "cases.status", out.ByStatus); err != nil {
		return err
	}
	for _, n := range out.ByStatus {
		out.Cases += n
	}
	limits := func() *gorm.DB {
		return fresh().Table("deadline_items").Where("deadline_items.class = ? AND deadline_items.case_id IN (?) AND deadline_items.status IN ?",
			class(p), members(tx, p, c.ID), []string{string(deadlines.Overdue), string(deadlines.OverdueUnlessExtended)})
	}
	if err := group(limits(), "deadline_items.status", out.Overdue); err != nil {
		return err
	}
	if err := limits().Distinct("deadline_items.case_id").Count(&out.OverdueCases).Error; err != nil {
		return err
	}
	actions := record.Where(fresh().Table("support_actions"), access.SupportActionVisible(p, "support_actions")).
		Where("support_actions.case_id IN (?)", members(tx, p, c.ID))
	if err := group(actions, "support_actions.status", out.Support); err != nil {
		return err
	}
	return months(fresh, p, c, now, members(tx, p, c.ID), out)
}

// months fills out.Months.
func months(fresh func() *gorm.DB, p *actor.Principal, c *Campaign, now time.Time, ids *gorm.DB, out *Summary) error {
	// Detention and release months of the cases, grouped (a few rows per
	// month at most).
	var spans []struct {
		D, R string
		N    int64
	}
	if err := fresh().Table("cases").Select("substr(cases.detained_at_sort, 1, 7) AS d, substr(cases.release_at_sort, 1, 7) AS r, COUNT(*) AS n").
		Where("cases.id IN (?)", ids).Group("substr(cases.detained_at_sort, 1, 7), substr(cases.release_at_sort, 1, 7)").
		Scan(&spans).Error; err != nil {
		return err
	}
	last := now.UTC().Format("2006-01")
	first := last
	if c.StartedAtSort != "" {
		first = c.StartedAtSort[:7]
	}
	for _, s := range spans {
		if s.D != "" && s.D < first {
			first = s.D
		}
	}
	start, _ := time.Parse("2006-01", first)
	end, _ := time.Parse("2006-01", last)
	if first > last {
		start = end
	}
	if end.AddDate(0, -(MaxMonths - 1), 0).After(start) {
		start, out.MonthsCapped = end.AddDate(0, -(MaxMonths-1), 0), true
	}
	index := map[string]int{}
	for m := start; !m.After(end); m = m.AddDate(0, 1, 0) {
		index[m.Format("2006-01")] = len(out.Months)
		out.Months = append(out.Months, Month{Month: m.Format("2006-01")})
	}
	for _, s := range spans {
		if i, ok := index[s.D]; ok {
			out.Months[i].Detained += s.N
		}
		if i, ok := index[s.R]; ok {
			out.Months[i].Released += s.N
		}
		if s.D == "" {
			continue
		}
		for i := range out.Months {
			m := out.Months[i].Month
			if s.D <= m && (s.R == "" || s.R > m) {
				out.Months[i].InCustody += s.N
			}
		}
	}
	var events []groupCount
	from, to := out.Months[0].Month, out.Months[len(out.Months)-1].Month+"~"
	err := record.Where(fresh().Table("case_events"), access.TimelineRowVisible(p, "case_events")).
		Select("substr(case_events.sort_key, 1, 7) AS k, COUNT(*) AS n").
		Where("case_events.case_id IN (?) AND case_events.deleted_at IS NULL AND case_events.sort_key >= ? AND case_events.sort_key < ?", ids, from, to).
		Group("substr(case_events.sort_key, 1, 7)").Scan(&events).Error
	if err != nil {
		return err
	}
	for _, e := range events {
		if i, ok := index[e.K]; ok {
			out.Months[i].Events += e.N
		}
	}
	return nil
}
