package httpapi

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/timeline"
)

// hearingsHandlers serve the hearing lists: a case's and the calendar.
type hearingsHandlers struct{ svc *timeline.Service }

func (h *hearingsHandlers) list(c *gin.Context) {
	caseID, ok := pathCaseID(c)
	if !ok {
		return
	}
	if limit, ok := queryLimit(c, timeline.MaxPage); ok {
		page, err := h.svc.ListHearings(c.Request.Context(), principal(c), caseID, c.Query("cursor"), limit)
		render(c, http.StatusOK, page, err)
	}
}

// calendar answers GET /hearings?from=&to= across the caller's cases.
func (h *hearingsHandlers) calendar(c *gin.Context) {
	r := timeline.HearingRange{Cursor: c.Query("cursor")}
	var err error
	for name, dst := range map[string]*time.Time{"from": &r.From, "to": &r.To} {
		if *dst, err = timeline.ParseBound(c.Query(name)); err != nil {
			Fail(c, apperr.Field(name, err.Error()))
			return
		}
	}
	var ok bool
	if r.Limit, ok = queryLimit(c, timeline.MaxPage); ok {
		page, err := h.svc.Calendar(c.Request.Context(), principal(c), r)
		render(c, http.StatusOK, page, err)
	}
}
