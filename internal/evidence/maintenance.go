package evidence

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/storage"
)

// Maintenance is the scrub and clean-up of the vault: `habeas storage
// verify` and `habeas storage reconcile` (also run periodically by serve).
// It acts as the system, not as a user, and audits what it does.
type Maintenance struct {
	db    *db.DB
	vault *Vault
	audit audit.Recorder
	now   func() time.Time
	// instanceTimeout and local: see SetInstances.
	instanceTimeout time.Duration
	local           *Service
	// resumableDir: see SetResumableDir.
	resumableDir string
}

// NewMaintenance returns the maintenance tasks over d and v.
func NewMaintenance(d *db.DB, v *Vault, rec audit.Recorder) *Maintenance {
	return &Maintenance{db: d, vault: v, audit: rec, now: func() time.Time { return time.Now().UTC() }}
}

// systemRole is the actor role of audit entries written by maintenance.
const systemRole = "system"

// Problem is one item that failed verification.
type Problem struct {
	ItemID string
	CaseID string
	Reason string // "missing" or "mismatch: ..."
}

// VerifyReport sums up a verification run.
type VerifyReport struct {
	Checked  int
	Bytes    int64
	Problems []Problem
}

// OK reports whether every object checked good.
func (r VerifyReport) OK() bool { return len(r.Problems) == 0 }

// VerifyAll re-reads, decrypts and re-hashes every available item's object.
// A missing or damaged object is reported (and the item marked integrity
// failed, and audited); a storage or database failure stops the run with an
// error, since the objects not read were not checked. progress, when not nil,
// is called after each item.
func (m *Maintenance) VerifyAll(ctx context.Context, progress func(r VerifyReport)) (VerifyReport, error) {
	var rep VerifyReport
	after := ""
	for {
		var batch []Item
		err := m.db.WithContext(ctx).Where("status = ? AND id > ?", Available, after).
			Order("id").Limit(100).Find(&batch).Error
		if err != nil {
			return rep, fmt.Errorf("verify: list items: %w", err)
		}
		if len(batch) == 0 {
			return rep, nil
		}
		for _, it := range batch {
			after = it.ID
			err := m.vault.Verify(ctx, it.ObjectKey, it.SHA256, it.Size)
			reason := ""
			switch {
			case err == nil:
			case errors.Is(err, os.ErrNotExist):
				reason = "missing"
			case errors.Is(err, ErrIntegrity):
				reason = "mismatch: " + err.Error()
			default:
				return rep, fmt.Errorf("verify item %s: %w", it.ID, err)
			}
			rep.Checked++
			rep.Bytes += it.Size
			if reason != "" {
				rep.Problems = append(rep.Problems, Problem{ItemID: it.ID, CaseID: it.CaseID, Reason: reason})
			}
			if err := m.recordVerification(ctx, it, reason); err != nil {
				return rep, err
			}
			if progress != nil {
				progress(rep)
			}
		}
	}
}

// recordVerification stores the result on the item and audits it.
func (m *Maintenance) recordVerification(ctx context.Context, it Item, reason string) error {
	return m.db.WithTx(ctx, func(tx *gorm.DB) error {
		return markVerified(ctx, tx, m.audit, m.now(), it, reason, audit.Entry{ActorRole: systemRole})
	})
}

// markVerified sets the item's integrity after a full check (reason empty:
// good) and writes the evidence.verify audit entry in tx.
func markVerified(ctx context.Context, tx *gorm.DB, rec audit.Recorder, now time.Time, it Item, reason string, e audit.Entry) error {
	integrity, outcome := IntegrityOK, audit.OK
	details := map[string]any{"sha256": it.SHA256, "size": it.Size}
	if reason != "" {
		integrity, outcome = IntegrityFailed, audit.Failed
		details["problem"] = reason
	}
	if err := tx.Model(&Item{}).Where("id = ?", it.ID).
		Updates(map[string]any{"integrity": integrity, "verified_at": now}).Error; err != nil {
		return fmt.Errorf("evidence: record verification: %w", err)
	}
	e.Action, e.ObjectType, e.ObjectID, e.CaseID, e.Outcome, e.Details = "evidence.verify", "evidence", it.ID, it.CaseID, outcome, details
	return rec.Record(ctx, tx, e)
}

// ReconcileOptions tunes Reconcile.
type ReconcileOptions struct {
	// Grace is how old a pending upload without owner (and a legacy local
	// temporary file, and an incomplete S3 multipart upload) must be before
	// it is taken as abandoned; well above the longest upload. Uploads whose
	// owner is gone are removed at once, whatever their age.
	Grace time.Duration
}

// ReconcileReport says what a reconcile run did.
type ReconcileReport struct {
	CrashedUploads   int // pending rows of gone instances (or failed here), removed at once with their object
	AbandonedUploads int // pending rows older than the grace period, removed with their object
	OrphansDeleted   int // objects under the evidence prefix with no live row
	MultipartAborted int // incomplete S3 multipart uploads aborted
	TempFilesRemoved int // local temporary files of gone instances (or legacy ones past the grace) removed
	Purged           int // soft-deleted items past retention whose object was removed
	// ExpiredUploads counts unfinished resumable uploads removed, with their
	// encrypted partial data, because they expired.
	ExpiredUploads int
	// PartialDataRemoved counts directories of partial data that no
	// unfinished resumable upload named any more.
	PartialDataRemoved int
	// LiveElsewhere counts the pending rows left in place because another
	// instance that looks live owns them (one that has just died looks live
	// until HABEAS_INSTANCE_TIMEOUT has passed).
	LiveElsewhere int
}

// Reconcile brings storage and the evidence table back in line:
//  1. pending items whose owner instance is gone (a server that died or
//     was stopped mid-upload), or that are older than Grace, are removed
//     with their object, if any (the audit trail keeps the failure), and so
//     are local temporary files of gone instances and incomplete S3
//     multipart uploads with no pending row of a live upload (or older than
//     Grace): see recoverUploads;
//  2. objects under ObjectPrefix with no pending, available or deleted row
//     are removed. Storage is listed BEFORE the rows are read, and a row is
//     committed before its object is written, so an upload in progress
//     always has its row in the second read and is never taken for an orphan;
//  3. deleted items whose purge_after has passed lose their object (purged).
func (m *Maintenance) Reconcile(ctx context.Context, o ReconcileOptions) (ReconcileReport, error) {
	var rep ReconcileReport
	store := m.vault.Storage()
	now := m.now()
	if err := m.recoverUploads(ctx, o, &rep); err != nil {
		return rep, err
	}

	var objects []string
	if err := store.Walk(ctx, ObjectPrefix, func(o storage.Object) error {
		objects = append(objects, o.Key)
		return nil
	}); err != nil {
		return rep, fmt.Errorf("reconcile: list objects: %w", err)
	}
	live := map[string]bool{}
	for start := 0; start < len(objects); start += 500 {
		chunk := objects[start:min(start+500, len(objects))]
		var keys []string
		if err := m.db.WithContext(ctx).Model(&Item{}).Where("object_key IN ? AND status IN ?", chunk,
			[]Status{Pending, Available, Deleted}).Pluck("object_key", &keys).Error; err != nil {
			return rep, fmt.Errorf("reconcile: read rows: %w", err)
		}
		for _, k := range keys {
			live[k] = true
		}
	}
	for _, k := range objects {
		if live[k] {
			continue
		}
		if err := store.Delete(ctx, k); err != nil {
			return rep, fmt.Errorf("reconcile: delete orphan: %w", err)
		}
		rep.OrphansDeleted++
	}

	var due []Item
	if err := m.db.WithContext(ctx).Where("status = ? AND purge_after < ?", Deleted, now).Find(&due).Error; err != nil {
		return rep, fmt.Errorf("reconcile: list deleted items: %w", err)
	}
	for _, it := range due {
		if err := store.Delete(ctx, it.ObjectKey); err != nil {
			return rep, fmt.Errorf("reconcile: purge %s: %w", it.ID, err)
		}
		err := m.db.WithTx(ctx, func(tx *gorm.DB) error {
			res := tx.Model(&Item{}).Where("id = ? AND status = ?", it.ID, Deleted).
				Updates(map[string]any{"status": Purged, "purged_at": now, "updated_at": now})
			if res.Error != nil || res.RowsAffected == 0 {
				return res.Error
			}
			return m.audit.Record(ctx, tx, audit.Entry{Action: "evidence.purge", ObjectType: "evidence", ObjectID: it.ID,
				CaseID: it.CaseID, ActorRole: systemRole,
				Details: map[string]any{"deleted_at": it.DeletedAt, "reason": it.DeleteReason, "sha256": it.SHA256}})
		})
		if err != nil {
			return rep, fmt.Errorf("reconcile: mark %s purged: %w", it.ID, err)
		}
		rep.Purged++
	}
	return rep, nil
}

// RunPeriodically runs Reconcile every interval until ctx ends, logging
// through report.
func (m *Maintenance) RunPeriodically(ctx context.Context, interval time.Duration, o ReconcileOptions, report func(ReconcileReport, error)) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			rep, err := m.Reconcile(ctx, o)
			if report != nil && ctx.Err() == nil {
				report(rep, err)
			}
		}
	}
}
