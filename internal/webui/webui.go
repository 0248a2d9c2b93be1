// Package webui embeds the built single-page application. `make web` builds
// web/ into dist/app; without it (Go-only builds and tests) a committed
// placeholder page is served instead, so the Go build never needs Node.
package webui

import (
	"embed"
	"io/fs"
	"net/http"
	"path"
	"strings"
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

// Handler serves the SPA: real files when they exist, index.html for every
// other path (client-side routing). Hashed assets under /assets/ are cached
// for a year; index.html is never cached so a new release is picked up.
func Handler() http.Handler {
	files, _ := Assets()
	index, err := fs.ReadFile(files, "index.html")
	if err != nil {
		panic("webui: index.html missing: " + err.Error())
	}
	fileServer := http.FileServerFS(files)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
		if p != "" && p != "index.html" {
			if st, err := fs.Stat(files, p); err == nil && !st.IsDir() {
				if strings.HasPrefix(p, "assets/") {
					w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
				} else {
					w.Header().Set("Cache-Control", "no-cache")
				}
				fileServer.ServeHTTP(w, r)
				return
			}
			if strings.HasPrefix(p, "assets/") {
				http.NotFound(w, r)
				return
			}
		}
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		if r.Method != http.MethodHead {
			_, _ = w.Write(index)
		}
	})
}
