package webui

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/andybalholm/brotli"
)

// testFiles is a built SPA in miniature: a hashed script with both
// precompressed variants, a stylesheet with gzip only, an image without any,
// and index.html with both.
func testFiles(t *testing.T) (fstest.MapFS, map[string][]byte) {
	t.Helper()
	script := []byte(strings.Repeat("export const greeting = 'hello, 你好';\n", 200))
	css := []byte(strings.Repeat("body { margin: 0 }\n", 100))
	index := []byte(`<!doctype html><html><head><script type="module" src="/assets/index-AbC123.js"></script></head><body><div id="root"></div></body></html>` + strings.Repeat(" ", 500))
	png := []byte("\x89PNG\r\n\x1a\nnot really")
	files := fstest.MapFS{
		"index.html":                {Data: index},
		"index.html.br":             {Data: brotliBytes(t, index)},
		"index.html.gz":             {Data: gzipBytes(t, index)},
		"assets/index-AbC123.js":    {Data: script},
		"assets/index-AbC123.js.br": {Data: brotliBytes(t, script)},
		"assets/index-AbC123.js.gz": {Data: gzipBytes(t, script)},
		"assets/app-Xy9.css":        {Data: css},
		"assets/app-Xy9.css.gz":     {Data: gzipBytes(t, css)},
		"assets/logo-Q1.png":        {Data: png},
		"favicon.png":               {Data: png},
	}
	return files, map[string][]byte{"index": index, "script": script, "css": css, "png": png}
}

func gzipBytes(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func brotliBytes(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := brotli.NewWriterLevel(&buf, brotli.BestCompression)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func decode(t *testing.T, coding string, body []byte) []byte {
	t.Helper()
	var r io.Reader = bytes.NewReader(body)
	switch coding {
	case "br":
		r = brotli.NewReader(r)
	case "gzip":
		zr, err := gzip.NewReader(r)
		if err != nil {
			t.Fatalf("gzip: %v", err)
		}
		r = zr
	case "":
	default:
		t.Fatalf("unexpected Content-Encoding %q", coding)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("decode %s: %v", coding, err)
	}
	return out
}

func get(t *testing.T, h http.Handler, method, path string, header map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, path, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestAssetsPickEncodingByAcceptEncoding(t *testing.T) {
	files, want := testFiles(t)
	h, err := NewHandler(files)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		path, accept, coding, body, contentType, cache string
		vary                                           bool
	}{
		{"/assets/index-AbC123.js", "gzip, deflate, br, zstd", "br", "script", "text/javascript; charset=utf-8", cacheImmutable, true},
		{"/assets/index-AbC123.js", "gzip", "gzip", "script", "text/javascript; charset=utf-8", cacheImmutable, true},
		{"/assets/index-AbC123.js", "br;q=0, gzip", "gzip", "script", "text/javascript; charset=utf-8", cacheImmutable, true},
		{"/assets/index-AbC123.js", "br;q=0.5, gzip;q=0.8", "gzip", "script", "text/javascript; charset=utf-8", cacheImmutable, true},
		{"/assets/index-AbC123.js", "br;q=1.0, gzip;q=1", "br", "script", "text/javascript; charset=utf-8", cacheImmutable, true},
		{"/assets/index-AbC123.js", "gzip;q=0, br;q=0", "", "script", "text/javascript; charset=utf-8", cacheImmutable, true},
		{"/assets/index-AbC123.js", "*", "br", "script", "text/javascript; charset=utf-8", cacheImmutable, true},
		{"/assets/index-AbC123.js", "*;q=0", "", "script", "text/javascript; charset=utf-8", cacheImmutable, true},
		{"/assets/index-AbC123.js", "br;q=0, *", "gzip", "script", "text/javascript; charset=utf-8", cacheImmutable, true},
		{"/assets/index-AbC123.js", "x-gzip", "gzip", "script", "text/javascript; charset=utf-8", cacheImmutable, true},
		{"/assets/index-AbC123.js", "BR", "br", "script", "text/javascript; charset=utf-8", cacheImmutable, true},
		{"/assets/index-AbC123.js", "identity", "", "script", "text/javascript; charset=utf-8", cacheImmutable, true},
		{"/assets/index-AbC123.js", "", "", "script", "text/javascript; charset=utf-8", cacheImmutable, true},
		{"/assets/index-AbC123.js", "deflate, zstd", "", "script", "text/javascript; charset=utf-8", cacheImmutable, true},
		{"/assets/app-Xy9.css", "br, gzip", "gzip", "css", "text/css; charset=utf-8", cacheImmutable, true},
		{"/assets/logo-Q1.png", "br, gzip", "", "png", "image/png", cacheImmutable, false},
		{"/", "br, gzip", "br", "index", "text/html; charset=utf-8", cacheRevalidate, true},
		{"/index.html", "gzip", "gzip", "index", "text/html; charset=utf-8", cacheRevalidate, true},
		{"/cases/0193-abc", "gzip;q=0.9, br;q=0.1", "gzip", "index", "text/html; charset=utf-8", cacheRevalidate, true},
		{"/cases/0193-abc", "", "", "index", "text/html; charset=utf-8", cacheRevalidate, true},
		{"/favicon.png", "br", "", "png", "image/png", cacheRevalidate, false},
	}
	etags := map[string]string{}
	for _, c := range cases {
		t.Run(c.path+" "+c.accept, func(t *testing.T) {
			rec := get(t, h, "GET", c.path, map[string]string{"Accept-Encoding": c.accept})
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d", rec.Code)
			}
			hd := rec.Header()
			if got := hd.Get("Content-Encoding"); got != c.coding {
				t.Fatalf("Content-Encoding %q, want %q", got, c.coding)
			}
			if got := hd.Get("Content-Type"); got != c.contentType {
				t.Errorf("Content-Type %q, want %q", got, c.contentType)
			}
			if got := hd.Get("Cache-Control"); got != c.cache {
				t.Errorf("Cache-Control %q, want %q", got, c.cache)
			}
			if got := hd.Get("Vary") == "Accept-Encoding"; got != c.vary {
				t.Errorf("Vary %q, want Accept-Encoding: %v", hd.Get("Vary"), c.vary)
			}
			if got := hd.Get("Content-Length"); got != strconv.Itoa(rec.Body.Len()) {
				t.Errorf("Content-Length %q, body %d bytes", got, rec.Body.Len())
			}
			if c.coding != "" && rec.Body.Len() >= len(want[c.body]) {
				t.Errorf("%s body of %d bytes is not smaller than the file (%d)", c.coding, rec.Body.Len(), len(want[c.body]))
			}
			if got := decode(t, c.coding, rec.Body.Bytes()); !bytes.Equal(got, want[c.body]) {
				t.Errorf("decoded body is not the file (%d bytes, want %d)", len(got), len(want[c.body]))
			}
			tag := hd.Get("ETag")
			if !strings.HasPrefix(tag, `"`) || !strings.HasSuffix(tag, `"`) {
				t.Fatalf("ETag %q", tag)
			}
			// One tag per variant: the same variant keeps its tag, another has another.
			key := c.body + "/" + c.coding
			for k, v := range etags {
				if (k == key) != (v == tag) {
					t.Errorf("ETag %s of %s vs %s of %s", tag, key, v, k)
				}
			}
			etags[key] = tag
			// The tag revalidates that variant: 304, no body.
			rec = get(t, h, "GET", c.path, map[string]string{"Accept-Encoding": c.accept, "If-None-Match": tag})
			if rec.Code != http.StatusNotModified || rec.Body.Len() != 0 {
				t.Errorf("If-None-Match %s: status %d, %d bytes", tag, rec.Code, rec.Body.Len())
			}
		})
	}
}

func TestAssetsRangeGetsTheIdentityFile(t *testing.T) {
	files, want := testFiles(t)
	h, err := NewHandler(files)
	if err != nil {
		t.Fatal(err)
	}
	rec := get(t, h, "GET", "/assets/index-AbC123.js", map[string]string{"Accept-Encoding": "br, gzip", "Range": "bytes=10-19"})
	if rec.Code != http.StatusPartialContent {
		t.Fatalf("status %d, want 206", rec.Code)
	}
	if enc := rec.Header().Get("Content-Encoding"); enc != "" {
		t.Errorf("a range of the %s variant was sent", enc)
	}
	if !bytes.Equal(rec.Body.Bytes(), want["script"][10:20]) {
		t.Errorf("range body %q, want %q", rec.Body.Bytes(), want["script"][10:20])
	}
	if got := rec.Header().Get("Content-Range"); got != "bytes 10-19/"+strconv.Itoa(len(want["script"])) {
		t.Errorf("Content-Range %q", got)
	}
}

func TestAssetsHeadNotFoundAndVariantNames(t *testing.T) {
	files, _ := testFiles(t)
	h, err := NewHandler(files)
	if err != nil {
		t.Fatal(err)
	}
	rec := get(t, h, "HEAD", "/assets/index-AbC123.js", map[string]string{"Accept-Encoding": "br"})
	if rec.Code != http.StatusOK || rec.Body.Len() != 0 || rec.Header().Get("Content-Encoding") != "br" {
		t.Errorf("HEAD: status %d, %d bytes, encoding %q", rec.Code, rec.Body.Len(), rec.Header().Get("Content-Encoding"))
	}
	if rec.Header().Get("Content-Length") != strconv.Itoa(len(files["assets/index-AbC123.js.br"].Data)) {
		t.Errorf("HEAD Content-Length %q", rec.Header().Get("Content-Length"))
	}
	for _, p := range []string{"/favicon.ico", "/robots.txt", "/assets/missing-1.js", "/assets/index-AbC123.js.br", "/assets/index-AbC123.js.gz", "/assets/"} {
		if rec := get(t, h, "GET", p, nil); rec.Code != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", p, rec.Code)
		}
	}
	// index.html's variants are not files of their own either.
	if rec := get(t, h, "GET", "/index.html.br", nil); rec.Code != http.StatusNotFound {
		t.Errorf("/index.html.br: status %d, want 404", rec.Code)
	}
}

func TestEmbeddedAssetsServe(t *testing.T) {
	// The embedded tree (the built app, or the placeholder in Go-only builds).
	rec := get(t, Handler(), "GET", "/some/deep/link", map[string]string{"Accept-Encoding": "br, gzip"})
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
		t.Fatalf("status %d, Content-Type %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	if rec.Header().Get("Cache-Control") != cacheRevalidate {
		t.Errorf("Cache-Control %q", rec.Header().Get("Cache-Control"))
	}
}

// Issue 24: the service worker script and the web manifest are served at the
// root with their content types and revalidated on every use (no-cache), so
// a new build's worker is found at the next visit.
func TestServiceWorkerAndManifest(t *testing.T) {
	files := fstest.MapFS{
		"index.html":           {Data: []byte("<!doctype html>")},
		"service-worker.js":    {Data: []byte("self.addEventListener('fetch', () => {});")},
		"manifest.webmanifest": {Data: []byte(`{"name":"Habeas"}`)},
		"icon-192.png":         {Data: []byte("\x89PNG\r\n\x1a\n")},
	}
	h, err := NewHandler(files)
	if err != nil {
		t.Fatal(err)
	}
	for path, ctype := range map[string]string{
		"/service-worker.js":    "text/javascript; charset=utf-8",
		"/manifest.webmanifest": "application/manifest+json",
		"/icon-192.png":         "image/png",
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		if rec.Code != 200 || rec.Header().Get("Content-Type") != ctype || rec.Header().Get("Cache-Control") != "no-cache" {
			t.Errorf("%s: %d %q %q", path, rec.Code, rec.Header().Get("Content-Type"), rec.Header().Get("Cache-Control"))
		}
	}
}
