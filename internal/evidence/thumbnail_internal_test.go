package evidence

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"testing"
)

// BenchmarkThumbnail12MP decodes a 4000×3000 JPEG (a phone photo) and makes
// its thumbnail, as GET .../thumbnail does after the (not measured) read of
// the stored file.
func BenchmarkThumbnail12MP(b *testing.B) {
	src := image.NewYCbCr(image.Rect(0, 0, 4000, 3000), image.YCbCrSubsampleRatio420)
	for i := range src.Y {
		src.Y[i] = uint8(i * 7)
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, src, &jpeg.Options{Quality: 85}); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(buf.Len()))
	b.ResetTimer()
	for b.Loop() {
		img, err := decodeBounded(bytes.NewReader(buf.Bytes()))
		if err != nil {
			b.Fatal(err)
		}
		out, err := encodeThumbnail(img)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(len(out)), "thumb-bytes")
	}
}

// TestDecodeBoundedRefusesFromTheHeader: an image declaring more than
// MaxThumbnailPixels is refused by DecodeConfig alone (no pixel decoded),
// and a GIF's transparent pixels come out white.
func TestDecodeBoundedRefusesFromTheHeader(t *testing.T) {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, image.NewGray(image.Rect(0, 0, 8, 8)), nil); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	// Patch the SOF0 frame's height and width to 65535×65535 (4.3 gigapixels).
	for i := 0; i+8 < len(b); i++ {
		if b[i] == 0xFF && b[i+1] == 0xC0 {
			b[i+5], b[i+6], b[i+7], b[i+8] = 0xFF, 0xFF, 0xFF, 0xFF
			break
		}
	}
	if _, err := decodeBounded(bytes.NewReader(b)); err != errImageTooLarge {
		t.Fatalf("65535×65535 JPEG: %v, want errImageTooLarge", err)
	}
	m := image.NewNRGBA(image.Rect(0, 0, 2, 1))
	m.Set(0, 0, color.NRGBA{A: 0})
	out, err := encodeThumbnail(m)
	if err != nil {
		t.Fatal(err)
	}
	th, err := jpeg.Decode(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if r, g, bl, _ := th.At(0, 0).RGBA(); r>>8 < 240 || g>>8 < 240 || bl>>8 < 240 {
		t.Errorf("transparent pixel: %v, want white", th.At(0, 0))
	}
}
