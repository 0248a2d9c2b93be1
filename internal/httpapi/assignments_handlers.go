package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/habeas-org/habeas/internal/cases"
)

type assignmentsHandlers struct{ svc *cases.Service }

func (h *assignmentsHandlers) list(c *gin.Context) {
	caseID, ok := pathID(c, "id", "case")
	if !ok {
		return
	}
	o, ok := listOptions(c)
	if !ok {
		return
	}
	page, err := h.svc.ListAssignments(c.Request.Context(), principal(c), caseID, o)
	if err != nil {
		Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, page)
}

func (h *assignmentsHandlers) create(c *gin.Context) {
	caseID, ok := pathID(c, "id", "case")
	if !ok {
		return
	}
	var in cases.AssignmentCreate
	if err := BindJSON(c, &in); err != nil {
		Fail(c, err)
		return
	}
	v, err := h.svc.CreateAssignment(c.Request.Context(), principal(c), caseID, in)
	if err != nil {
		Fail(c, err)
		return
	}
	c.Header("Location", "/api/v1/cases/"+caseID+"/assignments/"+v.ID)
	renderVersioned(c, http.StatusCreated, v.Version, v)
}

func (h *assignmentsHandlers) ids(c *gin.Context) (string, string, bool) {
	caseID, ok := pathID(c, "id", "case")
	if !ok {
		return "", "", false
	}
	id, ok := pathID(c, "aid", "assignment")
	return caseID, id, ok
}

func (h *assignmentsHandlers) get(c *gin.Context) {
	caseID, id, ok := h.ids(c)
	if !ok {
		return
	}
	v, err := h.svc.GetAssignment(c.Request.Context(), principal(c), caseID, id)
	if err != nil {
		Fail(c, err)
		return
	}
	renderVersioned(c, http.StatusOK, v.Version, v)
}

func (h *assignmentsHandlers) update(c *gin.Context) {
	caseID, id, ok := h.ids(c)
	if !ok {
		return
	}
	var in cases.AssignmentFields
	if err := BindJSON(c, &in); err != nil {
		Fail(c, err)
		return
	}
	version, ok := ifMatch(c)
	if !ok {
		return
	}
	v, err := h.svc.UpdateAssignment(c.Request.Context(), principal(c), caseID, id, version, in)
	if err != nil {
		Fail(c, err)
		return
	}
	renderVersioned(c, http.StatusOK, v.Version, v)
}

func (h *assignmentsHandlers) remove(c *gin.Context) {
	caseID, id, ok := h.ids(c)
	if !ok {
		return
	}
	if err := h.svc.DeleteAssignment(c.Request.Context(), principal(c), caseID, id); err != nil {
		Fail(c, err)
		return
	}
	noContent(c)
}
