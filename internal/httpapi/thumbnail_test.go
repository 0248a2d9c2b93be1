package httpapi_test

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"mime/multipart"
	"net/http"
	"testing"

	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/testkit"
)

// pngOf encodes a w×h image: a red left half, a transparent right half.
func pngOf(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w / 2 {
			img.Set(x, y, color.NRGBA{R: 200, A: 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// withDimensions rewrites a PNG's IHDR to claim w×h pixels (with a valid
// CRC), leaving the pixel data as it is: a decompression bomb's header.
func withDimensions(t *testing.T, p []byte, w, h uint32) []byte {
	t.Helper()
	out := bytes.Clone(p)
	// signature (8), length (4), "IHDR" (4), width, height, ...
	if string(out[12:16]) != "IHDR" {
		t.Fatal("no IHDR")
	}
	binary.BigEndian.PutUint32(out[16:], w)
	binary.BigEndian.PutUint32(out[20:], h)
	binary.BigEndian.PutUint32(out[29:], crc32.ChecksumIEEE(out[12:29]))
	return out
}

func uploadFile(t *testing.T, s *testkit.Server, token, caseID, filename, kind string, content []byte) string {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	_ = w.WriteField("title", "Photo "+filename)
	_ = w.WriteField("kind", kind)
	f, err := w.CreateFormFile("file", filename)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = f.Write(content)
	_ = w.Close()
	r := s.Do(testkit.Request{Method: "POST", Path: "/api/v1/cases/" + caseID + "/evidence", Body: b.Bytes(),
		Header: http.Header{"Content-Type": {w.FormDataContentType()}}, Token: token})
	if r.StatusCode != http.StatusCreated {
		t.Fatalf("upload %s: %d %s", filename, r.StatusCode, r.Body)
	}
	var v struct{ ID string }
	r.JSON(t, &v)
	return v.ID
}

// TestEvidenceThumbnail: GET .../thumbnail answers a JPEG of at most 320
// pixels made from the stored image, under the download's access rule,
// audited, never cached; not for a non-image (415), an undecodable image
// (415) or an image whose header declares too many pixels (413).
func TestEvidenceThumbnail(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		own, _ := e.fixture(t)
		lawyer, stranger := e.users[rLawA].token, e.users[rLawB].token
		thumb := func(token, id string) *testkit.Response {
			return e.s.Do(testkit.Request{Method: "GET", Path: "/api/v1/cases/" + own.caseID + "/evidence/" + id + "/thumbnail", Token: token})
		}
		code := func(r *testkit.Response) string {
			var body struct{ Code string }
			r.JSON(t, &body)
			return body.Code
		}

		photo := uploadFile(t, e.s, lawyer, own.caseID, "cell.png", "photo", pngOf(t, 800, 400))
		r := thumb(lawyer, photo)
		if r.StatusCode != http.StatusOK {
			t.Fatalf("thumbnail: %d %s", r.StatusCode, r.Body)
		}
		for h, want := range map[string]string{"Content-Type": "image/jpeg", "Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"} {
			if got := r.Header.Get(h); got != want {
				t.Errorf("%s: %q, want %q", h, got, want)
			}
		}
		img, err := jpeg.Decode(bytes.NewReader(r.Body))
		if err != nil {
			t.Fatalf("the thumbnail is not a JPEG: %v", err)
		}
		if b := img.Bounds(); b.Dx() != 320 || b.Dy() != 160 {
			t.Errorf("thumbnail %v, want 320×160", b)
		}
		// Left half red, right half (transparent in the PNG) white.
		if r, g, _, _ := img.At(40, 80).RGBA(); r>>8 < 150 || g>>8 > 60 {
			t.Errorf("left half is not red: %v", img.At(40, 80))
		}
		if r, g, b, _ := img.At(280, 80).RGBA(); r>>8 < 240 || g>>8 < 240 || b>>8 < 240 {
			t.Errorf("transparent half is not white: %v", img.At(280, 80))
		}
		var audited int64
		d.Table("audit_log").Where("action = ? AND object_id = ? AND case_id = ?", "evidence.thumbnail", photo, own.caseID).Count(&audited)
		if audited != 1 {
			t.Errorf("%d evidence.thumbnail audit entries, want 1", audited)
		}

		// A small image is not enlarged.
		small := uploadFile(t, e.s, lawyer, own.caseID, "small.png", "photo", pngOf(t, 40, 30))
		if r := thumb(lawyer, small); r.StatusCode != http.StatusOK {
			t.Errorf("small: %d %s", r.StatusCode, r.Body)
		} else if c, err := jpeg.DecodeConfig(bytes.NewReader(r.Body)); err != nil || c.Width != 40 || c.Height != 30 {
			t.Errorf("small thumbnail %dx%d (%v), want 40x30", c.Width, c.Height, err)
		}

		// Not visible: 404, as for the download (and nothing audited as a thumbnail).
		if r := thumb(stranger, photo); r.StatusCode != http.StatusNotFound {
			t.Errorf("lawyer not on the case: %d, want 404", r.StatusCode)
		}
		d.Table("audit_log").Where("action = ? AND object_id = ?", "evidence.thumbnail", photo).Count(&audited)
		if audited != 1 {
			t.Errorf("%d evidence.thumbnail audit entries after a refusal, want 1", audited)
		}

		pdf := uploadFile(t, e.s, lawyer, own.caseID, "judgment.pdf", "court_document", []byte("%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"))
		if r := thumb(lawyer, pdf); r.StatusCode != http.StatusUnsupportedMediaType || code(r) != "evidence_not_image" {
			t.Errorf("PDF: %d %s, want 415 evidence_not_image", r.StatusCode, r.Body)
		}
		broken := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0xAB}, 200)...)
		bid := uploadFile(t, e.s, lawyer, own.caseID, "broken.png", "photo", broken)
		if r := thumb(lawyer, bid); r.StatusCode != http.StatusUnsupportedMediaType || code(r) != "evidence_image_undecodable" {
			t.Errorf("broken PNG: %d %s, want 415 evidence_image_undecodable", r.StatusCode, r.Body)
		}
		// 20000×20000 = 400 megapixels declared by a 1 KB file: refused from the header.
		bomb := uploadFile(t, e.s, lawyer, own.caseID, "bomb.png", "photo", withDimensions(t, pngOf(t, 16, 16), 20000, 20000))
		if r := thumb(lawyer, bomb); r.StatusCode != http.StatusRequestEntityTooLarge || code(r) != "evidence_image_too_large" {
			t.Errorf("huge dimensions: %d %s, want 413 evidence_image_too_large", r.StatusCode, r.Body)
		}
	})
}
