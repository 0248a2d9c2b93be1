// Command soakbench is the driver of scripts/bench/soak.sh (issue 23): it
// runs one Habeas server (PostgreSQL + S3 by default), drives it with a
// mixed load from several clients for a long time while injecting faults at
// random moments (server SIGKILL and restart, SIGTERM and restart, S3
// frozen with SIGSTOP for a few seconds, S3 killed and restarted,
// PostgreSQL backends terminated), records every acknowledged write, and at
// the end reads every one of them back (writes lost must be 0) and runs
// `habeas audit verify` and `habeas storage verify`.
//
//	soakbench -db postgres -storage s3 -d 30m -clients 8 -out results.jsonl -doc section.md
//
// It prints the figures (requests, acknowledged writes, faults injected by
// kind, answers by status, writes lost, verify results, duration) and
// writes them as one JSON line to -out (appended) and as a Markdown section
// to -doc. It exits 1 when a write was lost or a verify failed.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	var o options
	flag.StringVar(&o.db, "db", "postgres", "database: postgres or sqlite")
	flag.StringVar(&o.storage, "storage", "s3", "evidence storage: s3 or local")
	flag.DurationVar(&o.duration, "d", 30*time.Minute, "how long the load runs")
	flag.IntVar(&o.clients, "clients", 8, "concurrent clients")
	flag.IntVar(&o.cases, "cases", 20, "cases the load works on")
	flag.DurationVar(&o.faultMin, "fault-min", 20*time.Second, "shortest pause between two faults")
	flag.DurationVar(&o.faultMax, "fault-max", 60*time.Second, "longest pause between two faults")
	flag.Uint64Var(&o.seed, "seed", uint64(time.Now().UnixNano()), "seed of the load and fault choices")
	flag.StringVar(&o.work, "work", "", "working directory (data dir, logs; default: a new temp dir, removed unless -keep)")
	flag.BoolVar(&o.keep, "keep", false, "keep the working directory and the database")
	flag.StringVar(&o.out, "out", "", "append the figures as one JSON line to this file")
	flag.StringVar(&o.doc, "doc", "", "write the figures as a Markdown section (for docs/benchmarks.md) to this file")
	flag.StringVar(&o.pgAdmin, "postgres-url", os.Getenv("HABEAS_TEST_POSTGRES_URL"), "PostgreSQL URL of a role that may create databases (-db postgres)")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	res, err := run(ctx, o)
	if err != nil {
		fmt.Fprintln(os.Stderr, "soakbench:", err)
		os.Exit(1)
	}
	if res.WritesLost > 0 || !res.AuditVerify.OK || !res.StorageVerify.OK {
		fmt.Fprintln(os.Stderr, "soakbench: FAILED: writes lost or a verify failed (see above)")
		os.Exit(1)
	}
}
