// Package evidence is Habeas's evidence vault: evidence items of a case, their
// encrypted objects in storage, their integrity and their chain of custody.
//
// This file holds the object pipeline, which knows nothing of cases: an
// upload streams the plaintext through a size limit, a SHA-256, a
// content-type sniffer and age encryption into storage under a random key,
// in constant memory; a download decrypts and re-hashes while streaming and
// fails before the last byte when the object is not the one that was stored.
package evidence

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"

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

// errStorageStopped closes the pipe when storage stopped reading it.
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

// Put encrypts r into storage under key (a NewObjectKey). Memory stays
// constant: the plaintext flows through a pipe, never held whole. A reader
// longer than the limit fails with apperr.ErrTooLarge; on any failure nothing
// is left visible under key.
func (v *Vault) Put(ctx context.Context, key string, r io.Reader) (Stored, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	lim := &limitReader{r: r, left: v.maxBytes}
	h := sha256.New()
	sn := &sniffer{}
	tee := io.TeeReader(io.TeeReader(lim, h), sn)

	pr, pw := io.Pipe()
	encErr := make(chan error, 1)
	go func() {
		err := encryptTo(pw, tee, v.keys.Recipients)
		pw.CloseWithError(err) // nil closes with EOF
		encErr <- err
	}()
	n, err := v.store.Put(ctx, key, pr, -1)
	// Unblock the encryptor if storage stopped reading early, then wait for it.
	pr.CloseWithError(errStorageStopped)
	eerr := <-encErr
	if eerr != nil && !errors.Is(eerr, errStorageStopped) {
		_ = v.store.Delete(context.WithoutCancel(ctx), key) // nothing may remain (Put refuses it already; belt and braces)
		if errors.Is(eerr, apperr.ErrTooLarge) {
			return Stored{}, apperr.New(apperr.ErrTooLarge, "evidence_too_large",
				fmt.Sprintf("the file is larger than the limit of %d bytes", v.maxBytes))
		}
		return Stored{}, fmt.Errorf("evidence: read or encrypt upload: %w", eerr)
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

func encryptTo(w io.Writer, r io.Reader, recipients []age.Recipient) error {
	ew, err := age.Encrypt(w, recipients...)
	if err != nil {
		return err
	}
	buf := make([]byte, 64<<10)
	if _, err := io.CopyBuffer(ew, r, buf); err != nil {
		return err
	}
	return ew.Close()
}

// Open returns a reader of the plaintext of the object stored under key,
// which must have the given SHA-256 (lowercase hex) and size. The reader
// decrypts and re-hashes as it streams and holds back the final chunk until
// the whole object is checked: when the object was altered, truncated or
// replaced, Read returns an error wrapping ErrIntegrity before the last byte
// has been delivered, so a caller streaming to a client can abort the
// transfer and the client never receives a complete wrong file.
func (v *Vault) Open(ctx context.Context, key, sha string, size int64) (io.ReadCloser, error) {
	want, err := hex.DecodeString(sha)
	if err != nil || len(want) != sha256.Size {
		return nil, fmt.Errorf("evidence: recorded sha256 %q is not 64 hex digits", sha)
	}
	rc, err := v.store.Open(ctx, key)
	if err != nil {
		return nil, fmt.Errorf("%w: open object: %w", ErrStorage, err)
	}
	dr, err := age.Decrypt(taggingReader{r: rc}, v.keys.Identity)
	if err != nil {
		_ = rc.Close()
		var se *storageReadError
		if errors.As(err, &se) {
			return nil, fmt.Errorf("%w: read object: %w", ErrStorage, se.err)
		}
		return nil, fmt.Errorf("%w: header: %v", ErrIntegrity, err)
	}
	return &verifyingReader{src: dr, closer: rc, h: sha256.New(), want: want, size: size,
		buf: make([]byte, 0, holdBack+readChunk)}, nil
}

// Verify reads the whole object under key and checks it decrypts to size
// bytes with the given SHA-256. It returns an error wrapping ErrIntegrity
// for a damaged object, and os.ErrNotExist (wrapped) for a missing one.
func (v *Vault) Verify(ctx context.Context, key, sha string, size int64) error {
	rc, err := v.Open(ctx, key, sha, size)
	if err != nil {
		return err
	}
	defer rc.Close()
	_, err = io.CopyBuffer(io.Discard, rc, make([]byte, 64<<10))
	return err
}

// holdBack is how many plaintext bytes the verifying reader keeps until the
// end of the object is checked (one age STREAM chunk).
const (
	holdBack  = 64 << 10
	readChunk = 64 << 10
)

type verifyingReader struct {
	src    io.Reader
	closer io.Closer
	h      hash.Hash
	want   []byte
	size   int64
	n      int64
	buf    []byte // bytes read from src, not yet delivered
	eof    bool   // src is exhausted and the whole object checked good
	err    error
}

func (v *verifyingReader) Read(p []byte) (int, error) {
	if v.err != nil {
		return 0, v.err
	}
	for !v.eof && len(v.buf) <= holdBack {
		if err := v.fill(); err != nil {
			v.err = err
			v.buf = nil
			return 0, err
		}
	}
	avail := len(v.buf)
	if !v.eof {
		avail -= holdBack
	}
	if avail == 0 && v.eof {
		return 0, io.EOF
	}
	n := copy(p, v.buf[:avail])
	v.buf = append(v.buf[:0], v.buf[n:]...)
	return n, nil
}

// fill reads the next piece of plaintext; at the end of src it checks the
// size and hash.
func (v *verifyingReader) fill() error {
	start := len(v.buf)
	m, err := v.src.Read(v.buf[start:cap(v.buf)])
	v.buf = v.buf[:start+m]
	v.h.Write(v.buf[start : start+m])
	v.n += int64(m)
	if v.n > v.size {
		return fmt.Errorf("%w: more than the recorded %d bytes", ErrIntegrity, v.size)
	}
	switch {
	case err == io.EOF:
		if v.n != v.size {
			return fmt.Errorf("%w: %d bytes, recorded %d", ErrIntegrity, v.n, v.size)
		}
		if got := v.h.Sum(nil); !equal(got, v.want) {
			return fmt.Errorf("%w: sha256 %x, recorded %x", ErrIntegrity, got, v.want)
		}
		v.eof = true
	case err != nil:
		var se *storageReadError
		if errors.As(err, &se) {
			return fmt.Errorf("%w: read object: %w", ErrStorage, se.err)
		}
		return fmt.Errorf("%w: %v", ErrIntegrity, err) // age: damaged or truncated ciphertext
	}
	return nil
}

func (v *verifyingReader) Close() error { return v.closer.Close() }

func equal(a, b []byte) bool {
	if len(a) != len(b) {
		return false
	}
	var d byte
	for i := range a {
		d |= a[i] ^ b[i]
	}
	return d == 0
}

// storageReadError marks an error of the storage read under the decryptor,
// which is an I/O failure, not evidence of tampering.
type storageReadError struct{ err error }

func (e *storageReadError) Error() string { return e.err.Error() }
func (e *storageReadError) Unwrap() error { return e.err }

// taggingReader wraps every non-EOF error of r in a storageReadError.
type taggingReader struct{ r io.Reader }

func (t taggingReader) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	if err != nil && err != io.EOF {
		err = &storageReadError{err: err}
	}
	return n, err
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
