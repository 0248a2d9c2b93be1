package config

import (
	"errors"
	"flag"
	"fmt"
	"strings"
	"testing"
	"time"
)

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDefaults(t *testing.T) {
	c, err := Load(envOf(nil), nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:8080" || c.DataDir != "./data" || c.DatabaseURL != "" || c.Storage != "local" {
		t.Fatalf("unexpected defaults %+v", c)
	}
	if c.IsPostgres() || c.SQLitePath() != "data/habeas.db" || c.ObjectDir() != "data/objects" {
		t.Fatalf("derived paths wrong: %v %s %s", c.IsPostgres(), c.SQLitePath(), c.ObjectDir())
	}
}

func TestPrecedenceFlagOverEnvOverDefault(t *testing.T) {
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	RegisterFlags(fs)
	if err := fs.Parse([]string{"--addr", "127.0.0.1:9000"}); err != nil {
		t.Fatal(err)
	}
	c, err := Load(envOf(map[string]string{"HABEAS_ADDR": "127.0.0.1:7000", "HABEAS_DATA_DIR": "/tmp/x", "HABEAS_SHUTDOWN_GRACE": "5s"}), fs)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:9000" || c.DataDir != "/tmp/x" || c.ShutdownGrace != 5*time.Second {
		t.Fatalf("precedence wrong: %+v", c)
	}
}

func TestInvalidValuesNameTheKey(t *testing.T) {
	cases := map[string]map[string]string{
		"HABEAS_ADDR":                  {"HABEAS_ADDR": "no-port"},
		"HABEAS_DATABASE_URL":          {"HABEAS_DATABASE_URL": "mysql://x"},
		"HABEAS_STORAGE":               {"HABEAS_STORAGE": "ftp"},
		"HABEAS_LOG_LEVEL":             {"HABEAS_LOG_LEVEL": "loud"},
		"HABEAS_SHUTDOWN_GRACE":        {"HABEAS_SHUTDOWN_GRACE": "soon"},
		"HABEAS_DB_CONNECT_TIMEOUT":    {"HABEAS_DB_CONNECT_TIMEOUT": "-1s"},
		"HABEAS_TRUSTED_PROXIES":       {"HABEAS_TRUSTED_PROXIES": "10.0.0.0/8, not-an-ip"},
		"HABEAS_STORAGE_CALL_TIMEOUT":  {"HABEAS_STORAGE_CALL_TIMEOUT": "0s"},
		"HABEAS_STORAGE_STALL_TIMEOUT": {"HABEAS_STORAGE_STALL_TIMEOUT": "500ms"},
		"HABEAS_S3_CONNECT_TIMEOUT":    {"HABEAS_S3_CONNECT_TIMEOUT": "-5s"},
	}
	for key, env := range cases {
		t.Run(key, func(t *testing.T) {
			_, err := Load(envOf(env), nil)
			var ce *Error
			if !errors.As(err, &ce) || ce.Key != key {
				t.Fatalf("error %v, want one naming %s", err, key)
			}
		})
	}
}

func TestUsageListsEveryKeyWithDefault(t *testing.T) {
	u := Usage()
	for _, k := range Keys {
		if !strings.Contains(u, k.Env) {
			t.Errorf("usage lacks %s", k.Env)
		}
	}
	if !strings.Contains(u, "[default 127.0.0.1:8080]") {
		t.Error("usage does not show defaults")
	}
}

func TestAuthKeys(t *testing.T) {
	c, err := Load(envOf(nil), nil)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(c.MFARequiredRoles, ",") != "admin,coordinator" || c.AccessTokenTTL != 10*time.Minute || c.JWTIssuer != "habeas" {
		t.Fatalf("auth defaults wrong: %+v", c)
	}
	// Set to empty on purpose: no role needs MFA (Load cannot tell; LoadLookup can).
	c, err = LoadLookup(func(k string) (string, bool) {
		if k == "HABEAS_MFA_REQUIRED_ROLES" {
			return "", true
		}
		return "", false
	}, nil)
	if err != nil || len(c.MFARequiredRoles) != 0 {
		t.Fatalf("empty MFA roles: %v %v", c.MFARequiredRoles, err)
	}
	c, err = Load(envOf(map[string]string{"HABEAS_MFA_REQUIRED_ROLES": "none"}), nil)
	if err != nil || len(c.MFARequiredRoles) != 0 {
		t.Fatalf("none MFA roles: %v %v", c.MFARequiredRoles, err)
	}
	// An unset variable keeps the default even for EmptyAllowed keys.
	c, _ = LoadLookup(func(string) (string, bool) { return "", false }, nil)
	if len(c.MFARequiredRoles) != 2 {
		t.Fatalf("unset MFA roles: %v", c.MFARequiredRoles)
	}
	bad := map[string]map[string]string{
		"HABEAS_ACCESS_TOKEN_TTL":               {"HABEAS_ACCESS_TOKEN_TTL": "16m"},
		"HABEAS_MFA_REQUIRED_ROLES":             {"HABEAS_MFA_REQUIRED_ROLES": "admin,root"},
		"HABEAS_PUBLIC_URL":                     {"HABEAS_PUBLIC_URL": "ftp://x"},
		"HABEAS_LOGIN_MAX_FAILURES_PER_ACCOUNT": {"HABEAS_LOGIN_MAX_FAILURES_PER_ACCOUNT": "0"},
		"HABEAS_LOGIN_MAX_FAILURES_PER_ADDRESS": {"HABEAS_LOGIN_MAX_FAILURES_PER_ADDRESS": "many"},
		"HABEAS_BOOTSTRAP_ADMIN_PASSWORD":       {"HABEAS_BOOTSTRAP_ADMIN_EMAIL": "a@b.org"},
		"HABEAS_BOOTSTRAP_ADMIN_EMAIL":          {"HABEAS_BOOTSTRAP_ADMIN_PASSWORD": "a long passphrase here"},
		"HABEAS_SESSION_MAX_AGE":                {"HABEAS_SESSION_MAX_AGE": "1h", "HABEAS_SESSION_IDLE_TIMEOUT": "2h"},
	}
	for key, env := range bad {
		_, err := Load(envOf(env), nil)
		var ce *Error
		if !errors.As(err, &ce) || ce.Key != key {
			t.Errorf("%v: error %v, want one naming %s", env, err, key)
		}
	}
	if c, _ := Load(envOf(map[string]string{"HABEAS_PUBLIC_URL": "https://h.example.org/"}), nil); !c.SecureCookies() || c.PublicURL != "https://h.example.org" {
		t.Errorf("https public URL: %+v", c)
	}
}

func TestS3KeysValidatedWhenSelected(t *testing.T) {
	full := map[string]string{
		"HABEAS_STORAGE":       "s3",
		"HABEAS_S3_ENDPOINT":   "127.0.0.1:9000",
		"HABEAS_S3_BUCKET":     "habeas-evidence",
		"HABEAS_S3_ACCESS_KEY": "AKIAEXAMPLE",
		"HABEAS_S3_SECRET_KEY": "very-secret-value",
	}
	c, err := Load(envOf(full), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !c.S3.UseTLS || c.S3.Region != "" || c.S3.SecretKey.Reveal() != "very-secret-value" {
		t.Fatalf("unexpected S3 defaults %+v", c.S3)
	}
	for _, f := range []string{"%v", "%+v", "%#v", "%s"} {
		if out := fmt.Sprintf(f, c); strings.Contains(out, "very-secret-value") {
			t.Fatalf("%s of the config shows the S3 secret: %s", f, out)
		}
	}
	cases := map[string]map[string]string{
		"HABEAS_S3_ENDPOINT":   {"HABEAS_S3_ENDPOINT": ""},
		"HABEAS_S3_BUCKET":     {"HABEAS_S3_BUCKET": ""},
		"HABEAS_S3_ACCESS_KEY": {"HABEAS_S3_ACCESS_KEY": ""},
		"HABEAS_S3_SECRET_KEY": {"HABEAS_S3_SECRET_KEY": ""},
		"HABEAS_S3_USE_TLS":    {"HABEAS_S3_USE_TLS": "perhaps"},
	}
	bad := map[string]map[string]string{
		"HABEAS_S3_ENDPOINT": {"HABEAS_S3_ENDPOINT": "https://s3.example.org"},
		"HABEAS_S3_BUCKET":   {"HABEAS_S3_BUCKET": "Bad_Bucket"},
	}
	for key, override := range cases {
		bad[key+" missing or invalid"] = override
	}
	for name, override := range bad {
		t.Run(name, func(t *testing.T) {
			env := map[string]string{}
			for k, v := range full {
				env[k] = v
			}
			for k, v := range override {
				env[k] = v
			}
			_, err := Load(envOf(env), nil)
			var ce *Error
			want := strings.Fields(name)[0]
			if !errors.As(err, &ce) || ce.Key != want {
				t.Fatalf("error %v, want one naming %s", err, want)
			}
			if strings.Contains(err.Error(), "very-secret-value") {
				t.Fatalf("error shows the secret: %v", err)
			}
		})
	}
	// Without HABEAS_STORAGE=s3 the S3 keys are not required.
	if _, err := Load(envOf(map[string]string{"HABEAS_STORAGE": "local"}), nil); err != nil {
		t.Fatal(err)
	}
}

// Passkey relying-party id and origins: derived from the public URL or the
// listen address (an IP address gives localhost, which browsers accept),
// or set; a bad explicit value names its key.
func TestWebAuthnRelyingParty(t *testing.T) {
	for _, tc := range []struct {
		env     map[string]string
		rp      string
		origins string
	}{
		{nil, "localhost", "http://localhost:8080"},
		{map[string]string{"HABEAS_ADDR": "0.0.0.0:9000"}, "localhost", "http://localhost:9000"},
		{map[string]string{"HABEAS_ADDR": "[::1]:8080"}, "localhost", "http://localhost:8080"},
		{map[string]string{"HABEAS_ADDR": "habeas.internal:8080"}, "habeas.internal", "http://habeas.internal:8080"},
		{map[string]string{"HABEAS_PUBLIC_URL": "https://Habeas.Example.org/"}, "habeas.example.org", "https://habeas.example.org"},
		{map[string]string{"HABEAS_PUBLIC_URL": "https://habeas.example.org:8443"}, "habeas.example.org", "https://habeas.example.org:8443"},
		{map[string]string{"HABEAS_PUBLIC_URL": "http://127.0.0.1:8080"}, "localhost", "http://localhost:8080"},
		{map[string]string{"HABEAS_PUBLIC_URL": "https://app.example.org", "HABEAS_WEBAUTHN_RP_ID": "example.org",
			"HABEAS_WEBAUTHN_ORIGINS": "https://app.example.org,https://example.org"}, "example.org", "https://app.example.org,https://example.org"},
	} {
		c, err := Load(envOf(tc.env), nil)
		if err != nil {
			t.Fatalf("%v: %v", tc.env, err)
		}
		if got, origins := c.WebAuthnRPIDOrDefault(), strings.Join(c.WebAuthnOrigins(), ","); got != tc.rp || origins != tc.origins {
			t.Errorf("%v: RP id %q origins %q, want %q %q", tc.env, got, origins, tc.rp, tc.origins)
		}
	}
	for key, env := range map[string]map[string]string{
		"HABEAS_WEBAUTHN_RP_ID":         {"HABEAS_WEBAUTHN_RP_ID": "https://habeas.example.org"},
		"HABEAS_WEBAUTHN_RP_ID ":        {"HABEAS_WEBAUTHN_RP_ID": "10.0.0.1"},
		"HABEAS_WEBAUTHN_ORIGINS":       {"HABEAS_WEBAUTHN_RP_ID": "example.org", "HABEAS_WEBAUTHN_ORIGINS": "https://example.net"},
		"HABEAS_WEBAUTHN_ORIGINS ":      {"HABEAS_WEBAUTHN_RP_ID": "example.org", "HABEAS_WEBAUTHN_ORIGINS": "http://app.example.org"},
		"HABEAS_WEBAUTHN_ORIGINS  ":     {"HABEAS_WEBAUTHN_ORIGINS": "https://localhost:8080/path"},
		"HABEAS_PASSKEY_REQUIRED_ROLES": {"HABEAS_PASSKEY_REQUIRED_ROLES": "admin,root"},
	} {
		_, err := Load(envOf(env), nil)
		var ce *Error
		if !errors.As(err, &ce) || ce.Key != strings.TrimSpace(key) {
			t.Errorf("%v: error %v, want one naming %s", env, err, strings.TrimSpace(key))
		}
	}
	c, err := Load(envOf(map[string]string{"HABEAS_PASSKEY_REQUIRED_ROLES": "admin, coordinator"}), nil)
	if err != nil || strings.Join(c.PasskeyRequiredRoles, ",") != "admin,coordinator" {
		t.Fatalf("passkey roles: %v %v", c.PasskeyRequiredRoles, err)
	}
	if c, _ := Load(envOf(nil), nil); len(c.PasskeyRequiredRoles) != 0 {
		t.Fatalf("passkeys required by default: %v", c.PasskeyRequiredRoles)
	}
}

// SMTP settings: off without a host; with one, the sender is required, the
// TLS mode is one of three and "none" only reaches a loopback host; the
// password never shows in a dump of the configuration.
func TestSMTPKeys(t *testing.T) {
	c, err := Load(envOf(nil), nil)
	if err != nil || c.SMTP.Enabled() || c.SMTP.TLS != "starttls" || c.NotifyIncludeNames {
		t.Fatalf("defaults: %+v %v", c.SMTP, err)
	}
	base := map[string]string{"HABEAS_SMTP_HOST": "smtp.example.org", "HABEAS_SMTP_FROM": "Habeas <habeas@example.org>",
		"HABEAS_SMTP_USERNAME": "habeas", "HABEAS_SMTP_PASSWORD": "s3cret-smtp-pass", "HABEAS_NOTIFY_INCLUDE_NAMES": "true"}
	c, err = Load(envOf(base), nil)
	if err != nil || !c.SMTP.Enabled() || c.SMTP.PortOrDefault() != 587 || !c.NotifyIncludeNames {
		t.Fatalf("configured: %+v %v", c.SMTP, err)
	}
	if dump := fmt.Sprintf("%v %+v %#v", c, c, c.SMTP); strings.Contains(dump, "s3cret-smtp-pass") {
		t.Fatalf("the SMTP password shows in a dump: %s", dump)
	}
	with := func(kv ...string) map[string]string {
		m := map[string]string{}
		for k, v := range base {
			m[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	for _, tc := range []struct {
		env  map[string]string
		port int
	}{
		{with("HABEAS_SMTP_TLS", "tls"), 465},
		{with("HABEAS_SMTP_TLS", "none", "HABEAS_SMTP_HOST", "127.0.0.1"), 25},
		{with("HABEAS_SMTP_TLS", "none", "HABEAS_SMTP_HOST", "localhost", "HABEAS_SMTP_PORT", "1025"), 1025},
	} {
		c, err := Load(envOf(tc.env), nil)
		if err != nil || c.SMTP.PortOrDefault() != tc.port {
			t.Errorf("%v: %v %v", tc.env, c, err)
		}
	}
	bad := []struct {
		key string
		env map[string]string
	}{
		{"HABEAS_SMTP_TLS", with("HABEAS_SMTP_TLS", "ssl")},
		{"HABEAS_SMTP_TLS", with("HABEAS_SMTP_TLS", "none")}, // not loopback
		{"HABEAS_SMTP_PORT", with("HABEAS_SMTP_PORT", "70000")},
		{"HABEAS_SMTP_HOST", with("HABEAS_SMTP_HOST", "smtp://smtp.example.org")},
		{"HABEAS_SMTP_FROM", with("HABEAS_SMTP_FROM", "")},
		{"HABEAS_SMTP_FROM", with("HABEAS_SMTP_FROM", "not an address")},
		{"HABEAS_SMTP_PASSWORD", with("HABEAS_SMTP_PASSWORD", "")},
		{"HABEAS_SMTP_USERNAME", with("HABEAS_SMTP_USERNAME", "")},
		{"HABEAS_NOTIFY_INCLUDE_NAMES", with("HABEAS_NOTIFY_INCLUDE_NAMES", "sometimes")},
	}
	for _, tc := range bad {
		_, err := Load(envOf(tc.env), nil)
		var ce *Error
		if !errors.As(err, &ce) || ce.Key != tc.key {
			t.Errorf("%v: error %v, want one naming %s", tc.env, err, tc.key)
		}
		if err != nil && strings.Contains(err.Error(), "s3cret-smtp-pass") {
			t.Errorf("the password shows in an error: %v", err)
		}
	}
}
