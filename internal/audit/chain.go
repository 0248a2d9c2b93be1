package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// GenesisHash is the prev_hash of the first entry.
const GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

// TimeFormat is how entry times are stored and hashed: UTC, microseconds,
// fixed width, so text order is time order on both databases.
const TimeFormat = "2006-01-02T15:04:05.000000Z"

// Row is an entry as stored: the chained form of an Entry.
type Row struct {
	Seq        int64  `gorm:"column:seq;primaryKey;autoIncrement:false" json:"seq"`
	At         string `gorm:"column:at" json:"at"`
	ActorID    string `gorm:"column:actor_id" json:"actor_id"`
	ActorRole  string `gorm:"column:actor_role" json:"actor_role"`
	Action     string `gorm:"column:action" json:"action"`
	ObjectType string `gorm:"column:object_type" json:"object_type"`
	ObjectID   string `gorm:"column:object_id" json:"object_id"`
	CaseID     string `gorm:"column:case_id" json:"case_id"`
	ClientIP   string `gorm:"column:client_ip" json:"client_ip"`
	RequestID  string `gorm:"column:request_id" json:"request_id"`
	Outcome    string `gorm:"column:outcome" json:"outcome"`
	Details    string `gorm:"column:details" json:"details"`
	PrevHash   string `gorm:"column:prev_hash" json:"prev_hash"`
	Hash       string `gorm:"column:hash" json:"hash"`
}

// TableName is the audit table.
func (Row) TableName() string { return "audit_log" }

// canonical is the byte encoding that is hashed: a JSON array of the fields
// in a fixed order (json.Marshal of strings and numbers is deterministic).
// json.Marshal would turn every invalid UTF-8 byte into U+FFFD, so two
// different values could encode alike; a field that is not valid UTF-8 is
// therefore encoded as {"b64": its bytes}, which no valid string encodes to.
func (r *Row) canonical() []byte {
	f := func(s string) any {
		if utf8.ValidString(s) {
			return s
		}
		return map[string][]byte{"b64": []byte(s)}
	}
	b, err := json.Marshal([]any{
		r.Seq, f(r.At), f(r.ActorID), f(r.ActorRole), f(r.Action), f(r.ObjectType), f(r.ObjectID),
		f(r.CaseID), f(r.ClientIP), f(r.RequestID), f(r.Outcome), f(r.Details),
	})
	if err != nil {
		panic(fmt.Sprintf("audit: canonical encoding: %v", err)) // strings and ints always encode
	}
	return b
}

// ComputeHash returns SHA-256(prev_hash || canonical(entry)) in lowercase hex.
func (r *Row) ComputeHash() string {
	h := sha256.New()
	h.Write([]byte(r.PrevHash))
	h.Write(r.canonical())
	return hex.EncodeToString(h.Sum(nil))
}

// FormatTime formats t as stored in the log.
func FormatTime(t time.Time) string { return t.UTC().Truncate(time.Microsecond).Format(TimeFormat) }

// secretKeys are substrings of detail keys whose values are never stored.
var secretKeys = []string{"password", "passwd", "token", "secret", "totp_code", "recovery", "private"}

// encodeDetails returns the canonical JSON of details with secret-looking
// values replaced by "[redacted]" (defence in depth: callers must not pass them).
func encodeDetails(d map[string]any) (string, error) {
	if len(d) == 0 {
		return "{}", nil
	}
	clean := make(map[string]any, len(d))
	for k, v := range d {
		lk := strings.ToLower(k)
		for _, s := range secretKeys {
			if strings.Contains(lk, s) {
				v = "[redacted]"
				break
			}
		}
		clean[k] = v
	}
	b, err := json.Marshal(clean) // map keys are sorted: canonical
	if err != nil {
		return "", fmt.Errorf("audit details: %w", err)
	}
	return string(b), nil
}
