// Package storagetest is the conformance suite every storage.Storage driver
// must pass. Each subtest works under its own random key prefix, so drivers
// backed by a shared bucket can run it concurrently with other runs.
package storagetest

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"io"
	mrand "math/rand/v2"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/habeas-org/habeas/internal/storage"
)

// LargeSize is the size of the "large" objects: generated on the fly, never
// held in memory, and several multipart parts on S3.
var LargeSize int64 = 40<<20 + 3

// Run runs the suite; newStorage returns a ready driver (called once per subtest).
func Run(t *testing.T, newStorage func(t *testing.T) storage.Storage) {
	sub := func(name string, fn func(t *testing.T, s storage.Storage, ns string)) {
		t.Run(name, func(t *testing.T) {
			s := newStorage(t)
			ns := Namespace(t, s)
			fn(t, s, ns)
		})
	}
	sub("RoundTrip", testRoundTrip)
	sub("Missing", testMissing)
	sub("DeleteIdempotent", testDelete)
	sub("WalkPrefix", testWalk)
	sub("BadKeys", testBadKeys)
	sub("FailingReaderLeavesNothing", testFailingReader)
	sub("SizeMismatchLeavesNothing", testSizeMismatch)
	sub("CancelledContextLeavesNothing", testCancelled)
	sub("OverwriteIsAtomic", testOverwrite)
	sub("PingAndName", func(t *testing.T, s storage.Storage, _ string) {
		if err := s.Ping(context.Background()); err != nil {
			t.Fatalf("Ping: %v", err)
		}
		if s.Name() == "" {
			t.Fatal("Name is empty")
		}
	})
}

// Namespace returns a fresh random key prefix ("st-<hex>/") and removes
// every object under it when the test ends.
func Namespace(t testing.TB, s storage.Storage) string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	ns := "st-" + hex.EncodeToString(b[:]) + "/"
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		var keys []string
		_ = s.Walk(ctx, ns, func(o storage.Object) error { keys = append(keys, o.Key); return nil })
		for _, k := range keys {
			_ = s.Delete(ctx, k)
		}
	})
	return ns
}

// Gen returns a deterministic pseudo-random stream of n bytes for seed,
// produced on the fly (constant memory).
func Gen(seed uint64, n int64) io.Reader {
	var s [32]byte
	binary.LittleEndian.PutUint64(s[:], seed)
	return io.LimitReader(mrand.NewChaCha8(s), n)
}

// GenSum is the SHA-256 of Gen(seed, n).
func GenSum(seed uint64, n int64) string {
	h := sha256.New()
	_, _ = io.Copy(h, Gen(seed, n))
	return hex.EncodeToString(h.Sum(nil))
}

// ReadSum opens key and returns the SHA-256 and length of its content.
func ReadSum(t testing.TB, s storage.Storage, key string) (string, int64) {
	t.Helper()
	rc, err := s.Open(context.Background(), key)
	if err != nil {
		t.Fatalf("Open %s: %v", key, err)
	}
	defer rc.Close()
	h := sha256.New()
	n, err := io.Copy(h, rc)
	if err != nil {
		t.Fatalf("read %s: %v", key, err)
	}
	return hex.EncodeToString(h.Sum(nil)), n
}

// AssertAbsent fails unless key is absent for Stat, Open and Walk.
func AssertAbsent(t testing.TB, s storage.Storage, key string) {
	t.Helper()
	ctx := context.Background()
	if o, err := s.Stat(ctx, key); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("Stat %s = %+v, %v; want os.ErrNotExist", key, o, err)
	}
	if rc, err := s.Open(ctx, key); !errors.Is(err, os.ErrNotExist) {
		if rc != nil {
			_ = rc.Close()
		}
		t.Fatalf("Open %s: %v; want os.ErrNotExist", key, err)
	}
	if keys := List(t, s, key); len(keys) != 0 {
		t.Fatalf("Walk(%q) lists %v; want nothing", key, keys)
	}
}

// List returns the keys Walk reports under prefix.
func List(t testing.TB, s storage.Storage, prefix string) []string {
	t.Helper()
	var keys []string
	if err := s.Walk(context.Background(), prefix, func(o storage.Object) error {
		keys = append(keys, o.Key)
		return nil
	}); err != nil {
		t.Fatalf("Walk(%q): %v", prefix, err)
	}
	return keys
}

// FailAfter yields n bytes of r, then fails with err.
type FailAfter struct {
	R   io.Reader
	N   int64
	Err error
}

func (f *FailAfter) Read(p []byte) (int, error) {
	if f.N <= 0 {
		return 0, f.Err
	}
	if int64(len(p)) > f.N {
		p = p[:f.N]
	}
	n, err := f.R.Read(p)
	f.N -= int64(n)
	return n, err
}

// OnAfter calls Fn once, as soon as more than N bytes have been read from R.
type OnAfter struct {
	R    io.Reader
	N    int64
	Fn   func()
	read int64
	once sync.Once
}

func (o *OnAfter) Read(p []byte) (int, error) {
	n, err := o.R.Read(p)
	o.read += int64(n)
	if o.read > o.N {
		o.once.Do(o.Fn)
	}
	return n, err
}

var errBoom = errors.New("storagetest: reader failed on purpose")

func put(t *testing.T, s storage.Storage, key string, seed uint64, n int64, declare bool) {
	t.Helper()
	size := int64(-1)
	if declare {
		size = n
	}
	got, err := s.Put(context.Background(), key, Gen(seed, n), size)
	if err != nil {
		t.Fatalf("Put %s (%d bytes, size %d): %v", key, n, size, err)
	}
	if got != n {
		t.Fatalf("Put %s wrote %d bytes, want %d", key, got, n)
	}
}

func testRoundTrip(t *testing.T, s storage.Storage, ns string) {
	for _, tc := range []struct {
		name string
		n    int64
	}{{"0B", 0}, {"1B", 1}, {"5MiB", 5 << 20}, {"large", LargeSize}} {
		for _, declare := range []bool{true, false} {
			name := tc.name + "/size-unknown"
			if declare {
				name = tc.name + "/size-known"
			}
			t.Run(name, func(t *testing.T) {
				key := ns + "rt/" + strings.ToLower(tc.name) + map[bool]string{true: "-k", false: "-u"}[declare]
				seed := uint64(tc.n) + 7
				put(t, s, key, seed, tc.n, declare)
				o, err := s.Stat(context.Background(), key)
				if err != nil {
					t.Fatalf("Stat: %v", err)
				}
				if o.Size != tc.n || o.Key != key {
					t.Fatalf("Stat = %+v, want key %s size %d", o, key, tc.n)
				}
				sum, n := ReadSum(t, s, key)
				if n != tc.n || sum != GenSum(seed, tc.n) {
					t.Fatalf("read back %d bytes (sha256 %s), want %d bytes (%s)", n, sum, tc.n, GenSum(seed, tc.n))
				}
			})
		}
	}
}

func testMissing(t *testing.T, s storage.Storage, ns string) {
	AssertAbsent(t, s, ns+"never/written")
}

func testDelete(t *testing.T, s storage.Storage, ns string) {
	ctx := context.Background()
	key := ns + "del/obj"
	put(t, s, key, 1, 1000, true)
	for i := 0; i < 2; i++ {
		if err := s.Delete(ctx, key); err != nil {
			t.Fatalf("Delete #%d: %v", i+1, err)
		}
		AssertAbsent(t, s, key)
	}
	if err := s.Delete(ctx, ns+"del/never-existed"); err != nil {
		t.Fatalf("Delete of a never-written key: %v", err)
	}
}

func testWalk(t *testing.T, s storage.Storage, ns string) {
	keys := []string{ns + "a/b/1", ns + "a/b/2", ns + "a/c/3", ns + "ab/4", ns + "z"}
	for i, k := range keys {
		put(t, s, k, uint64(i), int64(10+i), true)
	}
	for _, tc := range []struct {
		prefix string
		want   []string
	}{
		{ns + "a/b/", keys[:2]},
		{ns + "a/", keys[:3]},
		{ns + "a", keys[:4]},
		{ns, keys},
		{ns + "a/b/1", keys[:1]},
		{ns + "nothing/", nil},
	} {
		got := List(t, s, tc.prefix)
		slices.Sort(got)
		if !slices.Equal(got, tc.want) {
			t.Errorf("Walk(%q) = %v, want %v", tc.prefix, got, tc.want)
		}
	}
	var sizes []int64
	_ = s.Walk(context.Background(), ns+"a/b/", func(o storage.Object) error { sizes = append(sizes, o.Size); return nil })
	slices.Sort(sizes)
	if !slices.Equal(sizes, []int64{10, 11}) {
		t.Errorf("Walk sizes = %v, want [10 11]", sizes)
	}
	stop := errors.New("stop")
	calls := 0
	err := s.Walk(context.Background(), ns, func(storage.Object) error { calls++; return stop })
	if !errors.Is(err, stop) || calls != 1 {
		t.Errorf("Walk with a failing callback: err %v after %d calls, want the callback's error after 1", err, calls)
	}
}

func testBadKeys(t *testing.T, s storage.Storage, ns string) {
	ctx := context.Background()
	bad := []string{
		"", "/", "/etc/passwd", "../escape", ns + "../escape", ns + "a/../../b", "..", ".",
		ns + "./x", ns + ".hidden", "Upper", ns + "Upper/x", ns + "a//b", ns + "trailing/",
		ns + "sp ace", ns + "back\\slash", ns + "nul\x00", ns + "new\nline", ns + "é",
	}
	for _, key := range bad {
		if _, err := s.Put(ctx, key, bytes.NewReader([]byte("x")), 1); !errors.Is(err, storage.ErrBadKey) {
			t.Errorf("Put(%q): %v, want ErrBadKey", key, err)
		}
		if rc, err := s.Open(ctx, key); !errors.Is(err, storage.ErrBadKey) {
			if rc != nil {
				_ = rc.Close()
			}
			t.Errorf("Open(%q): %v, want ErrBadKey", key, err)
		}
		if _, err := s.Stat(ctx, key); !errors.Is(err, storage.ErrBadKey) {
			t.Errorf("Stat(%q): %v, want ErrBadKey", key, err)
		}
		if err := s.Delete(ctx, key); !errors.Is(err, storage.ErrBadKey) {
			t.Errorf("Delete(%q): %v, want ErrBadKey", key, err)
		}
	}
	if keys := List(t, s, ns); len(keys) != 0 {
		t.Errorf("bad keys left objects: %v", keys)
	}
}

func testFailingReader(t *testing.T, s storage.Storage, ns string) {
	for _, tc := range []struct {
		name      string
		total, at int64
		declare   bool
	}{
		{"small/size-known", 4096, 1000, true},
		{"small/size-unknown", 4096, 1000, false},
		{"at-0/size-unknown", 4096, 0, false},
		{"large/size-known", LargeSize, LargeSize - 1<<20, true},
		{"large/size-unknown", LargeSize, LargeSize - 1<<20, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			key := ns + "fail/obj"
			size := int64(-1)
			if tc.declare {
				size = tc.total
			}
			r := &FailAfter{R: Gen(3, tc.total), N: tc.at, Err: errBoom}
			if _, err := s.Put(context.Background(), key, r, size); err == nil {
				t.Fatal("Put succeeded although its reader failed")
			} else {
				t.Logf("Put error (expected): %v", err)
			}
			AssertAbsent(t, s, key)
			if keys := List(t, s, ns); len(keys) != 0 {
				t.Fatalf("failed Put left %v visible", keys)
			}
		})
	}
}

func testSizeMismatch(t *testing.T, s storage.Storage, ns string) {
	for _, tc := range []struct {
		name          string
		actual, claim int64
	}{
		{"shorter", 1000, 1001},
		{"longer", 1001, 1000},
		{"empty-claimed-1", 0, 1},
		{"1-claimed-empty", 1, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			key := ns + "size/" + tc.name
			if _, err := s.Put(context.Background(), key, Gen(4, tc.actual), tc.claim); err == nil {
				t.Fatalf("Put of %d bytes declared as %d succeeded", tc.actual, tc.claim)
			}
			AssertAbsent(t, s, key)
		})
	}
}

func testCancelled(t *testing.T, s storage.Storage, ns string) {
	t.Run("before", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		key := ns + "cancel/before"
		if _, err := s.Put(ctx, key, Gen(5, 1000), 1000); err == nil {
			t.Fatal("Put with a cancelled context succeeded")
		}
		AssertAbsent(t, s, key)
	})
	for _, declare := range []bool{true, false} {
		t.Run(map[bool]string{true: "midway/size-known", false: "midway/size-unknown"}[declare], func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			key := ns + "cancel/midway"
			size := int64(-1)
			if declare {
				size = LargeSize
			}
			r := &OnAfter{R: Gen(6, LargeSize), N: LargeSize / 2, Fn: cancel}
			start := time.Now()
			_, err := s.Put(ctx, key, r, size)
			if err == nil {
				t.Fatal("Put succeeded although its context was cancelled midway")
			}
			if !errors.Is(err, context.Canceled) {
				t.Logf("note: error does not wrap context.Canceled: %v", err)
			}
			t.Logf("cancelled Put returned after %v: %v", time.Since(start).Round(time.Millisecond), err)
			AssertAbsent(t, s, key)
		})
	}
}

func testOverwrite(t *testing.T, s storage.Storage, ns string) {
	key := ns + "over/obj"
	const n1, n2 = 6<<20 + 1, 7<<20 + 5
	put(t, s, key, 10, n1, true)
	sum1, sum2 := GenSum(10, n1), GenSum(11, n2)

	// Readers run during the overwrite; each must see one version whole.
	var stop atomic.Bool
	var wg sync.WaitGroup
	var mu sync.Mutex
	var bad []string
	reads := 0
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				rc, err := s.Open(context.Background(), key)
				if err != nil {
					mu.Lock()
					bad = append(bad, "Open: "+err.Error())
					mu.Unlock()
					return
				}
				h := sha256.New()
				_, err = io.Copy(h, rc)
				_ = rc.Close()
				sum := hex.EncodeToString(h.Sum(nil))
				mu.Lock()
				reads++
				if err != nil {
					bad = append(bad, "read: "+err.Error())
				} else if sum != sum1 && sum != sum2 {
					bad = append(bad, "torn read "+sum)
				}
				mu.Unlock()
			}
		}()
	}
	put(t, s, key, 11, n2, false)
	stop.Store(true)
	wg.Wait()
	if len(bad) > 0 {
		t.Fatalf("concurrent reads during overwrite: %v", bad)
	}
	t.Logf("%d concurrent reads during the overwrite, each saw one whole version", reads)
	if got, n := ReadSum(t, s, key); got != sum2 || n != n2 {
		t.Fatalf("after overwrite: %d bytes %s, want %d bytes %s", n, got, n2, sum2)
	}
	if o, err := s.Stat(context.Background(), key); err != nil || o.Size != n2 {
		t.Fatalf("Stat after overwrite = %+v, %v; want size %d", o, err, n2)
	}
	// A failed overwrite leaves the previous version intact.
	for _, declare := range []bool{true, false} {
		size := int64(-1)
		if declare {
			size = LargeSize
		}
		if _, err := s.Put(context.Background(), key, &FailAfter{R: Gen(12, LargeSize), N: LargeSize - 1, Err: errBoom}, size); err == nil {
			t.Fatal("failing overwrite succeeded")
		}
		if got, n := ReadSum(t, s, key); got != sum2 || n != n2 {
			t.Fatalf("failed overwrite (size %d) changed the object: %d bytes %s, want %d bytes %s", size, n, got, n2, sum2)
		}
	}
	if keys := List(t, s, ns); !slices.Equal(keys, []string{key}) {
		t.Fatalf("after overwrites Walk lists %v, want only %s", keys, key)
	}
}
