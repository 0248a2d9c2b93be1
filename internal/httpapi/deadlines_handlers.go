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

// list answers GET /deadlines: a keyset page of the limits of the visible
// cases, most urgent first.
func (h *deadlinesHandlers) list(c *gin.Context) {
	f, err := deadlines.ParseListFilter(c.Query("status"), c.Query("rule"), c.Query("due_within"), c.Query("case_id"), c.Query("lawyer_id"))
	if err != nil {
		Fail(c, err)
		return
	}
	o, ok := listOptions(c)
	if !ok {
		return
	}
	page, err := h.svc.List(c.Request.Context(), principal(c), f, o)
	render(c, http.StatusOK, page, err)
}

// summary answers GET /deadlines/summary: the counts of the dashboard.
func (h *deadlinesHandlers) summary(c *gin.Context) {
	sum, err := h.svc.Summary(c.Request.Context(), principal(c))
	render(c, http.StatusOK, sum, err)
}
