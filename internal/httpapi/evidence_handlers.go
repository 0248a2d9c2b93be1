package httpapi

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/evidence"
	"github.com/habeas-org/habeas/internal/logging"
	"github.com/habeas-org/habeas/internal/record"
)

// evidenceHandlers serve the evidence routes (issue 7) that are not plain
// record verbs: the streamed upload and download, the list, the changes
// (version in the body, deletion with a reason) and the custody logs.
type evidenceHandlers struct{ svc *evidence.Service }

// upload adapts a multipart/form-data upload to evidence.Service.Upload,
// which runs the protocol: the parts are handed over in the order they
// arrive, each streamed (the file goes straight into the vault, never
// buffered whole, never to a temporary file). A body over the limit is
// answered 413.
func (h *evidenceHandlers) upload(c *gin.Context) {
	caseID, ok := pathCaseID(c)
	if !ok {
		return
	}
	mt, params, err := mime.ParseMediaType(c.GetHeader("Content-Type"))
	if err != nil || mt != "multipart/form-data" || params["boundary"] == "" {
		Fail(c, apperr.New(apperr.ErrUnsupportedMedia, "unsupported_media_type", "send the upload as multipart/form-data"))
		return
	}
	max := h.svc.Vault().MaxBytes() + 1<<20
	if c.Request.ContentLength > max {
		Fail(c, apperr.New(apperr.ErrTooLarge, "evidence_too_large",
			"the upload is larger than the limit of "+strconv.FormatInt(h.svc.Vault().MaxBytes(), 10)+" bytes"))
		return
	}
	body := sizeLimited{http.MaxBytesReader(c.Writer, c.Request.Body, max)}
	mr := multipart.NewReader(body, params["boundary"])
	next := func() (evidence.UploadPart, error) {
		part, err := mr.NextPart()
		switch {
		case err == io.EOF:
			return evidence.UploadPart{}, io.EOF
		case errors.Is(err, errUploadTooLarge):
			return evidence.UploadPart{}, errUploadTooLarge
		case err != nil:
			return evidence.UploadPart{}, apperr.New(apperr.ErrInvalid, "invalid_multipart", "the multipart body could not be read")
		}
		_, dp, _ := mime.ParseMediaType(part.Header.Get("Content-Disposition"))
		return evidence.UploadPart{Name: part.FormName(), Filename: dp["filename"], Type: part.Header.Get("Content-Type"), Body: part}, nil
	}
	v, replayed, err := h.svc.Upload(c.Request.Context(), principal(c), caseID,
		evidence.UploadInput{IdempotencyKey: c.GetHeader("Idempotency-Key"), Next: next})
	if err != nil {
		Fail(c, err)
		return
	}
	if replayed {
		c.Header("Idempotent-Replayed", "true")
	}
	c.Header("Location", "/api/v1/cases/"+caseID+"/evidence/"+v.ID)
	c.JSON(http.StatusCreated, v)
}

// errUploadTooLarge is the answer to an upload body over the request limit.
var errUploadTooLarge = apperr.New(apperr.ErrTooLarge, "evidence_too_large", "the upload is larger than the limit")

// sizeLimited is the body of an upload: a read past http.MaxBytesReader's
// limit fails with errUploadTooLarge, so the service records the failure
// (and the client gets 413) as too large.
type sizeLimited struct{ r io.Reader }

func (b sizeLimited) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		err = errUploadTooLarge
	}
	return n, err
}

func (h *evidenceHandlers) list(c *gin.Context) {
	caseID, ok := pathCaseID(c)
	if !ok {
		return
	}
	in := evidence.ListInput{Cursor: c.Query("cursor")}
	if in.Cursor != "" && !isID(in.Cursor) {
		Fail(c, apperr.Field("cursor", "must be the next_cursor of a previous page"))
		return
	}
	if in.Limit, ok = queryLimit(c, evidence.MaxPage); ok {
		page, err := h.svc.List(c.Request.Context(), principal(c), caseID, in)
		render(c, http.StatusOK, page, err)
	}
}

// evidencePatch is the body of an evidence PATCH: the version it changes
// (in the body, not If-Match) and the fields.
type evidencePatch struct {
	Version int64 `json:"version"`
	evidence.Fields
}

func (h *evidenceHandlers) update(c *gin.Context) {
	caseID, id, ok := evidenceKind.ids(c)
	if !ok {
		return
	}
	in, ok := bind[evidencePatch](c)
	if !ok {
		return
	}
	if in.Version < 1 {
		Fail(c, apperr.Field("version", "required: the version you are changing"))
		return
	}
	v, err := h.svc.Update(c.Request.Context(), principal(c), caseID, id, in.Version, in.Fields)
	render(c, http.StatusOK, v, err)
}

// remove withdraws an item with a reason (the body).
func (h *evidenceHandlers) remove(c *gin.Context) {
	caseID, id, ok := evidenceKind.ids(c)
	if !ok {
		return
	}
	if in, ok := bind[evidence.DeleteInput](c); ok {
		v, err := h.svc.Delete(c.Request.Context(), principal(c), caseID, id, in)
		render(c, http.StatusOK, v, err)
	}
}

// content streams the decrypted file as an attachment. The body is checked
// as it streams: when the stored object turns out altered, the last chunk is
// never sent and the connection is aborted, so the client sees a failed
// (short) transfer, never a complete wrong file; the event is logged and
// audited by the service.
func (h *evidenceHandlers) content(c *gin.Context) {
	caseID, id, ok := evidenceKind.ids(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	p := principal(c)
	rng := parseRange(c.GetHeader("Range"))
	if rng != nil {
		rng.IfRange = c.GetHeader("If-Range")
	}
	v, rc, rng, err := h.svc.OpenContent(ctx, p, caseID, id, rng)
	if err != nil {
		Fail(c, err)
		return
	}
	h.stream(c, p, v, rc, rng)
}

// thumbnail answers a small JPEG of an image item (evidence.Service.Thumbnail),
// for the timeline's cards. It is made from the decrypted file, so it is
// never to be kept by a shared cache (private, no-store).
func (h *evidenceHandlers) thumbnail(c *gin.Context) {
	caseID, id, ok := evidenceKind.ids(c)
	if !ok {
		return
	}
	b, err := h.svc.Thumbnail(c.Request.Context(), principal(c), caseID, id)
	if err != nil {
		Fail(c, err)
		return
	}
	hd := c.Writer.Header()
	hd.Set("Cache-Control", "private, no-store")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	c.Data(http.StatusOK, "image/jpeg", b)
}

// stream sends the content opened by OpenContent (the whole file, or rng).
func (h *evidenceHandlers) stream(c *gin.Context, p *actor.Principal, v evidence.View, rc io.ReadCloser, rng *evidence.Range) {
	ctx := c.Request.Context()
	defer rc.Close()
	// The first read happens before any header is sent: a small object is
	// checked whole by it, so its failure is a clean error response.
	buf := make([]byte, 64<<10)
	n, err := io.ReadFull(rc, buf)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		if errors.Is(err, evidence.ErrIntegrity) {
			h.svc.ReportIntegrityFailure(ctx, p, v, err)
			Fail(c, apperr.New(apperr.ErrUnavailable, "evidence_integrity_failure",
				"the stored content of this item failed its integrity check; the incident is recorded"))
			return
		}
		logging.From(ctx).Error("evidence download failed", "item", v.ID, "error", err.Error())
		Fail(c, evidence.ErrStorageRead)
		return
	}
	sum, _ := hex.DecodeString(v.SHA256)
	hd := c.Writer.Header()
	hd.Set("Content-Type", "application/octet-stream")
	hd.Set("Content-Disposition", evidence.ContentDisposition(v.Filename))
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Cache-Control", "no-store")
	hd.Set("Repr-Digest", "sha-256=:"+base64.StdEncoding.EncodeToString(sum)+":")
	hd.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	hd.Set("ETag", `"`+v.SHA256+`"`)
	hd.Set("Accept-Ranges", "bytes")
	if rng != nil {
		hd.Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", rng.Start, rng.Start+rng.Length-1, v.Size))
		hd.Set("Content-Length", strconv.FormatInt(rng.Length, 10))
		c.Status(http.StatusPartialContent)
	} else {
		hd.Set("Content-Length", strconv.FormatInt(v.Size, 10))
		c.Status(http.StatusOK)
	}
	if _, err = c.Writer.Write(buf[:n]); err == nil {
		_, err = io.CopyBuffer(c.Writer, rc, buf)
	}
	if err != nil {
		if errors.Is(err, evidence.ErrIntegrity) {
			h.svc.ReportIntegrityFailure(ctx, p, v, err)
		} else if ctx.Err() == nil {
			logging.From(ctx).Error("evidence download interrupted", "item", v.ID, "error", err.Error())
		}
		panic(http.ErrAbortHandler) // abort the connection: the client must not take a short body for the file
	}
}

// parseRange reads a single "bytes=first-last", "bytes=first-" or
// "bytes=-suffix" range; anything else (several ranges, other units,
// garbage) is ignored and the whole file is sent, as RFC 9110 allows.
// Bounds are checked against the size by the service.
func parseRange(h string) *evidence.Range {
	spec, ok := strings.CutPrefix(strings.TrimSpace(h), "bytes=")
	if !ok || strings.Contains(spec, ",") {
		return nil
	}
	a, b, ok := strings.Cut(strings.TrimSpace(spec), "-")
	if !ok {
		return nil
	}
	num := func(s string) (int64, bool) {
		n, err := strconv.ParseInt(s, 10, 64)
		return n, err == nil && n >= 0 && s != "" && s[0] != '+'
	}
	switch {
	case a == "":
		n, ok := num(b)
		if !ok || n == 0 {
			return nil
		}
		return &evidence.Range{Start: -1, Length: n} // suffix: resolved against the size
	case b == "":
		start, ok := num(a)
		if !ok {
			return nil
		}
		return &evidence.Range{Start: start, Length: -1}
	default:
		start, ok1 := num(a)
		end, ok2 := num(b)
		if !ok1 || !ok2 || end < start {
			return nil
		}
		return &evidence.Range{Start: start, Length: end - start + 1}
	}
}

func (h *evidenceHandlers) custody(c *gin.Context) {
	caseID, id, ok := evidenceKind.ids(c)
	if !ok {
		return
	}
	if limit, ok := queryLimit(c, record.MaxLimit); ok {
		page, err := h.svc.Custody(c.Request.Context(), principal(c), caseID, id, c.Query("cursor"), limit)
		render(c, http.StatusOK, page, err)
	}
}

// caseCustody lists the custody entries of all the case's evidence the
// caller may see.
func (h *evidenceHandlers) caseCustody(c *gin.Context) {
	caseID, ok := pathCaseID(c)
	if !ok {
		return
	}
	if limit, ok := queryLimit(c, record.MaxLimit); ok {
		page, err := h.svc.CaseCustody(c.Request.Context(), principal(c), caseID, c.Query("cursor"), limit)
		render(c, http.StatusOK, page, err)
	}
}

// downloadLink answers a single-use link to the item's content, valid for
// evidence.DownloadLinkTTL: the browser navigates to it and saves the file
// as it streams (GET /api/v1/evidence-downloads/{token}).
func (h *evidenceHandlers) downloadLink(c *gin.Context) {
	caseID, id, ok := evidenceKind.ids(c)
	if !ok {
		return
	}
	token, expires, err := h.svc.CreateDownloadLink(c.Request.Context(), principal(c), caseID, id)
	if err != nil {
		Fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusCreated, gin.H{"url": "/api/v1/evidence-downloads/" + token, "expires_at": expires.UTC()})
}

// linkedContent streams an item's content through a download link (no
// sign-in: the link is the credential, used once). The whole file is sent
// (no ranges) and checked as it streams, as the content route does.
func (h *evidenceHandlers) linkedContent(c *gin.Context) {
	v, rc, p, err := h.svc.OpenLinkedContent(c.Request.Context(), c.Param("token"))
	if err != nil {
		Fail(c, err)
		return
	}
	c.Header("Referrer-Policy", "no-referrer")
	h.stream(c, p, v, rc, nil)
}
