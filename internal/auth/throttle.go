package auth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/apperr"
)

// throttleRule is how many failures a bucket may have before it locks, and
// for how long: the first lockout is base; each further failure doubles it,
// up to maxLockout. Failures are forgotten after window without one.
type throttleRule struct {
	limit  int
	base   time.Duration
	window time.Duration
}

const maxLockout = 24 * time.Hour

// throttle keeps failed-attempt counters in the database, so that every
// server process sees the same counts.
type throttle struct {
	now func() time.Time
}

// bucket names. Account buckets hash the email, so that attempts against
// addresses that are no account store no address in the clear.
func accountBucket(email string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(email)))
	return "acct:" + hex.EncodeToString(sum[:16])
}
func addressBucket(ip string) string  { return "addr:" + ip }
func totpBucket(userID string) string { return "totp:" + userID }

// lockedFor returns how long bucket stays locked (0 when it is not).
func (th *throttle) lockedFor(ctx context.Context, db *gorm.DB, bucket string) (time.Duration, error) {
	var row Throttle
	err := db.WithContext(ctx).Where("bucket = ?", bucket).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	now := th.now().UnixMilli()
	if row.LockedUntil > now {
		return time.Duration(row.LockedUntil-now) * time.Millisecond, nil
	}
	return 0, nil
}

// fail counts one failure in bucket (atomically: one statement, whatever
// the number of processes) and locks it when the rule says so.
func (th *throttle) fail(ctx context.Context, db *gorm.DB, bucket string, r throttleRule) error {
	now := th.now().UnixMilli()
	stale := now - r.window.Milliseconds()
	var failures int
	err := db.WithContext(ctx).Raw(`
INSERT INTO auth_throttles (bucket, failures, window_start, locked_until, updated_at)
VALUES (?, 1, ?, 0, ?)
ON CONFLICT (bucket) DO UPDATE SET
    failures = CASE WHEN auth_throttles.updated_at < ? AND auth_throttles.locked_until < ? THEN 1 ELSE auth_throttles.failures + 1 END,
    window_start = CASE WHEN auth_throttles.updated_at < ? AND auth_throttles.locked_until < ? THEN excluded.window_start ELSE auth_throttles.window_start END,
    updated_at = excluded.updated_at
RETURNING failures`, bucket, now, now, stale, now, stale, now).Scan(&failures).Error
	if err != nil {
		return err
	}
	if failures < r.limit {
		return nil
	}
	lock := r.base
	for i := r.limit; i < failures && lock < maxLockout; i++ {
		lock *= 2
	}
	lock = min(lock, maxLockout)
	return db.WithContext(ctx).Exec(`UPDATE auth_throttles SET locked_until = ? WHERE bucket = ? AND locked_until < ?`,
		now+lock.Milliseconds(), bucket, now+lock.Milliseconds()).Error
}

// reset forgets the failures of bucket (after a success).
func (th *throttle) reset(ctx context.Context, db *gorm.DB, bucket string) error {
	return db.WithContext(ctx).Exec(`DELETE FROM auth_throttles WHERE bucket = ?`, bucket).Error
}

// rateLimited is the error of a locked bucket.
func rateLimited(code, msg string, d time.Duration) error {
	secs := int((d + time.Second - 1) / time.Second)
	return &apperr.Error{Kind: apperr.ErrRateLimited, Code: code, Message: msg, RetryAfterSeconds: max(1, secs)}
}
