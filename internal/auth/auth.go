// Package auth is who is who in Habeas: users and roles, passwords
// (argon2id), sessions, access tokens (EdDSA JWT), rotating refresh tokens,
// TOTP with recovery codes, and the throttle on failed sign-ins. Every
// security decision about identity is made here; the HTTP layer only moves
// credentials in and tokens out.
package auth

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/go-webauthn/webauthn/webauthn"
	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/logging"
)

// Options configure the service (app.New fills them from config.Config).
type Options struct {
	// Issuer is the iss claim; audiences derive from it.
	Issuer string
	// SigningKey signs access and MFA tokens.
	SigningKey ed25519.PrivateKey
	// AccessTTL is the access-token lifetime (at most 15 minutes).
	AccessTTL time.Duration
	// SessionIdle and SessionMaxAge bound a session's life.
	SessionIdle   time.Duration
	SessionMaxAge time.Duration
	// MFARequiredRoles get no full session without TOTP.
	MFARequiredRoles []actor.Role
	// PasskeyRequiredRoles get no full session without a passkey (or a
	// recovery code, the way back from a lost passkey).
	PasskeyRequiredRoles []actor.Role
	// WebAuthnRPID is the WebAuthn relying-party id (a domain); empty
	// disables passkeys. WebAuthnOrigins are the origins accepted in
	// WebAuthn client data (config.Config.WebAuthnOrigins).
	WebAuthnRPID    string
	WebAuthnOrigins []string
	// PairMaxFailures, AddressMaxFailures, AccountMaxFailures and Lockout
	// are the throttle (throttle.go): failures of one account from one
	// address before that pair locks, of one address before it locks, and
	// consecutive failures of one account (the ceiling) past which every
	// further failure locks its pair; the first lockout doubles with each
	// further failure, up to 24h.
	PairMaxFailures    int
	AddressMaxFailures int
	AccountMaxFailures int
	Lockout            time.Duration
	// Password are the argon2id parameters of new hashes (DefaultParams when zero).
	Password Params
	// TOTPIssuer is the issuer shown by authenticator apps ("Habeas" when empty).
	TOTPIssuer string
	// InitialPasswordFile is the generated admin's password file, removed
	// when that admin changes the password.
	InitialPasswordFile string
	// Now is the clock (time.Now when nil).
	Now func() time.Time
}

// MaxAccessTTL is the longest access-token lifetime accepted.
const MaxAccessTTL = 15 * time.Minute

// mfaPendingTTL is how long a sign-in may take to finish MFA.
const mfaPendingTTL = 10 * time.Minute

// Service is the identity service.
type Service struct {
	db       *db.DB
	rec      audit.Recorder
	opts     Options
	tokens   *tokenIssuer
	hasher   *hasher
	throttle *throttle
	// dummyHash is verified when the email is unknown, so that unknown
	// accounts and wrong passwords take the same time.
	dummyHash string
	now       func() time.Time
	// sessions caches the session check; epochs reads the auth epoch that
	// keeps it honest (session_cache.go).
	sessions *sessionCache
	epochs   *epochReader
	// webauthn verifies passkey ceremonies; nil when passkeys are off.
	webauthn *webauthn.WebAuthn
}

// New builds the service.
func New(d *db.DB, rec audit.Recorder, o Options) (*Service, error) {
	if rec == nil {
		return nil, errors.New("auth: an audit recorder is required")
	}
	if len(o.SigningKey) != ed25519.PrivateKeySize {
		return nil, errors.New("auth: an Ed25519 signing key is required")
	}
	if o.AccessTTL <= 0 || o.AccessTTL > MaxAccessTTL {
		return nil, fmt.Errorf("auth: access-token lifetime %s not in (0, %s]", o.AccessTTL, MaxAccessTTL)
	}
	if o.Issuer == "" || o.SessionIdle <= 0 || o.SessionMaxAge <= 0 || o.AccountMaxFailures < 1 || o.PairMaxFailures < 1 || o.AddressMaxFailures < 1 || o.Lockout <= 0 {
		return nil, errors.New("auth: incomplete options")
	}
	if o.Password == (Params{}) {
		o.Password = DefaultParams
	}
	if o.TOTPIssuer == "" {
		o.TOTPIssuer = "Habeas"
	}
	now := o.Now
	if now == nil {
		now = time.Now
	}
	utcNow := func() time.Time { return now().UTC() }
	var err error
	s := &Service{
		db: d, rec: rec, opts: o, now: utcNow,
		tokens:   newTokenIssuer(o.Issuer, o.SigningKey, utcNow),
		hasher:   newHasher(o.Password),
		throttle: &throttle{now: utcNow},
		sessions: newSessionCache(utcNow),
	}
	s.epochs = &epochReader{read: s.readEpoch}
	if o.WebAuthnRPID != "" {
		if s.webauthn, err = newWebAuthn(o.WebAuthnRPID, o.WebAuthnOrigins); err != nil {
			return nil, err
		}
	}
	dummy := make([]byte, 32)
	_, _ = rand.Read(dummy)
	var h string
	h, err = s.hasher.Hash(context.Background(), string(dummy))
	if err != nil {
		return nil, err
	}
	s.dummyHash = h
	return s, nil
}

// KeyID is the kid of the current signing key.
func (s *Service) KeyID() string { return s.tokens.kid }

// SessionIdle is how long a refresh token lives unused.
func (s *Service) SessionIdle() time.Duration { return s.opts.SessionIdle }

// AccessTTL is the lifetime of the access tokens issued.
func (s *Service) AccessTTL() time.Duration { return s.opts.AccessTTL }

// mfaRequired reports whether u may not have a session without TOTP.
func (s *Service) mfaRequired(u *User) bool {
	return u.RequireMFA || slices.Contains(s.opts.MFARequiredRoles, u.Role)
}

// passkeyRequired reports whether u may not have a session without a passkey.
func (s *Service) passkeyRequired(u *User) bool {
	return slices.Contains(s.opts.PasskeyRequiredRoles, u.Role)
}

// satisfiesPasskeyRule reports whether a session whose second factor was
// proven by method meets a passkey requirement: a passkey, or a recovery
// code (single use, the way back from a lost passkey: the user then
// registers a new one).
func satisfiesPasskeyRule(method string) bool {
	return method == MethodPasskey || method == MethodRecoveryCode
}

// record writes an audit entry. With tx it is part of that transaction and
// its failure fails the change. Without tx (refusals, failed attempts:
// nothing changed) a failure to record is logged and the refusal stands.
func (s *Service) record(ctx context.Context, tx *gorm.DB, e audit.Entry) error {
	err := s.rec.Record(ctx, tx, e)
	if err != nil && tx == nil {
		logging.From(ctx).Error("audit entry not written", "action", e.Action, "error", err.Error())
		return nil
	}
	return err
}

// Common errors. Messages never say which of email and password was wrong.
var (
	errInvalidCredentials = apperr.New(apperr.ErrUnauthenticated, "invalid_credentials", "email or password is wrong")
	errInvalidToken       = apperr.New(apperr.ErrUnauthenticated, "invalid_token", "the access token is invalid")
	errExpiredToken       = apperr.New(apperr.ErrUnauthenticated, "token_expired", "the access token has expired; refresh it")
	errSessionEnded       = apperr.New(apperr.ErrUnauthenticated, "session_ended", "the session has ended; sign in again")
	errInvalidRefresh     = apperr.New(apperr.ErrUnauthenticated, "invalid_refresh_token", "the refresh token is invalid, used or expired; sign in again")
	errInvalidTOTP        = apperr.New(apperr.ErrUnauthenticated, "invalid_totp_code", "the code is wrong, expired or already used")
	errAdminOnly          = apperr.New(apperr.ErrForbidden, "admin_only", "only an admin may do this")
	errPasskeyRequired    = apperr.New(apperr.ErrForbidden, "passkey_required", "your role signs in with a passkey: use your passkey, or a recovery code if you lost it")
)

// logger returns the request logger.
func logger(ctx context.Context) *slog.Logger { return logging.From(ctx) }
