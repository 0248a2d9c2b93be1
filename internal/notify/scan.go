package notify

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/metrics"
	"github.com/habeas-org/habeas/internal/record"
)

// candidate is something the record says is due or happened, before its
// recipients are known.
type candidate struct {
	key                          string // event key, the same for every recipient
	rule                         Rule
	objectType, objectID, caseID string
	subject                      string
	dueAt                        string
	// due is when it falls due, for the rules with a look-ahead (the
	// recipient's days decide); zero for the others.
	due time.Time
	// class is the time-limit index class the recipient must read ("" any).
	class string
	// users are the recipients when the rule names them (support actions,
	// the admin rules); nil: the case's recipients.
	users []string
	// after: followers who started following after this are left out.
	after time.Time
	// followersOnly: only the case's followers (new events).
	followersOnly bool
	// author is left out (a user is not told of their own event).
	author string
}

// eventRow is a row of notification_events.
type eventRow struct {
	Key        string `gorm:"primaryKey"`
	Rule       string
	ObjectType string
	ObjectID   string
	CaseID     string
	CreatedAt  time.Time
}

func (eventRow) TableName() string { return "notification_events" }

// outboxRow is a row of notification_outbox.
type outboxRow struct {
	ID             string `gorm:"primaryKey"`
	Channel        string
	IdempotencyKey string
	UserID         string
	Rule           string
	Payload        string
	State          string
	Attempts       int
	LastError      string
	CreatedAt      time.Time
	SentAt         *time.Time
}

func (outboxRow) TableName() string { return "notification_outbox" }

// outboxPayload is what an outbox row delivers.
type outboxPayload struct {
	Notifications []string `json:"notifications,omitempty"`
	Events        []string `json:"events,omitempty"`
	Digest        bool     `json:"digest,omitempty"`
}

// user is a recipient as the scanner and the deliveries see them.
type user struct {
	ID       string
	Email    string
	Role     string
	Disabled bool
}

// ScanReport says what a scan did.
type ScanReport struct {
	Candidates    int
	Notifications int
	Emails        int
	Webhooks      int
}

// Scan reads the record as of now and writes every notification that is
// due and not yet written, with its e-mails and webhook posts and their
// delivery jobs, in one transaction. Running it twice, or in two processes
// at once, writes each notification once (unique keys).
func (s *Service) Scan(ctx context.Context) (ScanReport, error) {
	var rep ScanReport
	if s.refresh != nil {
		if err := s.refresh(ctx); err != nil {
			return rep, fmt.Errorf("notify: refresh time limits: %w", err)
		}
	}
	now := s.Now()
	var cands []candidate
	err := s.DB.ReadTx(ctx, func(tx *gorm.DB) error {
		var err error
		cands, err = s.candidates(tx, now)
		return err
	})
	if err != nil {
		return rep, err
	}
	rep.Candidates = len(cands)
	if len(cands) == 0 {
		return rep, nil
	}
	err = s.DB.WithTx(ctx, func(tx *gorm.DB) error {
		r, err := s.write(ctx, tx, now, cands)
		rep.Notifications, rep.Emails, rep.Webhooks = r.Notifications, r.Emails, r.Webhooks
		return err
	})
	if err == nil {
		metrics.Notifications.WithLabelValues("inbox", "created").Add(float64(rep.Notifications))
	}
	return rep, err
}

// engaged is the subquery of the cases someone is notified about: those
// with a follower or an active assignment of a lawyer who is a user.
const engaged = `(SELECT case_id FROM case_follows UNION SELECT ea.case_id FROM assignments ea JOIN lawyers el ON el.id = ea.lawyer_id` +
	` WHERE ea.status = 'active' AND el.user_id IS NOT NULL)`

func day(t time.Time) string { return t.UTC().Format("2006-01-02") }

// candidates reads what is due or happened, rule by rule.
func (s *Service) candidates(tx *gorm.DB, now time.Time) ([]candidate, error) {
	var out []candidate
	stampFmt := "2006-01-02T15:04:05Z"

	// Time limits: due within the largest look-ahead, or newly overdue.
	var dl []struct {
		ID, Class, CaseID, Rule, Status, DueAt string
	}
	if err := tx.Table("deadline_items").Select("id, class, case_id, rule, status, due_at").
		Where("status IN ? AND due_at <> '' AND due_at >= ? AND due_at <= ?", []string{"pending", "overdue", "overdue_unless_extended"},
			now.AddDate(0, 0, -overdueLookbackDays).Format(stampFmt), now.AddDate(0, 0, MaxDays).Format(stampFmt)).
		Where("case_id IN " + engaged).Find(&dl).Error; err != nil {
		return nil, fmt.Errorf("notify: read time limits: %w", err)
	}
	for _, d := range dl {
		due, err := time.Parse(stampFmt, d.DueAt)
		if err != nil {
			continue
		}
		c := candidate{objectType: "deadline", objectID: d.ID, caseID: d.CaseID, dueAt: d.DueAt, class: d.Class}
		switch {
		case d.Status == "pending" && due.After(now):
			c.rule, c.due = DeadlineDue, due
		case d.Status != "pending" && !due.After(now):
			c.rule = DeadlineOverdue
		default:
			continue
		}
		// The key holds the class-free item and its due time: a new due
		// time is a new notice; both classes of one item are one event.
		item := d.ID
		if i := strings.IndexByte(item, ':'); i >= 0 {
			item = item[i+1:]
		}
		c.key = c.rule + ":" + item + ":" + d.DueAt
		out = append(out, c)
	}

	// Hearings tomorrow in the court's time zone.
	var hs []struct {
		ID, CaseID, TimeZone string
		ScheduledAt          time.Time
	}
	if err := tx.Table("hearings").Select("id, case_id, time_zone, scheduled_at").
		Where("status = 'scheduled' AND scheduled_at > ? AND scheduled_at <= ?", now, now.Add(49*time.Hour)).
		Where("case_id IN " + engaged).Find(&hs).Error; err != nil {
		return nil, fmt.Errorf("notify: read hearings: %w", err)
	}
	for _, h := range hs {
		loc, err := time.LoadLocation(h.TimeZone)
		if err != nil {
			loc = time.UTC
		}
		tomorrow := now.In(loc).AddDate(0, 0, 1)
		at := h.ScheduledAt.In(loc)
		if at.Year() != tomorrow.Year() || at.YearDay() != tomorrow.YearDay() {
			continue
		}
		out = append(out, candidate{key: fmt.Sprintf("%s:%s:%d", HearingTomorrow, h.ID, h.ScheduledAt.Unix()), rule: HearingTomorrow,
			objectType: "hearing", objectID: h.ID, caseID: h.CaseID, dueAt: h.ScheduledAt.UTC().Format(time.RFC3339)})
	}

	// Support actions: newly assigned to a user; due or overdue.
	var sa []struct {
		ID, CaseID, Status, DueAt string
		AssigneeUserID            string
		UpdatedAt                 time.Time
	}
	open := []string{"proposed", "assigned", "in_progress", "submitted", "response_received"}
	if err := tx.Table("support_actions").Select("id, case_id, status, due_at, assignee_user_id, updated_at").
		Where("assignee_user_id IS NOT NULL AND status IN ?", open).
		Where("updated_at >= ? OR (due_at <> '' AND due_at >= ? AND due_at <= ?)", now.Add(-eventLookbackHours*time.Hour),
			day(now.AddDate(0, 0, -overdueLookbackDays)), day(now.AddDate(0, 0, MaxDays))).Find(&sa).Error; err != nil {
		return nil, fmt.Errorf("notify: read support actions: %w", err)
	}
	for _, a := range sa {
		base := candidate{objectType: "support_action", objectID: a.ID, caseID: a.CaseID, users: []string{a.AssigneeUserID}}
		if !a.UpdatedAt.Before(now.Add(-eventLookbackHours * time.Hour)) {
			c := base
			c.rule, c.key = SupportAssigned, SupportAssigned+":"+a.ID+":"+a.AssigneeUserID
			out = append(out, c)
		}
		if a.DueAt == "" {
			continue
		}
		due, err := time.ParseInLocation("2006-01-02", a.DueAt, time.UTC)
		if err != nil {
			continue
		}
		c := base
		c.rule, c.dueAt = SupportDue, a.DueAt
		if due.Before(now.Truncate(24 * time.Hour)) {
			if due.Before(now.AddDate(0, 0, -overdueLookbackDays)) {
				continue
			}
			c.key = SupportDue + ":" + a.ID + ":" + a.DueAt + ":overdue"
		} else {
			c.key, c.due = SupportDue+":"+a.ID+":"+a.DueAt, due
		}
		out = append(out, c)
	}

	// UN reply clocks.
	var un []struct{ ID, CaseID, ReplyDueAt string }
	if err := tx.Table("un_communications").Select("id, case_id, reply_due_at").
		Where("deleted_at IS NULL AND replied_at = '' AND reply_due_at <> '' AND reply_due_at >= ? AND reply_due_at <= ?",
			day(now.AddDate(0, 0, -overdueLookbackDays)), day(now.AddDate(0, 0, unReplyAheadDays))).
		Where("case_id IN " + engaged).Find(&un).Error; err != nil {
		return nil, fmt.Errorf("notify: read UN communications: %w", err)
	}
	for _, u := range un {
		out = append(out, candidate{key: UNReplyDue + ":" + u.ID + ":" + u.ReplyDueAt, rule: UNReplyDue, objectType: "un_communication",
			objectID: u.ID, caseID: u.CaseID, dueAt: u.ReplyDueAt})
	}

	// Expected releases: within 30 days, or passed with no release recorded.
	var rel []struct{ Class, CaseID, ReleaseAt, Earliest, Latest string }
	if err := tx.Table("release_items").Select("class, case_id, release_at, earliest, latest").
		Where("earliest <= ?", day(now.AddDate(0, 0, releaseAheadDays))).
		Where("case_id IN " + engaged).Find(&rel).Error; err != nil {
		return nil, fmt.Errorf("notify: read releases: %w", err)
	}
	for _, r := range rel {
		rule := ReleaseExpected
		if r.Latest < day(now) {
			rule = ReleaseUnrecorded
		}
		out = append(out, candidate{key: rule + ":" + r.CaseID + ":" + r.ReleaseAt, rule: rule, objectType: "release", objectID: r.CaseID,
			caseID: r.CaseID, dueAt: r.ReleaseAt, class: r.Class})
	}

	// New events of followed cases.
	var evs []struct {
		ID, CaseID, CreatedBy string
		CreatedAt             time.Time
	}
	if err := tx.Table("case_events").Select("id, case_id, created_by, created_at").
		Where("deleted_at IS NULL AND created_at >= ? AND case_id IN (SELECT case_id FROM case_follows)", now.Add(-eventLookbackHours*time.Hour)).
		Find(&evs).Error; err != nil {
		return nil, fmt.Errorf("notify: read events: %w", err)
	}
	for _, e := range evs {
		out = append(out, candidate{key: CaseEvent + ":" + e.ID, rule: CaseEvent, objectType: "case_event", objectID: e.ID, caseID: e.CaseID,
			followersOnly: true, after: e.CreatedAt, author: e.CreatedBy})
	}

	// Admin rules, from the audit trail.
	var admins []string
	if err := tx.Table("users").Where("role = 'admin' AND disabled = ?", false).Pluck("id", &admins).Error; err != nil {
		return nil, fmt.Errorf("notify: read admins: %w", err)
	}
	var au []struct {
		Seq                                       int64
		Action, ObjectType, ObjectID, CaseID, Out string
	}
	if err := tx.Table("audit_log").Select("seq, action, object_type, object_id, case_id, outcome AS out").
		Where("action IN ? AND at >= ?", []string{"auth.lockout", "evidence.verify", "backup.create", "evidence.reconcile"},
			now.Add(-eventLookbackHours*time.Hour).Format(audit.TimeFormat)).
		Where("(action = 'auth.lockout' OR outcome = ?)", string(audit.Failed)).Find(&au).Error; err != nil {
		return nil, fmt.Errorf("notify: read the audit trail: %w", err)
	}
	for _, a := range au {
		c := candidate{key: fmt.Sprintf("audit:%d", a.Seq), users: admins, caseID: a.CaseID}
		switch a.Action {
		case "auth.lockout":
			c.rule, c.objectType, c.objectID = AccountLocked, "user", a.ObjectID
		case "evidence.verify":
			c.rule, c.objectType, c.objectID = EvidenceIntegrity, "evidence", a.ObjectID
		default:
			c.rule, c.objectType, c.objectID = OperationsFailed, "system", a.Action
		}
		out = append(out, c)
	}
	return out, nil
}

// write inserts, in tx, the events, notifications, outbox rows and jobs of
// cands that are not written yet.
func (s *Service) write(ctx context.Context, tx *gorm.DB, now time.Time, cands []candidate) (ScanReport, error) {
	var rep ScanReport
	// Recipients of case rules: followers and lawyers holding the case.
	caseIDs := map[string]bool{}
	for _, c := range cands {
		if c.users == nil && c.caseID != "" {
			caseIDs[c.caseID] = true
		}
	}
	ids := keys(caseIDs)
	type cu struct {
		CaseID, UserID string
		Since          *time.Time
	}
	followers := map[string][]cu{}
	holders := map[string][]cu{}
	for lo := 0; lo < len(ids); lo += 500 {
		part := ids[lo:min(lo+500, len(ids))]
		var f []cu
		if err := tx.Table("case_follows").Select("case_id, user_id, created_at AS since").Where("case_id IN ?", part).Find(&f).Error; err != nil {
			return rep, fmt.Errorf("notify: read followers: %w", err)
		}
		for _, x := range f {
			followers[x.CaseID] = append(followers[x.CaseID], x)
		}
		var h []cu
		if err := tx.Table("assignments a").Select("a.case_id, l.user_id").Joins("JOIN lawyers l ON l.id = a.lawyer_id").
			Where("a.status = 'active' AND l.user_id IS NOT NULL AND a.case_id IN ?", part).Find(&h).Error; err != nil {
			return rep, fmt.Errorf("notify: read assigned lawyers: %w", err)
		}
		for _, x := range h {
			holders[x.CaseID] = append(holders[x.CaseID], x)
		}
	}
	// Case titles (the subject shown in the inbox).
	titles := map[string]string{}
	for lo := 0; lo < len(ids); lo += 500 {
		var t []struct{ ID, Title string }
		if err := tx.Table("cases").Select("id, title").Where("id IN ?", ids[lo:min(lo+500, len(ids))]).Find(&t).Error; err != nil {
			return rep, fmt.Errorf("notify: read case titles: %w", err)
		}
		for _, x := range t {
			titles[x.ID] = x.Title
		}
	}
	// Every recipient, with their settings.
	var pairs []pair
	userIDs := map[string]bool{}
	for i := range cands {
		c := &cands[i]
		var us []string
		switch {
		case c.users != nil:
			us = c.users
		default:
			seen := map[string]bool{}
			for _, f := range followers[c.caseID] {
				if c.followersOnly && f.Since != nil && f.Since.After(c.after) {
					continue
				}
				if !seen[f.UserID] {
					seen[f.UserID] = true
					us = append(us, f.UserID)
				}
			}
			if !c.followersOnly {
				for _, h := range holders[c.caseID] {
					if !seen[h.UserID] {
						seen[h.UserID] = true
						us = append(us, h.UserID)
					}
				}
			}
		}
		for _, u := range us {
			if u == "" || u == c.author {
				continue
			}
			pairs = append(pairs, pair{c, u})
			userIDs[u] = true
		}
	}
	uids := keys(userIDs)
	users := map[string]user{}
	for lo := 0; lo < len(uids); lo += 500 {
		var us []user
		if err := tx.Table("users").Select("id, email, role, disabled").Where("id IN ?", uids[lo:min(lo+500, len(uids))]).Find(&us).Error; err != nil {
			return rep, fmt.Errorf("notify: read users: %w", err)
		}
		for _, u := range us {
			users[u.ID] = u
		}
	}
	pr, err := loadPrefs(tx, uids)
	if err != nil {
		return rep, err
	}
	// Keep the pairs the user wants and may read.
	var keep []pair
	for _, p := range pairs {
		u, ok := users[p.u]
		if !ok || u.Disabled {
			continue
		}
		spec, _ := Spec(p.c.rule)
		if spec.AdminOnly && u.Role != string(actor.Admin) {
			continue
		}
		if p.c.class != "" && p.c.class != classOf(actor.Role(u.Role)) {
			continue
		}
		ch := pr[p.u].rules[p.c.rule]
		if !ch.Inbox && !ch.Email {
			continue
		}
		if !p.c.due.IsZero() && p.c.due.After(now.AddDate(0, 0, ch.Days)) {
			continue // not yet within this user's look-ahead
		}
		keep = append(keep, p)
	}
	// Events: insert those not written yet (for the webhook, once).
	events := map[string]*candidate{}
	for i := range cands {
		if _, ok := events[cands[i].key]; !ok {
			events[cands[i].key] = &cands[i]
		}
	}
	existing := map[string]bool{}
	evKeys := keys(events)
	for lo := 0; lo < len(evKeys); lo += 500 {
		var have []string
		if err := tx.Table("notification_events").Where("key IN ?", evKeys[lo:min(lo+500, len(evKeys))]).Pluck("key", &have).Error; err != nil {
			return rep, fmt.Errorf("notify: read events: %w", err)
		}
		for _, k := range have {
			existing[k] = true
		}
	}
	newByRule := map[Rule][]string{}
	for _, k := range evKeys {
		if existing[k] {
			continue
		}
		c := events[k]
		// An event no one is told about yet is still written when it goes
		// to the webhook; else it waits for a recipient (a lawyer assigned
		// later, a longer look-ahead).
		spec, _ := Spec(c.rule)
		if !spec.Webhook && !hasPair(keep, k) {
			continue
		}
		res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&eventRow{Key: k, Rule: c.rule, ObjectType: c.objectType,
			ObjectID: c.objectID, CaseID: c.caseID, CreatedAt: now})
		if res.Error != nil {
			return rep, fmt.Errorf("notify: write event: %w", res.Error)
		}
		existing[k] = true
		if res.RowsAffected == 1 && spec.Webhook {
			newByRule[c.rule] = append(newByRule[c.rule], k)
		}
	}
	// Notifications: those not written yet.
	have := map[string]bool{}
	for lo := 0; lo < len(keep); lo += 250 {
		part := keep[lo:min(lo+250, len(keep))]
		q := tx.Table("notifications").Select("user_id, event_key")
		conds := make([]string, 0, len(part))
		args := make([]any, 0, 2*len(part))
		for _, p := range part {
			conds = append(conds, "(user_id = ? AND event_key = ?)")
			args = append(args, p.u, p.c.key)
		}
		var rows []struct{ UserID, EventKey string }
		if err := q.Where(strings.Join(conds, " OR "), args...).Find(&rows).Error; err != nil {
			return rep, fmt.Errorf("notify: read notifications: %w", err)
		}
		for _, r := range rows {
			have[r.UserID+"\x00"+r.EventKey] = true
		}
	}
	var entries []audit.Entry
	immediate := map[string][]string{}
	for _, p := range keep {
		if have[p.u+"\x00"+p.c.key] || !existing[p.c.key] {
			continue
		}
		have[p.u+"\x00"+p.c.key] = true
		prefs := pr[p.u]
		ch := prefs.rules[p.c.rule]
		r := row{ID: record.NewID(), UserID: p.u, EventKey: p.c.key, Rule: p.c.rule, ObjectType: p.c.objectType, ObjectID: p.c.objectID,
			CaseID: p.c.caseID, Subject: titles[p.c.caseID], DueAt: p.c.dueAt, EmailState: "none", CreatedAt: now}
		wantsMail := ch.Email && s.mailer != nil && prefs.row.EmailMode != EmailOff && users[p.u].Email != ""
		if wantsMail {
			if prefs.row.EmailMode == EmailDaily {
				r.EmailState = "digest"
			} else {
				r.EmailState = "queued"
				immediate[p.u] = append(immediate[p.u], r.ID)
			}
		}
		res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&r)
		if res.Error != nil {
			return rep, fmt.Errorf("notify: write notification: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			continue
		}
		rep.Notifications++
		entries = append(entries, audit.Entry{Action: "notification.create", ObjectType: "notification", ObjectID: r.ID, CaseID: r.CaseID,
			ActorRole: "system", Details: map[string]any{"rule": r.Rule, "user_id": r.UserID, "email": r.EmailState}})
	}
	// E-mails sent at once: one per user and scan.
	for _, u := range keys(immediate) {
		if err := s.addOutbox(ctx, tx, now, "email", "email:"+immediate[u][0], u, "", outboxPayload{Notifications: immediate[u]}, now); err != nil {
			return rep, err
		}
		rep.Emails++
	}
	// Webhook posts: one per rule and scan.
	if s.hook != nil {
		for _, rule := range keys(newByRule) {
			ks := newByRule[rule]
			sort.Strings(ks)
			if err := s.addOutbox(ctx, tx, now, "webhook", "webhook:"+ks[0], "", rule, outboxPayload{Events: ks}, now); err != nil {
				return rep, err
			}
			rep.Webhooks++
		}
	}
	if len(entries) > 0 {
		if err := s.recordBatch(ctx, tx, entries); err != nil {
			return rep, err
		}
	}
	return rep, nil
}

// addOutbox writes an outbox row and its delivery job (to run at at).
func (s *Service) addOutbox(ctx context.Context, tx *gorm.DB, now time.Time, channel, key, userID, rule string, p outboxPayload, at time.Time) error {
	b, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("notify: encode outbox: %w", err)
	}
	o := outboxRow{ID: record.NewID(), Channel: channel, IdempotencyKey: key, UserID: userID, Rule: rule, Payload: string(b),
		State: "pending", CreatedAt: now}
	res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&o)
	if res.Error != nil {
		return fmt.Errorf("notify: write outbox: %w", res.Error)
	}
	if res.RowsAffected == 0 || s.queue == nil {
		return nil
	}
	if err := s.queue.EnqueueDelivery(ctx, tx, o.ID, at); err != nil {
		return fmt.Errorf("notify: enqueue delivery: %w", err)
	}
	return nil
}

// recordBatch writes the system's audit entries in tx.
func (s *Service) recordBatch(ctx context.Context, tx *gorm.DB, es []audit.Entry) error {
	if b, ok := s.Audit.(audit.BatchRecorder); ok {
		if err := b.RecordBatch(ctx, tx, es); err != nil {
			return fmt.Errorf("notify: audit: %w", err)
		}
		return nil
	}
	for _, e := range es {
		if err := s.Audit.Record(ctx, tx, e); err != nil {
			return fmt.Errorf("notify: audit: %w", err)
		}
	}
	return nil
}

// classOf is the time-limit index class a role reads (internal/deadlines:
// full for those who read confidential fields, open for observers).
func classOf(r actor.Role) string {
	if r == actor.Observer {
		return "open"
	}
	return "full"
}

// pair is a candidate and one of its recipients.
type pair struct {
	c *candidate
	u string
}

// hasPair reports whether some pair of ps is about the event key.
func hasPair(ps []pair, key string) bool {
	for _, p := range ps {
		if p.c.key == key {
			return true
		}
	}
	return false
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
