package storage

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/habeas-org/habeas/internal/diskspace"
)

// Local stores objects as files under a root directory. Writes go to a
// temporary file in the same directory, are synced, then renamed into place.
// While a file is written, the kernel is asked to start writing it to disk
// every few MiB (writeBehind), so the disk works while the object is still
// being produced and the final fsync has little left to do.
type Local struct {
	root  *os.Root
	dir   string
	owner string // instance id in temporary file names (SetOwner)
}

// NewLocal opens (creating when needed, mode 0700) the root directory.
func NewLocal(dir string) (*Local, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("local storage: create %s: %w", dir, err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("local storage: open %s: %w", dir, err)
	}
	return &Local{root: root, dir: dir}, nil
}

// Name implements Storage.
func (l *Local) Name() string { return "local" }

const tmpPrefix = ".tmp-"

// Put implements Storage.
func (l *Local) Put(ctx context.Context, key string, r io.Reader, size int64) (int64, error) {
	if err := CheckKey(key); err != nil {
		return 0, err
	}
	dir := filepath.Dir(filepath.FromSlash(key))
	if err := l.root.MkdirAll(dir, 0o700); err != nil {
		return 0, fmt.Errorf("local storage: mkdir for %s: %w", key, diskspace.Classify(err))
	}
	var rnd [8]byte
	_, _ = rand.Read(rnd[:])
	tmp := filepath.Join(dir, l.tempName(hex.EncodeToString(rnd[:])))
	f, err := l.root.OpenFile(tmp, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return 0, fmt.Errorf("local storage: create temp for %s: %w", key, diskspace.Classify(err))
	}
	ok := false
	defer func() {
		if !ok {
			_ = f.Close()
			_ = l.root.Remove(tmp)
		}
	}()
	n, err := io.CopyBuffer(&writeBehind{f: f}, ctxReader{ctx: ctx, r: r}, make([]byte, copyBufSize))
	if err != nil {
		return n, fmt.Errorf("local storage: write %s: %w", key, diskspace.Classify(err))
	}
	if size >= 0 && n != size {
		return n, fmt.Errorf("local storage: write %s: got %d bytes, expected %d", key, n, size)
	}
	if err := f.Sync(); err != nil {
		return n, fmt.Errorf("local storage: sync %s: %w", key, diskspace.Classify(err))
	}
	if err := f.Close(); err != nil {
		return n, fmt.Errorf("local storage: close %s: %w", key, diskspace.Classify(err))
	}
	if err := l.root.Rename(tmp, filepath.FromSlash(key)); err != nil {
		return n, fmt.Errorf("local storage: rename %s: %w", key, err)
	}
	ok = true
	return n, nil
}

// Open implements Storage.
func (l *Local) Open(_ context.Context, key string) (io.ReadCloser, error) {
	if err := CheckKey(key); err != nil {
		return nil, err
	}
	f, err := l.root.Open(filepath.FromSlash(key))
	if err != nil {
		return nil, normalise(key, err)
	}
	return f, nil
}

// Stat implements Storage.
func (l *Local) Stat(_ context.Context, key string) (Object, error) {
	if err := CheckKey(key); err != nil {
		return Object{}, err
	}
	fi, err := l.root.Stat(filepath.FromSlash(key))
	if err != nil {
		return Object{}, normalise(key, err)
	}
	return Object{Key: key, Size: fi.Size()}, nil
}

// Delete implements Storage.
func (l *Local) Delete(_ context.Context, key string) error {
	if err := CheckKey(key); err != nil {
		return err
	}
	err := l.root.Remove(filepath.FromSlash(key))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("local storage: delete %s: %w", key, err)
	}
	return nil
}

// Walk implements Storage. Dot files (writes in progress, probes) are skipped.
func (l *Local) Walk(ctx context.Context, prefix string, fn func(Object) error) error {
	return fs.WalkDir(l.root.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if d.IsDir() || strings.HasPrefix(d.Name(), ".") || !strings.HasPrefix(p, prefix) {
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		return fn(Object{Key: p, Size: fi.Size()})
	})
}

// Ping implements Storage: it writes, reads back and removes a probe file.
func (l *Local) Ping(ctx context.Context) error {
	const probe = ".probe"
	f, err := l.root.OpenFile(probe, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("local storage not writable: %w", err)
	}
	_ = f.Close()
	return l.root.Remove(probe)
}

// Close releases the root directory handle.
func (l *Local) Close() error { return l.root.Close() }

func normalise(key string, err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("object %s: %w", key, os.ErrNotExist)
	}
	if errors.Is(err, fs.ErrPermission) {
		return fmt.Errorf("object %s: %w", key, os.ErrPermission)
	}
	return fmt.Errorf("object %s: %w", key, err)
}

// ctxReader stops a copy when its context is cancelled.
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
