package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/habeas-org/habeas/internal/deadlines"
)

// deadlinesHandlers serve the legal time-limit routes (issue 9).
type deadlinesHandlers struct{ svc *deadlines.Service }

// itemsBody is the {"items": [...]} answer of both routes.
type itemsBody struct {
	Items []deadlines.Item `json:"items"`
}

func (h *deadlinesHandlers) forCase(c *gin.Context) {
	if id, ok := pathCaseID(c); ok {
		items, err := h.svc.ForCase(c.Request.Context(), principal(c), id)
		render(c, http.StatusOK, itemsBody{Items: items}, err)
	}
}

func (h *deadlinesHandlers) across(c *gin.Context) {
	f, err := deadlines.ParseFilter(c.Query("status"), c.Query("due_within"))
	if err != nil {
		Fail(c, err)
		return
	}
	items, err := h.svc.Across(c.Request.Context(), principal(c), f)
	render(c, http.StatusOK, itemsBody{Items: items}, err)
}
