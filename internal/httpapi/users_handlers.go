package httpapi

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/auth"
)

// usersHandlers serve user administration (admin only).
type usersHandlers struct{ svc *auth.Service }

type userJSON struct {
	ID                 string    `json:"id"`
	Email              string    `json:"email"`
	Name               string    `json:"name"`
	Role               string    `json:"role"`
	Disabled           bool      `json:"disabled"`
	MustChangePassword bool      `json:"must_change_password"`
	RequireMFA         bool      `json:"require_mfa"`
	TOTPEnabled        bool      `json:"totp_enabled"`
	Version            int64     `json:"version"`
	CreatedAt          time.Time `json:"created_at"`
	UpdatedAt          time.Time `json:"updated_at"`
}

func toUserJSON(v *auth.UserView) userJSON {
	return userJSON{ID: v.ID, Email: v.Email, Name: v.Name, Role: string(v.Role), Disabled: v.Disabled,
		MustChangePassword: v.MustChangePassword, RequireMFA: v.RequireMFA, TOTPEnabled: v.TOTPEnabled,
		Version: v.Version, CreatedAt: v.CreatedAt.UTC(), UpdatedAt: v.UpdatedAt.UTC()}
}

// userID reads the {id} path parameter; a value that is no UUID is a user
// that does not exist.
func userID(c *gin.Context) (string, bool) { return pathID(c, "id", "user") }

type userList struct {
	Items      []userJSON `json:"items"`
	NextCursor string     `json:"next_cursor,omitempty"`
}

func (h *usersHandlers) list(c *gin.Context) {
	limit, ok := queryLimit(c, auth.MaxPageSize)
	if !ok {
		return
	}
	after := c.Query("after")
	if after != "" {
		if _, err := uuid.Parse(after); err != nil {
			Fail(c, apperr.Field("after", "must be the next_cursor of a previous page"))
			return
		}
	}
	users, next, err := h.svc.ListUsers(c.Request.Context(), principal(c), after, limit)
	if err != nil {
		Fail(c, err)
		return
	}
	out := userList{Items: make([]userJSON, len(users)), NextCursor: next}
	for i := range users {
		out.Items[i] = toUserJSON(&users[i])
	}
	c.JSON(http.StatusOK, out)
}

func (h *usersHandlers) get(c *gin.Context) {
	id, ok := userID(c)
	if !ok {
		return
	}
	v, err := h.svc.GetUser(c.Request.Context(), principal(c), id)
	if err != nil {
		Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toUserJSON(v))
}

type createUserRequest struct {
	Email              string `json:"email"`
	Name               string `json:"name"`
	Role               string `json:"role"`
	Password           string `json:"password"`
	MustChangePassword bool   `json:"must_change_password"`
	RequireMFA         bool   `json:"require_mfa"`
}

type userWithPassword struct {
	userJSON
	// GeneratedPassword is set only when the server chose the password: the
	// one time it is shown.
	GeneratedPassword string `json:"generated_password,omitempty"`
}

func (h *usersHandlers) create(c *gin.Context) {
	in, ok := bind[createUserRequest](c)
	if !ok {
		return
	}
	v, generated, err := h.svc.CreateUser(c.Request.Context(), principal(c), auth.CreateUserInput{
		Email: in.Email, Name: in.Name, Role: actor.Role(in.Role), Password: in.Password,
		MustChangePassword: in.MustChangePassword, RequireMFA: in.RequireMFA,
	})
	if err != nil {
		Fail(c, err)
		return
	}
	c.Header("Location", "/api/v1/users/"+v.ID)
	c.JSON(http.StatusCreated, userWithPassword{userJSON: toUserJSON(v), GeneratedPassword: generated})
}

type updateUserRequest struct {
	Name       *string `json:"name"`
	Role       *string `json:"role"`
	Disabled   *bool   `json:"disabled"`
	RequireMFA *bool   `json:"require_mfa"`
	Version    *int64  `json:"version"`
}

func (h *usersHandlers) update(c *gin.Context) {
	id, ok := userID(c)
	if !ok {
		return
	}
	in, ok := bind[updateUserRequest](c)
	if !ok {
		return
	}
	up := auth.UpdateUserInput{Name: in.Name, Disabled: in.Disabled, RequireMFA: in.RequireMFA, Version: in.Version}
	if in.Role != nil {
		r := actor.Role(*in.Role)
		up.Role = &r
	}
	v, err := h.svc.UpdateUser(c.Request.Context(), principal(c), id, up)
	if err != nil {
		Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toUserJSON(v))
}

type resetPasswordRequest struct {
	Password  string `json:"password"`
	ResetTOTP bool   `json:"reset_totp"`
}

func (h *usersHandlers) resetPassword(c *gin.Context) {
	id, ok := userID(c)
	if !ok {
		return
	}
	var in resetPasswordRequest
	if err := BindOptionalJSON(c, &in); err != nil {
		Fail(c, err)
		return
	}
	v, generated, err := h.svc.ResetPassword(c.Request.Context(), principal(c), id, in.Password, in.ResetTOTP)
	if err != nil {
		Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, userWithPassword{userJSON: toUserJSON(v), GeneratedPassword: generated})
}

type revokeResponse struct {
	SessionsRevoked int64 `json:"sessions_revoked"`
}

func (h *usersHandlers) revokeSessions(c *gin.Context) {
	id, ok := userID(c)
	if !ok {
		return
	}
	n, err := h.svc.RevokeSessions(c.Request.Context(), principal(c), id)
	render(c, http.StatusOK, revokeResponse{SessionsRevoked: n}, err)
}

// activity answers a user's recent failed sign-ins and locks.
func (h *usersHandlers) activity(c *gin.Context) {
	id, ok := userID(c)
	if !ok {
		return
	}
	page, ok := activityPage(c)
	if !ok {
		return
	}
	a, err := h.svc.UserSignInActivity(c.Request.Context(), principal(c), id, page)
	if err != nil {
		Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toSignInActivityJSON(a))
}

// revokeFeed ends a user's calendar feed.
func (h *usersHandlers) revokeFeed(c *gin.Context) {
	id, ok := userID(c)
	if !ok {
		return
	}
	noContent(c, h.svc.RevokeUserFeed(c.Request.Context(), principal(c), id))
}
