package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/notify"
)

// notificationsHandlers serve the inbox, the notification settings,
// following a case and the admin's test e-mail (issue 26).
type notificationsHandlers struct{ svc *notify.Service }

func (h *notificationsHandlers) list(c *gin.Context) {
	unread := false
	switch c.Query("unread") {
	case "", "false":
	case "true":
		unread = true
	default:
		Fail(c, apperr.Field("unread", "true or false"))
		return
	}
	if o, ok := listOptions(c); ok {
		page, err := h.svc.List(c.Request.Context(), principal(c), unread, o)
		render(c, http.StatusOK, page, err)
	}
}

func (h *notificationsHandlers) unreadCount(c *gin.Context) {
	n, err := h.svc.UnreadCount(c.Request.Context(), principal(c))
	render(c, http.StatusOK, gin.H{"unread": n}, err)
}

func (h *notificationsHandlers) markRead(c *gin.Context) {
	if id, ok := pathID(c, "id", "notification"); ok {
		noContent(c, h.svc.MarkRead(c.Request.Context(), principal(c), id))
	}
}

func (h *notificationsHandlers) markAllRead(c *gin.Context) {
	n, err := h.svc.MarkAllRead(c.Request.Context(), principal(c))
	render(c, http.StatusOK, gin.H{"marked": n}, err)
}

func (h *notificationsHandlers) settings(c *gin.Context) {
	s, err := h.svc.Settings(c.Request.Context(), principal(c))
	render(c, http.StatusOK, s, err)
}

func (h *notificationsHandlers) updateSettings(c *gin.Context) {
	if in, ok := bind[notify.SettingsInput](c); ok {
		s, err := h.svc.UpdateSettings(c.Request.Context(), principal(c), in)
		render(c, http.StatusOK, s, err)
	}
}

func (h *notificationsHandlers) following(c *gin.Context) {
	if id, ok := pathCaseID(c); ok {
		on, err := h.svc.Following(c.Request.Context(), principal(c), id)
		render(c, http.StatusOK, gin.H{"following": on}, err)
	}
}

// follow answers PUT (on) and DELETE (off).
func (h *notificationsHandlers) follow(on bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		if id, ok := pathCaseID(c); ok {
			v, err := h.svc.SetFollowing(c.Request.Context(), principal(c), id, on)
			render(c, http.StatusOK, gin.H{"following": v}, err)
		}
	}
}

func (h *notificationsHandlers) testEmail(c *gin.Context) {
	to, err := h.svc.TestEmail(c.Request.Context(), principal(c))
	render(c, http.StatusAccepted, gin.H{"sent_to": to}, err)
}
