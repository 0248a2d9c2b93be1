package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/habeas-org/habeas/internal/faultkit"
)

// The kinds of fault the soak injects.
const (
	faultServerKill = "server_sigkill"
	faultServerTerm = "server_sigterm"
	faultS3Stop     = "s3_sigstop"
	faultS3Kill     = "s3_kill"
	faultPGTerm     = "pg_terminate_backend"
)

// injectFaults injects one fault at a time, at random moments, until ctx
// ends, and returns how many of each kind. An error means the run cannot
// go on (the server would not come back).
func (s *soak) injectFaults(ctx context.Context, rng *rand.Rand) (map[string]int, error) {
	kinds := []string{faultServerKill, faultServerTerm}
	if s.s3 != nil {
		kinds = append(kinds, faultS3Stop, faultS3Kill)
	}
	if s.pgName != "" {
		kinds = append(kinds, faultPGTerm)
	}
	counts := map[string]int{}
	for _, k := range kinds {
		counts[k] = 0
	}
	for {
		gap := s.o.faultMin + time.Duration(rng.Int64N(int64(s.o.faultMax-s.o.faultMin)+1))
		select {
		case <-ctx.Done():
			return counts, nil
		case <-time.After(gap):
		}
		kind := kinds[rng.IntN(len(kinds))]
		logf("fault: %s", kind)
		if err := s.fault(kind, rng); err != nil {
			return counts, fmt.Errorf("%s: %w", kind, err)
		}
		counts[kind]++
	}
}

// fault injects one fault and repairs it (restart, resume), so the next
// fault starts from a working system.
func (s *soak) fault(kind string, rng *rand.Rand) error {
	pause := func(min, max time.Duration) { time.Sleep(min + time.Duration(rng.Int64N(int64(max-min)+1))) }
	switch kind {
	case faultServerKill:
		if err := s.srv.Kill(); err != nil {
			return err
		}
		return s.srv.StartReady(2 * time.Minute)
	case faultServerTerm:
		if err := s.srv.Term(s.grace + 30*time.Second); err != nil {
			return err
		}
		return s.srv.StartReady(2 * time.Minute)
	case faultS3Stop:
		if err := s.s3.Freeze(); err != nil {
			return err
		}
		pause(2*time.Second, 8*time.Second)
		return s.s3.Thaw()
	case faultS3Kill:
		s.s3.Kill()
		pause(time.Second, 5*time.Second)
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		return s.s3.Start(ctx)
	case faultPGTerm:
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_, err := faultkit.TerminateBackends(ctx, s.pgAdmin, s.pgName)
		return err
	}
	return fmt.Errorf("unknown fault %q", kind)
}
