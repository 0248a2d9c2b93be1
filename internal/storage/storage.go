// Package storage is Habeas's object storage: one small interface with a
// local-disk driver (the embedded default) and an S3-compatible driver.
// Drivers normalise "no such object" to os.ErrNotExist.
package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
)

// Object describes a stored object.
type Object struct {
	Key  string
	Size int64
}

// Storage stores opaque objects under keys chosen by Habeas (never by users).
type Storage interface {
	// Put stores r under key; size is -1 when unknown. The object appears
	// only once it is completely written.
	Put(ctx context.Context, key string, r io.Reader, size int64) (int64, error)
	// Open returns the object's content; os.ErrNotExist when absent.
	Open(ctx context.Context, key string) (io.ReadCloser, error)
	// Stat returns the object's size; os.ErrNotExist when absent.
	Stat(ctx context.Context, key string) (Object, error)
	// Delete removes the object; deleting an absent object is not an error.
	Delete(ctx context.Context, key string) error
	// Walk calls fn for every object whose key starts with prefix.
	Walk(ctx context.Context, prefix string, fn func(Object) error) error
	// Ping checks the backend is reachable and writable.
	Ping(ctx context.Context) error
	// Name is the driver name, for logs and readiness details.
	Name() string
}

var keyPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9/_.-]{0,199}$`)

// ErrBadKey is returned for keys outside the allowed alphabet.
var ErrBadKey = errors.New("storage: invalid object key")

// CheckKey rejects keys that could escape a root or confuse a backend:
// only lowercase letters, digits, '/', '_', '.', '-'; no empty segment and no
// segment starting with '.' (so no "." or "..", and no name that could clash
// with the local driver's hidden temporary and probe files, which Walk skips).
func CheckKey(key string) error {
	if !keyPattern.MatchString(key) {
		return fmt.Errorf("%w: %q", ErrBadKey, key)
	}
	prev := byte('/')
	for i := 0; i < len(key); i++ {
		c := key[i]
		if c == '/' && prev == '/' {
			return fmt.Errorf("%w: empty segment in %q", ErrBadKey, key)
		}
		if c == '.' && prev == '/' {
			return fmt.Errorf("%w: segment starting with '.' in %q", ErrBadKey, key)
		}
		prev = c
	}
	if key[len(key)-1] == '/' {
		return fmt.Errorf("%w: trailing slash in %q", ErrBadKey, key)
	}
	return nil
}
