package httpapi

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/timeline"
)

// registerTimeline adds the timeline routes (issue 6): events, hearings and
// the merged timeline of a case, the hearing calendar and the caller's
// calendar feed under authed; the feed itself under v1 (its secret URL is
// its credential).
func registerTimeline(v1, authed *gin.RouterGroup, svc *timeline.Service) {
	th := &timelineHandlers{svc: svc}
	authed.GET("/cases/:id/timeline", th.timeline)
	authed.POST("/cases/:id/events", th.createEvent)
	authed.GET("/cases/:id/events/:eid", th.getEvent)
	authed.PATCH("/cases/:id/events/:eid", th.updateEvent)
	authed.DELETE("/cases/:id/events/:eid", th.deleteEvent)

	hh := &hearingsHandlers{svc: svc}
	authed.GET("/cases/:id/hearings", hh.list)
	authed.POST("/cases/:id/hearings", hh.create)
	authed.GET("/cases/:id/hearings/:hid", hh.get)
	authed.PATCH("/cases/:id/hearings/:hid", hh.update)
	authed.GET("/hearings", hh.calendar)

	ch := &calendarHandlers{svc: svc}
	authed.GET("/me/calendar-feed", ch.status)
	authed.POST("/me/calendar-feed", ch.rotate)
	authed.DELETE("/me/calendar-feed", ch.revoke)
	v1.GET("/calendar-feeds/:token/hearings.ics", ch.feed)
}

type timelineHandlers struct{ svc *timeline.Service }

// pageLimit reads ?limit (1..timeline.MaxPage); 0 when absent.
func pageLimit(c *gin.Context) (int, bool) {
	v := c.Query("limit")
	if v == "" {
		return 0, true
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > timeline.MaxPage {
		Fail(c, apperr.Field("limit", "must be a whole number from 1 to "+strconv.Itoa(timeline.MaxPage)))
		return 0, false
	}
	return n, true
}

func (h *timelineHandlers) timeline(c *gin.Context) {
	caseID, ok := pathID(c, "id", "case")
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
	if q.Limit, ok = pageLimit(c); !ok {
		return
	}
	page, err := h.svc.Timeline(c.Request.Context(), principal(c), caseID, q)
	if err != nil {
		Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, page)
}

// eventIDs reads {id} and {eid}; a value that is no UUID does not exist.
func eventIDs(c *gin.Context) (caseID, eventID string, ok bool) {
	if caseID, ok = pathID(c, "id", "case"); !ok {
		return "", "", false
	}
	eventID, ok = pathID(c, "eid", "event")
	return caseID, eventID, ok
}

func (h *timelineHandlers) createEvent(c *gin.Context) {
	caseID, ok := pathID(c, "id", "case")
	if !ok {
		return
	}
	var in timeline.EventFields
	if err := BindJSON(c, &in); err != nil {
		Fail(c, err)
		return
	}
	v, err := h.svc.CreateEvent(c.Request.Context(), principal(c), caseID, in)
	if err != nil {
		Fail(c, err)
		return
	}
	c.Header("Location", "/api/v1/cases/"+caseID+"/events/"+v.ID)
	renderVersioned(c, http.StatusCreated, v.Version, v)
}

func (h *timelineHandlers) getEvent(c *gin.Context) {
	caseID, id, ok := eventIDs(c)
	if !ok {
		return
	}
	v, err := h.svc.GetEvent(c.Request.Context(), principal(c), caseID, id)
	if err != nil {
		Fail(c, err)
		return
	}
	renderVersioned(c, http.StatusOK, v.Version, v)
}

func (h *timelineHandlers) updateEvent(c *gin.Context) {
	caseID, id, ok := eventIDs(c)
	if !ok {
		return
	}
	version, ok := ifMatch(c)
	if !ok {
		return
	}
	var in timeline.EventFields
	if err := BindJSON(c, &in); err != nil {
		Fail(c, err)
		return
	}
	v, err := h.svc.UpdateEvent(c.Request.Context(), principal(c), caseID, id, version, in)
	if err != nil {
		Fail(c, err)
		return
	}
	renderVersioned(c, http.StatusOK, v.Version, v)
}

func (h *timelineHandlers) deleteEvent(c *gin.Context) {
	caseID, id, ok := eventIDs(c)
	if !ok {
		return
	}
	var version int64
	if c.GetHeader("If-Match") != "" {
		if version, ok = ifMatch(c); !ok {
			return
		}
	}
	var in timeline.DeleteInput
	if err := BindJSON(c, &in); err != nil {
		Fail(c, err)
		return
	}
	v, err := h.svc.DeleteEvent(c.Request.Context(), principal(c), caseID, id, version, in)
	if err != nil {
		Fail(c, err)
		return
	}
	renderVersioned(c, http.StatusOK, v.Version, v)
}
