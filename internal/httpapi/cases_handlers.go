package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/habeas-org/habeas/internal/cases"
)

type casesHandlers struct{ svc *cases.Service }

func (h *casesHandlers) list(c *gin.Context) {
	o, ok := listOptions(c)
	if !ok {
		return
	}
	f := cases.CaseFilter{ListOptions: o, DetaineeID: c.Query("detainee_id"), Status: c.Query("status"),
		Stage: c.Query("stage"), Province: c.Query("province"), Issue: c.Query("issue"), Charge: c.Query("charge"),
		LawyerID: c.Query("lawyer_id"), DetainedFrom: c.Query("detained_from"), DetainedTo: c.Query("detained_to")}
	page, err := h.svc.ListCases(c.Request.Context(), principal(c), f)
	if err != nil {
		Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, page)
}

func (h *casesHandlers) create(c *gin.Context) {
	var in cases.CaseCreate
	if err := BindJSON(c, &in); err != nil {
		Fail(c, err)
		return
	}
	v, err := h.svc.CreateCase(c.Request.Context(), principal(c), in)
	if err != nil {
		Fail(c, err)
		return
	}
	c.Header("Location", "/api/v1/cases/"+v.ID)
	renderVersioned(c, http.StatusCreated, v.Version, v)
}

func (h *casesHandlers) get(c *gin.Context) {
	id, ok := pathID(c, "id", "case")
	if !ok {
		return
	}
	v, err := h.svc.GetCase(c.Request.Context(), principal(c), id)
	if err != nil {
		Fail(c, err)
		return
	}
	renderVersioned(c, http.StatusOK, v.Version, v)
}

func (h *casesHandlers) update(c *gin.Context) {
	id, ok := pathID(c, "id", "case")
	if !ok {
		return
	}
	var in cases.CaseFields
	if err := BindJSON(c, &in); err != nil {
		Fail(c, err)
		return
	}
	version, ok := ifMatch(c)
	if !ok {
		return
	}
	v, err := h.svc.UpdateCase(c.Request.Context(), principal(c), id, version, in)
	if err != nil {
		Fail(c, err)
		return
	}
	renderVersioned(c, http.StatusOK, v.Version, v)
}

func (h *casesHandlers) remove(c *gin.Context) {
	id, ok := pathID(c, "id", "case")
	if !ok {
		return
	}
	if err := h.svc.DeleteCase(c.Request.Context(), principal(c), id); err != nil {
		Fail(c, err)
		return
	}
	noContent(c)
}
