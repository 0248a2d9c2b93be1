package deadlines

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/access"
	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/civil"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/lang"
	"github.com/habeas-org/habeas/internal/record"
)

// Release list statuses (GET /api/v1/releases).
const (
	// ReleaseSoon: the expected release falls within the span from today.
	ReleaseSoon = "expected"
	// ReleasePassed: the expected release date has passed and no release is recorded.
	ReleasePassed = "passed"
)

// ReleaseFilter selects the release list.
type ReleaseFilter struct {
	// Within is the span from today an expected release must fall in.
	Within time.Duration
	// Status keeps only "expected" or "passed" items (empty: both).
	Status string
}

// ReleaseItem is one case of the release list.
type ReleaseItem struct {
	CaseID               string   `json:"case_id"`
	DetaineeID           string   `json:"detainee_id"`
	DetaineeName         string   `json:"detainee_name"`
	ExpectedReleaseAt    string   `json:"expected_release_at"`
	ExpectedReleaseBasis []string `json:"expected_release_basis"`
	Status               string   `json:"status"`
}

// ParseReleaseFilter reads the release list query: within ("90d", default
// 90 days, at most 366) and status (expected, passed; empty: both).
func ParseReleaseFilter(within, status string) (ReleaseFilter, error) {
	f := ReleaseFilter{Within: 90 * 24 * time.Hour}
	if within != "" {
		d, err := parseSpan(within)
		if err != nil || d <= 0 || d > 366*24*time.Hour {
			return f, apperr.Field("within", "a span like 90d or 48h, at most 366d")
		}
		f.Within = d
	}
	switch status {
	case "", ReleaseSoon, ReleasePassed:
		f.Status = status
	default:
		return f, apperr.Field("status", "one of expected, passed")
	}
	return f, nil
}

// releaseKeyset pages the release index by expected release date, then
// case.
var releaseKeyset = record.Keyset[releaseRow]{
	Table: "release_items",
	Sorts: record.Sorts[releaseRow]{
		"release_at": {Column: "release_items.release_at", Value: func(r *releaseRow) string { return r.ReleaseAt }},
	},
	DefaultSort: "release_at",
	ID:          func(r *releaseRow) string { return r.ID },
	Count:       true,
}

// Releases lists, a keyset page at a time, the cases p may see whose
// expected release falls within f.Within from today (expected) or has
// passed with no release recorded (passed), by expected release date.
// The rows come from the release index (kept with the time-limit index);
// the page's items are computed afresh in the language of ctx. Audited as
// releases.read.
func (s *Service) Releases(ctx context.Context, p *actor.Principal, f ReleaseFilter, o record.ListOptions) (record.Page[ReleaseItem], error) {
	var none record.Page[ReleaseItem]
	if err := record.Authenticated(p); err != nil {
		return none, err
	}
	if o.Sort != "" && o.Sort != "release_at" {
		return none, apperr.Field("sort", "release_at is the only order of this list")
	}
	if err := s.ensureFresh(ctx); err != nil {
		return none, err
	}
	now, l := s.Now(), lang.From(ctx)
	todayDay := today(now)
	until := today(now.Add(f.Within))
	return record.Read(ctx, s.Kit, p, func(tx *gorm.DB) (record.Page[ReleaseItem], error) {
		set, err := s.caseSet(tx, p, ListFilter{})
		if err != nil {
			return none, err
		}
		q := tx.Model(&releaseRow{}).Where("release_items.class = ?", classOf(p))
		switch {
		case set != nil && len(set) == 0:
			q = q.Where("1 = 0")
		case set != nil:
			if s.DB.Dialect == db.SQLite {
				q = tx.Model(&releaseRow{}).Where("+release_items.class = ?", classOf(p))
			}
			q = q.Where("release_items.case_id IN ?", set)
		case !access.Manages(p):
			q = record.Where(q, access.CaseIDVisible(p, "release_items.case_id"))
		}
		// Passed: the latest possible day is before today; expected: not
		// passed, and the earliest possible day within the span (the
		// union of both is "earliest within the span").
		switch f.Status {
		case ReleasePassed:
			q = q.Where("release_items.latest < ?", dayText(todayDay))
		case ReleaseSoon:
			q = q.Where("release_items.latest >= ? AND release_items.earliest <= ?", dayText(todayDay), dayText(until))
		default:
			q = q.Where("release_items.earliest <= ?", dayText(until))
		}
		base := q.Session(&gorm.Session{})
		page, err := releaseKeyset.Page(func() *gorm.DB { return base.Session(&gorm.Session{}) }, o)
		if err != nil {
			return none, err
		}
		ids := make([]string, len(page.Items))
		for i, r := range page.Items {
			ids[i] = r.CaseID
		}
		var rows []caseRow
		if len(ids) > 0 {
			if err := s.cases(tx, p).Where("cases.id IN ?", ids).Find(&rows).Error; err != nil {
				return none, fmt.Errorf("deadlines: load page cases: %w", err)
			}
		}
		facts, err := s.facts(ctx, tx, access.SeesConfidential(p), rows)
		if err != nil {
			return none, err
		}
		byID := map[string]ReleaseItem{}
		for _, r := range rows {
			cf := facts[r.ID]
			rel := ExpectedRelease(cf.Facts, l)
			if rel.Status != ReleaseExpected {
				continue // changed since the refresh: left out
			}
			status := ReleaseSoon
			if rel.At.Latest(civil.CST).Before(todayDay) {
				status = ReleasePassed
			}
			byID[r.ID] = ReleaseItem{CaseID: r.ID, DetaineeID: r.DetaineeID, DetaineeName: cf.name,
				ExpectedReleaseAt: rel.At.String(), ExpectedReleaseBasis: rel.Basis, Status: status}
		}
		out := record.Page[ReleaseItem]{Items: []ReleaseItem{}, NextCursor: page.NextCursor, Total: page.Total, TotalCapped: page.TotalCapped}
		for _, id := range ids {
			if it, ok := byID[id]; ok {
				out.Items = append(out.Items, it)
			}
		}
		return out, s.Record(ctx, tx, p, audit.Entry{Action: "releases.read", ObjectType: "releases", Details: map[string]any{
			"status": f.Status, "within_hours": int(f.Within.Hours()), "items": len(out.Items)}})
	})
}

// ExpectedReleases computes, inside the caller's transaction tx, the
// expected release of each of caseIDs that p may see (others are left out),
// with the derivation in the language of ctx. internal/cases calls it
// through its ReleaseSource interface (wired in internal/app) to fill
// expected_release_at and expected_release_basis; it records no audit entry
// (the caller's read is audited).
func (s *Service) ExpectedReleases(ctx context.Context, tx *gorm.DB, p *actor.Principal, caseIDs []string) (map[string]Release, error) {
	out := map[string]Release{}
	l := lang.From(ctx)
	for lo := 0; lo < len(caseIDs); lo += batch {
		ids := caseIDs[lo:min(lo+batch, len(caseIDs))]
		var rows []caseRow
		if err := s.cases(tx, p).Where("cases.id IN ?", ids).Find(&rows).Error; err != nil {
			return nil, fmt.Errorf("deadlines: load cases: %w", err)
		}
		if len(rows) == 0 {
			continue
		}
		facts, err := s.loadFacts(ctx, tx, access.SeesConfidential(p), rows, 0)
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			out[r.ID] = ExpectedRelease(facts[r.ID].Facts, l)
		}
	}
	return out, nil
}
