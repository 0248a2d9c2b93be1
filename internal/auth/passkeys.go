package auth

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"
	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/audit"
)

// Passkeys (WebAuthn) through go-webauthn: registration, sign-in with a
// passkey alone (a discoverable credential: no e-mail typed, the credential
// names the account), and a passkey as the second factor after the
// password. Every ceremony's challenge lives in webauthn_ceremonies (any
// server process can finish it), is taken by the step that finishes it
// whatever the outcome (single use) and expires after passkeyCeremonyTTL.

// passkeyCeremonyTTL is how long a begun ceremony may be finished.
const passkeyCeremonyTTL = 5 * time.Minute

// MaxPasskeys is how many passkeys one account may register.
const MaxPasskeys = 20

// maxPasskeyName bounds a passkey's name, in characters.
const maxPasskeyName = 64

// reasonCeremony is the audited reason of an answer to no live ceremony
// (a replay, a guess, or too late); it counts as a failure like a bad answer.
const reasonCeremony = "unknown, already used or expired ceremony"

// Ceremony kinds (webauthn_ceremonies.kind).
const (
	ceremonyRegister = "register"
	ceremonyLogin    = "login"
	ceremonyVerify   = "verify"
)

var (
	errPasskeysOff       = apperr.New(apperr.ErrConflict, "passkeys_unavailable", "passkeys are not configured on this server (HABEAS_WEBAUTHN_RP_ID)")
	errCeremonyUnknown   = apperr.Field("ceremony_id", "is unknown, already used or expired; start again")
	errPasskeyRejected   = apperr.New(apperr.ErrUnauthenticated, "passkey_rejected", "the passkey was not accepted")
	errTooManyPasskeys   = apperr.New(apperr.ErrConflict, "too_many_passkeys", fmt.Sprintf("an account may have at most %d passkeys; remove one first", MaxPasskeys))
	errSecondFactorFirst = apperr.New(apperr.ErrForbidden, "mfa_verify_first", "this sign-in must first prove the second factor the account already has")
)

// newWebAuthn builds the relying party: discoverable credentials (so a
// passkey can sign in alone), user verification required at registration
// and for a passkey alone, no attestation asked (no device data collected;
// any authenticator the user chooses is accepted).
func newWebAuthn(rpID string, origins []string) (*webauthn.WebAuthn, error) {
	w, err := webauthn.New(&webauthn.Config{
		RPID:                  rpID,
		RPDisplayName:         "Habeas",
		RPOrigins:             origins,
		AttestationPreference: protocol.PreferNoAttestation,
		AuthenticatorSelection: protocol.AuthenticatorSelection{
			ResidentKey:        protocol.ResidentKeyRequirementRequired,
			RequireResidentKey: protocol.ResidentKeyRequired(),
			UserVerification:   protocol.VerificationRequired,
		},
		Timeouts: webauthn.TimeoutsConfig{
			Login:        webauthn.TimeoutConfig{Timeout: passkeyCeremonyTTL, TimeoutUVD: passkeyCeremonyTTL},
			Registration: webauthn.TimeoutConfig{Timeout: passkeyCeremonyTTL, TimeoutUVD: passkeyCeremonyTTL},
		},
	})
	if err != nil {
		return nil, fmt.Errorf("auth: webauthn: %w", err)
	}
	return w, nil
}

// webauthnUser adapts a user and their passkeys to go-webauthn.
type webauthnUser struct {
	u     *User
	creds []webauthn.Credential
	// rows are the stored passkeys, in the order of creds.
	rows []Passkey
}

// userHandle is the WebAuthn user handle of a user: the 16 bytes of their
// UUID (random apart from its time prefix; no personal data).
func userHandle(userID string) []byte {
	id, err := uuid.Parse(userID)
	if err != nil {
		return []byte(userID)
	}
	b := id
	return b[:]
}

func (w *webauthnUser) WebAuthnID() []byte                         { return userHandle(w.u.ID) }
func (w *webauthnUser) WebAuthnName() string                       { return w.u.Email }
func (w *webauthnUser) WebAuthnCredentials() []webauthn.Credential { return w.creds }
func (w *webauthnUser) WebAuthnDisplayName() string {
	if w.u.Name != "" {
		return w.u.Name
	}
	return w.u.Email
}

// row returns the stored passkey of the credential id raw.
func (w *webauthnUser) row(raw []byte) *Passkey {
	id := base64.RawURLEncoding.EncodeToString(raw)
	for i := range w.rows {
		if w.rows[i].CredentialID == id {
			return &w.rows[i]
		}
	}
	return nil
}

func (s *Service) loadWebAuthnUser(ctx context.Context, db *gorm.DB, u *User) (*webauthnUser, error) {
	var rows []Passkey
	if err := db.WithContext(ctx).Where("user_id = ?", u.ID).Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("load passkeys: %w", err)
	}
	w := &webauthnUser{u: u, rows: rows}
	for _, r := range rows {
		var c webauthn.Credential
		if err := json.Unmarshal([]byte(r.Data), &c); err != nil {
			return nil, fmt.Errorf("passkey %s: %w", r.ID, err)
		}
		c.Authenticator.SignCount = uint32(r.SignCount)
		w.creds = append(w.creds, c)
	}
	return w, nil
}

func (s *Service) countPasskeys(ctx context.Context, db *gorm.DB, userID string) (int64, error) {
	var n int64
	if err := db.WithContext(ctx).Model(&Passkey{}).Where("user_id = ?", userID).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("count passkeys: %w", err)
	}
	return n, nil
}

// PasskeyCeremony is a ceremony begun: its id, to send back with the
// authenticator's answer, and the options for navigator.credentials
// (create or get) in their JSON form.
type PasskeyCeremony struct {
	ID        string
	Options   any
	ExpiresIn int
}

// PasskeyView is what a user sees of one of their passkeys.
type PasskeyView struct {
	ID         string
	Name       string
	CreatedAt  time.Time
	LastUsedAt *time.Time
	// Synced: the authenticator says the passkey is backed up (e.g. in a
	// platform account), so it may exist on other devices.
	Synced bool
}

// RegisterPasskeyResult is a registered passkey, with the recovery codes
// issued when it is the account's first second factor and, when a pending
// sign-in registered it, that sign-in's tokens.
type RegisterPasskeyResult struct {
	Passkey       PasskeyView
	RecoveryCodes []string
	Tokens        *TokenPair
}

// storeCeremony saves a begun ceremony (and drops expired ones).
func (s *Service) storeCeremony(ctx context.Context, kind, userID, sessionID, name string, data *webauthn.SessionData) (string, error) {
	raw, err := json.Marshal(data)
	if err != nil {
		return "", fmt.Errorf("encode ceremony: %w", err)
	}
	now := s.now()
	c := passkeyCeremony{ID: newID(), Kind: kind, UserID: userID, SessionID: sessionID, Name: name, Data: string(raw),
		CreatedAt: now, ExpiresAt: now.Add(passkeyCeremonyTTL)}
	err = s.db.WithTx(ctx, func(tx *gorm.DB) error {
		if err := tx.Where("expires_at < ?", now).Delete(&passkeyCeremony{}).Error; err != nil {
			return err
		}
		return tx.Create(&c).Error
	})
	if err != nil {
		return "", fmt.Errorf("store ceremony: %w", err)
	}
	return c.ID, nil
}

// takeCeremony removes and returns the ceremony id of kind begun by userID
// and sessionID (empty for a sign-in with a passkey alone). Whoever takes it
// first has it: a second answer to the same challenge finds nothing.
func (s *Service) takeCeremony(ctx context.Context, id, kind, userID, sessionID string) (*passkeyCeremony, *webauthn.SessionData, error) {
	if _, err := uuid.Parse(id); err != nil {
		return nil, nil, errCeremonyUnknown
	}
	var c passkeyCeremony
	err := s.db.WithTx(ctx, func(tx *gorm.DB) error {
		if err := tx.Take(&c, "id = ? AND kind = ? AND user_id = ? AND session_id = ?", id, kind, userID, sessionID).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return errCeremonyUnknown
			}
			return err
		}
		res := tx.Where("id = ?", id).Delete(&passkeyCeremony{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return errCeremonyUnknown
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	if !s.now().Before(c.ExpiresAt) {
		return nil, nil, errCeremonyUnknown
	}
	var data webauthn.SessionData
	if err := json.Unmarshal([]byte(c.Data), &data); err != nil {
		return nil, nil, fmt.Errorf("decode ceremony: %w", err)
	}
	return &c, &data, nil
}

// checkPasskeyName validates a passkey's name (trimmed).
func checkPasskeyName(name string) (string, error) {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return "", apperr.Field("name", "is required (e.g. the device: \"work laptop\")")
	case utf8.RuneCountInString(name) > maxPasskeyName:
		return "", apperr.Field("name", fmt.Sprintf("must be at most %d characters", maxPasskeyName))
	case validName(name) != "":
		return "", apperr.Field("name", validName(name))
	}
	return name, nil
}

// pendingMayEnrol decides whether a pending sign-in (an MFA token, which
// proves the password only) may enrol a second factor of kind method: only
// while the account has no second factor at all, or (a passkey, for a role
// that requires passkeys) when it has TOTP and no passkey, the TOTP or a
// recovery code then being checked when the passkey is registered. Anything
// else would let a password alone add a factor past the existing one.
func (s *Service) pendingMayEnrol(ctx context.Context, id *Identity, u *User, method string) error {
	if id.Type != TypeMFA {
		return nil
	}
	t, err := s.loadTOTP(ctx, s.db.DB, u.ID)
	if err != nil {
		return err
	}
	totpOn := t != nil && t.ConfirmedAt != nil
	n, err := s.countPasskeys(ctx, s.db.DB, u.ID)
	if err != nil {
		return err
	}
	switch {
	case method == MethodTOTP && s.passkeyRequired(u):
		return errPasskeyRequired
	case n > 0:
		return errSecondFactorFirst
	case totpOn && method == MethodTOTP:
		return errTOTPAlreadyEnabled
	case totpOn && !s.passkeyRequired(u):
		return errSecondFactorFirst
	}
	return nil
}

// BeginPasskeyRegistration starts registering a passkey named name for the
// caller. With an access token it takes the caller's password (recent
// authentication: a stolen session cannot add a lasting way in); with the
// MFA token of a pending sign-in it is the enrolment of a first second
// factor (see pendingMayEnrol).
func (s *Service) BeginPasskeyRegistration(ctx context.Context, id *Identity, password, name string) (*PasskeyCeremony, error) {
	if s.webauthn == nil {
		return nil, errPasskeysOff
	}
	name, err := checkPasskeyName(name)
	if err != nil {
		return nil, err
	}
	u, err := s.user(ctx, id.Principal.UserID)
	if err != nil {
		return nil, err
	}
	if id.Type == TypeMFA {
		if err := s.pendingMayEnrol(ctx, id, u, MethodPasskey); err != nil {
			return nil, err
		}
	} else {
		if password == "" {
			return nil, apperr.Field("password", "is required (adding a passkey needs your password)")
		}
		if err := s.checkPassword(ctx, u, password, "password"); err != nil {
			return nil, err
		}
	}
	wu, err := s.loadWebAuthnUser(ctx, s.db.DB, u)
	if err != nil {
		return nil, err
	}
	if len(wu.creds) >= MaxPasskeys {
		return nil, errTooManyPasskeys
	}
	creation, data, err := s.webauthn.BeginRegistration(wu,
		webauthn.WithExclusions(webauthn.Credentials(wu.creds).CredentialDescriptors()))
	if err != nil {
		return nil, fmt.Errorf("begin passkey registration: %w", err)
	}
	cid, err := s.storeCeremony(ctx, ceremonyRegister, u.ID, id.Principal.SessionID, name, data)
	if err != nil {
		return nil, err
	}
	return &PasskeyCeremony{ID: cid, Options: creation, ExpiresIn: int(passkeyCeremonyTTL.Seconds())}, nil
}

// FinishPasskeyRegistration verifies the authenticator's answer to the
// registration ceremonyID and stores the passkey. code (a TOTP or recovery
// code) is needed only when a pending sign-in of an account with TOTP
// registers its first passkey.
func (s *Service) FinishPasskeyRegistration(ctx context.Context, id *Identity, ceremonyID string, credential []byte, code string) (*RegisterPasskeyResult, error) {
	if s.webauthn == nil {
		return nil, errPasskeysOff
	}
	u, err := s.user(ctx, id.Principal.UserID)
	if err != nil {
		return nil, err
	}
	deny := func(reason string, cause error) error {
		d := map[string]any{"reason": reason}
		if cause != nil {
			d["error"] = webauthnErrorText(cause)
		}
		_ = s.record(ctx, nil, audit.Entry{Action: "auth.passkey.register", ObjectType: "user", ObjectID: u.ID, Outcome: audit.Denied,
			ActorID: u.ID, ActorRole: string(u.Role), Details: d})
		return apperr.Field("credential", "was not accepted: "+reason)
	}
	cer, data, err := s.takeCeremony(ctx, ceremonyID, ceremonyRegister, u.ID, id.Principal.SessionID)
	if errors.Is(err, errCeremonyUnknown) {
		_ = deny(reasonCeremony, nil)
		return nil, err
	}
	if err != nil {
		return nil, err
	}
	parsed, err := protocol.ParseCredentialCreationResponseBytes(credential)
	if err != nil {
		return nil, deny("not a valid WebAuthn registration response", err)
	}
	if id.Type == TypeMFA {
		if err := s.pendingMayEnrol(ctx, id, u, MethodPasskey); err != nil {
			return nil, err
		}
		t, err := s.loadTOTP(ctx, s.db.DB, u.ID)
		if err != nil {
			return nil, err
		}
		if t != nil && t.ConfirmedAt != nil {
			if code == "" {
				return nil, apperr.Field("code", "is required: this account has TOTP; give a current code (or a recovery code)")
			}
			if _, err := s.checkSecondFactor(ctx, u, code); err != nil {
				return nil, err
			}
		}
	}
	wu, err := s.loadWebAuthnUser(ctx, s.db.DB, u)
	if err != nil {
		return nil, err
	}
	cred, err := s.webauthn.CreateCredential(wu, *data, parsed)
	if err != nil {
		return nil, deny("verification failed", err)
	}
	raw, err := json.Marshal(cred)
	if err != nil {
		return nil, fmt.Errorf("encode passkey: %w", err)
	}
	now := s.now()
	pk := Passkey{ID: newID(), UserID: u.ID, CredentialID: base64.RawURLEncoding.EncodeToString(cred.ID), Name: cer.Name,
		Data: string(raw), SignCount: int64(cred.Authenticator.SignCount), CreatedAt: now}
	out := &RegisterPasskeyResult{Passkey: PasskeyView{ID: pk.ID, Name: pk.Name, CreatedAt: now, Synced: cred.Flags.BackupState}}
	err = s.db.WithTx(ctx, func(tx *gorm.DB) error {
		if err := lockUser(tx, u.ID); err != nil {
			return err
		}
		n, err := s.countPasskeys(ctx, tx, u.ID)
		if err != nil {
			return err
		}
		if n >= MaxPasskeys {
			return errTooManyPasskeys
		}
		if err := tx.Create(&pk).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return apperr.New(apperr.ErrConflict, "passkey_exists", "this passkey is already registered")
			}
			return err
		}
		t, err := s.loadTOTP(ctx, tx, u.ID)
		if err != nil {
			return err
		}
		if n == 0 && (t == nil || t.ConfirmedAt == nil) {
			// The first second factor: recovery codes, as TOTP gets.
			if out.RecoveryCodes, err = s.newRecoveryCodes(tx, u.ID); err != nil {
				return err
			}
		}
		if id.Type == TypeMFA {
			if out.Tokens, err = s.completeMFA(tx, id.Principal.SessionID, MethodPasskey); err != nil {
				return err
			}
		}
		return s.record(ctx, tx, audit.Entry{Action: "auth.passkey.register", ObjectType: "passkey", ObjectID: pk.ID, Outcome: audit.OK,
			ActorID: u.ID, ActorRole: string(u.Role), Details: map[string]any{"synced": cred.Flags.BackupState,
				"user_verified": cred.Flags.UserVerified, "new_codes_issued": len(out.RecoveryCodes) > 0, "during_sign_in": id.Type == TypeMFA}})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ListPasskeys lists the caller's passkeys, oldest first.
func (s *Service) ListPasskeys(ctx context.Context, id *Identity) ([]PasskeyView, error) {
	var rows []Passkey
	if err := s.db.WithContext(ctx).Where("user_id = ?", id.Principal.UserID).Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list passkeys: %w", err)
	}
	out := make([]PasskeyView, 0, len(rows))
	for _, r := range rows {
		var c webauthn.Credential
		_ = json.Unmarshal([]byte(r.Data), &c)
		out = append(out, PasskeyView{ID: r.ID, Name: r.Name, CreatedAt: r.CreatedAt, LastUsedAt: r.LastUsedAt, Synced: c.Flags.BackupState})
	}
	return out, nil
}

// RemovePasskey removes one of the caller's passkeys; it takes the password
// (recent authentication). A passkey of another user is not found. The last
// passkey of a role that requires passkeys cannot be removed, nor the last
// second factor of an account that requires MFA; when the last second factor
// goes, the recovery codes go with it.
func (s *Service) RemovePasskey(ctx context.Context, id *Identity, passkeyID, password string) error {
	u, err := s.user(ctx, id.Principal.UserID)
	if err != nil {
		return err
	}
	if password == "" {
		return apperr.Field("password", "is required (removing a passkey needs your password)")
	}
	if _, err := uuid.Parse(passkeyID); err != nil {
		return apperr.NotFound("passkey")
	}
	var pk Passkey
	if err := s.db.WithContext(ctx).Take(&pk, "id = ? AND user_id = ?", passkeyID, u.ID).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return apperr.NotFound("passkey")
		}
		return err
	}
	if err := s.checkPassword(ctx, u, password, "password"); err != nil {
		return err
	}
	return s.db.WithTx(ctx, func(tx *gorm.DB) error {
		// Two removals at once must not both see "not the last one".
		if err := lockUser(tx, u.ID); err != nil {
			return err
		}
		n, err := s.countPasskeys(ctx, tx, u.ID)
		if err != nil {
			return err
		}
		t, err := s.loadTOTP(ctx, tx, u.ID)
		if err != nil {
			return err
		}
		totpOn := t != nil && t.ConfirmedAt != nil
		last := n <= 1
		switch {
		case last && s.passkeyRequired(u):
			return apperr.New(apperr.ErrConflict, "passkey_required_for_role", "your role requires a passkey: register another before removing this one")
		case last && !totpOn && s.mfaRequired(u):
			return apperr.New(apperr.ErrConflict, "mfa_required_for_role", "your account requires a second factor: set up TOTP or another passkey first")
		}
		res := tx.Where("id = ? AND user_id = ?", pk.ID, u.ID).Delete(&Passkey{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return apperr.NotFound("passkey")
		}
		codesRemoved := last && !totpOn
		if codesRemoved {
			if err := tx.Delete(&RecoveryCode{}, "user_id = ?", u.ID).Error; err != nil {
				return err
			}
		}
		return s.record(ctx, tx, audit.Entry{Action: "auth.passkey.remove", ObjectType: "passkey", ObjectID: pk.ID, Outcome: audit.OK,
			ActorID: u.ID, ActorRole: string(u.Role), Details: map[string]any{"codes_removed": codesRemoved}})
	})
}

// BeginPasskeyLogin starts a sign-in with a passkey alone: no account is
// named; the authenticator offers the user's passkeys for this site and
// must verify the user (PIN, biometrics).
func (s *Service) BeginPasskeyLogin(ctx context.Context) (*PasskeyCeremony, error) {
	if s.webauthn == nil {
		return nil, errPasskeysOff
	}
	meta := metaFrom(ctx, "")
	if err := s.addressLocked(ctx, addressBucket(meta.ip)); err != nil {
		return nil, err
	}
	assertion, data, err := s.webauthn.BeginDiscoverableLogin(webauthn.WithUserVerification(protocol.VerificationRequired))
	if err != nil {
		return nil, fmt.Errorf("begin passkey sign-in: %w", err)
	}
	cid, err := s.storeCeremony(ctx, ceremonyLogin, "", "", "", data)
	if err != nil {
		return nil, err
	}
	return &PasskeyCeremony{ID: cid, Options: assertion, ExpiresIn: int(passkeyCeremonyTTL.Seconds())}, nil
}

// addressLocked refuses a client address locked by failed sign-ins.
func (s *Service) addressLocked(ctx context.Context, bucket string) error {
	d, err := s.throttle.lockedFor(ctx, s.db.DB, bucket)
	if err != nil {
		return err
	}
	if d > 0 {
		_ = s.record(ctx, nil, audit.Entry{Action: "auth.login", ObjectType: "user", Outcome: audit.Denied,
			Details: map[string]any{"reason": "throttled", "bucket": "addr", "method": MethodPasskey}})
		return rateLimited("login_throttled", "too many failed sign-ins; try again later", d)
	}
	return nil
}

// FinishPasskeyLogin verifies the answer to the sign-in ceremonyID and opens
// a full session exactly as a password and TOTP sign-in does (the passkey,
// user-verified, is both factors). Failures count against the client
// address, never against the account (a passkey cannot be guessed, so an
// account bucket would only let others lock its owner out).
func (s *Service) FinishPasskeyLogin(ctx context.Context, ceremonyID string, credential []byte, userAgent string) (*LoginResult, error) {
	if s.webauthn == nil {
		return nil, errPasskeysOff
	}
	meta := metaFrom(ctx, userAgent)
	addr := addressBucket(meta.ip)
	if err := s.addressLocked(ctx, addr); err != nil {
		return nil, err
	}
	var found *webauthnUser
	fail := func(reason string, cause error) error {
		if _, _, err := s.throttle.fail(ctx, s.db.DB, addr, s.addressRule()); err != nil {
			return err
		}
		e := audit.Entry{Action: "auth.login", ObjectType: "user", Outcome: audit.Denied,
			Details: map[string]any{"reason": reason, "method": MethodPasskey}}
		if cause != nil {
			e.Details["error"] = webauthnErrorText(cause)
		}
		if found != nil {
			e.ObjectID, e.ActorID, e.ActorRole = found.u.ID, found.u.ID, string(found.u.Role)
		}
		_ = s.record(ctx, nil, e)
		return errPasskeyRejected
	}
	_, data, err := s.takeCeremony(ctx, ceremonyID, ceremonyLogin, "", "")
	if errors.Is(err, errCeremonyUnknown) {
		if ferr := fail(reasonCeremony, nil); !errors.Is(ferr, errPasskeyRejected) {
			return nil, ferr
		}
		return nil, err
	}
	if err != nil {
		return nil, err
	}
	parsed, err := protocol.ParseCredentialRequestResponseBytes(credential)
	if err != nil {
		return nil, fail("not a valid WebAuthn assertion", err)
	}
	handler := func(rawID, handle []byte) (webauthn.User, error) {
		var pk Passkey
		if err := s.db.WithContext(ctx).Take(&pk, "credential_id = ?", base64.RawURLEncoding.EncodeToString(rawID)).Error; err != nil {
			return nil, errors.New("unknown credential")
		}
		if string(userHandle(pk.UserID)) != string(handle) {
			return nil, errors.New("user handle does not match the credential")
		}
		var u User
		if err := s.db.WithContext(ctx).Take(&u, "id = ?", pk.UserID).Error; err != nil {
			return nil, err
		}
		wu, err := s.loadWebAuthnUser(ctx, s.db.DB, &u)
		if err != nil {
			return nil, err
		}
		found = wu
		return wu, nil
	}
	_, cred, err := s.webauthn.ValidatePasskeyLogin(handler, *data, parsed)
	if err != nil {
		return nil, fail("verification failed", err)
	}
	u := found.u
	if u.Disabled {
		return nil, fail("account disabled", nil)
	}
	row := found.row(cred.ID)
	if row == nil {
		return nil, fail("unknown credential", nil)
	}
	if cred.Authenticator.CloneWarning {
		return nil, s.cloneWarning(ctx, u, row, cred, func() error { return fail("signature counter did not increase (possible cloned authenticator)", nil) })
	}
	res := &LoginResult{State: StateOK, MustChangePassword: u.MustChangePassword}
	err = s.db.WithTx(ctx, func(tx *gorm.DB) error {
		if err := s.usePasskey(ctx, tx, row, cred); err != nil {
			return err
		}
		pair, err := s.startSession(tx, u, MethodPasskey, meta)
		if err != nil {
			return err
		}
		res.Tokens = pair
		return s.record(ctx, tx, audit.Entry{Action: "auth.login", ObjectType: "user", ObjectID: u.ID, Outcome: audit.OK,
			ActorID: u.ID, ActorRole: string(u.Role), Details: map[string]any{"state": StateOK, "mfa": true, "method": MethodPasskey, "passkey_id": row.ID}})
	})
	if errors.Is(err, errCounterRace) {
		return nil, fail("signature counter raced with another use (possible cloned authenticator)", nil)
	}
	if err != nil {
		return nil, err
	}
	return res, nil
}

// errCounterRace: another use advanced the counter between reading and writing it.
var errCounterRace = errors.New("passkey counter changed meanwhile")

// usePasskey records a successful use: the new signature counter (only if
// nobody advanced it meanwhile), the flags, the time.
func (s *Service) usePasskey(ctx context.Context, tx *gorm.DB, row *Passkey, cred *webauthn.Credential) error {
	raw, err := json.Marshal(cred)
	if err != nil {
		return fmt.Errorf("encode passkey: %w", err)
	}
	res := tx.WithContext(ctx).Model(&Passkey{}).Where("id = ? AND sign_count = ?", row.ID, row.SignCount).
		Updates(map[string]any{"sign_count": int64(cred.Authenticator.SignCount), "data": string(raw), "last_used_at": s.now()})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected != 1 {
		return errCounterRace
	}
	return nil
}

// cloneWarning handles an assertion whose signature counter did not
// advance: the credential's key may exist twice. The use is refused and
// audited; the passkey stays (its owner decides, seeing the audit entry),
// and the stored counter is not lowered.
func (s *Service) cloneWarning(ctx context.Context, u *User, row *Passkey, cred *webauthn.Credential, fail func() error) error {
	_ = s.record(ctx, nil, audit.Entry{Action: "auth.passkey.clone_warning", ObjectType: "passkey", ObjectID: row.ID, Outcome: audit.Denied,
		ActorID: u.ID, ActorRole: string(u.Role), Details: map[string]any{"stored_count": row.SignCount}})
	return fail()
}

// BeginPasskeyVerify starts the passkey check of a pending sign-in (the
// second factor after the password): the caller's passkeys are allowed.
func (s *Service) BeginPasskeyVerify(ctx context.Context, id *Identity) (*PasskeyCeremony, error) {
	if s.webauthn == nil {
		return nil, errPasskeysOff
	}
	if id.Type != TypeMFA {
		return nil, errMFATokenNeeded
	}
	u, err := s.user(ctx, id.Principal.UserID)
	if err != nil {
		return nil, err
	}
	if err := s.throttled(ctx, u); err != nil {
		return nil, err
	}
	wu, err := s.loadWebAuthnUser(ctx, s.db.DB, u)
	if err != nil {
		return nil, err
	}
	if len(wu.creds) == 0 {
		return nil, apperr.New(apperr.ErrConflict, "no_passkeys", "this account has no passkey")
	}
	assertion, data, err := s.webauthn.BeginLogin(wu, webauthn.WithUserVerification(protocol.VerificationPreferred))
	if err != nil {
		return nil, fmt.Errorf("begin passkey check: %w", err)
	}
	cid, err := s.storeCeremony(ctx, ceremonyVerify, u.ID, id.Principal.SessionID, "", data)
	if err != nil {
		return nil, err
	}
	return &PasskeyCeremony{ID: cid, Options: assertion, ExpiresIn: int(passkeyCeremonyTTL.Seconds())}, nil
}

// FinishPasskeyVerify checks the passkey answer of a pending sign-in and,
// if it holds, turns the sign-in into a full session (as VerifyMFA does).
// Failures count against the second-factor throttle of the account and
// address (throttle.go), as wrong TOTP codes do.
func (s *Service) FinishPasskeyVerify(ctx context.Context, id *Identity, ceremonyID string, credential []byte) (*TokenPair, error) {
	if s.webauthn == nil {
		return nil, errPasskeysOff
	}
	if id.Type != TypeMFA {
		return nil, errMFATokenNeeded
	}
	u, err := s.user(ctx, id.Principal.UserID)
	if err != nil {
		return nil, err
	}
	if err := s.throttled(ctx, u); err != nil {
		return nil, err
	}
	fail := func(reason string, cause error) error {
		if err := s.failGate(ctx, s.mfaGate(ctx, u), u); err != nil {
			return err
		}
		d := map[string]any{"reason": reason, "method": MethodPasskey}
		if cause != nil {
			d["error"] = webauthnErrorText(cause)
		}
		_ = s.record(ctx, nil, audit.Entry{Action: "auth.mfa.verify", ObjectType: "user", ObjectID: u.ID, Outcome: audit.Denied,
			ActorID: u.ID, ActorRole: string(u.Role), Details: d})
		return errPasskeyRejected
	}
	_, data, err := s.takeCeremony(ctx, ceremonyID, ceremonyVerify, u.ID, id.Principal.SessionID)
	if errors.Is(err, errCeremonyUnknown) {
		if ferr := fail(reasonCeremony, nil); !errors.Is(ferr, errPasskeyRejected) {
			return nil, ferr
		}
		return nil, err
	}
	if err != nil {
		return nil, err
	}
	parsed, err := protocol.ParseCredentialRequestResponseBytes(credential)
	if err != nil {
		return nil, fail("not a valid WebAuthn assertion", err)
	}
	wu, err := s.loadWebAuthnUser(ctx, s.db.DB, u)
	if err != nil {
		return nil, err
	}
	cred, err := s.webauthn.ValidateLogin(wu, *data, parsed)
	if err != nil {
		return nil, fail("verification failed", err)
	}
	row := wu.row(cred.ID)
	if row == nil {
		return nil, fail("unknown credential", nil)
	}
	if cred.Authenticator.CloneWarning {
		return nil, s.cloneWarning(ctx, u, row, cred, func() error { return fail("signature counter did not increase (possible cloned authenticator)", nil) })
	}
	var out *TokenPair
	err = s.db.WithTx(ctx, func(tx *gorm.DB) error {
		if err := s.usePasskey(ctx, tx, row, cred); err != nil {
			return err
		}
		var err error
		if out, err = s.completeMFA(tx, id.Principal.SessionID, MethodPasskey); err != nil {
			return err
		}
		return s.record(ctx, tx, audit.Entry{Action: "auth.mfa.verify", ObjectType: "session", ObjectID: id.Principal.SessionID,
			Outcome: audit.OK, ActorID: u.ID, ActorRole: string(u.Role), Details: map[string]any{"method": MethodPasskey, "passkey_id": row.ID}})
	})
	if errors.Is(err, errCounterRace) {
		return nil, fail("signature counter raced with another use (possible cloned authenticator)", nil)
	}
	if err != nil {
		return nil, err
	}
	_ = s.passGate(ctx, s.mfaGate(ctx, u))
	return out, nil
}

// lockUser takes the user's row lock (PostgreSQL; SQLite write
// transactions are serial already), serialising changes to their factors.
func lockUser(tx *gorm.DB, userID string) error {
	var u User
	if err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Select("id").Take(&u, "id = ?", userID).Error; err != nil {
		return fmt.Errorf("lock user: %w", err)
	}
	return nil
}

// webauthnErrorText is a go-webauthn error for the audit log (bounded).
func webauthnErrorText(err error) string {
	msg := err.Error()
	var pe *protocol.Error
	if errors.As(err, &pe) && pe.DevInfo != "" {
		msg += ": " + pe.DevInfo
	}
	if len(msg) > 300 {
		msg = msg[:300]
	}
	return strings.ToValidUTF8(msg, "")
}
