package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	tusd "github.com/tus/tusd/v2/pkg/handler"
	"github.com/tus/tusd/v2/pkg/memorylocker"
	xslog "golang.org/x/exp/slog"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/evidence"
)

// Resumable evidence uploads over tus 1.0 (issue 24): creation (with
// upload), HEAD for the offset, PATCH, termination. The protocol is tusd's
// handler (github.com/tus/tusd/v2); its data store is ours (tusStore),
// which hands every call to evidence.Service: the access policy, the
// encrypted segments, the completion through the vault's one pipeline, the
// audit. Each route is a gin route of its own, so authentication, the disk
// guard, the request id and the logs are those of every API route; the
// case id and the gin context travel to the store in the request's context.

// tusHandlers serve the resumable upload routes.
type tusHandlers struct {
	svc *evidence.Service
	tus *tusd.UnroutedHandler
}

// newTusHandlers builds tusd's handler over our store.
func newTusHandlers(svc *evidence.Service) (*tusHandlers, error) {
	composer := tusd.NewStoreComposer()
	st := tusStore{svc: svc}
	composer.UseCore(st)
	composer.UseTerminater(st)
	memorylocker.New().UseIn(composer)
	h, err := tusd.NewUnroutedHandler(tusd.Config{
		StoreComposer:        composer,
		BasePath:             "/api/v1/evidence-uploads/", // rewritten per case (locationWriter)
		MaxSize:              svc.Vault().MaxBytes(),
		DisableDownload:      true,
		DisableConcatenation: true,
		Cors:                 &tusd.CorsConfig{Disable: true},
		Logger:               xslog.New(xslog.NewTextHandler(io.Discard, nil)), // its logs would repeat ours,
	})
	if err != nil {
		return nil, err
	}
	return &tusHandlers{svc: svc, tus: h}, nil
}

// tusRequest is what a request tells the store: its case and gin context.
type tusRequest struct {
	caseID string
	gin    *gin.Context
}

type tusRequestKey struct{}

func tusRequestFrom(ctx context.Context) *tusRequest {
	r, _ := ctx.Value(tusRequestKey{}).(*tusRequest)
	return r
}

// serve runs one of tusd's handlers for the upload routes of caseID.
func (h *tusHandlers) serve(c *gin.Context, caseID string, fn http.HandlerFunc) {
	r := c.Request
	r.Header.Del("X-HTTP-Method-Override") // the method is the route's
	r = r.WithContext(context.WithValue(r.Context(), tusRequestKey{}, &tusRequest{caseID: caseID, gin: c}))
	w := &tusWriter{ResponseWriter: c.Writer, c: c}
	if r.Method == http.MethodPost {
		w.base = uploadsPath(caseID)
	} else {
		// tusd reads the upload id as the path below its base path.
		u := *r.URL
		u.Path, u.RawPath = c.Param("uid"), ""
		r.URL = &u
	}
	h.tus.Middleware(fn).ServeHTTP(w, r)
	w.flush()
}

// uploadsPath is the collection of a case's resumable uploads.
func uploadsPath(caseID string) string { return "/api/v1/cases/" + caseID + "/evidence/uploads/" }

// tusWriter adapts tusd's responses to the API's: the Location of a new
// upload (tusd's base path and the id) becomes the upload's path under its
// case, and tusd's own plain-text errors ("ERR_X: message") become the
// one JSON error shape.
type tusWriter struct {
	http.ResponseWriter
	c       *gin.Context
	base    string // for creation: the case's uploads path
	pending int    // status of a plain-text error held until its body comes
}

func (w *tusWriter) WriteHeader(code int) {
	if loc := w.Header().Get("Location"); loc != "" && w.base != "" {
		w.Header().Set("Location", w.base+path.Base(loc))
	}
	if code >= 400 && strings.HasPrefix(w.Header().Get("Content-Type"), "text/plain") {
		w.pending = code
		return
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *tusWriter) Write(p []byte) (int, error) {
	if w.pending == 0 {
		return w.ResponseWriter.Write(p)
	}
	code, msg, _ := strings.Cut(strings.TrimSpace(string(p)), ": ")
	body := ErrorBody{Code: strings.ToLower(strings.TrimPrefix(code, "ERR_")), Message: msg, RequestID: RequestID(w.c)}
	raw, _ := json.Marshal(body)
	w.c.Set(errorCodeKey, body.Code)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(raw)))
	w.ResponseWriter.WriteHeader(w.pending)
	w.pending = 0
	if _, err := w.ResponseWriter.Write(raw); err != nil {
		return 0, err
	}
	return len(p), nil
}

// flush sends the status of an error that had no body (HEAD).
func (w *tusWriter) flush() {
	if w.pending != 0 {
		w.Header().Del("Content-Type")
		w.ResponseWriter.WriteHeader(w.pending)
		w.pending = 0
	}
}

func (w *tusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// create is the tus creation (and creation-with-upload) request.
func (h *tusHandlers) create(c *gin.Context) {
	caseID, ok := pathCaseID(c)
	if !ok {
		return
	}
	if raw := c.GetHeader("Upload-Length"); raw != "" {
		if n, err := strconv.ParseInt(raw, 10, 64); err == nil && n > h.svc.Vault().MaxBytes() {
			Fail(c, apperr.New(apperr.ErrTooLarge, "evidence_too_large",
				"the upload is larger than the limit of "+strconv.FormatInt(h.svc.Vault().MaxBytes(), 10)+" bytes"))
			return
		}
	}
	h.serve(c, caseID, h.tus.PostFile)
}

// uploadIDs reads the case and upload ids of the path; an upload id that
// is no upload id is 404.
func uploadIDs(c *gin.Context) (string, bool) {
	caseID, ok := pathCaseID(c)
	if !ok {
		return "", false
	}
	if !evidence.ValidUploadID(c.Param("uid")) {
		Fail(c, apperr.New(apperr.ErrNotFound, "not_found", "no such upload"))
		return "", false
	}
	return caseID, true
}

func (h *tusHandlers) head(c *gin.Context) {
	if caseID, ok := uploadIDs(c); ok {
		h.serve(c, caseID, h.tus.HeadFile)
	}
}

func (h *tusHandlers) patch(c *gin.Context) {
	if caseID, ok := uploadIDs(c); ok {
		h.serve(c, caseID, h.tus.PatchFile)
	}
}

func (h *tusHandlers) terminate(c *gin.Context) {
	if caseID, ok := uploadIDs(c); ok {
		h.serve(c, caseID, h.tus.DelFile)
	}
}

// uploadStatus is the JSON answer of GET on an upload.
type uploadStatus struct {
	ID        string         `json:"id"`
	Offset    int64          `json:"offset"`
	Length    int64          `json:"length"`
	ExpiresAt time.Time      `json:"expires_at"`
	Item      *evidence.View `json:"item"`
}

// status tells where an upload stands and, once complete, the item it
// became (the client asks after its last PATCH, or after a HEAD that found
// it complete).
func (h *tusHandlers) status(c *gin.Context) {
	caseID, ok := uploadIDs(c)
	if !ok {
		return
	}
	p := principal(c)
	u, err := h.svc.GetResumable(c.Request.Context(), p, caseID, c.Param("uid"))
	if err != nil {
		Fail(c, err)
		return
	}
	item, err := h.svc.ResumableItem(c.Request.Context(), p, u)
	render(c, http.StatusOK, uploadStatus{ID: u.ID, Offset: u.Received, Length: u.Length, ExpiresAt: u.ExpiresAt.UTC(), Item: item}, err)
}

// tusStore is tusd's data store over evidence.Service.
type tusStore struct{ svc *evidence.Service }

// tusUpload is one upload as tusd sees it.
type tusUpload struct {
	svc *evidence.Service
	u   evidence.ResumableUpload
}

func (st tusStore) NewUpload(ctx context.Context, info tusd.FileInfo) (tusd.Upload, error) {
	req := tusRequestFrom(ctx)
	if info.SizeIsDeferred {
		return nil, tusError(req, apperr.Field("Upload-Length", "required: the length of the file"))
	}
	u, err := st.svc.CreateResumable(ctx, actor.From(ctx), req.caseID, info.Size, info.MetaData)
	if err != nil {
		return nil, tusError(req, err)
	}
	req.gin.Header("Upload-Expires", u.ExpiresAt.UTC().Format(http.TimeFormat))
	return &tusUpload{svc: st.svc, u: u}, nil
}

func (st tusStore) GetUpload(ctx context.Context, id string) (tusd.Upload, error) {
	req := tusRequestFrom(ctx)
	u, err := st.svc.GetResumable(ctx, actor.From(ctx), req.caseID, id)
	if err != nil {
		return nil, tusError(req, err)
	}
	req.gin.Header("Upload-Expires", u.ExpiresAt.UTC().Format(http.TimeFormat))
	return &tusUpload{svc: st.svc, u: u}, nil
}

func (st tusStore) AsTerminatableUpload(up tusd.Upload) tusd.TerminatableUpload {
	return up.(*tusUpload)
}

func (t *tusUpload) WriteChunk(ctx context.Context, offset int64, src io.Reader) (int64, error) {
	n, err := t.svc.WriteResumable(ctx, actor.From(ctx), t.u, offset, src)
	if n > 0 {
		t.u.Received += n
		t.u.Segments++
	}
	if err != nil {
		return n, tusError(tusRequestFrom(ctx), err)
	}
	return n, nil
}

func (t *tusUpload) GetInfo(context.Context) (tusd.FileInfo, error) {
	return tusd.FileInfo{ID: t.u.ID, Size: t.u.Length, Offset: t.u.Received, MetaData: tusd.MetaData{}}, nil
}

func (t *tusUpload) GetReader(context.Context) (io.ReadCloser, error) {
	return nil, tusd.ErrNotImplemented // downloads are disabled: the item is read through its own route
}

func (t *tusUpload) FinishUpload(ctx context.Context) error {
	v, err := t.svc.FinishResumable(ctx, actor.From(ctx), t.u)
	if err != nil {
		return tusError(tusRequestFrom(ctx), err)
	}
	t.u.ItemID = &v.ID
	return nil
}

func (t *tusUpload) Terminate(ctx context.Context) error {
	if err := t.svc.TerminateResumable(ctx, actor.From(ctx), t.u); err != nil {
		return tusError(tusRequestFrom(ctx), err)
	}
	return nil
}

// tusError gives err to tusd as the response the rest of the API would
// give (the one error mapping, the one JSON error shape). tusd answers it
// as is. A body read error (the client went away) is passed on unchanged.
func tusError(req *tusRequest, err error) error {
	var te tusd.Error
	if err == nil || errors.As(err, &te) || req == nil {
		return err
	}
	status, body := errorResponse(req.gin, err)
	raw, _ := json.Marshal(body)
	return tusd.Error{ErrorCode: body.Code, Message: body.Message, HTTPResponse: tusd.HTTPResponse{
		StatusCode: status, Body: string(raw),
		Header: tusd.HTTPHeader{"Content-Type": "application/json; charset=utf-8"},
	}}
}
