package httpapi

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/caseexport"
	"github.com/habeas-org/habeas/internal/cases"
	"github.com/habeas-org/habeas/internal/logging"
	"github.com/habeas-org/habeas/internal/record"
)

// MaxCaseImportBody caps a case import document (JSON, read whole).
const MaxCaseImportBody = 64 << 20

// caseExportHandlers serve the exports of cases for other tools (issue 25):
// a case as JSON, its import, the case list as CSV.
type caseExportHandlers struct{ svc *caseexport.Service }

// exportJSON streams a case's full record (schema habeas.case-export/1).
func (h *caseExportHandlers) exportJSON(c *gin.Context) {
	id, ok := pathCaseID(c)
	if !ok {
		return
	}
	started := false
	err := h.svc.Export(c.Request.Context(), principal(c), id, func(name string) io.Writer {
		started = true
		hd := c.Writer.Header()
		hd.Set("Content-Type", "application/json; charset=utf-8")
		hd.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
		hd.Set("Cache-Control", "no-store")
		c.Status(http.StatusOK)
		return c.Writer
	})
	streamEnd(c, started, err, "case json export failed mid-stream")
}

// importJSON creates a case from an export document.
func (h *caseExportHandlers) importJSON(c *gin.Context) {
	mt, _, err := mime.ParseMediaType(c.GetHeader("Content-Type"))
	if err != nil || mt != "application/json" {
		Fail(c, apperr.New(apperr.ErrUnsupportedMedia, "unsupported_media_type", "send the export document as application/json"))
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, MaxCaseImportBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			Fail(c, apperr.New(apperr.ErrTooLarge, "body_too_large", "the document is over "+strconv.Itoa(MaxCaseImportBody>>20)+" MiB"))
			return
		}
		Fail(c, apperr.New(apperr.ErrInvalid, "invalid_body", "the request body could not be read"))
		return
	}
	if len(bytes.TrimSpace(body)) == 0 {
		Fail(c, apperr.New(apperr.ErrInvalid, "invalid_json", "a JSON request body is required"))
		return
	}
	// Strict like every JSON body: valid UTF-8, no key repeated, no NUL.
	if err := checkStrictJSON(body, nil); err != nil {
		Fail(c, err)
		return
	}
	if bytes.Contains(body, []byte(`\u0000`)) && hasNUL(body) {
		Fail(c, apperr.New(apperr.ErrInvalid, "invalid_json", "text must not contain NUL characters (\\u0000)"))
		return
	}
	res, err := h.svc.Import(c.Request.Context(), principal(c), body)
	if err != nil {
		Fail(c, err)
		return
	}
	c.Header("Location", "/api/v1/cases/"+res.CaseID)
	c.JSON(http.StatusCreated, res)
}

// streamEnd finishes a streamed download: an error before the first byte
// is answered; after it, the stream is cut so the client sees an
// incomplete file, and the log says why.
func streamEnd(c *gin.Context, started bool, err error, msg string) {
	if err == nil {
		return
	}
	if !started {
		Fail(c, err)
		return
	}
	logging.From(c.Request.Context()).Error(msg, "error", err.Error())
	c.Abort()
	panic(http.ErrAbortHandler)
}

// exportCSV streams the cases the caller may see (the filters of the case
// list) as CSV.
func (h *caseExportHandlers) exportCSV(c *gin.Context) {
	f := cases.CaseFilter{ListOptions: record.ListOptions{Q: c.Query("q")}, DetaineeID: c.Query("detainee_id"),
		Status: c.Query("status"), Stage: c.Query("stage"), Province: c.Query("province"), Issue: c.Query("issue"),
		Charge: c.Query("charge"), LawyerID: c.Query("lawyer_id"), DetainedFrom: c.Query("detained_from"), DetainedTo: c.Query("detained_to")}
	started := false
	err := h.svc.ExportCSV(c.Request.Context(), principal(c), f, func() io.Writer {
		started = true
		c.Header("Content-Type", "text/csv; charset=utf-8")
		c.Header("Content-Disposition", `attachment; filename="cases.csv"`)
		c.Header("Cache-Control", "no-store")
		c.Status(http.StatusOK)
		return c.Writer
	})
	streamEnd(c, started, err, "case csv export failed mid-stream")
}
