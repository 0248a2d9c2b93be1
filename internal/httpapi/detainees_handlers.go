package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/habeas-org/habeas/internal/cases"
)

type detaineesHandlers struct{ svc *cases.Service }

func (h *detaineesHandlers) list(c *gin.Context) {
	o, ok := listOptions(c)
	if !ok {
		return
	}
	f := cases.DetaineeFilter{ListOptions: o, Status: c.Query("status"), Province: c.Query("province"),
		Issue: c.Query("issue"), Charge: c.Query("charge"), LawyerID: c.Query("lawyer_id"),
		DetainedFrom: c.Query("detained_from"), DetainedTo: c.Query("detained_to")}
	page, err := h.svc.ListDetainees(c.Request.Context(), principal(c), f)
	if err != nil {
		Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, page)
}

func (h *detaineesHandlers) create(c *gin.Context) {
	var in cases.DetaineeFields
	if err := BindJSON(c, &in); err != nil {
		Fail(c, err)
		return
	}
	v, err := h.svc.CreateDetainee(c.Request.Context(), principal(c), in)
	if err != nil {
		Fail(c, err)
		return
	}
	c.Header("Location", "/api/v1/detainees/"+v.ID)
	renderVersioned(c, http.StatusCreated, v.Version, v)
}

func (h *detaineesHandlers) get(c *gin.Context) {
	id, ok := pathID(c, "id", "detainee")
	if !ok {
		return
	}
	v, err := h.svc.GetDetainee(c.Request.Context(), principal(c), id)
	if err != nil {
		Fail(c, err)
		return
	}
	renderVersioned(c, http.StatusOK, v.Version, v)
}

func (h *detaineesHandlers) update(c *gin.Context) {
	id, ok := pathID(c, "id", "detainee")
	if !ok {
		return
	}
	var in cases.DetaineeFields
	if err := BindJSON(c, &in); err != nil {
		Fail(c, err)
		return
	}
	version, ok := ifMatch(c)
	if !ok {
		return
	}
	v, err := h.svc.UpdateDetainee(c.Request.Context(), principal(c), id, version, in)
	if err != nil {
		Fail(c, err)
		return
	}
	renderVersioned(c, http.StatusOK, v.Version, v)
}

func (h *detaineesHandlers) remove(c *gin.Context) {
	id, ok := pathID(c, "id", "detainee")
	if !ok {
		return
	}
	if err := h.svc.DeleteDetainee(c.Request.Context(), principal(c), id); err != nil {
		Fail(c, err)
		return
	}
	noContent(c)
}
