package storage

import (
	"os"

	"golang.org/x/sys/unix"
)

// startWriteback asks Linux to start writing n bytes of f from off to disk
// (sync_file_range with SYNC_FILE_RANGE_WRITE: it does not wait for the
// writes to finish nor flush metadata). Errors are ignored: it is a hint, and
// the fsync that follows reports what went wrong.
func startWriteback(f *os.File, off, n int64) {
	rc, err := f.SyscallConn()
	if err != nil {
		return
	}
	_ = rc.Control(func(fd uintptr) {
		_ = unix.SyncFileRange(int(fd), off, n, unix.SYNC_FILE_RANGE_WRITE)
	})
}
