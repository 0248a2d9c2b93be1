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

	"github.com/google/uuid"
	"gorm.io/gorm"

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

// BenchmarkCSV100kBaseline is the baseline of BenchmarkCSV100k, run in the
// same command: the same 100,000 rows (already parsed) inserted with plain
// gorm multi-row INSERTs (db.InsertBatchRows rows each) in one transaction, and read back with one plain
// SELECT into io.Discard: no CSV, validation, duplicate check, search column,
// audit entry or access scope. The import's ratio to it is what Habeas adds.
func BenchmarkCSV100kBaseline(b *testing.B) {
	const rows = 100_000
	for _, dialect := range testkit.Dialects(b) {
		b.Run(string(dialect), func(b *testing.B) {
			for range b.N {
				d := testkit.NewDB(b, dialect)
				now := time.Now().UTC()
				start := time.Now()
				err := d.Transaction(func(tx *gorm.DB) error {
					batch := make([]cases.Detainee, 0, d.InsertBatchRows(30))
					for i := range rows {
						batch = append(batch, cases.Detainee{ID: uuid.Must(uuid.NewV7()).String(), Name: fmt.Sprintf("囚%06d", i),
							BornAt: "1970-01", HomeProvince: "Sichuan", Summary: "a summary line of moderate length for the benchmark",
							Version: 1, CreatedAt: now, UpdatedAt: now})
						if len(batch) == cap(batch) || i == rows-1 {
							if err := tx.Create(&batch).Error; err != nil {
								return err
							}
							batch = batch[:0]
						}
					}
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
				inserted := time.Since(start)
				start = time.Now()
				var n int
				dbRows, err := d.Model(&cases.Detainee{}).Order("name").Rows()
				if err != nil {
					b.Fatal(err)
				}
				for dbRows.Next() {
					var det cases.Detainee
					if err := d.ScanRows(dbRows, &det); err != nil {
						b.Fatal(err)
					}
					n++
				}
				_ = dbRows.Close()
				if n != rows {
					b.Fatalf("read %d rows, want %d", n, rows)
				}
				b.ReportMetric(inserted.Seconds(), "insert-s")
				b.ReportMetric(time.Since(start).Seconds(), "select-s")
			}
		})
	}
}

type countingWriter int64

func (c *countingWriter) Write(p []byte) (int, error) {
	*c += countingWriter(len(p))
	return len(p), nil
}
