package evidence

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"sync"

	"filippo.io/age"
)

// holdBack is how many plaintext bytes a download keeps until the end of the
// object is checked (one age STREAM chunk).
const holdBack = 64 << 10

// errReaderClosed stops the stages of a download whose reader was closed.
var errReaderClosed = errors.New("evidence reader closed")

// Open returns a reader of the plaintext of the object stored under key,
// which must have the given SHA-256 (lowercase hex) and size. Two stages run
// in goroutines of their own, connected by links of fixed buffers: the
// storage read with age decryption, and the SHA-256 with the size count; the
// reader delivers what they pass on, but holds back the final holdBack bytes
// until the whole object is checked: when the object was altered, truncated
// or replaced, Read returns an error wrapping ErrIntegrity before the last
// byte has been delivered, so a caller streaming to a client can abort the
// transfer and the client never receives a complete wrong file. A storage
// failure wraps ErrStorage. Close stops the stages and waits for them; so does
// the end of ctx.
func (v *Vault) Open(ctx context.Context, key, sha string, size int64) (io.ReadCloser, error) {
	want, err := hex.DecodeString(sha)
	if err != nil || len(want) != sha256.Size {
		return nil, fmt.Errorf("evidence: recorded sha256 %q is not 64 hex digits", sha)
	}
	ctx, cancel := context.WithCancelCause(ctx)
	rc, err := v.store.Open(ctx, key)
	if err != nil {
		cancel(nil)
		return nil, fmt.Errorf("%w: open object: %w", ErrStorage, err)
	}
	dr, err := age.Decrypt(taggingReader{r: rc}, v.keys.Identity)
	if err != nil {
		cancel(nil)
		_ = rc.Close()
		var se *storageReadError
		if errors.As(err, &se) {
			return nil, fmt.Errorf("%w: read object: %w", ErrStorage, se.err)
		}
		return nil, fmt.Errorf("%w: header: %v", ErrIntegrity, err)
	}
	plain := newLink(ctx)
	checked := plain.then()
	vr := &verifyingReader{in: checked, cancel: cancel, src: rc}
	vr.wg.Go(func() { plain.fill(dr) })
	vr.wg.Go(func() { check(plain, checked, want, size) })
	return vr, nil
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
	_, err = io.Copy(io.Discard, rc)
	return err
}

// check is the verification stage of a download: it hashes and counts the
// plaintext of in as it passes it on to out, and ends out's stream with
// io.EOF only when the whole object has exactly the recorded size and
// SHA-256.
func check(in, out *link, want []byte, size int64) {
	h := sha256.New()
	var n int64
	for {
		pc := in.next()
		if pc.b == nil {
			out.send(piece{err: verdict(in.ctx, pc.err, h, n, want, size)})
			return
		}
		h.Write(pc.b)
		n += int64(len(pc.b))
		if n > size {
			in.recycle(pc.b)
			out.send(piece{err: fmt.Errorf("%w: more than the recorded %d bytes", ErrIntegrity, size)})
			return
		}
		out.send(pc)
	}
}

// verdict turns the end of a decrypted stream into the end of the checked
// one: io.EOF for a complete object of the recorded size and hash; an error
// wrapping ErrIntegrity for anything else the object did (wrong size or
// hash, ciphertext age refused); ErrStorage for a failed storage read; and
// the reason, as is, when the download was stopped (never taken for an
// integrity failure).
func verdict(ctx context.Context, end error, h hash.Hash, n int64, want []byte, size int64) error {
	var se *storageReadError
	switch {
	case end == io.EOF:
		if n != size {
			return fmt.Errorf("%w: %d bytes, recorded %d", ErrIntegrity, n, size)
		}
		if got := h.Sum(nil); !equal(got, want) {
			return fmt.Errorf("%w: sha256 %x, recorded %x", ErrIntegrity, got, want)
		}
		return io.EOF
	case errors.As(end, &se):
		return fmt.Errorf("%w: read object: %w", ErrStorage, se.err)
	case ctx.Err() != nil:
		return fmt.Errorf("evidence: download stopped: %w", end)
	default:
		return fmt.Errorf("%w: %v", ErrIntegrity, end) // age: damaged or truncated ciphertext
	}
}

// verifyingReader is the last stage of a download, run by its caller: it
// delivers the checked plaintext, keeping the last holdBack bytes received
// until the check stage has verified the whole object. Every piece but the
// last is pieceSize >= holdBack bytes, so holding back never waits for more
// than the next piece.
type verifyingReader struct {
	in      *link
	held    [][]byte // pieces received, not yet wholly delivered, oldest first
	off     int      // bytes of held[0] already delivered
	heldN   int      // bytes received, not yet delivered
	checked bool     // the whole object was verified good
	err     error

	cancel context.CancelCauseFunc
	wg     sync.WaitGroup // the stages
	src    io.Closer      // the storage reader
	once   sync.Once
	cerr   error
}

// ready returns the bytes that may be delivered now, waiting for the
// stages as needed: a prefix of the oldest piece that leaves holdBack bytes
// undelivered, all of it once the object is verified. It returns io.EOF
// after the last byte of a good object and the stages' error otherwise.
func (v *verifyingReader) ready() ([]byte, error) {
	for v.err == nil {
		if len(v.held) > 0 {
			head := v.held[0][v.off:]
			n := len(head)
			if !v.checked {
				n = min(n, v.heldN-holdBack)
			}
			if n > 0 {
				return head[:n], nil
			}
		} else if v.checked {
			return nil, io.EOF
		}
		pc := v.in.next()
		switch {
		case pc.b != nil:
			v.held = append(v.held, pc.b)
			v.heldN += len(pc.b)
		case pc.err == io.EOF:
			v.checked = true
		default:
			v.err = pc.err
			for _, b := range v.held {
				v.in.recycle(b)
			}
			v.held, v.heldN = nil, 0
		}
	}
	return nil, v.err
}

// consume marks n bytes of ready's answer delivered.
func (v *verifyingReader) consume(n int) {
	v.off += n
	v.heldN -= n
	if v.off == len(v.held[0]) {
		v.in.recycle(v.held[0])
		v.held = v.held[1:]
		v.off = 0
	}
}

func (v *verifyingReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	b, err := v.ready()
	if err != nil {
		return 0, err
	}
	n := copy(p, b)
	v.consume(n)
	return n, nil
}

// WriteTo writes the plaintext to w straight from the pipeline's buffers
// (io.Copy uses it), under the same hold-back as Read.
func (v *verifyingReader) WriteTo(w io.Writer) (int64, error) {
	var total int64
	for {
		b, err := v.ready()
		if err == io.EOF {
			return total, nil
		}
		if err != nil {
			return total, err
		}
		n, err := w.Write(b)
		total += int64(n)
		v.consume(n)
		if err == nil && n < len(b) {
			err = io.ErrShortWrite
		}
		if err != nil {
			return total, err
		}
	}
}

// Close stops the stages, waits for them and closes the storage reader.
func (v *verifyingReader) Close() error {
	v.once.Do(func() {
		v.cancel(errReaderClosed)
		v.wg.Wait()
		v.cerr = v.src.Close()
	})
	return v.cerr
}

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
