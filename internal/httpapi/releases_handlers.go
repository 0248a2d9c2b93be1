package httpapi

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/habeas-org/habeas/internal/actor"
)

// ReleaseLister lists the expected releases of the cases p may see (GET
// /api/v1/releases, issue 19). within ("90d" when empty, at most 366d) and
// status ("expected", "passed" or "" for both) are the raw query
// parameters: the lister checks them and answers a field error naming
// "within" or "status". internal/app wires it to the time-limit engine
// (deadlines.ParseReleaseFilter, then deadlines.Service.Releases). items is
// a JSON array (never nil) of {case_id, detainee_id, detainee_name,
// expected_release_at, expected_release_basis, status}, at most 500.
type ReleaseLister interface {
	Releases(ctx context.Context, p *actor.Principal, within, status string) (items any, err error)
}

// releasesHandlers serve the expected-release list.
type releasesHandlers struct{ svc ReleaseLister }

// releasesBody is the {"items": [...]} answer.
type releasesBody struct {
	Items any `json:"items"`
}

func (h *releasesHandlers) list(c *gin.Context) {
	items, err := h.svc.Releases(c.Request.Context(), principal(c), c.Query("within"), c.Query("status"))
	render(c, http.StatusOK, releasesBody{Items: items}, err)
}
