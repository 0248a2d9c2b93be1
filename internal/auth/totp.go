package auth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base32"
	"errors"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/audit"
)

// TOTP parameters: RFC 6238 defaults, which every authenticator app reads.
const (
	totpPeriod = 30
	totpDigits = otp.DigitsSix
	// totpSkew accepts the code of the previous and the next time step.
	totpSkew = 1
	// RecoveryCodeCount codes are issued when TOTP is confirmed.
	RecoveryCodeCount = 10
)

var totpOpts = totp.ValidateOpts{Period: totpPeriod, Digits: totpDigits, Algorithm: otp.AlgorithmSHA1}

var (
	errTOTPAlreadyEnabled = apperr.New(apperr.ErrConflict, "totp_already_enabled", "TOTP is already enabled; disable it first")
	errTOTPNotEnrolled    = apperr.New(apperr.ErrConflict, "totp_not_enrolled", "start enrolment first (POST /api/v1/auth/totp/enroll)")
	errTOTPNotEnabled     = apperr.New(apperr.ErrConflict, "totp_not_enabled", "TOTP is not enabled for this account")
	errMFATokenNeeded     = apperr.New(apperr.ErrForbidden, "mfa_token_required", "this step takes the MFA token returned by sign-in")
)

// Enrollment is a new TOTP secret, to be shown once (as a QR code of URI).
type Enrollment struct {
	Secret string
	URI    string
}

// ConfirmResult is what confirming TOTP hands out: the recovery codes
// (shown once) and, when the caller was a pending sign-in, its full tokens.
type ConfirmResult struct {
	RecoveryCodes []string
	Tokens        *TokenPair
}

func (s *Service) loadTOTP(ctx context.Context, db *gorm.DB, userID string) (*UserTOTP, error) {
	var t UserTOTP
	err := db.WithContext(ctx).Take(&t, "user_id = ?", userID).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// EnrollTOTP starts (or restarts) TOTP enrolment for the caller: a new secret,
// pending until confirmed with a code.
func (s *Service) EnrollTOTP(ctx context.Context, id *Identity) (*Enrollment, error) {
	u, err := s.user(ctx, id.Principal.UserID)
	if err != nil {
		return nil, err
	}
	if err := s.pendingMayEnrol(ctx, id, u, MethodTOTP); err != nil {
		return nil, err
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: s.opts.TOTPIssuer, AccountName: u.Email, Period: totpPeriod,
		SecretSize: 20, Digits: totpDigits, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		return nil, err
	}
	err = s.db.WithTx(ctx, func(tx *gorm.DB) error {
		cur, err := s.loadTOTP(ctx, tx, u.ID)
		if err != nil {
			return err
		}
		if cur != nil && cur.ConfirmedAt != nil {
			return errTOTPAlreadyEnabled
		}
		if cur != nil {
			if err := tx.Delete(&UserTOTP{}, "user_id = ?", u.ID).Error; err != nil {
				return err
			}
		}
		if err := tx.Create(&UserTOTP{UserID: u.ID, Secret: key.Secret(), CreatedAt: s.now()}).Error; err != nil {
			return err
		}
		return s.record(ctx, tx, audit.Entry{Action: "auth.totp.enroll", ObjectType: "user", ObjectID: u.ID, Outcome: audit.OK,
			ActorID: u.ID, ActorRole: string(u.Role)})
	})
	if err != nil {
		return nil, err
	}
	return &Enrollment{Secret: key.Secret(), URI: key.URL()}, nil
}

// ConfirmTOTP enables the pending TOTP secret once code proves the app has
// it, issues fresh recovery codes and, for a pending sign-in, its tokens.
func (s *Service) ConfirmTOTP(ctx context.Context, id *Identity, code string) (*ConfirmResult, error) {
	u, err := s.user(ctx, id.Principal.UserID)
	if err != nil {
		return nil, err
	}
	cur, err := s.loadTOTP(ctx, s.db.DB, u.ID)
	if err != nil {
		return nil, err
	}
	if cur != nil && cur.ConfirmedAt != nil {
		return nil, errTOTPAlreadyEnabled
	}
	if cur == nil {
		return nil, errTOTPNotEnrolled
	}
	if err := s.pendingMayEnrol(ctx, id, u, MethodTOTP); err != nil {
		return nil, err
	}
	if err := s.throttled(ctx, u); err != nil {
		return nil, err
	}
	out := &ConfirmResult{}
	var bad bool
	err = s.db.WithTx(ctx, func(tx *gorm.DB) error {
		ok, err := s.acceptTOTP(tx, cur, code)
		if err != nil {
			return err
		}
		if !ok {
			bad = true
			return nil
		}
		if err := tx.Model(&UserTOTP{}).Where("user_id = ?", u.ID).Update("confirmed_at", s.now()).Error; err != nil {
			return err
		}
		if out.RecoveryCodes, err = s.newRecoveryCodes(tx, u.ID); err != nil {
			return err
		}
		if id.Type == TypeMFA {
			if out.Tokens, err = s.completeMFA(tx, id.Principal.SessionID, MethodTOTP); err != nil {
				return err
			}
		} else if err := tx.Model(&Session{}).Where("id = ?", id.Principal.SessionID).Updates(map[string]any{"mfa_verified": true,
			"mfa_method": gorm.Expr("CASE WHEN mfa_method = '' THEN ? ELSE mfa_method END", MethodTOTP)}).Error; err != nil {
			return err
		}
		return s.record(ctx, tx, audit.Entry{Action: "auth.totp.confirm", ObjectType: "user", ObjectID: u.ID, Outcome: audit.OK,
			ActorID: u.ID, ActorRole: string(u.Role)})
	})
	if err != nil {
		return nil, err
	}
	if bad {
		return nil, s.secondFactorFailed(ctx, u, "auth.totp.confirm")
	}
	_ = s.passGate(ctx, s.mfaGate(ctx, u))
	return out, nil
}

// VerifyMFA finishes a pending sign-in with a TOTP or recovery code. A user
// whose role requires passkeys may use a recovery code, not TOTP.
func (s *Service) VerifyMFA(ctx context.Context, id *Identity, code string) (*TokenPair, error) {
	if id.Type != TypeMFA {
		return nil, errMFATokenNeeded
	}
	u, err := s.user(ctx, id.Principal.UserID)
	if err != nil {
		return nil, err
	}
	if s.passkeyRequired(u) && normalizeRecoveryCode(code) == "" {
		_ = s.record(ctx, nil, audit.Entry{Action: "auth.mfa.verify", ObjectType: "user", ObjectID: u.ID, Outcome: audit.Denied,
			ActorID: u.ID, ActorRole: string(u.Role), Details: map[string]any{"reason": "role requires a passkey", "method": MethodTOTP}})
		return nil, errPasskeyRequired
	}
	method, err := s.checkSecondFactor(ctx, u, code)
	if err != nil {
		return nil, err
	}
	var out *TokenPair
	err = s.db.WithTx(ctx, func(tx *gorm.DB) error {
		var err error
		if out, err = s.completeMFA(tx, id.Principal.SessionID, method); err != nil {
			return err
		}
		return s.record(ctx, tx, audit.Entry{Action: "auth.mfa.verify", ObjectType: "session", ObjectID: id.Principal.SessionID,
			Outcome: audit.OK, ActorID: u.ID, ActorRole: string(u.Role), Details: map[string]any{"method": method}})
	})
	return out, err
}

// DisableTOTP removes the caller's TOTP and recovery codes; it takes the
// password and a current code. Users whose role requires MFA cannot.
func (s *Service) DisableTOTP(ctx context.Context, id *Identity, password, code string) error {
	u, err := s.user(ctx, id.Principal.UserID)
	if err != nil {
		return err
	}
	if s.mfaRequired(u) {
		return apperr.New(apperr.ErrConflict, "mfa_required_for_role", "TOTP is required for this account and cannot be disabled")
	}
	if err := s.checkPassword(ctx, u, password, "password"); err != nil {
		return err
	}
	cur, err := s.loadTOTP(ctx, s.db.DB, u.ID)
	if err != nil {
		return err
	}
	if cur == nil || cur.ConfirmedAt == nil {
		return errTOTPNotEnabled
	}
	if _, err := s.checkSecondFactor(ctx, u, code); err != nil {
		return err
	}
	return s.db.WithTx(ctx, func(tx *gorm.DB) error {
		if err := s.removeTOTP(tx, u.ID); err != nil {
			return err
		}
		return s.record(ctx, tx, audit.Entry{Action: "auth.totp.disable", ObjectType: "user", ObjectID: u.ID, Outcome: audit.OK,
			ActorID: u.ID, ActorRole: string(u.Role)})
	})
}

func (s *Service) removeTOTP(tx *gorm.DB, userID string) error {
	if err := tx.Delete(&RecoveryCode{}, "user_id = ?", userID).Error; err != nil {
		return err
	}
	return tx.Delete(&UserTOTP{}, "user_id = ?", userID).Error
}

// mfaGate is the throttle gate of u's second factor from the caller's address.
func (s *Service) mfaGate(ctx context.Context, u *User) gate {
	return secondFactorGate(u.ID, actor.RequestFrom(ctx).ClientIP)
}

// throttled refuses a second factor from an address whose wrong codes have
// locked it for u.
func (s *Service) throttled(ctx context.Context, u *User) error {
	return s.checkGate(ctx, s.mfaGate(ctx, u), "auth.mfa.verify", u)
}

// checkSecondFactor accepts a TOTP code (once) or an unused recovery code,
// and returns which it was (MethodTOTP or MethodRecoveryCode). Recovery
// codes work for a user with passkeys but no TOTP as well.
func (s *Service) checkSecondFactor(ctx context.Context, u *User, code string) (string, error) {
	if err := s.throttled(ctx, u); err != nil {
		return "", err
	}
	t, err := s.loadTOTP(ctx, s.db.DB, u.ID)
	if err != nil {
		return "", err
	}
	rc := normalizeRecoveryCode(code)
	if t == nil || t.ConfirmedAt == nil {
		n, err := s.countPasskeys(ctx, s.db.DB, u.ID)
		if err != nil {
			return "", err
		}
		if rc == "" || n == 0 {
			return "", errTOTPNotEnabled
		}
	}
	var ok bool
	method := MethodTOTP
	err = s.db.WithTx(ctx, func(tx *gorm.DB) error {
		var err error
		if rc != "" {
			method = MethodRecoveryCode
			res := tx.Model(&RecoveryCode{}).Where("user_id = ? AND code_hash = ? AND used_at IS NULL", u.ID, hashToken(rc)).
				Update("used_at", s.now())
			ok, err = res.RowsAffected == 1, res.Error
		} else {
			ok, err = s.acceptTOTP(tx, t, code)
		}
		if err != nil || !ok {
			return err
		}
		return s.record(ctx, tx, audit.Entry{Action: "auth.mfa.verify", ObjectType: "user", ObjectID: u.ID, Outcome: audit.OK,
			ActorID: u.ID, ActorRole: string(u.Role), Details: map[string]any{"method": method}})
	})
	if err != nil {
		return "", err
	}
	if !ok {
		return "", s.secondFactorFailed(ctx, u, "auth.mfa.verify")
	}
	return method, s.passGate(ctx, s.mfaGate(ctx, u))
}

func (s *Service) secondFactorFailed(ctx context.Context, u *User, action string) error {
	_ = s.record(ctx, nil, audit.Entry{Action: action, ObjectType: "user", ObjectID: u.ID, Outcome: audit.Denied,
		ActorID: u.ID, ActorRole: string(u.Role), Details: map[string]any{"reason": "wrong code"}})
	if err := s.failGate(ctx, s.mfaGate(ctx, u), u); err != nil {
		return err
	}
	return errInvalidTOTP
}

// acceptTOTP checks code against t's secret for the current time step and
// its neighbours, and records the step used: a step at or before the last
// one accepted is refused, so each code works once.
func (s *Service) acceptTOTP(tx *gorm.DB, t *UserTOTP, code string) (bool, error) {
	if len(code) != totpDigits.Length() || strings.Trim(code, "0123456789") != "" {
		return false, nil
	}
	step := s.now().Unix() / totpPeriod
	for st := step - totpSkew; st <= step+totpSkew; st++ {
		if st <= t.LastStep {
			continue
		}
		want, err := totp.GenerateCodeCustom(t.Secret, time.Unix(st*totpPeriod, 0).UTC(), totpOpts)
		if err != nil {
			return false, err
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			res := tx.Model(&UserTOTP{}).Where("user_id = ? AND last_step < ?", t.UserID, st).Update("last_step", st)
			return res.RowsAffected == 1, res.Error
		}
	}
	return false, nil
}

// Recovery codes: 80 random bits as 16 base32 characters, shown as
// XXXX-XXXX-XXXX-XXXX; stored as SHA-256 (80 bits defeat brute force of the hash).
var recoveryEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

func (s *Service) newRecoveryCodes(tx *gorm.DB, userID string) ([]string, error) {
	if err := tx.Delete(&RecoveryCode{}, "user_id = ?", userID).Error; err != nil {
		return nil, err
	}
	codes := make([]string, RecoveryCodeCount)
	for i := range codes {
		b := make([]byte, 10)
		if _, err := rand.Read(b); err != nil {
			return nil, err
		}
		c := recoveryEncoding.EncodeToString(b)
		codes[i] = c[0:4] + "-" + c[4:8] + "-" + c[8:12] + "-" + c[12:16]
		if err := tx.Create(&RecoveryCode{ID: newID(), UserID: userID, CodeHash: hashToken(c), CreatedAt: s.now()}).Error; err != nil {
			return nil, err
		}
	}
	return codes, nil
}

// normalizeRecoveryCode returns the canonical form of a recovery code, or ""
// when s does not look like one.
func normalizeRecoveryCode(s string) string {
	c := strings.ToUpper(strings.NewReplacer("-", "", " ", "").Replace(s))
	if len(c) != 16 {
		return ""
	}
	if _, err := recoveryEncoding.DecodeString(c); err != nil {
		return ""
	}
	return c
}
