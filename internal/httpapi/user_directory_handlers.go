package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/cases"
)

// findUsers answers GET /user-directory: the observer and lawyer accounts
// an admin or coordinator picks by name (display name, role and id only).
func (h *caseRecordsHandlers) findUsers(c *gin.Context) {
	o, ok := listOptions(c)
	if !ok {
		return
	}
	in := cases.UserLookup{ListOptions: o, Role: c.Query("role"), IDs: c.QueryArray("id")}
	switch c.Query("unlinked") {
	case "", "false":
	case "true":
		in.Unlinked = true
	default:
		Fail(c, apperr.Field("unlinked", "true or false"))
		return
	}
	page, err := h.svc.FindUsers(c.Request.Context(), principal(c), in)
	render(c, http.StatusOK, page, err)
}
