package httpapi

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/support"
)

// registerSupport adds the international-support routes (issue 8) to the
// group of fully signed-in callers. Who may see and do what is decided by
// the support service through internal/access, not here.
func registerSupport(authed *gin.RouterGroup, svc *support.Service) {
	sh := &supportHandlers{svc: svc}
	authed.GET("/support-vocabularies", sh.vocabularies)
	authed.GET("/cases/:id/support-actions", sh.listCase)
	authed.POST("/cases/:id/support-actions", sh.create)
	authed.GET("/support-actions", sh.board)
	authed.GET("/me/support-actions", sh.mine)
	authed.GET("/support-actions/:id", sh.get)
	authed.PATCH("/support-actions/:id", sh.update)

	ph := &partnersHandlers{svc: svc}
	authed.GET("/partners", ph.list)
	authed.POST("/partners", ph.create)
	authed.GET("/partners/:id", ph.get)
	authed.PATCH("/partners/:id", ph.update)
	authed.DELETE("/partners/:id", ph.remove)
}

type supportHandlers struct{ svc *support.Service }

func (h *supportHandlers) vocabularies(c *gin.Context) {
	v, err := h.svc.Vocabularies(principal(c))
	if err != nil {
		Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, v)
}

// actionFilter reads the query parameters of the action lists.
func actionFilter(c *gin.Context) (support.ActionFilter, bool) {
	f := support.ActionFilter{
		Status: c.Query("status"), Type: c.Query("type"), AssigneeUserID: c.Query("assignee"),
		PartnerID: c.Query("partner"), CaseID: c.Query("case"), Sort: c.Query("sort"), Cursor: c.Query("cursor"),
	}
	if v := c.Query("overdue"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil || (v != "true" && v != "false") {
			Fail(c, apperr.Field("overdue", "true or false"))
			return f, false
		}
		f.Overdue = &b
	}
	if v := c.Query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 200 {
			Fail(c, apperr.Field("limit", "must be a whole number from 1 to 200"))
			return f, false
		}
		f.Limit = n
	}
	return f, true
}

func (h *supportHandlers) board(c *gin.Context) {
	f, ok := actionFilter(c)
	if !ok {
		return
	}
	page, err := h.svc.ListActions(c.Request.Context(), principal(c), f)
	if err != nil {
		Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, page)
}

func (h *supportHandlers) mine(c *gin.Context) {
	f, ok := actionFilter(c)
	if !ok {
		return
	}
	f.Mine = true
	page, err := h.svc.ListActions(c.Request.Context(), principal(c), f)
	if err != nil {
		Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, page)
}

func (h *supportHandlers) listCase(c *gin.Context) {
	caseID, ok := pathID(c, "id", "case")
	if !ok {
		return
	}
	f, ok := actionFilter(c)
	if !ok {
		return
	}
	if f.CaseID != "" {
		Fail(c, apperr.Field("case", "the case is the one in the path"))
		return
	}
	page, err := h.svc.ListCaseActions(c.Request.Context(), principal(c), caseID, f)
	if err != nil {
		Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, page)
}

func (h *supportHandlers) create(c *gin.Context) {
	caseID, ok := pathID(c, "id", "case")
	if !ok {
		return
	}
	var in support.ActionFields
	if err := BindJSON(c, &in); err != nil {
		Fail(c, err)
		return
	}
	v, err := h.svc.CreateAction(c.Request.Context(), principal(c), caseID, in)
	if err != nil {
		Fail(c, err)
		return
	}
	c.Header("Location", "/api/v1/support-actions/"+v.ID)
	renderVersioned(c, http.StatusCreated, v.Version, v)
}

func (h *supportHandlers) get(c *gin.Context) {
	id, ok := pathID(c, "id", "support_action")
	if !ok {
		return
	}
	v, err := h.svc.GetAction(c.Request.Context(), principal(c), id)
	if err != nil {
		Fail(c, err)
		return
	}
	renderVersioned(c, http.StatusOK, v.Version, v)
}

func (h *supportHandlers) update(c *gin.Context) {
	id, ok := pathID(c, "id", "support_action")
	if !ok {
		return
	}
	var in support.ActionPatch
	if err := BindJSON(c, &in); err != nil {
		Fail(c, err)
		return
	}
	version, ok := ifMatch(c)
	if !ok {
		return
	}
	v, err := h.svc.UpdateAction(c.Request.Context(), principal(c), id, version, in)
	if err != nil {
		Fail(c, err)
		return
	}
	renderVersioned(c, http.StatusOK, v.Version, v)
}
