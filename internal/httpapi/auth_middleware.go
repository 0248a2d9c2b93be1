package httpapi

import (
	"errors"
	"slices"

	"github.com/gin-gonic/gin"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/auth"
)

const identityKey = "habeas.identity"

// authMode says which tokens a route takes.
type authMode int

const (
	// modeAccess: a full access token of a user who has no pending password change.
	modeAccess authMode = iota
	// modeAccessPasswordPending: a full access token, even while the user must
	// change their password (the password change itself, /me, sign-out).
	modeAccessPasswordPending
	// modeEnroll: an access token or an MFA-pending token (TOTP enrolment).
	modeEnroll
	// modeMFA: only an MFA-pending token (finishing sign-in).
	modeMFA
)

var (
	errNoCredentials = apperr.New(apperr.ErrUnauthenticated, "unauthenticated", "sign in first: send Authorization: Bearer <access token>")
	errBadToken      = apperr.New(apperr.ErrUnauthenticated, "invalid_token", "the access token is invalid")
	errPasswordFirst = apperr.New(apperr.ErrForbidden, "password_change_required", "change your password first (POST /api/v1/auth/password)")
	errRole          = apperr.New(apperr.ErrForbidden, "forbidden", "your role may not do this")
)

// authenticate is the auth middleware: it reads the bearer token (bounded
// before any parsing), has the auth service verify it and its session, and
// puts the principal in the request context (actor.From). Every refusal is
// 401 in the error shape, audited by the service.
func authenticate(svc *auth.Service, mode authMode) gin.HandlerFunc {
	return func(c *gin.Context) {
		ctx := c.Request.Context()
		vals := c.Request.Header.Values("Authorization")
		if len(vals) == 0 {
			Fail(c, errNoCredentials)
			return
		}
		raw := vals[0]
		if len(vals) > 1 {
			raw = "" // two credentials: refuse rather than pick one
		}
		tok, err := auth.BearerToken(raw)
		if err != nil {
			if raw == "" {
				err = errors.New("several Authorization headers")
			}
			svc.RefuseToken(ctx, err.Error())
			Fail(c, errBadToken)
			return
		}
		var types []string
		switch mode {
		case modeEnroll:
			types = []string{auth.TypeAccess, auth.TypeMFA}
		case modeMFA:
			types = []string{auth.TypeMFA}
		default:
			types = []string{auth.TypeAccess}
		}
		id, err := svc.Authenticate(ctx, tok, types...)
		if err != nil {
			Fail(c, err)
			return
		}
		if id.Type == auth.TypeAccess && id.MustChangePassword && mode == modeAccess {
			Fail(c, errPasswordFirst)
			return
		}
		c.Set(identityKey, id)
		if id.Type == auth.TypeAccess {
			// Only a full sign-in is a principal: an MFA-pending token never
			// reaches code that asks actor.From who is acting.
			p := id.Principal
			c.Request = c.Request.WithContext(actor.WithPrincipal(ctx, &p))
		}
		c.Next()
	}
}

// identity returns the verified identity of the request (set by authenticate).
func identity(c *gin.Context) *auth.Identity {
	v, _ := c.Get(identityKey)
	id, _ := v.(*auth.Identity)
	return id
}

// RequireRole lets only principals of the given roles through (403
// otherwise, audited). It goes after the auth middleware.
func RequireRole(svc *auth.Service, roles ...actor.Role) gin.HandlerFunc {
	return func(c *gin.Context) {
		p := actor.From(c.Request.Context())
		if p == nil || !slices.Contains(roles, p.Role) {
			svc.RecordDenied(c.Request.Context(), "authz.role", "route "+c.FullPath()+" needs another role")
			Fail(c, errRole)
			return
		}
		c.Next()
	}
}
