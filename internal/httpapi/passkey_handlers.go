package httpapi

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/auth"
)

// Passkey routes (WebAuthn). Each ceremony is two calls: begin returns a
// ceremony id and the options for navigator.credentials.create/get; finish
// takes the id and the authenticator's answer (the PublicKeyCredential in
// its JSON form). The auth service verifies everything; these handlers only
// move JSON.

type ceremonyResponse struct {
	CeremonyID string `json:"ceremony_id"`
	ExpiresIn  int    `json:"expires_in"`
	Options    any    `json:"options"`
}

func ceremonyJSON(c *auth.PasskeyCeremony) ceremonyResponse {
	return ceremonyResponse{CeremonyID: c.ID, ExpiresIn: c.ExpiresIn, Options: c.Options}
}

type passkeyJSON struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	Synced     bool       `json:"synced"`
}

func passkeyOut(v auth.PasskeyView) passkeyJSON {
	return passkeyJSON{ID: v.ID, Name: v.Name, CreatedAt: v.CreatedAt, LastUsedAt: v.LastUsedAt, Synced: v.Synced}
}

// ceremonyAnswer is the body of every finish call.
type ceremonyAnswer struct {
	CeremonyID string          `json:"ceremony_id"`
	Credential json.RawMessage `json:"credential"`
}

// check names the missing fields of an answer.
func (a ceremonyAnswer) check() error {
	fields := map[string]string{}
	if a.CeremonyID == "" {
		fields["ceremony_id"] = "is required (from the begin call)"
	}
	if len(a.Credential) == 0 || string(a.Credential) == "null" {
		fields["credential"] = "is required (the PublicKeyCredential, as JSON)"
	} else if a.Credential[0] != '{' {
		fields["credential"] = "must be a JSON object"
	}
	if len(fields) > 0 {
		return apperr.Invalid("validation_failed", "the request has invalid fields", fields)
	}
	return nil
}

type registerBeginRequest struct {
	Name     string `json:"name"`
	Password string `json:"password"`
}

func (h *authHandlers) passkeyRegisterBegin(c *gin.Context) {
	in, ok := bind[registerBeginRequest](c)
	if !ok {
		return
	}
	cer, err := h.svc.BeginPasskeyRegistration(c.Request.Context(), identity(c), in.Password, in.Name)
	if err != nil {
		Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, ceremonyJSON(cer))
}

type registerFinishRequest struct {
	ceremonyAnswer
	Code string `json:"code"`
}

type registerFinishResponse struct {
	Passkey       passkeyJSON `json:"passkey"`
	RecoveryCodes []string    `json:"recovery_codes,omitempty"`
	tokenResponse
}

func (h *authHandlers) passkeyRegisterFinish(c *gin.Context) {
	in, ok := bind[registerFinishRequest](c)
	if !ok {
		return
	}
	if err := in.check(); err != nil {
		Fail(c, err)
		return
	}
	id := identity(c)
	res, err := h.svc.FinishPasskeyRegistration(c.Request.Context(), id, in.CeremonyID, in.Credential, in.Code)
	if err != nil {
		Fail(c, err)
		return
	}
	out := registerFinishResponse{Passkey: passkeyOut(res.Passkey), RecoveryCodes: res.RecoveryCodes,
		tokenResponse: tokenResponse{State: auth.StateOK, TokenType: "Bearer", MustChangePassword: id.MustChangePassword}}
	if p := res.Tokens; p != nil {
		h.fillTokens(c, &out.tokenResponse, p, browser(c))
	}
	c.JSON(http.StatusCreated, out)
}

func (h *authHandlers) passkeyLoginBegin(c *gin.Context) {
	var in struct{}
	if err := BindOptionalJSON(c, &in); err != nil {
		Fail(c, err)
		return
	}
	cer, err := h.svc.BeginPasskeyLogin(c.Request.Context())
	if err != nil {
		Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, ceremonyJSON(cer))
}

func (h *authHandlers) passkeyLoginFinish(c *gin.Context) {
	in, ok := bind[ceremonyAnswer](c)
	if !ok {
		return
	}
	if err := in.check(); err != nil {
		Fail(c, err)
		return
	}
	res, err := h.svc.FinishPasskeyLogin(c.Request.Context(), in.CeremonyID, in.Credential, c.GetHeader("User-Agent"))
	if err != nil {
		Fail(c, err)
		return
	}
	h.tokens(c, http.StatusOK, res.Tokens, res.MustChangePassword, browser(c))
}

func (h *authHandlers) passkeyVerifyBegin(c *gin.Context) {
	var in struct{}
	if err := BindOptionalJSON(c, &in); err != nil {
		Fail(c, err)
		return
	}
	cer, err := h.svc.BeginPasskeyVerify(c.Request.Context(), identity(c))
	if err != nil {
		Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, ceremonyJSON(cer))
}

func (h *authHandlers) passkeyVerifyFinish(c *gin.Context) {
	in, ok := bind[ceremonyAnswer](c)
	if !ok {
		return
	}
	if err := in.check(); err != nil {
		Fail(c, err)
		return
	}
	id := identity(c)
	p, err := h.svc.FinishPasskeyVerify(c.Request.Context(), id, in.CeremonyID, in.Credential)
	if err != nil {
		Fail(c, err)
		return
	}
	h.tokens(c, http.StatusOK, p, id.MustChangePassword, browser(c))
}

type passkeyList struct {
	Items []passkeyJSON `json:"items"`
}

func (h *authHandlers) passkeys(c *gin.Context) {
	list, err := h.svc.ListPasskeys(c.Request.Context(), identity(c))
	if err != nil {
		Fail(c, err)
		return
	}
	out := passkeyList{Items: make([]passkeyJSON, len(list))}
	for i, v := range list {
		out.Items[i] = passkeyOut(v)
	}
	c.JSON(http.StatusOK, out)
}

type removePasskeyRequest struct {
	Password string `json:"password"`
}

func (h *authHandlers) passkeyRemove(c *gin.Context) {
	in, ok := bind[removePasskeyRequest](c)
	if !ok {
		return
	}
	noContent(c, h.svc.RemovePasskey(c.Request.Context(), identity(c), c.Param("id"), in.Password))
}
