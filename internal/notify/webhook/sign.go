// Package webhook delivers notification events to an organisation's own
// alerting over HTTPS, signed in the Standard Webhooks style
// (https://www.standardwebhooks.com/): headers webhook-id, webhook-timestamp
// and webhook-signature "v1,<base64 HMAC-SHA256(key, id.timestamp.body)>".
// It also holds the Verifier a receiver (and the tests) use to check a
// delivery: signature, timestamp tolerance and replay refusal. See
// docs/notifications.md#webhooks.
package webhook

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// The headers of a delivery.
const (
	HeaderID        = "webhook-id"
	HeaderTimestamp = "webhook-timestamp"
	HeaderSignature = "webhook-signature"
)

// SecretFileName is the file, in the data dir, of the generated secret.
const SecretFileName = "webhook-secret"

// secretPrefix marks a base64 secret (the Standard Webhooks convention).
const secretPrefix = "whsec_"

// Sign returns the webhook-signature header value of a delivery: "v1," and
// the base64 HMAC-SHA256 under key of id + "." + unix seconds + "." + body.
func Sign(key []byte, id string, ts time.Time, body []byte) string {
	return "v1," + base64.StdEncoding.EncodeToString(mac(key, id, ts.Unix(), body))
}

func mac(key []byte, id string, unix int64, body []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(id))
	m.Write([]byte{'.'})
	m.Write([]byte(strconv.FormatInt(unix, 10)))
	m.Write([]byte{'.'})
	m.Write(body)
	return m.Sum(nil)
}

// ParseSecret turns a configured secret into the HMAC key: the bytes after
// "whsec_" base64-decoded (Standard Webhooks), else the text's own bytes.
func ParseSecret(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if rest, ok := strings.CutPrefix(s, secretPrefix); ok {
		b, err := base64.StdEncoding.DecodeString(rest)
		if err != nil {
			return nil, errors.New("webhook secret: whsec_ is not followed by base64")
		}
		if len(b) < 16 {
			return nil, errors.New("webhook secret: shorter than 16 bytes")
		}
		return b, nil
	}
	if len(s) < 24 {
		return nil, errors.New("webhook secret: shorter than 24 characters")
	}
	return []byte(s), nil
}

// LoadSecret returns the HMAC key: the configured secret when given, else
// the one in dataDir/webhook-secret, generated there (32 random bytes,
// written as whsec_<base64>, mode 0600) when absent, the way the other
// generated keys are (auth.LoadSigningKey). created reports a new file;
// path is the file used ("" for a given secret). A file others may read is
// refused. Neither the key nor the secret text is ever in an error.
func LoadSecret(given, dataDir string) (key []byte, path string, created bool, err error) {
	if strings.TrimSpace(given) != "" {
		key, err = ParseSecret(given)
		return key, "", false, err
	}
	path = filepath.Join(dataDir, SecretFileName)
	key, err = readSecretFile(path)
	if err == nil {
		return key, path, false, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, path, false, err
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return nil, path, false, fmt.Errorf("generate webhook secret: %w", err)
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, path, false, fmt.Errorf("webhook secret dir: %w", err)
	}
	// O_EXCL: when two processes share the data dir, one creates the
	// secret and the other reads it.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		key, err = readSecretFile(path)
		return key, path, false, err
	}
	if err != nil {
		return nil, path, false, fmt.Errorf("create webhook secret %s: %w", path, err)
	}
	_, werr := f.WriteString(secretPrefix + base64.StdEncoding.EncodeToString(raw) + "\n")
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		_ = os.Remove(path)
		return nil, path, false, fmt.Errorf("write webhook secret %s: %w", path, werr)
	}
	return raw, path, true, nil
}

func readSecretFile(path string) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if st.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("webhook secret %s is readable by others (mode %o): chmod 600 it", path, st.Mode().Perm())
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read webhook secret %s: %w", path, err)
	}
	key, err := ParseSecret(string(b))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return key, nil
}
