// Package faultkit runs Habeas as real processes and breaks what they depend
// on, for the fault drills (internal/drills, build tag drills) and the soak
// (scripts/bench/soakbench): it builds the habeas binary, starts, SIGKILLs
// and SIGTERMs a server configured by environment, signs in and writes
// through the HTTP API, runs a private S3 server (versitygw) it can kill or
// freeze with SIGSTOP, creates a fresh PostgreSQL database, terminates the
// server's PostgreSQL backends, refuses its database connections through a
// TCP proxy, and fills a small tmpfs.
//
// It is ordinary (non-test) code so the soak can use it; nothing here is
// compiled into the habeas binary.
package faultkit
