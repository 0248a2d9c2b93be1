package evidence

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"io"
	"time"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/record"
)

// Download links (issue 24): a browser saves a file to disk by navigating
// to a link, which sends no bearer token; so a signed-in user asks for a
// short-lived, single-use link to one item, and the link is the credential.
// Only the SHA-256 of its token is stored; the route logs its template, not
// the token. Using the link re-checks, as the user who asked for it, that
// the item may still be seen, and is audited as that user's download.

// DownloadLink is one row of evidence_download_links.
type DownloadLink struct {
	TokenHash string `gorm:"primaryKey"`
	UserID    string
	CaseID    string
	ItemID    string
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    *time.Time
}

// TableName is the download links table.
func (DownloadLink) TableName() string { return "evidence_download_links" }

// DownloadLinkTTL is how long a download link may be used.
const DownloadLinkTTL = time.Minute

// errNoLink answers a link that is unknown, used, expired or no longer
// allowed: the same 404 for each, so a link tells nothing.
var errNoLink = apperr.New(apperr.ErrNotFound, "not_found", "this download link is unknown, expired or already used; download again from the case")

// CreateDownloadLink returns a fresh single-use token for item id of the
// case, valid DownloadLinkTTL, if p may download it; audited.
func (s *Service) CreateDownloadLink(ctx context.Context, p *actor.Principal, caseID, id string) (string, time.Time, error) {
	var raw [32]byte
	_, _ = rand.Read(raw[:])
	token := base64.RawURLEncoding.EncodeToString(raw[:])
	now := s.Now()
	l := DownloadLink{TokenHash: hashLinkToken(token), UserID: p.UserID, CaseID: caseID, ItemID: id, CreatedAt: now, ExpiresAt: now.Add(DownloadLinkTTL)}
	_, err := record.Write(ctx, s.Kit, p, func(tx *gorm.DB) (struct{}, error) {
		it, err := findItem(tx, p, caseID, id, Available)
		if err != nil {
			return struct{}{}, err
		}
		if err := tx.Create(&l).Error; err != nil {
			return struct{}{}, err
		}
		return struct{}{}, s.Record(ctx, tx, p, audit.Entry{Action: "evidence.download_link", ObjectType: objectType, ObjectID: it.ID,
			CaseID: it.CaseID, Details: map[string]any{"expires_at": l.ExpiresAt.Format(time.RFC3339)}})
	})
	if err != nil {
		return "", time.Time{}, err
	}
	return token, l.ExpiresAt, nil
}

func hashLinkToken(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// OpenLinkedContent uses a download link: it marks it used (once only),
// and opens the item's content as OpenContent does, for the user who asked
// for the link, with the role they hold now. It returns that principal too.
func (s *Service) OpenLinkedContent(ctx context.Context, token string) (View, io.ReadCloser, *actor.Principal, error) {
	if len(token) != 43 {
		return View{}, nil, nil, errNoLink
	}
	var l DownloadLink
	var p *actor.Principal
	err := s.DB.WithTx(ctx, func(tx *gorm.DB) error {
		now := s.Now()
		res := tx.Model(&DownloadLink{}).Where("token_hash = ? AND used_at IS NULL AND expires_at > ?", hashLinkToken(token), now).
			Update("used_at", now)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return errNoLink
		}
		if err := tx.Where("token_hash = ?", hashLinkToken(token)).Take(&l).Error; err != nil {
			return err
		}
		var u struct {
			ID       string
			Role     actor.Role
			Disabled bool
		}
		err := tx.Table("users").Select("id, role, disabled").Where("id = ?", l.UserID).Take(&u).Error
		if errors.Is(err, gorm.ErrRecordNotFound) || err == nil && (u.Disabled || !u.Role.Valid()) {
			return errNoLink
		}
		p = &actor.Principal{UserID: u.ID, Role: u.Role}
		return err
	})
	if err != nil {
		return View{}, nil, nil, err
	}
	v, rc, _, err := s.OpenContent(ctx, p, l.CaseID, l.ItemID, nil)
	return v, rc, p, err
}

// removeOldLinks deletes download links expired for more than a day.
func (m *Maintenance) removeOldLinks(ctx context.Context) error {
	return m.db.WithContext(ctx).Where("expires_at < ?", m.now().Add(-24*time.Hour)).Delete(&DownloadLink{}).Error
}
