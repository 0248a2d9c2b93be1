package cases

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/actor"
)

// CaseRelease is the expected release of a case: its date (EDTF text, ""
// when there is none) and its derivation, one line a step, in the
// request's language.
type CaseRelease struct {
	At    string
	Basis []string
}

// ReleaseSource computes the expected release of cases (the time-limit
// engine, internal/deadlines, through an adapter in internal/app): the
// cases of caseIDs that p may see, read inside tx, in the language of ctx
// (lang.From). A case missing from the answer has no expected release.
type ReleaseSource interface {
	ExpectedReleases(ctx context.Context, tx *gorm.DB, p *actor.Principal, caseIDs []string) (map[string]CaseRelease, error)
}

// SetReleaseSource sets where the case views' expected_release_at and
// expected_release_basis come from; without one they are null and [].
func (s *Service) SetReleaseSource(r ReleaseSource) { s.releases = r }

// fillReleases sets the expected release of each view, one call for all.
func (s *Service) fillReleases(ctx context.Context, tx *gorm.DB, p *actor.Principal, views ...*CaseView) error {
	if s.releases == nil || len(views) == 0 {
		return nil
	}
	ids := make([]string, len(views))
	for i, v := range views {
		ids[i] = v.ID
	}
	rel, err := s.releases.ExpectedReleases(ctx, tx, p, ids)
	if err != nil {
		return fmt.Errorf("cases: expected releases: %w", err)
	}
	for _, v := range views {
		r, ok := rel[v.ID]
		if !ok {
			continue
		}
		v.ExpectedReleaseAt = date(r.At)
		if r.Basis != nil {
			v.ExpectedReleaseBasis = r.Basis
		}
	}
	return nil
}
