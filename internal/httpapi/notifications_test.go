package httpapi_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/cases"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/notify"
	"github.com/habeas-org/habeas/internal/testkit"
	"github.com/habeas-org/habeas/internal/timeline"
)

// notificationRoutes: every signed-in user has an inbox and settings of
// their own; following a case needs sight of the case; the test e-mail is
// for admins (503 here: no SMTP is configured).
func notificationRoutes() []route {
	return []route{
		{"own inbox", "GET", "/notifications", nil, "", always(200), ""},
		{"own unread count", "GET", "/notifications/unread-count", nil, "", always(200), ""},
		{"mark all own notifications read", "POST", "/notifications/read-all", nil, "", always(200), ""},
		{"mark a notification read (not the caller's)", "POST", "/notifications/:id/read", nil, "", always(404), ""},
		{"own notification settings", "GET", "/me/notification-settings", nil, "", always(200), ""},
		{"change own notification settings", "PUT", "/me/notification-settings", func(*env, objects) any {
			return map[string]any{"time_zone": "Asia/Shanghai"}
		}, "", always(200), ""},
		{"following a case?", "GET", "/cases/:id/follow", nil, "", readRule, ""},
		{"follow a case", "PUT", "/cases/:id/follow", nil, "", readRule, ""},
		{"stop following a case", "DELETE", "/cases/:id/follow", nil, "", readRule, ""},
		{"send a test e-mail (no SMTP here)", "POST", "/admin/notifications/test-email", nil, "", adminOnly(503), ""},
	}
}

// fakeMailer records what would have been sent.
type fakeMailer struct {
	mu   sync.Mutex
	sent []notify.Mail
}

func (f *fakeMailer) Send(_ context.Context, m notify.Mail) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sent = append(f.sent, m)
	return nil
}

func (f *fakeMailer) Permanent(error) bool { return false }

// queueDirect runs each delivery at once when its transaction commits
// (the job queue's role, without the queue: the queue has its own tests).
type queueDirect struct {
	mu  sync.Mutex
	ids []string
}

func (q *queueDirect) EnqueueDelivery(_ context.Context, _ *gorm.DB, id string, _ time.Time) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.ids = append(q.ids, id)
	return nil
}

// TestNotificationsScanInboxAndAccess: the scanner writes each notification
// once to the people concerned (assigned lawyer, followers); the inbox shows
// only what its reader may see now (a confidential event is hidden from the
// following observer; an ended assignment takes the case's notifications
// away), and so does the e-mail at delivery; settings refuse bad fields
// naming them and store nothing.
func TestNotificationsScanInboxAndAccess(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		own, foreign := e.fixture(t)
		ctx := context.Background()
		lawyer, obs, other := e.users[rLawA].token, e.users[rObsA].token, e.users[rLawB].token
		do := func(method, path, tok string, body any) *testkit.Response {
			return e.s.Do(testkit.Request{Method: method, Path: "/api/v1" + path, Token: tok, Body: body})
		}
		type inbox struct {
			Items []struct {
				ID, Rule, Link, Subject string
				ObjectType              string  `json:"object_type"`
				CaseID                  *string `json:"case_id"`
				ReadAt                  *string `json:"read_at"`
			}
			Total int
		}
		list := func(tok string) inbox {
			t.Helper()
			var in inbox
			r := do("GET", "/notifications", tok, nil)
			if r.StatusCode != 200 {
				t.Fatalf("inbox: %d %s", r.StatusCode, r.Body)
			}
			r.JSON(t, &in)
			return in
		}
		rules := func(in inbox) map[string]int {
			out := map[string]int{}
			for _, it := range in.Items {
				out[it.Rule]++
			}
			return out
		}
		svc := e.s.App.Notifications
		mail := &fakeMailer{}
		q := &queueDirect{}
		svc.SetChannels(mail, nil, q)

		// Following needs sight of the case.
		if r := do("PUT", "/cases/"+foreign.caseID+"/follow", other, nil); r.StatusCode != 404 {
			t.Fatalf("follow a foreign case: %d", r.StatusCode)
		}
		for _, tok := range []string{lawyer, obs} {
			if r := do("PUT", "/cases/"+own.caseID+"/follow", tok, nil); r.StatusCode != 200 {
				t.Fatalf("follow: %d %s", r.StatusCode, r.Body)
			}
		}
		var f struct{ Following bool }
		do("GET", "/cases/"+own.caseID+"/follow", obs, nil).JSON(t, &f)
		if !f.Following {
			t.Fatal("observer does not follow the case after PUT")
		}
		// What happens on the case: a hearing tomorrow (court's zone), an
		// open event and a confidential one, by the admin.
		sh, _ := time.LoadLocation("Asia/Shanghai")
		tomorrow := time.Now().In(sh).AddDate(0, 0, 1)
		at := time.Date(tomorrow.Year(), tomorrow.Month(), tomorrow.Day(), 9, 30, 0, 0, sh)
		must(e.s.App.Timeline.CreateHearing(ctx, e.admin(), own.caseID, timeline.HearingFields{
			ScheduledAt: ptr(at.Format(time.RFC3339)), TimeZone: ptr("Asia/Shanghai"), Type: ptr("trial")}))
		must(e.s.App.Timeline.CreateEvent(ctx, e.admin(), own.caseID, timeline.EventFields{Type: ptr("meeting_denied"), OccurredAt: ptr("2026-11")}))
		must(e.s.App.Timeline.CreateEvent(ctx, e.admin(), own.caseID, timeline.EventFields{Type: ptr("meeting_denied"), OccurredAt: ptr("2026-11"),
			Confidential: ptr(true)}))
		// The same on the foreign case: nobody here is told.
		must(e.s.App.Timeline.CreateEvent(ctx, e.admin(), foreign.caseID, timeline.EventFields{Type: ptr("meeting_denied"), OccurredAt: ptr("2026-11")}))

		created := auditCount(t, e.s, "notification.create", audit.OK)
		rep, err := svc.Scan(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Notifications == 0 {
			t.Fatalf("scan wrote nothing: %+v", rep)
		}
		if n := auditCount(t, e.s, "notification.create", audit.OK); n-created != rep.Notifications {
			t.Errorf("%d notifications, %d audited", rep.Notifications, n-created)
		}
		again, err := svc.Scan(ctx)
		if err != nil || again.Notifications != 0 {
			t.Fatalf("second scan wrote again: %+v %v", again, err)
		}

		lw := rules(list(lawyer))
		if lw[notify.HearingTomorrow] != 1 || lw[notify.CaseEvent] != 2 {
			t.Errorf("assigned lawyer's inbox: %v (want the hearing and both events)", lw)
		}
		ob := rules(list(obs))
		if ob[notify.CaseEvent] != 1 || ob[notify.HearingTomorrow] != 1 {
			t.Errorf("following observer's inbox: %v (want the hearing and the open event, not the confidential one)", ob)
		}
		if n := list(other); n.Total != 0 {
			t.Errorf("unassigned lawyer has %d notifications", n.Total)
		}
		var uc struct{ Unread int }
		do("GET", "/notifications/unread-count", lawyer, nil).JSON(t, &uc)
		if uc.Unread != 3 {
			t.Errorf("unread %d, want 3", uc.Unread)
		}
		// Mark one read; another user's id is 404.
		li := list(lawyer)
		if r := do("POST", "/notifications/"+li.Items[0].ID+"/read", obs, nil); r.StatusCode != 404 {
			t.Errorf("observer marks the lawyer's notification: %d", r.StatusCode)
		}
		if r := do("POST", "/notifications/"+li.Items[0].ID+"/read", lawyer, nil); r.StatusCode != 204 {
			t.Errorf("mark read: %d %s", r.StatusCode, r.Body)
		}
		do("GET", "/notifications/unread-count", lawyer, nil).JSON(t, &uc)
		if uc.Unread != 2 {
			t.Errorf("unread %d after one read, want 2", uc.Unread)
		}

		// The lawyer loses the case between queueing and delivery: the
		// inbox drops its notifications and the e-mail is withheld.
		if len(q.ids) == 0 {
			t.Fatal("no e-mail queued")
		}
		v := must(e.svc.GetAssignment(ctx, e.admin(), own.caseID, own.assignment))
		must(e.svc.UpdateAssignment(ctx, e.admin(), own.caseID, own.assignment, v.Version, cases.AssignmentFields{Status: ptr("ended")}))
		if n := list(lawyer); n.Total != 0 {
			t.Errorf("lawyer without the case still sees %d notifications about it", n.Total)
		}
		for _, id := range q.ids {
			if _, err := svc.Deliver(ctx, id); err != nil {
				t.Fatal(err)
			}
		}
		var lawyerEmail string
		e.s.App.DB.DB.Table("users").Where("id = ?", e.users[rLawA].p.UserID).Pluck("email", &lawyerEmail)
		for _, m := range mail.sent {
			if m.To == lawyerEmail {
				t.Errorf("e-mail sent to the lawyer who lost the case: %q", m.Subject)
			}
		}
		if len(mail.sent) != 1 {
			t.Errorf("%d e-mails sent, want 1 (the observer's)", len(mail.sent))
		}
		// Delivered once: working the rows again sends nothing.
		for _, id := range q.ids {
			must2b(svc.Deliver(ctx, id))
		}
		if len(mail.sent) != 1 {
			t.Errorf("a second delivery run sent again: %d", len(mail.sent))
		}

		// Settings: bad fields are named, nothing stored.
		before := do("GET", "/me/notification-settings", obs, nil).Body
		for field, body := range map[string]map[string]any{
			"time_zone":         {"time_zone": "Mars/Olympus", "language": "zh-Hans"},
			"quiet_hours.start": {"quiet_hours": map[string]any{"start": "25:00", "end": "07:00"}},
			"digest_hour":       {"digest_hour": 24},
			"email_mode":        {"email_mode": "hourly"},
			"rules[0].days":     {"rules": []map[string]any{{"rule": "deadline_due", "inbox": true, "email": true, "days": 90}}},
			"rules[0].rule":     {"rules": []map[string]any{{"rule": "account_locked", "inbox": true, "email": true}}},
		} {
			r := do("PUT", "/me/notification-settings", obs, body)
			var eb struct{ Fields map[string]string }
			r.JSON(t, &eb)
			if r.StatusCode != 400 || eb.Fields[field] == "" {
				t.Errorf("PUT %v: %d %s (want 400 naming %s)", body, r.StatusCode, r.Body, field)
			}
		}
		if after := do("GET", "/me/notification-settings", obs, nil).Body; string(after) != string(before) {
			t.Errorf("a refused PUT changed the settings:\n%s\n%s", before, after)
		}
		r := do("PUT", "/me/notification-settings", obs, map[string]any{"language": "zh-Hans", "time_zone": "Europe/Berlin",
			"email_mode": "daily", "digest_hour": 7, "quiet_hours": map[string]any{"start": "22:00", "end": "06:30"},
			"rules": []map[string]any{{"rule": "case_event", "inbox": false, "email": false}, {"rule": "deadline_due", "inbox": true, "email": false, "days": 10}}})
		var st notify.Settings
		r.JSON(t, &st)
		if r.StatusCode != 200 || st.Language != "zh-Hans" || st.TimeZone != "Europe/Berlin" || st.EmailMode != "daily" ||
			st.QuietHours == nil || st.QuietHours.End != "06:30" {
			t.Fatalf("PUT settings: %d %s", r.StatusCode, r.Body)
		}
		for _, rs := range st.Rules {
			if rs.Rule == notify.CaseEvent && (rs.Inbox || rs.Email) || rs.Rule == notify.DeadlineDue && (rs.Days == nil || *rs.Days != 10) {
				t.Errorf("rule kept wrong: %+v", rs)
			}
			if rs.Rule == notify.AccountLocked {
				t.Error("an observer's settings list an admin rule")
			}
		}
		// With case_event off, the observer is not told of the next event.
		must(e.s.App.Timeline.CreateEvent(ctx, e.admin(), own.caseID, timeline.EventFields{Type: ptr("meeting_denied"), OccurredAt: ptr("2026-12")}))
		must2b(svc.Scan(ctx))
		if ob := rules(list(obs)); ob[notify.CaseEvent] != 1 || ob[notify.HearingTomorrow] != 1 {
			t.Errorf("case_event off, observer's inbox: %v", ob)
		}
		// Mark all read.
		var mr struct{ Marked int }
		do("POST", "/notifications/read-all", obs, nil).JSON(t, &mr)
		do("GET", "/notifications/unread-count", obs, nil).JSON(t, &uc)
		if mr.Marked != 2 || uc.Unread != 0 {
			t.Errorf("read-all marked %d, unread %d", mr.Marked, uc.Unread)
		}
	})
}

func must2b[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
