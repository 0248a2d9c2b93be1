package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/logging"
)

// Check is one readiness probe: a name and a function that fails when the
// dependency is not usable.
type Check struct {
	Name string
	Fn   func(ctx context.Context) error
	// Warn marks a check whose failure is reported but does not make the
	// server unready (e.g. a missing optional font).
	Warn bool
	// ShowError puts the error text itself in the readiness details (only
	// for checks whose errors hold nothing sensitive, like missing fonts).
	ShowError bool
}

type checkResult struct {
	Status string `json:"status"`
	Error  string `json:"error,omitempty"`
}

type readiness struct {
	Status string                 `json:"status"`
	Checks map[string]checkResult `json:"checks"`
}

// livez answers 200 as long as the process serves HTTP; it touches nothing external.
func livez(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}

// readyz runs every check with a short timeout. Failure details name the
// dependency; the raw error (which may hold host names) is only logged.
func readyz(checks []Check) gin.HandlerFunc {
	return func(c *gin.Context) {
		ctx, cancel := context.WithTimeout(c.Request.Context(), 3*time.Second)
		defer cancel()
		out := readiness{Status: "ok", Checks: map[string]checkResult{}}
		for _, ch := range checks {
			if err := ch.Fn(ctx); err != nil {
				logging.From(ctx).Warn("readiness check failed", "check", ch.Name, "error", err.Error())
				if ch.Warn {
					msg := ch.Name + " check failed; see the server log"
					if ch.ShowError {
						msg = err.Error()
					}
					out.Checks[ch.Name] = checkResult{Status: "degraded", Error: msg}
					continue
				}
				out.Status = "unavailable"
				msg := ch.Name + " unreachable; see the server log"
				if ch.ShowError {
					msg = err.Error()
				}
				out.Checks[ch.Name] = checkResult{Status: "unavailable", Error: msg}
				continue
			}
			out.Checks[ch.Name] = checkResult{Status: "ok"}
		}
		c.Header("Cache-Control", "no-store")
		if out.Status != "ok" {
			// Every 4xx/5xx has the one error shape; the per-check details go in fields.
			fields := map[string]string{}
			for name, r := range out.Checks {
				fields[name] = r.Status
				if r.Error != "" {
					fields[name] += ": " + r.Error
				}
			}
			writeError(c, &apperr.Error{Kind: apperr.ErrUnavailable, Code: "not_ready",
				Message: "a dependency is unavailable", Fields: fields})
			return
		}
		c.JSON(http.StatusOK, out)
	}
}
