package evidence

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"filippo.io/age"
)

// Keys are the age keys of the vault: the server's X25519 identity, which
// decrypts every object, and the recipients every object is encrypted to
// (the identity's own recipient plus an optional offline recovery recipient
// whose private half never touches the server).
type Keys struct {
	Identity   *age.X25519Identity
	Recipients []age.Recipient
}

// KeyOptions says where the keys come from.
type KeyOptions struct {
	// Identity is the identity text itself ("AGE-SECRET-KEY-1..."); it wins over IdentityFile.
	Identity string
	// IdentityFile is an age identity file, generated (mode 0600) when absent.
	IdentityFile string
	// Recovery is an optional age X25519 recipient ("age1...").
	Recovery string
}

// LoadKeys loads (or, for a missing identity file, generates) the vault keys.
// Errors name the configuration key at fault but never include a secret.
func LoadKeys(o KeyOptions) (*Keys, error) {
	var (
		id  *age.X25519Identity
		err error
	)
	switch {
	case strings.TrimSpace(o.Identity) != "":
		id, err = parseIdentity(o.Identity)
		if err != nil {
			return nil, fmt.Errorf("HABEAS_EVIDENCE_AGE_IDENTITY: %w", err)
		}
	case o.IdentityFile != "":
		id, err = loadOrCreateIdentity(o.IdentityFile)
		if err != nil {
			return nil, fmt.Errorf("HABEAS_EVIDENCE_AGE_IDENTITY_FILE: %w", err)
		}
	default:
		return nil, errors.New("evidence keys: no age identity configured (HABEAS_EVIDENCE_AGE_IDENTITY or HABEAS_EVIDENCE_AGE_IDENTITY_FILE)")
	}
	k := &Keys{Identity: id, Recipients: []age.Recipient{id.Recipient()}}
	if r := strings.TrimSpace(o.Recovery); r != "" {
		rec, err := age.ParseX25519Recipient(r)
		if err != nil {
			return nil, fmt.Errorf("HABEAS_EVIDENCE_RECOVERY_RECIPIENT: not an age X25519 recipient (age1...): %w", err)
		}
		if rec.String() == id.Recipient().String() {
			return nil, errors.New("HABEAS_EVIDENCE_RECOVERY_RECIPIENT: is the server's own recipient; use the public key of an offline recovery identity")
		}
		k.Recipients = append(k.Recipients, rec)
	}
	return k, nil
}

// parseIdentity reads the first X25519 identity of an age identity text
// (comments and blank lines allowed).
func parseIdentity(text string) (*age.X25519Identity, error) {
	ids, err := age.ParseIdentities(strings.NewReader(text))
	if err != nil {
		return nil, errors.New("not an age identity file (AGE-SECRET-KEY-1...)") // the parse error may quote the secret
	}
	for _, i := range ids {
		if x, ok := i.(*age.X25519Identity); ok {
			return x, nil
		}
	}
	return nil, errors.New("no X25519 identity (AGE-SECRET-KEY-1...) found")
}

// loadOrCreateIdentity reads path, or generates a new identity into it
// (mode 0600, created exclusively so two starting processes cannot race).
func loadOrCreateIdentity(path string) (*age.X25519Identity, error) {
	raw, err := os.ReadFile(path)
	if err == nil {
		if fi, serr := os.Stat(path); serr == nil && fi.Mode().Perm()&0o077 != 0 {
			return nil, fmt.Errorf("%s is readable by group or others (mode %v); chmod 600 it", path, fi.Mode().Perm())
		}
		return parseIdentity(string(raw))
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	id, err := age.GenerateX25519Identity()
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "# Habeas evidence vault identity: decrypts every evidence object.\n")
	fmt.Fprintf(&b, "# public key: %s\n", id.Recipient())
	fmt.Fprintf(&b, "%s\n", id)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	// Written to a temporary file, then linked into place: the key appears
	// complete or not at all, and a concurrent start keeps the first key.
	tmp, err := os.CreateTemp(filepath.Dir(path), ".age-identity-*")
	if err != nil {
		return nil, fmt.Errorf("create key in %s: %w", filepath.Dir(path), err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		_ = tmp.Close()
		return nil, err
	}
	if _, err := tmp.Write(b.Bytes()); err != nil {
		_ = tmp.Close()
		return nil, fmt.Errorf("write key: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		_ = tmp.Close()
		return nil, err
	}
	if err := tmp.Close(); err != nil {
		return nil, err
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return loadOrCreateIdentity(path)
		}
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	return id, nil
}
