package auth

import (
	"crypto/ed25519"
	"crypto/hkdf"
	"crypto/sha256"
	"fmt"
)

// draftKeyInfo labels the HKDF derivation of the browser's draft keys, so
// they can never equal another key derived from the same secret.
const draftKeyInfo = "habeas draft key v1\x00session "

// DraftKey returns the 256-bit AES key a browser encrypts its drafts and
// its offline queue with (issue 24): HKDF-SHA256 of the instance's signing
// key seed (the secret in the data directory, shared by every process of
// the instance) with the session id. The same session always gets the same
// key (a reload's refresh brings it back); once the session ends nothing
// hands it out again, so what the browser left behind cannot be decrypted.
func (s *Service) DraftKey(sessionID string) ([]byte, error) {
	seed := s.opts.SigningKey.Seed()
	if len(seed) != ed25519.SeedSize || sessionID == "" {
		return nil, fmt.Errorf("auth: draft key: no secret or session")
	}
	k, err := hkdf.Key(sha256.New, seed, []byte("habeas-drafts"), draftKeyInfo+sessionID, 32)
	if err != nil {
		return nil, fmt.Errorf("auth: draft key: %w", err)
	}
	return k, nil
}
