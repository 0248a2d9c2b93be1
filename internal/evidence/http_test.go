package evidence_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/config"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/evidence"
	"github.com/habeas-org/habeas/internal/storage"
	"github.com/habeas-org/habeas/internal/storage/storagetest"
	"github.com/habeas-org/habeas/internal/testkit"
)

func newUUID() string { return uuid.Must(uuid.NewV7()).String() }

// evCase inserts a detainee and a case; it returns the case id.
func evCase(t testing.TB, d *db.DB) string {
	t.Helper()
	now := time.Now().UTC()
	did, cid := newUUID(), newUUID()
	if err := d.Exec("INSERT INTO detainees (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)", did, "Test Detainee", now, now).Error; err != nil {
		t.Fatal(err)
	}
	if err := d.Exec("INSERT INTO cases (id, detainee_id, created_at, updated_at) VALUES (?, ?, ?, ?)", cid, did, now, now).Error; err != nil {
		t.Fatal(err)
	}
	return cid
}

// evAssign makes userID an active lawyer of the case.
func evAssign(t testing.TB, d *db.DB, caseID, userID string) {
	t.Helper()
	now := time.Now().UTC()
	lid := newUUID()
	if err := d.Exec("INSERT INTO lawyers (id, user_id, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)", lid, userID, "Lawyer", now, now).Error; err != nil {
		t.Fatal(err)
	}
	if err := d.Exec("INSERT INTO assignments (id, case_id, lawyer_id, role, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
		newUUID(), caseID, lid, "defense", "active", now, now).Error; err != nil {
		t.Fatal(err)
	}
}

// evShare shares the case with an observer.
func evShare(t testing.TB, d *db.DB, caseID, userID string) {
	t.Helper()
	if err := d.Exec("INSERT INTO case_shares (id, case_id, user_id, created_at) VALUES (?, ?, ?, ?)",
		newUUID(), caseID, userID, time.Now().UTC()).Error; err != nil {
		t.Fatal(err)
	}
}

type part struct {
	name, value string
}

// multipartBody builds an upload; fileHeader overrides the file part's
// Content-Disposition (for hostile filenames).
func multipartBody(t testing.TB, fields []part, filename, fileHeader string, content []byte) ([]byte, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for _, f := range fields {
		if err := mw.WriteField(f.name, f.value); err != nil {
			t.Fatal(err)
		}
	}
	if content != nil {
		h := textproto.MIMEHeader{}
		cd := fileHeader
		if cd == "" {
			cd = fmt.Sprintf(`form-data; name="file"; filename=%q`, filename)
		}
		h.Set("Content-Disposition", cd)
		h.Set("Content-Type", "application/pdf")
		w, err := mw.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write(content)
	}
	_ = mw.Close()
	return b.Bytes(), mw.FormDataContentType()
}

func upload(t testing.TB, s *testkit.Server, token, caseID string, fields []part, filename string, content []byte, hdr http.Header) *testkit.Response {
	t.Helper()
	body, ct := multipartBody(t, fields, filename, "", content)
	if hdr == nil {
		hdr = http.Header{}
	}
	hdr.Set("Content-Type", ct)
	return s.Do(testkit.Request{Method: "POST", Path: "/api/v1/cases/" + caseID + "/evidence", Body: body, Header: hdr, Token: token})
}

type evView struct {
	ID           string `json:"id"`
	SHA256       string `json:"sha256"`
	Size         int64  `json:"size"`
	Filename     string `json:"filename"`
	DetectedType string `json:"detected_type"`
	TypeMismatch bool   `json:"type_mismatch"`
	Integrity    string `json:"integrity"`
	Version      int64  `json:"version"`
	Status       string `json:"status"`
	Title        string `json:"title"`
}

func sha(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }

func evRows(t testing.TB, d *db.DB) int64 {
	var n int64
	if err := d.Model(&evidence.Item{}).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func TestEvidenceRoundTripAndHeaders(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testkit.NewServer(t, d, nil)
		tok, _ := testkit.UserToken(t, s, actor.Admin)
		cid := evCase(t, d)
		for _, size := range []int{0, 1, 5 << 20} {
			content := bytes.Repeat([]byte{'%', 'P', 'D', 'F', '-', '1', 'x', 0x9c}, size/8+1)[:size]
			r := upload(t, s, tok, cid, []part{{"title", "Judgment"}, {"kind", "court_document"}, {"captured_at", "2019-03~"}},
				"判决书.pdf", content, nil)
			if r.StatusCode != 201 {
				t.Fatalf("upload %d bytes: %d %s", size, r.StatusCode, r.Body)
			}
			var v evView
			r.JSON(t, &v)
			if v.SHA256 != sha(content) || v.Size != int64(size) || v.ID == "" || v.Filename != "判决书.pdf" || v.Integrity != "ok" {
				t.Fatalf("upload %d bytes: %+v", size, v)
			}
			if r.Header.Get("Location") != "/api/v1/cases/"+cid+"/evidence/"+v.ID {
				t.Errorf("Location %q", r.Header.Get("Location"))
			}
			dl := s.Do(testkit.Request{Method: "GET", Path: "/api/v1/cases/" + cid + "/evidence/" + v.ID + "/content", Token: tok})
			if dl.StatusCode != 200 || !bytes.Equal(dl.Body, content) {
				t.Fatalf("download %d bytes: %d, %d bytes", size, dl.StatusCode, len(dl.Body))
			}
			sum := sha256.Sum256(content)
			for h, want := range map[string]string{
				"Repr-Digest":            "sha-256=:" + base64.StdEncoding.EncodeToString(sum[:]) + ":",
				"Content-Type":           "application/octet-stream",
				"X-Content-Type-Options": "nosniff",
				"Cache-Control":          "no-store",
				"Content-Disposition":    `attachment; filename="___.pdf"; filename*=UTF-8''%E5%88%A4%E5%86%B3%E4%B9%A6.pdf`,
			} {
				if got := dl.Header.Get(h); got != want {
					t.Errorf("%s: %q, want %q", h, got, want)
				}
			}
			if size == 5<<20 {
				for rh, want := range map[string][2]int{"bytes=10-19": {10, 20}, "bytes=-5": {size - 5, size}, "bytes=5000000-": {5000000, size}} {
					pr := s.Do(testkit.Request{Method: "GET", Path: "/api/v1/cases/" + cid + "/evidence/" + v.ID + "/content", Token: tok,
						Header: http.Header{"Range": {rh}}})
					cr := fmt.Sprintf("bytes %d-%d/%d", want[0], want[1]-1, size)
					if pr.StatusCode != 206 || !bytes.Equal(pr.Body, content[want[0]:want[1]]) || pr.Header.Get("Content-Range") != cr {
						t.Errorf("Range %s: %d, %d bytes, Content-Range %q (want %q)", rh, pr.StatusCode, len(pr.Body), pr.Header.Get("Content-Range"), cr)
					}
				}
				for _, h := range []http.Header{{"Range": {"bytes=1-2,5-6"}}, {"Range": {"bytes=9999999-"}}, {"Range": {"bytes=1-2"}, "If-Range": {`"0000"`}}} {
					pr := s.Do(testkit.Request{Method: "GET", Path: "/api/v1/cases/" + cid + "/evidence/" + v.ID + "/content", Token: tok, Header: h})
					if pr.StatusCode != 200 || len(pr.Body) != size {
						t.Errorf("ignored range %v: %d, %d bytes; want the whole file", h, pr.StatusCode, len(pr.Body))
					}
				}
			}
		}
	})
}

func TestEvidenceHostileFilename(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testkit.NewServer(t, d, nil)
		tok, _ := testkit.UserToken(t, s, actor.Coordinator)
		cid := evCase(t, d)
		body, ct := multipartBody(t, []part{{"title", "x"}}, "",
			`form-data; name="file"; filename*=UTF-8''..%2F..%2Fetc%2Fpasswd%0D%0AX%3A%20y`, []byte("root:x:0:0"))
		r := s.Do(testkit.Request{Method: "POST", Path: "/api/v1/cases/" + cid + "/evidence", Body: body,
			Header: http.Header{"Content-Type": {ct}}, Token: tok})
		if r.StatusCode != 201 {
			t.Fatalf("upload: %d %s", r.StatusCode, r.Body)
		}
		var v evView
		r.JSON(t, &v)
		if v.Filename != "passwdX_ y" {
			t.Fatalf("stored filename %q", v.Filename)
		}
		dl := s.Do(testkit.Request{Method: "GET", Path: "/api/v1/cases/" + cid + "/evidence/" + v.ID + "/content", Token: tok})
		cd := dl.Header.Get("Content-Disposition")
		if dl.StatusCode != 200 || dl.Header.Get("X") != "" || strings.ContainsAny(cd, "\r\n/") {
			t.Fatalf("download: %d, Content-Disposition %q, X %q", dl.StatusCode, cd, dl.Header.Get("X"))
		}
		if _, p, err := mime.ParseMediaType(cd); err != nil || p["filename"] != "passwdX_ y" {
			t.Fatalf("Content-Disposition %q: %v %v", cd, p, err)
		}
	})
}

func TestEvidenceOverLimit(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		var dir string
		s := testkit.NewServer(t, d, func(c *config.Config) { c.Evidence.MaxBytes = 1 << 20; dir = c.ObjectDir() })
		tok, _ := testkit.UserToken(t, s, actor.Admin)
		cid := evCase(t, d)
		for _, size := range []int{1<<20 + 1, 3 << 20} { // over the file limit; over the whole-body limit
			r := upload(t, s, tok, cid, []part{{"title", "big"}}, "big.bin", bytes.Repeat([]byte{7}, size), nil)
			if r.StatusCode != 413 {
				t.Fatalf("upload of %d bytes: %d %s", size, r.StatusCode, r.Body)
			}
		}
		if n := evRows(t, d); n != 0 {
			t.Errorf("%d evidence rows after refused uploads", n)
		}
		l, err := storage.NewLocal(dir)
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		if keys := storagetest.List(t, l, ""); len(keys) != 0 {
			t.Errorf("objects after refused uploads: %v", keys)
		}
		if r := upload(t, s, tok, cid, []part{{"title", "fits"}}, "ok.bin", bytes.Repeat([]byte{7}, 1<<20), nil); r.StatusCode != 201 {
			t.Fatalf("upload at the limit: %d %s", r.StatusCode, r.Body)
		}
	})
}

func TestEvidenceTamperedDownloadRefusedAndAudited(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testkit.NewServer(t, d, nil)
		tok, _ := testkit.UserToken(t, s, actor.Admin)
		cid := evCase(t, d)
		store := s.App.Storage
		for _, size := range []int{1000, 300 << 10} {
			content := bytes.Repeat([]byte("evidence "), size/9+1)[:size]
			r := upload(t, s, tok, cid, []part{{"title", "t"}}, "t.txt", content, nil)
			var v evView
			r.JSON(t, &v)
			var key string
			d.Model(&evidence.Item{}).Where("id = ?", v.ID).Pluck("object_key", &key)
			rc, err := store.Open(context.Background(), key)
			if err != nil {
				t.Fatal(err)
			}
			raw, _ := io.ReadAll(rc)
			_ = rc.Close()
			raw[len(raw)-20] ^= 1
			if _, err := store.Put(context.Background(), key, bytes.NewReader(raw), int64(len(raw))); err != nil {
				t.Fatal(err)
			}
			url := s.URL + "/api/v1/cases/" + cid + "/evidence/" + v.ID + "/content"
			if size < 64<<10 { // checked whole before the first byte: a clean error
				dl := s.Do(testkit.Request{Method: "GET", Path: "/api/v1/cases/" + cid + "/evidence/" + v.ID + "/content", Token: tok})
				if dl.StatusCode != 503 || !strings.Contains(string(dl.Body), "evidence_integrity_failure") {
					t.Fatalf("small tampered download: %d %s", dl.StatusCode, dl.Body)
				}
			} else { // streamed: the connection is aborted before the last byte
				req, _ := http.NewRequest("GET", url, nil)
				req.Header.Set("Authorization", "Bearer "+tok)
				resp, err := s.Client.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				got, rerr := io.ReadAll(resp.Body)
				_ = resp.Body.Close()
				if resp.StatusCode != 200 || rerr == nil || len(got) >= size {
					t.Fatalf("large tampered download: status %d, %d of %d bytes, read error %v; want an aborted transfer", resp.StatusCode, len(got), size, rerr)
				}
			}
			cust := s.Do(testkit.Request{Method: "GET", Path: "/api/v1/cases/" + cid + "/evidence/" + v.ID + "/custody", Token: tok})
			var page struct {
				Items []struct {
					Action, Outcome string
				} `json:"items"`
			}
			cust.JSON(t, &page)
			if len(page.Items) == 0 || page.Items[0].Action != "evidence.verify" || page.Items[0].Outcome != "error" {
				t.Fatalf("custody after a refused download: %s", cust.Body)
			}
			get := s.Do(testkit.Request{Method: "GET", Path: "/api/v1/cases/" + cid + "/evidence/" + v.ID, Token: tok})
			var after evView
			get.JSON(t, &after)
			if after.Integrity != "failed" {
				t.Errorf("integrity after a refused download: %q", after.Integrity)
			}
		}
	})
}

func TestEvidenceIdempotencyKey(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testkit.NewServer(t, d, nil)
		tok, _ := testkit.UserToken(t, s, actor.Admin)
		cid := evCase(t, d)
		h := func() http.Header { return http.Header{"Idempotency-Key": {"upload-1"}} }
		r1 := upload(t, s, tok, cid, []part{{"title", "once"}}, "a.txt", []byte("same"), h())
		r2 := upload(t, s, tok, cid, []part{{"title", "once"}}, "a.txt", []byte("same"), h())
		var v1, v2 evView
		r1.JSON(t, &v1)
		r2.JSON(t, &v2)
		if r1.StatusCode != 201 || r2.StatusCode != 201 || v1.ID != v2.ID || r2.Header.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("retried upload: %d %s / %d %s", r1.StatusCode, r1.Body, r2.StatusCode, r2.Body)
		}
		if n := evRows(t, d); n != 1 {
			t.Fatalf("%d rows after a retried upload; want 1", n)
		}
	})
}

func TestEvidenceMetadataDeleteCustody(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testkit.NewServer(t, d, nil)
		tok, _ := testkit.UserToken(t, s, actor.Coordinator)
		cid := evCase(t, d)
		r := upload(t, s, tok, cid, []part{{"title", "Photo"}}, "p.jpg", []byte("\xff\xd8\xff\xe0 not really"), nil)
		var v evView
		r.JSON(t, &v)
		if !v.TypeMismatch {
			t.Errorf("declared application/pdf for JPEG bytes: type_mismatch false (detected %q)", v.DetectedType)
		}
		base := "/api/v1/cases/" + cid + "/evidence/" + v.ID
		p := s.Do(testkit.Request{Method: "PATCH", Path: base, Token: tok, Body: map[string]any{"version": 1, "title": "Photo of the summons", "confidential": true}})
		if p.StatusCode != 200 {
			t.Fatalf("PATCH: %d %s", p.StatusCode, p.Body)
		}
		if p := s.Do(testkit.Request{Method: "PATCH", Path: base, Token: tok, Body: map[string]any{"version": 1, "title": "stale"}}); p.StatusCode != 412 {
			t.Errorf("stale PATCH: %d", p.StatusCode)
		}
		if p := s.Do(testkit.Request{Method: "PATCH", Path: base, Token: tok, Body: map[string]any{"version": 2, "sha256": "00"}}); p.StatusCode != 400 {
			t.Errorf("PATCH of sha256: %d", p.StatusCode)
		}
		s.Do(testkit.Request{Method: "GET", Path: base, Token: tok})
		s.Do(testkit.Request{Method: "GET", Path: base + "/content", Token: tok})
		if r := s.Do(testkit.Request{Method: "DELETE", Path: base, Token: tok, Body: map[string]any{}}); r.StatusCode != 400 {
			t.Errorf("DELETE without reason: %d", r.StatusCode)
		}
		del := s.Do(testkit.Request{Method: "DELETE", Path: base, Token: tok, Body: map[string]any{"reason": "uploaded to the wrong case"}})
		var dv evView
		del.JSON(t, &dv)
		if del.StatusCode != 200 || dv.Status != "deleted" {
			t.Fatalf("DELETE: %d %s", del.StatusCode, del.Body)
		}
		if r := s.Do(testkit.Request{Method: "GET", Path: base + "/content", Token: tok}); r.StatusCode != 404 {
			t.Errorf("content of a deleted item: %d", r.StatusCode)
		}
		var list struct{ Items []evView }
		s.Do(testkit.Request{Method: "GET", Path: "/api/v1/cases/" + cid + "/evidence", Token: tok}).JSON(t, &list)
		if len(list.Items) != 0 {
			t.Errorf("list after delete: %+v", list.Items)
		}
		var cust struct {
			Items []struct{ Action string } `json:"items"`
		}
		s.Do(testkit.Request{Method: "GET", Path: base + "/custody", Token: tok}).JSON(t, &cust)
		var acts []string
		for i := len(cust.Items) - 1; i >= 0; i-- {
			acts = append(acts, cust.Items[i].Action)
		}
		want := "evidence.upload evidence.update evidence.read evidence.download evidence.delete"
		if strings.Join(acts, " ") != want {
			t.Errorf("custody %v; want %s", acts, want)
		}
	})
}

// TestEvidenceAccessMatrix runs every evidence route for every kind of
// caller: admin, coordinator, the case's lawyer, another lawyer, the
// observer the case is shared with, another observer, nobody; and the
// evidence of case B asked under case A.
func TestEvidenceAccessMatrix(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testkit.NewServer(t, d, nil)
		adminTok, _ := testkit.UserToken(t, s, actor.Admin)
		cid, other := evCase(t, d), evCase(t, d)
		toks := map[string]string{"admin": adminTok, "anonymous": ""}
		toks["coordinator"], _ = testkit.UserToken(t, s, actor.Coordinator)
		var u *testkit.TestUser
		toks["lawyer"], u = testkit.UserToken(t, s, actor.Lawyer)
		evAssign(t, d, cid, u.ID)
		toks["other lawyer"], u = testkit.UserToken(t, s, actor.Lawyer)
		evAssign(t, d, other, u.ID)
		toks["observer"], u = testkit.UserToken(t, s, actor.Observer)
		evShare(t, d, cid, u.ID)
		toks["other observer"], _ = testkit.UserToken(t, s, actor.Observer)

		item := func(confidential bool) string {
			r := upload(t, s, adminTok, cid, []part{{"title", "x"}, {"confidential", fmt.Sprint(confidential)}}, "x.txt", []byte("x"), nil)
			var v evView
			r.JSON(t, &v)
			return v.ID
		}
		var otherItem evView
		upload(t, s, adminTok, other, []part{{"title", "b"}}, "b.txt", []byte("b"), nil).JSON(t, &otherItem)

		type route struct {
			name, method, path string
			body               any
			ok                 int
		}
		routes := func(id string) []route {
			base := "/api/v1/cases/" + cid + "/evidence"
			return []route{
				{"list", "GET", base, nil, 200},
				{"get", "GET", base + "/" + id, nil, 200},
				{"content", "GET", base + "/" + id + "/content", nil, 200},
				{"custody", "GET", base + "/" + id + "/custody", nil, 200},
				{"patch", "PATCH", base + "/" + id, map[string]any{"version": 1, "description": "d"}, 200},
				{"delete", "DELETE", base + "/" + id, map[string]any{"reason": "r"}, 200},
			}
		}
		// expected status per caller for: upload, list, get, content, custody, patch, delete
		matrix := map[string][7]int{
			"admin":          {201, 200, 200, 200, 200, 200, 200},
			"coordinator":    {201, 200, 200, 200, 200, 200, 200},
			"lawyer":         {201, 200, 200, 200, 200, 200, 403},
			"other lawyer":   {404, 404, 404, 404, 404, 404, 404},
			"observer":       {403, 200, 200, 200, 200, 403, 403},
			"other observer": {404, 404, 404, 404, 404, 404, 404},
			"anonymous":      {401, 401, 401, 401, 401, 401, 401},
		}
		for who, want := range matrix {
			r := upload(t, s, toks[who], cid, []part{{"title", "by " + who}}, "u.txt", []byte("u"), nil)
			if r.StatusCode != want[0] {
				t.Errorf("%s upload: %d, want %d (%s)", who, r.StatusCode, want[0], r.Body)
			}
			id := item(false)
			for i, rt := range routes(id) {
				r := s.Do(testkit.Request{Method: rt.method, Path: rt.path, Body: rt.body, Token: toks[who]})
				if r.StatusCode != want[i+1] {
					t.Errorf("%s %s: %d, want %d (%s)", who, rt.name, r.StatusCode, want[i+1], r.Body)
				}
			}
		}
		// Confidential items are hidden from the observer the case is shared with.
		conf := item(true)
		for _, rt := range routes(conf)[1:4] {
			if r := s.Do(testkit.Request{Method: rt.method, Path: rt.path, Token: toks["observer"]}); r.StatusCode != 404 {
				t.Errorf("observer %s of a confidential item: %d, want 404", rt.name, r.StatusCode)
			}
		}
		var list struct{ Items []evView }
		s.Do(testkit.Request{Method: "GET", Path: "/api/v1/cases/" + cid + "/evidence", Token: toks["observer"]}).JSON(t, &list)
		for _, v := range list.Items {
			if v.ID == conf {
				t.Error("observer lists a confidential item")
			}
		}
		// Evidence of case B under case A: 404 on every item route, even for admin.
		for _, rt := range routes(otherItem.ID)[1:] {
			if r := s.Do(testkit.Request{Method: rt.method, Path: rt.path, Body: rt.body, Token: adminTok}); r.StatusCode != 404 {
				t.Errorf("case B's item under case A, %s: %d, want 404", rt.name, r.StatusCode)
			}
		}
		// Unknown case, malformed ids.
		if r := upload(t, s, adminTok, newUUID(), []part{{"title", "x"}}, "x", []byte("x"), nil); r.StatusCode != 404 {
			t.Errorf("upload to an unknown case: %d", r.StatusCode)
		}
		if r := s.Do(testkit.Request{Method: "GET", Path: "/api/v1/cases/" + cid + "/evidence/not-a-uuid", Token: adminTok}); r.StatusCode != 404 {
			t.Errorf("malformed item id: %d", r.StatusCode)
		}
	})
}

// The S3 server dies in the middle of an upload: the client gets a 5xx, no
// item is available, and once the server is back, reconcile leaves no
// orphan object and no incomplete multipart upload.
func TestEvidenceS3DiesMidUpload(t *testing.T) {
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

		pr, pw := io.Pipe()
		mw := multipart.NewWriter(pw)
		go func() {
			_ = mw.WriteField("title", "dies")
			w, _ := mw.CreateFormFile("file", "big.bin")
			r := &storagetest.OnAfter{R: storagetest.Gen(5, 80<<20), N: 40 << 20, Fn: func() { gw.Kill(t) }}
			if _, err := io.Copy(w, r); err != nil {
				pw.CloseWithError(err)
				return
			}
			pw.CloseWithError(mw.Close())
		}()
		req, _ := http.NewRequest("POST", s.URL+"/api/v1/cases/"+cid+"/evidence", pr)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := s.Client.Do(req)
		if err != nil {
			t.Fatalf("upload while the S3 server dies: %v; want a 5xx response", err)
		}
		body, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		pr.CloseWithError(io.ErrClosedPipe)
		if resp.StatusCode < 500 {
			t.Fatalf("upload while the S3 server dies: %d %s; want 5xx", resp.StatusCode, body)
		}
		var available int64
		d.Model(&evidence.Item{}).Where("status = ?", evidence.Available).Count(&available)
		if available != 0 {
			t.Fatalf("%d available items after a failed upload", available)
		}

		gw2 := storagetest.StartVersitygw(t, bin, gw.Dir, gw.Addr)
		s3, err := storage.NewS3(context.Background(), gw2.Opts)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := s.App.EvidenceMaintenance.Reconcile(context.Background(), evidence.ReconcileOptions{Grace: 0})
		if err != nil {
			t.Fatalf("reconcile: %v", err)
		}
		t.Logf("reconcile after the crash: %+v", rep)
		if keys := storagetest.List(t, s3, ""); len(keys) != 0 {
			t.Errorf("objects after reconcile: %v", keys)
		}
		if ups, err := s3.IncompleteUploads(context.Background(), ""); err != nil || len(ups) != 0 {
			t.Errorf("incomplete uploads after reconcile: %v %v", ups, err)
		}
		if n := evRows(t, d); n != 0 {
			t.Errorf("%d evidence rows after a failed upload and reconcile", n)
		}
		// The server works again.
		if r := upload(t, s, tok, cid, []part{{"title", "after"}}, "a.txt", []byte("after"), nil); r.StatusCode != 201 {
			t.Fatalf("upload after restart: %d %s", r.StatusCode, r.Body)
		}
	})
}

// A 100 MiB upload and download through HTTP, streamed on both sides: the
// server's heap stays far below the file size.
func TestEvidenceHTTPStreaming100MiB(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testkit.NewServer(t, d, nil)
		tok, _ := testkit.UserToken(t, s, actor.Lawyer)
		cid := evCase(t, d)
		me := s.Do(testkit.Request{Method: "GET", Path: "/api/v1/me", Token: tok})
		var who struct {
			ID string `json:"id"`
		}
		me.JSON(t, &who)
		evAssign(t, d, cid, who.ID)
		const size = 100 << 20
		want := storagetest.GenSum(11, size)

		pr, pw := io.Pipe()
		mw := multipart.NewWriter(pw)
		go func() {
			_ = mw.WriteField("title", "video")
			w, _ := mw.CreateFormFile("file", "video.mp4")
			if _, err := io.Copy(w, storagetest.Gen(11, size)); err != nil {
				pw.CloseWithError(err)
				return
			}
			pw.CloseWithError(mw.Close())
		}()
		var peak atomic.Uint64
		stop := sampleHeap(&peak)
		req, _ := http.NewRequest("POST", s.URL+"/api/v1/cases/"+cid+"/evidence", pr)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := s.Client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		var v evView
		if resp.StatusCode != 201 {
			t.Fatalf("upload: %d %s", resp.StatusCode, body)
		}
		_ = json.Unmarshal(body, &v)
		if v.SHA256 != want || v.Size != size {
			t.Fatalf("upload: %+v; want sha256 %s", v, want)
		}
		req, _ = http.NewRequest("GET", s.URL+"/api/v1/cases/"+cid+"/evidence/"+v.ID+"/content", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err = s.Client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		h := sha256.New()
		n, err := io.Copy(h, resp.Body)
		_ = resp.Body.Close()
		stop()
		if err != nil || n != size || hex.EncodeToString(h.Sum(nil)) != want {
			t.Fatalf("download: %d bytes, %v", n, err)
		}
		t.Logf("peak heap growth during a 100 MiB HTTP upload + download: %d MiB", peak.Load()>>20)
		if peak.Load() > 80<<20 {
			t.Errorf("peak heap growth %d MiB: not streaming", peak.Load()>>20)
		}
	})
}

// Evidence is never lost with its case: deleting a case that holds evidence
// is refused with 409 and changes nothing.
func TestCaseWithEvidenceCannotBeDeleted(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testkit.NewServer(t, d, nil)
		tok, _ := testkit.UserToken(t, s, actor.Admin)
		cid, empty := evCase(t, d), evCase(t, d)
		if r := upload(t, s, tok, cid, []part{{"title", "kept"}}, "k.txt", []byte("k"), nil); r.StatusCode != 201 {
			t.Fatalf("upload: %d %s", r.StatusCode, r.Body)
		}
		r := s.Do(testkit.Request{Method: "DELETE", Path: "/api/v1/cases/" + cid, Token: tok})
		if r.StatusCode != 409 || !strings.Contains(string(r.Body), "case_has_evidence") {
			t.Fatalf("DELETE of a case with evidence: %d %s", r.StatusCode, r.Body)
		}
		if r := s.Do(testkit.Request{Method: "GET", Path: "/api/v1/cases/" + cid, Token: tok}); r.StatusCode != 200 {
			t.Fatalf("case after the refused delete: %d", r.StatusCode)
		}
		if r := s.Do(testkit.Request{Method: "DELETE", Path: "/api/v1/cases/" + empty, Token: tok}); r.StatusCode != 204 {
			t.Fatalf("DELETE of a case without evidence: %d %s", r.StatusCode, r.Body)
		}
	})
}

// The case-wide chain of custody merges the entries of every item of the
// case the caller may see: never another case's items, never a
// confidential item's entries for the observer.
func TestCaseCustody(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testkit.NewServer(t, d, nil)
		adminTok, _ := testkit.UserToken(t, s, actor.Admin)
		cid, other := evCase(t, d), evCase(t, d)
		obsTok, u := testkit.UserToken(t, s, actor.Observer)
		evShare(t, d, cid, u.ID)
		otherLawTok, u := testkit.UserToken(t, s, actor.Lawyer)
		evAssign(t, d, other, u.ID)

		add := func(caseID string, confidential bool) string {
			var v evView
			upload(t, s, adminTok, caseID, []part{{"title", "t"}, {"confidential", fmt.Sprint(confidential)}}, "x.txt", []byte("x"), nil).JSON(t, &v)
			s.Do(testkit.Request{Method: "GET", Path: "/api/v1/cases/" + caseID + "/evidence/" + v.ID + "/content", Token: adminTok})
			return v.ID
		}
		open, secret, foreign := add(cid, false), add(cid, true), add(other, false)

		type page struct {
			Items []struct {
				Seq        int64
				EvidenceID string `json:"evidence_id"`
				Action     string
			}
			NextCursor string `json:"next_cursor"`
		}
		all := func(tok string) (map[string][]string, int) {
			got := map[string][]string{}
			cursor, pages := "", 0
			var last int64
			for {
				var p page
				r := s.Do(testkit.Request{Method: "GET", Path: "/api/v1/cases/" + cid + "/custody?limit=1&cursor=" + cursor, Token: tok})
				if r.StatusCode != 200 {
					t.Fatalf("custody: %d %s", r.StatusCode, r.Body)
				}
				r.JSON(t, &p)
				for _, it := range p.Items {
					if last != 0 && it.Seq >= last {
						t.Errorf("custody not newest first: %d after %d", it.Seq, last)
					}
					last = it.Seq
					got[it.EvidenceID] = append(got[it.EvidenceID], it.Action)
				}
				pages++
				if p.NextCursor == "" {
					return got, pages
				}
				cursor = p.NextCursor
			}
		}
		got, pages := all(adminTok)
		if len(got[open]) < 2 || len(got[secret]) < 2 || got[foreign] != nil || len(got) != 2 {
			t.Errorf("admin's case custody: %v", got)
		}
		if pages < 4 {
			t.Errorf("limit=1 gave %d pages", pages)
		}
		want := "evidence.download evidence.upload"
		if a := strings.Join(got[open], " "); a != want {
			t.Errorf("actions of the open item: %q, want %q", a, want)
		}
		got, _ = all(obsTok)
		if len(got) != 1 || len(got[open]) != 2 {
			t.Errorf("observer's case custody shows %v (confidential item %s must be absent)", got, secret)
		}
		for _, c := range []struct {
			tok, path string
			want      int
		}{
			{otherLawTok, "/api/v1/cases/" + cid + "/custody", 404},
			{adminTok, "/api/v1/cases/" + newUUID() + "/custody", 404},
			{adminTok, "/api/v1/cases/not-a-uuid/custody", 404},
			{"", "/api/v1/cases/" + cid + "/custody", 401},
			{adminTok, "/api/v1/cases/" + cid + "/custody?limit=0", 400},
			{adminTok, "/api/v1/cases/" + cid + "/custody?cursor=x", 400},
		} {
			if r := s.Do(testkit.Request{Method: "GET", Path: c.path, Token: c.tok}); r.StatusCode != c.want {
				t.Errorf("GET %s: %d, want %d", c.path, r.StatusCode, c.want)
			}
		}
	})
}
