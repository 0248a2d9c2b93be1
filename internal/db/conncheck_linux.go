package db

import (
	"errors"
	"net"
	"syscall"
)

// serverGone reports whether c, an idle connection, has bytes waiting or
// was closed by its peer. It never blocks.
func serverGone(c net.Conn) bool {
	if w, ok := c.(interface{ NetConn() net.Conn }); ok { // TLS: look at the socket under it
		c = w.NetConn()
	}
	sc, ok := c.(syscall.Conn)
	if !ok {
		return false
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return false
	}
	gone := false
	var b [1]byte
	// Control, not Read: pgx's background reader may sit in a blocking Read
	// on this socket (it holds the read lock until bytes arrive; those it
	// takes, the FATAL message, are followed by the end of the stream,
	// which a peek still sees).
	err = raw.Control(func(fd uintptr) {
		n, _, rerr := syscall.Recvfrom(int(fd), b[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		switch {
		case errors.Is(rerr, syscall.EAGAIN), errors.Is(rerr, syscall.EINTR):
		case rerr != nil, n >= 0: // an error, data waiting (n > 0) or the end of the stream (n == 0)
			gone = true
		}
	})
	return gone || err != nil
}
