package evidence_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/config"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/evidence"
	"github.com/habeas-org/habeas/internal/storage/storagetest"
	"github.com/habeas-org/habeas/internal/testkit"
)

// The S3 server is stopped (SIGSTOP, a hung server): a 1 MiB upload answers
// 503 storage_unavailable with Retry-After within the storage deadlines
// (2s here) instead of waiting for the server, and leaves no item; a
// download answers 503 too, without claiming that nothing was stored.
func TestEvidenceUploadS3HungAnswers503(t *testing.T) {
	bin := storagetest.VersitygwBin(t)
	const deadline = 2 * time.Second
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		gw := storagetest.StartVersitygw(t, bin, t.TempDir(), "")
		s := testkit.NewServer(t, d, func(c *config.Config) {
			c.Storage = "s3"
			c.S3 = config.S3{Endpoint: gw.Opts.Endpoint, Bucket: gw.Opts.Bucket, AccessKey: gw.Opts.AccessKey,
				SecretKey: config.Secret(gw.Opts.SecretKey), Region: gw.Opts.Region, ConnectTimeout: time.Second}
			c.StorageCallTimeout, c.StorageStallTimeout = deadline, deadline
		})
		tok, _ := testkit.UserToken(t, s, actor.Admin)
		cid := evCase(t, d)
		r := upload(t, s, tok, cid, []part{{"title", "before"}}, "before.txt", []byte("stored before the hang"), nil)
		if r.StatusCode != 201 {
			t.Fatalf("upload with the server up: %d %s", r.StatusCode, r.Body)
		}
		var before evView
		_ = json.Unmarshal(r.Body, &before)

		gw.Freeze(t)
		client := *s.Client
		client.Timeout = 20 * time.Second
		send := func(method, path string, body []byte, ct string) (int, http.Header, string, time.Duration) {
			t.Helper()
			req, _ := http.NewRequest(method, s.URL+path, bytes.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+tok)
			if ct != "" {
				req.Header.Set("Content-Type", ct)
			}
			start := time.Now()
			resp, err := client.Do(req)
			if err != nil {
				if ne, ok := errors.AsType[net.Error](err); ok && ne.Timeout() {
					t.Fatalf("%s %s: no answer after %v with the S3 server stopped (SIGSTOP)", method, path, client.Timeout)
				}
				t.Fatalf("%s %s: %v", method, path, err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return resp.StatusCode, resp.Header, string(b), time.Since(start)
		}
		body, ct := multipartBody(t, []part{{"title", "hung"}}, "hung.bin", "", bytes.Repeat([]byte("h"), 1<<20))
		code, hdr, msg, took := send("POST", "/api/v1/cases/"+cid+"/evidence", body, ct)
		t.Logf("upload with the server stopped: %d after %v: %s", code, took.Round(time.Millisecond), msg)
		if code != 503 || !strings.Contains(msg, `"storage_unavailable"`) || hdr.Get("Retry-After") != "30" {
			t.Errorf("upload with the server stopped: %d Retry-After %q %s; want 503 storage_unavailable, Retry-After: 30", code, hdr.Get("Retry-After"), msg)
		}
		if !strings.Contains(msg, "nothing was stored") {
			t.Errorf("upload 503 message %s; want it to say nothing was stored", msg)
		}
		if took > deadline+5*time.Second {
			t.Errorf("upload with the server stopped answered after %v; want within the %v deadline (plus a margin)", took, deadline)
		}
		var items []evidence.Item
		if err := d.Find(&items).Error; err != nil {
			t.Fatal(err)
		}
		if len(items) != 1 || items[0].ID != before.ID {
			t.Errorf("evidence rows after the failed upload: %+v; want only the item stored before", items)
		}

		code, hdr, msg, took = send("GET", "/api/v1/cases/"+cid+"/evidence/"+before.ID+"/content", nil, "")
		t.Logf("download with the server stopped: %d after %v: %s", code, took.Round(time.Millisecond), msg)
		if code != 503 || !strings.Contains(msg, `"storage_unavailable"`) || hdr.Get("Retry-After") != "30" {
			t.Errorf("download with the server stopped: %d Retry-After %q %s; want 503 storage_unavailable, Retry-After: 30", code, hdr.Get("Retry-After"), msg)
		}
		if strings.Contains(msg, "nothing was stored") {
			t.Errorf("download 503 message %s says nothing was stored (that is the upload's wording)", msg)
		}
		if took > deadline+5*time.Second {
			t.Errorf("download with the server stopped answered after %v", took)
		}
		gw.Thaw(t)
	})
}

// A download whose storage fails (the S3 server is gone) answers 503
// storage_unavailable with Retry-After, in words of its own: "nothing was
// stored" is the failed upload's message, not a download's.
func TestEvidenceDownloadStorageFailureWording(t *testing.T) {
	bin := storagetest.VersitygwBin(t)
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		gw := storagetest.StartVersitygw(t, bin, t.TempDir(), "")
		s := testkit.NewServer(t, d, func(c *config.Config) {
			c.Storage = "s3"
			c.S3 = config.S3{Endpoint: gw.Opts.Endpoint, Bucket: gw.Opts.Bucket, AccessKey: gw.Opts.AccessKey,
				SecretKey: config.Secret(gw.Opts.SecretKey), Region: gw.Opts.Region}
		})
		tok, _ := testkit.UserToken(t, s, actor.Admin)
		cid := evCase(t, d)
		r := upload(t, s, tok, cid, []part{{"title", "before"}}, "before.txt", []byte("stored before the crash"), nil)
		if r.StatusCode != 201 {
			t.Fatalf("upload: %d %s", r.StatusCode, r.Body)
		}
		var v evView
		_ = json.Unmarshal(r.Body, &v)
		gw.Kill(t)
		r = s.Do(testkit.Request{Method: "GET", Path: "/api/v1/cases/" + cid + "/evidence/" + v.ID + "/content", Token: tok})
		if r.StatusCode != 503 || !strings.Contains(string(r.Body), `"storage_unavailable"`) || r.Header.Get("Retry-After") != "30" {
			t.Fatalf("download with the S3 server gone: %d Retry-After %q %s; want 503 storage_unavailable, Retry-After: 30",
				r.StatusCode, r.Header.Get("Retry-After"), r.Body)
		}
		if strings.Contains(string(r.Body), "nothing was stored") {
			t.Fatalf("download 503 says %s; \"nothing was stored\" is the upload's wording", r.Body)
		}
	})
}

// The S3 server is stopped while a download is streaming: the server cuts
// the connection within the stall timeout (the client sees a broken body,
// never a short file taken for whole), instead of holding it open.
func TestEvidenceDownloadS3HungMidStreamIsCut(t *testing.T) {
	bin := storagetest.VersitygwBin(t)
	const stall = 2 * time.Second
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		gw := storagetest.StartVersitygw(t, bin, t.TempDir(), "")
		s := testkit.NewServer(t, d, func(c *config.Config) {
			c.Storage = "s3"
			c.S3 = config.S3{Endpoint: gw.Opts.Endpoint, Bucket: gw.Opts.Bucket, AccessKey: gw.Opts.AccessKey,
				SecretKey: config.Secret(gw.Opts.SecretKey), Region: gw.Opts.Region}
			c.StorageCallTimeout, c.StorageStallTimeout = stall, stall
		})
		tok, _ := testkit.UserToken(t, s, actor.Admin)
		cid := evCase(t, d)
		const size = 48 << 20 // far more than the buffers on the way
		content, _ := io.ReadAll(storagetest.Gen(8, size))
		r := upload(t, s, tok, cid, []part{{"title", "big"}}, "big.bin", content, nil)
		if r.StatusCode != 201 {
			t.Fatalf("upload: %d %s", r.StatusCode, r.Body)
		}
		var v evView
		_ = json.Unmarshal(r.Body, &v)
		req, _ := http.NewRequest("GET", s.URL+"/api/v1/cases/"+cid+"/evidence/"+v.ID+"/content", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := s.Client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("download: %d", resp.StatusCode)
		}
		if _, err := io.CopyN(io.Discard, resp.Body, 1<<20); err != nil {
			t.Fatal(err)
		}
		gw.Freeze(t)
		start := time.Now()
		done := make(chan error, 1)
		var n int64
		go func() {
			var err error
			n, err = io.Copy(io.Discard, resp.Body)
			done <- err
		}()
		select {
		case err := <-done:
			took := time.Since(start)
			t.Logf("download cut after %v and %d more bytes: %v", took.Round(time.Millisecond), n, err)
			if err == nil {
				t.Fatalf("the download completed (%d more bytes) although the S3 server is stopped", n)
			}
			if took > stall+5*time.Second {
				t.Fatalf("the download was cut after %v; want within the %v stall timeout (plus a margin)", took, stall)
			}
		case <-time.After(20 * time.Second):
			t.Fatalf("download: connection still open 20s after the S3 server was stopped (SIGSTOP)")
		}
		gw.Thaw(t)
	})
}
