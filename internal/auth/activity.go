package auth

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/audit"
)

// Sign-in activity: what the owner of an account, and the admins, see of
// the attempts against it (docs/security.md, "Sign-in throttling"). It is
// read from the audit trail, where every failed attempt, refused attempt
// and lock is recorded on the account (object_type user, outcome denied),
// so there is one record of it and it cannot be edited.

// Kinds of SignInEvent.
const (
	// EventFailedPassword is a wrong password (at sign-in, or to confirm a change).
	EventFailedPassword = "failed_password"
	// EventFailedSecondFactor is a wrong TOTP or recovery code.
	EventFailedSecondFactor = "failed_second_factor"
	// EventThrottled is an attempt refused (429) because its address, or the
	// (account, address) pair, was locked; nothing was checked.
	EventThrottled = "throttled"
	// EventLockout is a lock set by a failure: of the pair, of the address,
	// or the account reaching its ceiling.
	EventLockout = "lockout"
)

// SignInEvent is one failed or refused attempt, or one lock, on an account.
type SignInEvent struct {
	At       time.Time
	Kind     string
	Action   string
	ClientIP string
	// Reason is the audit reason ("wrong password", "wrong code", ...).
	Reason string
	// Scope of a lock or a refusal: account_address, address or account.
	Scope string
	// LockedSeconds is the length of a lock (0: none, or the ceiling).
	LockedSeconds int64
}

// SignInActivity is the recent sign-in trouble of one account.
type SignInActivity struct {
	// Failures are the consecutive failed password attempts (from anywhere,
	// forgotten after a success or a day without failure); Ceiling is the
	// number past which each further failure locks its address.
	Failures int
	Ceiling  int
	// SecondFactorFailures are the same for TOTP and recovery codes.
	SecondFactorFailures int
	// Events are the newest first; NextCursor, when set, asks the next
	// (older) page.
	Events     []SignInEvent
	NextCursor string
}

// MaxActivity caps the events of one SignInActivity.
const MaxActivity = 200

// activityActions are the audit actions of attempts on an account.
var activityActions = []string{"auth.login", "auth.mfa.verify", "auth.totp.confirm", "auth.password.check", "auth.lockout"}

// ActivityPage asks one page of sign-in activity: Limit events (0: 50),
// older than Cursor (a NextCursor; empty: from the newest).
type ActivityPage struct {
	Cursor string
	Limit  int
}

// MySignInActivity returns the caller's own recent failed attempts and
// locks (audited: auth.activity.read).
func (s *Service) MySignInActivity(ctx context.Context, id *Identity, page ActivityPage) (*SignInActivity, error) {
	return s.signInActivity(ctx, id.Principal.UserID, page, "auth.activity.read")
}

// UserSignInActivity returns a user's recent failed attempts and locks
// (admin only; audited: user.activity.read).
func (s *Service) UserSignInActivity(ctx context.Context, p *actor.Principal, userID string, page ActivityPage) (*SignInActivity, error) {
	if err := requireAdmin(p); err != nil {
		return nil, err
	}
	return s.signInActivity(ctx, userID, page, "user.activity.read")
}

func (s *Service) signInActivity(ctx context.Context, userID string, page ActivityPage, action string) (*SignInActivity, error) {
	limit := page.Limit
	if limit <= 0 || limit > MaxActivity {
		limit = 50
	}
	var before int64
	if page.Cursor != "" {
		n, err := strconv.ParseInt(page.Cursor, 10, 64)
		if err != nil || n <= 0 {
			return nil, apperr.Field("cursor", "must be the next_cursor of a previous page")
		}
		before = n
	}
	u, err := s.user(ctx, userID)
	if err != nil {
		return nil, err
	}
	out := &SignInActivity{Ceiling: s.opts.AccountMaxFailures}
	// A read of who tried what against the account: its entry is
	// group-committed before the answer (audit.ReadTx).
	err = audit.ReadTx(ctx, s.db, s.rec, func(tx *gorm.DB) error {
		q := tx.Where("object_type = ? AND object_id = ? AND outcome = ? AND action IN ?", "user", u.ID, string(audit.Denied), activityActions)
		if before > 0 {
			q = q.Where("seq < ?", before)
		}
		var rows []audit.Row
		if err := q.Order("seq DESC").Limit(limit + 1).Find(&rows).Error; err != nil {
			return fmt.Errorf("read sign-in activity: %w", err)
		}
		if len(rows) > limit {
			rows = rows[:limit]
			out.NextCursor = strconv.FormatInt(rows[limit-1].Seq, 10)
		}
		out.Events = make([]SignInEvent, 0, len(rows))
		for _, r := range rows {
			out.Events = append(out.Events, toSignInEvent(r))
		}
		var err error
		if out.Failures, err = s.throttle.failures(ctx, tx, accountBucket(u.Email), maxLockout); err != nil {
			return err
		}
		if out.SecondFactorFailures, err = s.throttle.failures(ctx, tx, secondFactorGate(u.ID, "").subject, maxLockout); err != nil {
			return err
		}
		return s.record(ctx, tx, audit.Entry{Action: action, ObjectType: "user", ObjectID: u.ID, Outcome: audit.OK,
			Details: map[string]any{"events": len(out.Events)}})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// toSignInEvent reads one audit entry as a sign-in event.
func toSignInEvent(r audit.Row) SignInEvent {
	var d struct {
		Reason        string `json:"reason"`
		Scope         string `json:"scope"`
		LockedSeconds int64  `json:"locked_seconds"`
	}
	_ = json.Unmarshal([]byte(r.Details), &d) // details are written by this package; a bad one shows as bare
	at, _ := time.Parse(audit.TimeFormat, r.At)
	e := SignInEvent{At: at.UTC(), Action: r.Action, ClientIP: r.ClientIP, Reason: d.Reason, Scope: d.Scope, LockedSeconds: d.LockedSeconds}
	switch {
	case r.Action == "auth.lockout":
		e.Kind = EventLockout
	case d.Reason == "throttled":
		e.Kind = EventThrottled
	case r.Action == "auth.mfa.verify" || r.Action == "auth.totp.confirm":
		e.Kind = EventFailedSecondFactor
	default:
		e.Kind = EventFailedPassword
	}
	return e
}
