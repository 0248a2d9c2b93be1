package httpapi_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/cases"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/notify"
	"github.com/habeas-org/habeas/internal/notify/email"
	"github.com/habeas-org/habeas/internal/support"
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
	sent []email.Message
}

func (f *fakeMailer) Send(_ context.Context, m email.Message) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sent = append(f.sent, m)
	return nil
}

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
		svc.SetChannels(mail, nil)
		svc.SetEnqueuer(q)

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

// TestNotificationRules: each rule fires from the record for the people it
// concerns, each once, within each user's look-ahead: time limits due and
// newly overdue (the index rows), a support action assigned and due, a UN
// reply clock, an expected release and one passed with none recorded, and
// for admins only a locked account and an integrity failure.
func TestNotificationRules(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		own, _ := e.fixture(t)
		ctx := context.Background()
		svc := e.s.App.Notifications
		coord := e.users[rCoord]
		do := func(method, path, tok string, body any) *testkit.Response {
			return e.s.Do(testkit.Request{Method: method, Path: "/api/v1" + path, Token: tok, Body: body})
		}
		inbox := func(tok string) map[string][]string {
			t.Helper()
			var in struct {
				Items []struct {
					Rule     string
					ObjectID string `json:"object_id"`
				}
			}
			r := do("GET", "/notifications?limit=100", tok, nil)
			if r.StatusCode != 200 {
				t.Fatalf("inbox: %d %s", r.StatusCode, r.Body)
			}
			r.JSON(t, &in)
			out := map[string][]string{}
			for _, it := range in.Items {
				out[it.Rule] = append(out[it.Rule], it.ObjectID)
			}
			return out
		}
		// The coordinator follows the case; the lawyer holds it and looks
		// one day ahead only.
		if r := do("PUT", "/cases/"+own.caseID+"/follow", coord.token, nil); r.StatusCode != 200 {
			t.Fatal(r.StatusCode)
		}
		if r := do("PUT", "/me/notification-settings", e.users[rLawA].token, map[string]any{
			"rules": []map[string]any{{"rule": "deadline_due", "inbox": true, "email": true, "days": 1}}}); r.StatusCode != 200 {
			t.Fatalf("%d %s", r.StatusCode, r.Body)
		}
		now := time.Now().UTC()
		stamp := func(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }
		ins := func(sql string, args ...any) {
			t.Helper()
			if err := e.s.App.DB.DB.Exec(sql, args...).Error; err != nil {
				t.Fatal(err)
			}
		}
		// Index rows as the time-limit engine writes them (its own tests
		// cover the computation): due in two days; overdue since yesterday;
		// overdue for a month (before the look-back: not "newly" overdue).
		for _, r := range []struct{ key, status, due string }{
			{"arrest_request/0", "pending", stamp(now.Add(50 * time.Hour))},
			{"indictment/0", "overdue_unless_extended", stamp(now.Add(-20 * time.Hour))},
			{"old/0", "overdue", stamp(now.AddDate(0, -1, 0))},
		} {
			for _, class := range []string{"full", "open"} {
				ins(`INSERT INTO deadline_items (id, class, case_id, item_key, rule, status, due_at, urgency, stage, changes_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, '', '')`,
					class+":"+own.caseID+":"+r.key, class, own.caseID, r.key, r.key, r.status, r.due, "x")
			}
		}
		for _, r := range []struct{ earliest, latest, at string }{
			{now.AddDate(0, 0, 10).Format("2006-01-02"), now.AddDate(0, 0, 10).Format("2006-01-02"), now.AddDate(0, 0, 10).Format("2006-01-02")},
		} {
			ins(`INSERT INTO release_items (id, class, case_id, release_at, earliest, latest) VALUES (?, 'full', ?, ?, ?, ?)`,
				"full:"+own.caseID, own.caseID, r.at, r.earliest, r.latest)
		}
		// A support action assigned to the coordinator, due tomorrow.
		act := must(e.s.App.Support.CreateAction(ctx, e.admin(), own.caseID, support.ActionFields{Type: ptr("demarche"),
			AssigneeUserID: &coord.p.UserID, DueAt: ptr(now.AddDate(0, 0, 1).Format("2006-01-02"))}))
		// A UN communication transmitted 57 days ago: the reply is due in 3 days.
		un := must(e.svc.CreateUNCommunication(ctx, e.admin(), own.caseID, cases.UNCommunicationFields{Kind: ptr("wgad_regular"),
			SubmittedAt: ptr(now.AddDate(0, 0, -60).Format("2006-01-02")), TransmittedAt: ptr(now.AddDate(0, 0, -57).Format("2006-01-02"))}))
		// Admin alerts from the audit trail.
		rec := e.s.App.Audit
		if err := rec.Record(ctx, nil, audit.Entry{Action: "auth.lockout", ObjectType: "user", ObjectID: e.users[rObsB].p.UserID, Outcome: audit.Denied, ActorRole: "system"}); err != nil {
			t.Fatal(err)
		}
		if err := rec.Record(ctx, nil, audit.Entry{Action: "evidence.verify", ObjectType: "evidence", ObjectID: own.evidence, CaseID: own.caseID, Outcome: audit.Failed, ActorRole: "system"}); err != nil {
			t.Fatal(err)
		}
		// Run with the clock now (the deadline index refresh is the engine's).
		svc.SetRefresh(nil)
		if _, err := svc.Scan(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Scan(ctx); err != nil {
			t.Fatal(err)
		}
		c := inbox(coord.token)
		want := map[string]int{notify.DeadlineDue: 1, notify.DeadlineOverdue: 1, notify.SupportAssigned: 1, notify.SupportDue: 1,
			notify.UNReplyDue: 1, notify.ReleaseExpected: 1}
		for rule, n := range want {
			if len(c[rule]) != n {
				t.Errorf("coordinator: %s %d, want %d (inbox %v)", rule, len(c[rule]), n, c)
			}
		}
		if len(c[notify.AccountLocked]) != 0 || len(c[notify.EvidenceIntegrity]) != 0 {
			t.Errorf("coordinator got admin alerts: %v", c)
		}
		if c[notify.SupportDue][0] != act.ID || c[notify.UNReplyDue][0] != un.ID {
			t.Errorf("objects: %v", c)
		}
		l := inbox(e.users[rLawA].token)
		if len(l[notify.DeadlineDue]) != 0 || len(l[notify.DeadlineOverdue]) != 1 || len(l[notify.SupportDue]) != 0 {
			t.Errorf("lawyer (one day ahead, not the assignee): %v", l)
		}
		a := inbox(e.users[rAdmin].token)
		if len(a[notify.AccountLocked]) != 1 || len(a[notify.EvidenceIntegrity]) != 1 {
			t.Errorf("admin alerts: %v", a)
		}
		// The lawyer widens the look-ahead: the time limit reaches them now.
		do("PUT", "/me/notification-settings", e.users[rLawA].token, map[string]any{
			"rules": []map[string]any{{"rule": "deadline_due", "inbox": true, "email": true, "days": 3}}})
		if _, err := svc.Scan(ctx); err != nil {
			t.Fatal(err)
		}
		if l := inbox(e.users[rLawA].token); len(l[notify.DeadlineDue]) != 1 {
			t.Errorf("lawyer after widening: %v", l)
		}
	})
}

// TestNotificationEmailsThroughMailpit: e-mails reach a real SMTP server
// (mailpit, STARTTLS and AUTH) in each user's language, carry counts and a
// link but no name and no confidential text, wait for the daily digest and
// for the end of quiet hours, and are sent once (Message-ID stable).
func TestNotificationEmailsThroughMailpit(t *testing.T) {
	mp := testkit.NewMailpit(t)
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		own, _ := e.fixture(t)
		ctx := context.Background()
		svc := e.s.App.Notifications
		sender, err := email.New(mp.SMTPConfig("Habeas <habeas@example.org>"))
		if err != nil {
			t.Fatal(err)
		}
		q := &queueDirect{}
		svc.SetChannels(sender, nil)
		svc.SetEnqueuer(q)
		// The case title names the detainee; the event is confidential.
		c := must(e.svc.GetCase(ctx, e.admin(), own.caseID))
		must(e.svc.UpdateCase(ctx, e.admin(), own.caseID, c.Version, cases.CaseFields{Title: ptr("丁家喜 Ding Jiaxi subversion case")}))
		users := map[string]*testkit.TestUser{}
		for _, name := range []string{"en", "zh", "digest", "quiet"} {
			u := testkit.CreateUser(t, e.s, actor.Coordinator)
			u.Email = testkit.MailpitAddress(t)
			if err := e.s.App.DB.DB.Exec("UPDATE users SET email = ? WHERE id = ?", u.Email, u.ID).Error; err != nil {
				t.Fatal(err)
			}
			users[name] = u
			p := &actor.Principal{UserID: u.ID, Role: actor.Coordinator}
			must2b(svc.SetFollowing(ctx, p, own.caseID, true))
			in := notify.SettingsInput{Rules: []notify.RuleSetting{{Rule: notify.CaseEvent, Inbox: true, Email: true}}}
			switch name {
			case "zh":
				in.Language = ptr("zh-Hans")
			case "digest":
				in.EmailMode, in.TimeZone, in.DigestHour = ptr("daily"), ptr("Asia/Shanghai"), ptr(8)
			case "quiet":
				now := time.Now().UTC()
				in.TimeZone = ptr("UTC")
				in.QuietHours = []byte(fmt.Sprintf(`{"start": %q, "end": %q}`, now.Add(-time.Hour).Format("15:04"), now.Add(2*time.Hour).Format("15:04")))
			}
			must2b(svc.UpdateSettings(ctx, p, in))
		}
		must(e.s.App.Timeline.CreateEvent(ctx, e.admin(), own.caseID, timeline.EventFields{Type: ptr("meeting_denied"), OccurredAt: ptr("2026-12"),
			Description: ptr("CONFIDENTIAL-MARKER lawyer turned away")}))
		// The digest user's first digest hour starts counting now.
		must2b(svc.Digests(ctx))
		must2b(svc.Scan(ctx))
		deliver := func() (held int) {
			t.Helper()
			ids := q.ids
			q.ids = nil
			for _, id := range ids {
				later, err := svc.Deliver(ctx, id)
				if err != nil {
					t.Fatalf("deliver: %v", err)
				}
				if !later.IsZero() {
					held++
					q.ids = append(q.ids, id)
				}
			}
			return held
		}
		if held := deliver(); held != 1 {
			t.Errorf("%d e-mails held, want 1 (quiet hours)", held)
		}
		clean := func(m testkit.MailpitMessage) {
			t.Helper()
			for _, bad := range []string{"丁家喜", "Ding Jiaxi", "CONFIDENTIAL-MARKER", "subversion"} {
				if strings.Contains(m.Subject+m.Text+m.HTML, bad) {
					t.Errorf("e-mail to %v carries %q:\n%s\n%s", m.To, bad, m.Subject, m.Text)
				}
			}
			if !strings.Contains(m.Text, "/inbox") {
				t.Errorf("e-mail without a link to the inbox:\n%s", m.Text)
			}
		}
		en := mp.WaitFor(t, users["en"].Email, 1)
		m := mp.Message(t, en[0].ID)
		clean(m)
		if !strings.Contains(m.Subject, "Habeas") || strings.ContainsAny(m.Subject, "的有") {
			t.Errorf("English subject: %q", m.Subject)
		}
		zh := mp.WaitFor(t, users["zh"].Email, 1)
		m = mp.Message(t, zh[0].ID)
		clean(m)
		if !strings.ContainsAny(m.Subject+m.Text, "案件事件新有") {
			t.Errorf("zh-Hans e-mail not in Chinese: %q\n%s", m.Subject, m.Text)
		}
		if n := len(mp.Messages(t, users["digest"].Email)) + len(mp.Messages(t, users["quiet"].Email)); n != 0 {
			t.Errorf("%d e-mails reached the digest or quiet-hours users early", n)
		}
		// The quiet hours end: the held e-mail goes.
		svc.SetClock(func() time.Time { return time.Now().UTC().Add(2*time.Hour + time.Minute) })
		if held := deliver(); held != 0 {
			t.Errorf("%d still held after the quiet hours", held)
		}
		clean(mp.Message(t, mp.WaitFor(t, users["quiet"].Email, 1)[0].ID))
		// The next 08:00 in Shanghai: one digest of what waited.
		svc.SetClock(func() time.Time { return time.Now().UTC().Add(25 * time.Hour) })
		if n := must2b(svc.Digests(ctx)); n != 1 {
			t.Errorf("%d digests made, want 1", n)
		}
		deliver()
		dg := mp.WaitFor(t, users["digest"].Email, 1)
		m = mp.Message(t, dg[0].ID)
		clean(m)
		if !strings.Contains(strings.ToLower(m.Subject), "digest") {
			t.Errorf("digest subject: %q", m.Subject)
		}
		// Nothing is sent twice: delivering and digesting again adds nothing.
		if n := must2b(svc.Digests(ctx)); n != 0 {
			t.Errorf("a second digest run made %d", n)
		}
		deliver()
		for name, u := range users {
			if n := len(mp.Messages(t, u.Email)); n != 1 {
				t.Errorf("%s: %d e-mails, want 1", name, n)
			}
		}
		svc.SetClock(func() time.Time { return time.Now().UTC() })
	})
}
