package diskspace

import (
	"errors"
	"fmt"
	"io/fs"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/habeas-org/habeas/internal/apperr"
)

type sqliteErr int

func (e sqliteErr) Error() string { return fmt.Sprintf("sqlite error (%d)", int(e)) }
func (e sqliteErr) Code() int     { return int(e) }

type pgErr string

func (e pgErr) Error() string    { return "pg error " + string(e) }
func (e pgErr) SQLState() string { return string(e) }

func TestIsFullRecognisesEveryDiskFullError(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want bool
	}{
		{"ENOSPC from a write", fmt.Errorf("local storage: write k: %w", &fs.PathError{Op: "write", Path: "x", Err: syscall.ENOSPC}), true},
		{"EDQUOT", &fs.PathError{Op: "write", Path: "x", Err: syscall.EDQUOT}, true},
		{"SQLITE_FULL", fmt.Errorf("commit: %w", sqliteErr(13)), true},
		{"SQLITE_FULL extended", sqliteErr(13 | 3<<8), true},
		{"SQLITE_BUSY", sqliteErr(5), false},
		{"SQLITE_IOERR_FSYNC (1034: low byte 10)", sqliteErr(1034), false},
		{"PostgreSQL disk_full", fmt.Errorf("insert: %w", pgErr("53100")), true},
		{"pgx's own PgError", fmt.Errorf("commit: %w", &pgconn.PgError{Code: "53100", Message: "could not extend file"}), true},
		{"PostgreSQL out_of_memory", pgErr("53200"), false},
		{"EIO", &fs.PathError{Op: "write", Path: "x", Err: syscall.EIO}, false},
		{"already classified", ErrFull(), true},
		{"nil", nil, false},
	} {
		if got := IsFull(tc.err); got != tc.want {
			t.Errorf("IsFull(%s: %v) = %v, want %v", tc.name, tc.err, got, tc.want)
		}
	}
}

func TestClassifyMakesA507KeepingTheCause(t *testing.T) {
	cause := fmt.Errorf("commit: %w", sqliteErr(13))
	err := Classify(cause)
	var ae *apperr.Error
	if !errors.Is(err, apperr.ErrInsufficientStorage) || !errors.As(err, &ae) || ae.Code != "insufficient_storage" || !errors.Is(err, cause) {
		t.Fatalf("Classify(SQLITE_FULL) = %v; want an insufficient_storage *apperr.Error wrapping the cause", err)
	}
	other := errors.New("boom")
	if Classify(other) != other || Classify(nil) != nil {
		t.Fatal("Classify changed an error that is not about disk space")
	}
	if once := Classify(cause); Classify(once) != once {
		t.Fatal("Classify wrapped an already classified error again")
	}
}

func TestHuman(t *testing.T) {
	for n, want := range map[int64]string{0: "0 B", 1023: "1023 B", 1536: "1.5 KiB", 256 << 20: "256.0 MiB", 3 << 30: "3.0 GiB"} {
		if got := Human(n); got != want {
			t.Errorf("Human(%d) = %q, want %q", n, got, want)
		}
	}
}
