package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/habeas-org/habeas/internal/cases"
)

// relativesHandlers serve the relatives of a detainee (issue 25) under
// /detainees/:id/relatives: the plain record verbs, with the detainee as
// the parent ({id}, a 404 names the detainee) instead of a case.
type relativesHandlers struct{ svc *cases.Service }

// relativeKind is a relative as the verb helpers render it.
var relativeKind = kind[cases.RelativeView]{"relative", "rid", func(v *cases.RelativeView) (string, int64) {
	return "/detainees/" + v.DetaineeID + "/relatives/" + v.ID, v.Version
}}

// consentKind is a consent record (never changed: no Location, no ETag).
var consentKind = kind[cases.ConsentView]{object: "consent", param: "cid"}

// ids reads {id} (the detainee) and {rid} (its relative).
func (h *relativesHandlers) ids(c *gin.Context) (detaineeID, id string, ok bool) {
	if detaineeID, ok = pathID(c, "id", "detainee"); ok {
		id, ok = relativeKind.id(c)
	}
	return detaineeID, id, ok
}

func (h *relativesHandlers) list(c *gin.Context) {
	detaineeID, ok := pathID(c, "id", "detainee")
	if !ok {
		return
	}
	if o, ok := listOptions(c); ok {
		page, err := h.svc.ListRelatives(c.Request.Context(), principal(c), detaineeID, o)
		render(c, http.StatusOK, page, err)
	}
}

func (h *relativesHandlers) create(c *gin.Context) {
	detaineeID, ok := pathID(c, "id", "detainee")
	if !ok {
		return
	}
	if in, ok := bind[cases.RelativeFields](c); ok {
		v, err := h.svc.CreateRelative(c.Request.Context(), principal(c), detaineeID, in)
		relativeKind.render(c, http.StatusCreated, v, err)
	}
}

func (h *relativesHandlers) get(c *gin.Context) {
	if detaineeID, id, ok := h.ids(c); ok {
		v, err := h.svc.GetRelative(c.Request.Context(), principal(c), detaineeID, id)
		relativeKind.render(c, http.StatusOK, v, err)
	}
}

func (h *relativesHandlers) update(c *gin.Context) {
	detaineeID, id, ok := h.ids(c)
	if !ok {
		return
	}
	if version, in, ok := change[cases.RelativeFields](c); ok {
		v, err := h.svc.UpdateRelative(c.Request.Context(), principal(c), detaineeID, id, version, in)
		relativeKind.render(c, http.StatusOK, v, err)
	}
}

// remove deletes a relative with If-Match and a reason (the body).
func (h *relativesHandlers) remove(c *gin.Context) {
	detaineeID, id, ok := h.ids(c)
	if !ok {
		return
	}
	version, ok := ifMatch(c)
	if !ok {
		return
	}
	if in, ok := bind[cases.RelativeDelete](c); ok {
		noContent(c, h.svc.DeleteRelative(c.Request.Context(), principal(c), detaineeID, id, version, in))
	}
}

func (h *relativesHandlers) consents(c *gin.Context) {
	detaineeID, id, ok := h.ids(c)
	if !ok {
		return
	}
	if o, ok := listOptions(c); ok {
		page, err := h.svc.ListConsents(c.Request.Context(), principal(c), detaineeID, id, o)
		render(c, http.StatusOK, page, err)
	}
}

func (h *relativesHandlers) addConsent(c *gin.Context) {
	detaineeID, id, ok := h.ids(c)
	if !ok {
		return
	}
	if in, ok := bind[cases.ConsentFields](c); ok {
		v, err := h.svc.AddConsent(c.Request.Context(), principal(c), detaineeID, id, in)
		consentKind.render(c, http.StatusCreated, v, err)
	}
}
