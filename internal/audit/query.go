package audit

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/db"
)

// Filter selects audit entries. Empty fields do not filter.
type Filter struct {
	ActorID    string
	CaseID     string
	ObjectType string
	ObjectID   string
	Action     string
	// ExcludeActions leaves out the entries of these actions (e.g. the
	// routine auth.refresh that would bury the rest).
	ExcludeActions []string
	From, To       time.Time // To is exclusive
	// OnlyCases limits the result to entries that concern a case (for
	// coordinators, who see the entries of the cases they can see).
	OnlyCases bool
	// Before is the keyset cursor: entries with seq < Before (0: from the newest).
	Before int64
	// BeforeEntry is a keyset cursor that names no sequence number: the
	// entries older than the one with this time and hash (none when there
	// is no such entry).
	BeforeEntry *EntryRef
	Limit       int

	// Scope is an extra condition on the entry, written in code by the
	// caller (e.g. "object_id IN (the evidence the caller may see)").
	Scope *db.Cond

	// visible is the access condition set by Read (Policy.Entries).
	visible *db.Cond
}

// EntryRef names an entry by its time and hash (its seq left out).
type EntryRef struct {
	At, Hash string
}

// Page is one page of entries, newest first.
type Page struct {
	Items      []Row
	NextCursor string
}

// MaxPage is the largest page size.
const MaxPage = 200

// List returns entries matching f, newest first, with a cursor for the next
// page. Every filter value is a bound parameter.
func (l *Log) List(ctx context.Context, f Filter) (Page, error) {
	if f.Limit <= 0 {
		f.Limit = 50
	}
	if f.Limit > MaxPage {
		f.Limit = MaxPage
	}
	q := l.db.WithContext(ctx).Model(&Row{})
	q = eq(q, "actor_id", f.ActorID)
	q = eq(q, "case_id", f.CaseID)
	q = eq(q, "object_type", f.ObjectType)
	q = eq(q, "object_id", f.ObjectID)
	q = eq(q, "action", f.Action)
	if len(f.ExcludeActions) > 0 {
		q = q.Where("action NOT IN ?", f.ExcludeActions)
	}
	if f.visible != nil {
		q = q.Where(f.visible.SQL, f.visible.Args...)
	}
	if f.Scope != nil {
		q = q.Where(f.Scope.SQL, f.Scope.Args...)
	}
	if f.OnlyCases {
		q = q.Where("case_id <> ''")
	}
	if !f.From.IsZero() {
		q = q.Where("at >= ?", FormatTime(f.From))
	}
	if !f.To.IsZero() {
		q = q.Where("at < ?", FormatTime(f.To))
	}
	if f.Before > 0 {
		q = q.Where("seq < ?", f.Before)
	}
	if r := f.BeforeEntry; r != nil {
		q = q.Where("seq < (SELECT cur.seq FROM audit_log cur WHERE cur.at = ? AND cur.hash = ?)", r.At, r.Hash)
	}
	var rows []Row
	if err := q.Order("seq DESC").Limit(f.Limit + 1).Find(&rows).Error; err != nil {
		return Page{}, fmt.Errorf("audit list: %w", err)
	}
	p := Page{Items: rows}
	if len(rows) > f.Limit {
		p.Items = rows[:f.Limit]
		p.NextCursor = strconv.FormatInt(p.Items[f.Limit-1].Seq, 10)
	}
	return p, nil
}

func eq(q *gorm.DB, col, v string) *gorm.DB {
	if v == "" {
		return q
	}
	return q.Where(col+" = ?", v) // col is a constant of this file, v a bound parameter
}
