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

	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/auth"
	"github.com/habeas-org/habeas/internal/campaigns"
	"github.com/habeas-org/habeas/internal/caseexport"
	"github.com/habeas-org/habeas/internal/cases"
	"github.com/habeas-org/habeas/internal/deadlines"
	"github.com/habeas-org/habeas/internal/diskspace"
	"github.com/habeas-org/habeas/internal/dossier"
	"github.com/habeas-org/habeas/internal/evidence"
	"github.com/habeas-org/habeas/internal/jobs"
	"github.com/habeas-org/habeas/internal/notify"
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
	// PublicURL is the server's external URL (HABEAS_PUBLIC_URL; "" when
	// not configured): its origin is the server's own for the refresh
	// cookie's origin check.
	PublicURL string
	// Cases is the case-records service (detainees, cases, lawyers,
	// assignments, shares); its routes need a full sign-in.
	Cases *cases.Service
	// Evidence is the evidence-vault service (issue 7).
	Evidence *evidence.Service
	// Timeline is the case-timeline service (issue 6): events, hearings, calendar.
	Timeline *timeline.Service
	// Support is the international-support service (issue 8).
	Support *support.Service
	// Campaigns serves campaigns and crackdowns, named groups of cases (issue 25).
	Campaigns *campaigns.Service
	// Notifications serves the inbox, notification settings and following
	// cases (issue 26).
	Notifications *notify.Service
	// Deadlines is the legal time-limit service (issue 9).
	Deadlines *deadlines.Service
	// Dossier is the PDF export service (issue 10).
	Dossier *dossier.Service
	// Export exports cases for other tools (JSON, CSV) and imports a case
	// from its JSON export (issue 25).
	Export *caseexport.Service
	// Audit is the audit log behind /api/v1/audit.
	Audit *audit.Log
	// Jobs is the background job queue behind the admin job view (issue
	// 26); nil serves no job routes.
	Jobs *jobs.Queue
	// Denials counts the refusals (403, 404) of signed-in requests into
	// the audit log; nil records none.
	Denials *audit.Denials
	// CORSOrigins are the exact origins allowed to call /api/ from a browser.
	CORSOrigins []string
	// MaxJSONBody caps JSON request bodies in bytes (0: DefaultMaxJSONBody).
	MaxJSONBody int
	// Disk refuses writes (507) while a directory they need is short of
	// space; nil checks nothing.
	Disk *diskspace.Monitor
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
	r.Use(requestContext(d.Logger), accessLog(), recovery(), securityHeaders(d.SecureCookies), jsonLimit(d.MaxJSONBody), textGuard(), language())
	// Also with no origins listed: every preflight is then refused (403).
	r.Use(cors(d.CORSOrigins))
	r.Use(diskGuard(d.Disk))

	if err := routes(r, d); err != nil {
		return nil, err
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

func isAPIPath(p string) bool { return p == "/api" || strings.HasPrefix(p, "/api/") }
