package httpapi

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/habeas-org/habeas/internal/timeline"
)

// calendarHandlers serve the caller's iCalendar hearing feed.
type calendarHandlers struct{ svc *timeline.Service }

func (h *calendarHandlers) status(c *gin.Context) {
	v, err := h.svc.FeedStatus(c.Request.Context(), principal(c))
	render(c, http.StatusOK, v, err)
}

// rotate creates the caller's feed or replaces its secret; the URL (a path
// on this server) is in the answer only this once.
func (h *calendarHandlers) rotate(c *gin.Context) {
	v, err := h.svc.RotateFeed(c.Request.Context(), principal(c))
	if err != nil {
		Fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusCreated, v)
}

func (h *calendarHandlers) revoke(c *gin.Context) {
	noContent(c, h.svc.RevokeFeed(c.Request.Context(), principal(c)))
}

// feed serves the iCalendar feed named by the secret in its path. No bearer
// token: calendar apps cannot send one; the secret is the credential.
func (h *calendarHandlers) feed(c *gin.Context) {
	body, err := h.svc.FeedCalendar(c.Request.Context(), strings.TrimSpace(c.Param("token")))
	if err != nil {
		Fail(c, err)
		return
	}
	c.Header("Cache-Control", "private, no-store")
	c.Data(http.StatusOK, "text/calendar; charset=utf-8", body)
}
