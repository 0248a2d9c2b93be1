package storagetest

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/habeas-org/habeas/internal/storage"
)

// S3Help tells how to get the S3 server the S3 tests need.
const S3Help = `the S3 storage tests need a real S3 server; start one with
    eval "$(scripts/ensure-versitygw.sh)"
or run scripts/test.sh which does it; set HABEAS_TEST_STORAGE=local to test only the local-disk driver`

// S3FromEnv returns the test S3 server's options from HABEAS_TEST_S3_*. It
// skips the test when HABEAS_TEST_STORAGE=local (scripts/test.sh then tests
// S3 in a section of its own) and fails it when the variables are missing.
func S3FromEnv(t testing.TB) storage.S3Options {
	t.Helper()
	if os.Getenv("HABEAS_TEST_STORAGE") == "local" {
		t.Skip("HABEAS_TEST_STORAGE=local: S3 driver not tested in this run (scripts/test.sh tests it in its own section)")
	}
	o := storage.S3Options{
		Endpoint:  os.Getenv("HABEAS_TEST_S3_ENDPOINT"),
		Bucket:    os.Getenv("HABEAS_TEST_S3_BUCKET"),
		AccessKey: os.Getenv("HABEAS_TEST_S3_ACCESS_KEY"),
		SecretKey: os.Getenv("HABEAS_TEST_S3_SECRET_KEY"),
		Region:    os.Getenv("HABEAS_TEST_S3_REGION"),
	}
	var missing []string
	for k, v := range map[string]string{
		"HABEAS_TEST_S3_ENDPOINT": o.Endpoint, "HABEAS_TEST_S3_BUCKET": o.Bucket,
		"HABEAS_TEST_S3_ACCESS_KEY": o.AccessKey, "HABEAS_TEST_S3_SECRET_KEY": o.SecretKey,
	} {
		if v == "" {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		t.Fatalf("missing %s: %s", strings.Join(missing, ", "), S3Help)
	}
	return o
}

// NewS3FromEnv connects to the test S3 server (see S3FromEnv).
func NewS3FromEnv(t testing.TB) *storage.S3 {
	t.Helper()
	o := S3FromEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := storage.NewS3(ctx, o)
	if err != nil {
		t.Fatalf("NewS3 on %s: %v", o.Endpoint, err)
	}
	return s
}
