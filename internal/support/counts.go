package support

import (
	"fmt"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/access"
	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/record"
)

// The board's counters (migration 0015): support_action_counts holds the
// number of actions per (status, type), support_action_open_due the number
// of open actions per due day, both kept by database triggers on every
// write of support_actions. They count every action, so they answer only
// for a caller who sees every one (access.SeesAllSupportActions) and for
// filters on status and type alone; any other summary is counted by a query
// under the caller's access condition.

// countersServe reports whether the counters give p's summary for f.
func countersServe(p *actor.Principal, f ActionFilter) bool {
	return access.SeesAllSupportActions(p) && !f.Mine && f.AssigneeUserID == "" && f.PartnerID == "" &&
		f.CaseID == "" && f.Overdue == nil
}

// newSummary is a summary with every status and type at zero.
func newSummary() Summary {
	s := Summary{ByStatus: map[string]int64{}, ByType: map[string]int64{}, OpenByType: map[string]int64{}}
	for _, st := range Statuses {
		s.ByStatus[st] = 0
	}
	for _, t := range ActionTypes {
		s.ByType[t.Value] = 0
		s.OpenByType[t.Value] = 0
	}
	return s
}

// isOpen reports whether status is one of OpenStatuses.
func isOpen(status string) bool {
	for _, o := range OpenStatuses {
		if o == status {
			return true
		}
	}
	return false
}

// summariseCounters is the summary of every action matching f's status and
// type, from the counters. The overdue count of a filtered board is counted
// from the indexes on (status, due_at) and (type, status, due_at) by base.
func summariseCounters(tx *gorm.DB, f ActionFilter, base func() *gorm.DB, today string) (Summary, error) {
	s := newSummary()
	var rows []struct {
		Status, Type string
		N            int64
	}
	q := tx.Table("support_action_counts").Select("status, type, n").Where("n <> 0")
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if f.Type != "" {
		q = q.Where("type = ?", f.Type)
	}
	if err := q.Scan(&rows).Error; err != nil {
		return s, fmt.Errorf("support: read the action counters: %w", err)
	}
	var open int64
	for _, r := range rows {
		s.ByStatus[r.Status] += r.N
		s.ByType[r.Type] += r.N
		if isOpen(r.Status) {
			s.OpenByType[r.Type] += r.N
			open += r.N
		}
		s.Total += r.N
	}
	if f.Status != "" || f.Type != "" {
		if err := record.Where(base(), overdueCond(today)).Count(&s.Overdue).Error; err != nil {
			return s, fmt.Errorf("support: count overdue actions: %w", err)
		}
		return s, nil
	}
	// Overdue = open - (open without a due day, or not yet due): the days
	// to come are few (due days rarely lie years ahead), while the days
	// gone by add up over the years.
	var notDue int64
	if err := tx.Table("support_action_open_due").Where("due_at >= ? OR due_at = ''", today).
		Select("COALESCE(SUM(n), 0)").Scan(&notDue).Error; err != nil {
		return s, fmt.Errorf("support: count open actions not yet due: %w", err)
	}
	s.Overdue = open - notDue
	return s, nil
}
