package timeline

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/access"
	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/audit"
)

// CreateHearing records a hearing of the case (admin, coordinator, a lawyer of the case).
func (s *Service) CreateHearing(ctx context.Context, p *actor.Principal, caseID string, f HearingFields) (HearingView, error) {
	var out HearingView
	err := s.tx(ctx, p, func(tx *gorm.DB) error {
		if err := editable(tx, p, caseID); err != nil {
			return err
		}
		h, ch, err := buildHearing(newID(), caseID, p.UserID, s.now(), f)
		if err != nil {
			return err
		}
		if err := tx.Create(h).Error; err != nil {
			return err
		}
		out = h.View()
		ch["time_zone"], ch["status"] = h.TimeZone, h.Status
		return s.record(ctx, tx, p, audit.Entry{Action: "hearing.create", ObjectType: "hearing", ObjectID: h.ID, CaseID: caseID,
			Details: auditDetails(ch, h.Version)})
	})
	return out, err
}

// GetHearing returns one hearing of the case and audits the read.
func (s *Service) GetHearing(ctx context.Context, p *actor.Principal, caseID, id string) (HearingView, error) {
	var out HearingView
	err := s.readTx(ctx, p, func(tx *gorm.DB) error {
		h, err := findHearing(tx, p, caseID, id)
		if err != nil {
			return err
		}
		out = h.View()
		return s.record(ctx, tx, p, audit.Entry{Action: "hearing.read", ObjectType: "hearing", ObjectID: h.ID, CaseID: caseID})
	})
	return out, err
}

// UpdateHearing changes a hearing if version is current.
func (s *Service) UpdateHearing(ctx context.Context, p *actor.Principal, caseID, id string, version int64, f HearingFields) (HearingView, error) {
	var out HearingView
	err := s.tx(ctx, p, func(tx *gorm.DB) error {
		h, err := findHearing(tx, p, caseID, id)
		if err != nil {
			return err
		}
		if !access.MayEditTimeline(p) {
			return errEdit
		}
		if h.Version != version {
			return errStale
		}
		ch, err := f.apply(h)
		if err != nil {
			return err
		}
		if len(ch) == 0 {
			return apperr.Invalid("no_change", "the request changes nothing", nil)
		}
		h.Version, h.UpdatedAt = version+1, s.now()
		res := tx.Model(&Hearing{}).Where("id = ? AND version = ?", h.ID, version).Select("*").
			Omit("id", "case_id", "created_by", "created_at").Updates(h)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return errStale
		}
		out = h.View()
		return s.record(ctx, tx, p, audit.Entry{Action: "hearing.update", ObjectType: "hearing", ObjectID: h.ID, CaseID: caseID,
			Details: auditDetails(ch, h.Version)})
	})
	return out, err
}

// ListHearings returns a page of the case's hearings, earliest first.
func (s *Service) ListHearings(ctx context.Context, p *actor.Principal, caseID string, cursor string, limit int) (HearingPage, error) {
	out := HearingPage{Items: []HearingView{}}
	err := s.readTx(ctx, p, func(tx *gorm.DB) error {
		if err := caseVisible(tx, p, caseID); err != nil {
			return err
		}
		q := where(tx.Model(&Hearing{}), access.TimelineRowVisible(p, "hearings")).Where("hearings.case_id = ?", caseID)
		var err error
		out, err = hearingPage(q, cursor, limit, false)
		return err
	})
	return out, err
}

// Calendar returns the hearings of every case p sees scheduled in
// [r.From, r.To) (either may be zero: open), earliest first, with the
// detainee's name. Reading the calendar is audited.
func (s *Service) Calendar(ctx context.Context, p *actor.Principal, r HearingRange) (HearingPage, error) {
	out := HearingPage{Items: []HearingView{}}
	if !r.From.IsZero() && !r.To.IsZero() && !r.To.After(r.From) {
		return out, apperr.Field("to", "must be after from")
	}
	err := s.readTx(ctx, p, func(tx *gorm.DB) error {
		var err error
		out, err = hearingPage(calendarQuery(tx, p, r, false), r.Cursor, r.Limit, true)
		if err != nil {
			return err
		}
		return s.record(ctx, tx, p, audit.Entry{Action: "hearing.calendar", ObjectType: "hearing",
			Details: map[string]any{"from": timeOrEmpty(r.From), "to": timeOrEmpty(r.To), "count": len(out.Items)}})
	})
	return out, err
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
	q := where(tx.Model(&Hearing{}), access.TimelineRowVisible(p, "hearings"))
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
		c, err := decodeCursor(cursor)
		if err != nil || c.Kind != KindHearing {
			return out, apperr.Field("cursor", "must be the next_cursor of a previous page")
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
		c := encodeCursor(cursorPos{Key: last.SortKey, Kind: KindHearing, ID: last.ID})
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
