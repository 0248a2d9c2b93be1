// Package evidence is Habeas's evidence vault: evidence items of a case, their
// encrypted objects in storage, their integrity and their chain of custody.
//
// This file holds the vault and its upload, which know nothing of cases: an
// upload streams the plaintext through a size limit, a SHA-256, a
// content-type sniffer and age encryption into storage under a random key,
// in constant memory. read.go holds the download, which decrypts and
// re-hashes while streaming and fails before the last byte when the object
// is not the one that was stored; pipeline.go the links that let these
// stages run on several cores at once.
package evidence

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"sync"

	"filippo.io/age"
	"github.com/gabriel-vasile/mimetype"

	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/storage"
)

// DefaultMaxBytes is the default largest evidence file: 2 GiB.
const DefaultMaxBytes int64 = 2 << 30

// ObjectPrefix is the storage key prefix of every evidence object.
const ObjectPrefix = "evidence/"

// ErrIntegrity reports an object that does not decrypt, or whose plaintext
// does not have the recorded SHA-256 or size: it was altered, truncated or
// replaced in storage.
var ErrIntegrity = errors.New("evidence object failed its integrity check")

// ErrStorage wraps a failure of the object storage itself (as opposed to the
// upload's reader or the integrity of an object).
var ErrStorage = errors.New("evidence storage failed")

// errStorageStopped stops the stages of a Put once its storage write has
// returned (early, when storage gave up before the end of the stream).
var errStorageStopped = errors.New("storage stopped reading")

// Vault stores and reads encrypted evidence objects.
type Vault struct {
	store    storage.Storage
	keys     *Keys
	maxBytes int64
}

// NewVault returns a vault over store; maxBytes <= 0 means DefaultMaxBytes.
func NewVault(store storage.Storage, keys *Keys, maxBytes int64) *Vault {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	return &Vault{store: store, keys: keys, maxBytes: maxBytes}
}

// Storage returns the vault's object storage.
func (v *Vault) Storage() storage.Storage { return v.store }

// MaxBytes is the largest plaintext the vault accepts.
func (v *Vault) MaxBytes() int64 { return v.maxBytes }

// Stored describes an object written by Put.
type Stored struct {
	Key         string // random storage key under ObjectPrefix
	Size        int64  // plaintext bytes
	SHA256      string // lowercase hex SHA-256 of the plaintext
	Detected    string // content type sniffed from the first bytes
	StoredBytes int64  // ciphertext bytes in storage
}

// NewObjectKey returns a fresh random storage key (128 random bits, never
// derived from anything a user supplied).
func NewObjectKey() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	h := hex.EncodeToString(b[:])
	return ObjectPrefix + h[:2] + "/" + h
}

// sniffBytes is how many leading bytes the content-type detection sees.
const sniffBytes = 3072

// Put encrypts r into storage under key (a NewObjectKey). Three stages run
// at once, connected by links of fixed buffers (pipeline.go), so memory
// stays constant whatever the size: reading r through the size limit, the
// SHA-256 and the type sniffer; age encryption; and the storage write (in
// the caller's goroutine). A reader longer than the limit fails with
// apperr.ErrTooLarge. A failure of any stage stops the others and is
// returned, and nothing is left visible under key; Put returns only once
// every stage has stopped.
func (v *Vault) Put(ctx context.Context, key string, r io.Reader) (Stored, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	lim := &limitReader{r: r, left: v.maxBytes}
	h := sha256.New()
	sn := &sniffer{}
	plain, cipher := newLink(ctx), newLink(ctx)
	var encErr error
	var wg sync.WaitGroup
	wg.Go(func() { plain.fill(io.TeeReader(lim, io.MultiWriter(h, sn))) })
	wg.Go(func() {
		w := &linkWriter{l: cipher}
		encErr = encrypt(w, plain, v.keys.Recipients)
		w.close(encErr)
	})
	n, err := v.store.Put(ctx, key, &linkReader{l: cipher}, -1)
	cancel(errStorageStopped) // stops the stages when storage gave up before the end
	wg.Wait()
	if encErr != nil && !errors.Is(encErr, errStorageStopped) {
		_ = v.store.Delete(context.WithoutCancel(ctx), key) // nothing may remain (Put refuses it already; belt and braces)
		if errors.Is(encErr, apperr.ErrTooLarge) {
			return Stored{}, apperr.New(apperr.ErrTooLarge, "evidence_too_large",
				fmt.Sprintf("the file is larger than the limit of %d bytes", v.maxBytes))
		}
		return Stored{}, fmt.Errorf("evidence: read or encrypt upload: %w", encErr)
	}
	if err != nil {
		_ = v.store.Delete(context.WithoutCancel(ctx), key)
		return Stored{}, fmt.Errorf("%w: store object: %w", ErrStorage, err)
	}
	return Stored{
		Key:         key,
		Size:        lim.n,
		SHA256:      hex.EncodeToString(h.Sum(nil)),
		Detected:    mimetype.Detect(sn.buf).String(),
		StoredBytes: n,
	}, nil
}

// encrypt is the cipher stage of Put: it encrypts the stream of in to the
// recipients into w, and returns the stream's error or the cipher's.
func encrypt(w io.Writer, in *link, recipients []age.Recipient) error {
	ew, err := age.Encrypt(w, recipients...)
	if err != nil {
		return err
	}
	for {
		pc := in.next()
		if pc.b == nil {
			if pc.err != io.EOF {
				return pc.err
			}
			return ew.Close()
		}
		_, err := ew.Write(pc.b)
		in.recycle(pc.b)
		if err != nil {
			return err
		}
	}
}

// limitReader fails with apperr.ErrTooLarge once more than left bytes come.
type limitReader struct {
	r    io.Reader
	left int64
	n    int64
}

func (l *limitReader) Read(p []byte) (int, error) {
	if int64(len(p)) > l.left+1 {
		p = p[:l.left+1]
	}
	n, err := l.r.Read(p)
	if int64(n) > l.left {
		return 0, apperr.ErrTooLarge
	}
	l.left -= int64(n)
	l.n += int64(n)
	return n, err
}

// sniffer keeps the first sniffBytes bytes written to it.
type sniffer struct{ buf []byte }

func (s *sniffer) Write(p []byte) (int, error) {
	if room := sniffBytes - len(s.buf); room > 0 {
		s.buf = append(s.buf, p[:min(room, len(p))]...)
	}
	return len(p), nil
}
