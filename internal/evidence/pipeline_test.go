package evidence_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"filippo.io/age"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/evidence"
	"github.com/habeas-org/habeas/internal/storage"
	"github.com/habeas-org/habeas/internal/storage/storagetest"
	"github.com/habeas-org/habeas/internal/testkit"
)

// pipelineFrames name the functions of the vault's pipeline stages (their
// goroutines run closures of Vault.Put and Vault.Open, and the links).
var pipelineFrames = []string{"internal/evidence.(*Vault).", "internal/evidence.(*link).",
	"internal/evidence.check(", "internal/evidence.encrypt("}

// assertNoStages waits up to 10 s for every goroutine running a pipeline
// stage to end, and fails the test with their stacks when some remain.
// (Counting goroutines would also count the HTTP client's idle
// connections; the stacks say exactly which are the vault's.)
func assertNoStages(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		stages := stageGoroutines()
		if len(stages) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d pipeline goroutines still running:\n\n%s", len(stages), strings.Join(stages, "\n\n"))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func stageGoroutines() []string {
	buf := make([]byte, 4<<20)
	buf = buf[:runtime.Stack(buf, true)]
	var out []string
	for _, g := range strings.Split(string(buf), "\n\n") {
		for _, f := range pipelineFrames {
			if strings.Contains(g, f) {
				out = append(out, g)
				break
			}
		}
	}
	return out
}

func TestPutCancelledMidwayLeavesNothing(t *testing.T) {
	keys, _ := testKeys(t)
	eachStorage(t, func(t *testing.T, s storage.Storage, ns string) {
		v := evidence.NewVault(s, keys, 0)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		key := ns + evidence.NewObjectKey()
		r := &storagetest.OnAfter{R: plaintext(8, 60<<20), N: 20 << 20, Fn: cancel}
		_, err := v.Put(ctx, key, r)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Put cancelled midway: %v; want an error wrapping context.Canceled", err)
		}
		assertNoStages(t)
		storagetest.AssertAbsent(t, s, key)
	})
}

// faultyStore is a real storage with injected faults: a Put that stops
// reading after putFailAfter bytes (a disk that fills up), an Open whose
// reader flips one bit at flipAt (a disk that rots), or an Open whose
// reader fails after readFailAfter bytes (a connection that drops).
type faultyStore struct {
	storage.Storage
	putFailAfter  int64
	flipAt        int64
	readFailAfter int64
}

var (
	errDiskFull = errors.New("disk full (injected)")
	errDropped  = errors.New("connection dropped (injected)")
)

func (f *faultyStore) Put(ctx context.Context, key string, r io.Reader, size int64) (int64, error) {
	if f.putFailAfter <= 0 {
		return f.Storage.Put(ctx, key, r, size)
	}
	n, err := io.CopyN(io.Discard, r, f.putFailAfter)
	if err != nil {
		return n, err
	}
	return n, errDiskFull
}

func (f *faultyStore) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	rc, err := f.Storage.Open(ctx, key)
	if err != nil || (f.flipAt <= 0 && f.readFailAfter <= 0) {
		return rc, err
	}
	return &faultyReader{ReadCloser: rc, f: f}, nil
}

type faultyReader struct {
	io.ReadCloser
	f   *faultyStore
	off int64
}

func (r *faultyReader) Read(p []byte) (int, error) {
	if r.f.readFailAfter > 0 {
		if r.off >= r.f.readFailAfter {
			return 0, errDropped
		}
		p = p[:min(int64(len(p)), r.f.readFailAfter-r.off)]
	}
	n, err := r.ReadCloser.Read(p)
	if at := r.f.flipAt - r.off; r.f.flipAt > 0 && at >= 0 && at < int64(n) {
		p[at] ^= 1
	}
	r.off += int64(n)
	return n, err
}

func TestPutStorageFailureStopsEveryStage(t *testing.T) {
	keys, _ := testKeys(t)
	eachStorage(t, func(t *testing.T, s storage.Storage, ns string) {
		v := evidence.NewVault(&faultyStore{Storage: s, putFailAfter: 3 << 20}, keys, 0)
		key := ns + evidence.NewObjectKey()
		_, err := v.Put(context.Background(), key, plaintext(9, 40<<20))
		if !errors.Is(err, evidence.ErrStorage) || !errors.Is(err, errDiskFull) {
			t.Fatalf("Put onto a failing storage: %v; want ErrStorage wrapping the storage's error", err)
		}
		assertNoStages(t)
		storagetest.AssertAbsent(t, s, key)
	})
}

func TestOpenCancelledOrClosedMidwayStopsEveryStage(t *testing.T) {
	keys, _ := testKeys(t)
	eachStorage(t, func(t *testing.T, s storage.Storage, ns string) {
		v := evidence.NewVault(s, keys, 0)
		key := ns + evidence.NewObjectKey()
		const size = 30 << 20
		st, err := v.Put(context.Background(), key, plaintext(10, size))
		if err != nil {
			t.Fatal(err)
		}
		t.Run("context cancelled", func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			rc, err := v.Open(ctx, key, st.SHA256, st.Size)
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			if _, err := io.CopyN(io.Discard, rc, 5<<20); err != nil {
				t.Fatal(err)
			}
			cancel()
			assertNoStages(t) // they end with the context, before Close
			n, err := io.Copy(io.Discard, rc)
			if !errors.Is(err, context.Canceled) || errors.Is(err, evidence.ErrIntegrity) {
				t.Fatalf("reading on after the context ended: %d bytes, %v; want context.Canceled, not an integrity failure", n, err)
			}
		})
		t.Run("reader closed", func(t *testing.T) {
			rc, err := v.Open(context.Background(), key, st.SHA256, st.Size)
			if err != nil {
				t.Fatal(err)
			}
			buf := make([]byte, 1<<20)
			if _, err := io.ReadFull(rc, buf); err != nil {
				t.Fatal(err)
			}
			if err := rc.Close(); err != nil {
				t.Fatalf("Close: %v", err)
			}
			assertNoStages(t)
		})
		t.Run("never read", func(t *testing.T) {
			rc, err := v.Open(context.Background(), key, st.SHA256, st.Size)
			if err != nil {
				t.Fatal(err)
			}
			time.Sleep(50 * time.Millisecond) // the stages fill their buffers and wait
			_ = rc.Close()
			assertNoStages(t)
		})
	})
}

// A stage failing in the middle of a download (a storage read that fails,
// ciphertext that does not decrypt) is the reader's error, and the stages
// end.
func TestOpenStageErrors(t *testing.T) {
	keys, _ := testKeys(t)
	eachStorage(t, func(t *testing.T, s storage.Storage, ns string) {
		key := ns + evidence.NewObjectKey()
		const size = 3<<20 + 11
		st, err := evidence.NewVault(s, keys, 0).Put(context.Background(), key, plaintext(12, size))
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name  string
			fault faultyStore
			want  error
		}{
			{"storage read fails", faultyStore{readFailAfter: 2 << 20}, evidence.ErrStorage},
			{"ciphertext corrupted", faultyStore{flipAt: 2<<20 + 7}, evidence.ErrIntegrity},
		} {
			t.Run(tc.name, func(t *testing.T) {
				fs := tc.fault
				fs.Storage = s
				v := evidence.NewVault(&fs, keys, 0)
				rc, err := v.Open(context.Background(), key, st.SHA256, st.Size)
				if err != nil {
					t.Fatal(err)
				}
				n, err := io.Copy(io.Discard, rc)
				_ = rc.Close()
				if !errors.Is(err, tc.want) || n >= size {
					t.Fatalf("download: %d of %d bytes, %v; want an error wrapping %v before the end", n, size, err, tc.want)
				}
				if tc.want == evidence.ErrStorage && !errors.Is(err, errDropped) {
					t.Errorf("download: %v; want the storage's own error wrapped too", err)
				}
				if err := v.Verify(context.Background(), key, st.SHA256, st.Size); !errors.Is(err, tc.want) {
					t.Fatalf("Verify: %v; want %v", err, tc.want)
				}
				assertNoStages(t)
			})
		}
	})
}

// An object replaced by another valid encryption (so age finds nothing
// wrong) of content that differs from the original in its last byte only:
// the download fails on the hash, and the last 64 KiB are never delivered,
// whether the caller reads in small pieces or lets io.Copy use WriteTo.
func TestHashMismatchHoldsBackTheTail(t *testing.T) {
	keys, _ := testKeys(t)
	const holdBack = 64 << 10
	eachStorage(t, func(t *testing.T, s storage.Storage, ns string) {
		v := evidence.NewVault(s, keys, 0)
		for _, size := range []int64{40 << 10, 1 << 20, 1<<20 + 5, 3<<20 - 1} {
			content, _ := io.ReadAll(plaintext(13, size))
			key := ns + evidence.NewObjectKey()
			st, err := v.Put(context.Background(), key, bytes.NewReader(content))
			if err != nil {
				t.Fatal(err)
			}
			other := bytes.Clone(content)
			other[len(other)-1] ^= 1
			rewrite(t, s, key, func([]byte) []byte {
				var b bytes.Buffer
				w, err := age.Encrypt(&b, keys.Recipients...)
				if err != nil {
					t.Fatal(err)
				}
				_, _ = w.Write(other)
				_ = w.Close()
				return b.Bytes()
			})
			for name, copyFn := range map[string]func(w io.Writer, r io.Reader) (int64, error){
				"Read 4 KiB at a time": func(w io.Writer, r io.Reader) (int64, error) {
					return io.CopyBuffer(w, struct{ io.Reader }{r}, make([]byte, 4<<10)) // hides WriteTo
				},
				"WriteTo": func(w io.Writer, r io.Reader) (int64, error) { return r.(io.WriterTo).WriteTo(w) },
			} {
				rc, err := v.Open(context.Background(), key, st.SHA256, st.Size)
				if err != nil {
					t.Fatal(err)
				}
				var got bytes.Buffer
				n, err := copyFn(&got, rc)
				_ = rc.Close()
				if !errors.Is(err, evidence.ErrIntegrity) {
					t.Fatalf("size %d, %s: %d bytes, %v; want ErrIntegrity", size, name, n, err)
				}
				if limit := max(0, size-holdBack); int64(got.Len()) > limit {
					t.Fatalf("size %d, %s: %d bytes delivered before the hash failed; at most %d may be", size, name, got.Len(), limit)
				}
				if !bytes.Equal(got.Bytes(), content[:got.Len()]) {
					t.Fatalf("size %d, %s: the delivered bytes are not the content's", size, name)
				}
			}
		}
		assertNoStages(t)
	})
}

// A stage failing during an upload through the service (the storage write,
// or the read-back that finds the stored ciphertext corrupted) fails the
// upload: no item becomes available and nothing stays in storage.
func TestUploadStageFailureMakesNothingAvailable(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		for name, fs := range map[string]*faultyStore{
			"storage write fails":                  {putFailAfter: 1 << 20},
			"read-back finds corrupted ciphertext": {flipAt: 1<<20 + 3},
		} {
			t.Run(name, func(t *testing.T) {
				base := localStore(t)
				fs.Storage = base
				f := newFixture(t, d, fs)
				cid := newCase(t, d)
				_, _, err := f.svc.Upload(context.Background(), admin, cid,
					uploadInput("", "a.pdf", "application/pdf", plaintext(14, 3<<20), "item"))
				if !errors.Is(err, apperr.ErrUnavailable) {
					t.Fatalf("Upload: %v; want the storage-unavailable error", err)
				}
				var n int64
				if err := d.Model(&evidence.Item{}).Where("case_id = ?", cid).Count(&n).Error; err != nil || n != 0 {
					t.Fatalf("%d items (%v) after a failed upload; want none", n, err)
				}
				if keys := storagetest.List(t, base, ""); len(keys) != 0 {
					t.Fatalf("objects after a failed upload: %v", keys)
				}
				assertNoStages(t)
			})
		}
	})
}

// A client that goes away in the middle of a download stops every stage of
// it, and is not taken for an integrity failure.
func TestDownloadClientGoneStopsEveryStage(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testkit.NewServer(t, d, nil)
		tok, _ := testkit.UserToken(t, s, actor.Admin)
		cid := evCase(t, d)
		content, _ := io.ReadAll(plaintext(15, 20<<20))
		var v evView
		upload(t, s, tok, cid, []part{{"title", "big"}}, "big.pdf", content, nil).JSON(t, &v)
		req, _ := http.NewRequest("GET", s.URL+"/api/v1/cases/"+cid+"/evidence/"+v.ID+"/content", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := s.Client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.CopyN(io.Discard, resp.Body, 1<<20); err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close() // unread: the client closes the connection
		assertNoStages(t)
		var after evView
		s.Do(testkit.Request{Method: "GET", Path: "/api/v1/cases/" + cid + "/evidence/" + v.ID, Token: tok}).JSON(t, &after)
		if after.Integrity != "ok" {
			t.Fatalf("integrity after a client went away: %q; want ok", after.Integrity)
		}
	})
}
