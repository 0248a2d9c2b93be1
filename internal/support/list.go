package support

import (
	"fmt"
	"strings"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/access"
	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/record"
)

// ActionFilter filters a list of support actions. Every list is limited to
// the actions the caller sees; Mine further to those assigned to the
// caller or the caller's partner.
type ActionFilter struct {
	Status         string
	Type           string
	AssigneeUserID string
	PartnerID      string
	CaseID         string
	// Overdue, when set, keeps only overdue (true) or not overdue (false) actions.
	Overdue *bool
	Mine    bool
	// Sort is created or due_at, optionally prefixed with "-" (default -created).
	Sort   string
	Cursor string
	Limit  int
}

// Summary counts the actions matching a list's filters that the caller
// sees (every page, not only the one answered).
type Summary struct {
	Total    int64            `json:"total"`
	Overdue  int64            `json:"overdue"`
	ByStatus map[string]int64 `json:"by_status"`
	ByType   map[string]int64 `json:"by_type"`
	// OpenByType counts by type only the open actions (not closed,
	// declined or cancelled).
	OpenByType map[string]int64 `json:"open_by_type"`
}

// ActionPage is one page of a list of support actions with its summary.
type ActionPage struct {
	Items      []ActionView `json:"items"`
	NextCursor *string      `json:"next_cursor"`
	Total      int64        `json:"total"`
	Summary    Summary      `json:"summary"`
}

func (f ActionFilter) validate() error {
	if f.Status != "" && !ValidStatus(f.Status) {
		return apperr.Field("status", "not a known status")
	}
	if f.Type != "" && !ActionTypes.Has(f.Type) {
		return apperr.Field("type", "not a known action type")
	}
	for field, v := range map[string]string{"assignee": f.AssigneeUserID, "partner": f.PartnerID, "case": f.CaseID} {
		if _, err := uuid.Parse(v); v != "" && (err != nil || len(v) != 36) {
			return apperr.Field(field, "not an id")
		}
	}
	_, err := record.Limit(f.Limit, record.MaxLimit)
	return err
}

// overdueCond is the SQL condition "the action is overdue on today".
func overdueCond(today string) access.Cond { return overdueOn(today, statusCol) }

// statusCol is the status column as a condition names it; statusNoIndex
// is the same on SQLite, written so that it is not an index constraint.
const (
	statusCol     = "support_actions.status"
	statusNoIndex = "+support_actions.status"
)

// overdueOn is overdueCond with the status column written as status.
func overdueOn(today, status string) access.Cond {
	return access.Cond{SQL: status + " IN ? AND support_actions.due_at <> '' AND support_actions.due_at < ?",
		Args: []any{OpenStatuses, today}}
}

// actionQuery returns a function giving a fresh scoped, filtered query.
func actionQuery(tx *gorm.DB, p *actor.Principal, f ActionFilter, today string) func() *gorm.DB {
	return func() *gorm.DB {
		q := record.Where(tx.Model(&Action{}), access.SupportActionVisible(p, "support_actions"))
		if f.Mine {
			q = record.Where(q, access.SupportActionMine(p, "support_actions"))
		}
		if f.Status != "" {
			q = q.Where("support_actions.status = ?", f.Status)
		}
		if f.Type != "" {
			q = q.Where("support_actions.type = ?", f.Type)
		}
		if f.AssigneeUserID != "" {
			q = q.Where("support_actions.assignee_user_id = ?", strings.ToLower(f.AssigneeUserID))
		}
		if f.PartnerID != "" {
			q = q.Where("support_actions.assignee_partner_id = ?", strings.ToLower(f.PartnerID))
		}
		if f.CaseID != "" {
			q = q.Where("support_actions.case_id = ?", strings.ToLower(f.CaseID))
		}
		if f.Overdue != nil {
			c := overdueCond(today)
			if *f.Overdue {
				q = record.Where(q, c)
			} else {
				q = q.Where("NOT ("+c.SQL+")", c.Args...)
			}
		}
		return q
	}
}

// actionList is the keyset of the support action lists: by creation
// (default newest first) or due day. Its pages carry no count of their own:
// the total is the summary's.
var actionList = record.Keyset[Action]{
	Table: "support_actions",
	Sorts: record.Sorts[Action]{
		"created": {Column: "support_actions.id", Value: func(a *Action) string { return a.ID }},
		"due_at":  {Column: "support_actions.due_at", Value: func(a *Action) string { return a.DueAt }},
	},
	DefaultSort: "-created", ID: func(a *Action) string { return a.ID },
}

// summarise counts the actions of base by status and type (all and open
// only), and the overdue ones: from the counters when they answer for p and
// f (countersServe), else by a query under p's access condition.
func summarise(tx *gorm.DB, p *actor.Principal, f ActionFilter, base func() *gorm.DB, today string) (Summary, error) {
	if countersServe(p, f) {
		return summariseCounters(tx, f, base, today)
	}
	status := statusCol
	if !access.SeesAllSupportActions(p) && tx.Dialector.Name() == "sqlite" {
		// A lawyer's or observer's actions are few and found through the
		// case (or assignee) index; given a status condition SQLite read
		// the status index instead and checked the access condition on
		// every open action (58,803 of 75,000: 100-500 ms per board).
		status = statusNoIndex
	}
	return summariseQuery(base, today, status)
}

// summariseQuery counts the summary of the actions of base by aggregating
// them (under the caller's access condition, which base carries); status is
// the status column as its conditions name it (statusCol, statusNoIndex).
func summariseQuery(base func() *gorm.DB, today, status string) (Summary, error) {
	s := newSummary()
	type group struct {
		K string
		N int64
	}
	var rows []group
	if err := base().Select("support_actions.status AS k, COUNT(*) AS n").Group("support_actions.status").Scan(&rows).Error; err != nil {
		return s, fmt.Errorf("support: count actions by status: %w", err)
	}
	for _, r := range rows {
		s.ByStatus[r.K] += r.N
		s.Total += r.N
	}
	rows = nil
	if err := base().Select("support_actions.type AS k, COUNT(*) AS n").Group("support_actions.type").Scan(&rows).Error; err != nil {
		return s, fmt.Errorf("support: count actions by type: %w", err)
	}
	for _, r := range rows {
		s.ByType[r.K] += r.N
	}
	rows = nil
	if err := base().Where(status+" IN ?", OpenStatuses).
		Select("support_actions.type AS k, COUNT(*) AS n").Group("support_actions.type").Scan(&rows).Error; err != nil {
		return s, fmt.Errorf("support: count open actions by type: %w", err)
	}
	for _, r := range rows {
		s.OpenByType[r.K] += r.N
	}
	c := overdueOn(today, status)
	if err := record.Where(base(), c).Count(&s.Overdue).Error; err != nil {
		return s, fmt.Errorf("support: count overdue actions: %w", err)
	}
	return s, nil
}
