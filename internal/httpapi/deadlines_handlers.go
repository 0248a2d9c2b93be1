package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/deadlines"
)

type deadlinesHandlers struct{ svc *deadlines.Service }

// registerDeadlines adds the legal time-limit routes (issue 9).
func registerDeadlines(authed *gin.RouterGroup, svc *deadlines.Service) {
	h := &deadlinesHandlers{svc: svc}
	authed.GET("/cases/:id/deadlines", h.forCase)
	authed.GET("/deadlines", h.across)
}

// itemsBody is the {"items": [...]} answer of both routes.
type itemsBody struct {
	Items []deadlines.Item `json:"items"`
}

func (h *deadlinesHandlers) forCase(c *gin.Context) {
	id := c.Param("id")
	if !isUUID(id) {
		Fail(c, apperr.NotFound("case"))
		return
	}
	items, err := h.svc.ForCase(c.Request.Context(), principal(c), id)
	if err != nil {
		Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, itemsBody{Items: items})
}

func (h *deadlinesHandlers) across(c *gin.Context) {
	f, err := deadlines.ParseFilter(c.Query("status"), c.Query("due_within"))
	if err != nil {
		Fail(c, err)
		return
	}
	items, err := h.svc.Across(c.Request.Context(), principal(c), f)
	if err != nil {
		Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, itemsBody{Items: items})
}
