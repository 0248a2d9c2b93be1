package httpapi

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/habeas-org/habeas/internal/diskspace"
)

// uploadRoute is the evidence upload, which also needs room in the object
// directory.
const uploadRoute = "/api/v1/cases/:id/evidence"

// diskGuard refuses API writes with 507 insufficient_storage, before the
// handler reads the body, while a directory they need is below
// HABEAS_MIN_FREE_SPACE (docs/operations.md#full-disk). Reads are never
// refused, nor are the sign-in routes (/api/v1/auth/...: sign-in, refresh,
// sign-out, second factor): they write little and still work while space
// lasts. A write that failed for lack of space (507 from any source) is
// noted, so that the SQLite WAL is checkpointed once space is back.
func diskGuard(m *diskspace.Monitor) gin.HandlerFunc {
	return func(c *gin.Context) {
		if m == nil {
			c.Next()
			return
		}
		switch p := c.Request.URL.Path; {
		case c.Request.Method == http.MethodGet, c.Request.Method == http.MethodHead, c.Request.Method == http.MethodOptions,
			!strings.HasPrefix(p, "/api/v1/"), strings.HasPrefix(p, "/api/v1/auth/"):
		default:
			upload := c.Request.Method == http.MethodPost && c.FullPath() == uploadRoute
			if err := m.CheckWrite(upload); err != nil {
				m.NoteFull()
				writeError(c, err)
				return
			}
		}
		c.Next()
		if c.Writer.Status() == http.StatusInsufficientStorage {
			m.NoteFull()
		}
	}
}
