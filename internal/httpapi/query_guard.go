package httpapi

import (
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/habeas-org/habeas/internal/apperr"
)

// textGuard refuses, with 400 before any handler runs, an API request whose
// path or query parameters hold a NUL byte or invalid UTF-8: neither is
// text, PostgreSQL refuses both (a 500 otherwise), and no filter, search
// or id needs them.
func textGuard() gin.HandlerFunc {
	return func(c *gin.Context) {
		if !isAPIPath(c.Request.URL.Path) {
			c.Next()
			return
		}
		if !isText(c.Request.URL.Path) {
			Fail(c, apperr.New(apperr.ErrInvalid, "invalid_path", "the path is not valid UTF-8 text"))
			c.Abort()
			return
		}
		for name, values := range c.Request.URL.Query() {
			bad := !isText(name)
			for _, v := range values {
				bad = bad || !isText(v)
			}
			if bad {
				Fail(c, apperr.Field(safeFieldName(name), "must be UTF-8 text without NUL characters"))
				c.Abort()
				return
			}
		}
		c.Next()
	}
}

// isText reports whether s is valid UTF-8 without NUL.
func isText(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }

// safeFieldName is a parameter name fit to echo in an error.
func safeFieldName(s string) string {
	s = strings.ToValidUTF8(strings.ReplaceAll(s, "\x00", ""), "")
	if len(s) > 100 {
		s = s[:100]
	}
	if s == "" {
		return "query"
	}
	return s
}
