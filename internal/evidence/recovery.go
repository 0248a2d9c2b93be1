package evidence

import (
	"context"
	"fmt"
	"sync"
	"time"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/instance"
	"github.com/habeas-org/habeas/internal/storage"
)

// Crash recovery (issue 23). Every upload's pending row records the
// instance that runs it (upload_owner). A pending row is stale, and removed
// at once with what it stored (audited as a failed upload), when its owner
// is gone (instance.Take), or when it is this process's own but no upload
// of that id is in progress here any more (its clean-up failed: a full disk,
// the database down for a moment). Rows without an owner (written before
// owners were recorded) keep the grace rule. See docs/evidence.md.

// uploadSet is the set of uploads in progress in this process, by item id:
// an id is added before its pending row is committed and removed once the
// upload has finished or its clean-up has run.
type uploadSet struct {
	mu   sync.Mutex
	ids  map[string]bool
	idle chan struct{} // closed while the set is empty
}

func (u *uploadSet) add(id string) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.ids == nil {
		u.ids = map[string]bool{}
	}
	if len(u.ids) == 0 {
		u.idle = make(chan struct{})
	}
	u.ids[id] = true
}

func (u *uploadSet) done(id string) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if !u.ids[id] {
		return
	}
	delete(u.ids, id)
	if len(u.ids) == 0 {
		close(u.idle)
	}
}

func (u *uploadSet) has(id string) bool {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.ids[id]
}

// wait returns the number of uploads still in progress when ctx ended, 0
// as soon as none is.
func (u *uploadSet) wait(ctx context.Context) int {
	u.mu.Lock()
	idle, n := u.idle, len(u.ids)
	u.mu.Unlock()
	if n == 0 {
		return 0
	}
	select {
	case <-idle:
		return 0
	case <-ctx.Done():
		u.mu.Lock()
		defer u.mu.Unlock()
		return len(u.ids)
	}
}

// SetInstance makes the service record self as the owner of its uploads.
// Call it before the first upload. Without it, rows have no owner and only
// the grace rule cleans them up.
func (s *Service) SetInstance(self *instance.Self) { s.owner = self }

// WaitUploads waits until no upload is in progress in this process (each
// finished, or failed and cleaned up) or ctx ends; it returns how many were
// still in progress then. A graceful stop calls it after cutting off the
// requests it could not wait for, before closing the database.
func (s *Service) WaitUploads(ctx context.Context) int { return s.uploads.wait(ctx) }

// staleProblem tells why a pending row of item it is stale ("" when it is
// not): this process's own upload no longer in progress, or one whose owner
// is gone. census is read after it.
func staleProblem(it Item, self *instance.Self, local *uploadSet, census instance.Census) string {
	switch {
	case it.UploadOwner == nil || *it.UploadOwner == "":
		return ""
	case self != nil && *it.UploadOwner == self.ID():
		if local.has(it.ID) {
			return ""
		}
		return "upload failed (its clean-up had not finished)"
	case census.Live(*it.UploadOwner):
		return ""
	default:
		return "upload abandoned (its server stopped)"
	}
}

// retryStale handles a retry whose Idempotency-Key is held by pending row
// prev: when prev is stale it is removed (what it stored too; audited as a
// failed upload, by p) and true is returned: the retry may go ahead.
func (s *Service) retryStale(ctx context.Context, p *actor.Principal, prev Item) (bool, error) {
	if prev.UploadOwner == nil {
		return false, nil
	}
	var census instance.Census
	if s.owner != nil && *prev.UploadOwner != s.owner.ID() {
		var err error
		if census, err = s.owner.Census(ctx); err != nil {
			return false, fmt.Errorf("evidence: idempotency key held by upload %s: %w", prev.ID, err)
		}
	}
	problem := staleProblem(prev, s.owner, &s.uploads, census)
	if problem == "" {
		return false, nil
	}
	err := removePending(ctx, s.vault.store, s.DB, prev, true, func(tx *gorm.DB) error {
		return s.Record(ctx, tx, p, audit.Entry{Action: "evidence.upload", ObjectType: objectType, ObjectID: prev.ID,
			CaseID: prev.CaseID, Outcome: audit.Failed, Details: map[string]any{"problem": problem, "found_by": "retry"}})
	})
	if err != nil {
		return false, fmt.Errorf("evidence: remove the stale upload %s holding the idempotency key: %w", prev.ID, err)
	}
	s.log.Info("evidence: a retry removed a stale upload", "item", prev.ID, "problem", problem)
	return true, nil
}

// removePending removes pending item it: its object (and, with multipart,
// any incomplete multipart upload of it), then its row with the audit
// entry record writes. A row no longer pending is left alone (and nothing
// is recorded).
func removePending(ctx context.Context, store storage.Storage, d interface {
	WithTx(context.Context, func(*gorm.DB) error) error
}, it Item, multipart bool, record func(tx *gorm.DB) error) error {
	if err := store.Delete(ctx, it.ObjectKey); err != nil {
		return fmt.Errorf("delete object of upload %s: %w", it.ID, err)
	}
	if mp, ok := store.(multipartStore); ok && multipart {
		if _, err := mp.AbortIncompleteUploads(ctx, it.ObjectKey, 0); err != nil {
			return fmt.Errorf("abort multipart upload of %s: %w", it.ID, err)
		}
	}
	return d.WithTx(ctx, func(tx *gorm.DB) error {
		res := tx.Where("id = ? AND status = ?", it.ID, Pending).Delete(&Item{})
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		return record(tx)
	})
}

// multipartStore is implemented by drivers with multipart uploads (S3).
type multipartStore interface {
	IncompleteUploads(ctx context.Context, prefix string) ([]storage.IncompleteUpload, error)
	AbortIncompleteUploads(ctx context.Context, prefix string, olderThan time.Duration) (int, error)
}

// tempStore is implemented by drivers with temporary files (local).
type tempStore interface {
	TempFiles(ctx context.Context, prefix string) ([]storage.TempFile, error)
	RemoveTemp(ctx context.Context, path string) error
}

// SetInstances tells reconcile how long an instance may miss its heartbeat
// before it is gone (0: instance.DefaultTimeout) and, in serve, the evidence
// service of this process: its own pending rows are stale once their
// upload is no longer in progress there.
func (m *Maintenance) SetInstances(timeout time.Duration, local *Service) {
	m.instanceTimeout, m.local = timeout, local
}

// Recover is the crash recovery run once at start-up, before serving: the
// uploads of gone instances (pending rows, local temporary files, S3
// multipart uploads) are removed at once, and pending rows and legacy
// temporary files past the grace too. Unlike Reconcile it does not walk
// every object nor purge.
func (m *Maintenance) Recover(ctx context.Context, o ReconcileOptions) (ReconcileReport, error) {
	var rep ReconcileReport
	err := m.recoverUploads(ctx, o, &rep)
	return rep, err
}

// recoverUploads is the crash recovery shared by Recover and Reconcile.
// Storage is listed (temporary files, multipart uploads) BEFORE the pending
// rows are read, and the rows BEFORE the census of instances: an upload
// registers its owner before committing its row, and commits its row
// before it writes anything, so whatever is listed has its row and its
// owner in the later reads, and an upload just starting is never taken
// for a leftover.
func (m *Maintenance) recoverUploads(ctx context.Context, o ReconcileOptions, rep *ReconcileReport) error {
	store := m.vault.Storage()
	now := m.now()
	var temps []storage.TempFile
	ts, hasTemps := store.(tempStore)
	if hasTemps {
		var err error
		if temps, err = ts.TempFiles(ctx, ObjectPrefix); err != nil {
			return fmt.Errorf("reconcile: %w", err)
		}
	}
	var multiparts []storage.IncompleteUpload
	mp, hasMultipart := store.(multipartStore)
	if hasMultipart {
		var err error
		if multiparts, err = mp.IncompleteUploads(ctx, ObjectPrefix); err != nil {
			return fmt.Errorf("reconcile: list incomplete multipart uploads: %w", err)
		}
	}
	var pending []Item
	if err := m.db.WithContext(ctx).Where("status = ?", Pending).Find(&pending).Error; err != nil {
		return fmt.Errorf("reconcile: list pending: %w", err)
	}
	census, err := instance.Take(ctx, m.db, m.instanceTimeout)
	if err != nil {
		return fmt.Errorf("reconcile: %w", err)
	}
	var self *instance.Self
	local := &uploadSet{}
	if m.local != nil {
		self, local = m.local.owner, &m.local.uploads
	}
	kept := map[string]bool{} // object keys of pending rows left in place
	for _, it := range pending {
		problem := staleProblem(it, self, local, census)
		switch {
		case problem != "":
			rep.CrashedUploads++
		case it.CreatedAt.Before(now.Add(-o.Grace)):
			problem = "upload abandoned (found pending by reconcile)"
			rep.AbandonedUploads++
		default:
			kept[it.ObjectKey] = true
			if it.UploadOwner != nil && (self == nil || *it.UploadOwner != self.ID()) {
				rep.LiveElsewhere++
			}
			continue
		}
		err := removePending(ctx, store, m.db, it, false, func(tx *gorm.DB) error {
			return m.audit.Record(ctx, tx, audit.Entry{Action: "evidence.upload", ObjectType: objectType, ObjectID: it.ID,
				CaseID: it.CaseID, Outcome: audit.Failed, ActorRole: systemRole, Details: map[string]any{"problem": problem}})
		})
		if err != nil {
			return fmt.Errorf("reconcile: remove abandoned upload %s: %w", it.ID, err)
		}
	}
	for _, u := range multiparts {
		if kept[u.Key] && (u.Initiated.IsZero() || u.Initiated.After(now.Add(-o.Grace))) {
			continue
		}
		n, err := mp.AbortIncompleteUploads(ctx, u.Key, 0)
		if err != nil {
			return fmt.Errorf("reconcile: abort incomplete uploads: %w", err)
		}
		rep.MultipartAborted += n
	}
	for _, f := range temps {
		switch {
		case f.Owner == "" && f.ModTime.After(now.Add(-o.Grace)):
			continue // a legacy name: only the grace tells
		case f.Owner != "" && (census.Live(f.Owner) || self != nil && f.Owner == self.ID()):
			continue // a write in progress
		}
		if err := ts.RemoveTemp(ctx, f.Path); err != nil {
			return fmt.Errorf("reconcile: %w", err)
		}
		rep.TempFilesRemoved++
	}
	if err := m.expireResumable(ctx, rep); err != nil {
		return err
	}
	if err := instance.Prune(ctx, m.db, max(o.Grace, time.Hour)); err != nil {
		return fmt.Errorf("reconcile: %w", err)
	}
	return nil
}
