package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/cases"
	"github.com/habeas-org/habeas/internal/logging"
	"github.com/habeas-org/habeas/internal/record"
)

// MaxImportBody caps a CSV import upload.
const MaxImportBody = 512 << 20

// exportDetainees streams the filtered detainees as CSV.
func (h *caseRecordsHandlers) exportDetainees(c *gin.Context) {
	if len(c.Query("q")) > 200 {
		Fail(c, apperr.Field("q", "at most 200 bytes"))
		return
	}
	f := cases.DetaineeFilter{ListOptions: record.ListOptions{Q: c.Query("q")}, Status: c.Query("status"), Province: c.Query("province"),
		Issue: c.Query("issue"), Charge: c.Query("charge"), LawyerID: c.Query("lawyer_id"),
		DetainedFrom: c.Query("detained_from"), DetainedTo: c.Query("detained_to")}
	started := false
	err := h.svc.ExportDetainees(c.Request.Context(), principal(c), f, func() io.Writer {
		started = true
		c.Header("Content-Type", "text/csv; charset=utf-8")
		c.Header("Content-Disposition", `attachment; filename="detainees.csv"`)
		c.Header("Cache-Control", "no-store")
		c.Status(http.StatusOK)
		return c.Writer
	})
	if err == nil {
		return
	}
	if !started {
		Fail(c, err)
		return
	}
	// The status is sent: cut the stream so the client sees an incomplete file.
	logging.From(c.Request.Context()).Error("csv export failed mid-stream", "error", err.Error())
	c.Abort()
	panic(http.ErrAbortHandler)
}

// importDetainees reads the multipart form as a stream: the small fields
// (mapping, dry_run, on_error) must come before the file part, which is
// handed to the service without being buffered. dry_run and on_error may
// also be query parameters.
func (h *caseRecordsHandlers) importDetainees(c *gin.Context) {
	mt, _, err := mime.ParseMediaType(c.GetHeader("Content-Type"))
	if err != nil || mt != "multipart/form-data" {
		Fail(c, apperr.New(apperr.ErrUnsupportedMedia, "unsupported_media_type", "send multipart/form-data with a file field"))
		return
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, MaxImportBody)
	mr, err := c.Request.MultipartReader()
	if err != nil {
		Fail(c, apperr.New(apperr.ErrInvalid, "invalid_body", "not a multipart form"))
		return
	}
	opts := cases.ImportOptions{OnError: c.Query("on_error")}
	if v := c.Query("dry_run"); v != "" {
		if opts.DryRun, err = strconv.ParseBool(v); err != nil {
			Fail(c, apperr.Field("dry_run", "true or false"))
			return
		}
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			Fail(c, apperr.Field("file", "required (and it must be the last part of the form)"))
			return
		}
		if err != nil {
			Fail(c, importReadError(err))
			return
		}
		switch part.FormName() {
		case "mapping":
			raw, err := io.ReadAll(io.LimitReader(part, 64<<10+1))
			if err != nil || len(raw) > 64<<10 {
				Fail(c, apperr.Field("mapping", "at most 64 KiB"))
				return
			}
			// Strict like every JSON body: valid UTF-8, no column named twice.
			if err := checkStrictJSON(raw, reflect.TypeOf(opts.Mapping)); err != nil {
				Fail(c, err)
				return
			}
			dec := json.NewDecoder(bytes.NewReader(raw))
			if err := dec.Decode(&opts.Mapping); err != nil {
				Fail(c, apperr.Field("mapping", "a JSON object from CSV column name to field name"))
				return
			}
		case "dry_run":
			raw, _ := io.ReadAll(io.LimitReader(part, 16))
			if opts.DryRun, err = strconv.ParseBool(string(bytes.TrimSpace(raw))); err != nil {
				Fail(c, apperr.Field("dry_run", "true or false"))
				return
			}
		case "on_error":
			raw, _ := io.ReadAll(io.LimitReader(part, 16))
			opts.OnError = string(bytes.TrimSpace(raw))
		case "file":
			res, err := h.svc.ImportDetainees(c.Request.Context(), principal(c), part, opts)
			if err != nil {
				Fail(c, importReadError(err))
				return
			}
			c.JSON(http.StatusOK, res)
			return
		default:
			Fail(c, apperr.Field(part.FormName(), "unknown form field (use file, mapping, dry_run, on_error)"))
			return
		}
	}
}

func importReadError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return apperr.New(apperr.ErrTooLarge, "body_too_large", "the upload is over "+strconv.Itoa(MaxImportBody>>20)+" MiB")
	}
	var ae *apperr.Error
	if errors.As(err, &ae) {
		return err
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return apperr.New(apperr.ErrInvalid, "invalid_body", "the upload ended early")
	}
	return err
}
