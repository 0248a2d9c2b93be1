package auth

import (
	"time"

	"github.com/habeas-org/habeas/internal/actor"
)

// User is a person who signs in to Habeas.
type User struct {
	ID    string `gorm:"primaryKey"`
	Email string // normalised: NFC, trimmed, lower case
	Name  string
	Role  actor.Role
	// PasswordHash is an argon2id PHC string; never leaves this package.
	PasswordHash       string `json:"-"`
	Disabled           bool
	MustChangePassword bool
	// RequireMFA demands TOTP of this user whatever the role (the generated
	// first admin has it).
	RequireMFA        bool `gorm:"column:require_mfa"`
	PasswordChangedAt time.Time
	Version           int64
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

// TableName is the users table.
func (User) TableName() string { return "users" }

// UserTOTP is a user's TOTP seed; ConfirmedAt is nil while enrolment is pending.
type UserTOTP struct {
	UserID      string `gorm:"primaryKey"`
	Secret      string
	ConfirmedAt *time.Time
	LastStep    int64
	CreatedAt   time.Time
}

// TableName is the user_totp table.
func (UserTOTP) TableName() string { return "user_totp" }

// RecoveryCode is one single-use MFA recovery code, stored as SHA-256.
type RecoveryCode struct {
	ID        string `gorm:"primaryKey"`
	UserID    string
	CodeHash  string
	UsedAt    *time.Time
	CreatedAt time.Time
}

// TableName is the recovery_codes table.
func (RecoveryCode) TableName() string { return "recovery_codes" }

// Session is one sign-in. Access tokens name it (sid); every request checks it.
type Session struct {
	ID          string `gorm:"primaryKey"`
	UserID      string
	MFAPending  bool `gorm:"column:mfa_pending"`
	MFAVerified bool `gorm:"column:mfa_verified"`
	// MFAMethod is how the second factor was proven: MethodTOTP,
	// MethodRecoveryCode or MethodPasskey; empty for none.
	MFAMethod    string `gorm:"column:mfa_method"`
	ClientIP     string
	UserAgent    string
	CreatedAt    time.Time
	ExpiresAt    time.Time
	RevokedAt    *time.Time
	RevokeReason string
}

// TableName is the sessions table.
func (Session) TableName() string { return "sessions" }

// RefreshToken is one link of a session's refresh-token chain (SHA-256 only).
type RefreshToken struct {
	ID        string `gorm:"primaryKey"`
	SessionID string
	TokenHash string
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    *time.Time
}

// TableName is the refresh_tokens table.
func (RefreshToken) TableName() string { return "refresh_tokens" }

// Throttle counts failed attempts of one bucket; times are Unix milliseconds.
type Throttle struct {
	Bucket      string `gorm:"primaryKey"`
	Failures    int
	WindowStart int64
	LockedUntil int64
	UpdatedAt   int64 `gorm:"autoUpdateTime:false"`
}

// TableName is the auth_throttles table.
func (Throttle) TableName() string { return "auth_throttles" }

// Models lists every gorm model of this package (the schema test checks
// that each of their columns exists after migrating).
func Models() []any {
	return []any{&User{}, &UserTOTP{}, &RecoveryCode{}, &Session{}, &RefreshToken{}, &Throttle{}, &Passkey{}, &passkeyCeremony{}}
}

// Passkey is a WebAuthn credential registered to a user: a public key, never
// a secret. Data is the go-webauthn credential record as JSON; SignCount is
// the authenticator's signature counter, advanced with a compare-and-set.
type Passkey struct {
	ID           string `gorm:"primaryKey"`
	UserID       string
	CredentialID string // base64url of the raw credential id
	Name         string
	Data         string `json:"-"`
	SignCount    int64
	CreatedAt    time.Time
	LastUsedAt   *time.Time
}

// TableName is the webauthn_credentials table.
func (Passkey) TableName() string { return "webauthn_credentials" }

// passkeyCeremony is the server side of a WebAuthn ceremony in progress.
type passkeyCeremony struct {
	ID        string `gorm:"primaryKey"`
	Kind      string
	UserID    string
	SessionID string
	Data      string
	Name      string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// TableName is the webauthn_ceremonies table.
func (passkeyCeremony) TableName() string { return "webauthn_ceremonies" }
