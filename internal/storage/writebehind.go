package storage

import "os"

const (
	// copyBufSize is the size of the writes of a local Put.
	copyBufSize = 1 << 20
	// writeBehindBytes is how much a local Put writes between two requests
	// to the kernel to start writing the new pages to disk.
	writeBehindBytes = 8 << 20
)

// writeBehind writes to f and, every writeBehindBytes, asks the kernel to
// start writing those bytes to disk without waiting for it
// (startWriteback). Without it the kernel keeps a freshly written file in
// memory until the final fsync, which then waits for the whole file: the
// time of the disk adds to the time of producing the bytes instead of
// overlapping with it. The request is only a hint: the fsync that ends a
// Put still makes the object durable and reports any write error.
type writeBehind struct {
	f       *os.File
	off     int64 // bytes written
	flushed int64 // bytes whose writeback was requested
}

func (w *writeBehind) Write(p []byte) (int, error) {
	n, err := w.f.Write(p)
	w.off += int64(n)
	if w.off-w.flushed >= writeBehindBytes {
		startWriteback(w.f, w.flushed, w.off-w.flushed)
		w.flushed = w.off
	}
	return n, err
}
