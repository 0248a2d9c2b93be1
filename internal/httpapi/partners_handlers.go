package httpapi

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/support"
)

type partnersHandlers struct{ svc *support.Service }

func (h *partnersHandlers) list(c *gin.Context) {
	f := support.PartnerFilter{Kind: c.Query("kind"), Q: c.Query("q"), Cursor: c.Query("cursor")}
	if v := c.Query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 200 {
			Fail(c, apperr.Field("limit", "must be a whole number from 1 to 200"))
			return
		}
		f.Limit = n
	}
	page, err := h.svc.ListPartners(c.Request.Context(), principal(c), f)
	if err != nil {
		Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, page)
}

func (h *partnersHandlers) create(c *gin.Context) {
	var in support.PartnerFields
	if err := BindJSON(c, &in); err != nil {
		Fail(c, err)
		return
	}
	v, err := h.svc.CreatePartner(c.Request.Context(), principal(c), in)
	if err != nil {
		Fail(c, err)
		return
	}
	c.Header("Location", "/api/v1/partners/"+v.ID)
	renderVersioned(c, http.StatusCreated, v.Version, v)
}

func (h *partnersHandlers) get(c *gin.Context) {
	id, ok := pathID(c, "id", "partner")
	if !ok {
		return
	}
	v, err := h.svc.GetPartner(c.Request.Context(), principal(c), id)
	if err != nil {
		Fail(c, err)
		return
	}
	renderVersioned(c, http.StatusOK, v.Version, v)
}

func (h *partnersHandlers) update(c *gin.Context) {
	id, ok := pathID(c, "id", "partner")
	if !ok {
		return
	}
	var in support.PartnerFields
	if err := BindJSON(c, &in); err != nil {
		Fail(c, err)
		return
	}
	version, ok := ifMatch(c)
	if !ok {
		return
	}
	v, err := h.svc.UpdatePartner(c.Request.Context(), principal(c), id, version, in)
	if err != nil {
		Fail(c, err)
		return
	}
	renderVersioned(c, http.StatusOK, v.Version, v)
}

func (h *partnersHandlers) remove(c *gin.Context) {
	id, ok := pathID(c, "id", "partner")
	if !ok {
		return
	}
	if err := h.svc.DeletePartner(c.Request.Context(), principal(c), id); err != nil {
		Fail(c, err)
		return
	}
	noContent(c)
}
