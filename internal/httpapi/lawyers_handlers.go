package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/habeas-org/habeas/internal/cases"
)

type lawyersHandlers struct{ svc *cases.Service }

func (h *lawyersHandlers) list(c *gin.Context) {
	o, ok := listOptions(c)
	if !ok {
		return
	}
	page, err := h.svc.ListLawyers(c.Request.Context(), principal(c), cases.LawyerFilter{ListOptions: o, LicenceStatus: c.Query("licence_status")})
	if err != nil {
		Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, page)
}

func (h *lawyersHandlers) create(c *gin.Context) {
	var in cases.LawyerFields
	if err := BindJSON(c, &in); err != nil {
		Fail(c, err)
		return
	}
	v, err := h.svc.CreateLawyer(c.Request.Context(), principal(c), in)
	if err != nil {
		Fail(c, err)
		return
	}
	c.Header("Location", "/api/v1/lawyers/"+v.ID)
	renderVersioned(c, http.StatusCreated, v.Version, v)
}

func (h *lawyersHandlers) get(c *gin.Context) {
	id, ok := pathID(c, "id", "lawyer")
	if !ok {
		return
	}
	v, err := h.svc.GetLawyer(c.Request.Context(), principal(c), id)
	if err != nil {
		Fail(c, err)
		return
	}
	renderVersioned(c, http.StatusOK, v.Version, v)
}

func (h *lawyersHandlers) update(c *gin.Context) {
	id, ok := pathID(c, "id", "lawyer")
	if !ok {
		return
	}
	var in cases.LawyerFields
	if err := BindJSON(c, &in); err != nil {
		Fail(c, err)
		return
	}
	version, ok := ifMatch(c)
	if !ok {
		return
	}
	v, err := h.svc.UpdateLawyer(c.Request.Context(), principal(c), id, version, in)
	if err != nil {
		Fail(c, err)
		return
	}
	renderVersioned(c, http.StatusOK, v.Version, v)
}

func (h *lawyersHandlers) remove(c *gin.Context) {
	id, ok := pathID(c, "id", "lawyer")
	if !ok {
		return
	}
	if err := h.svc.DeleteLawyer(c.Request.Context(), principal(c), id); err != nil {
		Fail(c, err)
		return
	}
	noContent(c)
}
