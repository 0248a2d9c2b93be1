package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/habeas-org/habeas/internal/campaigns"
)

// campaignsHandlers serve campaigns and crackdowns (issue 25,
// docs/campaigns.md) under /campaigns, and the campaigns of a case.
type campaignsHandlers struct{ svc *campaigns.Service }

// campaignKind is a campaign as the verb helpers render it.
var campaignKind = kind[campaigns.View]{"campaign", "id", func(v *campaigns.View) (string, int64) {
	return "/campaigns/" + v.ID, v.Version
}}

// membershipKind is a case's membership of a campaign (no ETag).
var membershipKind = kind[campaigns.Membership]{object: "campaign", param: "id"}

func (h *campaignsHandlers) list(c *gin.Context) {
	if o, ok := listOptions(c); ok {
		page, err := h.svc.List(c.Request.Context(), principal(c), o)
		render(c, http.StatusOK, page, err)
	}
}

func (h *campaignsHandlers) cases(c *gin.Context) {
	id, ok := campaignKind.id(c)
	if !ok {
		return
	}
	if o, ok := listOptions(c); ok {
		page, err := h.svc.ListCases(c.Request.Context(), principal(c), id, o)
		render(c, http.StatusOK, page, err)
	}
}

func (h *campaignsHandlers) addCase(c *gin.Context) {
	id, ok := campaignKind.id(c)
	if !ok {
		return
	}
	if in, ok := bind[campaigns.CaseAdd](c); ok {
		v, err := h.svc.AddCase(c.Request.Context(), principal(c), id, in)
		membershipKind.render(c, http.StatusCreated, v, err)
	}
}

func (h *campaignsHandlers) removeCase(c *gin.Context) {
	id, ok := campaignKind.id(c)
	if !ok {
		return
	}
	if caseID, ok := pathID(c, "caseId", "case"); ok {
		noContent(c, h.svc.RemoveCase(c.Request.Context(), principal(c), id, caseID))
	}
}

func (h *campaignsHandlers) summary(c *gin.Context) {
	if id, ok := campaignKind.id(c); ok {
		v, err := h.svc.Summary(c.Request.Context(), principal(c), id)
		render(c, http.StatusOK, v, err)
	}
}

// ofCase lists the campaigns of the case {id}.
func (h *campaignsHandlers) ofCase(c *gin.Context) {
	if caseID, ok := pathCaseID(c); ok {
		items, err := h.svc.ForCase(c.Request.Context(), principal(c), caseID)
		render(c, http.StatusOK, gin.H{"items": items}, err)
	}
}
