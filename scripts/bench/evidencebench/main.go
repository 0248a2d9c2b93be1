// Command evidencebench times one evidence-vault operation on one storage
// driver, for scripts/bench/evidence.sh (which runs it under /usr/bin/time
// to get the peak RSS of each operation in a process of its own).
//
//	evidencebench -op put -file F -key K -identity ID [-s3]   encrypt F into storage under K
//	evidencebench -op get -key K -sha S -size N -out O ...     decrypt+verify K into O
//	evidencebench -op verify -key K -sha S -size N ...         decrypt+verify K (the read-back of an upload)
//
// -cpuprofile F writes a CPU profile of the operation to F (go tool pprof).
// Local storage lives under -dir; S3 uses the HABEAS_TEST_S3_* variables.
// It prints one line: op, bytes, seconds, MiB/s.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"time"

	"github.com/habeas-org/habeas/internal/evidence"
	"github.com/habeas-org/habeas/internal/storage"
)

func main() {
	op := flag.String("op", "", "put, get or verify")
	file := flag.String("file", "", "put: the plaintext file")
	out := flag.String("out", "", "get: where to write the plaintext")
	key := flag.String("key", "", "object key")
	sha := flag.String("sha", "", "get, verify: expected sha256")
	size := flag.Int64("size", 0, "get, verify: expected size")
	identity := flag.String("identity", "", "age identity file (created when absent)")
	dir := flag.String("dir", "", "local storage root")
	useS3 := flag.Bool("s3", false, "use the S3 server of HABEAS_TEST_S3_*")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the operation to this file")
	flag.Parse()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "evidencebench:", err)
			os.Exit(1)
		}
	}
	err := run(*op, *file, *out, *key, *sha, *size, *identity, *dir, *useS3)
	if *cpuprofile != "" {
		pprof.StopCPUProfile()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "evidencebench:", err)
		os.Exit(1)
	}
}

func run(op, file, out, key, sha string, size int64, identity, dir string, useS3 bool) error {
	ctx := context.Background()
	var store storage.Storage
	if useS3 {
		s, err := storage.NewS3(ctx, storage.S3Options{
			Endpoint: os.Getenv("HABEAS_TEST_S3_ENDPOINT"), Bucket: os.Getenv("HABEAS_TEST_S3_BUCKET"),
			AccessKey: os.Getenv("HABEAS_TEST_S3_ACCESS_KEY"), SecretKey: os.Getenv("HABEAS_TEST_S3_SECRET_KEY"),
			Region: os.Getenv("HABEAS_TEST_S3_REGION"),
		})
		if err != nil {
			return err
		}
		store = s
	} else {
		l, err := storage.NewLocal(dir)
		if err != nil {
			return err
		}
		store = l
	}
	keys, err := evidence.LoadKeys(evidence.KeyOptions{IdentityFile: identity})
	if err != nil {
		return err
	}
	v := evidence.NewVault(store, keys, 4<<30)
	start := time.Now()
	var n int64
	switch op {
	case "put":
		f, err := os.Open(file)
		if err != nil {
			return err
		}
		defer f.Close()
		st, err := v.Put(ctx, key, f)
		if err != nil {
			return err
		}
		n = st.Size
		fmt.Fprintf(os.Stderr, "sha256 %s size %d\n", st.SHA256, st.Size)
	case "verify":
		if err := v.Verify(ctx, key, sha, size); err != nil {
			return err
		}
		n = size
	case "get":
		rc, err := v.Open(ctx, key, sha, size)
		if err != nil {
			return err
		}
		defer rc.Close()
		f, err := os.Create(out)
		if err != nil {
			return err
		}
		if n, err = io.CopyBuffer(f, rc, make([]byte, 64<<10)); err != nil {
			return err
		}
		if err := f.Sync(); err != nil {
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
	default:
		return fmt.Errorf("-op must be put, get or verify")
	}
	secs := time.Since(start).Seconds()
	fmt.Printf("%s %d %.3f %.1f\n", op, n, secs, float64(n)/secs/(1<<20))
	return nil
}
