package evidence_test

import (
	"crypto/sha256"
	"encoding/hex"
	"hash"
)

// hasher is an io.Writer computing SHA-256.
type hasher struct{ h hash.Hash }

func (w *hasher) Write(p []byte) (int, error) {
	if w.h == nil {
		w.h = sha256.New()
	}
	return w.h.Write(p)
}

func (w *hasher) hex() string {
	if w.h == nil {
		w.h = sha256.New()
	}
	return hex.EncodeToString(w.h.Sum(nil))
}
