package storage

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"time"
)

// TempFile is a temporary file of the local driver: an object being
// written, or left behind by a process that died while writing it.
type TempFile struct {
	// Path is the file's path under the root ("/"-separated).
	Path string
	// Owner is the instance id of the process that wrote it; "" for a file
	// named before instance ids existed (.tmp-<random>).
	Owner   string
	ModTime time.Time
}

// SetOwner names the temporary files of later Puts after the instance id of
// this process (.tmp-<owner>-<random>), so that crash recovery can tell
// whose they are. Call it before the first Put; owner must be lowercase
// letters and digits.
func (l *Local) SetOwner(owner string) { l.owner = owner }

// tempName returns a fresh temporary file name for a Put.
func (l *Local) tempName(random string) string {
	if l.owner == "" {
		return tmpPrefix + random
	}
	return tmpPrefix + l.owner + "-" + random
}

// TempFiles lists the temporary files under prefix (a directory of the
// root, "/"-terminated, or "" for all).
func (l *Local) TempFiles(ctx context.Context, prefix string) ([]TempFile, error) {
	start := strings.TrimSuffix(prefix, "/")
	if start == "" {
		start = "."
	}
	var out []TempFile
	err := fs.WalkDir(l.root.FS(), start, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == start && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipAll
			}
			return err
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		name := d.Name()
		if d.IsDir() || !strings.HasPrefix(name, tmpPrefix) {
			return nil
		}
		fi, err := d.Info()
		if errors.Is(err, fs.ErrNotExist) {
			return nil // renamed or removed meanwhile
		}
		if err != nil {
			return err
		}
		owner, _, ok := strings.Cut(strings.TrimPrefix(name, tmpPrefix), "-")
		if !ok {
			owner = ""
		}
		out = append(out, TempFile{Path: p, Owner: owner, ModTime: fi.ModTime()})
		return nil
	})
	if err != nil {
		return out, fmt.Errorf("local storage: list temporary files: %w", err)
	}
	return out, nil
}

// RemoveTemp removes a temporary file listed by TempFiles; one already gone
// is not an error.
func (l *Local) RemoveTemp(_ context.Context, p string) error {
	if !strings.HasPrefix(path.Base(p), tmpPrefix) {
		return fmt.Errorf("local storage: %q is not a temporary file", p)
	}
	if err := l.root.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("local storage: remove temporary file: %w", err)
	}
	return nil
}
