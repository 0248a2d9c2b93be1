package deadlines

import (
	"context"
	"fmt"
	"sort"
	"time"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/access"
	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/civil"
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

// MaxReleaseItems bounds the release list.
const MaxReleaseItems = 500

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

// Releases lists the cases p may see whose expected release falls within
// f.Within from today (expected) or has passed with no release recorded
// (passed), ordered by expected release date, at most MaxReleaseItems.
// Audited as releases.read.
func (s *Service) Releases(ctx context.Context, p *actor.Principal, f ReleaseFilter) ([]ReleaseItem, error) {
	now, l := s.Now(), lang.From(ctx)
	todayDay := today(now)
	until := today(now.Add(f.Within))
	out, err := record.Read(ctx, s.Kit, p, func(tx *gorm.DB) ([]ReleaseItem, error) {
		out := []ReleaseItem{}
		after := ""
		for {
			var rows []caseRow
			q := s.cases(tx, p).Where("cases.id > ?", after).
				Where("cases.sentence_term_months IS NOT NULL AND cases.sentence_term_months > 0").
				Order("cases.id").Limit(batch)
			if err := q.Find(&rows).Error; err != nil {
				return nil, fmt.Errorf("deadlines: load cases: %w", err)
			}
			if len(rows) == 0 {
				break
			}
			facts, err := s.facts(ctx, tx, access.SeesConfidential(p), rows)
			if err != nil {
				return nil, err
			}
			for _, r := range rows {
				cf := facts[r.ID]
				rel := ExpectedRelease(cf.Facts, l)
				if rel.Status != ReleaseExpected {
					continue
				}
				status := ""
				switch {
				case rel.At.Latest(civil.CST).Before(todayDay):
					status = ReleasePassed
				case !rel.At.Earliest(civil.CST).After(until):
					status = ReleaseSoon
				}
				if status == "" || (f.Status != "" && f.Status != status) {
					continue
				}
				out = append(out, ReleaseItem{CaseID: r.ID, DetaineeID: r.DetaineeID, DetaineeName: cf.name,
					ExpectedReleaseAt: rel.At.String(), ExpectedReleaseBasis: rel.Basis, Status: status})
			}
			after = rows[len(rows)-1].ID
		}
		sort.SliceStable(out, func(i, j int) bool {
			if out[i].ExpectedReleaseAt != out[j].ExpectedReleaseAt {
				return out[i].ExpectedReleaseAt < out[j].ExpectedReleaseAt
			}
			return out[i].CaseID < out[j].CaseID
		})
		if len(out) > MaxReleaseItems {
			out = out[:MaxReleaseItems]
		}
		return out, s.Record(ctx, tx, p, audit.Entry{Action: "releases.read", ObjectType: "releases", Details: map[string]any{
			"status": f.Status, "within_hours": int(f.Within.Hours()), "items": len(out)}})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
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
		facts, err := s.facts(ctx, tx, access.SeesConfidential(p), rows)
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			out[r.ID] = ExpectedRelease(facts[r.ID].Facts, l)
		}
	}
	return out, nil
}
