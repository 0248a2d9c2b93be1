package audit

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
)

// Checkpoint is a signed statement of the chain head at a moment. Kept off
// the host (printed, mailed, stored by a partner), it lets verification catch
// a chain that was rewritten consistently from the start.
type Checkpoint struct {
	Seq       int64  `json:"seq"`
	Hash      string `json:"hash"`
	At        string `json:"at"`
	KeyID     string `json:"key_id"`
	Signature string `json:"signature"`
}

func (c Checkpoint) payload() []byte {
	return []byte("habeas-audit-checkpoint-v1\n" + strconv.FormatInt(c.Seq, 10) + "\n" + c.Hash + "\n" + c.At + "\n")
}

// KeyID names a public key: the first 16 hex digits of its SHA-256.
func KeyID(pub ed25519.PublicKey) string {
	s := sha256.Sum256(pub)
	return hex.EncodeToString(s[:8])
}

// Checkpoint signs the current head with key.
func (l *Log) Checkpoint(ctx context.Context, key ed25519.PrivateKey) (Checkpoint, error) {
	seq, hash, err := l.Head(ctx)
	if err != nil {
		return Checkpoint{}, err
	}
	cp := Checkpoint{Seq: seq, Hash: hash, At: FormatTime(l.now()), KeyID: KeyID(key.Public().(ed25519.PublicKey))}
	cp.Signature = base64.StdEncoding.EncodeToString(ed25519.Sign(key, cp.payload()))
	return cp, nil
}

// ErrBadCheckpoint is returned for a checkpoint whose signature or key does not verify.
var ErrBadCheckpoint = errors.New("audit checkpoint signature invalid")

// Check verifies the checkpoint's signature with pub.
func (c Checkpoint) Check(pub ed25519.PublicKey) error {
	if c.KeyID != KeyID(pub) {
		return fmt.Errorf("%w: signed by key %s, expected key %s", ErrBadCheckpoint, c.KeyID, KeyID(pub))
	}
	sig, err := base64.StdEncoding.DecodeString(c.Signature)
	if err != nil || !ed25519.Verify(pub, c.payload(), sig) {
		return ErrBadCheckpoint
	}
	return nil
}

// LoadOrCreateKey reads an Ed25519 private key (PKCS#8 PEM) from path,
// generating one with mode 0600 when the file does not exist (the
// checkpoint key, and the backup signing key of package backup).
func LoadOrCreateKey(path string) (ed25519.PrivateKey, error) {
	raw, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		_, priv, gerr := ed25519.GenerateKey(rand.Reader)
		if gerr != nil {
			return nil, fmt.Errorf("generate key: %w", gerr)
		}
		der, merr := x509.MarshalPKCS8PrivateKey(priv)
		if merr != nil {
			return nil, fmt.Errorf("encode key: %w", merr)
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, fmt.Errorf("key dir: %w", err)
		}
		f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if err != nil {
			return nil, fmt.Errorf("create key %s: %w", path, err)
		}
		defer f.Close()
		if err := pem.Encode(f, &pem.Block{Type: "PRIVATE KEY", Bytes: der}); err != nil {
			return nil, fmt.Errorf("write key %s: %w", path, err)
		}
		return priv, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read key %s: %w", path, err)
	}
	k, err := ParseKey(raw)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return k, nil
}

// ParseKey parses a PKCS#8 PEM Ed25519 private key.
func ParseKey(raw []byte) (ed25519.PrivateKey, error) {
	block, _ := pem.Decode(raw)
	if block == nil {
		return nil, errors.New("key: not PEM")
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("key: %w", err)
	}
	priv, ok := k.(ed25519.PrivateKey)
	if !ok {
		return nil, errors.New("key: not an Ed25519 key")
	}
	return priv, nil
}
