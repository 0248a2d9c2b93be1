package evidence

import (
	"context"

	"github.com/habeas-org/habeas/internal/actor"
)

// Upload is an upload in progress, for the tests.
type Upload = upload

// BeginUpload commits the pending row of an upload and stops there, as a
// client gone before sending its file leaves it (for the tests of
// reconcile and of idempotency keys).
func (s *Service) BeginUpload(ctx context.Context, p *actor.Principal, caseID, idempotencyKey string) (*Upload, *View, error) {
	return s.beginUpload(ctx, p, caseID, idempotencyKey)
}
