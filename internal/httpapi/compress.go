package httpapi

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/klauspost/compress/gzhttp"
)

// CompressMinSize is the smallest JSON answer worth gzipping: below it the
// gzip framing and the CPU cost outweigh the bytes saved.
const CompressMinSize = 1024

// Compress gzips the JSON answers of GET requests under /api/ of at least
// CompressMinSize bytes for clients that accept gzip (Accept-Encoding, q=0
// honoured), and adds Vary: Accept-Encoding to what it may compress. It
// never compresses:
//   - anything but application/json (evidence content, PDFs, CSV, the
//     calendar feed, the OpenAPI document), nor an answer that already has a
//     Content-Encoding or Content-Range;
//   - evidence downloads (.../evidence/{id}/content, whatever the item's type)
//     and any request with a Range header;
//   - BREACH: the routes under /api/v1/auth/ and every non-GET request. The
//     answers that hold a secret next to text an attacker can make the
//     browser send (access tokens at sign-in, refresh, TOTP and passkey
//     steps; the TOTP key; one-time passwords of created or reset accounts;
//     a new calendar-feed URL) are all answers to POSTs or under /auth/, so
//     their compressed length cannot leak the secret (docs/security.md).
//
// The SPA's files are not compressed here: internal/webui sends their
// precompressed variants.
func Compress(next http.Handler) (http.Handler, error) {
	wrap, err := gzhttp.NewWrapper(
		gzhttp.MinSize(CompressMinSize),
		gzhttp.ContentTypes([]string{"application/json"}),
		gzhttp.EnableZstd(false),
	)
	if err != nil {
		return nil, fmt.Errorf("gzip middleware: %w", err)
	}
	gz := wrap(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if mayCompress(r) {
			gz.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r)
	}), nil
}

// mayCompress says whether r's answer may be gzipped (see Compress).
func mayCompress(r *http.Request) bool {
	p := r.URL.Path
	switch {
	case r.Method != http.MethodGet:
		return false
	case !strings.HasPrefix(p, "/api/"):
		return false
	case strings.HasPrefix(p, "/api/v1/auth/"):
		return false
	case strings.HasPrefix(p, "/api/v1/calendar-feeds/"):
		return false
	case strings.Contains(p, "/evidence/") && strings.HasSuffix(p, "/content"):
		return false
	case r.Header.Get("Range") != "":
		return false
	}
	return true
}
