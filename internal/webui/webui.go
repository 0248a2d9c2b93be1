// Package webui embeds the built single-page application. `make web` builds
// web/ into dist/app; without it (Go-only builds and tests) a committed
// placeholder page is served instead, so the Go build never needs Node.
//
// The build writes a brotli (X.br) and a gzip (X.gz) copy next to every
// compressible file X (web/scripts/compress.mjs); the handler sends the
// variant the request's Accept-Encoding prefers, so nothing is compressed
// while serving.
package webui

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"
)

//go:embed all:dist
var dist embed.FS

// Assets is the SPA's file tree: the built app when present, else the placeholder.
func Assets() (files fs.FS, built bool) {
	if app, err := fs.Sub(dist, "dist/app"); err == nil {
		if _, err := fs.Stat(app, "index.html"); err == nil {
			return app, true
		}
	}
	ph, err := fs.Sub(dist, "dist/placeholder")
	if err != nil {
		panic("webui: placeholder missing from embed: " + err.Error())
	}
	return ph, false
}

// Cache-Control values: hashed files under assets/ never change under their
// name; everything else (index.html, a service worker, icons) is revalidated
// on every use, by its ETag.
const (
	cacheImmutable  = "public, max-age=31536000, immutable"
	cacheRevalidate = "no-cache"
)

// Content codings of the precompressed variants, in order of preference at
// equal quality, with their file suffixes.
var codings = []struct{ name, suffix string }{{"br", ".br"}, {"gzip", ".gz"}}

// variant is one encoding of a file: its bytes and entity tag.
type variant struct {
	data []byte
	etag string
}

// asset is a file with its identity bytes and its precompressed variants
// (keyed by content coding).
type asset struct {
	name         string
	contentType  string
	cacheControl string
	identity     variant
	encoded      map[string]variant
}

// Handler serves the embedded SPA (see NewHandler).
func Handler() http.Handler {
	files, _ := Assets()
	h, err := NewHandler(files)
	if err != nil {
		panic("webui: " + err.Error())
	}
	return h
}

// NewHandler serves the SPA in files: real files when they exist, index.html
// for every other path (client-side routing) except under /assets/ and
// names with an extension (404).
// Each response is the file's variant the request accepts best (br, then
// gzip, then the file itself; q=0 refuses a coding), with Content-Encoding,
// Vary: Accept-Encoding, Content-Type and Content-Length of that variant and
// an ETag per variant (If-None-Match answers 304). A Range request always gets
// the identity file, so byte ranges never apply to compressed bytes. Hashed
// assets under /assets/ are cached for a year as immutable; index.html and
// other files are revalidated (no-cache). The .br and .gz files themselves
// are not served by their names.
func NewHandler(files fs.FS) (http.Handler, error) {
	assets, err := load(files)
	if err != nil {
		return nil, err
	}
	index, ok := assets["index.html"]
	if !ok {
		return nil, fmt.Errorf("index.html missing")
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
		a, ok := assets[p]
		if !ok {
			// A missing file (a name with an extension, such as the
			// favicon.ico browsers ask for) is a 404, not the page.
			if p == "assets" || strings.HasPrefix(p, "assets/") || path.Ext(p) != "" {
				http.NotFound(w, r)
				return
			}
			a = index
		}
		serve(w, r, a)
	}), nil
}

// load reads every file of files (except the .br and .gz variants, which it
// attaches to their file) and computes the entity tags.
func load(files fs.FS) (map[string]*asset, error) {
	assets := map[string]*asset{}
	err := fs.WalkDir(files, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || isVariantName(name) {
			return nil
		}
		data, err := fs.ReadFile(files, name)
		if err != nil {
			return fmt.Errorf("read %s: %w", name, err)
		}
		a := &asset{
			name:         name,
			contentType:  contentType(name),
			cacheControl: cacheRevalidate,
			identity:     newVariant(data, ""),
			encoded:      map[string]variant{},
		}
		if strings.HasPrefix(name, "assets/") {
			a.cacheControl = cacheImmutable
		}
		for _, c := range codings {
			enc, err := fs.ReadFile(files, name+c.suffix)
			if err != nil {
				continue // no such variant (not compressible, or not smaller)
			}
			a.encoded[c.name] = newVariant(enc, c.name)
		}
		assets[name] = a
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("webui: load assets: %w", err)
	}
	return assets, nil
}

func isVariantName(name string) bool {
	for _, c := range codings {
		if strings.HasSuffix(name, c.suffix) {
			return true
		}
	}
	return false
}

// newVariant tags data with a strong ETag of its own bytes (so every variant
// has a different one), suffixed with the coding for readability.
func newVariant(data []byte, coding string) variant {
	sum := sha256.Sum256(data)
	tag := base64.RawURLEncoding.EncodeToString(sum[:16])
	if coding != "" {
		tag += "-" + coding
	}
	return variant{data: data, etag: `"` + tag + `"`}
}

func contentType(name string) string {
	switch path.Ext(name) {
	case ".webmanifest":
		return "application/manifest+json"
	case ".js", ".mjs":
		return "text/javascript; charset=utf-8"
	}
	if t := mime.TypeByExtension(path.Ext(name)); t != "" {
		return t
	}
	return "application/octet-stream"
}

// serve writes a's variant chosen by the request.
func serve(w http.ResponseWriter, r *http.Request, a *asset) {
	h := w.Header()
	h.Set("Content-Type", a.contentType)
	h.Set("Cache-Control", a.cacheControl)
	if len(a.encoded) > 0 {
		h.Add("Vary", "Accept-Encoding")
	}
	coding := ""
	if r.Header.Get("Range") == "" {
		coding = negotiate(r.Header.Values("Accept-Encoding"), a.encoded)
	}
	if coding == "" {
		// The file itself: ServeContent answers Range, If-Range and
		// If-None-Match and sets Content-Length.
		h.Set("ETag", a.identity.etag)
		http.ServeContent(w, r, a.name, time.Time{}, bytes.NewReader(a.identity.data))
		return
	}
	v := a.encoded[coding]
	h.Set("ETag", v.etag)
	if etagMatches(r.Header.Get("If-None-Match"), v.etag) {
		h.Del("Content-Type")
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Encoding", coding)
	h.Set("Content-Length", strconv.Itoa(len(v.data)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(v.data)
	}
}

// etagMatches is If-None-Match's weak comparison of a list against tag.
func etagMatches(header, tag string) bool {
	if header == "" {
		return false
	}
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == tag {
			return true
		}
	}
	return false
}

// negotiate returns the content coding of available ("br" or "gzip") that the
// Accept-Encoding header values accept with the highest quality, br before
// gzip at equal quality, or "" for the identity (nothing accepted or
// available). A coding with q=0 is refused, also through "*;q=0"; "*" with a
// quality above zero accepts codings not listed by name; x-gzip is gzip.
func negotiate(acceptEncoding []string, available map[string]variant) string {
	q := map[string]float64{}
	wildcard := -1.0
	for _, header := range acceptEncoding {
		for _, part := range strings.Split(header, ",") {
			name, params, _ := strings.Cut(part, ";")
			name = strings.ToLower(strings.TrimSpace(name))
			if name == "" {
				continue
			}
			if name == "x-gzip" {
				name = "gzip"
			}
			quality := 1.0
			for _, p := range strings.Split(params, ";") {
				k, val, ok := strings.Cut(strings.TrimSpace(p), "=")
				if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
					f, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
					if err != nil || f < 0 || f > 1 {
						f = 0 // an unreadable quality accepts nothing
					}
					quality = f
				}
			}
			if name == "*" {
				wildcard = quality
				continue
			}
			if old, seen := q[name]; !seen || quality > old {
				q[name] = quality
			}
		}
	}
	best, bestQ := "", 0.0
	for _, c := range codings {
		if _, ok := available[c.name]; !ok {
			continue
		}
		quality, listed := q[c.name]
		if !listed {
			quality = max(wildcard, 0)
		}
		if quality > bestQ {
			best, bestQ = c.name, quality
		}
	}
	return best
}
