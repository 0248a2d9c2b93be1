package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/habeas-org/habeas/internal/faultkit"
)

// options are the command line of soakbench.
type options struct {
	db, storage        string
	duration           time.Duration
	clients, cases     int
	faultMin, faultMax time.Duration
	seed               uint64
	work               string
	keep               bool
	out, doc           string
	pgAdmin            string
}

// soak is one run: the server and what it depends on.
type soak struct {
	o       options
	srv     *faultkit.Server
	s3      *faultkit.Versitygw
	pgAdmin string
	pgName  string
	c       *faultkit.Client
	ledger  *ledger
	grace   time.Duration
}

// The server's deadlines during the soak: short enough that a hung S3 or
// database ends requests within seconds, as in production settings scaled
// down to the fault durations.
var soakEnv = map[string]string{
	"HABEAS_STORAGE_STALL_TIMEOUT": "5s",
	"HABEAS_STORAGE_CALL_TIMEOUT":  "10s",
	"HABEAS_S3_CONNECT_TIMEOUT":    "3s",
	"HABEAS_DB_QUERY_TIMEOUT":      "10s",
	"HABEAS_SHUTDOWN_GRACE":        "5s",
	"HABEAS_LOG_LEVEL":             "warn",
}

func run(ctx context.Context, o options) (*result, error) {
	if o.db != "postgres" && o.db != "sqlite" {
		return nil, fmt.Errorf("-db must be postgres or sqlite, not %q", o.db)
	}
	if o.storage != "s3" && o.storage != "local" {
		return nil, fmt.Errorf("-storage must be s3 or local, not %q", o.storage)
	}
	if o.faultMin <= 0 || o.faultMax < o.faultMin {
		return nil, errors.New("need 0 < -fault-min <= -fault-max")
	}
	if o.work == "" {
		dir, err := os.MkdirTemp("", "habeas-soak-")
		if err != nil {
			return nil, err
		}
		o.work = dir
		if !o.keep {
			defer os.RemoveAll(dir)
		}
	}
	s := &soak{o: o, ledger: newLedger(), grace: 5 * time.Second}
	logf("building habeas")
	bin, err := faultkit.Build(ctx, o.work)
	if err != nil {
		return nil, err
	}
	env := map[string]string{}
	for k, v := range soakEnv {
		env[k] = v
	}
	if o.db == "postgres" {
		if o.pgAdmin == "" {
			return nil, errors.New("-db postgres needs -postgres-url or HABEAS_TEST_POSTGRES_URL: " + faultkit.PostgresHelp)
		}
		url, name, drop, err := faultkit.CreateDatabase(ctx, o.pgAdmin, "habeas_soak_")
		if err != nil {
			return nil, err
		}
		if !o.keep {
			defer func() {
				if err := drop(); err != nil {
					logf("warning: database %s left behind: %v", name, err)
				}
			}()
		}
		s.pgAdmin, s.pgName = o.pgAdmin, name
		env["HABEAS_DATABASE_URL"] = url
	}
	if o.storage == "s3" {
		gwBin, err := faultkit.VersitygwBin()
		if err != nil {
			return nil, err
		}
		if s.s3, err = faultkit.StartVersitygw(ctx, gwBin, filepath.Join(o.work, "s3")); err != nil {
			return nil, err
		}
		defer s.s3.Kill()
		for k, v := range s.s3.Env() {
			env[k] = v
		}
	}
	if s.srv, err = faultkit.NewServer(bin, filepath.Join(o.work, "data"), env); err != nil {
		return nil, err
	}
	defer s.srv.Stop()
	if err := s.srv.StartReady(2 * time.Minute); err != nil {
		return nil, err
	}
	if s.c, err = faultkit.AdminClient(ctx, s.srv); err != nil {
		return nil, err
	}
	logf("server %s (%s, %s storage) ready; log %s", s.srv.URL(), o.db, o.storage, s.srv.LogPath)
	w, err := s.prepare(ctx)
	if err != nil {
		return nil, err
	}

	start := time.Now()
	loadCtx, stopLoad := context.WithTimeout(ctx, o.duration)
	defer stopLoad()
	var wg sync.WaitGroup
	for i := range o.clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.client(loadCtx, w, rand.New(rand.NewPCG(o.seed, uint64(i)+1)))
		}()
	}
	faults, faultErr := s.injectFaults(loadCtx, rand.New(rand.NewPCG(o.seed, 0)))
	stopLoad()
	wg.Wait()
	loadSecs := time.Since(start).Seconds()
	if faultErr != nil {
		return nil, fmt.Errorf("fault injection: %w (server log %s)", faultErr, s.srv.LogPath)
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}

	logf("load over after %.0fs; reading every acknowledged write back", loadSecs)
	res := s.ledger.figures()
	res.Database, res.Storage, res.Clients, res.Seed = o.db, o.storage, o.clients, o.seed
	res.LoadSeconds = loadSecs
	res.Faults = faults
	if err := s.srv.WaitReady(ctxTimeout(ctx, 2*time.Minute)); err != nil {
		return nil, err
	}
	rb := time.Now()
	res.WritesLost, res.LostExamples = s.readBack(ctx)
	res.ReadBackSeconds = time.Since(rb).Seconds()
	if err := s.srv.Term(time.Minute); err != nil {
		return nil, err
	}
	res.AuditVerify = s.verify(ctx, "audit", "verify")
	res.StorageVerify = s.verify(ctx, "storage", "verify")
	res.Date = time.Now().UTC().Format(time.RFC3339)
	return res, res.write(o)
}

// verify runs one habeas verify command on the stopped instance.
func (s *soak) verify(ctx context.Context, args ...string) verifyResult {
	r, err := s.srv.CLI(ctxTimeout(ctx, 30*time.Minute), args...)
	v := verifyResult{OK: err == nil && r.Code == 0, Output: lastLine(r.Stdout)}
	if err != nil {
		v.Output = err.Error()
	} else if !v.OK {
		v.Output = fmt.Sprintf("exit %d: %s %s", r.Code, lastLine(r.Stdout), lastLine(r.Stderr))
	}
	logf("habeas %v: ok=%v %s", args, v.OK, v.Output)
	return v
}

func ctxTimeout(ctx context.Context, d time.Duration) context.Context {
	c, cancel := context.WithTimeout(ctx, d)
	_ = cancel // released when the deadline passes; a soak makes few of these
	return c
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "soakbench %s: %s\n", time.Now().UTC().Format("15:04:05"), fmt.Sprintf(format, args...))
}
