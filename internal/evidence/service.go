package evidence

import (
	"context"
	"log/slog"
	"time"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/access"
	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/instance"
	"github.com/habeas-org/habeas/internal/record"
)

// CustodyLister lists audit entries (the audit log implements it).
type CustodyLister interface {
	List(ctx context.Context, f audit.Filter) (audit.Page, error)
}

// Service is the evidence service. Every method takes the acting principal,
// asks internal/access (every lookup starts from its case scope, so an item
// of a case the caller may not see, or of another case, is not found), runs
// in a transaction (record.Write, or record.Read for reads) and records its
// audit entry in that transaction.
type Service struct {
	*record.Kit
	vault     *Vault
	custody   CustodyLister
	retention time.Duration
	log       *slog.Logger
	owner     *instance.Self // SetInstance; nil: uploads record no owner
	uploads   uploadSet      // uploads in progress in this process
	// resumableDir holds the encrypted segments of resumable uploads and
	// resumableExpiry is how long an unfinished one lives (SetResumable;
	// "" disables them).
	resumableDir    string
	resumableExpiry time.Duration
}

// NewService returns the evidence service. retention is how long a deleted
// item's content is kept before reconcile purges it.
func NewService(d *db.DB, v *Vault, rec audit.Recorder, custody CustodyLister, retention time.Duration, log *slog.Logger) *Service {
	if log == nil {
		log = slog.Default()
	}
	return &Service{Kit: record.NewKit("evidence", d, rec), vault: v, custody: custody, retention: retention, log: log}
}

// Vault returns the service's vault.
func (s *Service) Vault() *Vault { return s.vault }

var (
	errUpload     = apperr.New(apperr.ErrForbidden, "forbidden", "your role may not add or edit evidence")
	errDelete     = apperr.New(apperr.ErrForbidden, "forbidden", "only admins and coordinators may delete evidence")
	errInProgress = apperr.New(apperr.ErrConflict, "upload_in_progress",
		"an upload with this Idempotency-Key is still in progress")
	errKeyUsed = apperr.New(apperr.ErrConflict, "idempotency_key_reused",
		"this Idempotency-Key was used for an item that has since been deleted; use a new key")
	// errStorageUpload answers an upload whose storage failed or did not
	// answer in time (storage.ErrUnavailable): nothing is kept.
	errStorageUpload = &apperr.Error{Kind: apperr.ErrUnavailable, Code: "storage_unavailable",
		Message: "the evidence storage failed or did not answer in time; nothing was stored, try again later", RetryAfterSeconds: storageRetryAfter}
	errIntegrity = apperr.New(apperr.ErrUnavailable, "evidence_integrity_failure",
		"the stored content of this item failed its integrity check; the incident is recorded")
)

// ErrStorageRead answers a download (or another read of stored content)
// whose storage failed or did not answer in time.
var ErrStorageRead = &apperr.Error{Kind: apperr.ErrUnavailable, Code: "storage_unavailable",
	Message: "the evidence storage failed or did not answer in time; the file could not be read, try again later", RetryAfterSeconds: storageRetryAfter}

// storageRetryAfter is the Retry-After, in seconds, of a storage failure.
const storageRetryAfter = 30

// objectType is the audit object type of every entry of this service.
const objectType = "evidence"

// findItem finds an item of caseID that p may see, in one of statuses.
func findItem(tx *gorm.DB, p *actor.Principal, caseID, id string, statuses ...Status) (*Item, error) {
	var it Item
	err := record.Where(tx, access.EvidenceVisible(p, "evidence")).
		Where("evidence.case_id = ? AND evidence.id = ? AND evidence.status IN ?", caseID, id, statuses).Take(&it).Error
	if err != nil {
		return nil, record.NotFound(err, "evidence")
	}
	return &it, nil
}

// shown are the statuses of items that GET and custody return.
var shown = []Status{Available, Deleted, Purged}
