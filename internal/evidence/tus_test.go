package evidence_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"

	"net/http"
	"os"
	"path"
	"path/filepath"
	"strconv"
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

// tusMeta encodes tus Upload-Metadata.
func tusMeta(kv ...string) string {
	var parts []string
	for i := 0; i+1 < len(kv); i += 2 {
		parts = append(parts, kv[i]+" "+base64.StdEncoding.EncodeToString([]byte(kv[i+1])))
	}
	return strings.Join(parts, ",")
}

// tusCreate creates a resumable upload and returns the response.
func tusCreate(t *testing.T, s *testkit.Server, tok, caseID string, length int, meta string) *testkit.Response {
	t.Helper()
	return s.Do(testkit.Request{Method: "POST", Path: "/api/v1/cases/" + caseID + "/evidence/uploads", Token: tok,
		Header: http.Header{"Tus-Resumable": {"1.0.0"}, "Upload-Length": {strconv.Itoa(length)}, "Upload-Metadata": {meta}}})
}

// tusHead returns the status and the server's offset of an upload.
func tusHead(t *testing.T, s *testkit.Server, tok, loc string) (int, int64) {
	t.Helper()
	r := s.Do(testkit.Request{Method: "HEAD", Path: loc, Token: tok, Header: http.Header{"Tus-Resumable": {"1.0.0"}}})
	n, _ := strconv.ParseInt(r.Header.Get("Upload-Offset"), 10, 64)
	return r.StatusCode, n
}

func tusPatch(t *testing.T, s *testkit.Server, tok, loc string, offset int64, body []byte) *testkit.Response {
	t.Helper()
	return s.Do(testkit.Request{Method: "PATCH", Path: loc, Token: tok, Body: body, Header: http.Header{"Tus-Resumable": {"1.0.0"},
		"Content-Type": {"application/offset+octet-stream"}, "Upload-Offset": {strconv.FormatInt(offset, 10)}}})
}

// cutReader sends n bytes of b, then fails: the client aborts the request
// and closes its connection, as a dropped link does.
type cutReader struct {
	b []byte
	n int
}

func (c *cutReader) Read(p []byte) (int, error) {
	if c.n == 0 {
		time.Sleep(200 * time.Millisecond) // let what was sent reach the server
		return 0, errors.New("link dropped")
	}
	m := copy(p, c.b[:min(c.n, len(p))])
	c.b, c.n = c.b[m:], c.n-m
	return m, nil
}

// tusMarker is a plaintext that must never be found in the partial data.
const tusMarker = "CONFIDENTIAL-WITNESS-STATEMENT-7f3a"

// testFile is size bytes of random data with the tusMarker every 64 KiB.
func testFile(size int) []byte {
	b := make([]byte, size)
	_, _ = rand.Read(b)
	for i := 0; i+len(tusMarker) < size; i += 64 << 10 {
		copy(b[i:], tusMarker)
	}
	return b
}

// grepDir lists the files under dir that contain needle.
func grepDir(t *testing.T, dir, needle string) (files int, found []string) {
	t.Helper()
	_ = filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return nil
		}
		files++
		if info.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s has mode %v, want 0600", p, info.Mode().Perm())
		}
		raw, err := os.ReadFile(p)
		if err == nil && bytes.Contains(raw, []byte(needle)) {
			found = append(found, p)
		}
		return nil
	})
	return files, found
}

// TestResumableUploadCutAtHalfResumes: a tus upload whose connection is cut
// at 50% keeps what arrived (encrypted: the partial data holds no
// plaintext), resumes from the server's offset, and the stored item has
// the file's SHA-256; on both databases, local disk and S3.
func TestResumableUploadCutAtHalfResumes(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		for _, driver := range []string{"local", "s3"} {
			t.Run(driver, func(t *testing.T) {
				dataDir := t.TempDir()
				configure := func(c *config.Config) { c.DataDir = dataDir }
				if driver == "s3" {
					gw := storagetest.StartVersitygw(t, storagetest.VersitygwBin(t), t.TempDir(), "")
					configure = func(c *config.Config) {
						c.DataDir = dataDir
						c.Storage = "s3"
						c.S3 = config.S3{Endpoint: gw.Opts.Endpoint, Bucket: gw.Opts.Bucket, AccessKey: gw.Opts.AccessKey,
							SecretKey: config.Secret(gw.Opts.SecretKey), Region: gw.Opts.Region}
					}
				}
				s := testkit.NewServer(t, d, configure)
				before := evRows(t, d) // the database is shared by the drivers' runs
				tok, _ := testkit.UserToken(t, s, actor.Lawyer)
				cid := evCase(t, d)
				evAssign(t, d, cid, lawyerID(t, s, tok))
				file := testFile(3 << 20)
				r := tusCreate(t, s, tok, cid, len(file), tusMeta("title", "证人陈述 statement", "kind", "testimony", "filename", "statement.bin",
					"filetype", "application/octet-stream", "confidential", "true"))
				if r.StatusCode != 201 || r.Header.Get("Upload-Expires") == "" {
					t.Fatalf("create: %d %s %v", r.StatusCode, r.Body, r.Header)
				}
				loc := r.Header.Get("Location")
				if !strings.HasPrefix(loc, "/api/v1/cases/"+cid+"/evidence/uploads/") {
					t.Fatalf("Location %q", loc)
				}

				// The link drops at 50%.
				half := len(file) / 2
				req, _ := http.NewRequest("PATCH", s.URL+loc, &cutReader{b: file, n: half})
				req.ContentLength = int64(len(file))
				req.Header.Set("Authorization", "Bearer "+tok)
				req.Header.Set("Tus-Resumable", "1.0.0")
				req.Header.Set("Content-Type", "application/offset+octet-stream")
				req.Header.Set("Upload-Offset", "0")
				if resp, err := s.Client.Do(req); err == nil {
					resp.Body.Close()
					t.Fatalf("the cut PATCH answered %d", resp.StatusCode)
				}
				var offset int64
				for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
					var st int
					if st, offset = tusHead(t, s, tok, loc); st != 200 {
						t.Fatalf("HEAD: %d", st)
					}
					if offset == int64(half) {
						break
					}
				}
				if offset != int64(half) {
					t.Fatalf("server offset after the cut: %d, want %d", offset, half)
				}
				if n := evRows(t, d) - before; n != 0 {
					t.Fatalf("%d evidence rows before the upload completed", n)
				}
				files, found := grepDir(t, filepath.Join(dataDir, "uploads"), tusMarker)
				if files == 0 || len(found) > 0 {
					t.Fatalf("partial data: %d files, plaintext found in %v", files, found)
				}

				// Resume from the server's offset.
				if r := tusPatch(t, s, tok, loc, offset, file[offset:]); r.StatusCode != 204 || r.Header.Get("Upload-Offset") != strconv.Itoa(len(file)) {
					t.Fatalf("resume: %d %s", r.StatusCode, r.Body)
				}
				var st struct {
					Offset int64   `json:"offset"`
					Item   *evView `json:"item"`
				}
				sr := s.Do(testkit.Request{Method: "GET", Path: loc, Token: tok})
				sr.JSON(t, &st)
				if st.Item == nil || st.Item.SHA256 != sha(file) || st.Item.Size != int64(len(file)) || st.Item.Integrity != "ok" || st.Item.Title != "证人陈述 statement" {
					t.Fatalf("status after completion: %s", sr.Body)
				}
				if files, _ := grepDir(t, filepath.Join(dataDir, "uploads"), tusMarker); files != 0 {
					t.Errorf("%d partial files left after completion", files)
				}
				dl := s.Do(testkit.Request{Method: "GET", Path: "/api/v1/cases/" + cid + "/evidence/" + st.Item.ID + "/content", Token: tok})
				if dl.StatusCode != 200 || sha(dl.Body) != sha(file) {
					t.Fatalf("download: %d, sha %s", dl.StatusCode, sha(dl.Body))
				}
				// A repeated last PATCH stores nothing twice.
				if r := tusPatch(t, s, tok, loc, int64(len(file)), nil); r.StatusCode != 204 {
					t.Errorf("PATCH of a complete upload: %d %s", r.StatusCode, r.Body)
				}
				if n := evRows(t, d) - before; n != 1 {
					t.Errorf("%d evidence rows, want 1", n)
				}
			})
		}
	})
}

// lawyerID is the user id behind a token.
func lawyerID(t *testing.T, s *testkit.Server, tok string) string {
	t.Helper()
	var me struct {
		ID string `json:"id"`
	}
	s.Do(testkit.Request{Method: "GET", Path: "/api/v1/me", Token: tok}).JSON(t, &me)
	return me.ID
}

// TestResumableUploadAccess: an upload is its creator's: another lawyer of
// the same case, and a lawyer of another case, get 404; an observer may
// not create one (403), nor may anyone on a case they cannot see (404).
func TestResumableUploadAccess(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testkit.NewServer(t, d, nil)
		a, _ := testkit.UserToken(t, s, actor.Lawyer)
		b, _ := testkit.UserToken(t, s, actor.Lawyer)
		obs, _ := testkit.UserToken(t, s, actor.Observer)
		cid, other := evCase(t, d), evCase(t, d)
		evAssign(t, d, cid, lawyerID(t, s, a))
		evAssign(t, d, cid, lawyerID(t, s, b))
		evShare(t, d, cid, lawyerID(t, s, obs))
		r := tusCreate(t, s, a, cid, 10, tusMeta("title", "t"))
		if r.StatusCode != 201 {
			t.Fatalf("create: %d %s", r.StatusCode, r.Body)
		}
		loc := r.Header.Get("Location")
		if st, _ := tusHead(t, s, b, loc); st != 404 {
			t.Errorf("HEAD by another lawyer of the case: %d, want 404", st)
		}
		if r := tusPatch(t, s, b, loc, 0, []byte("0123456789")); r.StatusCode != 404 {
			t.Errorf("PATCH by another lawyer of the case: %d, want 404", r.StatusCode)
		}
		if r := s.Do(testkit.Request{Method: "DELETE", Path: loc, Token: b, Header: http.Header{"Tus-Resumable": {"1.0.0"}}}); r.StatusCode != 404 {
			t.Errorf("DELETE by another lawyer: %d, want 404", r.StatusCode)
		}
		// The same upload id under another case.
		if st, _ := tusHead(t, s, a, "/api/v1/cases/"+other+"/evidence/uploads/"+path.Base(loc)); st != 404 {
			t.Errorf("HEAD under another case: %d, want 404", st)
		}
		if r := tusCreate(t, s, obs, cid, 10, tusMeta("title", "t")); r.StatusCode != 403 {
			t.Errorf("observer create: %d, want 403", r.StatusCode)
		}
		if r := tusCreate(t, s, a, other, 10, tusMeta("title", "t")); r.StatusCode != 404 {
			t.Errorf("create on a case not visible: %d, want 404", r.StatusCode)
		}
		// The creator still has it, untouched.
		if st, off := tusHead(t, s, a, loc); st != 200 || off != 0 {
			t.Errorf("creator HEAD: %d offset %d", st, off)
		}
	})
}

// TestResumableUploadBadInput: bad metadata and a length over the limit
// are refused at creation, naming the field, and nothing is stored.
func TestResumableUploadBadInput(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		dataDir := t.TempDir()
		s := testkit.NewServer(t, d, func(c *config.Config) { c.DataDir = dataDir; c.Evidence.MaxBytes = 1 << 20 })
		tok, _ := testkit.UserToken(t, s, actor.Admin)
		cid := evCase(t, d)
		for _, tc := range []struct {
			name, meta string
			length     int
			status     int
			field      string
		}{
			{"no title", tusMeta("kind", "photo"), 10, 400, "title"},
			{"bad kind", tusMeta("title", "t", "kind", "selfie"), 10, 400, "kind"},
			{"unknown key", tusMeta("title", "t", "owner", "x"), 10, 400, "owner"},
			{"bad confidential", tusMeta("title", "t", "confidential", "maybe"), 10, 400, "confidential"},
			{"bad date", tusMeta("title", "t", "captured_at", "yesterday"), 10, 400, "captured_at"},
			{"foreign event", tusMeta("title", "t", "linked_events", newUUID()), 10, 400, "linked_events"},
			{"too large", tusMeta("title", "t"), 1<<20 + 1, 413, ""},
		} {
			r := tusCreate(t, s, tok, cid, tc.length, tc.meta)
			var body struct {
				Fields map[string]string `json:"fields"`
			}
			r.JSON(t, &body)
			if r.StatusCode != tc.status || (tc.field != "" && body.Fields[tc.field] == "") {
				t.Errorf("%s: %d %s, want %d naming %q", tc.name, r.StatusCode, r.Body, tc.status, tc.field)
			}
		}
		var n int64
		if err := d.Model(&evidence.ResumableUpload{}).Count(&n).Error; err != nil || n != 0 {
			t.Errorf("%d upload rows after refused creations (%v)", n, err)
		}
		if files, _ := grepDir(t, filepath.Join(dataDir, "uploads"), tusMarker); files != 0 {
			t.Errorf("%d files after refused creations", files)
		}
		// Without the tus version header tusd refuses the request.
		r := s.Do(testkit.Request{Method: "POST", Path: "/api/v1/cases/" + cid + "/evidence/uploads", Token: tok,
			Header: http.Header{"Upload-Length": {"10"}, "Upload-Metadata": {tusMeta("title", "t")}}})
		if r.StatusCode != 412 {
			t.Errorf("no Tus-Resumable: %d", r.StatusCode)
		}
	})
}

// TestResumableUploadExpiry: reconcile removes an unfinished upload past
// its expiry with its encrypted partial data, audited; a cancelled upload
// (tus termination) is removed at once.
func TestResumableUploadExpiry(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		dataDir := t.TempDir()
		s := testkit.NewServer(t, d, func(c *config.Config) { c.DataDir = dataDir; c.Evidence.ReconcileInterval = 0 })
		tok, _ := testkit.UserToken(t, s, actor.Admin)
		cid := evCase(t, d)
		file := testFile(200 << 10)
		var locs []string
		for range 2 {
			loc := tusCreate(t, s, tok, cid, len(file), tusMeta("title", "t")).Header.Get("Location")
			if r := tusPatch(t, s, tok, loc, 0, file[:100<<10]); r.StatusCode != 204 {
				t.Fatalf("patch: %d %s", r.StatusCode, r.Body)
			}
			locs = append(locs, loc)
		}
		ctx := context.Background()
		rep, err := s.App.EvidenceMaintenance.Reconcile(ctx, evidence.ReconcileOptions{Grace: 24 * time.Hour})
		if err != nil || rep.ExpiredUploads != 0 || rep.PartialDataRemoved != 0 {
			t.Fatalf("reconcile before expiry: %+v %v", rep, err)
		}
		if err := d.Model(&evidence.ResumableUpload{}).Where("id = ?", path.Base(locs[0])).
			Update("expires_at", time.Now().Add(-time.Minute)).Error; err != nil {
			t.Fatal(err)
		}
		if st, _ := tusHead(t, s, tok, locs[0]); st != 404 {
			t.Errorf("HEAD of an expired upload: %d, want 404", st)
		}
		rep, err = s.App.EvidenceMaintenance.Reconcile(ctx, evidence.ReconcileOptions{Grace: 24 * time.Hour})
		if err != nil || rep.ExpiredUploads != 1 {
			t.Fatalf("reconcile after expiry: %+v %v", rep, err)
		}
		if _, err := os.Stat(filepath.Join(dataDir, "uploads", path.Base(locs[0]))); !os.IsNotExist(err) {
			t.Errorf("partial data of the expired upload: %v", err)
		}
		if st, off := tusHead(t, s, tok, locs[1]); st != 200 || off != 100<<10 {
			t.Errorf("the other upload: %d offset %d", st, off)
		}
		var audited int64
		d.Table("audit_log").Where("action = ? AND object_id = ?", "evidence.upload_abandoned", path.Base(locs[0])).Count(&audited)
		if audited != 1 {
			t.Errorf("%d audit entries for the expired upload", audited)
		}
		// Cancelled by its creator: gone at once, with its data.
		if r := s.Do(testkit.Request{Method: "DELETE", Path: locs[1], Token: tok, Header: http.Header{"Tus-Resumable": {"1.0.0"}}}); r.StatusCode != 204 {
			t.Fatalf("terminate: %d %s", r.StatusCode, r.Body)
		}
		if files, _ := grepDir(t, filepath.Join(dataDir, "uploads"), tusMarker); files != 0 {
			t.Errorf("%d partial files after expiry and cancel", files)
		}
	})
}

// TestDownloadLinkSingleUse: a download link streams the file once, for the
// user who asked for it; a second use, a made-up token and a link whose
// user lost access are 404.
func TestDownloadLinkSingleUse(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testkit.NewServer(t, d, nil)
		tok, _ := testkit.UserToken(t, s, actor.Lawyer)
		cid := evCase(t, d)
		evAssign(t, d, cid, lawyerID(t, s, tok))
		content := testFile(300 << 10)
		r := upload(t, s, tok, cid, []part{{"title", "t"}}, "t.bin", content, nil)
		var v evView
		r.JSON(t, &v)
		link := func() string {
			lr := s.Do(testkit.Request{Method: "POST", Path: "/api/v1/cases/" + cid + "/evidence/" + v.ID + "/download-link", Token: tok})
			var l struct {
				URL string `json:"url"`
			}
			lr.JSON(t, &l)
			if lr.StatusCode != 201 || !strings.HasPrefix(l.URL, "/api/v1/evidence-downloads/") {
				t.Fatalf("link: %d %s", lr.StatusCode, lr.Body)
			}
			return l.URL
		}
		u := link()
		dl := s.Do(testkit.Request{Method: "GET", Path: u})
		if dl.StatusCode != 200 || !bytes.Equal(dl.Body, content) || !strings.HasPrefix(dl.Header.Get("Content-Disposition"), "attachment") {
			t.Fatalf("download by link: %d, %d bytes, %q", dl.StatusCode, len(dl.Body), dl.Header.Get("Content-Disposition"))
		}
		if again := s.Do(testkit.Request{Method: "GET", Path: u}); again.StatusCode != 404 {
			t.Errorf("second use: %d, want 404", again.StatusCode)
		}
		if r := s.Do(testkit.Request{Method: "GET", Path: "/api/v1/evidence-downloads/" + strings.Repeat("A", 43)}); r.StatusCode != 404 {
			t.Errorf("made-up token: %d", r.StatusCode)
		}
		// The lawyer is unassigned after asking: the link no longer works.
		u = link()
		if err := d.Exec("UPDATE assignments SET status = 'ended' WHERE case_id = ?", cid).Error; err != nil {
			t.Fatal(err)
		}
		if r := s.Do(testkit.Request{Method: "GET", Path: u}); r.StatusCode != 404 {
			t.Errorf("link of a user who lost access: %d, want 404", r.StatusCode)
		}
		var audited int64
		d.Table("audit_log").Where("action = ? AND object_id = ?", "evidence.download", v.ID).Count(&audited)
		if audited != 1 {
			t.Errorf("%d download audit entries, want 1", audited)
		}
	})
}
