package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/habeas-org/habeas/internal/cases"
)

type sharesHandlers struct{ svc *cases.Service }

func (h *sharesHandlers) list(c *gin.Context) {
	caseID, ok := pathID(c, "id", "case")
	if !ok {
		return
	}
	o, ok := listOptions(c)
	if !ok {
		return
	}
	page, err := h.svc.ListShares(c.Request.Context(), principal(c), caseID, o)
	if err != nil {
		Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, page)
}

func (h *sharesHandlers) create(c *gin.Context) {
	caseID, ok := pathID(c, "id", "case")
	if !ok {
		return
	}
	var in cases.ShareCreate
	if err := BindJSON(c, &in); err != nil {
		Fail(c, err)
		return
	}
	v, err := h.svc.CreateShare(c.Request.Context(), principal(c), caseID, in)
	if err != nil {
		Fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, v)
}

func (h *sharesHandlers) revoke(c *gin.Context) {
	caseID, ok := pathID(c, "id", "case")
	if !ok {
		return
	}
	id, ok := pathID(c, "sid", "share")
	if !ok {
		return
	}
	if err := h.svc.RevokeShare(c.Request.Context(), principal(c), caseID, id); err != nil {
		Fail(c, err)
		return
	}
	noContent(c)
}
