package evidence

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/access"
	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/record"
)

// Resumable uploads (issue 24, the tus protocol in internal/httpapi). An
// upload is created with its length and metadata (validated then: nothing
// is stored on bad input), receives its bytes in any number of requests,
// each kept as an age-encrypted segment file (segments.go: the partial data
// is never in plaintext at rest), and on its last byte is fed, decrypted
// segment after segment, through the same pipeline as a one-request upload
// (Upload: hash, sniff, encrypt, store, read back and verify). Unfinished
// uploads expire (SetResumable) and reconcile removes them.

// ResumableUpload is one row of evidence_uploads.
type ResumableUpload struct {
	ID        string `gorm:"primaryKey"`
	CaseID    string
	CreatedBy string
	Length    int64
	Received  int64
	Segments  int
	Metadata  string
	ItemID    *string
	CreatedAt time.Time
	UpdatedAt time.Time
	ExpiresAt time.Time
}

// TableName is the resumable uploads table.
func (ResumableUpload) TableName() string { return "evidence_uploads" }

// resumableMeta is what a resumable upload keeps of its metadata: the item's
// fields, the client's file name and its declared media type.
type resumableMeta struct {
	Fields   Fields `json:"fields"`
	Filename string `json:"filename"`
	Type     string `json:"type"`
}

// DefaultResumableExpiry is how long an unfinished resumable upload is kept
// by default.
const DefaultResumableExpiry = 24 * time.Hour

// resumableObject is the audit object type of resumable upload entries.
const resumableObject = "evidence_upload"

// SetResumable enables resumable uploads: their encrypted segments go under
// dir (created 0700), and an unfinished one expires after expiry (0:
// DefaultResumableExpiry).
func (s *Service) SetResumable(dir string, expiry time.Duration) {
	if expiry <= 0 {
		expiry = DefaultResumableExpiry
	}
	s.resumableDir, s.resumableExpiry = dir, expiry
}

var errNoResumable = apperr.New(apperr.ErrUnavailable, "resumable_uploads_disabled", "resumable uploads are not enabled on this server")

// errUploadNotFound answers an upload id that is unknown, expired, of
// another user or of another case.
var errUploadNotFound = apperr.New(apperr.ErrNotFound, "not_found", "no such upload")

// CreateResumable checks p may add evidence to the case, validates the
// metadata (the keys of the POST upload's form fields, plus filename and
// filetype) and records a new resumable upload of length bytes, audited.
func (s *Service) CreateResumable(ctx context.Context, p *actor.Principal, caseID string, length int64, meta map[string]string) (ResumableUpload, error) {
	if s.resumableDir == "" {
		return ResumableUpload{}, errNoResumable
	}
	if length < 0 {
		return ResumableUpload{}, apperr.Field("Upload-Length", "a number of bytes")
	}
	if length > s.vault.maxBytes {
		return ResumableUpload{}, apperr.New(apperr.ErrTooLarge, "evidence_too_large",
			fmt.Sprintf("the file is larger than the limit of %d bytes", s.vault.maxBytes))
	}
	m, err := parseResumableMeta(meta)
	if err != nil {
		return ResumableUpload{}, err
	}
	raw, err := json.Marshal(m)
	if err != nil {
		return ResumableUpload{}, fmt.Errorf("evidence: encode upload metadata: %w", err)
	}
	now := s.Now()
	u := ResumableUpload{ID: newUploadID(), CaseID: caseID, CreatedBy: p.UserID, Length: length, Metadata: string(raw),
		CreatedAt: now, UpdatedAt: now, ExpiresAt: now.Add(s.resumableExpiry)}
	return record.Write(ctx, s.Kit, p, func(tx *gorm.DB) (ResumableUpload, error) {
		if err := record.CaseVisible(tx, p, caseID); err != nil {
			return ResumableUpload{}, err
		}
		if !access.MayEditCase(p) {
			return ResumableUpload{}, errUpload
		}
		probe := Item{CaseID: caseID}
		changes, err := m.Fields.apply(&probe)
		if err != nil {
			return ResumableUpload{}, err
		}
		if err := checkLinkedEvents(tx, &probe, changes); err != nil {
			return ResumableUpload{}, err
		}
		if err := tx.Create(&u).Error; err != nil {
			return ResumableUpload{}, err
		}
		return u, s.Record(ctx, tx, p, audit.Entry{Action: "evidence.upload_created", ObjectType: resumableObject, ObjectID: u.ID,
			CaseID: caseID, Details: map[string]any{"length": length, "expires_at": u.ExpiresAt.Format(time.RFC3339)}})
	})
}

// parseResumableMeta reads tus metadata into the upload's metadata: a bad
// or unknown key is a 400 naming it.
func parseResumableMeta(meta map[string]string) (resumableMeta, error) {
	var m resumableMeta
	keys := make([]string, 0, len(meta))
	for k := range meta {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := meta[k]
		if len(v) > maxFieldBytes {
			return m, apperr.Field(k, "too long")
		}
		switch k {
		case "filename":
			m.Filename = SanitizeFilename(v)
		case "filetype":
			m.Type = normaliseType(v)
		default:
			if err := m.Fields.setForm(k, v); err != nil {
				return m, err
			}
		}
	}
	if err := m.Fields.Validate(); err != nil {
		return m, err
	}
	return m, nil
}

// newUploadID is a fresh random upload id (128 bits, hex).
func newUploadID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// GetResumable returns upload id of the case if p created it, may still see
// the case and add evidence to it, and it has not expired; otherwise 404.
func (s *Service) GetResumable(ctx context.Context, p *actor.Principal, caseID, id string) (ResumableUpload, error) {
	if s.resumableDir == "" {
		return ResumableUpload{}, errNoResumable
	}
	return record.Read(ctx, s.Kit, p, func(tx *gorm.DB) (ResumableUpload, error) {
		if err := record.CaseVisible(tx, p, caseID); err != nil {
			return ResumableUpload{}, err
		}
		var u ResumableUpload
		err := tx.Where("id = ? AND case_id = ? AND created_by = ? AND expires_at > ?", id, caseID, p.UserID, s.Now()).Take(&u).Error
		if errors.Is(err, gorm.ErrRecordNotFound) || err == nil && !access.MayEditCase(p) {
			return ResumableUpload{}, errUploadNotFound
		}
		return u, err
	})
}

// ResumableItem returns the item a completed upload became (nil while it
// is not complete). Reading it is audited as a view of the item.
func (s *Service) ResumableItem(ctx context.Context, p *actor.Principal, u ResumableUpload) (*View, error) {
	if u.ItemID == nil {
		return nil, nil
	}
	v, err := s.Get(ctx, p, u.CaseID, *u.ItemID)
	if err != nil {
		return nil, err
	}
	return &v, nil
}

// FinishResumable makes complete upload u an evidence item: it runs the
// upload protocol of Upload (pending row, the vault's pipeline fed with the
// decrypted segments, read back and verified, then available and audited)
// under the idempotency key "tus:<id>", so a repeated finish never stores
// a second copy. On success the segments are removed and the upload names
// its item. On failure the last segment is dropped (the client sends it
// again, and the next finish retries) and the error returned.
func (s *Service) FinishResumable(ctx context.Context, p *actor.Principal, u ResumableUpload) (View, error) {
	if u.ItemID != nil {
		v, err := s.ResumableItem(ctx, p, u)
		if err != nil {
			return View{}, err
		}
		return *v, nil
	}
	if u.Received != u.Length {
		return View{}, apperr.New(apperr.ErrConflict, "upload_incomplete", "the upload has not received all its bytes")
	}
	var m resumableMeta
	if err := json.Unmarshal([]byte(u.Metadata), &m); err != nil {
		return View{}, fmt.Errorf("evidence: read metadata of upload %s: %w", u.ID, err)
	}
	v, err := s.finishResumable(ctx, p, u, m)
	if err != nil {
		if rerr := s.dropLastSegment(ctx, u); rerr != nil {
			s.log.Warn("evidence: could not rewind a resumable upload whose completion failed", "upload", u.ID, "error", rerr.Error())
		}
		return View{}, err
	}
	err = s.Do(ctx, p, func(tx *gorm.DB) error {
		if err := tx.Model(&ResumableUpload{}).Where("id = ?", u.ID).
			Updates(map[string]any{"item_id": v.ID, "updated_at": s.Now()}).Error; err != nil {
			return err
		}
		return s.Record(ctx, tx, p, audit.Entry{Action: "evidence.upload_completed", ObjectType: resumableObject, ObjectID: u.ID,
			CaseID: u.CaseID, Details: map[string]any{"evidence_id": v.ID, "sha256": v.SHA256, "size": v.Size, "segments": u.Segments}})
	})
	if err != nil {
		return View{}, fmt.Errorf("evidence: record completion of upload %s: %w", u.ID, err)
	}
	s.removeSegments(u.ID)
	return v, nil
}

// finishResumable is the upload protocol of FinishResumable.
func (s *Service) finishResumable(ctx context.Context, p *actor.Principal, ru ResumableUpload, m resumableMeta) (View, error) {
	up, replay, err := s.beginUpload(ctx, p, ru.CaseID, "tus:"+ru.ID)
	if err != nil {
		return View{}, err
	}
	if replay != nil {
		return *replay, nil
	}
	defer s.uploads.done(up.item.ID)
	up.resumable = ru.ID
	segs := s.openSegments(ru)
	err = s.storeContent(ctx, up, m.Filename, m.Type, segs)
	if err == nil && up.stored.Size != ru.Length {
		err = fmt.Errorf("%w: upload %s: %d bytes decrypted, %d received", ErrIntegrity, ru.ID, up.stored.Size, ru.Length)
	}
	var v View
	if err == nil {
		v, err = s.finishUpload(ctx, p, up, m.Fields)
	}
	if err != nil {
		s.abortUpload(ctx, p, up, err)
		return View{}, s.mapStoreError(err)
	}
	return v, nil
}

// TerminateResumable removes upload u (its segments, and its row), audited
// as abandoned by p. The item of a completed upload stays.
func (s *Service) TerminateResumable(ctx context.Context, p *actor.Principal, u ResumableUpload) error {
	err := s.Do(ctx, p, func(tx *gorm.DB) error {
		res := tx.Where("id = ?", u.ID).Delete(&ResumableUpload{})
		if res.Error != nil || res.RowsAffected == 0 || u.ItemID != nil {
			return res.Error
		}
		return s.Record(ctx, tx, p, audit.Entry{Action: "evidence.upload_abandoned", ObjectType: resumableObject, ObjectID: u.ID,
			CaseID: u.CaseID, Details: map[string]any{"reason": "cancelled", "received": u.Received, "length": u.Length}})
	})
	if err != nil {
		return fmt.Errorf("evidence: terminate upload %s: %w", u.ID, err)
	}
	s.removeSegments(u.ID)
	return nil
}

// ValidUploadID reports whether id looks like a newUploadID.
func ValidUploadID(id string) bool {
	if len(id) != 32 {
		return false
	}
	return strings.Trim(id, "0123456789abcdef") == ""
}
