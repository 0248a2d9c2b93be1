package evidence

import (
	"time"

	"github.com/habeas-org/habeas/internal/record"
)

// Status is the life-cycle state of an evidence item. A failed upload leaves
// no row: its pending row is removed with its object (by the upload itself,
// or later by reconcile), and the audit trail records the failure.
type Status string

// Statuses. Only available items are listed, shown and downloaded.
const (
	// Pending: the row is committed, the object is being written and checked.
	Pending Status = "pending"
	// Available: the object is completely stored and verified.
	Available Status = "available"
	// Deleted: soft-deleted with a reason; purged after its retention period.
	Deleted Status = "deleted"
	// Purged: the object is removed; the row remains as the record of what existed.
	Purged Status = "purged"
)

// Integrity values of an item: the result of the last full check.
const (
	IntegrityUnverified = "unverified"
	IntegrityOK         = "ok"
	IntegrityFailed     = "failed"
)

// Item is one row of the evidence table.
type Item struct {
	ID             string `gorm:"primaryKey"`
	CaseID         string
	Status         Status
	Title          string
	Description    string
	Kind           string
	Source         string
	CapturedAt     string
	CapturedAtSort string
	Language       string
	Confidential   bool
	LinkedEvents   record.JSONList[string]
	Filename       string
	DeclaredType   string
	DetectedType   string
	TypeMismatch   bool
	Size           int64
	SHA256         string `gorm:"column:sha256"`
	ObjectKey      string
	StoredSize     int64
	Integrity      string
	VerifiedAt     *time.Time
	IdempotencyKey *string
	// UploadOwner is the instance id of the process running the upload
	// (package instance); nil on rows written before it was recorded.
	UploadOwner  *string
	Version      int64
	CreatedBy    string
	CreatedAt    time.Time
	UpdatedAt    time.Time
	AvailableAt  *time.Time
	DeletedAt    *time.Time
	DeletedBy    string
	DeleteReason string
	PurgeAfter   *time.Time
	PurgedAt     *time.Time
}

// TableName is the evidence table.
func (Item) TableName() string { return "evidence" }

// Models lists the gorm models of this package (for the schema test).
func Models() []any { return []any{&Item{}, &ResumableUpload{}, &DownloadLink{}} }
