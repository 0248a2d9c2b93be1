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

// list answers GET /releases: a keyset page of expected releases.
func (h *releasesHandlers) list(c *gin.Context) {
	f, err := deadlines.ParseReleaseFilter(c.Query("within"), c.Query("status"))
	if err != nil {
		Fail(c, err)
		return
	}
	o, ok := listOptions(c)
	if !ok {
		return
	}
	page, err := h.svc.Releases(c.Request.Context(), principal(c), f, o)
	render(c, http.StatusOK, page, err)
}
