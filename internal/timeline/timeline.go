package timeline

import (
	"context"
	"slices"
	"sort"
	"strings"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/access"
	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/partialdate"
	"github.com/habeas-org/habeas/internal/record"
)

// Item kinds of the timeline.
const (
	KindEvent   = "event"
	KindHearing = "hearing"
	KindKeyDate = "key_date"
	// KindSupportAction: an international support action of the case
	// (issue 8) with its status changes, one item per action (issue 24).
	KindSupportAction = "support_action"
)

// cursorPos is a position in the timeline: items are ordered by (Key, Kind, ID).
type cursorPos struct {
	Key  string `json:"k"`
	Kind string `json:"t"`
	ID   string `json:"i"`
}

// after reports whether an item at (key, kind, id) comes after c.
func (c *cursorPos) after(key, kind, id string) bool {
	if c == nil {
		return true
	}
	if key != c.Key {
		return key > c.Key
	}
	if kind != c.Kind {
		return kind > c.Kind
	}
	return id > c.ID
}

// keysetWhere restricts a query of a source of one kind to the rows after
// the cursor, keyCol and idCol being its sort-key and id columns.
func keysetWhere(q *gorm.DB, c *cursorPos, kind, keyCol, idCol string) *gorm.DB {
	switch {
	case c == nil:
		return q
	case kind < c.Kind:
		return q.Where(keyCol+" > ?", c.Key)
	case kind > c.Kind:
		return q.Where(keyCol+" >= ?", c.Key)
	default:
		return q.Where("("+keyCol+" > ? OR ("+keyCol+" = ? AND "+idCol+" > ?))", c.Key, c.Key, c.ID)
	}
}

// decodePos reads a next_cursor; with kind set, only a position of that
// kind is one. Anything else is an error about the "cursor" field.
func decodePos(s, kind string) (*cursorPos, error) {
	return record.DecodeCursor(s, func(c *cursorPos) bool {
		return c.Key != "" && c.Kind != "" && c.ID != "" && (kind == "" || c.Kind == kind)
	})
}

// source is one kind of timeline item. fetch returns, in order, at most
// limit items of the case after the cursor that p may see. Adding a kind
// (support actions, issue 8) is one more entry in sources().
type source struct {
	kind  string
	fetch func(ctx context.Context, tx *gorm.DB, p *actor.Principal, caseID string, q TimelineQuery, after *cursorPos, limit int) ([]Item, error)
}

// sources are the kinds of timeline items, merged by Timeline.
func (s *Service) sources() []source {
	return []source{
		{KindEvent, eventItems},
		{KindHearing, hearingItems},
		{KindKeyDate, keyDateItems},
		{KindSupportAction, s.supportItems},
	}
}

// Kinds are the item kinds a timeline can be filtered by.
func Kinds() []string { return []string{KindEvent, KindHearing, KindKeyDate, KindSupportAction} }

// eventItems are the case's events that are not deleted.
func eventItems(_ context.Context, tx *gorm.DB, p *actor.Principal, caseID string, q TimelineQuery, after *cursorPos, limit int) ([]Item, error) {
	db := record.Where(tx.Model(&Event{}), access.TimelineRowVisible(p, "case_events")).
		Where("case_events.case_id = ? AND case_events.deleted_at IS NULL", caseID)
	if q.ObstaclesOnly {
		db = db.Where("case_events.obstacle = ?", true)
	}
	var rows []Event
	if err := keysetWhere(db, after, KindEvent, "case_events.sort_key", "case_events.id").
		Order("case_events.sort_key, case_events.id").Limit(limit).Find(&rows).Error; err != nil {
		return nil, err
	}
	views := make([]*EventView, len(rows))
	out := make([]Item, len(rows))
	for i := range rows {
		v := rows[i].View()
		views[i] = &v
		out[i] = Item{Kind: KindEvent, ID: v.ID, SortKey: rows[i].SortKey, Date: v.OccurredAt, Precision: v.Precision,
			Approximate: v.Approximate, Obstacle: v.Obstacle, Event: &v}
	}
	return out, HideLinks(tx, p, views)
}

// hearingItems are the case's hearings.
func hearingItems(_ context.Context, tx *gorm.DB, p *actor.Principal, caseID string, q TimelineQuery, after *cursorPos, limit int) ([]Item, error) {
	db := record.Where(tx.Model(&Hearing{}), access.TimelineRowVisible(p, "hearings")).Where("hearings.case_id = ?", caseID)
	if q.ObstaclesOnly {
		db = db.Where("hearings.status = ?", "held_without_notice")
	}
	var rows []Hearing
	if err := keysetWhere(db, after, KindHearing, "hearings.sort_key", "hearings.id").
		Order("hearings.sort_key, hearings.id").Limit(limit).Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]Item, len(rows))
	for i := range rows {
		v := rows[i].View()
		t, _ := HearingStatuses.Lookup(v.Status)
		out[i] = Item{Kind: KindHearing, ID: v.ID, SortKey: rows[i].SortKey, Date: v.LocalTime, Precision: PrecisionTime,
			Obstacle: t.Obstacle, Hearing: &v}
	}
	return out, nil
}

// KeyDateFields are the dated fields of a case shown on its timeline, in
// the order of the criminal process.
var KeyDateFields = []struct{ Column, Label string }{
	{"detained_at", "Detained"},
	{"rsdl_start_at", "RSDL started"},
	{"rsdl_end_at", "RSDL ended"},
	{"arrest_approved_at", "Arrest approved"},
	{"indicted_at", "Indicted"},
	{"trial_at", "Trial"},
	{"verdict_at", "Verdict"},
	{"appeal_at", "Appeal"},
	{"sentence_start_at", "Sentence started"},
	{"sentence_end_at", "Sentence ends"},
	{"release_at", "Released"},
}

// keyDateItems are the dated fields of the case record (never confidential).
func keyDateItems(_ context.Context, tx *gorm.DB, _ *actor.Principal, caseID string, q TimelineQuery, after *cursorPos, limit int) ([]Item, error) {
	if q.ObstaclesOnly {
		return nil, nil
	}
	cols := make([]string, len(KeyDateFields))
	for i, f := range KeyDateFields {
		cols[i] = f.Column
	}
	row := map[string]any{}
	if err := tx.Table("cases").Select(cols).Where("id = ?", caseID).Take(&row).Error; err != nil {
		return nil, err
	}
	var out []Item
	for _, f := range KeyDateFields {
		s, _ := row[f.Column].(string)
		if s == "" {
			continue
		}
		d, err := partialdate.Parse(s, zone)
		if err != nil {
			continue // unreadable stored text: not a date to place
		}
		key := d.SortKey()
		if !after.after(key, KindKeyDate, f.Column) {
			continue
		}
		out = append(out, Item{Kind: KindKeyDate, ID: f.Column, SortKey: key, Date: d.String(), Precision: string(d.Precision),
			Approximate: d.Approximate, KeyDate: &KeyDate{Field: f.Column, Label: f.Label, Date: d.String()}})
	}
	sortItems(out)
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

func sortItems(items []Item) {
	sort.SliceStable(items, func(i, j int) bool {
		a, b := items[i], items[j]
		if a.SortKey != b.SortKey {
			return a.SortKey < b.SortKey
		}
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		return a.ID < b.ID
	})
}

// Timeline returns a page of the case's events, hearings and key dates in
// chronological order (see When.SortKey), oldest first. Each source gives
// its first limit+1 items after the cursor; the merge keeps the first limit.
func (s *Service) Timeline(ctx context.Context, p *actor.Principal, caseID string, q TimelineQuery) (Page, error) {
	out := Page{Items: []Item{}}
	if q.Limit <= 0 {
		q.Limit = DefaultPage
	}
	q.Limit = min(q.Limit, MaxPage)
	for _, k := range q.Kinds {
		if !slices.Contains(Kinds(), k) {
			return out, apperr.Field("kind", "one or more of "+strings.Join(Kinds(), ", "))
		}
	}
	var after *cursorPos
	if q.Cursor != "" {
		var err error
		if after, err = decodePos(q.Cursor, ""); err != nil {
			return out, err
		}
	}
	return record.Read(ctx, s.Kit, p, func(tx *gorm.DB) (Page, error) {
		if err := record.CaseVisible(tx, p, caseID); err != nil {
			return out, err
		}
		var items []Item
		for _, src := range s.sources() {
			if len(q.Kinds) > 0 && !slices.Contains(q.Kinds, src.kind) {
				continue
			}
			got, err := src.fetch(ctx, tx, p, caseID, q, after, q.Limit+1)
			if err != nil {
				return out, err
			}
			items = append(items, got...)
		}
		sortItems(items)
		if len(items) > q.Limit {
			items = items[:q.Limit]
			last := items[len(items)-1]
			c := record.EncodeCursor(cursorPos{Key: last.SortKey, Kind: last.Kind, ID: last.ID})
			out.NextCursor = &c
		}
		out.Items = append(out.Items[:0], items...) // [:0]: a second run (db.ReadTx after a broken connection) replaces
		return out, s.Record(ctx, tx, p, audit.Entry{Action: "case.timeline.read", ObjectType: "case", ObjectID: caseID, CaseID: caseID,
			Details: map[string]any{"items": len(items)}})
	})
}
