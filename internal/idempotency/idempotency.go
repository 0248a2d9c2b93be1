// Package idempotency keeps the Idempotency-Key of JSON POSTs (issue 24):
// a client that sends the same key again (a retry after a dropped link, a
// queued entry sent from an offline phone) gets the first response again
// and nothing is created twice.
//
// One row per (user, key) in idempotency_keys. Begin claims the key with an
// insert that does nothing on conflict, so of two concurrent requests with
// one key exactly one runs; the other waits for its response (InProgress)
// and replays it. A key comes with the SHA-256 of the request (method, path
// and body): the same key with another request is Mismatch. Keys expire
// after TTL; a claim whose request never finished (the process died) is
// taken over after StaleAfter.
package idempotency

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/habeas-org/habeas/internal/db"
)

// TTL is how long a key is remembered.
const TTL = 24 * time.Hour

// StaleAfter is how long a claim may stay unfinished before another request
// with the key takes it over (the first request's process died).
const StaleAfter = 2 * time.Minute

// Row is one remembered key.
type Row struct {
	UserID      string `gorm:"primaryKey"`
	Key         string `gorm:"primaryKey;column:idem_key"`
	Scope       string
	RequestHash string
	// Status is 0 while the first request runs, then its HTTP status.
	Status int
	// Headers are the response headers replayed (JSON object).
	Headers   string
	Body      []byte
	CreatedAt time.Time
	ExpiresAt time.Time
}

// TableName is the table of the rows.
func (Row) TableName() string { return "idempotency_keys" }

// State is what Begin found.
type State int

// States of Begin.
const (
	// Started: the caller holds the key and must Finish or Abandon it.
	Started State = iota
	// Replay: the key's first request finished; Response is its answer.
	Replay
	// InProgress: the key's first request is still running.
	InProgress
	// Mismatch: the key was used for a different request.
	Mismatch
)

// Response is a remembered answer.
type Response struct {
	Status  int
	Headers map[string]string
	Body    []byte
}

// Store keeps the keys in the database.
type Store struct {
	db  *db.DB
	now func() time.Time
}

// New returns the store over d.
func New(d *db.DB) *Store {
	return &Store{db: d, now: func() time.Time { return time.Now().UTC() }}
}

// SetClock replaces the clock (tests).
func (s *Store) SetClock(now func() time.Time) { s.now = now }

// Hash is the request fingerprint of a scope (method and path) and body.
func Hash(scope string, body []byte) string {
	h := sha256.New()
	h.Write([]byte(scope))
	h.Write([]byte{0})
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

// Begin claims key for userID's request of scope with hash, or reports what
// holds it. Expired rows are removed first.
func (s *Store) Begin(ctx context.Context, userID, key, scope, hash string) (State, *Response, error) {
	var (
		state State
		resp  *Response
	)
	err := s.db.WithTx(ctx, func(tx *gorm.DB) error {
		state, resp = Started, nil
		now := s.now()
		if err := tx.Where("expires_at < ?", now).Delete(&Row{}).Error; err != nil {
			return err
		}
		if err := tx.Where("user_id = ? AND idem_key = ? AND status = 0 AND created_at < ?", userID, key, now.Add(-StaleAfter)).
			Delete(&Row{}).Error; err != nil {
			return err
		}
		row := Row{UserID: userID, Key: key, Scope: scope, RequestHash: hash, Headers: "{}", CreatedAt: now, ExpiresAt: now.Add(TTL)}
		res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&row)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 1 {
			return nil
		}
		var prev Row
		if err := tx.Take(&prev, "user_id = ? AND idem_key = ?", userID, key).Error; err != nil {
			return err
		}
		switch {
		case prev.Scope != scope || prev.RequestHash != hash:
			state = Mismatch
		case prev.Status == 0:
			state = InProgress
		default:
			r := Response{Status: prev.Status, Body: prev.Body}
			if err := json.Unmarshal([]byte(prev.Headers), &r.Headers); err != nil {
				return fmt.Errorf("idempotency: stored headers: %w", err)
			}
			state, resp = Replay, &r
		}
		return nil
	})
	if err != nil {
		return 0, nil, fmt.Errorf("idempotency: claim key: %w", err)
	}
	return state, resp, nil
}

// Finish stores the response of the request that holds key.
func (s *Store) Finish(ctx context.Context, userID, key string, r Response) error {
	hdr, err := json.Marshal(r.Headers)
	if err != nil {
		return fmt.Errorf("idempotency: headers: %w", err)
	}
	if r.Status == 0 {
		return errors.New("idempotency: finish without a status")
	}
	err = s.db.WithTx(ctx, func(tx *gorm.DB) error {
		return tx.Model(&Row{}).Where("user_id = ? AND idem_key = ? AND status = 0", userID, key).
			Updates(map[string]any{"status": r.Status, "headers": string(hdr), "body": r.Body}).Error
	})
	if err != nil {
		return fmt.Errorf("idempotency: store response: %w", err)
	}
	return nil
}

// Abandon releases key after a request that changed nothing the client
// could not retry (a server error): the next request with it runs afresh.
func (s *Store) Abandon(ctx context.Context, userID, key string) error {
	err := s.db.WithTx(ctx, func(tx *gorm.DB) error {
		return tx.Where("user_id = ? AND idem_key = ? AND status = 0", userID, key).Delete(&Row{}).Error
	})
	if err != nil {
		return fmt.Errorf("idempotency: release key: %w", err)
	}
	return nil
}
