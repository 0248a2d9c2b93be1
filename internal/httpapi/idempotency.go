package httpapi

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/idempotency"
)

// Errors of the Idempotency-Key header.
var (
	errIdemKeyMismatch = &apperr.Error{Kind: apperr.ErrUnprocessable, Code: "idempotency_key_mismatch",
		Message: "this Idempotency-Key was used for a different request; send a new key",
		Fields:  map[string]string{"Idempotency-Key": "used for a different request"}}
	errIdemKeyBusy = apperr.New(apperr.ErrConflict, "idempotency_key_in_progress",
		"a request with this Idempotency-Key is still being processed; retry shortly")
)

// idemWait is how long a request waits for a concurrent one holding its key.
const idemWait = 10 * time.Second

// replayedHeaders are the response headers kept with a remembered answer.
var replayedHeaders = []string{"Content-Type", "ETag", "Location"}

// idempotent makes a POST honour Idempotency-Key (at most 200 printable
// ASCII characters; without the header the request just runs): the first
// request with a key runs and its success (2xx) is remembered for a day; a
// repeat from the same user with the same
// method, path and body gets that answer again with Idempotent-Replayed:
// true and changes nothing; the same key with another request is 422
// idempotency_key_mismatch. A repeat arriving while the first still runs
// waits for it (up to idemWait, then 409 idempotency_key_in_progress). A
// refusal or a server error created nothing and releases the key: a retry
// runs afresh (and is refused again if nothing changed), and error bodies
// keep their own request id.
func idempotent(store *idempotency.Store) gin.HandlerFunc {
	return func(c *gin.Context) {
		key := c.GetHeader("Idempotency-Key")
		if key == "" {
			c.Next()
			return
		}
		if !validIdemKey(key) {
			Fail(c, apperr.Field("Idempotency-Key", "at most 200 printable ASCII characters"))
			return
		}
		p := principal(c)
		if p == nil {
			c.Next()
			return
		}
		limit := maxJSON(c)
		body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, limit))
		if err != nil {
			Fail(c, apperr.New(apperr.ErrTooLarge, "body_too_large", fmt.Sprintf("the request body is over %d bytes", limit)))
			return
		}
		c.Request.Body = io.NopCloser(bytes.NewReader(body))
		scope := c.Request.Method + " " + c.Request.URL.Path
		hash := idempotency.Hash(scope, body)
		ctx := c.Request.Context()
		deadline := time.Now().Add(idemWait)
		for {
			state, resp, err := store.Begin(ctx, p.UserID, key, scope, hash)
			if err != nil {
				Fail(c, err)
				return
			}
			switch state {
			case idempotency.Mismatch:
				Fail(c, errIdemKeyMismatch)
				return
			case idempotency.Replay:
				for k, v := range resp.Headers {
					c.Header(k, v)
				}
				c.Header("Idempotent-Replayed", "true")
				c.Status(resp.Status)
				_, _ = c.Writer.Write(resp.Body)
				c.Abort()
				return
			case idempotency.InProgress:
				if time.Now().After(deadline) {
					Fail(c, errIdemKeyBusy)
					return
				}
				select {
				case <-ctx.Done():
					Fail(c, ctx.Err())
					return
				case <-time.After(100 * time.Millisecond):
				}
				continue
			}
			break
		}
		rec := &recordingWriter{ResponseWriter: c.Writer}
		c.Writer = rec
		c.Next()
		c.Writer = rec.ResponseWriter
		// The answer is stored even when the client has gone: its retry
		// must find it.
		bg := context.WithoutCancel(ctx)
		status := rec.Status()
		if status < 200 || status > 299 {
			_ = store.Abandon(bg, p.UserID, key)
			return
		}
		hdr := map[string]string{}
		for _, h := range replayedHeaders {
			if v := rec.Header().Get(h); v != "" {
				hdr[h] = v
			}
		}
		if err := store.Finish(bg, p.UserID, key, idempotency.Response{Status: status, Headers: hdr, Body: rec.body.Bytes()}); err != nil {
			_ = c.Error(err)
		}
	}
}

// validIdemKey: 1 to 200 printable ASCII characters.
func validIdemKey(k string) bool {
	if len(k) > 200 {
		return false
	}
	for i := 0; i < len(k); i++ {
		if k[i] < 0x21 || k[i] > 0x7e {
			return false
		}
	}
	return true
}

// recordingWriter keeps a copy of the body written through it.
type recordingWriter struct {
	gin.ResponseWriter
	body bytes.Buffer
}

func (w *recordingWriter) Write(b []byte) (int, error) {
	w.body.Write(b)
	return w.ResponseWriter.Write(b)
}

func (w *recordingWriter) WriteString(s string) (int, error) {
	w.body.WriteString(s)
	return w.ResponseWriter.WriteString(s)
}
