package httpapi

import "github.com/gin-gonic/gin"

// contentSecurityPolicy is the policy the SPA runs under: no inline or
// third-party scripts, no framing, no plugins. Inline style attributes are
// allowed because the component library sets them.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; worker-src 'self'; manifest-src 'self'; object-src 'none'; " +
	"base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// securityHeaders sets the headers every response carries. API responses
// are never cached (they hold case data); handlers that serve cacheable
// content (the SPA's hashed assets) override Cache-Control themselves.
// HSTS is sent on TLS connections and, behind a TLS-terminating proxy,
// whenever the public URL is https (behindTLS).
func securityHeaders(behindTLS bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		h := c.Writer.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		if p := c.Request.URL.Path; isAPIPath(p) || p == "/livez" || p == "/readyz" {
			h.Set("Cache-Control", "no-store")
		}
		if c.Request.TLS != nil || behindTLS {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		c.Next()
	}
}
