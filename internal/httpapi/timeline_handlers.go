package httpapi

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/timeline"
)

// timelineHandlers serve the timeline routes (issue 6) that are not plain
// record verbs: the merged timeline of a case and the deletion of an event.
type timelineHandlers struct{ svc *timeline.Service }

func (h *timelineHandlers) timeline(c *gin.Context) {
	caseID, ok := pathCaseID(c)
	if !ok {
		return
	}
	q := timeline.TimelineQuery{Cursor: c.Query("cursor")}
	for _, v := range c.QueryArray("kind") {
		for _, k := range strings.Split(v, ",") {
			if k = strings.TrimSpace(k); k != "" {
				q.Kinds = append(q.Kinds, k)
			}
		}
	}
	switch c.Query("obstacle") {
	case "":
	case "true":
		q.ObstaclesOnly = true
	default:
		Fail(c, apperr.Field("obstacle", "true, or leave it out"))
		return
	}
	if q.Limit, ok = queryLimit(c, timeline.MaxPage); ok {
		page, err := h.svc.Timeline(c.Request.Context(), principal(c), caseID, q)
		render(c, http.StatusOK, page, err)
	}
}

// deleteEvent withdraws an event with a reason (the body); If-Match is
// optional here, read before the body as on every change.
func (h *timelineHandlers) deleteEvent(c *gin.Context) {
	caseID, id, ok := eventKind.ids(c)
	if !ok {
		return
	}
	var version int64
	if c.GetHeader("If-Match") != "" {
		if version, ok = ifMatch(c); !ok {
			return
		}
	}
	if in, ok := bind[timeline.DeleteInput](c); ok {
		v, err := h.svc.DeleteEvent(c.Request.Context(), principal(c), caseID, id, version, in)
		eventKind.render(c, http.StatusOK, v, err)
	}
}
