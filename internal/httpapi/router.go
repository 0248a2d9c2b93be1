// Package httpapi is Habeas's HTTP edge: the gin router, its middleware, the
// handlers per resource and the one mapping from domain errors to HTTP.
// Nothing below this package knows about HTTP.
package httpapi

import (
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/auth"
	"github.com/habeas-org/habeas/internal/cases"
	"github.com/habeas-org/habeas/internal/deadlines"
	"github.com/habeas-org/habeas/internal/dossier"
	"github.com/habeas-org/habeas/internal/evidence"
	"github.com/habeas-org/habeas/internal/support"
	"github.com/habeas-org/habeas/internal/timeline"
	"github.com/habeas-org/habeas/internal/webui"
)

// Deps are what the router needs from the composition root.
type Deps struct {
	Logger *slog.Logger
	// Checks are run by /readyz.
	Checks []Check
	// TrustedProxies are the proxies whose X-Forwarded-For is believed.
	TrustedProxies []string
	// Auth is the identity service behind the auth routes and middleware.
	Auth *auth.Service
	// SecureCookies marks cookies Secure even on plain-HTTP requests (the
	// public URL is https behind a TLS-terminating proxy).
	SecureCookies bool
	// Cases is the case-records service (detainees, cases, lawyers,
	// assignments, shares); its routes need a full sign-in.
	Cases *cases.Service
	// Evidence is the evidence-vault service (issue 7).
	Evidence *evidence.Service
	// Timeline is the case-timeline service (issue 6): events, hearings, calendar.
	Timeline *timeline.Service
	// Support is the international-support service (issue 8).
	Support *support.Service
	// Deadlines is the legal time-limit service (issue 9).
	Deadlines *deadlines.Service
	// Dossier is the PDF export service (issue 10).
	Dossier *dossier.Service
	// Audit is the audit log behind /api/v1/audit.
	Audit *audit.Log
	// CORSOrigins are the exact origins allowed to call /api/ from a browser.
	CORSOrigins []string
	// MaxJSONBody caps JSON request bodies in bytes (0: DefaultMaxJSONBody).
	MaxJSONBody int
	// Extra, when set, registers additional routes (tests use it).
	Extra func(r *gin.Engine)
}

func init() { gin.SetMode(gin.ReleaseMode) }

// New builds the router.
func New(d Deps) (*gin.Engine, error) {
	r := gin.New()
	r.ContextWithFallback = true
	r.HandleMethodNotAllowed = true
	r.RemoteIPHeaders = []string{"X-Forwarded-For"}
	if err := r.SetTrustedProxies(d.TrustedProxies); err != nil {
		return nil, fmt.Errorf("trusted proxies: %w", err)
	}
	r.Use(requestContext(d.Logger), accessLog(), recovery(), securityHeaders(d.SecureCookies), jsonLimit(d.MaxJSONBody), textGuard())
	if len(d.CORSOrigins) > 0 {
		r.Use(cors(d.CORSOrigins))
	}

	r.GET("/livez", livez)
	r.GET("/readyz", readyz(d.Checks))
	r.GET("/api/openapi.yaml", serveSpec)
	docs, err := docsPage()
	if err != nil {
		return nil, err
	}
	r.GET("/api/docs", docs)

	if d.Auth != nil {
		registerAPI(r.Group("/api/v1"), d)
	}

	if d.Extra != nil {
		d.Extra(r)
	}

	spa := webui.Handler()
	r.NoRoute(func(c *gin.Context) {
		if isAPIPath(c.Request.URL.Path) {
			writeError(c, routeNotFound)
			return
		}
		if c.Request.Method != http.MethodGet && c.Request.Method != http.MethodHead {
			writeError(c, routeNotFound)
			return
		}
		spa.ServeHTTP(c.Writer, c.Request)
	})
	r.NoMethod(func(c *gin.Context) {
		c.AbortWithStatusJSON(http.StatusMethodNotAllowed, ErrorBody{
			Code: "method_not_allowed", Message: "method not allowed on this route", RequestID: RequestID(c),
		})
	})
	return r, nil
}

// registerAPI adds the /api/v1 routes. Routes of a feature go in the group
// whose authentication they need; "authed" requires a full sign-in.
func registerAPI(v1 *gin.RouterGroup, d Deps) {
	ah := &authHandlers{svc: d.Auth, secureCookies: d.SecureCookies}
	v1.POST("/auth/login", ah.login)
	v1.POST("/auth/refresh", ah.refresh)
	v1.POST("/auth/logout", ah.logout)
	v1.POST("/auth/totp/enroll", authenticate(d.Auth, modeEnroll), ah.totpEnroll)
	v1.POST("/auth/totp/confirm", authenticate(d.Auth, modeEnroll), ah.totpConfirm)
	v1.POST("/auth/totp/verify", authenticate(d.Auth, modeMFA), ah.totpVerify)

	pending := v1.Group("", authenticate(d.Auth, modeAccessPasswordPending))
	pending.POST("/auth/password", ah.changePassword)
	pending.GET("/me", ah.me)

	authed := v1.Group("", authenticate(d.Auth, modeAccess))
	authed.POST("/auth/totp/disable", ah.totpDisable)

	uh := &usersHandlers{svc: d.Auth}
	admin := authed.Group("/users", RequireRole(d.Auth, actor.Admin))
	admin.GET("", uh.list)
	admin.POST("", uh.create)
	admin.GET("/:id", uh.get)
	admin.PATCH("/:id", uh.update)
	admin.POST("/:id/reset-password", uh.resetPassword)
	admin.POST("/:id/sessions/revoke", uh.revokeSessions)

	if d.Cases != nil {
		registerCaseRecords(authed, d.Cases)
	}
	if d.Evidence != nil {
		registerEvidence(authed, d.Evidence)
	}
	if d.Timeline != nil {
		registerTimeline(v1, authed, d.Timeline)
	}
	if d.Support != nil {
		registerSupport(authed, d.Support)
	}
	if d.Deadlines != nil {
		registerDeadlines(authed, d.Deadlines)
	}
	if d.Dossier != nil {
		registerDossier(authed, d.Dossier)
	}
	if d.Audit != nil {
		adh := &auditHandlers{log: d.Audit}
		authed.GET("/audit", adh.list)
		authed.GET("/audit/verify", adh.verify)
	}
}

func isAPIPath(p string) bool { return p == "/api" || strings.HasPrefix(p, "/api/") }
