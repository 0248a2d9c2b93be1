package backup

import (
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/habeas-org/habeas/internal/audit"
)

// SignatureName is the file, next to the manifest, that holds the
// manifest's signature.
const SignatureName = "manifest.json.sig"

// SignatureFormat identifies the layout of the signature file.
const SignatureFormat = "habeas-backup-signature/1"

// Signature is the content of the signature file: an Ed25519 signature of
// the manifest file's exact bytes, by the backup signing key.
type Signature struct {
	Format string `json:"format"`
	// KeyID names the public key (audit.KeyID: the first 16 hex digits of
	// its SHA-256).
	KeyID     string `json:"key_id"`
	Signature string `json:"signature"`
}

// ErrSignature is returned (wrapped) when a backup's manifest is unsigned,
// signed by another key, or altered since it was signed.
var ErrSignature = errors.New("the backup manifest's signature does not verify")

// signedPayload is what is signed: a domain prefix (a signature made for
// something else, an audit checkpoint, never passes) and the manifest bytes.
func signedPayload(manifest []byte) []byte {
	return append([]byte("habeas-backup-manifest-v1\n"), manifest...)
}

// signManifest returns the signature file's content for the manifest bytes.
func signManifest(key ed25519.PrivateKey, manifest []byte) ([]byte, error) {
	s := Signature{Format: SignatureFormat, KeyID: audit.KeyID(key.Public().(ed25519.PublicKey)),
		Signature: base64.StdEncoding.EncodeToString(ed25519.Sign(key, signedPayload(manifest)))}
	raw, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode manifest signature: %w", err)
	}
	return append(raw, '\n'), nil
}

// VerifyManifest reads the manifest of the backup in dir, verifies its
// signature with pub, and only then parses and checks it: the manifest
// returned is the one that was signed (read once, so it cannot change
// between the check and its use).
func VerifyManifest(dir string, pub ed25519.PublicKey) (*Manifest, error) {
	if len(pub) != ed25519.PublicKeySize {
		return nil, errors.New("no backup signing key: install the key of the instance that made the backup (docs/operations.md)")
	}
	raw, err := readManifestBytes(dir)
	if err != nil {
		return nil, err
	}
	sigRaw, err := os.ReadFile(filepath.Join(dir, SignatureName))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s has no %s (unsigned)", ErrSignature, dir, SignatureName)
	}
	if err != nil {
		return nil, fmt.Errorf("read manifest signature: %w", err)
	}
	var s Signature
	if err := json.Unmarshal(sigRaw, &s); err != nil || s.Format != SignatureFormat {
		return nil, fmt.Errorf("%w: %s is not a %s file", ErrSignature, SignatureName, SignatureFormat)
	}
	if want := audit.KeyID(pub); s.KeyID != want {
		return nil, fmt.Errorf("%w: signed by key %s, the installed backup signing key is %s", ErrSignature, s.KeyID, want)
	}
	sig, err := base64.StdEncoding.DecodeString(s.Signature)
	if err != nil || !ed25519.Verify(pub, signedPayload(raw), sig) {
		return nil, fmt.Errorf("%w: the manifest was altered after it was signed; nothing was restored", ErrSignature)
	}
	return parseManifest(dir, raw)
}
