package httpapi

import (
	"github.com/gin-gonic/gin"

	"github.com/habeas-org/habeas/internal/lang"
)

// language puts the request's language (Accept-Language: Chinese or
// English, English by default) into its context: the texts the features
// write into a response (time-limit titles, notes and citations, the
// derivation of an expected release) follow it (lang.From), so responses
// vary by it.
func language() gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Writer.Header().Add("Vary", "Accept-Language")
		c.Request = c.Request.WithContext(lang.With(c.Request.Context(), lang.Parse(c.GetHeader("Accept-Language"))))
		c.Next()
	}
}
