// Package config holds Habeas's one configuration struct and how it is loaded:
// built-in defaults, then HABEAS_* environment variables, then command-line flags.
package config

import (
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/mail"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Config is the whole runtime configuration of a Habeas process.
type Config struct {
	// Addr is the listen address of the HTTP server.
	Addr string
	// DataDir holds the SQLite database, local evidence and generated keys.
	DataDir string
	// DatabaseURL selects PostgreSQL when it starts with postgres:// or postgresql://;
	// empty means SQLite at DataDir/habeas.db.
	DatabaseURL string
	// DBConnectTimeout bounds how long start-up retries an unreachable database.
	DBConnectTimeout time.Duration
	// DBQueryTimeout bounds one database transaction run for a request
	// (db.WithTx, db.ReadTx); maintenance work is not bounded by it.
	DBQueryTimeout time.Duration
	// DBMaxConns is how many PostgreSQL connections the process keeps open
	// at most, all of them kept for reuse when idle.
	DBMaxConns int
	// JobsWorkers is how many background jobs this process works at once
	// (internal/jobs, docs/jobs.md).
	JobsWorkers int
	// JobsPollInterval is how often the job queue looks for available
	// jobs: the longest an idle queue takes to start a new job.
	JobsPollInterval time.Duration
	// Storage is the evidence storage driver: "local" or "s3".
	Storage string
	// StorageDir is the root of the local storage driver.
	StorageDir string
	// MinFreeSpace is the free space (bytes) below which the data directory,
	// the SQLite database's directory or the local object directory makes
	// /readyz answer not ready and writes are refused (507); 0 turns the
	// check off.
	MinFreeSpace int64
	// StorageCallTimeout bounds one storage call without a streamed body
	// (stat, delete, list page, bucket check, multipart complete/abort).
	StorageCallTimeout time.Duration
	// StorageStallTimeout fails a streamed storage transfer (upload part,
	// download) that makes no progress for this long.
	StorageStallTimeout time.Duration
	// S3 configures the S3-compatible storage driver (Storage == "s3").
	S3 S3
	// Evidence configures the evidence vault (encryption, limits, clean-up).
	Evidence Evidence
	// LogLevel is debug, info, warn or error.
	LogLevel string
	// LogFormat is json or text.
	LogFormat string
	// TrustedProxies are IPs or CIDRs of reverse proxies whose X-Forwarded-For
	// is believed; from anyone else that header is ignored.
	TrustedProxies []string
	// AuditKeyFile is the Ed25519 key that signs audit checkpoints; empty
	// means <data dir>/audit-checkpoint-key.pem. AuditKey, when set, is the
	// PEM itself (from the environment) and wins over the file.
	AuditKeyFile string
	AuditKey     string
	// BackupKeyFile is the Ed25519 key that signs backup manifests; empty
	// means <data dir>/backup-signing-key.pem. BackupKey, when set, is the
	// PEM itself (from the environment) and wins over the file.
	BackupKeyFile string
	BackupKey     string
	// MetricsAddr, when set, serves Prometheus metrics at /metrics on this
	// separate address (keep it off the public network).
	MetricsAddr string
	// ShutdownGrace is how long in-flight requests may run after SIGTERM/SIGINT.
	ShutdownGrace time.Duration
	// InstanceTimeout is how long a server may miss its heartbeat (every 5s)
	// before the others take it for gone and clean up its uploads at once.
	InstanceTimeout time.Duration
	// ReadHeaderTimeout, ReadTimeout, WriteTimeout and IdleTimeout are the HTTP server's timeouts.
	ReadHeaderTimeout time.Duration
	ReadTimeout       time.Duration
	WriteTimeout      time.Duration
	IdleTimeout       time.Duration
	// MaxJSONBody caps JSON request bodies in bytes (larger: 413).
	MaxJSONBody int
	// CORSOrigins are the exact origins (scheme://host[:port]) a browser may
	// call the API from when the SPA is served elsewhere; empty: none.
	CORSOrigins []string

	// PublicURL is the external URL of this server; an https:// URL marks
	// auth cookies Secure even behind a TLS-terminating proxy.
	PublicURL string
	// JWTPrivateKey is a PEM Ed25519 private key (PKCS#8) or the path of a
	// file holding one; empty means a key generated into DataDir.
	JWTPrivateKey string
	// JWTIssuer is the iss claim of access tokens (and the only one accepted).
	JWTIssuer string
	// AccessTokenTTL is the lifetime of access tokens (at most 15 minutes).
	AccessTokenTTL time.Duration
	// SessionIdleTimeout ends a session whose refresh token is not used for this long.
	SessionIdleTimeout time.Duration
	// SessionMaxAge ends every session this long after sign-in, used or not.
	SessionMaxAge time.Duration
	// MFARequiredRoles get no full session without TOTP.
	MFARequiredRoles []string
	// PasskeyRequiredRoles get no full session without a passkey (or a
	// recovery code, the way back from a lost one).
	PasskeyRequiredRoles []string
	// WebAuthnRPID and WebAuthnOriginList are the passkey relying-party id
	// and accepted origins as configured; empty means derived (see
	// WebAuthnRPIDOrDefault and WebAuthnOrigins).
	WebAuthnRPID       string
	WebAuthnOriginList []string
	// LoginMaxFailuresPerAccountAddress and LoginMaxFailuresPerAddress are
	// the failed sign-ins allowed (of one account from one client address, of
	// one client address) before that pair or address is locked.
	// LoginMaxFailuresPerAccount is the ceiling of consecutive failures of one
	// account from anywhere: past it every further failure locks its pair
	// (the account itself is never locked: docs/security.md).
	LoginMaxFailuresPerAccountAddress int
	LoginMaxFailuresPerAddress        int
	LoginMaxFailuresPerAccount        int
	// LoginLockout is the first lockout; each further failure doubles it (at most 24h).
	LoginLockout time.Duration
	// PDFFontDir is searched (recursively) for the PDF fonts before the
	// standard Debian font paths; empty: only the standard paths.
	PDFFontDir string
	// Organisation is the name documents that leave the team carry in their
	// metadata (PDF author and creator, the ODT draft's creator): the
	// organisation, never a person. Empty: "Habeas".
	Organisation string
	// NotifyScanInterval is how often the notification scanner reads the
	// record for what is due (issue 26); 0 turns the scanner off.
	NotifyScanInterval time.Duration
	// NotifyLanguage is the language of webhook texts (en or zh-Hans).
	NotifyLanguage string
	// SMTP configures e-mail notifications; an empty host turns e-mail off.
	SMTP SMTP
	// NotifyIncludeNames lets e-mail and webhook notifications list what
	// they are about (case titles, time-limit labels); off by default, when
	// they carry only counts and a link (issue 26).
	NotifyIncludeNames bool
	// BootstrapAdminEmail and BootstrapAdminPassword create the first admin
	// when the database has no user.
	BootstrapAdminEmail    string
	BootstrapAdminPassword string
}

// Key describes one configuration key: its environment variable, its flag
// (empty when it has none), its default and what it means. Keys is the single
// table that help output, documentation checks and loading all read.
type Key struct {
	Env     string
	Flag    string
	Default string
	Help    string
	// EmptyAllowed: a variable set to the empty string means "empty", not
	// "default" (e.g. HABEAS_MFA_REQUIRED_ROLES= for no role).
	EmptyAllowed bool
	set          func(c *Config, v string) error
}

// Keys lists every configuration key Habeas reads.
var Keys = []Key{
	{Env: "HABEAS_ADDR", Flag: "addr", Default: "127.0.0.1:8080", Help: "listen address (host:port)",
		set: func(c *Config, v string) error { c.Addr = v; return nil }},
	{Env: "HABEAS_DATA_DIR", Flag: "data-dir", Default: "./data", Help: "directory for the SQLite database, local evidence and generated keys",
		set: func(c *Config, v string) error { c.DataDir = v; return nil }},
	{Env: "HABEAS_DATABASE_URL", Flag: "database-url", Default: "", Help: "postgres://user:pass@host/db to use PostgreSQL; empty for SQLite in the data dir",
		set: func(c *Config, v string) error { c.DatabaseURL = v; return nil }},
	{Env: "HABEAS_DB_CONNECT_TIMEOUT", Flag: "db-connect-timeout", Default: "15s", Help: "how long start-up retries an unreachable database before giving up",
		set: durationSetter(func(c *Config) *time.Duration { return &c.DBConnectTimeout })},
	{Env: "HABEAS_DB_QUERY_TIMEOUT", Flag: "", Default: "30s", Help: "one database transaction of a request (all its statements) fails after this long with 503 database_unavailable; migrations, seed, backup, restore and index rebuilds are not bounded",
		set: durationSetter(func(c *Config) *time.Duration { return &c.DBQueryTimeout })},
	{Env: "HABEAS_DB_MAX_CONNS", Flag: "", Default: "20", Help: "PostgreSQL: connections this process keeps open at most, kept for reuse when idle (processes x this must stay under the server's max_connections)",
		set: intSetter(func(c *Config) *int { return &c.DBMaxConns })},
	{Env: "HABEAS_JOBS_WORKERS", Flag: "", Default: "4", Help: "background jobs (notifications, e-mails, webhooks) this process works at once (1 to 100); see docs/jobs.md",
		set: intSetter(func(c *Config) *int { return &c.JobsWorkers })},
	{Env: "HABEAS_JOBS_POLL_INTERVAL", Flag: "", Default: "1s", Help: "how often the job queue looks for jobs to work (100ms to 1m): the longest an idle queue waits before starting a new job",
		set: durationSetter(func(c *Config) *time.Duration { return &c.JobsPollInterval })},
	{Env: "HABEAS_STORAGE", Flag: "storage", Default: "local", Help: "evidence storage driver: local or s3",
		set: func(c *Config, v string) error { c.Storage = v; return nil }},
	{Env: "HABEAS_STORAGE_DIR", Flag: "", Default: "", Help: "root of the local storage driver; empty for <data dir>/objects",
		set: func(c *Config, v string) error { c.StorageDir = v; return nil }},
	{Env: "HABEAS_MIN_FREE_SPACE", Flag: "", Default: "256MiB", Help: "free space below which the data directory, the SQLite database's directory or the local object directory makes /readyz answer not ready and writes answer 507 insufficient_storage (sign-in still works); bytes or KiB/MiB/GiB; 0 turns the check off",
		set: func(c *Config, v string) error {
			n, err := ParseBytes(v)
			if err != nil {
				return err
			}
			c.MinFreeSpace = n
			return nil
		}},
	{Env: "HABEAS_STORAGE_CALL_TIMEOUT", Flag: "", Default: "30s", Help: "S3 storage: deadline of one call without a streamed body (stat, delete, one page of a listing, bucket check, multipart complete or abort); past it the call fails and the request answers 503 storage_unavailable (at least 1s)",
		set: durationSetter(func(c *Config) *time.Duration { return &c.StorageCallTimeout })},
	{Env: "HABEAS_STORAGE_STALL_TIMEOUT", Flag: "", Default: "30s", Help: "S3 storage: a streamed transfer (an upload part, a download) that makes no progress on the network for this long fails: an upload answers 503 storage_unavailable, a download in progress is cut (at least 1s)",
		set: durationSetter(func(c *Config) *time.Duration { return &c.StorageStallTimeout })},
	{Env: "HABEAS_S3_ENDPOINT", Flag: "", Default: "", Help: "S3 storage: server host:port, without scheme (e.g. s3.example.org:443 or 127.0.0.1:9000); required when HABEAS_STORAGE=s3",
		set: func(c *Config, v string) error { c.S3.Endpoint = v; return nil }},
	{Env: "HABEAS_S3_BUCKET", Flag: "", Default: "", Help: "S3 storage: bucket name; it must already exist (Habeas checks it at start and never creates it)",
		set: func(c *Config, v string) error { c.S3.Bucket = v; return nil }},
	{Env: "HABEAS_S3_ACCESS_KEY", Flag: "", Default: "", Help: "S3 storage: access key ID",
		set: func(c *Config, v string) error { c.S3.AccessKey = v; return nil }},
	{Env: "HABEAS_S3_SECRET_KEY", Flag: "", Default: "", Help: "S3 storage: secret access key (never logged)",
		set: func(c *Config, v string) error { c.S3.SecretKey = Secret(v); return nil }},
	{Env: "HABEAS_S3_USE_TLS", Flag: "", Default: "true", Help: "S3 storage: connect with HTTPS (true) or plain HTTP (false, only for a server on loopback or a private network)",
		set: func(c *Config, v string) error {
			b, err := strconv.ParseBool(v)
			if err != nil {
				return fmt.Errorf("not a boolean (true or false): %q", v)
			}
			c.S3.UseTLS = b
			return nil
		}},
	{Env: "HABEAS_S3_REGION", Flag: "", Default: "", Help: "S3 storage: region (e.g. us-east-1); empty asks the server for the bucket's region",
		set: func(c *Config, v string) error { c.S3.Region = v; return nil }},
	{Env: "HABEAS_S3_CONNECT_TIMEOUT", Flag: "", Default: "5s", Help: "S3 storage: deadline of a TCP connect and TLS handshake to the S3 server (at least 100ms)",
		set: durationSetter(func(c *Config) *time.Duration { return &c.S3.ConnectTimeout })},
	{Env: "HABEAS_EVIDENCE_MAX_BYTES", Flag: "", Default: "2147483648", Help: "largest evidence file in bytes (default 2 GiB); a larger upload is refused with 413 and nothing is stored",
		set: func(c *Config, v string) error {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return fmt.Errorf("not a number of bytes: %q", v)
			}
			c.Evidence.MaxBytes = n
			return nil
		}},
	{Env: "HABEAS_EVIDENCE_AGE_IDENTITY_FILE", Flag: "", Default: "", Help: "age X25519 identity file decrypting evidence objects; empty for <data dir>/evidence-age-identity.txt (generated 0600 when absent)",
		set: func(c *Config, v string) error { c.Evidence.AgeIdentityFile = v; return nil }},
	{Env: "HABEAS_EVIDENCE_AGE_IDENTITY", Flag: "", Default: "", Help: "the age identity text itself (AGE-SECRET-KEY-1...), wins over the file; never logged",
		set: func(c *Config, v string) error { c.Evidence.AgeIdentity = Secret(v); return nil }},
	{Env: "HABEAS_EVIDENCE_RECOVERY_RECIPIENT", Flag: "", Default: "", Help: "optional age public key (age1...) of an offline recovery identity: every object is also encrypted to it",
		set: func(c *Config, v string) error { c.Evidence.RecoveryRecipient = strings.TrimSpace(v); return nil }},
	{Env: "HABEAS_EVIDENCE_RECONCILE_INTERVAL", Flag: "", Default: "1h", Help: "how often serve runs storage reconcile (abandoned uploads, orphan objects, purge); 0 disables it",
		set: durationSetter(func(c *Config) *time.Duration { return &c.Evidence.ReconcileInterval })},
	{Env: "HABEAS_EVIDENCE_UPLOAD_GRACE", Flag: "", Default: "24h", Help: "age after which an unfinished upload (and an incomplete S3 multipart upload) is taken as abandoned and removed by reconcile",
		set: durationSetter(func(c *Config) *time.Duration { return &c.Evidence.UploadGrace })},
	{Env: "HABEAS_EVIDENCE_RESUMABLE_EXPIRY", Flag: "", Default: "24h", Help: "how long an unfinished resumable (tus) upload is kept after it was created; then reconcile removes its encrypted partial data",
		set: durationSetter(func(c *Config) *time.Duration { return &c.Evidence.ResumableExpiry })},
	{Env: "HABEAS_EVIDENCE_RETENTION", Flag: "", Default: "720h", Help: "how long a deleted evidence item's content is kept before reconcile purges it (default 30 days)",
		set: durationSetter(func(c *Config) *time.Duration { return &c.Evidence.Retention })},
	{Env: "HABEAS_PDF_FONT_DIR", Flag: "", Default: "", Help: "directory searched first for the PDF fonts (DejaVuSans.ttf or NotoSans-Regular.ttf, and DroidSansFallbackFull.ttf for Chinese); empty: the Debian font paths only",
		set: func(c *Config, v string) error { c.PDFFontDir = v; return nil }},
	{Env: "HABEAS_ORGANISATION", Flag: "", Default: "", Help: "the organisation's name, written in the metadata (author, creator) of the PDF dossiers and the editable WGAD draft in place of any person's name; empty: Habeas",
		set: func(c *Config, v string) error {
			if len(v) > 200 || strings.ContainsAny(v, "\r\n") {
				return fmt.Errorf("at most 200 characters on one line")
			}
			c.Organisation = strings.TrimSpace(v)
			return nil
		}},
	{Env: "HABEAS_NOTIFY_SCAN_INTERVAL", Flag: "", Default: "1m", Help: "how often the notification scanner looks for time limits, hearings, support actions, UN clocks, releases, new events and admin alerts that are due (one replica at a time); 0 turns notifications off",
		set: durationSetter(func(c *Config) *time.Duration { return &c.NotifyScanInterval })},
	{Env: "HABEAS_NOTIFY_LANGUAGE", Flag: "", Default: "en", Help: "language of webhook texts: en or zh-Hans (e-mails use each user's own language)",
		set: func(c *Config, v string) error {
			if v != "en" && v != "zh-Hans" {
				return fmt.Errorf("en or zh-Hans")
			}
			c.NotifyLanguage = v
			return nil
		}},
	{Env: "HABEAS_SMTP_HOST", Flag: "", Default: "", Help: "SMTP relay host name for e-mail notifications; empty: e-mail off",
		set: func(c *Config, v string) error { c.SMTP.Host = strings.TrimSpace(v); return nil }},
	{Env: "HABEAS_SMTP_PORT", Flag: "", Default: "", Help: "SMTP relay port; empty: 587 for starttls, 465 for tls, 25 for none",
		set: func(c *Config, v string) error {
			if strings.TrimSpace(v) == "" {
				c.SMTP.Port = 0
				return nil
			}
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil || n < 1 || n > 65535 {
				return fmt.Errorf("not a port number (1-65535): %q", v)
			}
			c.SMTP.Port = n
			return nil
		}},
	{Env: "HABEAS_SMTP_TLS", Flag: "", Default: "starttls", Help: "SMTP transport security: starttls (required, never plain), tls (implicit TLS, port 465) or none (only to a loopback host)",
		set: func(c *Config, v string) error { c.SMTP.TLS = strings.ToLower(strings.TrimSpace(v)); return nil }},
	{Env: "HABEAS_SMTP_USERNAME", Flag: "", Default: "", Help: "SMTP AUTH user name; empty: no authentication",
		set: func(c *Config, v string) error { c.SMTP.Username = v; return nil }},
	{Env: "HABEAS_SMTP_PASSWORD", Flag: "", Default: "", Help: "SMTP AUTH password (never logged)",
		set: func(c *Config, v string) error { c.SMTP.Password = Secret(v); return nil }},
	{Env: "HABEAS_SMTP_FROM", Flag: "", Default: "", Help: "sender address of notification e-mails, e.g. Habeas <habeas@example.org>; required with HABEAS_SMTP_HOST",
		set: func(c *Config, v string) error { c.SMTP.From = strings.TrimSpace(v); return nil }},
	{Env: "HABEAS_SMTP_CA_FILE", Flag: "", Default: "", Help: "PEM file of extra CA certificates trusted for the SMTP relay (a private relay); the system roots stay trusted",
		set: func(c *Config, v string) error { c.SMTP.CAFile = strings.TrimSpace(v); return nil }},
	{Env: "HABEAS_NOTIFY_INCLUDE_NAMES", Flag: "", Default: "false", Help: "e-mail and webhook notifications list what they are about (case titles, labels); false: counts and a link only",
		set: func(c *Config, v string) error {
			b, err := strconv.ParseBool(strings.TrimSpace(v))
			if err != nil {
				return fmt.Errorf("not a boolean (true or false): %q", v)
			}
			c.NotifyIncludeNames = b
			return nil
		}},
	{Env: "HABEAS_LOG_LEVEL", Flag: "log-level", Default: "info", Help: "log level: debug, info, warn or error",
		set: func(c *Config, v string) error { c.LogLevel = v; return nil }},
	{Env: "HABEAS_LOG_FORMAT", Flag: "", Default: "json", Help: "log format: json or text",
		set: func(c *Config, v string) error { c.LogFormat = v; return nil }},
	{Env: "HABEAS_TRUSTED_PROXIES", Flag: "", Default: "", Help: "comma-separated IPs/CIDRs of reverse proxies whose X-Forwarded-For is trusted",
		set: func(c *Config, v string) error { c.TrustedProxies = splitList(v); return nil }},
	{Env: "HABEAS_AUDIT_CHECKPOINT_KEY_FILE", Flag: "", Default: "", Help: "Ed25519 PEM key signing audit checkpoints; empty for <data dir>/audit-checkpoint-key.pem (generated 0600)",
		set: func(c *Config, v string) error { c.AuditKeyFile = v; return nil }},
	{Env: "HABEAS_AUDIT_CHECKPOINT_KEY", Flag: "", Default: "", Help: "the checkpoint key's PEM text itself (wins over the file); keep it out of the database host's disk",
		set: func(c *Config, v string) error { c.AuditKey = v; return nil }},
	{Env: "HABEAS_BACKUP_SIGNING_KEY_FILE", Flag: "", Default: "", Help: "Ed25519 PEM key signing backup manifests (restore refuses a backup it does not verify); empty for <data dir>/backup-signing-key.pem (generated 0600 by the first backup)",
		set: func(c *Config, v string) error { c.BackupKeyFile = v; return nil }},
	{Env: "HABEAS_BACKUP_SIGNING_KEY", Flag: "", Default: "", Help: "the backup signing key's PEM text itself (wins over the file)",
		set: func(c *Config, v string) error { c.BackupKey = v; return nil }},
	{Env: "HABEAS_METRICS_ADDR", Flag: "", Default: "", Help: "serve Prometheus /metrics on this separate host:port; empty: off",
		set: func(c *Config, v string) error { c.MetricsAddr = v; return nil }},
	{Env: "HABEAS_SHUTDOWN_GRACE", Flag: "", Default: "30s", Help: "how long in-flight requests may finish after SIGTERM/SIGINT",
		set: durationSetter(func(c *Config) *time.Duration { return &c.ShutdownGrace })},
	{Env: "HABEAS_INSTANCE_TIMEOUT", Flag: "", Default: "30s", Help: "how long a server may miss its heartbeat (written every 5s) before the others take it for gone and clean up its unfinished uploads at once (at least 10s)",
		set: durationSetter(func(c *Config) *time.Duration { return &c.InstanceTimeout })},
	{Env: "HABEAS_HTTP_READ_HEADER_TIMEOUT", Flag: "", Default: "10s", Help: "HTTP server read-header timeout",
		set: durationSetter(func(c *Config) *time.Duration { return &c.ReadHeaderTimeout })},
	{Env: "HABEAS_HTTP_READ_TIMEOUT", Flag: "", Default: "15m", Help: "HTTP server read timeout (whole request, uploads included)",
		set: durationSetter(func(c *Config) *time.Duration { return &c.ReadTimeout })},
	{Env: "HABEAS_HTTP_WRITE_TIMEOUT", Flag: "", Default: "15m", Help: "HTTP server write timeout (whole response, downloads included)",
		set: durationSetter(func(c *Config) *time.Duration { return &c.WriteTimeout })},
	{Env: "HABEAS_HTTP_IDLE_TIMEOUT", Flag: "", Default: "120s", Help: "HTTP server keep-alive idle timeout",
		set: durationSetter(func(c *Config) *time.Duration { return &c.IdleTimeout })},
	{Env: "HABEAS_HTTP_MAX_JSON_BODY", Flag: "", Default: "1048576", Help: "largest JSON request body in bytes (larger: 413); evidence uploads have their own limit",
		set: intSetter(func(c *Config) *int { return &c.MaxJSONBody })},
	{Env: "HABEAS_CORS_ORIGINS", Flag: "", Default: "", Help: "comma-separated origins (https://app.example.org) allowed to call the API from a browser when the SPA is served from another origin; empty: same origin only",
		set: func(c *Config, v string) error { c.CORSOrigins = splitList(v); return nil }},
	{Env: "HABEAS_PUBLIC_URL", Flag: "public-url", Default: "", Help: "external URL of this server, e.g. https://habeas.example.org; https makes auth cookies Secure behind a TLS proxy; links in notification e-mails point under it",
		set: func(c *Config, v string) error { c.PublicURL = strings.TrimRight(v, "/"); return nil }},
	{Env: "HABEAS_JWT_PRIVATE_KEY", Flag: "", Default: "", Help: "Ed25519 private key signing access tokens: PEM (PKCS#8) text or the path of a PEM file; empty: generated into <data dir>/jwt-ed25519.pem (mode 0600). Give every server process the same key",
		set: func(c *Config, v string) error { c.JWTPrivateKey = v; return nil }},
	{Env: "HABEAS_JWT_ISSUER", Flag: "", Default: "habeas", Help: "iss claim of access tokens; tokens with another issuer are refused",
		set: func(c *Config, v string) error { c.JWTIssuer = v; return nil }},
	{Env: "HABEAS_ACCESS_TOKEN_TTL", Flag: "", Default: "10m", Help: "lifetime of access tokens (at most 15m); refresh tokens renew them",
		set: durationSetter(func(c *Config) *time.Duration { return &c.AccessTokenTTL })},
	{Env: "HABEAS_SESSION_IDLE_TIMEOUT", Flag: "", Default: "12h", Help: "a session whose refresh token is unused this long ends",
		set: durationSetter(func(c *Config) *time.Duration { return &c.SessionIdleTimeout })},
	{Env: "HABEAS_SESSION_MAX_AGE", Flag: "", Default: "168h", Help: "every session ends this long after sign-in, however active",
		set: durationSetter(func(c *Config) *time.Duration { return &c.SessionMaxAge })},
	{Env: "HABEAS_MFA_REQUIRED_ROLES", Flag: "", Default: "admin,coordinator", EmptyAllowed: true, Help: "comma-separated roles that get no session without TOTP; set to empty (or none) for no role",
		set: func(c *Config, v string) error {
			c.MFARequiredRoles = nil
			if strings.TrimSpace(v) == "none" {
				return nil
			}
			c.MFARequiredRoles = splitList(v)
			return nil
		}},
	{Env: "HABEAS_PASSKEY_REQUIRED_ROLES", Flag: "", Default: "", EmptyAllowed: true, Help: "comma-separated roles that get no session without a passkey (a recovery code still works once, to register a new one); empty (or none): no role",
		set: func(c *Config, v string) error {
			c.PasskeyRequiredRoles = nil
			if strings.TrimSpace(v) == "none" {
				return nil
			}
			c.PasskeyRequiredRoles = splitList(v)
			return nil
		}},
	{Env: "HABEAS_WEBAUTHN_RP_ID", Flag: "", Default: "", Help: "passkey relying-party id: the domain passkeys are bound to (habeas.example.org, or a parent domain of it); empty: the host of HABEAS_PUBLIC_URL, else of HABEAS_ADDR, and \"localhost\" when that host is an IP address (browsers refuse passkeys on IP addresses: open http://localhost:PORT). Changing it makes existing passkeys unusable",
		set: func(c *Config, v string) error { c.WebAuthnRPID = strings.ToLower(strings.TrimSpace(v)); return nil }},
	{Env: "HABEAS_WEBAUTHN_ORIGINS", Flag: "", Default: "", Help: "comma-separated origins (https://habeas.example.org) whose passkey answers are accepted; empty: the origin of HABEAS_PUBLIC_URL, else http://<RP id>:<port of HABEAS_ADDR>",
		set: func(c *Config, v string) error { c.WebAuthnOriginList = splitList(v); return nil }},
	{Env: "HABEAS_LOGIN_MAX_FAILURES_PER_ACCOUNT_ADDRESS", Flag: "", Default: "5", Help: "failed sign-ins (password or TOTP) on one account from one client address before that address is locked for that account for a while",
		set: intSetter(func(c *Config) *int { return &c.LoginMaxFailuresPerAccountAddress })},
	{Env: "HABEAS_LOGIN_MAX_FAILURES_PER_ACCOUNT", Flag: "", Default: "100", Help: "consecutive failed sign-ins on one account from anywhere after which each further failure locks its address for that account (the account is never locked)",
		set: intSetter(func(c *Config) *int { return &c.LoginMaxFailuresPerAccount })},
	{Env: "HABEAS_LOGIN_MAX_FAILURES_PER_ADDRESS", Flag: "", Default: "20", Help: "failed sign-ins from one client address before it is locked for a while",
		set: intSetter(func(c *Config) *int { return &c.LoginMaxFailuresPerAddress })},
	{Env: "HABEAS_LOGIN_LOCKOUT", Flag: "", Default: "15m", Help: "first lockout after too many failed sign-ins; doubles with each further failure, up to 24h",
		set: durationSetter(func(c *Config) *time.Duration { return &c.LoginLockout })},
	{Env: "HABEAS_BOOTSTRAP_ADMIN_EMAIL", Flag: "", Default: "", Help: "with HABEAS_BOOTSTRAP_ADMIN_PASSWORD: the first admin, created at start when no user exists",
		set: func(c *Config, v string) error { c.BootstrapAdminEmail = strings.TrimSpace(v); return nil }},
	{Env: "HABEAS_BOOTSTRAP_ADMIN_PASSWORD", Flag: "", Default: "", Help: "password of the bootstrap admin (12 to 128 characters, not a common password)",
		set: func(c *Config, v string) error { c.BootstrapAdminPassword = v; return nil }},
}

// ParseBytes reads a size: a whole number of bytes, or one followed by
// KiB, MiB or GiB (powers of 1024), e.g. "268435456" or "256MiB".
func ParseBytes(v string) (int64, error) {
	s := strings.TrimSpace(v)
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}} {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSpace(strings.TrimSuffix(s, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 || n > (1<<62)/mult {
		return 0, fmt.Errorf("not a size (bytes, or a whole number of KiB, MiB or GiB such as 256MiB): %q", v)
	}
	return n * mult, nil
}

func intSetter(field func(c *Config) *int) func(c *Config, v string) error {
	return func(c *Config, v string) error {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			return fmt.Errorf("not a whole number: %q", v)
		}
		*field(c) = n
		return nil
	}
}

// checkOrigin accepts an origin as browsers send it: http or https, a
// host, an optional port, nothing else (no path, no wildcard).
func checkOrigin(o string) error {
	u, err := url.Parse(o)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "" ||
		u.RawQuery != "" || u.Fragment != "" || u.User != nil || strings.Contains(o, "*") || o != strings.ToLower(o) {
		return fmt.Errorf("not an origin (lower-case scheme://host[:port], no path or wildcard): %q", o)
	}
	return nil
}

func splitList(v string) []string {
	var out []string
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func durationSetter(field func(c *Config) *time.Duration) func(c *Config, v string) error {
	return func(c *Config, v string) error {
		d, err := time.ParseDuration(v)
		if err != nil {
			return fmt.Errorf("not a duration such as 30s or 2m: %q", v)
		}
		*field(c) = d
		return nil
	}
}

// Error is a configuration error; it names the offending key.
type Error struct {
	Key string
	Msg string
}

func (e *Error) Error() string { return fmt.Sprintf("configuration %s: %s", e.Key, e.Msg) }

// Load builds a Config from defaults, then env (looked up with getenv), then
// the flags already parsed into fs (only flags the user set override env).
// fs may be nil. It validates the result. With getenv an empty value means
// "unset"; LoadLookup tells the two apart.
func Load(getenv func(string) string, fs *flag.FlagSet) (*Config, error) {
	return LoadLookup(func(k string) (string, bool) {
		v := getenv(k)
		return v, v != ""
	}, fs)
}

// LoadLookup is Load with an os.LookupEnv-style lookup, so that a key marked
// EmptyAllowed can be set to the empty string on purpose.
func LoadLookup(lookup func(string) (string, bool), fs *flag.FlagSet) (*Config, error) {
	c := &Config{}
	setFlags := map[string]string{}
	if fs != nil {
		fs.Visit(func(f *flag.Flag) { setFlags[f.Name] = f.Value.String() })
	}
	for _, k := range Keys {
		v := k.Default
		if ev, ok := lookup(k.Env); ok && (ev != "" || k.EmptyAllowed) {
			v = ev
		}
		name := k.Env
		if fv, ok := setFlags[k.Flag]; ok && k.Flag != "" {
			v, name = fv, "--"+k.Flag
		}
		if err := k.set(c, v); err != nil {
			return nil, &Error{Key: name, Msg: err.Error()}
		}
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return c, nil
}

// RegisterFlags declares a flag for every key that has one, with the default
// shown in help; values are read back by Load through fs.Visit.
func RegisterFlags(fs *flag.FlagSet) {
	for _, k := range Keys {
		if k.Flag != "" {
			fs.String(k.Flag, k.Default, fmt.Sprintf("%s (env %s)", k.Help, k.Env))
		}
	}
}

// Validate checks every value and names the first offending key.
func (c *Config) Validate() error {
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		return &Error{Key: "HABEAS_ADDR", Msg: fmt.Sprintf("not a host:port address: %q", c.Addr)}
	}
	if c.MetricsAddr != "" {
		if _, _, err := net.SplitHostPort(c.MetricsAddr); err != nil {
			return &Error{Key: "HABEAS_METRICS_ADDR", Msg: fmt.Sprintf("not a host:port address: %q", c.MetricsAddr)}
		}
		if c.MetricsAddr == c.Addr {
			return &Error{Key: "HABEAS_METRICS_ADDR", Msg: "must differ from HABEAS_ADDR (metrics stay off the public listener)"}
		}
	}
	if strings.TrimSpace(c.DataDir) == "" {
		return &Error{Key: "HABEAS_DATA_DIR", Msg: "must not be empty"}
	}
	if c.JobsWorkers < 1 || c.JobsWorkers > 100 {
		return &Error{Key: "HABEAS_JOBS_WORKERS", Msg: "must be from 1 to 100"}
	}
	if c.JobsPollInterval < 100*time.Millisecond || c.JobsPollInterval > time.Minute {
		return &Error{Key: "HABEAS_JOBS_POLL_INTERVAL", Msg: "must be from 100ms to 1m"}
	}
	if c.DatabaseURL != "" && !c.IsPostgres() {
		return &Error{Key: "HABEAS_DATABASE_URL", Msg: "must start with postgres:// or postgresql:// (leave empty for SQLite)"}
	}
	for _, p := range c.TrustedProxies {
		if net.ParseIP(p) == nil {
			if _, _, err := net.ParseCIDR(p); err != nil {
				return &Error{Key: "HABEAS_TRUSTED_PROXIES", Msg: fmt.Sprintf("not an IP or CIDR: %q", p)}
			}
		}
	}
	if c.MaxJSONBody < 1024 || c.MaxJSONBody > 64<<20 {
		return &Error{Key: "HABEAS_HTTP_MAX_JSON_BODY", Msg: "must be from 1024 to 67108864 bytes"}
	}
	for _, o := range c.CORSOrigins {
		if err := checkOrigin(o); err != nil {
			return &Error{Key: "HABEAS_CORS_ORIGINS", Msg: err.Error()}
		}
	}
	if c.DBMaxConns < 1 || c.DBMaxConns > 1000 {
		return &Error{Key: "HABEAS_DB_MAX_CONNS", Msg: "must be from 1 to 1000"}
	}
	if c.DBConnectTimeout <= 0 {
		return &Error{Key: "HABEAS_DB_CONNECT_TIMEOUT", Msg: "must be positive"}
	}
	if c.DBQueryTimeout < 100*time.Millisecond {
		return &Error{Key: "HABEAS_DB_QUERY_TIMEOUT", Msg: "must be at least 100ms"}
	}
	switch c.Storage {
	case "local", "s3":
	default:
		return &Error{Key: "HABEAS_STORAGE", Msg: fmt.Sprintf("must be local or s3, not %q", c.Storage)}
	}
	if c.Storage == "s3" {
		if err := c.S3.validate(); err != nil {
			return err
		}
	}
	for _, d := range []struct {
		key      string
		v, least time.Duration
	}{
		{"HABEAS_STORAGE_CALL_TIMEOUT", c.StorageCallTimeout, time.Second},
		{"HABEAS_STORAGE_STALL_TIMEOUT", c.StorageStallTimeout, time.Second},
		{"HABEAS_S3_CONNECT_TIMEOUT", c.S3.ConnectTimeout, 100 * time.Millisecond},
	} {
		if d.v < d.least {
			return &Error{Key: d.key, Msg: fmt.Sprintf("must be at least %v, not %v", d.least, d.v)}
		}
	}
	if err := c.Evidence.validate(); err != nil {
		return err
	}
	if err := c.SMTP.validate(); err != nil {
		return err
	}
	if c.InstanceTimeout < 10*time.Second {
		return &Error{Key: "HABEAS_INSTANCE_TIMEOUT", Msg: "must be at least 10s (two heartbeats)"}
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return &Error{Key: "HABEAS_LOG_LEVEL", Msg: fmt.Sprintf("must be debug, info, warn or error, not %q", c.LogLevel)}
	}
	switch c.LogFormat {
	case "json", "text":
	default:
		return &Error{Key: "HABEAS_LOG_FORMAT", Msg: fmt.Sprintf("must be json or text, not %q", c.LogFormat)}
	}
	if err := c.validateAuth(); err != nil {
		return err
	}
	for _, d := range []struct {
		key string
		v   time.Duration
	}{
		{"HABEAS_SHUTDOWN_GRACE", c.ShutdownGrace},
		{"HABEAS_HTTP_READ_HEADER_TIMEOUT", c.ReadHeaderTimeout},
		{"HABEAS_HTTP_READ_TIMEOUT", c.ReadTimeout},
		{"HABEAS_HTTP_WRITE_TIMEOUT", c.WriteTimeout},
		{"HABEAS_HTTP_IDLE_TIMEOUT", c.IdleTimeout},
	} {
		if d.v <= 0 {
			return &Error{Key: d.key, Msg: "must be positive"}
		}
	}
	return nil
}

// S3 is the configuration of the S3-compatible storage driver.
type S3 struct {
	Endpoint  string // host:port, no scheme
	Bucket    string
	AccessKey string
	SecretKey Secret
	UseTLS    bool
	Region    string // empty: detected from the bucket
	// ConnectTimeout bounds a TCP connect and TLS handshake.
	ConnectTimeout time.Duration
}

func (s S3) validate() error {
	if s.Endpoint == "" {
		return &Error{Key: "HABEAS_S3_ENDPOINT", Msg: "required when HABEAS_STORAGE=s3 (host:port of the S3 server)"}
	}
	if strings.Contains(s.Endpoint, "://") {
		return &Error{Key: "HABEAS_S3_ENDPOINT", Msg: fmt.Sprintf("must be host:port without a scheme (use HABEAS_S3_USE_TLS for https/http), not %q", s.Endpoint)}
	}
	if host, port, err := net.SplitHostPort(s.Endpoint); err != nil || host == "" || port == "" {
		return &Error{Key: "HABEAS_S3_ENDPOINT", Msg: fmt.Sprintf("not a host:port address: %q", s.Endpoint)}
	}
	if s.Bucket == "" {
		return &Error{Key: "HABEAS_S3_BUCKET", Msg: "required when HABEAS_STORAGE=s3"}
	}
	if !bucketName.MatchString(s.Bucket) || strings.Contains(s.Bucket, "..") {
		return &Error{Key: "HABEAS_S3_BUCKET", Msg: fmt.Sprintf("not a valid bucket name (3-63 characters: a-z, 0-9, '.', '-'): %q", s.Bucket)}
	}
	if s.AccessKey == "" {
		return &Error{Key: "HABEAS_S3_ACCESS_KEY", Msg: "required when HABEAS_STORAGE=s3"}
	}
	if s.SecretKey == "" {
		return &Error{Key: "HABEAS_S3_SECRET_KEY", Msg: "required when HABEAS_STORAGE=s3"}
	}
	return nil
}

// SMTP is the configuration of e-mail notifications (internal/notify/email).
type SMTP struct {
	// Host is the relay's host name; empty: e-mail is off.
	Host string
	// Port is the relay's port; 0: the default of the TLS mode (PortOrDefault).
	Port int
	// TLS is "starttls", "tls" or "none".
	TLS      string
	Username string
	Password Secret
	// From is the sender address (RFC 5322, with or without a display name).
	From string
	// CAFile is a PEM file of extra trusted CA certificates.
	CAFile string
}

// Enabled reports whether e-mail is configured (a relay host is set).
func (s SMTP) Enabled() bool { return s.Host != "" }

// PortOrDefault is the configured port, else 587 (starttls), 465 (tls) or 25 (none).
func (s SMTP) PortOrDefault() int {
	if s.Port != 0 {
		return s.Port
	}
	switch s.TLS {
	case "tls":
		return 465
	case "none":
		return 25
	}
	return 587
}

func (s SMTP) validate() error {
	switch s.TLS {
	case "starttls", "tls", "none":
	default:
		return &Error{Key: "HABEAS_SMTP_TLS", Msg: fmt.Sprintf("must be starttls, tls or none, not %q", s.TLS)}
	}
	if s.Host == "" {
		return nil
	}
	if strings.ContainsAny(s.Host, ":/ ") && net.ParseIP(s.Host) == nil {
		return &Error{Key: "HABEAS_SMTP_HOST", Msg: fmt.Sprintf("must be a host name or IP address without scheme or port (use HABEAS_SMTP_PORT), not %q", s.Host)}
	}
	if s.TLS == "none" && !isLoopbackHost(s.Host) {
		return &Error{Key: "HABEAS_SMTP_TLS", Msg: fmt.Sprintf("none (no encryption) is only allowed to a loopback host (localhost, 127.0.0.1, ::1), not %q", s.Host)}
	}
	if s.From == "" {
		return &Error{Key: "HABEAS_SMTP_FROM", Msg: "required when HABEAS_SMTP_HOST is set (e.g. Habeas <habeas@example.org>)"}
	}
	if _, err := mail.ParseAddress(s.From); err != nil || strings.ContainsAny(s.From, "\r\n") {
		return &Error{Key: "HABEAS_SMTP_FROM", Msg: fmt.Sprintf("not an e-mail address: %q", s.From)}
	}
	if (s.Username == "") != (s.Password == "") {
		key := "HABEAS_SMTP_PASSWORD"
		if s.Username == "" {
			key = "HABEAS_SMTP_USERNAME"
		}
		return &Error{Key: key, Msg: "HABEAS_SMTP_USERNAME and HABEAS_SMTP_PASSWORD must be set together"}
	}
	return nil
}

// isLoopbackHost reports whether host is localhost or a loopback IP address.
func isLoopbackHost(host string) bool {
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(h, "[]"))
	return ip != nil && ip.IsLoopback()
}

// Evidence is the configuration of the evidence vault.
type Evidence struct {
	MaxBytes          int64
	AgeIdentityFile   string
	AgeIdentity       Secret
	RecoveryRecipient string
	ReconcileInterval time.Duration
	UploadGrace       time.Duration
	Retention         time.Duration
	// ResumableExpiry is how long an unfinished resumable upload lives.
	ResumableExpiry time.Duration
}

func (e Evidence) validate() error {
	if e.MaxBytes <= 0 {
		return &Error{Key: "HABEAS_EVIDENCE_MAX_BYTES", Msg: "must be a positive number of bytes"}
	}
	if e.RecoveryRecipient != "" && !strings.HasPrefix(e.RecoveryRecipient, "age1") {
		return &Error{Key: "HABEAS_EVIDENCE_RECOVERY_RECIPIENT", Msg: "must be an age public key (age1...), never the secret identity"}
	}
	if strings.HasPrefix(strings.ToUpper(e.RecoveryRecipient), "AGE-SECRET-KEY-") {
		return &Error{Key: "HABEAS_EVIDENCE_RECOVERY_RECIPIENT", Msg: "this is a secret key: give the public key (age1...) and keep the secret offline"}
	}
	if e.ReconcileInterval < 0 {
		return &Error{Key: "HABEAS_EVIDENCE_RECONCILE_INTERVAL", Msg: "must not be negative (0 disables)"}
	}
	if e.ResumableExpiry < time.Minute {
		return &Error{Key: "HABEAS_EVIDENCE_RESUMABLE_EXPIRY", Msg: "must be at least 1m"}
	}
	if e.UploadGrace < time.Hour {
		return &Error{Key: "HABEAS_EVIDENCE_UPLOAD_GRACE", Msg: "must be at least 1h (longer than the slowest upload)"}
	}
	if e.Retention < 0 {
		return &Error{Key: "HABEAS_EVIDENCE_RETENTION", Msg: "must not be negative"}
	}
	return nil
}

// EvidenceIdentityPath is the file of the evidence vault's age identity.
func (c *Config) EvidenceIdentityPath() string {
	if c.Evidence.AgeIdentityFile != "" {
		return c.Evidence.AgeIdentityFile
	}
	return filepath.Join(c.DataDir, "evidence-age-identity.txt")
}

var bucketName = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)

// Secret is a configuration value that must never be printed: fmt and slog
// show it as "[redacted]"; use Reveal to get the value.
type Secret string

// Reveal returns the secret value.
func (s Secret) Reveal() string { return string(s) }

// String implements fmt.Stringer.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return "[redacted]"
}

// GoString implements fmt.GoStringer (%#v).
func (s Secret) GoString() string { return `"` + s.String() + `"` }

// LogValue implements slog.LogValuer.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// MarshalText keeps the secret out of JSON and other text encodings.
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// IsPostgres reports whether the configured database is PostgreSQL.
func (c *Config) IsPostgres() bool {
	u := strings.ToLower(c.DatabaseURL)
	return strings.HasPrefix(u, "postgres://") || strings.HasPrefix(u, "postgresql://")
}

// SQLitePath is the SQLite database file used when no DatabaseURL is set.
func (c *Config) SQLitePath() string { return filepath.Join(c.DataDir, "habeas.db") }

// ObjectDir is the root directory of the local storage driver.
func (c *Config) ObjectDir() string {
	if c.StorageDir != "" {
		return c.StorageDir
	}
	return filepath.Join(c.DataDir, "objects")
}

// AuditKeyPath is the file of the checkpoint signing key.
func (c *Config) AuditKeyPath() string {
	if c.AuditKeyFile != "" {
		return c.AuditKeyFile
	}
	return filepath.Join(c.DataDir, "audit-checkpoint-key.pem")
}

// BackupKeyPath is the file of the backup signing key.
func (c *Config) BackupKeyPath() string {
	if c.BackupKeyFile != "" {
		return c.BackupKeyFile
	}
	return filepath.Join(c.DataDir, "backup-signing-key.pem")
}

// Usage writes the table of keys, for --help.
func Usage() string {
	var b strings.Builder
	b.WriteString("Environment (flags override env; env overrides defaults):\n")
	for _, k := range Keys {
		def := k.Default
		if def == "" {
			def = `""`
		}
		flagName := ""
		if k.Flag != "" {
			flagName = " (--" + k.Flag + ")"
		}
		fmt.Fprintf(&b, "  %s%s\n      %s [default %s]\n", k.Env, flagName, k.Help, def)
	}
	return b.String()
}

// Bool parses a boolean configuration value, naming key on error.
func Bool(key, v string) (bool, error) {
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, &Error{Key: key, Msg: fmt.Sprintf("not a boolean: %q", v)}
	}
	return b, nil
}

// validateAuth checks the identity and session keys.
func (c *Config) validateAuth() error {
	if c.PublicURL != "" {
		u, err := url.Parse(c.PublicURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return &Error{Key: "HABEAS_PUBLIC_URL", Msg: fmt.Sprintf("not an http(s) URL: %q", c.PublicURL)}
		}
	}
	if strings.TrimSpace(c.JWTIssuer) == "" {
		return &Error{Key: "HABEAS_JWT_ISSUER", Msg: "must not be empty"}
	}
	if c.AccessTokenTTL < 30*time.Second || c.AccessTokenTTL > 15*time.Minute {
		return &Error{Key: "HABEAS_ACCESS_TOKEN_TTL", Msg: fmt.Sprintf("must be between 30s and 15m, not %s", c.AccessTokenTTL)}
	}
	if c.SessionIdleTimeout < time.Minute {
		return &Error{Key: "HABEAS_SESSION_IDLE_TIMEOUT", Msg: "must be at least 1m"}
	}
	if c.SessionMaxAge < c.SessionIdleTimeout {
		return &Error{Key: "HABEAS_SESSION_MAX_AGE", Msg: "must be at least HABEAS_SESSION_IDLE_TIMEOUT"}
	}
	for _, r := range c.MFARequiredRoles {
		switch r {
		case "admin", "coordinator", "lawyer", "observer":
		default:
			return &Error{Key: "HABEAS_MFA_REQUIRED_ROLES", Msg: fmt.Sprintf("unknown role %q (admin, coordinator, lawyer, observer)", r)}
		}
	}
	for _, r := range c.PasskeyRequiredRoles {
		switch r {
		case "admin", "coordinator", "lawyer", "observer":
		default:
			return &Error{Key: "HABEAS_PASSKEY_REQUIRED_ROLES", Msg: fmt.Sprintf("unknown role %q (admin, coordinator, lawyer, observer)", r)}
		}
	}
	if err := c.validateWebAuthn(); err != nil {
		return err
	}
	if c.LoginMaxFailuresPerAccountAddress < 1 {
		return &Error{Key: "HABEAS_LOGIN_MAX_FAILURES_PER_ACCOUNT_ADDRESS", Msg: "must be at least 1"}
	}
	if c.LoginMaxFailuresPerAccount < 1 || c.LoginMaxFailuresPerAccount > 100 {
		return &Error{Key: "HABEAS_LOGIN_MAX_FAILURES_PER_ACCOUNT", Msg: "must be between 1 and 100 (NIST SP 800-63B)"}
	}
	if c.LoginMaxFailuresPerAddress < 1 {
		return &Error{Key: "HABEAS_LOGIN_MAX_FAILURES_PER_ADDRESS", Msg: "must be at least 1"}
	}
	if c.LoginLockout < time.Second || c.LoginLockout > 24*time.Hour {
		return &Error{Key: "HABEAS_LOGIN_LOCKOUT", Msg: "must be between 1s and 24h"}
	}
	if (c.BootstrapAdminEmail == "") != (c.BootstrapAdminPassword == "") {
		key := "HABEAS_BOOTSTRAP_ADMIN_PASSWORD"
		if c.BootstrapAdminEmail == "" {
			key = "HABEAS_BOOTSTRAP_ADMIN_EMAIL"
		}
		return &Error{Key: key, Msg: "HABEAS_BOOTSTRAP_ADMIN_EMAIL and HABEAS_BOOTSTRAP_ADMIN_PASSWORD must be set together"}
	}
	return nil
}

// SecureCookies reports whether cookies must carry the Secure attribute
// regardless of how a request arrived (the public URL is https).
func (c *Config) SecureCookies() bool {
	return strings.HasPrefix(strings.ToLower(c.PublicURL), "https://")
}

// WebAuthnRPIDOrDefault is the passkey relying-party id: HABEAS_WEBAUTHN_RP_ID
// when set, else the host of the public URL, else the host of the listen
// address; an IP address (or an empty or wildcard host) gives "localhost",
// since browsers accept no IP address as a relying-party id and treat
// http://localhost as a secure context.
func (c *Config) WebAuthnRPIDOrDefault() string {
	if c.WebAuthnRPID != "" {
		return c.WebAuthnRPID
	}
	host := ""
	if c.PublicURL != "" {
		if u, err := url.Parse(c.PublicURL); err == nil {
			host = u.Hostname()
		}
	} else if h, _, err := net.SplitHostPort(c.Addr); err == nil {
		host = h
	}
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	if host == "" || net.ParseIP(host) != nil {
		return "localhost"
	}
	return host
}

// WebAuthnOrigins are the origins whose passkey answers are accepted:
// HABEAS_WEBAUTHN_ORIGINS when set, else the origin of the public URL, else
// http://<RP id>:<port of the listen address>.
func (c *Config) WebAuthnOrigins() []string {
	if len(c.WebAuthnOriginList) > 0 {
		return c.WebAuthnOriginList
	}
	scheme, host, port := "http", "", ""
	if c.PublicURL != "" {
		if u, err := url.Parse(c.PublicURL); err == nil {
			scheme, host, port = strings.ToLower(u.Scheme), strings.ToLower(u.Hostname()), u.Port()
		}
	} else {
		host, port, _ = net.SplitHostPort(c.Addr)
	}
	if host == "" || net.ParseIP(host) != nil {
		host = c.WebAuthnRPIDOrDefault() // an IP address: the browser must use localhost
	}
	if port == "" {
		return []string{scheme + "://" + host}
	}
	return []string{scheme + "://" + net.JoinHostPort(host, port)}
}

// validateWebAuthn checks the passkey relying-party id and origins set
// explicitly: the id a domain name (no scheme, port or IP address), every
// origin an http(s) origin whose host is the id or below it (otherwise
// browsers refuse the ceremony), https unless the host is localhost.
// Derived values are not refused: they come from the public URL or the
// listen address, which are checked on their own (a plain-http public URL
// simply gets no passkeys from browsers).
func (c *Config) validateWebAuthn() error {
	rp := c.WebAuthnRPIDOrDefault()
	if c.WebAuthnRPID != "" && (net.ParseIP(rp) != nil || !rpIDPattern.MatchString(rp)) {
		return &Error{Key: "HABEAS_WEBAUTHN_RP_ID", Msg: fmt.Sprintf("must be a domain name such as habeas.example.org (no scheme, port or IP address), not %q", rp)}
	}
	for _, o := range c.WebAuthnOriginList {
		if err := checkOrigin(o); err != nil {
			return &Error{Key: "HABEAS_WEBAUTHN_ORIGINS", Msg: err.Error()}
		}
		u, _ := url.Parse(o)
		host := strings.ToLower(u.Hostname())
		if host != rp && !strings.HasSuffix(host, "."+rp) {
			return &Error{Key: "HABEAS_WEBAUTHN_ORIGINS", Msg: fmt.Sprintf("origin %q is not on the relying-party id %q or below it (set HABEAS_WEBAUTHN_RP_ID)", o, rp)}
		}
		if u.Scheme != "https" && host != "localhost" && !strings.HasSuffix(host, ".localhost") {
			return &Error{Key: "HABEAS_WEBAUTHN_ORIGINS", Msg: fmt.Sprintf("origin %q must be https (browsers allow passkeys over http only on localhost)", o)}
		}
	}
	return nil
}

var rpIDPattern = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$`)
