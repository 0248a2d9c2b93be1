package evidence

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"os"

	// Decoders registered with package image for thumbnails.
	_ "image/gif"
	_ "image/png"

	"golang.org/x/image/draw"
	_ "golang.org/x/image/webp"
	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/record"
)

const (
	// ThumbnailEdge is the longest edge, in pixels, of a thumbnail.
	ThumbnailEdge = 320
	// MaxThumbnailPixels is the largest image (width × height) a thumbnail
	// is made from: the decoded image is held in memory (up to 4 bytes a
	// pixel), so a small file declaring huge dimensions (a decompression
	// bomb) is refused from its header, before any pixel is decoded.
	MaxThumbnailPixels = 50_000_000
	// thumbnailQuality is the JPEG quality of thumbnails.
	thumbnailQuality = 80
)

// thumbnailTypes are the detected content types a thumbnail is made of.
var thumbnailTypes = map[string]bool{"image/jpeg": true, "image/png": true, "image/gif": true, "image/webp": true}

var (
	errNotImage = apperr.New(apperr.ErrUnsupportedMedia, "evidence_not_image",
		"this item is not an image (JPEG, PNG, GIF or WebP) that a thumbnail can be made of")
	errUndecodable = apperr.New(apperr.ErrUnsupportedMedia, "evidence_image_undecodable",
		"this item's image could not be decoded; download the file instead")
	errImageTooLarge = apperr.New(apperr.ErrTooLarge, "evidence_image_too_large",
		fmt.Sprintf("this image has more than %d pixels; no thumbnail is made of it, download the file instead", MaxThumbnailPixels))
)

// thumbnailSlots bounds how many thumbnails are decoded at once: each may
// hold a decoded image of up to MaxThumbnailPixels in memory.
var thumbnailSlots = make(chan struct{}, 2)

// Thumbnail returns a JPEG of the item's image, at most ThumbnailEdge pixels
// on its longest edge. The access rule is the download's (an item p may not
// see is not found) and it is audited as evidence.thumbnail before the
// content is read. The stored file is read through the same verifying,
// decrypting reader as a download and read to its end, so a thumbnail is
// only ever made of content that matched its recorded hash (a mismatch is
// reported as an integrity failure, as a download's is). Items whose
// detected type is not a JPEG, PNG, GIF or WebP image and images that fail
// to decode answer 415; images over MaxThumbnailPixels answer 413, checked
// from the header (image.DecodeConfig) before decoding.
func (s *Service) Thumbnail(ctx context.Context, p *actor.Principal, caseID, id string) ([]byte, error) {
	it, err := s.openForThumbnail(ctx, p, caseID, id)
	if err != nil {
		return nil, err
	}
	select {
	case thumbnailSlots <- struct{}{}:
		defer func() { <-thumbnailSlots }()
	case <-ctx.Done():
		return nil, fmt.Errorf("evidence: thumbnail: %w", ctx.Err())
	}
	rc, err := s.vault.Open(ctx, it.ObjectKey, it.SHA256, it.Size)
	if err != nil {
		return nil, s.readFailure(ctx, p, it, err)
	}
	defer rc.Close()
	img, err := decodeBounded(rc)
	if err != nil {
		return nil, s.readFailure(ctx, p, it, err)
	}
	// Read to the end: the verifying reader reports a mismatch only there.
	if _, err := io.Copy(io.Discard, rc); err != nil {
		return nil, s.readFailure(ctx, p, it, err)
	}
	return encodeThumbnail(img)
}

// openForThumbnail finds the item as p and audits the thumbnail.
func (s *Service) openForThumbnail(ctx context.Context, p *actor.Principal, caseID, id string) (*Item, error) {
	return record.Read(ctx, s.Kit, p, func(tx *gorm.DB) (*Item, error) {
		it, err := findItem(tx, p, caseID, id, Available)
		if err != nil {
			return nil, err
		}
		if !thumbnailTypes[it.DetectedType] {
			return nil, errNotImage
		}
		return it, s.Record(ctx, tx, p, audit.Entry{Action: "evidence.thumbnail", ObjectType: objectType, ObjectID: it.ID,
			CaseID: it.CaseID, Details: map[string]any{"sha256": it.SHA256, "size": it.Size}})
	})
}

// readFailure maps an error of reading or decoding an item's content.
func (s *Service) readFailure(ctx context.Context, p *actor.Principal, it *Item, err error) error {
	var ae *apperr.Error
	switch {
	case errors.As(err, &ae):
		return err
	case errors.Is(err, ErrIntegrity), errors.Is(err, os.ErrNotExist):
		s.ReportIntegrityFailure(ctx, p, it.View(), err)
		return errIntegrity
	case errors.Is(err, ErrStorage):
		s.log.Error("evidence: reading an object for a thumbnail failed", "item", it.ID, "error", err.Error())
		return ErrStorageRead
	case ctx.Err() != nil:
		return fmt.Errorf("evidence: thumbnail: %w", ctx.Err())
	default:
		return errUndecodable
	}
}

// decodeBounded decodes the image r holds, refusing from its header one of
// more than MaxThumbnailPixels. Errors of r itself (integrity, storage) are
// returned as they are, so they are not taken for a broken image.
func decodeBounded(r io.Reader) (image.Image, error) {
	src := &errKeeper{r: r}
	var head bytes.Buffer
	cfg, _, err := image.DecodeConfig(io.TeeReader(src, &head))
	if err != nil {
		return nil, src.or(errUndecodable)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, errUndecodable
	}
	if int64(cfg.Width)*int64(cfg.Height) > MaxThumbnailPixels {
		return nil, errImageTooLarge
	}
	img, _, err := image.Decode(io.MultiReader(&head, src))
	if err != nil {
		return nil, src.or(errUndecodable)
	}
	return img, nil
}

// errKeeper remembers the first error of r other than io.EOF, so that a
// decoder's error can be told from its source's.
type errKeeper struct {
	r   io.Reader
	err error
}

func (e *errKeeper) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil && err != io.EOF && e.err == nil {
		e.err = err
	}
	return n, err
}

// or returns the source's error if it had one, else fallback.
func (e *errKeeper) or(fallback error) error {
	if e.err != nil {
		return e.err
	}
	return fallback
}

// encodeThumbnail scales img to fit ThumbnailEdge (never up) on a white
// background (transparent pixels of PNG/GIF would otherwise turn black in a
// JPEG) and encodes it as a JPEG.
func encodeThumbnail(img image.Image) ([]byte, error) {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if long := max(w, h); long > ThumbnailEdge {
		w = max(1, (w*ThumbnailEdge+long/2)/long)
		h = max(1, (h*ThumbnailEdge+long/2)/long)
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(dst, dst.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	draw.CatmullRom.Scale(dst, dst.Bounds(), img, b, draw.Over, nil)
	var out bytes.Buffer
	if err := jpeg.Encode(&out, dst, &jpeg.Options{Quality: thumbnailQuality}); err != nil {
		return nil, fmt.Errorf("evidence: encode thumbnail: %w", err)
	}
	return out.Bytes(), nil
}
