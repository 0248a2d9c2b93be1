package faultkit

import (
	"io"
	"sync"
	"time"
)

// SlowReader is an upload body: Fast bytes at once, then Chunk bytes every
// Every until Total bytes. Reached is closed once Fast bytes were read
// (the server is then mid-body). The bytes are a repeating pattern.
type SlowReader struct {
	Total, Fast, Chunk int64
	Every              time.Duration

	read    int64
	once    sync.Once
	reached chan struct{}
	mu      sync.Mutex
}

// NewSlowReader returns a SlowReader (see the type).
func NewSlowReader(total, fast, chunk int64, every time.Duration) *SlowReader {
	return &SlowReader{Total: total, Fast: fast, Chunk: chunk, Every: every, reached: make(chan struct{})}
}

// Reached is closed when the fast part has been read.
func (r *SlowReader) Reached() <-chan struct{} { return r.reached }

// Read implements io.Reader.
func (r *SlowReader) Read(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.read >= r.Total {
		return 0, io.EOF
	}
	n := int64(len(p))
	if r.read < r.Fast {
		n = min(n, r.Fast-r.read)
	} else {
		r.once.Do(func() { close(r.reached) })
		time.Sleep(r.Every)
		n = min(n, r.Chunk)
	}
	n = min(n, r.Total-r.read)
	for i := range p[:n] {
		p[i] = byte('a' + (r.read+int64(i))%26)
	}
	r.read += n
	return int(n), nil
}
