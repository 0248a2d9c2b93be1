package auth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/audit"
)

// The throttle on failed sign-ins (docs/security.md, "Sign-in throttling").
// It must slow an attacker without handing them a way to lock the owner
// out, so nothing an attacker does from their own addresses can refuse the
// owner's correct credentials from another address:
//
//   - (account, address): a few failures lock this pair only: the attacker's
//     address is refused for this account, the owner elsewhere is not.
//   - address: more failures, on any accounts, lock the address for all of
//     them (one address trying many accounts).
//   - account: consecutive failures from anywhere (forgotten after a
//     success, or a day without failure) are only counted, never locked.
//     Past the ceiling (NIST SP 800-63B: at most 100), every further failure
//     locks its (account, address) pair at once: an attacker spread over
//     many addresses gets one guess per address per lockout, and an address
//     with no failure, the owner's, still signs in.
//
// The second factor (TOTP or recovery code, owed after a correct password)
// has the same rules with the pair and the user, and no address bucket.
// Every lock is an auth.lockout audit entry on the account, so that its
// owner and the admins see it (SignInActivity).

// throttleRule is how many failures a bucket may have before it locks, and
// for how long: the first lockout is base; each further failure doubles it,
// up to maxLockout. A zero base only counts. Failures are forgotten after
// window without one (and without a running lock).
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
func accountBucket(email string) string { return "acct:" + emailKey(email) }
func emailKey(email string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(email)))
	return hex.EncodeToString(sum[:16])
}
func addressBucket(ip string) string { return "addr:" + ip }

// gate names the buckets one kind of attempt counts against.
type gate struct {
	// kind is "password" or "second_factor" (audit details).
	kind string
	// pair is the (account, address) bucket; subject the whole account
	// (only counted); addr the client address ("" when not counted).
	pair, subject, addr string
	// code and message of the 429.
	code, message string
}

// passwordGate is the gate of a password check of email from ip.
func passwordGate(email, ip string, withAddress bool) gate {
	g := gate{kind: "password", pair: "pair:" + emailKey(email) + ":" + ip, subject: accountBucket(email),
		code: "login_throttled", message: "too many failed sign-ins from this address; try again later"}
	if withAddress {
		g.addr = addressBucket(ip)
	}
	return g
}

// secondFactorGate is the gate of a TOTP or recovery code of userID from ip.
func secondFactorGate(userID, ip string) gate {
	return gate{kind: "second_factor", pair: "mfa:" + userID + ":" + ip, subject: "totp:" + userID,
		code: "mfa_throttled", message: "too many wrong codes from this address; try again later"}
}

// lockedFor returns how long bucket stays locked (0 when it is not).
func (th *throttle) lockedFor(ctx context.Context, db *gorm.DB, bucket string) (time.Duration, error) {
	var until []int64
	if err := db.WithContext(ctx).Model(&Throttle{}).Where("bucket = ?", bucket).Pluck("locked_until", &until).Error; err != nil {
		return 0, fmt.Errorf("read throttle: %w", err)
	}
	now := th.now().UnixMilli()
	if len(until) == 0 || until[0] <= now {
		return 0, nil
	}
	return time.Duration(until[0]-now) * time.Millisecond, nil
}

// failures returns the live failure count of bucket (0 when forgotten).
func (th *throttle) failures(ctx context.Context, db *gorm.DB, bucket string, window time.Duration) (int, error) {
	var rows []Throttle
	if err := db.WithContext(ctx).Where("bucket = ?", bucket).Limit(1).Find(&rows).Error; err != nil {
		return 0, fmt.Errorf("read throttle: %w", err)
	}
	now := th.now().UnixMilli()
	if len(rows) == 0 || (rows[0].UpdatedAt < now-window.Milliseconds() && rows[0].LockedUntil < now) {
		return 0, nil
	}
	return rows[0].Failures, nil
}

// fail counts one failure in bucket (atomically: one statement, whatever
// the number of processes) and locks it when the rule says so. It returns
// the failures counted and the lock this failure set (0: none).
func (th *throttle) fail(ctx context.Context, db *gorm.DB, bucket string, r throttleRule) (int, time.Duration, error) {
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
		return 0, 0, fmt.Errorf("count failure: %w", err)
	}
	if r.base <= 0 || failures < r.limit {
		return failures, 0, nil
	}
	lock := r.base
	for i := r.limit; i < failures && lock < maxLockout; i++ {
		lock *= 2
	}
	lock = min(lock, maxLockout)
	if err := db.WithContext(ctx).Exec(`UPDATE auth_throttles SET locked_until = ? WHERE bucket = ? AND locked_until < ?`,
		now+lock.Milliseconds(), bucket, now+lock.Milliseconds()).Error; err != nil {
		return 0, 0, fmt.Errorf("lock: %w", err)
	}
	return failures, lock, nil
}

// reset forgets the failures of bucket (after a success).
func (th *throttle) reset(ctx context.Context, db *gorm.DB, bucket string) error {
	if err := db.WithContext(ctx).Exec(`DELETE FROM auth_throttles WHERE bucket = ?`, bucket).Error; err != nil {
		return fmt.Errorf("reset throttle: %w", err)
	}
	return nil
}

func (s *Service) pairRule() throttleRule {
	return throttleRule{limit: s.opts.PairMaxFailures, base: s.opts.Lockout, window: maxLockout}
}
func (s *Service) addressRule() throttleRule {
	return throttleRule{limit: s.opts.AddressMaxFailures, base: s.opts.Lockout, window: maxLockout}
}
func (s *Service) ceilingRule() throttleRule {
	return throttleRule{limit: s.opts.AccountMaxFailures, window: maxLockout}
}

// checkGate refuses (429) an attempt whose address, or (account, address)
// pair, is locked, and audits the refusal as action on the account u (nil:
// no such account).
func (s *Service) checkGate(ctx context.Context, g gate, action string, u *User) error {
	for _, b := range []struct{ bucket, scope string }{{g.addr, "address"}, {g.pair, "account_address"}} {
		if b.bucket == "" {
			continue
		}
		d, err := s.throttle.lockedFor(ctx, s.db.DB, b.bucket)
		if err != nil {
			return err
		}
		if d > 0 {
			e := audit.Entry{Action: action, ObjectType: "user", Outcome: audit.Denied,
				Details: map[string]any{"reason": "throttled", "scope": b.scope, "factor": g.kind}}
			if u != nil {
				e.ObjectID, e.ActorID, e.ActorRole = u.ID, u.ID, string(u.Role)
			}
			_ = s.record(ctx, nil, e)
			return rateLimited(g.code, g.message, d)
		}
	}
	return nil
}

// failGate counts a failure in every bucket of g, and audits each lock it
// sets (and the account reaching the ceiling) as auth.lockout on u (nil:
// no such account).
func (s *Service) failGate(ctx context.Context, g gate, u *User) error {
	n, _, err := s.throttle.fail(ctx, s.db.DB, g.subject, s.ceilingRule())
	if err != nil {
		return err
	}
	pair := s.pairRule()
	restricted := n >= s.opts.AccountMaxFailures
	if restricted {
		pair.limit = 1 // past the ceiling: every failure locks its pair
	}
	type lockEvent struct {
		scope    string
		failures int
		lock     time.Duration
	}
	var events []lockEvent
	if n == s.opts.AccountMaxFailures {
		events = append(events, lockEvent{"account", n, 0})
	}
	if f, d, err := s.throttle.fail(ctx, s.db.DB, g.pair, pair); err != nil {
		return err
	} else if d > 0 {
		events = append(events, lockEvent{"account_address", f, d})
	}
	if g.addr != "" {
		if f, d, err := s.throttle.fail(ctx, s.db.DB, g.addr, s.addressRule()); err != nil {
			return err
		} else if d > 0 {
			events = append(events, lockEvent{"address", f, d})
		}
	}
	for _, ev := range events {
		details := map[string]any{"scope": ev.scope, "factor": g.kind, "failures": ev.failures}
		if ev.lock > 0 {
			details["locked_seconds"] = int64(ev.lock / time.Second)
		} else {
			details["effect"] = "each further failure locks its address for this account"
		}
		e := audit.Entry{Action: "auth.lockout", ObjectType: "user", Outcome: audit.Denied, Details: details}
		if u != nil {
			e.ObjectID = u.ID
		}
		_ = s.record(ctx, nil, e)
	}
	return nil
}

// passGate forgets the failures of g's pair and account after a success
// (the address keeps its count: one right password must not clear an
// address that tries many accounts).
func (s *Service) passGate(ctx context.Context, g gate) error {
	if err := s.throttle.reset(ctx, s.db.DB, g.pair); err != nil {
		return err
	}
	return s.throttle.reset(ctx, s.db.DB, g.subject)
}

// rateLimited is the error of a locked bucket.
func rateLimited(code, msg string, d time.Duration) error {
	secs := int((d + time.Second - 1) / time.Second)
	return &apperr.Error{Kind: apperr.ErrRateLimited, Code: code, Message: msg, RetryAfterSeconds: max(1, secs)}
}
