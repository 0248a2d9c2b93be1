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

// resumableRoute is the collection of resumable uploads: creating one (it
// may carry bytes) and its PATCHes need room too, in the data directory
// (their encrypted partial data) and for the object.
const resumableRoute = "/api/v1/cases/:id/evidence/uploads"

// diskGuard refuses API writes with 507 insufficient_storage, before the
// handler reads the body, while a directory they need is below
// HABEAS_MIN_FREE_SPACE (docs/operations.md#full-disk). Reads are never
// refused, nor are the security actions (mayWriteWhenLow): they write
// little and still work while space lasts. A write that failed for lack of
// space (507 from any source) is noted, so that the SQLite WAL is
// checkpointed once space is back.
func diskGuard(m *diskspace.Monitor) gin.HandlerFunc {
	return func(c *gin.Context) {
		if m == nil {
			c.Next()
			return
		}
		switch c.Request.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
		default:
			if mayWriteWhenLow(c.Request.Method, c.Request.URL.Path) {
				break
			}
			upload := c.Request.Method == http.MethodPost && (c.FullPath() == uploadRoute || c.FullPath() == resumableRoute) ||
				c.Request.Method == http.MethodPatch && c.FullPath() == resumableRoute+"/:uid"
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

// mayWriteWhenLow: writes outside the API, and the security actions, are
// not refused up front: signing in and out, refreshing, second factors and
// passkeys (/api/v1/auth/...), account administration (/api/v1/users...:
// disabling an account, revoking its sessions, resetting a password) and
// revoking a calendar feed token.
func mayWriteWhenLow(method, path string) bool {
	return !strings.HasPrefix(path, "/api/v1/") || strings.HasPrefix(path, "/api/v1/auth/") ||
		path == "/api/v1/users" || strings.HasPrefix(path, "/api/v1/users/") ||
		(method == http.MethodDelete && strings.HasSuffix(path, "/calendar-feed"))
}
