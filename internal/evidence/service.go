package evidence

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"mime"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/gabriel-vasile/mimetype"
	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/access"
	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/metrics"
)

// CustodyLister lists audit entries (the audit log implements it).
type CustodyLister interface {
	List(ctx context.Context, f audit.Filter) (audit.Page, error)
}

// Service is the evidence service. Every method takes the acting principal,
// asks internal/access (every lookup starts from its case scope, so an item
// of a case the caller may not see, or of another case, is not found), runs
// in a transaction and records its audit entry in that transaction.
type Service struct {
	db        *db.DB
	vault     *Vault
	audit     audit.Recorder
	custody   CustodyLister
	retention time.Duration
	log       *slog.Logger
	now       func() time.Time
}

// NewService returns the evidence service. retention is how long a deleted
// item's content is kept before reconcile purges it.
func NewService(d *db.DB, v *Vault, rec audit.Recorder, custody CustodyLister, retention time.Duration, log *slog.Logger) *Service {
	if log == nil {
		log = slog.Default()
	}
	return &Service{db: d, vault: v, audit: rec, custody: custody, retention: retention, log: log,
		now: func() time.Time { return time.Now().UTC() }}
}

// Vault returns the service's vault.
func (s *Service) Vault() *Vault { return s.vault }

func newID() string { return uuid.Must(uuid.NewV7()).String() }

var (
	errUpload = apperr.New(apperr.ErrForbidden, "forbidden", "your role may not add or edit evidence")
	errDelete = apperr.New(apperr.ErrForbidden, "forbidden", "only admins and coordinators may delete evidence")
	errStale  = apperr.New(apperr.ErrPrecondition, "version_mismatch",
		"the evidence item was changed by someone else; reload it and apply your change again")
	errInProgress = apperr.New(apperr.ErrConflict, "upload_in_progress",
		"an upload with this Idempotency-Key is still in progress")
	errKeyUsed = apperr.New(apperr.ErrConflict, "idempotency_key_reused",
		"this Idempotency-Key was used for an item that has since been deleted; use a new key")
	errStorage = apperr.New(apperr.ErrUnavailable, "storage_unavailable",
		"the evidence storage failed; nothing was stored, try again later")
	errIntegrity = apperr.New(apperr.ErrUnavailable, "evidence_integrity_failure",
		"the stored content of this item failed its integrity check; the incident is recorded")
)

func authenticated(p *actor.Principal) error {
	if p == nil || p.UserID == "" {
		return apperr.New(apperr.ErrUnauthenticated, "unauthenticated", "sign in first")
	}
	return nil
}

func (s *Service) tx(ctx context.Context, p *actor.Principal, fn func(tx *gorm.DB) error) error {
	if err := authenticated(p); err != nil {
		return err
	}
	return s.db.WithTx(actor.WithPrincipal(ctx, p), fn)
}

// readTx runs fn, a read, in a read transaction (no SQLite write lock);
// an audit entry it records is group-committed before the caller answers
// (audit.ReadTx).
func (s *Service) readTx(ctx context.Context, p *actor.Principal, fn func(tx *gorm.DB) error) error {
	if err := authenticated(p); err != nil {
		return err
	}
	return audit.ReadTx(actor.WithPrincipal(ctx, p), s.db, s.audit, fn)
}

func (s *Service) record(ctx context.Context, tx *gorm.DB, p *actor.Principal, e audit.Entry) error {
	e.ActorID, e.ActorRole = p.UserID, string(p.Role)
	if e.ObjectType == "" {
		e.ObjectType = "evidence"
	}
	if err := s.audit.Record(actor.WithPrincipal(ctx, p), tx, e); err != nil {
		return errors.Join(errors.New("evidence: audit"), err)
	}
	return nil
}

// caseVisible reports (as a not-found error) whether p sees the case.
func caseVisible(tx *gorm.DB, p *actor.Principal, caseID string) error {
	var n int64
	if err := tx.Table("cases").Scopes(access.Cases(p)).Where("cases.id = ?", caseID).Count(&n).Error; err != nil {
		return err
	}
	if n == 0 {
		return apperr.NotFound("case")
	}
	return nil
}

// findItem finds an item of caseID that p may see, in one of statuses.
func findItem(tx *gorm.DB, p *actor.Principal, caseID, id string, statuses ...Status) (*Item, error) {
	var it Item
	c := access.EvidenceVisible(p, "evidence")
	err := tx.Where(c.SQL, c.Args...).Where("evidence.case_id = ? AND evidence.id = ? AND evidence.status IN ?", caseID, id, statuses).
		Take(&it).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, apperr.NotFound("evidence")
	}
	return &it, err
}

// checkLinkedEvents checks, when the links changed, that every linked event
// is a timeline event of the item's own case that is not deleted (issue 6).
func checkLinkedEvents(tx *gorm.DB, it *Item, changes map[string]any) error {
	if _, changed := changes["linked_events"]; !changed || len(it.LinkedEvents) == 0 {
		return nil
	}
	var n int64
	if err := tx.Table("case_events").Where("case_id = ? AND deleted_at IS NULL AND id IN ?", it.CaseID, []string(it.LinkedEvents)).
		Count(&n).Error; err != nil {
		return err
	}
	if n != int64(len(it.LinkedEvents)) {
		return apperr.Field("linked_events", "every id must be an event of this case")
	}
	return nil
}

// shown are the statuses of items that GET and custody return.
var shown = []Status{Available, Deleted, Purged}

// ---- upload ----

// Upload is an upload in progress: its pending row exists, its content is
// being stored.
type Upload struct {
	item     Item
	stored   Stored
	filename string
	declared string
	hasFile  bool
}

// BeginUpload checks p may add evidence to the case and commits a pending
// row, before any byte is stored. With an idempotency key already used by p
// on this case for a completed upload, it returns that item's view instead
// (replay) and no Upload.
func (s *Service) BeginUpload(ctx context.Context, p *actor.Principal, caseID, idempotencyKey string) (*Upload, *View, error) {
	if err := authenticated(p); err != nil {
		return nil, nil, err
	}
	now := s.now()
	u := &Upload{item: Item{ID: newID(), CaseID: caseID, Status: Pending, ObjectKey: NewObjectKey(),
		Integrity: IntegrityUnverified, Version: 1, CreatedBy: p.UserID, CreatedAt: now, UpdatedAt: now, LinkedEvents: StringList{}}}
	if idempotencyKey != "" {
		u.item.IdempotencyKey = &idempotencyKey
	}
	var replay *View
	err := s.tx(ctx, p, func(tx *gorm.DB) error {
		if err := caseVisible(tx, p, caseID); err != nil {
			return err
		}
		if !access.MayEditCase(p) {
			return errUpload
		}
		if idempotencyKey != "" {
			var prev Item
			err := tx.Where("case_id = ? AND created_by = ? AND idempotency_key = ?", caseID, p.UserID, idempotencyKey).Take(&prev).Error
			switch {
			case err == nil && prev.Status == Available:
				v := prev.View()
				replay = &v
				return nil
			case err == nil && prev.Status == Pending:
				return errInProgress
			case err == nil:
				return errKeyUsed
			case !errors.Is(err, gorm.ErrRecordNotFound):
				return err
			}
		}
		if err := tx.Create(&u.item).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return errInProgress
			}
			return err
		}
		return nil
	})
	if err != nil || replay != nil {
		return nil, replay, err
	}
	return u, nil, nil
}

// StoreContent streams the file into the vault (size limit, hash, type
// sniffing, encryption) and then reads it back to verify it. filename is
// the client's name (sanitised here); declaredType the part's Content-Type.
func (s *Service) StoreContent(ctx context.Context, u *Upload, filename, declaredType string, r io.Reader) error {
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
		return errStorage
	default:
		return err
	}
}

// FinishUpload validates the metadata, and makes the stored and verified
// item available, auditing the upload. On error the caller must AbortUpload.
func (s *Service) FinishUpload(ctx context.Context, p *actor.Principal, u *Upload, f Fields) (View, error) {
	var out View
	if !u.hasFile {
		return out, apperr.Field("file", "required")
	}
	if f.Title == nil {
		return out, apperr.Field("title", "required")
	}
	it := u.item
	changes, err := f.apply(&it)
	if err != nil {
		return out, err
	}
	now := s.now()
	st := u.stored
	it.Status, it.Filename, it.DeclaredType, it.DetectedType = Available, u.filename, u.declared, st.Detected
	it.TypeMismatch = typeMismatch(u.declared, st.Detected)
	it.Size, it.SHA256, it.StoredSize, it.Integrity = st.Size, st.SHA256, st.StoredBytes, IntegrityOK
	it.VerifiedAt, it.AvailableAt, it.UpdatedAt = &now, &now, now
	err = s.tx(ctx, p, func(tx *gorm.DB) error {
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
		return s.record(ctx, tx, p, audit.Entry{Action: "evidence.upload", ObjectID: it.ID, CaseID: it.CaseID, Details: details})
	})
	if err != nil {
		return out, err
	}
	u.item = it
	metrics.Uploads.WithLabelValues("ok").Inc()
	metrics.UploadBytes.Add(float64(it.Size))
	return it.View(), nil
}

// AbortUpload removes what a failed upload stored, object and pending row
// (auditing the failure under the item id it would have had). It works on a fresh context: the request's may be
// gone. What it cannot do, reconcile does later.
func (s *Service) AbortUpload(ctx context.Context, p *actor.Principal, u *Upload, cause error) {
	if u == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	if err := s.vault.store.Delete(ctx, u.item.ObjectKey); err != nil {
		s.log.Warn("evidence: could not remove the object of a failed upload; reconcile will", "item", u.item.ID, "error", err.Error())
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
	err := s.db.WithTx(actor.WithPrincipal(ctx, p), func(tx *gorm.DB) error {
		res := tx.Where("id = ? AND status = ?", u.item.ID, Pending).Delete(&Item{})
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		return s.record(ctx, tx, p, audit.Entry{Action: "evidence.upload", ObjectID: u.item.ID, CaseID: u.item.CaseID,
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

// ---- read ----

// List returns a page of the case's available items that p may see, newest first.
func (s *Service) List(ctx context.Context, p *actor.Principal, caseID string, in ListInput) (Page, error) {
	out := Page{Items: []View{}}
	if in.Limit <= 0 {
		in.Limit = 50
	}
	in.Limit = min(in.Limit, MaxPage)
	err := s.readTx(ctx, p, func(tx *gorm.DB) error {
		if err := caseVisible(tx, p, caseID); err != nil {
			return err
		}
		c := access.EvidenceVisible(p, "evidence")
		q := tx.Where(c.SQL, c.Args...).Where("evidence.case_id = ? AND evidence.status = ?", caseID, Available)
		if in.Cursor != "" {
			q = q.Where("evidence.id < ?", in.Cursor) // ids are UUIDv7: time-ordered
		}
		var items []Item
		if err := q.Order("evidence.id DESC").Limit(in.Limit + 1).Find(&items).Error; err != nil {
			return err
		}
		if len(items) > in.Limit {
			items = items[:in.Limit]
			out.NextCursor = items[len(items)-1].ID
		}
		for i := range items {
			out.Items = append(out.Items, items[i].View())
		}
		return nil
	})
	return out, err
}

// Get returns one item and audits the view.
func (s *Service) Get(ctx context.Context, p *actor.Principal, caseID, id string) (View, error) {
	var out View
	err := s.tx(ctx, p, func(tx *gorm.DB) error {
		it, err := findItem(tx, p, caseID, id, shown...)
		if err != nil {
			return err
		}
		out = it.View()
		return s.record(ctx, tx, p, audit.Entry{Action: "evidence.read", ObjectID: it.ID, CaseID: it.CaseID})
	})
	return out, err
}

// Update changes an item's metadata if version is current (admin,
// coordinator, a lawyer of the case).
func (s *Service) Update(ctx context.Context, p *actor.Principal, caseID, id string, version int64, f Fields) (View, error) {
	var out View
	err := s.tx(ctx, p, func(tx *gorm.DB) error {
		it, err := findItem(tx, p, caseID, id, Available)
		if err != nil {
			return err
		}
		if !access.MayEditCase(p) {
			return errUpload
		}
		if it.Version != version {
			return errStale
		}
		changes, err := f.apply(it)
		if err != nil {
			return err
		}
		if len(changes) == 0 {
			return apperr.Invalid("no_change", "the request changes nothing", nil)
		}
		if err := checkLinkedEvents(tx, it, changes); err != nil {
			return err
		}
		it.Version, it.UpdatedAt = version+1, s.now()
		res := tx.Model(&Item{}).Where("id = ? AND version = ?", it.ID, version).Select(
			"title", "description", "kind", "source", "captured_at", "captured_at_sort", "language",
			"confidential", "linked_events", "version", "updated_at").Updates(it)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return errStale
		}
		out = it.View()
		return s.record(ctx, tx, p, audit.Entry{Action: "evidence.update", ObjectID: it.ID, CaseID: it.CaseID, Details: changes})
	})
	return out, err
}

// Delete soft-deletes an item with a reason (admin, coordinator). Its
// content is purged by reconcile once the retention period has passed.
func (s *Service) Delete(ctx context.Context, p *actor.Principal, caseID, id string, in DeleteInput) (View, error) {
	var out View
	reason := strings.TrimSpace(in.Reason)
	err := s.tx(ctx, p, func(tx *gorm.DB) error {
		it, err := findItem(tx, p, caseID, id, Available)
		if err != nil {
			return err
		}
		if !access.MayDeleteEvidence(p) {
			return errDelete
		}
		if reason == "" || len([]rune(reason)) > 2000 {
			return apperr.Field("reason", "required, at most 2000 characters")
		}
		now := s.now()
		purge := now.Add(s.retention)
		it.Status, it.DeletedAt, it.DeletedBy, it.DeleteReason, it.PurgeAfter = Deleted, &now, p.UserID, reason, &purge
		it.UpdatedAt, it.Version = now, it.Version+1
		if err := tx.Model(&Item{}).Where("id = ? AND status = ?", it.ID, Available).Select(
			"status", "deleted_at", "deleted_by", "delete_reason", "purge_after", "updated_at", "version").Updates(it).Error; err != nil {
			return err
		}
		out = it.View()
		return s.record(ctx, tx, p, audit.Entry{Action: "evidence.delete", ObjectID: it.ID, CaseID: it.CaseID,
			Details: map[string]any{"reason": reason, "purge_after": purge.Format(time.RFC3339)}})
	})
	return out, err
}

// OpenContent audits the download and returns the item with a verifying
// reader of its plaintext (see Vault.Open: on an altered object its Read
// fails with ErrIntegrity before the last byte; the caller must then call
// ReportIntegrityFailure and abort the transfer).
//
// rng, when not nil, asks for part of the file; the range actually served is
// returned (nil: the whole file, for a range that is unsatisfiable or whose
// If-Range does not match the current ETag).
func (s *Service) OpenContent(ctx context.Context, p *actor.Principal, caseID, id string, rng *Range) (View, io.ReadCloser, *Range, error) {
	var it *Item
	err := s.tx(ctx, p, func(tx *gorm.DB) error {
		var err error
		if it, err = findItem(tx, p, caseID, id, Available); err != nil {
			return err
		}
		details := map[string]any{"sha256": it.SHA256, "size": it.Size}
		if rng = rng.resolve(it.Size, `"`+it.SHA256+`"`); rng != nil {
			details["range"] = strconv.FormatInt(rng.Start, 10) + "-" + strconv.FormatInt(rng.Start+rng.Length-1, 10)
		}
		return s.record(ctx, tx, p, audit.Entry{Action: "evidence.download", ObjectID: it.ID, CaseID: it.CaseID, Details: details})
	})
	if err != nil {
		return View{}, nil, nil, err
	}
	var rc io.ReadCloser
	if rng != nil {
		rc, err = s.vault.OpenRange(ctx, it.ObjectKey, it.SHA256, it.Size, rng.Start, rng.Length)
	} else {
		rc, err = s.vault.Open(ctx, it.ObjectKey, it.SHA256, it.Size)
	}
	switch {
	case err == nil:
		return it.View(), rc, rng, nil
	case errors.Is(err, ErrIntegrity), errors.Is(err, os.ErrNotExist):
		s.ReportIntegrityFailure(ctx, p, it.View(), err)
		return View{}, nil, nil, errIntegrity
	default:
		s.log.Error("evidence: opening an object failed", "item", it.ID, "error", err.Error())
		return View{}, nil, nil, errStorage
	}
}

// Range is a byte range of a download. Start -1 is a suffix range (the
// last Length bytes); Length -1 runs to the end. IfRange is the request's
// If-Range: the range applies only when it equals the item's ETag.
type Range struct {
	Start, Length int64
	IfRange       string
}

// resolve returns the concrete range within size, or nil when the whole
// file must be sent instead.
func (r *Range) resolve(size int64, etag string) *Range {
	if r == nil || (r.IfRange != "" && r.IfRange != etag) || size == 0 {
		return nil
	}
	out := Range{Start: r.Start, Length: r.Length}
	switch {
	case out.Start < 0:
		out.Length = min(out.Length, size)
		out.Start = size - out.Length
	case out.Length < 0:
		out.Length = size - out.Start
	default:
		out.Length = min(out.Length, size-out.Start)
	}
	if out.Start < 0 || out.Start >= size || out.Length <= 0 {
		return nil
	}
	return &out
}

// ReportIntegrityFailure records that the item's stored content failed its
// check during a download by p: logged, the item marked, and audited.
func (s *Service) ReportIntegrityFailure(ctx context.Context, p *actor.Principal, v View, cause error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	reason := "mismatch: " + cause.Error()
	if errors.Is(cause, os.ErrNotExist) {
		reason = "missing"
	}
	s.log.Error("EVIDENCE INTEGRITY FAILURE: stored content does not match its recorded hash; download refused",
		"item", v.ID, "case", v.CaseID, "reason", reason)
	err := s.db.WithTx(actor.WithPrincipal(ctx, p), func(tx *gorm.DB) error {
		return markVerified(ctx, tx, s.audit, s.now(), Item{ID: v.ID, CaseID: v.CaseID, SHA256: v.SHA256, Size: v.Size}, reason,
			audit.Entry{ActorID: p.UserID, ActorRole: string(p.Role), Details: map[string]any{"during": "download"}})
	})
	if err != nil {
		s.log.Error("evidence: could not record an integrity failure", "item", v.ID, "error", err.Error())
	}
}

// Custody lists the audit entries of an item (its chain of custody), newest first.
func (s *Service) Custody(ctx context.Context, p *actor.Principal, caseID, id, cursor string, limit int) (CustodyPage, error) {
	var it *Item
	err := s.tx(ctx, p, func(tx *gorm.DB) error {
		var err error
		it, err = findItem(tx, p, caseID, id, shown...)
		return err
	})
	if err != nil {
		return CustodyPage{Items: []CustodyEntry{}}, err
	}
	return s.custodyPage(ctx, audit.Filter{ObjectType: "evidence", ObjectID: it.ID, CaseID: it.CaseID, Limit: limit}, cursor)
}

// CaseCustody lists the custody entries of every evidence item of a case
// the caller may see, newest first. Items hidden from the caller
// (confidential ones for observers) contribute no entry.
func (s *Service) CaseCustody(ctx context.Context, p *actor.Principal, caseID, cursor string, limit int) (CustodyPage, error) {
	if err := s.tx(ctx, p, func(tx *gorm.DB) error { return caseVisible(tx, p, caseID) }); err != nil {
		return CustodyPage{Items: []CustodyEntry{}}, err
	}
	c := access.EvidenceVisible(p, "evidence")
	scope := access.Cond{
		SQL:  "object_id IN (SELECT evidence.id FROM evidence WHERE evidence.case_id = ? AND evidence.status IN ? AND (" + c.SQL + "))",
		Args: append([]any{caseID, shown}, c.Args...),
	}
	return s.custodyPage(ctx, audit.Filter{ObjectType: "evidence", CaseID: caseID, Scope: &scope, Limit: limit}, cursor)
}

// custodyPage reads one page of custody entries selected by f.
func (s *Service) custodyPage(ctx context.Context, f audit.Filter, cursor string) (CustodyPage, error) {
	out := CustodyPage{Items: []CustodyEntry{}}
	if cursor != "" {
		before, err := strconv.ParseInt(cursor, 10, 64)
		if err != nil || before <= 0 {
			return out, apperr.Field("cursor", "not a cursor returned by this endpoint")
		}
		f.Before = before
	}
	page, err := s.custody.List(ctx, f)
	if err != nil {
		return out, err
	}
	for _, r := range page.Items {
		e := CustodyEntry{Seq: r.Seq, EvidenceID: r.ObjectID, At: r.At, Action: r.Action, Outcome: r.Outcome, ActorID: r.ActorID,
			ActorRole: r.ActorRole, RequestID: r.RequestID, Hash: r.Hash, Details: map[string]any{}}
		_ = json.Unmarshal([]byte(r.Details), &e.Details)
		out.Items = append(out.Items, e)
	}
	out.NextCursor = page.NextCursor
	return out, nil
}
