package auth

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// KeyFileName is the file, in the data dir, of the generated signing key.
const KeyFileName = "jwt-ed25519.pem"

// LoadSigningKey returns the Ed25519 key that signs access tokens: the one
// given (PEM text or the path of a PEM file) or else the one in dataDir,
// generated there with mode 0600 on first use. A key file that others can
// read is refused.
func LoadSigningKey(given, dataDir string) (ed25519.PrivateKey, error) {
	if strings.TrimSpace(given) != "" {
		raw := []byte(given)
		if !strings.Contains(given, "-----BEGIN") {
			b, err := readPrivateFile(given)
			if err != nil {
				return nil, err
			}
			raw = b
		}
		return parsePrivateKey(raw)
	}
	path := filepath.Join(dataDir, KeyFileName)
	b, err := readPrivateFile(path)
	if err == nil {
		return parsePrivateKey(b)
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, err
	}
	// O_EXCL: when two processes share the data dir, one creates the key and
	// the other reads it.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return LoadSigningKey("", dataDir)
	}
	if err != nil {
		return nil, fmt.Errorf("create signing key %s: %w", path, err)
	}
	werr := pem.Encode(f, &pem.Block{Type: "PRIVATE KEY", Bytes: der})
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		_ = os.Remove(path)
		return nil, fmt.Errorf("write signing key %s: %w", path, werr)
	}
	return priv, nil
}

func readPrivateFile(path string) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if st.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("signing key %s is readable by others (mode %o): chmod 600 it", path, st.Mode().Perm())
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read signing key %s: %w", path, err)
	}
	return b, nil
}

func parsePrivateKey(raw []byte) (ed25519.PrivateKey, error) {
	block, _ := pem.Decode(raw)
	if block == nil || block.Type != "PRIVATE KEY" {
		return nil, errors.New("signing key: not a PEM PRIVATE KEY (PKCS#8) block")
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("signing key: %w", err)
	}
	priv, ok := k.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("signing key: %T, want an Ed25519 key", k)
	}
	return priv, nil
}

// KeyID is the RFC 7638 JWK thumbprint of an Ed25519 public key, the kid of
// the tokens it signs: derived from the key, so a new key gets a new id.
func KeyID(pub ed25519.PublicKey) string {
	x := base64.RawURLEncoding.EncodeToString(pub)
	sum := sha256.Sum256([]byte(`{"crv":"Ed25519","kty":"OKP","x":"` + x + `"}`))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// EncodePrivateKeyPEM returns key as PEM PKCS#8 (for HABEAS_JWT_PRIVATE_KEY).
func EncodePrivateKeyPEM(key ed25519.PrivateKey) (string, error) {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return "", err
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})), nil
}
