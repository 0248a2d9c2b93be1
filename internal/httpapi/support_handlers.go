package httpapi

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/record"
	"github.com/habeas-org/habeas/internal/support"
)

// supportHandlers serve the international-support routes (issue 8) that are
// not plain record verbs: the vocabularies and the lists of actions and
// partners.
type supportHandlers struct{ svc *support.Service }

func (h *supportHandlers) vocabularies(c *gin.Context) {
	v, err := h.svc.Vocabularies(principal(c))
	render(c, http.StatusOK, v, err)
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
	var ok bool
	f.Limit, ok = queryLimit(c, record.MaxLimit)
	return f, ok
}

func (h *supportHandlers) board(c *gin.Context) {
	if f, ok := actionFilter(c); ok {
		page, err := h.svc.ListActions(c.Request.Context(), principal(c), f)
		render(c, http.StatusOK, page, err)
	}
}

func (h *supportHandlers) mine(c *gin.Context) {
	if f, ok := actionFilter(c); ok {
		f.Mine = true
		page, err := h.svc.ListActions(c.Request.Context(), principal(c), f)
		render(c, http.StatusOK, page, err)
	}
}

func (h *supportHandlers) listCase(c *gin.Context) {
	caseID, ok := pathCaseID(c)
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
	render(c, http.StatusOK, page, err)
}

func (h *supportHandlers) listPartners(c *gin.Context) {
	f := support.PartnerFilter{Kind: c.Query("kind"), Q: c.Query("q"), Cursor: c.Query("cursor")}
	var ok bool
	if f.Limit, ok = queryLimit(c, record.MaxLimit); ok {
		page, err := h.svc.ListPartners(c.Request.Context(), principal(c), f)
		render(c, http.StatusOK, page, err)
	}
}
