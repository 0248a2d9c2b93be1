package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/notify/schedule"
	"github.com/habeas-org/habeas/internal/record"
)

// E-mail modes.
const (
	EmailImmediate = "immediate"
	EmailDaily     = "daily"
	EmailOff       = "off"
)

// QuietHours are the hours in the user's time zone when no e-mail is sent
// (held until End). Start may be after End (the range wraps midnight).
type QuietHours struct {
	Start string `json:"start"`
	End   string `json:"end"`
}

// RuleSetting is a user's choice for one rule.
type RuleSetting struct {
	Rule  Rule `json:"rule"`
	Inbox bool `json:"inbox"`
	Email bool `json:"email"`
	Days  *int `json:"days"`
}

// Settings are a user's notification settings (GET and PUT
// /me/notification-settings).
type Settings struct {
	Language       string        `json:"language"`
	TimeZone       string        `json:"time_zone"`
	EmailMode      string        `json:"email_mode"`
	DigestHour     int           `json:"digest_hour"`
	QuietHours     *QuietHours   `json:"quiet_hours"`
	EmailAddress   string        `json:"email_address"`
	EmailAvailable bool          `json:"email_available"`
	Rules          []RuleSetting `json:"rules"`
}

// SettingsInput is the body of PUT /me/notification-settings: every field
// optional (absent: unchanged); rules lists only the rules to change.
type SettingsInput struct {
	Language   *string         `json:"language"`
	TimeZone   *string         `json:"time_zone"`
	EmailMode  *string         `json:"email_mode"`
	DigestHour *int            `json:"digest_hour"`
	QuietHours json.RawMessage `json:"quiet_hours"`
	Rules      []RuleSetting   `json:"rules"`
}

// settingsRow is a row of notification_settings.
type settingsRow struct {
	UserID       string `gorm:"primaryKey"`
	Language     string
	TimeZone     string
	EmailMode    string
	DigestHour   int
	QuietStart   string
	QuietEnd     string
	Rules        string
	LastDigestAt *time.Time
	UpdatedAt    time.Time
}

func (settingsRow) TableName() string { return "notification_settings" }

// ruleChoice is a stored rule override.
type ruleChoice struct {
	Inbox bool `json:"inbox"`
	Email bool `json:"email"`
	Days  int  `json:"days,omitempty"`
}

// prefs are a user's effective settings, as the scanner and the delivery
// jobs use them.
type prefs struct {
	row   settingsRow
	rules map[Rule]ruleChoice
	loc   *time.Location
}

func defaultRow(userID string) settingsRow {
	return settingsRow{UserID: userID, Language: "en", TimeZone: "UTC", EmailMode: EmailImmediate, DigestHour: 8, Rules: "{}"}
}

// prefsOf makes the effective settings of a stored row (defaults for rules
// the user did not change).
func prefsOf(r settingsRow) prefs {
	p := prefs{row: r, rules: map[Rule]ruleChoice{}}
	var stored map[Rule]ruleChoice
	_ = json.Unmarshal([]byte(r.Rules), &stored) // written by this package; a bad row means defaults
	for _, s := range Rules {
		c := ruleChoice{Inbox: s.Inbox, Email: s.Email, Days: s.Days}
		if v, ok := stored[s.Rule]; ok {
			c.Inbox, c.Email = v.Inbox, v.Email
			if s.Days > 0 && v.Days >= 1 && v.Days <= MaxDays {
				c.Days = v.Days
			}
		}
		p.rules[s.Rule] = c
	}
	loc, err := time.LoadLocation(r.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	p.loc = loc
	return p
}

// loadPrefs reads the settings of the users ids (defaults for those with no row).
func loadPrefs(tx *gorm.DB, ids []string) (map[string]prefs, error) {
	out := map[string]prefs{}
	for lo := 0; lo < len(ids); lo += 500 {
		var rows []settingsRow
		if err := tx.Where("user_id IN ?", ids[lo:min(lo+500, len(ids))]).Find(&rows).Error; err != nil {
			return nil, fmt.Errorf("notify: load settings: %w", err)
		}
		for _, r := range rows {
			out[r.UserID] = prefsOf(r)
		}
	}
	for _, id := range ids {
		if _, ok := out[id]; !ok {
			out[id] = prefsOf(defaultRow(id))
		}
	}
	return out, nil
}

// inQuiet reports whether t falls in the quiet hours start-end in loc and,
// if so, when they end (internal/notify/schedule: DST-safe).
func inQuiet(t time.Time, loc *time.Location, start, end string) (bool, time.Time) {
	q, err := schedule.ParseQuietHours(start, end)
	if start == "" || err != nil || !q.Contains(t, loc) {
		return false, t
	}
	return true, q.Release(t, loc).UTC()
}

// Settings returns p's notification settings.
func (s *Service) Settings(ctx context.Context, p *actor.Principal) (Settings, error) {
	return record.Read(ctx, s.Kit, p, func(tx *gorm.DB) (Settings, error) {
		return s.settingsOf(tx, p)
	})
}

func (s *Service) settingsOf(tx *gorm.DB, p *actor.Principal) (Settings, error) {
	row := defaultRow(p.UserID)
	if err := tx.Where("user_id = ?", p.UserID).Limit(1).Find(&row).Error; err != nil {
		return Settings{}, fmt.Errorf("notify: read settings: %w", err)
	}
	pr := prefsOf(row)
	var email string
	if err := tx.Table("users").Select("email").Where("id = ?", p.UserID).Scan(&email).Error; err != nil {
		return Settings{}, fmt.Errorf("notify: read user: %w", err)
	}
	out := Settings{Language: row.Language, TimeZone: row.TimeZone, EmailMode: row.EmailMode, DigestHour: row.DigestHour,
		EmailAddress: email, EmailAvailable: s.mailer != nil, Rules: []RuleSetting{}}
	if row.QuietStart != "" {
		out.QuietHours = &QuietHours{Start: row.QuietStart, End: row.QuietEnd}
	}
	for _, spec := range Rules {
		if spec.AdminOnly && p.Role != actor.Admin {
			continue
		}
		c := pr.rules[spec.Rule]
		rs := RuleSetting{Rule: spec.Rule, Inbox: c.Inbox, Email: c.Email}
		if spec.Days > 0 {
			d := c.Days
			rs.Days = &d
		}
		out.Rules = append(out.Rules, rs)
	}
	return out, nil
}

// UpdateSettings changes p's settings; every field is checked before
// anything is stored (400 naming the field). Audited as
// notification.settings.update.
func (s *Service) UpdateSettings(ctx context.Context, p *actor.Principal, in SettingsInput) (Settings, error) {
	return record.Write(ctx, s.Kit, p, func(tx *gorm.DB) (Settings, error) {
		row := defaultRow(p.UserID)
		if err := tx.Where("user_id = ?", p.UserID).Limit(1).Find(&row).Error; err != nil {
			return Settings{}, fmt.Errorf("notify: read settings: %w", err)
		}
		var stored map[Rule]ruleChoice
		_ = json.Unmarshal([]byte(row.Rules), &stored)
		if stored == nil {
			stored = map[Rule]ruleChoice{}
		}
		fields := map[string]string{}
		changed := []string{}
		if in.Language != nil {
			switch *in.Language {
			case "en", "zh-Hans":
				row.Language = *in.Language
				changed = append(changed, "language")
			default:
				fields["language"] = "one of en, zh-Hans"
			}
		}
		if in.TimeZone != nil {
			if _, err := schedule.LoadZone("time_zone", *in.TimeZone); err != nil {
				mergeFields(fields, err)
			} else {
				row.TimeZone = *in.TimeZone
				changed = append(changed, "time_zone")
			}
		}
		if in.EmailMode != nil {
			switch *in.EmailMode {
			case EmailImmediate, EmailDaily, EmailOff:
				row.EmailMode = *in.EmailMode
				changed = append(changed, "email_mode")
			default:
				fields["email_mode"] = "one of immediate, daily, off"
			}
		}
		if in.DigestHour != nil {
			if err := schedule.ValidateDigestHour("digest_hour", *in.DigestHour); err != nil {
				mergeFields(fields, err)
			} else {
				row.DigestHour = *in.DigestHour
				changed = append(changed, "digest_hour")
			}
		}
		if len(in.QuietHours) > 0 {
			var q *QuietHours
			if err := json.Unmarshal(in.QuietHours, &q); err != nil {
				fields["quiet_hours"] = "an object {start, end} of times HH:MM, or null for none"
				q = &QuietHours{Start: "x"}
			}
			switch {
			case fields["quiet_hours"] != "":
			case q == nil:
				row.QuietStart, row.QuietEnd = "", ""
				changed = append(changed, "quiet_hours")
			default:
				if _, err := schedule.ParseQuietHours(q.Start, q.End); err != nil {
					mergeFields(fields, err)
				} else if q.Start == q.End {
					fields["quiet_hours.end"] = "must differ from the start (for no quiet hours send null)"
				} else {
					row.QuietStart, row.QuietEnd = q.Start, q.End
					changed = append(changed, "quiet_hours")
				}
			}
		}
		seen := map[Rule]bool{}
		for i, r := range in.Rules {
			f := fmt.Sprintf("rules[%d]", i)
			spec, ok := Spec(r.Rule)
			if !ok || (spec.AdminOnly && p.Role != actor.Admin) {
				fields[f+".rule"] = "not a notification rule of this account"
				continue
			}
			if seen[r.Rule] {
				fields[f+".rule"] = "listed twice"
				continue
			}
			seen[r.Rule] = true
			c := ruleChoice{Inbox: r.Inbox, Email: r.Email}
			switch {
			case r.Days != nil && spec.Days == 0:
				fields[f+".days"] = "this rule has no look-ahead: leave it null"
				continue
			case r.Days != nil && (*r.Days < 1 || *r.Days > MaxDays):
				fields[f+".days"] = fmt.Sprintf("between 1 and %d", MaxDays)
				continue
			case r.Days != nil:
				c.Days = *r.Days
			case spec.Days > 0:
				c.Days = stored[r.Rule].Days
			}
			stored[r.Rule] = c
		}
		if len(in.Rules) > 0 {
			changed = append(changed, "rules")
		}
		if len(fields) > 0 {
			return Settings{}, apperr.Invalid("validation_failed", "the request has invalid fields", fields)
		}
		b, err := json.Marshal(stored)
		if err != nil {
			return Settings{}, fmt.Errorf("notify: encode rules: %w", err)
		}
		row.Rules, row.UpdatedAt = string(b), s.Now()
		if err := tx.Clauses(clause.OnConflict{UpdateAll: true}).Create(&row).Error; err != nil {
			return Settings{}, fmt.Errorf("notify: save settings: %w", err)
		}
		if err := s.Record(ctx, tx, p, audit.Entry{Action: "notification.settings.update", ObjectType: "user", ObjectID: p.UserID,
			Details: map[string]any{"fields": changed}}); err != nil {
			return Settings{}, err
		}
		return s.settingsOf(tx, p)
	})
}

// mergeFields copies the field messages of an apperr validation error into fields.
func mergeFields(fields map[string]string, err error) {
	var ae *apperr.Error
	if errors.As(err, &ae) {
		for k, v := range ae.Fields {
			fields[k] = v
		}
	}
}
