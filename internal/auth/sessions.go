package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/audit"
)

// TokenPair is what a full sign-in (or a refresh) hands out.
type TokenPair struct {
	AccessToken  string
	ExpiresIn    int // seconds
	RefreshToken string
	SessionID    string
}

// Identity is who a verified token speaks for.
type Identity struct {
	Principal actor.Principal
	// Type is TypeAccess or TypeMFA.
	Type string
	// MustChangePassword: the user may only change their password (and read /me, sign out).
	MustChangePassword bool
}

// refreshPrefix marks Habeas refresh tokens (secret scanners can find them).
const refreshPrefix = "hbr_"

func newID() string { return uuid.Must(uuid.NewV7()).String() }

func hashToken(raw string) string {
	sum := sha256.Sum256([]byte(raw))
	return hex.EncodeToString(sum[:])
}

func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return refreshPrefix + base64.RawURLEncoding.EncodeToString(b)
}

func validRefreshFormat(raw string) bool {
	if !strings.HasPrefix(raw, refreshPrefix) || len(raw) != len(refreshPrefix)+43 {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(raw[len(refreshPrefix):])
	return err == nil
}

// clientMeta is recorded with a session.
type clientMeta struct{ ip, userAgent string }

func metaFrom(ctx context.Context, userAgent string) clientMeta {
	ua := strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, userAgent)
	if len(ua) > 256 {
		ua = ua[:256]
	}
	return clientMeta{ip: actor.RequestFrom(ctx).ClientIP, userAgent: strings.ToValidUTF8(ua, "")}
}

// startSession opens a full session for u and returns its tokens; method is
// how its second factor was proven (empty: none).
func (s *Service) startSession(tx *gorm.DB, u *User, method string, m clientMeta) (*TokenPair, error) {
	now := s.now()
	sess := Session{ID: newID(), UserID: u.ID, MFAVerified: method != "", MFAMethod: method, ClientIP: m.ip, UserAgent: m.userAgent,
		CreatedAt: now, ExpiresAt: now.Add(s.opts.SessionMaxAge)}
	if err := tx.Create(&sess).Error; err != nil {
		return nil, err
	}
	return s.issue(tx, &sess)
}

// issue returns a new access token and a new refresh token for sess.
func (s *Service) issue(tx *gorm.DB, sess *Session) (*TokenPair, error) {
	now := s.now()
	raw := randomToken()
	rt := RefreshToken{ID: newID(), SessionID: sess.ID, TokenHash: hashToken(raw), CreatedAt: now,
		ExpiresAt: minTime(now.Add(s.opts.SessionIdle), sess.ExpiresAt)}
	if err := tx.Create(&rt).Error; err != nil {
		return nil, err
	}
	access, err := s.tokens.sign(TypeAccess, sess.UserID, sess.ID, s.opts.AccessTTL)
	if err != nil {
		return nil, err
	}
	return &TokenPair{AccessToken: access, ExpiresIn: int(s.opts.AccessTTL / time.Second), RefreshToken: raw, SessionID: sess.ID}, nil
}

// startPending opens a session that can only finish MFA and returns its token.
func (s *Service) startPending(tx *gorm.DB, u *User, m clientMeta) (string, error) {
	now := s.now()
	sess := Session{ID: newID(), UserID: u.ID, MFAPending: true, ClientIP: m.ip, UserAgent: m.userAgent,
		CreatedAt: now, ExpiresAt: now.Add(mfaPendingTTL)}
	if err := tx.Create(&sess).Error; err != nil {
		return "", err
	}
	return s.tokens.sign(TypeMFA, u.ID, sess.ID, mfaPendingTTL)
}

// completeMFA turns the pending session sid into a full one, its second
// factor proven by method, and issues its tokens.
func (s *Service) completeMFA(tx *gorm.DB, sid, method string) (*TokenPair, error) {
	var sess Session
	if err := tx.Take(&sess, "id = ?", sid).Error; err != nil {
		return nil, err
	}
	now := s.now()
	res := tx.Model(&Session{}).Where("id = ? AND mfa_pending AND revoked_at IS NULL", sid).
		Updates(map[string]any{"mfa_pending": false, "mfa_verified": true, "mfa_method": method, "expires_at": now.Add(s.opts.SessionMaxAge)})
	if res.Error != nil {
		return nil, res.Error
	}
	if res.RowsAffected != 1 {
		return nil, errSessionEnded
	}
	sess.MFAPending, sess.MFAVerified, sess.MFAMethod, sess.ExpiresAt = false, true, method, now.Add(s.opts.SessionMaxAge)
	return s.issue(tx, &sess)
}

// revokeUserSessions ends every live session of userID.
func (s *Service) revokeUserSessions(tx *gorm.DB, userID, reason string) (int64, error) {
	res := tx.Model(&Session{}).Where("user_id = ? AND revoked_at IS NULL", userID).
		Updates(map[string]any{"revoked_at": s.now(), "revoke_reason": reason})
	return res.RowsAffected, res.Error
}

func (s *Service) revokeSession(tx *gorm.DB, sid, reason string) error {
	return tx.Model(&Session{}).Where("id = ? AND revoked_at IS NULL", sid).
		Updates(map[string]any{"revoked_at": s.now(), "revoke_reason": reason}).Error
}

// sessionRow is a session joined with its user: what the session check of
// every authenticated request reads (through sessionCache).
type sessionRow struct {
	SessionID          string
	UserID             string
	MFAPending         bool
	MFAVerified        bool
	MFAMethod          string
	ExpiresAt          time.Time
	RevokedAt          *time.Time
	Email              string
	Role               actor.Role
	Disabled           bool
	MustChangePassword bool
	RequireMFA         bool
	// Epoch is the auth epoch the row was read at (sessionCache).
	Epoch int64
}

// loadSession reads session sid with its user, and the auth epoch in the
// same statement (one snapshot): the row is current as of that epoch.
func (s *Service) loadSession(ctx context.Context, sid string) (*sessionRow, int64, error) {
	var rows []sessionRow
	err := s.db.WithContext(ctx).Raw(`
SELECT s.id AS session_id, s.user_id, s.mfa_pending, s.mfa_verified, s.mfa_method, s.expires_at, s.revoked_at,
       u.email, u.role, u.disabled, u.must_change_password, u.require_mfa,
       (SELECT value FROM auth_epoch WHERE id = 1) AS epoch
FROM sessions s JOIN users u ON u.id = s.user_id
WHERE s.id = ?`, sid).Scan(&rows).Error
	if err != nil {
		return nil, 0, fmt.Errorf("load session: %w", err)
	}
	if len(rows) == 0 {
		return nil, 0, nil
	}
	return &rows[0], rows[0].Epoch, nil
}

// readEpoch reads the auth epoch (see sessionCache).
func (s *Service) readEpoch(ctx context.Context) (int64, error) {
	var v int64
	if err := s.db.WithContext(ctx).Raw("SELECT value FROM auth_epoch WHERE id = 1").Row().Scan(&v); err != nil {
		return 0, fmt.Errorf("read auth epoch: %w", err)
	}
	return v, nil
}

// session returns session sid with its user: from the cache when the auth
// epoch, read after this call began, is the one the cached row was read at;
// from the database otherwise (and then cached). Any error reading the
// epoch falls back to the database.
func (s *Service) session(ctx context.Context, sid string) (*sessionRow, error) {
	if epoch, err := s.epochs.get(ctx); err == nil {
		if row, ok := s.sessions.get(sid, epoch); ok {
			return row, nil
		}
	}
	row, epoch, err := s.loadSession(ctx, sid)
	if err != nil || row == nil {
		return row, err
	}
	s.sessions.put(row, epoch)
	return row, nil
}

// Authenticate verifies a bearer token of one of the wanted types and that
// its session is alive, and returns who it speaks for. Every refusal is
// audited and answers 401. The role comes from the database, not from the
// token, so a role change takes effect at the next request.
func (s *Service) Authenticate(ctx context.Context, raw string, types ...string) (*Identity, error) {
	typ := TypeAccess
	if len(types) > 1 {
		// Several types are welcome: the unverified header picks whose rules
		// apply; verification is then exactly as strict.
		if t := typeOf(raw); t != "" {
			typ = t
		}
	} else if len(types) == 1 {
		typ = types[0]
	}
	if !containsString(types, typ) && len(types) > 0 {
		s.refuseToken(ctx, "", "", "token type not accepted here")
		return nil, errInvalidToken
	}
	claims, err := s.tokens.parse(raw, typ, s.maxTTL(typ))
	if err != nil {
		s.refuseToken(ctx, "", "", err.Error())
		if errors.Is(err, errTokenExpired) {
			return nil, errExpiredToken
		}
		return nil, errInvalidToken
	}
	row, err := s.session(ctx, claims.SessionID)
	if err != nil {
		return nil, err
	}
	reason := ""
	switch {
	case row == nil:
		reason = "unknown session"
	case row.UserID != claims.Subject:
		reason = "session of another user"
	case row.RevokedAt != nil:
		reason = "session revoked"
	case !s.now().Before(row.ExpiresAt):
		reason = "session expired"
	case row.Disabled:
		reason = "user disabled"
	case typ == TypeAccess && row.MFAPending:
		reason = "MFA not completed"
	case typ == TypeMFA && !row.MFAPending:
		reason = "MFA already completed"
	case typ == TypeAccess && !row.MFAVerified && (row.RequireMFA || containsRole(s.opts.MFARequiredRoles, row.Role)):
		reason = "role requires MFA"
	case typ == TypeAccess && containsRole(s.opts.PasskeyRequiredRoles, row.Role) && !satisfiesPasskeyRule(row.MFAMethod):
		reason = "role requires a passkey"
	}
	if reason != "" {
		s.refuseToken(ctx, claims.Subject, claims.SessionID, reason)
		return nil, errSessionEnded
	}
	return &Identity{
		Principal:          actor.Principal{UserID: row.UserID, Email: row.Email, Role: row.Role, SessionID: row.SessionID},
		Type:               typ,
		MustChangePassword: row.MustChangePassword,
	}, nil
}

func (s *Service) maxTTL(typ string) time.Duration {
	if typ == TypeMFA {
		return mfaPendingTTL
	}
	return MaxAccessTTL
}

// RecordDenied audits a refused authorisation (e.g. a role gate).
func (s *Service) RecordDenied(ctx context.Context, action, reason string) {
	_ = s.record(ctx, nil, audit.Entry{Action: action, Outcome: audit.Denied, Details: map[string]any{"reason": reason}})
}

// RefuseToken audits a refusal decided before parsing (e.g. an oversized header).
func (s *Service) RefuseToken(ctx context.Context, reason string) { s.refuseToken(ctx, "", "", reason) }

func (s *Service) refuseToken(ctx context.Context, userID, sid, reason string) {
	if len(reason) > 200 {
		reason = reason[:200]
	}
	_ = s.record(ctx, nil, audit.Entry{Action: "auth.token_refused", ObjectType: "session", ObjectID: sid,
		Outcome: audit.Denied, Details: map[string]any{"reason": reason, "user_id": userID}})
}

func containsString(xs []string, x string) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}

func containsRole(roles []actor.Role, r actor.Role) bool {
	for _, x := range roles {
		if x == r {
			return true
		}
	}
	return false
}

// Refresh exchanges a refresh token for a new access token and a new
// refresh token. A token is good once: presenting a rotated token again
// (stolen, or replayed) revokes its whole session, successor included.
func (s *Service) Refresh(ctx context.Context, raw string) (*TokenPair, error) {
	if !validRefreshFormat(raw) {
		_ = s.record(ctx, nil, audit.Entry{Action: "auth.refresh", ObjectType: "session", Outcome: audit.Denied,
			Details: map[string]any{"reason": "malformed refresh token"}})
		return nil, errInvalidRefresh
	}
	var (
		out    *TokenPair
		denied audit.Entry
	)
	err := s.db.WithTx(ctx, func(tx *gorm.DB) error {
		var rt RefreshToken
		if err := tx.Take(&rt, "token_hash = ?", hashToken(raw)).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				denied = audit.Entry{Details: map[string]any{"reason": "unknown refresh token"}}
				return nil
			}
			return err
		}
		var sess Session
		if err := tx.Take(&sess, "id = ?", rt.SessionID).Error; err != nil {
			return err
		}
		var u User
		if err := tx.Take(&u, "id = ?", sess.UserID).Error; err != nil {
			return err
		}
		deny := func(reason string) error {
			denied = audit.Entry{ObjectID: sess.ID, ActorID: u.ID, ActorRole: string(u.Role), Details: map[string]any{"reason": reason}}
			return nil
		}
		now := s.now()
		rotated := rt.UsedAt == nil
		if rotated {
			res := tx.Model(&RefreshToken{}).Where("id = ? AND used_at IS NULL", rt.ID).Update("used_at", now)
			if res.Error != nil {
				return res.Error
			}
			rotated = res.RowsAffected == 1
		}
		if !rotated {
			// Reuse: whoever holds the chain now (thief or owner) loses it.
			if err := s.revokeSession(tx, sess.ID, "refresh token reuse"); err != nil {
				return err
			}
			if err := s.record(ctx, tx, audit.Entry{Action: "auth.session.revoke", ObjectType: "session", ObjectID: sess.ID,
				Outcome: audit.OK, ActorID: u.ID, ActorRole: string(u.Role), Details: map[string]any{"reason": "refresh token reuse"}}); err != nil {
				return err
			}
			return deny("refresh token reuse")
		}
		switch {
		case sess.RevokedAt != nil:
			return deny("session revoked")
		case sess.MFAPending:
			return deny("MFA not completed")
		case !now.Before(sess.ExpiresAt), !now.Before(rt.ExpiresAt):
			return deny("session expired")
		case u.Disabled:
			return deny("user disabled")
		case s.mfaRequired(&u) && !sess.MFAVerified:
			return deny("role requires MFA")
		case s.passkeyRequired(&u) && !satisfiesPasskeyRule(sess.MFAMethod):
			return deny("role requires a passkey")
		}
		pair, err := s.issue(tx, &sess)
		if err != nil {
			return err
		}
		if err := s.record(ctx, tx, audit.Entry{Action: "auth.refresh", ObjectType: "session", ObjectID: sess.ID,
			Outcome: audit.OK, ActorID: u.ID, ActorRole: string(u.Role)}); err != nil {
			return err
		}
		out = pair
		return nil
	})
	if err != nil {
		return nil, err
	}
	if out == nil {
		denied.Action, denied.ObjectType, denied.Outcome = "auth.refresh", "session", audit.Denied
		_ = s.record(ctx, nil, denied)
		return nil, errInvalidRefresh
	}
	return out, nil
}

// Logout ends the caller's session.
func (s *Service) Logout(ctx context.Context, id *Identity) error {
	return s.db.WithTx(ctx, func(tx *gorm.DB) error {
		if err := s.revokeSession(tx, id.Principal.SessionID, "logout"); err != nil {
			return err
		}
		return s.record(ctx, tx, audit.Entry{Action: "auth.logout", ObjectType: "session", ObjectID: id.Principal.SessionID,
			Outcome: audit.OK, ActorID: id.Principal.UserID, ActorRole: string(id.Principal.Role)})
	})
}

// LogoutRefresh ends the session a refresh token belongs to (a client whose
// access token has expired can still sign out). Unknown tokens are ignored.
func (s *Service) LogoutRefresh(ctx context.Context, raw string) error {
	if !validRefreshFormat(raw) {
		return errInvalidRefresh
	}
	return s.db.WithTx(ctx, func(tx *gorm.DB) error {
		var rt RefreshToken
		if err := tx.Take(&rt, "token_hash = ?", hashToken(raw)).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return nil
			}
			return err
		}
		var sess Session
		if err := tx.Take(&sess, "id = ?", rt.SessionID).Error; err != nil {
			return err
		}
		if err := s.revokeSession(tx, sess.ID, "logout"); err != nil {
			return err
		}
		return s.record(ctx, tx, audit.Entry{Action: "auth.logout", ObjectType: "session", ObjectID: sess.ID,
			Outcome: audit.OK, ActorID: sess.UserID})
	})
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
