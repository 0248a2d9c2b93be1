package httpapi

import (
	"encoding/base64"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/auth"
)

// RefreshCookie carries a browser's refresh token: HttpOnly (no script can
// read it), SameSite=Strict (never sent cross-site), scoped to the auth
// routes, Secure over TLS or when the public URL is https.
const RefreshCookie = "habeas_refresh"

const refreshCookiePath = "/api/v1/auth"

type authHandlers struct {
	svc           *auth.Service
	secureCookies bool
	// corsOrigins are the listed origins (HABEAS_CORS_ORIGINS), allowed to
	// use the refresh cookie like the server's own pages.
	corsOrigins map[string]bool
	// publicOrigin is scheme://host[:port] of HABEAS_PUBLIC_URL ("" when
	// not configured).
	publicOrigin string
}

// hasRefreshCookie reports whether the request carries the refresh cookie:
// a browser's request that the cookie may authenticate.
func hasRefreshCookie(c *gin.Context) bool {
	_, err := c.Request.Cookie(RefreshCookie)
	return err == nil
}

// checkCookieRequest guards the endpoints the refresh cookie authenticates
// (refresh, logout): SameSite=Strict keeps the cookie from other sites, but
// not from sibling subdomains (same site, other origin). The request must
// come from the server's own pages or a listed CORS origin (fromOwnPage),
// and carry Content-Type application/json, which no HTML form can send and
// which makes a browser ask (preflight) before a cross-origin fetch sends
// it. Refused before anything is rotated, ended or cleared.
func (h *authHandlers) checkCookieRequest(c *gin.Context) error {
	if !h.fromOwnPage(c) {
		return apperr.New(apperr.ErrForbidden, "origin_not_allowed",
			"the refresh cookie is accepted only from this server's own pages or a configured CORS origin")
	}
	mt, _, err := mime.ParseMediaType(c.GetHeader("Content-Type"))
	if err != nil || mt != "application/json" {
		return apperr.New(apperr.ErrUnsupportedMedia, "unsupported_media_type",
			"send Content-Type: application/json (the refresh cookie is accepted only with it)")
	}
	return nil
}

// fromOwnPage reports whether a browser request comes from the server's
// own origin or a listed CORS origin, by what the browser says (scripts
// cannot set these headers): Sec-Fetch-Site same-origin; or, from a
// listed origin, any Sec-Fetch-Site; or, from browsers without Fetch
// Metadata, an Origin that is the public URL's or this request's own.
// A request with neither header is refused: a browser sends Origin on
// every POST from script.
func (h *authHandlers) fromOwnPage(c *gin.Context) bool {
	origin, site := c.GetHeader("Origin"), c.GetHeader("Sec-Fetch-Site")
	listed := origin != "" && h.corsOrigins[origin]
	switch {
	case site == "same-origin":
		// The browser's own word; Origin is not compared with the Host,
		// which a reverse proxy may rewrite.
		return true
	case site != "":
		return listed
	case origin != "":
		return listed || h.ownOrigin(c, origin)
	}
	return false
}

// ownOrigin reports whether origin is this server's: the public URL's
// origin, https:// and the Host of the request, or http:// and the Host of
// a plain-HTTP request not behind TLS.
func (h *authHandlers) ownOrigin(c *gin.Context, origin string) bool {
	host := c.Request.Host
	switch {
	case host == "":
		return false
	case h.publicOrigin != "" && strings.EqualFold(origin, h.publicOrigin):
		return true
	case strings.EqualFold(origin, "https://"+host):
		return true
	}
	return c.Request.TLS == nil && !h.secureCookies && strings.EqualFold(origin, "http://"+host)
}

// originOf is scheme://host[:port] of an http(s) URL, lower-cased ("" for
// anything else).
func originOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return strings.ToLower(u.Scheme + "://" + u.Host)
}

type loginRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
	TOTPCode string `json:"totp_code"`
}

type tokenResponse struct {
	State              string `json:"state"`
	AccessToken        string `json:"access_token,omitempty"`
	TokenType          string `json:"token_type"`
	ExpiresIn          int    `json:"expires_in,omitempty"`
	RefreshToken       string `json:"refresh_token,omitempty"`
	MFAToken           string `json:"mfa_token,omitempty"`
	MustChangePassword bool   `json:"must_change_password"`
	// MFAMethods (state mfa_required): totp, passkey, recovery_code.
	MFAMethods []string `json:"mfa_methods,omitempty"`
	// DraftKey (state ok): the session's AES-256 key for what the browser
	// keeps on the device (drafts, the offline queue), base64url; the same
	// for every refresh of the session (issue 24).
	DraftKey string `json:"draft_key,omitempty"`
}

// browser reports whether the client is a browser (it sends Fetch Metadata
// headers): browsers get the refresh token only as an HttpOnly cookie, never
// in a body that script could read.
func browser(c *gin.Context) bool { return c.GetHeader("Sec-Fetch-Site") != "" }

func (h *authHandlers) setRefreshCookie(c *gin.Context, token string) {
	http.SetCookie(c.Writer, &http.Cookie{
		Name: RefreshCookie, Value: token, Path: refreshCookiePath,
		MaxAge: int(h.svc.SessionIdle() / time.Second), HttpOnly: true,
		Secure: h.secureCookies || c.Request.TLS != nil, SameSite: http.SameSiteStrictMode,
	})
}

func (h *authHandlers) clearRefreshCookie(c *gin.Context) {
	http.SetCookie(c.Writer, &http.Cookie{
		Name: RefreshCookie, Value: "", Path: refreshCookiePath, MaxAge: -1, HttpOnly: true,
		Secure: h.secureCookies || c.Request.TLS != nil, SameSite: http.SameSiteStrictMode,
	})
}

// tokens renders a full sign-in; cookie puts the refresh token in the cookie
// instead of the body.
func (h *authHandlers) tokens(c *gin.Context, status int, p *auth.TokenPair, mustChange, cookie bool) {
	out := tokenResponse{State: auth.StateOK, TokenType: "Bearer", MustChangePassword: mustChange}
	h.fillTokens(c, &out, p, cookie)
	c.JSON(status, out)
}

// fillTokens puts a finished sign-in's tokens and the session's draft key
// into out (the refresh token in the cookie instead when cookie is set):
// every response that completes a sign-in (password, TOTP or recovery code,
// passkey, and the enrolments that finish one) carries the same fields.
func (h *authHandlers) fillTokens(c *gin.Context, out *tokenResponse, p *auth.TokenPair, cookie bool) {
	out.AccessToken, out.ExpiresIn, out.RefreshToken = p.AccessToken, p.ExpiresIn, p.RefreshToken
	if k, err := h.svc.DraftKey(p.SessionID); err == nil {
		out.DraftKey = base64.RawURLEncoding.EncodeToString(k)
	}
	if cookie {
		h.setRefreshCookie(c, p.RefreshToken)
		out.RefreshToken = ""
	}
}

func (h *authHandlers) login(c *gin.Context) {
	in, ok := bind[loginRequest](c)
	if !ok {
		return
	}
	res, err := h.svc.Login(c.Request.Context(), auth.LoginInput{Email: in.Email, Password: in.Password,
		TOTPCode: in.TOTPCode, UserAgent: c.GetHeader("User-Agent")})
	if err != nil {
		Fail(c, err)
		return
	}
	if res.State == auth.StateOK {
		h.tokens(c, http.StatusOK, res.Tokens, res.MustChangePassword, browser(c))
		return
	}
	c.JSON(http.StatusOK, tokenResponse{State: res.State, TokenType: "Bearer", MFAToken: res.MFAToken,
		ExpiresIn: res.MFATokenExpiresIn, MustChangePassword: res.MustChangePassword, MFAMethods: res.MFAMethods})
}

type refreshRequest struct {
	RefreshToken string `json:"refresh_token"`
}

// refreshToken reads the refresh token from the body, else from the cookie.
func refreshToken(c *gin.Context) (token string, fromCookie bool, err error) {
	var in refreshRequest
	if err := BindOptionalJSON(c, &in); err != nil {
		return "", false, err
	}
	if in.RefreshToken != "" {
		return in.RefreshToken, false, nil
	}
	if ck, err := c.Cookie(RefreshCookie); err == nil && ck != "" {
		return ck, true, nil
	}
	return "", false, nil
}

func (h *authHandlers) refresh(c *gin.Context) {
	if hasRefreshCookie(c) {
		if err := h.checkCookieRequest(c); err != nil {
			Fail(c, err)
			return
		}
	}
	tok, fromCookie, err := refreshToken(c)
	if err != nil {
		Fail(c, err)
		return
	}
	if tok == "" {
		Fail(c, apperr.New(apperr.ErrUnauthenticated, "invalid_refresh_token", "send refresh_token in the body (or the refresh cookie)"))
		return
	}
	p, err := h.svc.Refresh(c.Request.Context(), tok)
	if err != nil {
		if fromCookie {
			h.clearRefreshCookie(c)
		}
		Fail(c, err)
		return
	}
	h.tokens(c, http.StatusOK, p, false, fromCookie)
}

// logout ends the session of the bearer token; a client whose access token
// has expired may send its refresh token (body or cookie) instead. A
// request carrying the refresh cookie must pass checkCookieRequest first.
func (h *authHandlers) logout(c *gin.Context) {
	if hasRefreshCookie(c) {
		if err := h.checkCookieRequest(c); err != nil {
			Fail(c, err)
			return
		}
	}
	h.clearRefreshCookie(c)
	if c.GetHeader("Authorization") != "" {
		authenticate(h.svc, modeEnroll)(c)
		if c.IsAborted() {
			return
		}
		noContent(c, h.svc.Logout(c.Request.Context(), identity(c)))
		return
	}
	tok, _, err := refreshToken(c)
	if err != nil {
		Fail(c, err)
		return
	}
	if tok == "" {
		Fail(c, errNoCredentials)
		return
	}
	noContent(c, h.svc.LogoutRefresh(c.Request.Context(), tok))
}

type enrollResponse struct {
	Secret     string `json:"secret"`
	OTPAuthURI string `json:"otpauth_uri"`
}

func (h *authHandlers) totpEnroll(c *gin.Context) {
	var in struct{}
	if err := BindOptionalJSON(c, &in); err != nil {
		Fail(c, err)
		return
	}
	e, err := h.svc.EnrollTOTP(c.Request.Context(), identity(c))
	if err != nil {
		Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, enrollResponse{Secret: e.Secret, OTPAuthURI: e.URI})
}

type codeRequest struct {
	Code string `json:"code"`
}

type confirmResponse struct {
	RecoveryCodes []string `json:"recovery_codes"`
	tokenResponse
}

func (h *authHandlers) totpConfirm(c *gin.Context) {
	in, ok := bind[codeRequest](c)
	if !ok {
		return
	}
	if in.Code == "" {
		Fail(c, apperr.Field("code", "is required"))
		return
	}
	id := identity(c)
	res, err := h.svc.ConfirmTOTP(c.Request.Context(), id, in.Code)
	if err != nil {
		Fail(c, err)
		return
	}
	out := confirmResponse{RecoveryCodes: res.RecoveryCodes, tokenResponse: tokenResponse{State: auth.StateOK, TokenType: "Bearer",
		MustChangePassword: id.MustChangePassword}}
	if p := res.Tokens; p != nil {
		h.fillTokens(c, &out.tokenResponse, p, browser(c))
	}
	c.JSON(http.StatusOK, out)
}

type verifyRequest struct {
	Code         string `json:"code"`
	RecoveryCode string `json:"recovery_code"`
}

func (h *authHandlers) totpVerify(c *gin.Context) {
	in, ok := bind[verifyRequest](c)
	if !ok {
		return
	}
	code := in.Code
	if code == "" {
		code = in.RecoveryCode
	}
	if code == "" || (in.Code != "" && in.RecoveryCode != "") {
		Fail(c, apperr.Field("code", "send either code (from the authenticator app) or recovery_code"))
		return
	}
	id := identity(c)
	p, err := h.svc.VerifyMFA(c.Request.Context(), id, code)
	if err != nil {
		Fail(c, err)
		return
	}
	h.tokens(c, http.StatusOK, p, id.MustChangePassword, browser(c))
}

type disableRequest struct {
	Password string `json:"password"`
	Code     string `json:"code"`
}

func (h *authHandlers) totpDisable(c *gin.Context) {
	in, ok := bind[disableRequest](c)
	if !ok {
		return
	}
	if in.Password == "" || in.Code == "" {
		Fail(c, apperr.Invalid("validation_failed", "password and code are required", map[string]string{"password": "is required", "code": "is required"}))
		return
	}
	noContent(c, h.svc.DisableTOTP(c.Request.Context(), identity(c), in.Password, in.Code))
}

type passwordRequest struct {
	CurrentPassword string `json:"current_password"`
	NewPassword     string `json:"new_password"`
}

func (h *authHandlers) changePassword(c *gin.Context) {
	in, ok := bind[passwordRequest](c)
	if !ok {
		return
	}
	if in.CurrentPassword == "" {
		Fail(c, apperr.Field("current_password", "is required"))
		return
	}
	p, err := h.svc.ChangePassword(c.Request.Context(), identity(c), in.CurrentPassword, in.NewPassword)
	if err != nil {
		Fail(c, err)
		return
	}
	h.tokens(c, http.StatusOK, p, false, browser(c))
}

type meResponse struct {
	ID                 string `json:"id"`
	Email              string `json:"email"`
	Name               string `json:"name"`
	Role               string `json:"role"`
	TOTPEnabled        bool   `json:"totp_enabled"`
	MFARequired        bool   `json:"mfa_required"`
	PasskeyCount       int    `json:"passkey_count"`
	PasskeyRequired    bool   `json:"passkey_required"`
	MustChangePassword bool   `json:"must_change_password"`
	SessionID          string `json:"session_id"`
}

func (h *authHandlers) me(c *gin.Context) {
	id := identity(c)
	p, err := h.svc.Me(c.Request.Context(), id)
	if err != nil {
		Fail(c, err)
		return
	}
	u := p.User
	c.JSON(http.StatusOK, meResponse{ID: u.ID, Email: u.Email, Name: u.Name, Role: string(u.Role), TOTPEnabled: p.TOTPEnabled,
		MFARequired: p.MFARequired, PasskeyCount: p.PasskeyCount, PasskeyRequired: p.PasskeyRequired, MustChangePassword: u.MustChangePassword, SessionID: id.Principal.SessionID})
}

type signInEventJSON struct {
	At            time.Time `json:"at"`
	Kind          string    `json:"kind"`
	Action        string    `json:"action"`
	ClientIP      string    `json:"client_ip"`
	Reason        string    `json:"reason,omitempty"`
	Scope         string    `json:"scope,omitempty"`
	LockedSeconds int64     `json:"locked_seconds,omitempty"`
}

type signInActivityJSON struct {
	Failures             int               `json:"failures"`
	Ceiling              int               `json:"ceiling"`
	SecondFactorFailures int               `json:"second_factor_failures"`
	Items                []signInEventJSON `json:"items"`
	NextCursor           string            `json:"next_cursor,omitempty"`
}

func toSignInActivityJSON(a *auth.SignInActivity) signInActivityJSON {
	out := signInActivityJSON{Failures: a.Failures, Ceiling: a.Ceiling, SecondFactorFailures: a.SecondFactorFailures,
		Items: make([]signInEventJSON, len(a.Events)), NextCursor: a.NextCursor}
	for i, e := range a.Events {
		out.Items[i] = signInEventJSON{At: e.At, Kind: e.Kind, Action: e.Action, ClientIP: e.ClientIP, Reason: e.Reason,
			Scope: e.Scope, LockedSeconds: e.LockedSeconds}
	}
	return out
}

// activityPage reads the limit and cursor of a sign-in activity page.
func activityPage(c *gin.Context) (auth.ActivityPage, bool) {
	limit, ok := queryLimit(c, auth.MaxActivity)
	return auth.ActivityPage{Limit: limit, Cursor: c.Query("cursor")}, ok
}

// signInActivity answers the caller's own recent failed sign-ins and locks.
func (h *authHandlers) signInActivity(c *gin.Context) {
	page, ok := activityPage(c)
	if !ok {
		return
	}
	a, err := h.svc.MySignInActivity(c.Request.Context(), identity(c), page)
	if err != nil {
		Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toSignInActivityJSON(a))
}
