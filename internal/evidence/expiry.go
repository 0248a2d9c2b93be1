package evidence

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/audit"
)

// SetResumableDir tells reconcile where resumable uploads keep their
// encrypted segments (Service.SetResumable), so that it removes those of
// expired uploads and directories no upload row names.
func (m *Maintenance) SetResumableDir(dir string) { m.resumableDir = dir }

// expireResumable removes resumable uploads past their expiry: unfinished
// ones with their segments (audited as abandoned), completed ones (only
// their row was left, for a client asking what its upload became). Then it
// removes upload directories that no row names (a crash between a row's
// deletion and its directory's). The directory is listed BEFORE the rows are
// read, and a row is committed before its directory is made, so an upload
// just created is never taken for a leftover.
func (m *Maintenance) expireResumable(ctx context.Context, rep *ReconcileReport) error {
	if err := m.removeOldLinks(ctx); err != nil {
		return fmt.Errorf("reconcile: remove old download links: %w", err)
	}
	if m.resumableDir == "" {
		return nil
	}
	entries, err := os.ReadDir(m.resumableDir)
	if err != nil && !os.IsNotExist(err) {
		return fmt.Errorf("reconcile: list resumable uploads: %w", err)
	}
	now := m.now()
	var expired []ResumableUpload
	if err := m.db.WithContext(ctx).Where("expires_at < ?", now).Find(&expired).Error; err != nil {
		return fmt.Errorf("reconcile: list expired uploads: %w", err)
	}
	for _, u := range expired {
		err := m.db.WithTx(ctx, func(tx *gorm.DB) error {
			res := tx.Where("id = ?", u.ID).Delete(&ResumableUpload{})
			if res.Error != nil || res.RowsAffected == 0 || u.ItemID != nil {
				return res.Error
			}
			return m.audit.Record(ctx, tx, audit.Entry{Action: "evidence.upload_abandoned", ObjectType: resumableObject, ObjectID: u.ID,
				CaseID: u.CaseID, ActorRole: systemRole, Details: map[string]any{"reason": "expired", "received": u.Received, "length": u.Length}})
		})
		if err != nil {
			return fmt.Errorf("reconcile: expire upload %s: %w", u.ID, err)
		}
		if u.ItemID == nil {
			rep.ExpiredUploads++
		}
	}
	var ids []string
	for _, e := range entries {
		if e.IsDir() && ValidUploadID(e.Name()) {
			ids = append(ids, e.Name())
		}
	}
	live := map[string]bool{}
	for start := 0; start < len(ids); start += 500 {
		var found []string
		if err := m.db.WithContext(ctx).Model(&ResumableUpload{}).Where("id IN ? AND item_id IS NULL", ids[start:min(start+500, len(ids))]).
			Pluck("id", &found).Error; err != nil {
			return fmt.Errorf("reconcile: read uploads: %w", err)
		}
		for _, id := range found {
			live[id] = true
		}
	}
	for _, id := range ids {
		if live[id] {
			continue
		}
		if err := os.RemoveAll(filepath.Join(m.resumableDir, id)); err != nil {
			return fmt.Errorf("reconcile: remove the partial data of upload %s: %w", id, err)
		}
		rep.PartialDataRemoved++
	}
	return nil
}
