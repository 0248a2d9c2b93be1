package backup

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// copyBuf is the size of the buffer every stream goes through: memory use
// does not depend on the size of a file.
const copyBuf = 256 << 10

// Progress is reported while a backup or restore runs.
type Progress struct {
	// Phase is "database", "objects", "verify" or "keys".
	Phase string
	// Files and Bytes are done so far in this phase, of TotalFiles and
	// TotalBytes (0 when unknown).
	Files, TotalFiles int64
	Bytes, TotalBytes int64
}

// progressEvery is how many bytes of one file pass between progress reports.
const progressEvery = 32 << 20

// meter counts bytes through a copy and reports progress now and then.
type meter struct {
	p      Progress
	fn     func(Progress)
	report int64
}

func (m *meter) add(n int64) {
	m.p.Bytes += n
	m.report += n
	if m.report >= progressEvery {
		m.report = 0
		m.emit()
	}
}

func (m *meter) fileDone() {
	m.p.Files++
	m.emit()
}

func (m *meter) emit() {
	if m.fn != nil {
		m.fn(m.p)
	}
}

// meterWriter feeds a meter.
type meterWriter struct{ m *meter }

func (w meterWriter) Write(p []byte) (int, error) {
	w.m.add(int64(len(p)))
	return len(p), nil
}

// ctxReader stops a copy when ctx ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// writeFile streams r into a new file at dir/rel (mode 0600, parents 0700),
// syncs it and returns its size and SHA-256.
func writeFile(ctx context.Context, dir, rel string, r io.Reader, m *meter) (int64, string, error) {
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return 0, "", fmt.Errorf("create folder for %s: %w", rel, err)
	}
	f, err := os.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return 0, "", fmt.Errorf("create %s: %w", rel, err)
	}
	h := sha256.New()
	var w io.Writer = io.MultiWriter(f, h)
	if m != nil {
		w = io.MultiWriter(f, h, meterWriter{m})
	}
	n, err := io.CopyBuffer(w, ctxReader{ctx: ctx, r: r}, make([]byte, copyBuf))
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return n, "", fmt.Errorf("write %s: %w", rel, err)
	}
	return n, hex.EncodeToString(h.Sum(nil)), nil
}

// hashFile returns the size and SHA-256 of the file at p, streamed.
func hashFile(ctx context.Context, p string, m *meter) (int64, string, error) {
	f, err := os.Open(p)
	if err != nil {
		return 0, "", err
	}
	defer f.Close()
	h := sha256.New()
	var w io.Writer = h
	if m != nil {
		w = io.MultiWriter(h, meterWriter{m})
	}
	n, err := io.CopyBuffer(w, ctxReader{ctx: ctx, r: f}, make([]byte, copyBuf))
	if err != nil {
		return n, "", err
	}
	return n, hex.EncodeToString(h.Sum(nil)), nil
}

// syncDir fsyncs a directory so that the entries just created or renamed
// in it survive a crash.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }

// meterReader feeds a meter as it is read.
type meterReader struct {
	r io.Reader
	m *meter
}

func (r *meterReader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	r.m.add(int64(n))
	return n, err
}

// hashRootFile is hashFile for a file inside root (no escaping it by
// symbolic links or "..").
func hashRootFile(ctx context.Context, root *os.Root, rel string, m *meter) (int64, string, error) {
	f, err := root.Open(filepath.FromSlash(rel))
	if err != nil {
		return 0, "", err
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil {
		return 0, "", err
	} else if !fi.Mode().IsRegular() {
		return 0, "", errors.New("not a regular file")
	}
	h := sha256.New()
	n, err := io.CopyBuffer(io.MultiWriter(h, meterWriter{m}), ctxReader{ctx: ctx, r: f}, make([]byte, copyBuf))
	if err != nil {
		return n, "", err
	}
	return n, hex.EncodeToString(h.Sum(nil)), nil
}

func joinLines(l []string) string { return strings.Join(l, "\n  ") }
