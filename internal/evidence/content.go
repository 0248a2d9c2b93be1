package evidence

import (
	"context"
	"errors"
	"io"
	"os"
	"strconv"
	"time"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/record"
)

// OpenContent audits the download and returns the item with a verifying
// reader of its plaintext (see Vault.Open: on an altered object its Read
// fails with ErrIntegrity before the last byte; the caller must then call
// ReportIntegrityFailure and abort the transfer). The audit entry is
// durable before the reader is returned (record.Read).
//
// rng, when not nil, asks for part of the file; the range actually served is
// returned (nil: the whole file, for a range that is unsatisfiable or whose
// If-Range does not match the current ETag).
func (s *Service) OpenContent(ctx context.Context, p *actor.Principal, caseID, id string, rng *Range) (View, io.ReadCloser, *Range, error) {
	it, err := record.Read(ctx, s.Kit, p, func(tx *gorm.DB) (*Item, error) {
		it, err := findItem(tx, p, caseID, id, Available)
		if err != nil {
			return nil, err
		}
		details := map[string]any{"sha256": it.SHA256, "size": it.Size}
		if rng = rng.resolve(it.Size, `"`+it.SHA256+`"`); rng != nil {
			details["range"] = strconv.FormatInt(rng.Start, 10) + "-" + strconv.FormatInt(rng.Start+rng.Length-1, 10)
		}
		return it, s.Record(ctx, tx, p, audit.Entry{Action: "evidence.download", ObjectType: objectType, ObjectID: it.ID,
			CaseID: it.CaseID, Details: details})
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
		return View{}, nil, nil, ErrStorageRead
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
	err := s.Do(ctx, p, func(tx *gorm.DB) error {
		return markVerified(ctx, tx, s.Audit, s.Now(), Item{ID: v.ID, CaseID: v.CaseID, SHA256: v.SHA256, Size: v.Size}, reason,
			audit.Entry{ActorID: p.UserID, ActorRole: string(p.Role), Details: map[string]any{"during": "download"}})
	})
	if err != nil {
		s.log.Error("evidence: could not record an integrity failure", "item", v.ID, "error", err.Error())
	}
}
