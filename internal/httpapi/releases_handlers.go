package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/habeas-org/habeas/internal/deadlines"
)

// releasesHandlers serve the expected-release list (GET /api/v1/releases,
// issue 19): releases expected within a span and expected dates passed with
// no release recorded, for the cases the caller sees.
type releasesHandlers struct{ svc *deadlines.Service }

// releasesBody is the {"items": [...]} answer.
type releasesBody struct {
	Items []deadlines.ReleaseItem `json:"items"`
}

func (h *releasesHandlers) list(c *gin.Context) {
	f, err := deadlines.ParseReleaseFilter(c.Query("within"), c.Query("status"))
	if err != nil {
		Fail(c, err)
		return
	}
	items, err := h.svc.Releases(c.Request.Context(), principal(c), f)
	if items == nil {
		items = []deadlines.ReleaseItem{}
	}
	render(c, http.StatusOK, releasesBody{Items: items}, err)
}
