//go:build !linux

package db

import "net"

// serverGone is the Linux check's stand-in: elsewhere a terminated backend
// is caught by pgx's ping after a second idle and by WithTx's retry.
func serverGone(net.Conn) bool { return false }
