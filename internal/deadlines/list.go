package deadlines

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/access"
	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/lang"
	"github.com/habeas-org/habeas/internal/record"
)

// ListFilter selects the limits of GET /api/v1/deadlines.
type ListFilter struct {
	// Statuses keeps only limits in these statuses (empty: all).
	Statuses []Status
	// Rule keeps only the limits of this rule.
	Rule string
	// DueWithin keeps only pending limits due within this long from now
	// (zero: no such filter).
	DueWithin time.Duration
	// CaseID keeps only the limits of this case.
	CaseID string
	// LawyerID keeps only the cases this lawyer holds (an active assignment).
	LawyerID string
}

// ParseListFilter reads the dashboard query: status (one or several of
// pending, met, overdue, overdue_unless_extended, unknown, not_applicable,
// comma-separated), rule (a rule id), due_within ("7d", "48h"; pending
// limits due within the span), case_id and lawyer_id.
func ParseListFilter(status, rule, dueWithin, caseID, lawyerID string) (ListFilter, error) {
	var f ListFilter
	if status != "" {
		for _, st := range strings.Split(status, ",") {
			if !validStatus(Status(st)) {
				return f, apperr.Field("status", "one or more (comma-separated) of pending, met, overdue, overdue_unless_extended, unknown, not_applicable")
			}
			f.Statuses = append(f.Statuses, Status(st))
		}
	}
	if rule != "" {
		if !validRule(rule) {
			return f, apperr.Field("rule", "not a time-limit rule (see docs/deadlines.md)")
		}
		f.Rule = rule
	}
	if dueWithin != "" {
		d, err := parseSpan(dueWithin)
		if err != nil || d <= 0 || d > 366*24*time.Hour {
			return f, apperr.Field("due_within", "a span like 7d or 48h, at most 366d")
		}
		f.DueWithin = d
	}
	for field, v := range map[string]string{"case_id": caseID, "lawyer_id": lawyerID} {
		if msg := record.CheckEncoding(v, 64); msg != "" {
			return f, apperr.Field(field, msg)
		}
	}
	f.CaseID, f.LawyerID = caseID, lawyerID
	return f, nil
}

func validRule(id string) bool {
	for _, r := range Rules {
		if r.ID == id {
			return true
		}
	}
	return false
}

// indexKeyset is the keyset of the index: by urgency (status rank, then due
// date), then row id.
var indexKeyset = record.Keyset[indexRow]{
	Table: "deadline_items",
	Sorts: record.Sorts[indexRow]{
		"urgency": {Column: "deadline_items.urgency", Value: func(r *indexRow) string { return r.Urgency }},
	},
	DefaultSort: "urgency",
	ID:          func(r *indexRow) string { return r.ID },
	Count:       true,
}

// caseSetMax is how many case ids a query names directly (see rows).
const caseSetMax = 5000

// caseSet is the set of cases a query is confined to: the cases a lawyer
// or observer sees, those a lawyer_id filter names, the case_id filter;
// nil when it is not confined (who sees every case, no case filter), or
// when a set is too large to name (then the conditions stay subqueries).
func (s *Service) caseSet(tx *gorm.DB, p *actor.Principal, f ListFilter) ([]string, error) {
	var set []string
	confined := false
	narrow := func(q *gorm.DB) error {
		var ids []string
		if err := q.Limit(caseSetMax+1).Pluck("cases.id", &ids).Error; err != nil {
			return fmt.Errorf("deadlines: cases of the query: %w", err)
		}
		if len(ids) > caseSetMax {
			return nil // too many to name: the subquery conditions apply
		}
		if !confined {
			set, confined = ids, true
			return nil
		}
		keep := map[string]bool{}
		for _, id := range ids {
			keep[id] = true
		}
		out := []string{}
		for _, id := range set {
			if keep[id] {
				out = append(out, id)
			}
		}
		set = out
		return nil
	}
	if !access.Manages(p) {
		if err := narrow(tx.Model(&caseRow{}).Scopes(access.Cases(p))); err != nil {
			return nil, err
		}
	}
	if f.LawyerID != "" {
		if err := narrow(record.Where(tx.Model(&caseRow{}), lawyerCases(p, "cases.id", f.LawyerID))); err != nil {
			return nil, err
		}
	}
	if f.CaseID != "" {
		if err := narrow(tx.Model(&caseRow{}).Where("cases.id = ?", f.CaseID)); err != nil {
			return nil, err
		}
	}
	if confined && set == nil {
		set = []string{}
	}
	return set, nil
}

// lawyerCases is the condition "the case is held by the lawyer" (an
// active assignment), on cases.id.
// For an observer, a lawyer marked confidential holds no case
// (access.LawyerNamed). col is a column written in code.
func lawyerCases(p *actor.Principal, col, lawyerID string) access.Cond {
	named := access.LawyerNamed(p, "fa.lawyer_id")
	return access.Cond{SQL: col + " IN (SELECT fa.case_id FROM assignments fa WHERE fa.lawyer_id = ? AND fa.status = 'active' AND " + named.SQL + ")",
		Args: append([]any{lawyerID}, named.Args...)}
}

// rows is the query on the index rows p may see (p's class, the cases p
// sees: internal/access, in the query) that f selects at now, as a function
// giving a fresh copy. How it is written decides how the databases read
// it, measured on 150,000 cases (1.3 million rows per class;
// docs/benchmarks.md "Time limits"):
//   - confined to a set of cases (a lawyer's, an observer's, a filter's),
//     the rows are read through the case index with the case ids named in
//     the query, and sorted: given the access subquery instead, SQLite read
//     the urgency index from the start and filtered 1.3 million rows for a
//     lawyer's cases (13.6 s). On SQLite the other conditions are written
//     with a unary + so that they are not index constraints and the case
//     index is the one used;
//   - otherwise, in urgency order from the (class, urgency) index, or the
//     (class, rule, urgency) one for a rule, with the statuses also written
//     as a range of the urgency key (it starts with the status rank), so the
//     read stops at the page's end instead of merging every row of each
//     status and sorting them.
func (s *Service) rows(tx *gorm.DB, p *actor.Principal, f ListFilter, now time.Time) (func() *gorm.DB, error) {
	set, err := s.caseSet(tx, p, f)
	if err != nil {
		return nil, err
	}
	plus := ""
	if set != nil && s.DB.Dialect == db.SQLite {
		plus = "+"
	}
	q := tx.Model(&indexRow{}).Where(plus+"deadline_items.class = ?", classOf(p))
	switch {
	case set != nil && len(set) == 0:
		q = q.Where("1 = 0")
	case set != nil:
		q = q.Where("deadline_items.case_id IN ?", set)
	default:
		if !access.Manages(p) {
			q = record.Where(q, access.CaseIDVisible(p, "deadline_items.case_id"))
		}
		if f.LawyerID != "" {
			q = record.Where(q, lawyerCases(p, "deadline_items.case_id", f.LawyerID))
		}
		if f.CaseID != "" {
			q = q.Where("deadline_items.case_id = ?", f.CaseID)
		}
	}
	if f.Rule != "" {
		q = q.Where(plus+"deadline_items.rule = ?", f.Rule)
	}
	statuses := f.Statuses
	if f.DueWithin > 0 {
		// due_within keeps pending limits only.
		statuses = []Status{Pending}
		if len(f.Statuses) > 0 && !containsStatus(f.Statuses, Pending) {
			statuses = []Status{}
		}
	}
	switch {
	case statuses == nil:
	case len(statuses) == 0:
		q = q.Where("1 = 0")
	default:
		lo, hi := len(urgencyRank), 0
		for _, st := range statuses {
			lo, hi = min(lo, urgencyRank[st]), max(hi, urgencyRank[st])
		}
		q = q.Where(plus+"deadline_items.status IN ?", statuses).
			Where(plus+"deadline_items.urgency >= ? AND "+plus+"deadline_items.urgency < ?", strconv.Itoa(lo)+"|", strconv.Itoa(hi+1)+"|")
	}
	if f.DueWithin > 0 {
		until := stamp(now.Add(f.DueWithin))
		q = q.Where("deadline_items.due_at <> '' AND deadline_items.due_at <= ?", until).
			Where(plus+"deadline_items.urgency <= ?", urgencyKey(Pending, until))
	}
	base := q.Session(&gorm.Session{})
	return func() *gorm.DB { return base.Session(&gorm.Session{}) }, nil
}

func containsStatus(list []Status, st Status) bool {
	for _, v := range list {
		if v == st {
			return true
		}
	}
	return false
}

// List answers GET /api/v1/deadlines: a keyset page of the limits f
// selects among the cases p may see, most urgent first (overdue, overdue
// unless extended, pending, unknown, met, not applicable; each by due
// date, unknown dates last), with the capped total. The rows come from the
// index; the page's items are evaluated afresh from their cases' facts in
// the language of ctx. Audited as deadlines.read.
func (s *Service) List(ctx context.Context, p *actor.Principal, f ListFilter, o record.ListOptions) (record.Page[Item], error) {
	var none record.Page[Item]
	if err := record.Authenticated(p); err != nil {
		return none, err
	}
	if o.Sort != "" && o.Sort != "urgency" {
		return none, apperr.Field("sort", "urgency is the only order of this list")
	}
	if err := s.ensureFresh(ctx); err != nil {
		return none, err
	}
	now := s.Now()
	return record.Read(ctx, s.Kit, p, func(tx *gorm.DB) (record.Page[Item], error) {
		rows, err := s.rows(tx, p, f, now)
		if err != nil {
			return none, err
		}
		page, err := indexKeyset.Page(rows, o)
		if err != nil {
			return none, err
		}
		items, err := s.pageItems(ctx, tx, p, page.Items, now)
		if err != nil {
			return none, err
		}
		out := record.Page[Item]{Items: items, NextCursor: page.NextCursor, Total: page.Total, TotalCapped: page.TotalCapped}
		statuses := make([]string, len(f.Statuses))
		for i, st := range f.Statuses {
			statuses[i] = string(st)
		}
		return out, s.Record(ctx, tx, p, audit.Entry{Action: "deadlines.read", ObjectType: "deadlines", Details: map[string]any{
			"status": strings.Join(statuses, ","), "rule": f.Rule, "due_within_hours": int(f.DueWithin.Hours()),
			"case_id": f.CaseID, "lawyer_id": f.LawyerID, "items": len(items)}})
	})
}

// pageItems evaluates the cases of rows (p's class, texts in the language
// of ctx) and returns the result each row names, in the rows' order. A row
// whose result is gone (a write committed between the refresh and this
// read) is left out.
func (s *Service) pageItems(ctx context.Context, tx *gorm.DB, p *actor.Principal, rows []indexRow, now time.Time) ([]Item, error) {
	out := make([]Item, 0, len(rows))
	if len(rows) == 0 {
		return out, nil
	}
	ids := make([]string, 0, len(rows))
	seen := map[string]bool{}
	for _, r := range rows {
		if !seen[r.CaseID] {
			ids, seen[r.CaseID] = append(ids, r.CaseID), true
		}
	}
	var cases []caseRow
	if err := s.cases(tx, p).Where("cases.id IN ?", ids).Find(&cases).Error; err != nil {
		return nil, fmt.Errorf("deadlines: load page cases: %w", err)
	}
	facts, err := s.facts(ctx, tx, access.SeesConfidential(p), cases)
	if err != nil {
		return nil, err
	}
	// Only the page's results are decided (a case with hundreds of
	// meeting requests has hundreds of limits; the page shows one or two).
	want := map[string]map[string]bool{}
	for _, r := range rows {
		if want[r.CaseID] == nil {
			want[r.CaseID] = map[string]bool{}
		}
		want[r.CaseID][r.ItemKey] = true
	}
	l := lang.From(ctx)
	byID := map[string]Item{}
	for _, c := range cases {
		cf := facts[c.ID]
		for key, res := range evaluateKeys(cf.Facts, now, l, want[c.ID]) {
			byID[rowID(classOf(p), c.ID, key)] = Item{CaseID: c.ID, DetaineeName: cf.name, Result: res,
				DueAt: rfc3339(res.DueAt), DueAtLatest: rfc3339(res.DueAtLatest)}
		}
	}
	for _, r := range rows {
		if it, ok := byID[r.ID]; ok {
			out = append(out, it)
		}
	}
	return out, nil
}

// Summary is the dashboard's count of the limits of the cases a user sees.
type Summary struct {
	// ByStatus counts the limits in each status.
	ByStatus map[Status]int64 `json:"by_status"`
	// DueWithin7d counts the pending limits due within seven days, up to
	// record.CountCap (DueWithin7dCapped: there are more).
	DueWithin7d       int64 `json:"due_within_7d"`
	DueWithin7dCapped bool  `json:"due_within_7d_capped"`
	// ByRule counts, per rule that has any, the limits in each status.
	ByRule []RuleCount `json:"by_rule"`
	// ByStage counts, per case stage, the limits in each status.
	ByStage []StageCount `json:"by_stage"`
}

// RuleCount is one rule's counts, with its title and article in the
// reader's language.
type RuleCount struct {
	Rule     string           `json:"rule"`
	Title    string           `json:"title"`
	Basis    string           `json:"basis"`
	ByStatus map[Status]int64 `json:"by_status"`
}

// StageCount is one case stage's counts ("" for cases without a stage).
type StageCount struct {
	Stage    string           `json:"stage"`
	ByStatus map[Status]int64 `json:"by_status"`
}

// countRow is one (rule, status, stage) count.
type countRow struct {
	Rule, Status, Stage string
	N                   int64
}

// Summary answers GET /api/v1/deadlines/summary: counts of the limits of
// the cases p may see, by status, by rule and by case stage, and the
// pending ones due within seven days. For those who see every case the
// counts are the kept totals (deadline_counts); for the others they are
// counted over their cases' rows. Audited as deadlines.summary.read.
func (s *Service) Summary(ctx context.Context, p *actor.Principal) (Summary, error) {
	if err := record.Authenticated(p); err != nil {
		return Summary{}, err
	}
	if err := s.ensureFresh(ctx); err != nil {
		return Summary{}, err
	}
	now := s.Now()
	return record.Read(ctx, s.Kit, p, func(tx *gorm.DB) (Summary, error) {
		var counts []countRow
		rows, err := s.rows(tx, p, ListFilter{}, now)
		if err != nil {
			return Summary{}, err
		}
		if access.Manages(p) {
			err = tx.Table("deadline_counts").Select("rule, status, stage, n").Where("class = ?", classOf(p)).Find(&counts).Error
		} else {
			err = rows().Select("deadline_items.rule, deadline_items.status, deadline_items.stage, COUNT(*) AS n").
				Group("deadline_items.rule, deadline_items.status, deadline_items.stage").Find(&counts).Error
		}
		if err != nil {
			return Summary{}, fmt.Errorf("deadlines: counts: %w", err)
		}
		out := summarize(counts, lang.From(ctx))
		due, err := s.rows(tx, p, ListFilter{DueWithin: 7 * 24 * time.Hour}, now)
		if err != nil {
			return Summary{}, err
		}
		if out.DueWithin7d, out.DueWithin7dCapped, err = record.CountCapped(due()); err != nil {
			return Summary{}, fmt.Errorf("deadlines: count due this week: %w", err)
		}
		return out, s.Record(ctx, tx, p, audit.Entry{Action: "deadlines.summary.read", ObjectType: "deadlines"})
	})
}

// summarize folds counts into the summary, rules in the order of the rule
// table, stages in text order.
func summarize(counts []countRow, l lang.Lang) Summary {
	out := Summary{ByStatus: map[Status]int64{}, ByRule: []RuleCount{}, ByStage: []StageCount{}}
	rules := map[string]map[Status]int64{}
	stages := map[string]map[Status]int64{}
	var stageOrder []string
	for _, c := range counts {
		st := Status(c.Status)
		out.ByStatus[st] += c.N
		if rules[c.Rule] == nil {
			rules[c.Rule] = map[Status]int64{}
		}
		rules[c.Rule][st] += c.N
		if stages[c.Stage] == nil {
			stages[c.Stage] = map[Status]int64{}
			stageOrder = append(stageOrder, c.Stage)
		}
		stages[c.Stage][st] += c.N
	}
	for _, r := range Rules {
		if by, ok := rules[r.ID]; ok {
			out.ByRule = append(out.ByRule, RuleCount{Rule: r.ID, Title: r.Title(l), Basis: r.Basis(l), ByStatus: by})
		}
	}
	sort.Strings(stageOrder)
	for _, st := range stageOrder {
		out.ByStage = append(out.ByStage, StageCount{Stage: st, ByStatus: stages[st]})
	}
	return out
}
