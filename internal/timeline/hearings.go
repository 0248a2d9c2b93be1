package timeline

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/access"
	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/record"
)

// CreateHearing records a hearing of the case (admin, coordinator, a lawyer of the case).
func (s *Service) CreateHearing(ctx context.Context, p *actor.Principal, caseID string, f HearingFields) (HearingView, error) {
	return record.Write(ctx, s.Kit, p, func(tx *gorm.DB) (HearingView, error) {
		if err := editable(tx, p, caseID); err != nil {
			return HearingView{}, err
		}
		h, ch, err := buildHearing(record.NewID(), caseID, p.UserID, s.Now(), f)
		if err != nil {
			return HearingView{}, err
		}
		if err := tx.Create(h).Error; err != nil {
			return HearingView{}, err
		}
		ch["time_zone"], ch["status"] = h.TimeZone, h.Status
		return h.View(), s.Record(ctx, tx, p, audit.Entry{Action: "hearing.create", ObjectType: "hearing", ObjectID: h.ID, CaseID: caseID,
			Details: auditDetails(ch, h.Version)})
	})
}

// GetHearing returns one hearing of the case and audits the read.
func (s *Service) GetHearing(ctx context.Context, p *actor.Principal, caseID, id string) (HearingView, error) {
	return record.Read(ctx, s.Kit, p, func(tx *gorm.DB) (HearingView, error) {
		h, err := findHearing(tx, p, caseID, id)
		if err != nil {
			return HearingView{}, err
		}
		return h.View(), s.Record(ctx, tx, p, audit.Entry{Action: "hearing.read", ObjectType: "hearing", ObjectID: h.ID, CaseID: caseID})
	})
}

// UpdateHearing changes a hearing if version is current.
func (s *Service) UpdateHearing(ctx context.Context, p *actor.Principal, caseID, id string, version int64, f HearingFields) (HearingView, error) {
	return record.Write(ctx, s.Kit, p, func(tx *gorm.DB) (HearingView, error) {
		h, err := findHearing(tx, p, caseID, id)
		if err != nil {
			return HearingView{}, err
		}
		if !access.MayEditTimeline(p) {
			return HearingView{}, errEdit
		}
		if h.Version != version {
			return HearingView{}, record.ErrStale
		}
		ch, err := f.apply(h)
		if err != nil {
			return HearingView{}, err
		}
		if len(ch) == 0 {
			return HearingView{}, apperr.Invalid("no_change", "the request changes nothing", nil)
		}
		h.Version, h.UpdatedAt = version+1, s.Now()
		if err := record.SaveVersioned(tx, h, version); err != nil {
			return HearingView{}, err
		}
		return h.View(), s.Record(ctx, tx, p, audit.Entry{Action: "hearing.update", ObjectType: "hearing", ObjectID: h.ID, CaseID: caseID,
			Details: auditDetails(ch, h.Version)})
	})
}

// ListHearings returns a page of the case's hearings, earliest first.
func (s *Service) ListHearings(ctx context.Context, p *actor.Principal, caseID string, cursor string, limit int) (HearingPage, error) {
	out, err := record.Read(ctx, s.Kit, p, func(tx *gorm.DB) (HearingPage, error) {
		if err := record.CaseVisible(tx, p, caseID); err != nil {
			return HearingPage{}, err
		}
		q := record.Where(tx.Model(&Hearing{}), access.TimelineRowVisible(p, "hearings")).Where("hearings.case_id = ?", caseID)
		return hearingPage(q, cursor, limit, false)
	})
	if err != nil {
		return HearingPage{Items: []HearingView{}}, err
	}
	return out, nil
}

// Calendar returns the hearings of every case p sees scheduled in
// [r.From, r.To) (either may be zero: open), earliest first, with the
// detainee's name. Reading the calendar is audited.
func (s *Service) Calendar(ctx context.Context, p *actor.Principal, r HearingRange) (HearingPage, error) {
	if !r.From.IsZero() && !r.To.IsZero() && !r.To.After(r.From) {
		return HearingPage{Items: []HearingView{}}, apperr.Field("to", "must be after from")
	}
	out, err := record.Read(ctx, s.Kit, p, func(tx *gorm.DB) (HearingPage, error) {
		out, err := hearingPage(calendarQuery(tx, p, r, false), r.Cursor, r.Limit, true)
		if err != nil {
			return out, err
		}
		return out, s.Record(ctx, tx, p, audit.Entry{Action: "hearing.calendar", ObjectType: "hearing",
			Details: map[string]any{"from": timeOrEmpty(r.From), "to": timeOrEmpty(r.To), "count": len(out.Items)}})
	})
	if err != nil {
		return HearingPage{Items: []HearingView{}}, err
	}
	return out, nil
}

func timeOrEmpty(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// calendarQuery selects the hearings of the cases p sees in r, with the
// detainee's name; publicOnly leaves confidential hearings out for everyone.
func calendarQuery(tx *gorm.DB, p *actor.Principal, r HearingRange, publicOnly bool) *gorm.DB {
	q := record.Where(tx.Model(&Hearing{}), access.TimelineRowVisible(p, "hearings"))
	if publicOnly {
		q = q.Where("hearings.confidential = ?", false)
	}
	if !r.From.IsZero() {
		q = q.Where("hearings.scheduled_at >= ?", r.From.UTC())
	}
	if !r.To.IsZero() {
		q = q.Where("hearings.scheduled_at < ?", r.To.UTC())
	}
	return q
}

// hearingRow is a hearing with its detainee's name.
type hearingRow struct {
	Hearing
	DetaineeName string
}

// hearingPage reads one page of q ordered by (scheduled_at, id). The cursor
// is the sort key and id of the last hearing of the previous page.
func hearingPage(q *gorm.DB, cursor string, limit int, withNames bool) (HearingPage, error) {
	out := HearingPage{Items: []HearingView{}}
	if limit <= 0 {
		limit = DefaultPage
	}
	limit = min(limit, MaxPage)
	if cursor != "" {
		c, err := decodePos(cursor, KindHearing)
		if err != nil {
			return out, err
		}
		q = q.Where("(hearings.sort_key > ? OR (hearings.sort_key = ? AND hearings.id > ?))", c.Key, c.Key, c.ID)
	}
	var rows []hearingRow
	q = q.Select("hearings.*, detainees.name AS detainee_name").
		Joins("JOIN cases tl_c ON tl_c.id = hearings.case_id").Joins("JOIN detainees ON detainees.id = tl_c.detainee_id")
	if err := q.Order("hearings.sort_key, hearings.id").Limit(limit + 1).Find(&rows).Error; err != nil {
		return out, err
	}
	if len(rows) > limit {
		rows = rows[:limit]
		last := rows[len(rows)-1]
		c := record.EncodeCursor(cursorPos{Key: last.SortKey, Kind: KindHearing, ID: last.ID})
		out.NextCursor = &c
	}
	for i := range rows {
		v := rows[i].View()
		if withNames {
			name := rows[i].DetaineeName
			v.DetaineeName = &name
		}
		out.Items = append(out.Items, v)
	}
	return out, nil
}
