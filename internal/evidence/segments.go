package evidence

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"filippo.io/age"
	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
)

// The bytes of a resumable upload are kept, until it completes, in
// <resumable dir>/<upload id>/<n>.age: one file per request that brought
// bytes (a PATCH, or the body of the creation request), each an age file
// encrypted to the vault's recipients (the server identity, and the
// recovery recipient when configured) with a fresh file key of its own, so
// no plaintext and no key lies on disk. A segment is written to a temporary
// file (0600) in the upload's directory (0700), synced, renamed to its
// name, and only then counted in the upload's row (received, segments): the
// row is the truth, and a segment file beyond its count (a crash between
// the rename and the row's update) is overwritten by the next write.

var errOffsetMoved = apperr.New(apperr.ErrConflict, "upload_offset_mismatch",
	"another request changed this upload at the same time; ask for its offset (HEAD) and resume")

// segmentPath is the file of segment n of upload id.
func (s *Service) segmentPath(id string, n int) string {
	return filepath.Join(s.resumableDir, id, fmt.Sprintf("%06d.age", n))
}

// WriteResumable appends what r brings (at most the bytes the upload still
// lacks) to upload u as a new encrypted segment, and returns how many bytes
// were kept. A reader that fails part-way keeps what came before its error
// (tus resumes from there): the segment is closed and counted, and the
// error returned with the count.
func (s *Service) WriteResumable(ctx context.Context, p *actor.Principal, u ResumableUpload, offset int64, r io.Reader) (int64, error) {
	if offset != u.Received || u.ItemID != nil {
		return 0, errOffsetMoved
	}
	dir := filepath.Join(s.resumableDir, u.ID)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return 0, fmt.Errorf("evidence: create the directory of upload %s: %w", u.ID, err)
	}
	f, err := os.CreateTemp(dir, ".seg-*") // 0600
	if err != nil {
		return 0, fmt.Errorf("evidence: create a segment of upload %s: %w", u.ID, err)
	}
	tmp := f.Name()
	n, readErr, err := encryptSegment(f, r, u.Length-u.Received, s.vault.keys.Recipients)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && n > 0 {
		err = os.Rename(tmp, s.segmentPath(u.ID, u.Segments))
	}
	if err != nil || n == 0 {
		_ = os.Remove(tmp)
		if err != nil {
			return 0, fmt.Errorf("evidence: write a segment of upload %s: %w", u.ID, err)
		}
		return 0, readErr
	}
	err = s.Do(ctx, p, func(tx *gorm.DB) error {
		res := tx.Model(&ResumableUpload{}).Where("id = ? AND received = ? AND segments = ? AND item_id IS NULL", u.ID, u.Received, u.Segments).
			Updates(map[string]any{"received": gorm.Expr("received + ?", n), "segments": gorm.Expr("segments + 1"), "updated_at": s.Now()})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return errOffsetMoved
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return n, readErr
}

// encryptSegment encrypts at most limit bytes of r into f (age, to
// recipients) and syncs f. It returns the plaintext bytes written, r's
// error (nil at its end) and the error of the file or the cipher.
func encryptSegment(f *os.File, r io.Reader, limit int64, recipients []age.Recipient) (n int64, readErr, err error) {
	w, err := age.Encrypt(f, recipients...)
	if err != nil {
		return 0, nil, err
	}
	buf := make([]byte, 256<<10)
	src := io.LimitReader(r, limit)
	for {
		m, rerr := src.Read(buf)
		if m > 0 {
			if _, err := w.Write(buf[:m]); err != nil {
				return n, nil, err
			}
			n += int64(m)
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			readErr = rerr
			break
		}
	}
	if err := w.Close(); err != nil {
		return n, readErr, err
	}
	return n, readErr, f.Sync()
}

// segmentReader reads the plaintext of an upload's segments in order,
// decrypting one file at a time.
type segmentReader struct {
	s    *Service
	u    ResumableUpload
	next int
	f    *os.File
	r    io.Reader
}

func (s *Service) openSegments(u ResumableUpload) *segmentReader {
	return &segmentReader{s: s, u: u}
}

func (sr *segmentReader) Read(p []byte) (int, error) {
	for {
		if sr.r == nil {
			if sr.next == sr.u.Segments {
				return 0, io.EOF
			}
			f, err := os.Open(sr.s.segmentPath(sr.u.ID, sr.next))
			if err != nil {
				return 0, fmt.Errorf("%w: open segment %d of upload %s: %w", ErrIntegrity, sr.next, sr.u.ID, err)
			}
			r, err := age.Decrypt(f, sr.s.vault.keys.Identity)
			if err != nil {
				_ = f.Close()
				return 0, fmt.Errorf("%w: decrypt segment %d of upload %s: %w", ErrIntegrity, sr.next, sr.u.ID, err)
			}
			sr.f, sr.r = f, r
			sr.next++
		}
		n, err := sr.r.Read(p)
		if errors.Is(err, io.EOF) {
			_ = sr.f.Close()
			sr.f, sr.r = nil, nil
			if n > 0 {
				return n, nil
			}
			continue
		}
		if err != nil {
			_ = sr.f.Close()
			return n, fmt.Errorf("%w: segment of upload %s: %w", ErrIntegrity, sr.u.ID, err)
		}
		return n, nil
	}
}

// dropLastSegment forgets the last segment of u (after a failed
// completion): the client sends its bytes again and completes once more.
func (s *Service) dropLastSegment(ctx context.Context, u ResumableUpload) error {
	if u.Segments == 0 {
		return nil
	}
	path := s.segmentPath(u.ID, u.Segments-1)
	r, err := s.segmentLength(path)
	if err != nil {
		return err
	}
	err = s.DB.WithTx(ctx, func(tx *gorm.DB) error {
		return tx.Model(&ResumableUpload{}).Where("id = ? AND segments = ? AND item_id IS NULL", u.ID, u.Segments).
			Updates(map[string]any{"received": u.Received - r, "segments": u.Segments - 1, "updated_at": s.Now()}).Error
	})
	if err != nil {
		return fmt.Errorf("evidence: rewind upload %s: %w", u.ID, err)
	}
	return os.Remove(path)
}

// segmentLength is the plaintext length of a segment file.
func (s *Service) segmentLength(path string) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, fmt.Errorf("evidence: open segment: %w", err)
	}
	defer f.Close()
	r, err := age.Decrypt(f, s.vault.keys.Identity)
	if err != nil {
		return 0, fmt.Errorf("evidence: decrypt segment: %w", err)
	}
	n, err := io.Copy(io.Discard, r)
	if err != nil {
		return 0, fmt.Errorf("evidence: read segment: %w", err)
	}
	return n, nil
}

// removeSegments removes the directory of upload id.
func (s *Service) removeSegments(id string) {
	if !ValidUploadID(id) {
		return
	}
	if err := os.RemoveAll(filepath.Join(s.resumableDir, id)); err != nil {
		s.log.Warn("evidence: could not remove the partial data of an upload; reconcile will", "upload", id, "error", err.Error())
	}
}
