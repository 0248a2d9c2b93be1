package httpapi_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/httpapi"
	"github.com/habeas-org/habeas/internal/testkit"
)

// rawEncoded sends a request with exactly the Accept-Encoding given (the Go
// transport then leaves the body as the server sent it).
func rawEncoded(t *testing.T, client *http.Client, method, url, token, acceptEncoding string, hdr map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept-Encoding", acceptEncoding)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

func gunzip(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("gzip: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("gunzip: %v", err)
	}
	return out
}

// TestCompressRules runs the middleware around a handler that answers 4 KiB
// of JSON on every route, so only the request decides: GET lists are
// gzipped, the auth routes, non-GET requests, evidence downloads and Range
// requests never are.
func TestCompressRules(t *testing.T) {
	big := []byte(`{"items":[` + strings.Repeat(`{"name":"许志永 Xu Zhiyong","status":"detained"},`, 90) + `{}]}`)
	small := []byte(`{"status":"ok"}`)
	h, err := httpapi.Compress(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		if r.URL.Path == "/api/v1/small" {
			_, _ = w.Write(small)
			return
		}
		_, _ = w.Write(big)
	}))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	cases := []struct {
		method, path, accept string
		header               map[string]string
		gzipped              bool
	}{
		{"GET", "/api/v1/detainees", "gzip, deflate, br, zstd", nil, true},
		{"GET", "/api/v1/detainees", "gzip", nil, true},
		{"GET", "/api/v1/detainees", "gzip;q=0, br", nil, false},
		{"GET", "/api/v1/detainees", "identity", nil, false},
		{"GET", "/api/v1/small", "gzip", nil, false},
		// BREACH: tokens, TOTP keys, one-time passwords, feed URLs.
		{"POST", "/api/v1/auth/login", "gzip", nil, false},
		{"POST", "/api/v1/auth/refresh", "gzip", nil, false},
		{"POST", "/api/v1/auth/totp/verify", "gzip", nil, false},
		{"POST", "/api/v1/auth/passkeys/login/finish", "gzip", nil, false},
		{"GET", "/api/v1/auth/passkeys", "gzip", nil, false},
		{"POST", "/api/v1/users", "gzip", nil, false},
		{"POST", "/api/v1/me/calendar-feed", "gzip", nil, false},
		{"PATCH", "/api/v1/cases/1", "gzip", nil, false},
		{"GET", "/api/v1/calendar-feeds/secret/hearings.ics", "gzip", nil, false},
		// Evidence downloads (even of a JSON file) and Range requests.
		{"GET", "/api/v1/cases/1/evidence/2/content", "gzip", nil, false},
		{"GET", "/api/v1/detainees", "gzip", map[string]string{"Range": "bytes=0-9"}, false},
		// Not the API: the SPA has its own precompressed files.
		{"GET", "/cases/1", "gzip", nil, false},
	}
	for _, c := range cases {
		t.Run(c.method+" "+c.path+" "+c.accept, func(t *testing.T) {
			resp, body := rawEncoded(t, srv.Client(), c.method, srv.URL+c.path, "", c.accept, c.header)
			enc := resp.Header.Get("Content-Encoding")
			if (enc == "gzip") != c.gzipped {
				t.Fatalf("Content-Encoding %q, want gzip: %v", enc, c.gzipped)
			}
			want := big
			if c.path == "/api/v1/small" {
				want = small
			}
			if c.gzipped {
				if !strings.Contains(resp.Header.Get("Vary"), "Accept-Encoding") {
					t.Errorf("Vary %q", resp.Header.Get("Vary"))
				}
				if len(body) >= len(want)/2 {
					t.Errorf("gzipped %d bytes to %d", len(want), len(body))
				}
				body = gunzip(t, body)
			}
			if !bytes.Equal(body, want) {
				t.Errorf("body is not the handler's (%d bytes, want %d)", len(body), len(want))
			}
		})
	}
}

// TestCompressAPI goes through the real server: a large JSON list is
// gzipped when asked for (and only then), a sign-in is not, and an
// evidence download comes as stored, with its Content-Length.
func TestCompressAPI(t *testing.T) {
	s := testkit.NewServer(t, nil, nil)
	admin, _ := testkit.UserToken(t, s, actor.Admin)
	var caseID string
	for i := range 25 {
		r := s.Do(testkit.Request{Method: "POST", Path: "/api/v1/detainees", Token: admin,
			Body: map[string]any{"name": "许志永 " + strconv.Itoa(i), "home_province": "Beijing"}})
		if r.StatusCode != http.StatusCreated {
			t.Fatalf("create detainee: %d %s", r.StatusCode, r.Body)
		}
		if i == 0 {
			var det struct{ ID string }
			r.JSON(t, &det)
			r = s.Do(testkit.Request{Method: "POST", Path: "/api/v1/cases", Token: admin,
				Body: map[string]any{"detainee_id": det.ID, "detained_at": "2020-02-15"}})
			if r.StatusCode != http.StatusCreated {
				t.Fatalf("create case: %d %s", r.StatusCode, r.Body)
			}
			var c struct{ ID string }
			r.JSON(t, &c)
			caseID = c.ID
		}
	}
	list := s.URL + "/api/v1/detainees?limit=50"
	plainResp, plain := rawEncoded(t, s.Client, "GET", list, admin, "identity", nil)
	if plainResp.StatusCode != http.StatusOK || plainResp.Header.Get("Content-Encoding") != "" || len(plain) < 4*httpapi.CompressMinSize {
		t.Fatalf("identity: %d, encoding %q, %d bytes", plainResp.StatusCode, plainResp.Header.Get("Content-Encoding"), len(plain))
	}
	resp, body := rawEncoded(t, s.Client, "GET", list, admin, "gzip, deflate, br, zstd", nil)
	if resp.Header.Get("Content-Encoding") != "gzip" || !strings.Contains(resp.Header.Get("Vary"), "Accept-Encoding") {
		t.Fatalf("list: Content-Encoding %q, Vary %q", resp.Header.Get("Content-Encoding"), resp.Header.Get("Vary"))
	}
	if resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control %q", resp.Header.Get("Cache-Control"))
	}
	if got := gunzip(t, body); !bytes.Equal(got, plain) {
		t.Errorf("the gzipped list is not the identity list (%d vs %d bytes)", len(got), len(plain))
	}
	t.Logf("GET /api/v1/detainees?limit=50: %d bytes, gzipped %d", len(plain), len(body))

	// Through testkit (the Go client asks for gzip and decodes): the contract still holds.
	if r := s.Do(testkit.Request{Method: "GET", Path: "/api/v1/detainees?limit=50", Token: admin}); !r.Uncompressed {
		t.Error("the list was not sent gzipped to a client that accepts gzip")
	}

	// Sign-in: tokens in the answer, never compressed.
	u := testkit.CreateUser(t, s, actor.Lawyer)
	req, _ := http.NewRequest("POST", s.URL+"/api/v1/auth/login",
		strings.NewReader(`{"email":"`+u.Email+`","password":"`+u.Password+`"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept-Encoding", "gzip")
	lr, err := s.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = lr.Body.Close()
	if lr.StatusCode != http.StatusOK || lr.Header.Get("Content-Encoding") != "" {
		t.Errorf("login: %d, Content-Encoding %q", lr.StatusCode, lr.Header.Get("Content-Encoding"))
	}

	// Evidence: a compressible JSON file, downloaded as stored.
	content := []byte(`{"notes":"` + strings.Repeat("会见被拒 meeting refused. ", 200) + `"}`)
	up := evidenceMultipart(t, "notes.json", content)
	r := s.Do(testkit.Request{Method: "POST", Path: "/api/v1/cases/" + caseID + "/evidence", Token: admin,
		Body: up.body, Header: http.Header{"Content-Type": {up.contentType}}})
	if r.StatusCode != http.StatusCreated {
		t.Fatalf("upload: %d %s", r.StatusCode, r.Body)
	}
	var item struct{ ID string }
	r.JSON(t, &item)
	dr, got := rawEncoded(t, s.Client, "GET", s.URL+"/api/v1/cases/"+caseID+"/evidence/"+item.ID+"/content", admin, "gzip", nil)
	if dr.StatusCode != http.StatusOK || dr.Header.Get("Content-Encoding") != "" || !bytes.Equal(got, content) {
		t.Errorf("download: %d, Content-Encoding %q, %d bytes (want the %d stored)", dr.StatusCode, dr.Header.Get("Content-Encoding"), len(got), len(content))
	}
	if dr.Header.Get("Content-Length") != strconv.Itoa(len(content)) {
		t.Errorf("download Content-Length %q", dr.Header.Get("Content-Length"))
	}
}

type multipartUpload struct {
	body        []byte
	contentType string
}

func evidenceMultipart(t *testing.T, filename string, content []byte) multipartUpload {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	if err := w.WriteField("title", "会见记录 meeting notes"); err != nil {
		t.Fatal(err)
	}
	f, err := w.CreateFormFile("file", filename)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write(content); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return multipartUpload{body: b.Bytes(), contentType: w.FormDataContentType()}
}
