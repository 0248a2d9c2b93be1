package testkit

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"testing"

	"github.com/go-webauthn/webauthn/protocol/webauthncbor"
	"github.com/go-webauthn/webauthn/protocol/webauthncose"
)

// Authenticator is a software WebAuthn authenticator for tests: one ES256
// (P-256) discoverable credential, "none" attestation, user presence and
// verification always asserted unless told otherwise. It answers the
// options the server's begin calls return ({"publicKey": {...}}) with the
// PublicKeyCredential JSON a browser would send.
type Authenticator struct {
	// Origin is put in the client data (the page the browser was on).
	Origin string
	// SignCount is the counter of the next assertion minus one; a test may
	// set it back to act as a cloned authenticator. Counter false sends 0
	// always (as synced passkeys do).
	SignCount uint32
	Counter   bool
	// NoUV clears the user-verified flag (a tap without PIN or biometrics).
	NoUV bool

	key        *ecdsa.PrivateKey
	credID     []byte
	userHandle []byte
	rpID       string
}

// NewAuthenticator makes an authenticator whose answers claim origin.
func NewAuthenticator(t testing.TB, origin string) *Authenticator {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	id := make([]byte, 32)
	_, _ = rand.Read(id)
	return &Authenticator{Origin: origin, key: key, credID: id, Counter: true}
}

// CredentialID is the base64url id of the credential.
func (a *Authenticator) CredentialID() string { return b64(a.credID) }

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

type pkOptions struct {
	PublicKey struct {
		Challenge string `json:"challenge"`
		RPID      string `json:"rpId"`
		RP        struct {
			ID string `json:"id"`
		} `json:"rp"`
		User struct {
			ID string `json:"id"`
		} `json:"user"`
	} `json:"publicKey"`
}

func parseOptions(t testing.TB, options json.RawMessage) pkOptions {
	t.Helper()
	var o pkOptions
	if err := json.Unmarshal(options, &o); err != nil || o.PublicKey.Challenge == "" {
		t.Fatalf("passkey options %s: %v", options, err)
	}
	return o
}

func (a *Authenticator) clientData(typ, challenge string) []byte {
	raw, _ := json.Marshal(map[string]any{"type": typ, "challenge": challenge, "origin": a.Origin, "crossOrigin": false})
	return raw
}

func (a *Authenticator) flags(extra byte) byte {
	f := byte(0x01) | extra // UP
	if !a.NoUV {
		f |= 0x04
	}
	return f
}

func (a *Authenticator) nextCount() []byte {
	out := make([]byte, 4)
	if a.Counter {
		a.SignCount++
		binary.BigEndian.PutUint32(out, a.SignCount)
	}
	return out
}

// Create answers registration options (navigator.credentials.create).
func (a *Authenticator) Create(t testing.TB, options json.RawMessage) json.RawMessage {
	t.Helper()
	o := parseOptions(t, options)
	a.rpID = o.PublicKey.RP.ID
	handle, err := base64.RawURLEncoding.DecodeString(o.PublicKey.User.ID)
	if err != nil {
		t.Fatalf("user.id %q: %v", o.PublicKey.User.ID, err)
	}
	a.userHandle = handle
	cose := webauthncose.EC2PublicKeyData{
		PublicKeyData: webauthncose.PublicKeyData{KeyType: int64(webauthncose.EllipticKey), Algorithm: int64(webauthncose.AlgES256)},
		Curve:         1, // P-256
		XCoord:        a.key.X.FillBytes(make([]byte, 32)),
		YCoord:        a.key.Y.FillBytes(make([]byte, 32)),
	}
	pub, err := webauthncbor.Marshal(cose)
	if err != nil {
		t.Fatal(err)
	}
	rpHash := sha256.Sum256([]byte(a.rpID))
	auth := append([]byte{}, rpHash[:]...)
	auth = append(auth, a.flags(0x40)) // AT: attested credential data
	auth = append(auth, a.nextCount()...)
	auth = append(auth, make([]byte, 16)...) // AAGUID: none
	auth = binary.BigEndian.AppendUint16(auth, uint16(len(a.credID)))
	auth = append(auth, a.credID...)
	auth = append(auth, pub...)
	att, err := webauthncbor.Marshal(map[string]any{"fmt": "none", "attStmt": map[string]any{}, "authData": auth})
	if err != nil {
		t.Fatal(err)
	}
	out, _ := json.Marshal(map[string]any{
		"id": b64(a.credID), "rawId": b64(a.credID), "type": "public-key", "authenticatorAttachment": "platform",
		"clientExtensionResults": map[string]any{},
		"response": map[string]any{
			"clientDataJSON":    b64(a.clientData("webauthn.create", o.PublicKey.Challenge)),
			"attestationObject": b64(att),
			"transports":        []string{"internal"},
		},
	})
	return out
}

// Get answers sign-in options (navigator.credentials.get).
func (a *Authenticator) Get(t testing.TB, options json.RawMessage) json.RawMessage {
	t.Helper()
	o := parseOptions(t, options)
	rpID := o.PublicKey.RPID
	if rpID == "" {
		rpID = a.rpID
	}
	rpHash := sha256.Sum256([]byte(rpID))
	auth := append([]byte{}, rpHash[:]...)
	auth = append(auth, a.flags(0))
	auth = append(auth, a.nextCount()...)
	cd := a.clientData("webauthn.get", o.PublicKey.Challenge)
	cdHash := sha256.Sum256(cd)
	digest := sha256.Sum256(append(append([]byte{}, auth...), cdHash[:]...))
	sig, err := ecdsa.SignASN1(rand.Reader, a.key, digest[:])
	if err != nil {
		t.Fatal(err)
	}
	out, _ := json.Marshal(map[string]any{
		"id": b64(a.credID), "rawId": b64(a.credID), "type": "public-key", "authenticatorAttachment": "platform",
		"clientExtensionResults": map[string]any{},
		"response": map[string]any{
			"clientDataJSON":    b64(cd),
			"authenticatorData": b64(auth),
			"signature":         b64(sig),
			"userHandle":        b64(a.userHandle),
		},
	})
	return out
}
