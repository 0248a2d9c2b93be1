package evidence

import (
	"context"
	"errors"
	"io"
	"mime"
	"strings"
	"time"

	"github.com/gabriel-vasile/mimetype"
	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/access"
	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/metrics"
	"github.com/habeas-org/habeas/internal/record"
)

// UploadPart is one part of an upload's body, in the order the client sent
// it: the file (Name "file") or one metadata field (Name is its form name:
// title, description, kind, source, captured_at, language, confidential,
// linked_events).
type UploadPart struct {
	Name string
	// Filename and Type are the client's file name and declared media type
	// (of the file part).
	Filename, Type string
	// Body is the part's content; it is read to its end (or to the first
	// error) before the next part is asked for.
	Body io.Reader
}

// UploadInput is one upload: the client's Idempotency-Key ("" for none) and
// its parts. Next returns the next part, and io.EOF after the last; an
// error that is no *apperr.Error is answered as an internal error.
type UploadInput struct {
	IdempotencyKey string
	Next           func() (UploadPart, error)
}

// maxFieldBytes bounds each metadata part of an upload.
const maxFieldBytes = 64 << 10

// Upload runs the whole upload protocol. It checks p may add evidence to
// the case and commits a pending row before the first part is read; the
// file part goes straight into the vault (never buffered whole, never to a
// temporary file: memory stays constant) and is read back verified; the
// other parts are the metadata. Only then does the item become available,
// audited. Any failure removes what was stored (object and pending row,
// auditing the failure) and is returned. With an idempotency key already
// used by p on this case for a completed upload, nothing is read and that
// item is returned with replayed true.
func (s *Service) Upload(ctx context.Context, p *actor.Principal, caseID string, in UploadInput) (v View, replayed bool, err error) {
	key := in.IdempotencyKey
	if len(key) > 200 || strings.ContainsFunc(key, func(r rune) bool { return r < 0x21 || r > 0x7e }) {
		return View{}, false, apperr.Field("Idempotency-Key", "at most 200 printable ASCII characters")
	}
	u, replay, err := s.beginUpload(ctx, p, caseID, key)
	if err != nil {
		return View{}, false, err
	}
	if replay != nil {
		return *replay, true, nil
	}
	defer s.uploads.done(u.item.ID) // after the clean-up: see WaitUploads
	if v, err = s.receive(ctx, p, u, in.Next); err != nil {
		s.abortUpload(ctx, p, u, err)
		return View{}, false, err
	}
	return v, false, nil
}

// upload is an upload in progress: its pending row exists, its content is
// being stored.
type upload struct {
	item     Item
	stored   Stored
	filename string
	declared string
	hasFile  bool
	// resumable is the id of the resumable upload this one completes ("": none).
	resumable string
}

// beginUpload checks p may add evidence to the case and commits a pending
// row, owned by this instance, before any byte is stored; the upload is in
// progress (s.uploads) until the caller marks it done. With an idempotency
// key already used by p on this case for a completed upload, it returns
// that item's view instead (replay) and no upload. A key held by a pending
// row is refused (upload_in_progress) unless that row is stale (its owner
// is gone, or it is this process's own failed upload): then the row is
// removed and the upload goes ahead.
func (s *Service) beginUpload(ctx context.Context, p *actor.Principal, caseID, idempotencyKey string) (*upload, *View, error) {
	u, replay, prev, err := s.tryBeginUpload(ctx, p, caseID, idempotencyKey)
	if prev != nil {
		var ok bool
		if ok, err = s.retryStale(ctx, p, *prev); err != nil {
			return nil, nil, err
		}
		if !ok {
			return nil, nil, errInProgress
		}
		u, replay, _, err = s.tryBeginUpload(ctx, p, caseID, idempotencyKey)
		if err == nil && u == nil && replay == nil {
			err = errInProgress
		}
	}
	return u, replay, err
}

// tryBeginUpload is one attempt of beginUpload. When the key is held by a
// pending row, it returns that row as prev (and no upload, no error).
func (s *Service) tryBeginUpload(ctx context.Context, p *actor.Principal, caseID, idempotencyKey string) (u *upload, replay *View, prev *Item, err error) {
	if err := record.Authenticated(p); err != nil {
		return nil, nil, nil, err
	}
	now := s.Now()
	u = &upload{item: Item{ID: record.NewID(), CaseID: caseID, Status: Pending, ObjectKey: NewObjectKey(),
		Integrity: IntegrityUnverified, Version: 1, CreatedBy: p.UserID, CreatedAt: now, UpdatedAt: now, LinkedEvents: record.JSONList[string]{}}}
	if idempotencyKey != "" {
		u.item.IdempotencyKey = &idempotencyKey
	}
	if s.owner != nil {
		owner := s.owner.ID()
		u.item.UploadOwner = &owner
	}
	// In progress before the row exists: reconcile never sees this
	// instance's row without its upload in the set.
	s.uploads.add(u.item.ID)
	var held *Item
	replay, err = record.Write(ctx, s.Kit, p, func(tx *gorm.DB) (*View, error) {
		if err := record.CaseVisible(tx, p, caseID); err != nil {
			return nil, err
		}
		if !access.MayEditCase(p) {
			return nil, errUpload
		}
		if idempotencyKey != "" {
			var prev Item
			err := tx.Where("case_id = ? AND created_by = ? AND idempotency_key = ?", caseID, p.UserID, idempotencyKey).Take(&prev).Error
			switch {
			case err == nil && prev.Status == Available:
				v := prev.View()
				return &v, nil
			case err == nil && prev.Status == Pending:
				held = &prev
				return nil, errHeld
			case err == nil:
				return nil, errKeyUsed
			case !errors.Is(err, gorm.ErrRecordNotFound):
				return nil, err
			}
		}
		if err := tx.Create(&u.item).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return nil, errInProgress
			}
			return nil, err
		}
		return nil, nil
	})
	switch {
	case errors.Is(err, errHeld):
		s.uploads.done(u.item.ID)
		return nil, nil, held, nil
	case err != nil || replay != nil:
		s.uploads.done(u.item.ID)
		return nil, replay, nil, err
	}
	return u, nil, nil, nil
}

// errHeld ends beginUpload's transaction when the key is held by a
// pending row: whether that row is stale is decided outside it.
var errHeld = errors.New("evidence: idempotency key held by a pending row")

// receive reads the parts of u: the file into the vault, the metadata into
// Fields; then it makes the item available.
func (s *Service) receive(ctx context.Context, p *actor.Principal, u *upload, next func() (UploadPart, error)) (View, error) {
	if next == nil {
		next = func() (UploadPart, error) { return UploadPart{}, io.EOF }
	}
	var f Fields
	for {
		part, err := next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return View{}, err
		}
		if part.Name == "file" {
			if err := s.storeContent(ctx, u, part.Filename, part.Type, part.Body); err != nil {
				return View{}, err
			}
			continue
		}
		raw, err := io.ReadAll(io.LimitReader(part.Body, maxFieldBytes+1))
		if err != nil {
			return View{}, err
		}
		if len(raw) > maxFieldBytes {
			return View{}, apperr.Field(part.Name, "too long")
		}
		if err := f.setForm(part.Name, string(raw)); err != nil {
			return View{}, err
		}
	}
	return s.finishUpload(ctx, p, u, f)
}

// storeContent streams the file into the vault (size limit, hash, type
// sniffing, encryption) and then reads it back to verify it. filename is
// the client's name (sanitised here); declaredType the part's Content-Type.
func (s *Service) storeContent(ctx context.Context, u *upload, filename, declaredType string, r io.Reader) error {
	if u.hasFile {
		return apperr.Field("file", "send exactly one file")
	}
	u.hasFile = true
	u.filename = SanitizeFilename(filename)
	u.declared = normaliseType(declaredType)
	st, err := s.vault.Put(ctx, u.item.ObjectKey, r)
	if err != nil {
		return s.mapStoreError(err)
	}
	u.stored = st
	if err := s.vault.Verify(ctx, st.Key, st.SHA256, st.Size); err != nil {
		s.log.Error("evidence: object failed verification right after upload", "item", u.item.ID, "error", err.Error())
		return s.mapStoreError(err)
	}
	return nil
}

func (s *Service) mapStoreError(err error) error {
	var ae *apperr.Error
	switch {
	case errors.As(err, &ae):
		return err
	case errors.Is(err, ErrStorage), errors.Is(err, ErrIntegrity):
		s.log.Error("evidence: storing an upload failed", "error", err.Error())
		return errStorageUpload
	default:
		return err
	}
}

// finishUpload validates the metadata, and makes the stored and verified
// item available, auditing the upload. On error the caller must abortUpload.
func (s *Service) finishUpload(ctx context.Context, p *actor.Principal, u *upload, f Fields) (View, error) {
	if !u.hasFile {
		return View{}, apperr.Field("file", "required")
	}
	if f.Title == nil {
		return View{}, apperr.Field("title", "required")
	}
	it := u.item
	changes, err := f.apply(&it)
	if err != nil {
		return View{}, err
	}
	now := s.Now()
	st := u.stored
	it.Status, it.Filename, it.DeclaredType, it.DetectedType = Available, u.filename, u.declared, st.Detected
	it.TypeMismatch = typeMismatch(u.declared, st.Detected)
	it.Size, it.SHA256, it.StoredSize, it.Integrity = st.Size, st.SHA256, st.StoredBytes, IntegrityOK
	it.VerifiedAt, it.AvailableAt, it.UpdatedAt = &now, &now, now
	err = s.Do(ctx, p, func(tx *gorm.DB) error {
		if err := checkLinkedEvents(tx, &it, changes); err != nil {
			return err
		}
		res := tx.Model(&Item{}).Where("id = ? AND status = ?", it.ID, Pending).Select("*").Omit("id", "created_at", "created_by", "object_key", "case_id").Updates(&it)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return apperr.New(apperr.ErrConflict, "upload_abandoned", "the upload took too long and was abandoned; upload again")
		}
		details := map[string]any{"sha256": it.SHA256, "size": it.Size, "filename": it.Filename,
			"declared_type": it.DeclaredType, "detected_type": it.DetectedType, "type_mismatch": it.TypeMismatch,
			"encryption": "age-x25519", "recipients": len(s.vault.keys.Recipients)}
		for k, v := range changes {
			details[k] = v
		}
		if u.resumable != "" {
			details["resumable_upload"] = u.resumable
		}
		return s.Record(ctx, tx, p, audit.Entry{Action: "evidence.upload", ObjectType: objectType, ObjectID: it.ID, CaseID: it.CaseID, Details: details})
	})
	if err != nil {
		return View{}, err
	}
	u.item = it
	metrics.Uploads.WithLabelValues("ok").Inc()
	metrics.UploadBytes.Add(float64(it.Size))
	return it.View(), nil
}

// abortUpload removes what a failed upload stored, object and pending row
// (auditing the failure under the item id it would have had). It works on
// a fresh context: the request's may be gone. What it cannot do, reconcile
// does later.
func (s *Service) abortUpload(ctx context.Context, p *actor.Principal, u *upload, cause error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	if err := s.removeStored(ctx, u.item.ObjectKey); err != nil {
		s.log.Warn("evidence: could not remove what a failed upload stored; retrying in the background", "item", u.item.ID, "error", err.Error())
		s.removeStoredLater(u.item.ID, u.item.ObjectKey)
	}
	problem := "upload failed"
	var ae *apperr.Error
	if errors.As(cause, &ae) {
		problem = ae.Code
	}
	result := "error"
	if errors.Is(cause, apperr.ErrTooLarge) {
		result = "too_large"
	}
	metrics.Uploads.WithLabelValues(result).Inc()
	err := s.Do(ctx, p, func(tx *gorm.DB) error {
		res := tx.Where("id = ? AND status = ?", u.item.ID, Pending).Delete(&Item{})
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		return s.Record(ctx, tx, p, audit.Entry{Action: "evidence.upload", ObjectType: objectType, ObjectID: u.item.ID, CaseID: u.item.CaseID,
			Outcome: audit.Failed, Details: map[string]any{"problem": problem}})
	})
	if err != nil {
		s.log.Warn("evidence: could not remove the row of a failed upload; reconcile will", "item", u.item.ID, "error", err.Error())
	}
}

func normaliseType(t string) string {
	mt, _, err := mime.ParseMediaType(t)
	if err != nil || len(mt) > 200 {
		return ""
	}
	return strings.ToLower(mt)
}

// typeMismatch reports a declared type that the bytes contradict. Unknown
// content (octet-stream) and an absent or generic declaration never mismatch.
func typeMismatch(declared, detected string) bool {
	base := normaliseType(detected)
	if declared == "" || declared == "application/octet-stream" || base == "" || base == "application/octet-stream" || declared == base {
		return false
	}
	for m := mimetype.Lookup(base); m != nil; m = m.Parent() {
		if m.Is(declared) {
			return false
		}
	}
	return true
}
