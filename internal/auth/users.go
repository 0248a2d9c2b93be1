package auth

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"math/big"
	"net/mail"
	"os"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/record"
)

// Profile is what the caller may know about their own account.
type Profile struct {
	User        *User
	TOTPEnabled bool
	MFARequired bool
	// PasskeyCount is how many passkeys the user has; PasskeyRequired: the
	// role requires signing in with one.
	PasskeyCount    int
	PasskeyRequired bool
}

// UserView is a user with the state an admin sees.
type UserView struct {
	*User
	TOTPEnabled bool
}

// CreateUserInput is a new account. An empty Password is generated (and
// returned once).
type CreateUserInput struct {
	Email              string
	Name               string
	Role               actor.Role
	Password           string
	MustChangePassword bool
	RequireMFA         bool
}

// UpdateUserInput changes an account; nil fields are left alone. Version,
// when set, must match the stored version (else 412).
type UpdateUserInput struct {
	Name       *string
	Role       *actor.Role
	Disabled   *bool
	RequireMFA *bool
	Version    *int64
}

// MaxPageSize caps list pages.
const MaxPageSize = 200

func (s *Service) user(ctx context.Context, id string) (*User, error) {
	var u User
	err := s.db.WithContext(ctx).Take(&u, "id = ?", id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, apperr.NotFound("user")
	}
	if err != nil {
		return nil, err
	}
	return &u, nil
}

func requireAdmin(p *actor.Principal) error {
	if p == nil || p.Role != actor.Admin {
		return errAdminOnly
	}
	return nil
}

// checkPassword verifies the caller's own password (for changes that need
// it). Failures count against the account like failed sign-ins.
func (s *Service) checkPassword(ctx context.Context, u *User, password, field string) error {
	g := passwordGate(u.Email, actor.RequestFrom(ctx).ClientIP, false)
	if err := s.checkGate(ctx, g, "auth.password.check", u); err != nil {
		return err
	}
	if len(password) > maxCredentialLen {
		password = password[:maxCredentialLen]
	}
	ok, _, err := s.hasher.Verify(ctx, u.PasswordHash, NormalizePassword(password))
	if err != nil && !errors.Is(err, errBadHash) {
		return err
	}
	if !ok {
		_ = s.record(ctx, nil, audit.Entry{Action: "auth.password.check", ObjectType: "user", ObjectID: u.ID, Outcome: audit.Denied,
			ActorID: u.ID, ActorRole: string(u.Role), Details: map[string]any{"reason": "wrong password"}})
		if err := s.failGate(ctx, g, u); err != nil {
			return err
		}
		return apperr.Field(field, "is wrong")
	}
	return s.passGate(ctx, g)
}

// Me returns the caller's own account.
func (s *Service) Me(ctx context.Context, id *Identity) (*Profile, error) {
	u, err := s.user(ctx, id.Principal.UserID)
	if err != nil {
		return nil, err
	}
	t, err := s.loadTOTP(ctx, s.db.DB, u.ID)
	if err != nil {
		return nil, err
	}
	n, err := s.countPasskeys(ctx, s.db.DB, u.ID)
	if err != nil {
		return nil, err
	}
	return &Profile{User: u, TOTPEnabled: t != nil && t.ConfirmedAt != nil, MFARequired: s.mfaRequired(u),
		PasskeyCount: int(n), PasskeyRequired: s.passkeyRequired(u)}, nil
}

// ChangePassword sets the caller's password (the current one is required),
// ends every session of the user, this one included, and their calendar
// feed, and opens a new
// session whose tokens it returns.
func (s *Service) ChangePassword(ctx context.Context, id *Identity, current, next string) (*TokenPair, error) {
	u, err := s.user(ctx, id.Principal.UserID)
	if err != nil {
		return nil, err
	}
	if err := s.checkPassword(ctx, u, current, "current_password"); err != nil {
		return nil, err
	}
	next = NormalizePassword(next)
	if err := CheckPassword("new_password", next, u.Email, u.Name); err != nil {
		return nil, err
	}
	if next == NormalizePassword(current) {
		return nil, apperr.Field("new_password", "must differ from the current password")
	}
	hash, err := s.hasher.Hash(ctx, next)
	if err != nil {
		return nil, err
	}
	var out *TokenPair
	err = s.db.WithTx(ctx, func(tx *gorm.DB) error {
		var sess Session
		if err := tx.Take(&sess, "id = ?", id.Principal.SessionID).Error; err != nil {
			return err
		}
		now := s.now()
		if err := tx.Model(&User{}).Where("id = ?", u.ID).Updates(map[string]any{
			"password_hash": hash, "must_change_password": false, "password_changed_at": now,
			"version": gorm.Expr("version + 1"), "updated_at": now,
		}).Error; err != nil {
			return err
		}
		if _, err := s.revokeUserSessions(tx, u.ID, "password change"); err != nil {
			return err
		}
		feeds, err := s.revokeFeeds(ctx, tx, u.ID, "password change")
		if err != nil {
			return err
		}
		method := sess.MFAMethod
		if sess.MFAVerified && method == "" {
			method = MethodTOTP // a session from before mfa_method was recorded
		}
		if out, err = s.startSession(tx, u, method, metaFrom(ctx, sess.UserAgent)); err != nil {
			return err
		}
		return s.record(ctx, tx, audit.Entry{Action: "auth.password.change", ObjectType: "user", ObjectID: u.ID, Outcome: audit.OK,
			ActorID: u.ID, ActorRole: string(u.Role), Details: map[string]any{"calendar_feeds_revoked": feeds}})
	})
	if err == nil && u.Email == GeneratedAdminEmail && s.opts.InitialPasswordFile != "" {
		if rerr := os.Remove(s.opts.InitialPasswordFile); rerr == nil {
			logger(ctx).Info("initial admin password changed; its file was removed", "file", s.opts.InitialPasswordFile)
		}
	}
	return out, err
}

// ListUsers lists users by id (creation order), after the given id.
func (s *Service) ListUsers(ctx context.Context, p *actor.Principal, after string, limit int) ([]UserView, string, error) {
	if err := requireAdmin(p); err != nil {
		return nil, "", err
	}
	if limit <= 0 || limit > MaxPageSize {
		limit = 50
	}
	q := s.db.WithContext(ctx).Order("id").Limit(limit + 1)
	if after != "" {
		q = q.Where("id > ?", after)
	}
	var users []User
	if err := q.Find(&users).Error; err != nil {
		return nil, "", err
	}
	next := ""
	if len(users) > limit {
		users, next = users[:limit], users[limit-1].ID
	}
	ids := make([]string, len(users))
	for i := range users {
		ids[i] = users[i].ID
	}
	var enabled []string
	if len(ids) > 0 {
		if err := s.db.WithContext(ctx).Model(&UserTOTP{}).Where("user_id IN ? AND confirmed_at IS NOT NULL", ids).
			Pluck("user_id", &enabled).Error; err != nil {
			return nil, "", err
		}
	}
	on := map[string]bool{}
	for _, id := range enabled {
		on[id] = true
	}
	out := make([]UserView, len(users))
	for i := range users {
		out[i] = UserView{User: &users[i], TOTPEnabled: on[users[i].ID]}
	}
	return out, next, nil
}

// GetUser returns one user.
func (s *Service) GetUser(ctx context.Context, p *actor.Principal, id string) (*UserView, error) {
	if err := requireAdmin(p); err != nil {
		return nil, err
	}
	return s.view(ctx, id)
}

func (s *Service) view(ctx context.Context, id string) (*UserView, error) {
	u, err := s.user(ctx, id)
	if err != nil {
		return nil, err
	}
	t, err := s.loadTOTP(ctx, s.db.DB, id)
	if err != nil {
		return nil, err
	}
	return &UserView{User: u, TOTPEnabled: t != nil && t.ConfirmedAt != nil}, nil
}

// CreateUser creates an account (admin only). It returns the generated
// password when none was given: the only time it is ever shown.
func (s *Service) CreateUser(ctx context.Context, p *actor.Principal, in CreateUserInput) (*UserView, string, error) {
	if err := requireAdmin(p); err != nil {
		return nil, "", err
	}
	return s.createUser(ctx, in, "user.create", audit.Entry{})
}

// CreateUserAsSystem creates an account on behalf of the operator (the CLI,
// bootstrap): no principal, audited as the system.
func (s *Service) CreateUserAsSystem(ctx context.Context, in CreateUserInput, action string) (*UserView, string, error) {
	return s.createUser(ctx, in, action, audit.Entry{ActorID: "system", ActorRole: "system"})
}

func (s *Service) createUser(ctx context.Context, in CreateUserInput, action string, base audit.Entry) (*UserView, string, error) {
	email := NormalizeEmail(in.Email)
	name := strings.TrimSpace(in.Name)
	fields := map[string]string{}
	if err := validEmail(email); err != "" {
		fields["email"] = err
	}
	if err := validName(name); err != "" {
		fields["name"] = err
	}
	if !in.Role.Valid() {
		fields["role"] = "must be one of admin, coordinator, lawyer, observer"
	}
	if len(fields) > 0 {
		return nil, "", apperr.Invalid("validation_failed", "the request has invalid fields", fields)
	}
	generated := ""
	pw := NormalizePassword(in.Password)
	if pw == "" {
		pw = GeneratePassword()
		generated = pw
	}
	if err := CheckPassword("password", pw, email, name); err != nil {
		return nil, "", err
	}
	hash, err := s.hasher.Hash(ctx, pw)
	if err != nil {
		return nil, "", err
	}
	now := s.now()
	u := &User{ID: newID(), Email: email, Name: name, Role: in.Role, PasswordHash: hash,
		MustChangePassword: in.MustChangePassword, RequireMFA: in.RequireMFA,
		PasswordChangedAt: now, Version: 1, CreatedAt: now, UpdatedAt: now}
	err = s.db.WithTx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(u).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return &apperr.Error{Kind: apperr.ErrConflict, Code: "email_taken", Message: "another account has this email",
					Fields: map[string]string{"email": "is taken"}}
			}
			return err
		}
		e := base
		e.Action, e.ObjectType, e.ObjectID, e.Outcome = action, "user", u.ID, audit.OK
		e.Details = map[string]any{"role": string(u.Role), "change_required": u.MustChangePassword, "require_mfa": u.RequireMFA}
		return s.record(ctx, tx, e)
	})
	if err != nil {
		return nil, "", err
	}
	return &UserView{User: u}, generated, nil
}

// UpdateUser changes name, role, disabled or require_mfa (admin only).
// Disabling ends every session of the user at once, and their calendar
// feed; so does a role change (the feed). The last enabled admin
// can be neither demoted nor disabled.
func (s *Service) UpdateUser(ctx context.Context, p *actor.Principal, id string, in UpdateUserInput) (*UserView, error) {
	if err := requireAdmin(p); err != nil {
		return nil, err
	}
	fields := map[string]string{}
	if in.Name != nil {
		*in.Name = strings.TrimSpace(*in.Name)
		if msg := validName(*in.Name); msg != "" {
			fields["name"] = msg
		}
	}
	if in.Role != nil && !in.Role.Valid() {
		fields["role"] = "must be one of admin, coordinator, lawyer, observer"
	}
	if len(fields) > 0 {
		return nil, apperr.Invalid("validation_failed", "the request has invalid fields", fields)
	}
	err := s.db.WithTx(ctx, func(tx *gorm.DB) error {
		var u User
		if err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Take(&u, "id = ?", id).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return apperr.NotFound("user")
			}
			return err
		}
		if in.Version != nil && *in.Version != u.Version {
			return apperr.New(apperr.ErrPrecondition, "version_mismatch", "the user was changed meanwhile; reload it")
		}
		changes := map[string]any{}
		details := map[string]any{}
		if in.Name != nil && *in.Name != u.Name {
			changes["name"], details["name"] = *in.Name, "changed"
		}
		if in.Role != nil && *in.Role != u.Role {
			changes["role"], details["role"] = string(*in.Role), string(*in.Role)
		}
		if in.Disabled != nil && *in.Disabled != u.Disabled {
			changes["disabled"], details["disabled"] = *in.Disabled, *in.Disabled
		}
		if in.RequireMFA != nil && *in.RequireMFA != u.RequireMFA {
			changes["require_mfa"], details["require_mfa"] = *in.RequireMFA, *in.RequireMFA
		}
		if len(changes) == 0 {
			return nil
		}
		losesAdmin := u.Role == actor.Admin && !u.Disabled &&
			((in.Role != nil && *in.Role != actor.Admin) || (in.Disabled != nil && *in.Disabled))
		if losesAdmin {
			// Lock the other admins' rows so that two admins demoting each
			// other at once cannot both succeed.
			var others []string
			if err := tx.Model(&User{}).Clauses(clause.Locking{Strength: "UPDATE"}).
				Where("role = ? AND NOT disabled AND id <> ?", actor.Admin, u.ID).Pluck("id", &others).Error; err != nil {
				return err
			}
			if len(others) == 0 {
				return apperr.New(apperr.ErrConflict, "last_admin", "this is the last enabled admin; make another admin first")
			}
		}
		changes["version"], changes["updated_at"] = gorm.Expr("version + 1"), s.now()
		if err := tx.Model(&User{}).Where("id = ?", u.ID).Updates(changes).Error; err != nil {
			return err
		}
		if in.Disabled != nil && *in.Disabled {
			n, err := s.revokeUserSessions(tx, u.ID, "user disabled")
			if err != nil {
				return err
			}
			details["sessions_revoked"] = n
		}
		// A disabled user keeps no feed; a new role may see other cases.
		feedReason := ""
		switch {
		case in.Disabled != nil && *in.Disabled && !u.Disabled:
			feedReason = "user disabled"
		case in.Role != nil && *in.Role != u.Role:
			feedReason = "role change"
		}
		if feedReason != "" {
			n, err := s.revokeFeeds(ctx, tx, u.ID, feedReason)
			if err != nil {
				return err
			}
			details["calendar_feeds_revoked"] = n
		}
		return s.record(ctx, tx, audit.Entry{Action: "user.update", ObjectType: "user", ObjectID: u.ID, Outcome: audit.OK, Details: details})
	})
	if err != nil {
		return nil, err
	}
	return s.view(ctx, id)
}

// ResetPassword sets a new password for a user (generated when empty, and
// then returned once), forces a change at next sign-in and ends the user's
// sessions and calendar feed; resetTOTP also removes their TOTP, recovery codes and passkeys (lost device).
func (s *Service) ResetPassword(ctx context.Context, p *actor.Principal, id, password string, resetTOTP bool) (*UserView, string, error) {
	if err := requireAdmin(p); err != nil {
		return nil, "", err
	}
	u, err := s.user(ctx, id)
	if err != nil {
		return nil, "", err
	}
	generated := ""
	pw := NormalizePassword(password)
	if pw == "" {
		pw = GeneratePassword()
		generated = pw
	}
	if err := CheckPassword("password", pw, u.Email, u.Name); err != nil {
		return nil, "", err
	}
	hash, err := s.hasher.Hash(ctx, pw)
	if err != nil {
		return nil, "", err
	}
	err = s.db.WithTx(ctx, func(tx *gorm.DB) error {
		now := s.now()
		if err := tx.Model(&User{}).Where("id = ?", u.ID).Updates(map[string]any{
			"password_hash": hash, "must_change_password": true, "password_changed_at": now,
			"version": gorm.Expr("version + 1"), "updated_at": now,
		}).Error; err != nil {
			return err
		}
		n, err := s.revokeUserSessions(tx, u.ID, "password reset")
		if err != nil {
			return err
		}
		feeds, err := s.revokeFeeds(ctx, tx, u.ID, "password reset")
		if err != nil {
			return err
		}
		var passkeys int64
		if resetTOTP {
			// A lost device: its TOTP, recovery codes and passkeys all go.
			if err := s.removeTOTP(tx, u.ID); err != nil {
				return err
			}
			res := tx.Where("user_id = ?", u.ID).Delete(&Passkey{})
			if res.Error != nil {
				return res.Error
			}
			passkeys = res.RowsAffected
		}
		return s.record(ctx, tx, audit.Entry{Action: "user.password.reset", ObjectType: "user", ObjectID: u.ID, Outcome: audit.OK,
			Details: map[string]any{"sessions_revoked": n, "totp_reset": resetTOTP, "calendar_feeds_revoked": feeds, "passkeys_removed": passkeys}})
	})
	if err != nil {
		return nil, "", err
	}
	v, err := s.view(ctx, id)
	return v, generated, err
}

// RevokeSessions ends every session of a user (admin only), and their
// calendar feed.
func (s *Service) RevokeSessions(ctx context.Context, p *actor.Principal, id string) (int64, error) {
	if err := requireAdmin(p); err != nil {
		return 0, err
	}
	if _, err := s.user(ctx, id); err != nil {
		return 0, err
	}
	var n int64
	err := s.db.WithTx(ctx, func(tx *gorm.DB) error {
		var err error
		if n, err = s.revokeUserSessions(tx, id, "ended by admin"); err != nil {
			return err
		}
		feeds, err := s.revokeFeeds(ctx, tx, id, "sessions ended by admin")
		if err != nil {
			return err
		}
		return s.record(ctx, tx, audit.Entry{Action: "user.sessions.revoke", ObjectType: "user", ObjectID: id, Outcome: audit.OK,
			Details: map[string]any{"sessions_revoked": n, "calendar_feeds_revoked": feeds}})
	})
	return n, err
}

func validEmail(e string) string {
	if e == "" {
		return "is required"
	}
	if len(e) > 254 {
		return "is too long"
	}
	a, err := mail.ParseAddress(e)
	if err != nil || a.Address != e || strings.ContainsAny(e, " \t\r\n<>") {
		return "is not an email address"
	}
	return ""
}

// validName returns why n is not a user's name ("" when it is): at most
// 200 characters of short text (record.CheckText).
func validName(n string) string {
	if utf8.RuneCountInString(n) > 200 {
		return "must be at most 200 characters"
	}
	return record.CheckText(n, 200)
}

// passwordAlphabet has no look-alike characters (no 0/o, 1/l/i).
const passwordAlphabet = "abcdefghjkmnpqrstuvwxyz23456789"

// GeneratePassword returns a random password of about 98 bits, in five
// groups of four characters, easy to type from a printout.
func GeneratePassword() string {
	var b strings.Builder
	for i := 0; i < 20; i++ {
		if i > 0 && i%4 == 0 {
			b.WriteByte('-')
		}
		n, err := rand.Int(rand.Reader, big.NewInt(int64(len(passwordAlphabet))))
		if err != nil {
			panic(fmt.Sprintf("crypto/rand: %v", err))
		}
		b.WriteByte(passwordAlphabet[n.Int64()])
	}
	return b.String()
}
