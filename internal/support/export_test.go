package support

import (
	"context"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/record"
)

// SummaryByQuery is the summary of the actions p sees that match f,
// aggregated by the query whatever the counters could answer (tests compare
// the two).
func (s *Service) SummaryByQuery(ctx context.Context, p *actor.Principal, f ActionFilter) (Summary, error) {
	return record.Read(ctx, s.Kit, p, func(tx *gorm.DB) (Summary, error) {
		today := s.Today()
		return summariseQuery(actionQuery(tx, p, f, today), today, statusCol)
	})
}
