package auth

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/audit"
)

// Login states.
const (
	// StateOK: a full session; the access and refresh tokens are set.
	StateOK = "ok"
	// StateMFARequired: the password was right; a TOTP or recovery code is
	// owed (POST /auth/totp/verify with the MFA token).
	StateMFARequired = "mfa_required"
	// StateMFAEnrollmentRequired: the role (or the account) requires TOTP and
	// the user has none yet: enrol and confirm it (or register a passkey)
	// with the MFA token.
	StateMFAEnrollmentRequired = "mfa_enrollment_required"
	// StatePasskeyEnrollmentRequired: the role requires passkeys and the user
	// has none yet: register one with the MFA token (giving a TOTP or
	// recovery code too when the account has TOTP).
	StatePasskeyEnrollmentRequired = "passkey_enrollment_required"
)

// Second-factor methods: what proved a session's second factor (sessions.mfa_method).
const (
	// MethodTOTP is a TOTP code.
	MethodTOTP = "totp"
	// MethodRecoveryCode is a single-use recovery code.
	MethodRecoveryCode = "recovery_code"
	// MethodPasskey is a WebAuthn assertion (a passkey).
	MethodPasskey = "passkey"
)

// LoginInput is a sign-in attempt. The client address is read from the
// context (actor.RequestFrom), as resolved by the trusted-proxy rule.
type LoginInput struct {
	Email     string
	Password  string
	TOTPCode  string
	UserAgent string
}

// LoginResult is a successful password check: a full session (State ok,
// Tokens set) or a pending one (MFAToken set).
type LoginResult struct {
	State string
	// MFAMethods, with StateMFARequired, are the ways the pending sign-in
	// may be finished (MethodTOTP, MethodPasskey, MethodRecoveryCode).
	MFAMethods         []string
	Tokens             *TokenPair
	MFAToken           string
	MFATokenExpiresIn  int
	MustChangePassword bool
}

// NormalizeEmail is the stored form of an email address: NFC, trimmed, lower case.
func NormalizeEmail(e string) string { return strings.ToLower(strings.TrimSpace(norm.NFC.String(e))) }

// maxCredentialLen bounds what is hashed at sign-in.
const maxCredentialLen = 1024

// Login checks a password (and a TOTP code when one is owed and given).
// Unknown email, wrong password and disabled account give the same error
// after the same work (a dummy hash is verified for unknown emails).
// Failures count against the (account, address) pair, the address and the
// account (throttle.go); a locked pair or address answers 429 without
// checking the password.
func (s *Service) Login(ctx context.Context, in LoginInput) (*LoginResult, error) {
	email := NormalizeEmail(in.Email)
	fields := map[string]string{}
	if email == "" || len(email) > 254 {
		fields["email"] = "is required (at most 254 characters)"
	}
	if in.Password == "" || len(in.Password) > maxCredentialLen || !utf8.ValidString(in.Password) {
		fields["password"] = "is required"
	}
	if len(fields) > 0 {
		return nil, apperr.Invalid("validation_failed", "the request has invalid fields", fields)
	}
	meta := metaFrom(ctx, in.UserAgent)
	g := passwordGate(email, meta.ip, true)

	var u User
	err := s.db.WithContext(ctx).Take(&u, "email = ?", email).Error
	known := err == nil
	if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("read user: %w", err)
	}
	var owner *User
	if known {
		owner = &u
	}
	if err := s.checkGate(ctx, g, "auth.login", owner); err != nil {
		return nil, err
	}
	hash := s.dummyHash
	if known {
		hash = u.PasswordHash
	}
	ok, rehash, err := s.hasher.Verify(ctx, hash, NormalizePassword(in.Password))
	if err != nil {
		if errors.Is(err, errBadHash) {
			logger(ctx).Error("stored password hash is malformed", "user_id", u.ID)
			ok = false
		} else {
			return nil, err
		}
	}
	if !known || !ok || u.Disabled {
		reason := "wrong password"
		switch {
		case !known:
			reason = "unknown account"
		case u.Disabled && ok:
			reason = "account disabled"
		}
		_ = s.record(ctx, nil, audit.Entry{Action: "auth.login", ObjectType: "user", ObjectID: u.ID, Outcome: audit.Denied,
			ActorID: u.ID, ActorRole: string(u.Role), Details: map[string]any{"reason": reason}})
		if err := s.failGate(ctx, g, owner); err != nil {
			return nil, err
		}
		return nil, errInvalidCredentials
	}

	// The password is right.
	if err := s.passGate(ctx, g); err != nil {
		return nil, err
	}
	totp, err := s.loadTOTP(ctx, s.db.DB, u.ID)
	if err != nil {
		return nil, err
	}
	enrolled := totp != nil && totp.ConfirmedAt != nil
	passkeys, err := s.countPasskeys(ctx, s.db.DB, u.ID)
	if err != nil {
		return nil, err
	}
	// A role that requires passkeys takes no TOTP code here: the sign-in
	// goes on with a passkey (or a recovery code).
	passkeyRule := s.passkeyRequired(&u)
	method := ""
	if enrolled && in.TOTPCode != "" && !passkeyRule {
		if method, err = s.checkSecondFactor(ctx, &u, in.TOTPCode); err != nil {
			return nil, err
		}
	}
	res := &LoginResult{MustChangePassword: u.MustChangePassword}
	err = s.db.WithTx(ctx, func(tx *gorm.DB) error {
		res.MFAMethods = nil // a second run (db.WithTx after a broken connection) starts over
		if rehash {
			if h, err := s.hasher.Hash(ctx, NormalizePassword(in.Password)); err == nil {
				if err := tx.Model(&User{}).Where("id = ?", u.ID).Update("password_hash", h).Error; err != nil {
					return err
				}
			}
		}
		switch {
		case passkeyRule && passkeys == 0:
			res.State = StatePasskeyEnrollmentRequired
		case (enrolled || passkeys > 0) && method == "":
			res.State = StateMFARequired
			if enrolled && !passkeyRule {
				res.MFAMethods = append(res.MFAMethods, MethodTOTP)
			}
			if passkeys > 0 {
				res.MFAMethods = append(res.MFAMethods, MethodPasskey)
			}
			res.MFAMethods = append(res.MFAMethods, MethodRecoveryCode)
		case !enrolled && s.mfaRequired(&u):
			res.State = StateMFAEnrollmentRequired
		default:
			res.State = StateOK
		}
		if res.State == StateOK {
			pair, err := s.startSession(tx, &u, method, meta)
			if err != nil {
				return err
			}
			res.Tokens = pair
		} else {
			tok, err := s.startPending(tx, &u, meta)
			if err != nil {
				return err
			}
			res.MFAToken, res.MFATokenExpiresIn = tok, int(mfaPendingTTL.Seconds())
		}
		return s.record(ctx, tx, audit.Entry{Action: "auth.login", ObjectType: "user", ObjectID: u.ID, Outcome: audit.OK,
			ActorID: u.ID, ActorRole: string(u.Role), Details: map[string]any{"state": res.State, "mfa": method != ""}})
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}
