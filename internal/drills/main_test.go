//go:build drills

package drills

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/habeas-org/habeas/internal/faultkit"
)

// habeasBin is the server binary every drill runs, built once.
var habeasBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "habeas-drills-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "drills:", err)
		os.Exit(1)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	start := time.Now()
	habeasBin, err = faultkit.Build(ctx, dir)
	cancel()
	if err != nil {
		fmt.Fprintln(os.Stderr, "drills: build habeas:", err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "drills: built %s in %s\n", habeasBin, time.Since(start).Round(time.Millisecond))
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}
