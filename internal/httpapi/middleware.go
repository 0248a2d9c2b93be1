package httpapi

import (
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/logging"
	"github.com/habeas-org/habeas/internal/metrics"
)

const requestIDKey = "habeas.request_id"

// RequestIDHeader carries the request id on every response.
const RequestIDHeader = "X-Request-ID"

// RequestID returns the id given to the current request.
func RequestID(c *gin.Context) string { return c.GetString(requestIDKey) }

// requestContext gives every request a fresh id (a client-sent id is never
// trusted: it could forge log lines), sets the response header, and puts a
// logger carrying the id into the request context.
func requestContext(base *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		id := uuid.Must(uuid.NewV7()).String()
		c.Set(requestIDKey, id)
		c.Header(RequestIDHeader, id)
		l := base.With("request_id", id)
		ctx := logging.With(c.Request.Context(), l)
		// ClientIP is the socket peer unless the peer is a trusted proxy.
		ctx = actor.WithRequest(ctx, actor.Request{ID: id, ClientIP: c.ClientIP()})
		c.Request = c.Request.WithContext(ctx)
		c.Next()
	}
}

// accessLog logs one line per request and counts it in the metrics. For a matched route it logs the route
// pattern, not the path: which detainee someone opened belongs in the audit
// trail, not in logs shipped elsewhere. Query strings are never logged:
// searches hold names of people.
func accessLog() gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		route, path := c.FullPath(), ""
		if route == "" {
			route, path = "(unmatched)", truncate(c.Request.URL.Path, 200)
		}
		level := slog.LevelInfo
		if c.Writer.Status() >= 500 {
			level = slog.LevelError
		}
		metrics.HTTPRequests.WithLabelValues(route, c.Request.Method, strconv.Itoa(c.Writer.Status())).Inc()
		metrics.HTTPDuration.WithLabelValues(route, c.Request.Method).Observe(time.Since(start).Seconds())
		logging.From(c.Request.Context()).Log(c.Request.Context(), level, "http request",
			"method", c.Request.Method, "route", route, "path", path,
			"status", c.Writer.Status(), "bytes", c.Writer.Size(),
			"duration_ms", float64(time.Since(start).Microseconds())/1000,
			"client", c.ClientIP())
	}
}

// recovery turns a panic into the generic JSON 500 and logs the stack.
func recovery() gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			if r := recover(); r != nil {
				if r == http.ErrAbortHandler {
					panic(r)
				}
				logging.From(c.Request.Context()).Error("panic in handler", "panic", r, "stack", string(debug.Stack()))
				if !c.Writer.Written() {
					writeError(c, errPanic)
				} else {
					c.Abort()
				}
			}
		}()
		c.Next()
	}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

type panicError struct{}

func (panicError) Error() string { return "handler panicked" }

var errPanic = panicError{}
