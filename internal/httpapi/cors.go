package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// corsAllowHeaders are the request headers the API reads.
const corsAllowHeaders = "Authorization, Content-Type, If-Match, Idempotency-Key, X-Request-ID, Range"

// corsExposeHeaders are the response headers the SPA reads.
const corsExposeHeaders = "ETag, Location, X-Request-ID, Content-Disposition, Idempotent-Replayed, Content-Range"

// cors answers cross-origin requests to /api/ from the configured origins
// only. A request from any other origin gets no Access-Control-Allow-Origin,
// so the browser withholds the response; it is not refused here, because
// same-origin requests carry an Origin header too and a reverse proxy may
// rewrite the Host the server sees. Credentials (the refresh cookie) are
// allowed for listed origins, which is why the list holds exact origins and
// never a wildcard. With no origins listed every preflight is refused (403),
// so a cross-origin request that needs one (JSON, Authorization) is never
// sent.
func cors(origins []string) gin.HandlerFunc {
	allowed := make(map[string]bool, len(origins))
	for _, o := range origins {
		allowed[o] = true
	}
	return func(c *gin.Context) {
		origin := c.GetHeader("Origin")
		if origin == "" || !isAPIPath(c.Request.URL.Path) {
			c.Next()
			return
		}
		h := c.Writer.Header()
		h.Add("Vary", "Origin")
		preflight := c.Request.Method == http.MethodOptions && c.GetHeader("Access-Control-Request-Method") != ""
		if !allowed[origin] {
			if preflight {
				c.AbortWithStatus(http.StatusForbidden)
				return
			}
			c.Next()
			return
		}
		h.Set("Access-Control-Allow-Origin", origin)
		h.Set("Access-Control-Allow-Credentials", "true")
		if preflight {
			h.Add("Vary", "Access-Control-Request-Method")
			h.Add("Vary", "Access-Control-Request-Headers")
			h.Set("Access-Control-Allow-Methods", "GET, HEAD, POST, PUT, PATCH, DELETE")
			h.Set("Access-Control-Allow-Headers", corsAllowHeaders)
			h.Set("Access-Control-Max-Age", "600")
			c.AbortWithStatus(http.StatusNoContent)
			return
		}
		h.Set("Access-Control-Expose-Headers", corsExposeHeaders)
		c.Next()
	}
}
