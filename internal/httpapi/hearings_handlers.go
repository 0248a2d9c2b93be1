package httpapi

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/timeline"
)

type hearingsHandlers struct{ svc *timeline.Service }

// hearingIDs reads {id} and {hid}; a value that is no UUID does not exist.
func hearingIDs(c *gin.Context) (caseID, hearingID string, ok bool) {
	if caseID, ok = pathID(c, "id", "case"); !ok {
		return "", "", false
	}
	hearingID, ok = pathID(c, "hid", "hearing")
	return caseID, hearingID, ok
}

func (h *hearingsHandlers) list(c *gin.Context) {
	caseID, ok := pathID(c, "id", "case")
	if !ok {
		return
	}
	limit, ok := pageLimit(c)
	if !ok {
		return
	}
	page, err := h.svc.ListHearings(c.Request.Context(), principal(c), caseID, c.Query("cursor"), limit)
	if err != nil {
		Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, page)
}

func (h *hearingsHandlers) create(c *gin.Context) {
	caseID, ok := pathID(c, "id", "case")
	if !ok {
		return
	}
	var in timeline.HearingFields
	if err := BindJSON(c, &in); err != nil {
		Fail(c, err)
		return
	}
	v, err := h.svc.CreateHearing(c.Request.Context(), principal(c), caseID, in)
	if err != nil {
		Fail(c, err)
		return
	}
	c.Header("Location", "/api/v1/cases/"+caseID+"/hearings/"+v.ID)
	renderVersioned(c, http.StatusCreated, v.Version, v)
}

func (h *hearingsHandlers) get(c *gin.Context) {
	caseID, id, ok := hearingIDs(c)
	if !ok {
		return
	}
	v, err := h.svc.GetHearing(c.Request.Context(), principal(c), caseID, id)
	if err != nil {
		Fail(c, err)
		return
	}
	renderVersioned(c, http.StatusOK, v.Version, v)
}

func (h *hearingsHandlers) update(c *gin.Context) {
	caseID, id, ok := hearingIDs(c)
	if !ok {
		return
	}
	version, ok := ifMatch(c)
	if !ok {
		return
	}
	var in timeline.HearingFields
	if err := BindJSON(c, &in); err != nil {
		Fail(c, err)
		return
	}
	v, err := h.svc.UpdateHearing(c.Request.Context(), principal(c), caseID, id, version, in)
	if err != nil {
		Fail(c, err)
		return
	}
	renderVersioned(c, http.StatusOK, v.Version, v)
}

// calendar answers GET /hearings?from=&to= across the caller's cases.
func (h *hearingsHandlers) calendar(c *gin.Context) {
	r := timeline.HearingRange{Cursor: c.Query("cursor")}
	var err error
	for name, dst := range map[string]*time.Time{"from": &r.From, "to": &r.To} {
		if *dst, err = timeline.ParseBound(c.Query(name)); err != nil {
			Fail(c, apperr.Field(name, err.Error()))
			return
		}
	}
	var ok bool
	if r.Limit, ok = pageLimit(c); !ok {
		return
	}
	page, err := h.svc.Calendar(c.Request.Context(), principal(c), r)
	if err != nil {
		Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, page)
}
