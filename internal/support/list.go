package support

import (
	"encoding/base64"
	"encoding/json"
	"strings"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/access"
	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/cases"
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
	if f.Limit < 0 || f.Limit > cases.MaxLimit {
		return apperr.Field("limit", "between 1 and 200")
	}
	return nil
}

// overdueCond is the SQL condition "the action is overdue on today".
func overdueCond(today string) access.Cond {
	return access.Cond{SQL: "support_actions.status IN ? AND support_actions.due_at <> '' AND support_actions.due_at < ?",
		Args: []any{OpenStatuses, today}}
}

// actionQuery returns a function giving a fresh scoped, filtered query.
func actionQuery(tx *gorm.DB, p *actor.Principal, f ActionFilter, today string) func() *gorm.DB {
	return func() *gorm.DB {
		q := where(tx.Model(&Action{}), access.SupportActionVisible(p, "support_actions"))
		if f.Mine {
			q = where(q, access.SupportActionMine(p, "support_actions"))
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
				q = where(q, c)
			} else {
				q = q.Where("NOT ("+c.SQL+")", c.Args...)
			}
		}
		return q
	}
}

type sortSpec struct {
	column string
	value  func(*Action) string
}

var actionSorts = map[string]sortSpec{
	"created": {column: "support_actions.id", value: func(a *Action) string { return a.ID }},
	"due_at":  {column: "support_actions.due_at", value: func(a *Action) string { return a.DueAt }},
}

type cursor struct {
	Sort  string `json:"s"`
	Value string `json:"v"`
	ID    string `json:"i"`
}

func encodeCursor(c cursor) string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

var errCursor = apperr.Field("cursor", "not a cursor of this list and sort")

func decodeCursor(s, sortName string) (*cursor, error) {
	if s == "" {
		return nil, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) > 4096 {
		return nil, errCursor
	}
	var c cursor
	if err := json.Unmarshal(b, &c); err != nil || c.Sort != sortName || c.ID == "" {
		return nil, errCursor
	}
	return &c, nil
}

// page runs the keyset-paginated query of base.
func page(base func() *gorm.DB, f ActionFilter) ([]Action, *string, error) {
	limit := f.Limit
	if limit == 0 {
		limit = cases.DefaultLimit
	}
	name := f.Sort
	if name == "" {
		name = "-created"
	}
	desc := strings.HasPrefix(name, "-")
	spec, ok := actionSorts[strings.TrimPrefix(name, "-")]
	if !ok {
		return nil, nil, apperr.Field("sort", "not an allowed sort key")
	}
	cur, err := decodeCursor(f.Cursor, name)
	if err != nil {
		return nil, nil, err
	}
	const idCol = "support_actions.id"
	op, dir := ">", "ASC"
	if desc {
		op, dir = "<", "DESC"
	}
	q := base()
	if cur != nil {
		if spec.column == idCol {
			q = q.Where(idCol+" "+op+" ?", cur.ID)
		} else {
			q = q.Where("("+spec.column+" "+op+" ? OR ("+spec.column+" = ? AND "+idCol+" "+op+" ?))", cur.Value, cur.Value, cur.ID)
		}
	}
	order := idCol + " " + dir
	if spec.column != idCol {
		order = spec.column + " " + dir + ", " + order
	}
	var rows []Action
	if err := q.Order(order).Limit(limit + 1).Find(&rows).Error; err != nil {
		return nil, nil, err
	}
	var next *string
	if len(rows) > limit {
		rows = rows[:limit]
		last := &rows[len(rows)-1]
		s := encodeCursor(cursor{Sort: name, Value: spec.value(last), ID: last.ID})
		next = &s
	}
	return rows, next, nil
}

// summarise counts the rows of base by status and type (all and open only),
// and the overdue ones.
func summarise(base func() *gorm.DB, today string) (Summary, error) {
	s := Summary{ByStatus: map[string]int64{}, ByType: map[string]int64{}, OpenByType: map[string]int64{}}
	for _, st := range Statuses {
		s.ByStatus[st] = 0
	}
	for _, t := range ActionTypes {
		s.ByType[t.Value] = 0
		s.OpenByType[t.Value] = 0
	}
	type group struct {
		K string
		N int64
	}
	var rows []group
	if err := base().Select("support_actions.status AS k, COUNT(*) AS n").Group("support_actions.status").Scan(&rows).Error; err != nil {
		return s, err
	}
	for _, r := range rows {
		s.ByStatus[r.K] += r.N
		s.Total += r.N
	}
	rows = nil
	if err := base().Select("support_actions.type AS k, COUNT(*) AS n").Group("support_actions.type").Scan(&rows).Error; err != nil {
		return s, err
	}
	for _, r := range rows {
		s.ByType[r.K] += r.N
	}
	rows = nil
	if err := base().Where("support_actions.status IN ?", OpenStatuses).
		Select("support_actions.type AS k, COUNT(*) AS n").Group("support_actions.type").Scan(&rows).Error; err != nil {
		return s, err
	}
	for _, r := range rows {
		s.OpenByType[r.K] += r.N
	}
	c := overdueCond(today)
	if err := where(base(), c).Count(&s.Overdue).Error; err != nil {
		return s, err
	}
	return s, nil
}
