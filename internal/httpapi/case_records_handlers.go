package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/habeas-org/habeas/internal/cases"
	"github.com/habeas-org/habeas/internal/timeline"
)

// caseRecordsHandlers serve the case-records routes (issue 5) that are
// not plain record verbs: the filtered lists, the vocabularies, and the
// detainee CSV export and import (detainees_csv_handlers.go).
type caseRecordsHandlers struct{ svc *cases.Service }

func (h *caseRecordsHandlers) listDetainees(c *gin.Context) {
	o, ok := listOptions(c)
	if !ok {
		return
	}
	f := cases.DetaineeFilter{ListOptions: o, Status: c.Query("status"), Province: c.Query("province"),
		Issue: c.Query("issue"), Charge: c.Query("charge"), LawyerID: c.Query("lawyer_id"),
		DetainedFrom: c.Query("detained_from"), DetainedTo: c.Query("detained_to")}
	page, err := h.svc.ListDetainees(c.Request.Context(), principal(c), f)
	render(c, http.StatusOK, page, err)
}

func (h *caseRecordsHandlers) listCases(c *gin.Context) {
	o, ok := listOptions(c)
	if !ok {
		return
	}
	f := cases.CaseFilter{ListOptions: o, DetaineeID: c.Query("detainee_id"), Status: c.Query("status"),
		Stage: c.Query("stage"), Province: c.Query("province"), Issue: c.Query("issue"), Charge: c.Query("charge"),
		LawyerID: c.Query("lawyer_id"), DetainedFrom: c.Query("detained_from"), DetainedTo: c.Query("detained_to")}
	page, err := h.svc.ListCases(c.Request.Context(), principal(c), f)
	render(c, http.StatusOK, page, err)
}

func (h *caseRecordsHandlers) listLawyers(c *gin.Context) {
	o, ok := listOptions(c)
	if !ok {
		return
	}
	page, err := h.svc.ListLawyers(c.Request.Context(), principal(c), cases.LawyerFilter{ListOptions: o, LicenceStatus: c.Query("licence_status")})
	render(c, http.StatusOK, page, err)
}

// vocabularies answers the case-record and timeline vocabularies in one
// object.
func (h *caseRecordsHandlers) vocabularies(c *gin.Context) {
	v, err := h.svc.Vocabularies(principal(c))
	if err != nil {
		Fail(c, err)
		return
	}
	out := map[string]any{}
	for k, x := range v {
		out[k] = x
	}
	for k, x := range timeline.Vocabularies {
		out[k] = x
	}
	c.JSON(http.StatusOK, out)
}
