package cases_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/cases"
	"github.com/habeas-org/habeas/internal/testkit"
)

// BenchmarkCSV100k imports 100,000 generated rows from a pipe (never a
// whole file in memory) and exports them to io.Discard, reporting the peak
// heap seen while doing so. Run: go test -run '^$' -bench CSV100k -benchtime 1x ./internal/cases
func BenchmarkCSV100k(b *testing.B) {
	const rows = 100_000
	for _, dialect := range testkit.Dialects(b) {
		b.Run(string(dialect), func(b *testing.B) {
			for range b.N {
				d := testkit.NewDB(b, dialect)
				svc := cases.NewService(d, audit.NewLog(d))
				admin := addUser(b, d, actor.Admin)
				var peak atomic.Uint64
				stop := make(chan struct{})
				go func() {
					var m runtime.MemStats
					for {
						select {
						case <-stop:
							return
						case <-time.After(50 * time.Millisecond):
							runtime.ReadMemStats(&m)
							if m.HeapAlloc > peak.Load() {
								peak.Store(m.HeapAlloc)
							}
						}
					}
				}()
				pr, pw := io.Pipe()
				go func() {
					w := csv.NewWriter(pw)
					_ = w.Write([]string{"name", "born_at", "home_province", "summary"})
					for i := range rows {
						_ = w.Write([]string{fmt.Sprintf("囚%06d", i), "1970-01", "Sichuan", "a summary line of moderate length for the benchmark"})
					}
					w.Flush()
					_ = pw.CloseWithError(w.Error())
				}()
				start := time.Now()
				res, err := svc.ImportDetainees(context.Background(), admin, pr, cases.ImportOptions{})
				if err != nil || res.Created != rows {
					b.Fatalf("import: %+v %v", res, err)
				}
				imported := time.Since(start)
				start = time.Now()
				var n countingWriter
				if err := svc.ExportDetainees(context.Background(), admin, cases.DetaineeFilter{}, func() io.Writer { return &n }); err != nil {
					b.Fatal(err)
				}
				close(stop)
				b.ReportMetric(imported.Seconds(), "import-s")
				b.ReportMetric(time.Since(start).Seconds(), "export-s")
				b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MiB")
				b.ReportMetric(float64(n)/(1<<20), "csv-MiB")
			}
		})
	}
}

type countingWriter int64

func (c *countingWriter) Write(p []byte) (int, error) {
	*c += countingWriter(len(p))
	return len(p), nil
}
