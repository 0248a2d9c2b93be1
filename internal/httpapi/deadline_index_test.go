package httpapi_test

import (
	"context"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/app"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/auth"
	"github.com/habeas-org/habeas/internal/cases"
	"github.com/habeas-org/habeas/internal/civil"
	"github.com/habeas-org/habeas/internal/config"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/partialdate"
	"github.com/habeas-org/habeas/internal/seed"
	"github.com/habeas-org/habeas/internal/testkit"
	"github.com/habeas-org/habeas/internal/timeline"
)

// indexedItem is what the comparison reads of a time limit.
type indexedItem struct {
	CaseID        string  `json:"case_id"`
	Rule          string  `json:"rule"`
	Status        string  `json:"status"`
	DueAt         *string `json:"due_at"`
	DaysRemaining *int    `json:"days_remaining"`
	DaysOverdue   *int    `json:"days_overdue"`
	MetAt         string  `json:"met_at"`
	Missing       string  `json:"missing"`
	key           string  // the index's row key: case and the rule's n-th result
}

func (it indexedItem) String() string {
	return fmt.Sprintf("%s %s %s due=%s rem=%v over=%v", it.CaseID[len(it.CaseID)-6:], it.key, it.Status, deref(it.DueAt), ip(it.DaysRemaining), ip(it.DaysOverdue))
}

func ip(p *int) string {
	if p == nil {
		return "-"
	}
	return strconv.Itoa(*p)
}

var urgencyOf = map[string]int{"overdue": 0, "overdue_unless_extended": 1, "pending": 2, "unknown": 3, "met": 4, "not_applicable": 5}

// The time-limit index answers exactly what evaluating every visible case
// gives (GET /cases/{id}/deadlines, computed live), for each role, filter
// and page, on seeded data: after the seed, after writes of every input
// (events, a confidential event the observer must not count, a deleted
// event, case dates), and after the clock passes due days.
func TestDeadlineIndexEqualsEvaluation(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testkit.NewServer(t, d, func(c *config.Config) { c.MFARequiredRoles = nil }, app.WithPasswordParams(auth.FastTestParams))
		ctx := context.Background()
		type user struct {
			p     *actor.Principal
			token string
		}
		mk := func(name string, role actor.Role) user {
			email := name + "@example.org"
			u := must2(s.App.Auth.CreateUserAsSystem(ctx, auth.CreateUserInput{Email: email, Name: name, Role: role, Password: password}, "user.create"))
			res, err := s.App.Auth.Login(ctx, auth.LoginInput{Email: email, Password: password})
			if err != nil || res.Tokens == nil {
				t.Fatalf("login %s: %v", name, err)
			}
			return user{p: &actor.Principal{UserID: u.ID, Role: role, Email: email}, token: res.Tokens.AccessToken}
		}
		coord, lawyer, observer := mk("coord", actor.Coordinator), mk("lawyer", actor.Lawyer), mk("observer", actor.Observer)
		if _, err := seed.Run(ctx, d, audit.NewLog(d), seed.Options{Detainees: 40, CasesPerDetainee: 1.5, EventsPerCase: 6, Seed: 11,
			LawyerUserIDs: []string{lawyer.p.UserID}, ObserverUserIDs: []string{observer.p.UserID}}); err != nil {
			t.Fatal(err)
		}
		clock := time.Date(2025, 3, 1, 4, 0, 0, 0, time.UTC)
		s.App.Deadlines.SetClock(func() time.Time { return clock })
		var lawyerID string
		if err := d.DB.Table("lawyers").Where("user_id = ?", lawyer.p.UserID).Pluck("id", &lawyerID).Error; err != nil || lawyerID == "" {
			t.Fatalf("the seeded lawyer record of the lawyer user: %q %v", lawyerID, err)
		}

		// oracle evaluates every case u sees, one by one.
		oracle := func(u user) []indexedItem {
			var out []indexedItem
			for _, id := range visibleCaseIDs(t, s, u.token) {
				r := s.Do(testkit.Request{Method: "GET", Path: "/api/v1/cases/" + id + "/deadlines", Token: u.token})
				if r.StatusCode != 200 {
					t.Fatalf("GET case deadlines: %d %s", r.StatusCode, r.Body)
				}
				var body struct{ Items []indexedItem }
				r.JSON(t, &body)
				n := map[string]int{}
				for _, it := range body.Items {
					it.key = it.CaseID + ":" + it.Rule + "/" + strconv.Itoa(n[it.Rule])
					n[it.Rule]++
					out = append(out, it)
				}
			}
			sort.SliceStable(out, func(i, j int) bool {
				a, b := out[i], out[j]
				if urgencyOf[a.Status] != urgencyOf[b.Status] {
					return urgencyOf[a.Status] < urgencyOf[b.Status]
				}
				ad, bd := dueKey(a.DueAt), dueKey(b.DueAt)
				if ad != bd {
					return ad < bd
				}
				return a.key < b.key
			})
			return out
		}
		type filter struct {
			query string
			keep  func(indexedItem) bool
		}
		filters := func(ref []indexedItem) []filter {
			fs := []filter{
				{"", func(indexedItem) bool { return true }},
				{"status=overdue", func(it indexedItem) bool { return it.Status == "overdue" }},
				{"status=overdue_unless_extended,pending", func(it indexedItem) bool {
					return it.Status == "overdue_unless_extended" || it.Status == "pending"
				}},
				{"rule=arrest_approval", func(it indexedItem) bool { return it.Rule == "arrest_approval" }},
				{"due_within=60d", func(it indexedItem) bool {
					return it.Status == "pending" && it.DueAt != nil && mustTime(t, *it.DueAt).Before(clock.Add(60*24*time.Hour))
				}},
			}
			if len(ref) > 0 {
				id := ref[len(ref)/2].CaseID
				fs = append(fs, filter{"case_id=" + id, func(it indexedItem) bool { return it.CaseID == id }})
			}
			return fs
		}
		compare := func(stage string) {
			t.Helper()
			lawyerRef := oracle(lawyer)
			for name, u := range map[string]user{"coordinator": coord, "lawyer": lawyer, "observer": observer} {
				ref := oracle(u)
				if name == "lawyer" {
					ref = lawyerRef
				}
				if len(ref) == 0 {
					t.Fatalf("%s: %s sees no time limits: the seed gave nothing to compare", stage, name)
				}
				for _, f := range filters(ref) {
					var want []indexedItem
					for _, it := range ref {
						if f.keep(it) {
							want = append(want, it)
						}
					}
					got, total := walkDeadlines(t, s, u.token, f.query, 7)
					checkSame(t, fmt.Sprintf("%s, %s, ?%s", stage, name, f.query), got, want)
					if want := min(len(want), 1000); total != want {
						t.Errorf("%s, %s, ?%s: total %d, want %d", stage, name, f.query, total, want)
					}
				}
			}
			// The coordinator's view of the lawyer's cases is the lawyer's own.
			got, _ := walkDeadlines(t, s, coord.token, "lawyer_id="+lawyerID, 50)
			checkSame(t, stage+", coordinator, ?lawyer_id", got, lawyerRef)
			checkSummary(t, s, stage, coord.token, oracle(coord), clock)
			checkSummary(t, s, stage, observer.token, oracle(observer), clock)
			releases := 0
			for name, u := range map[string]user{"coordinator": coord, "lawyer": lawyer, "observer": observer} {
				for _, q := range []struct {
					status string
					within time.Duration
				}{{"", 90 * 24 * time.Hour}, {"expected", 366 * 24 * time.Hour}, {"passed", 30 * 24 * time.Hour}} {
					want := releasesOracle(t, s, u.token, clock, q.within, q.status)
					query := "within=" + strconv.Itoa(int(q.within.Hours()/24)) + "d&status=" + q.status
					got := walkReleases(t, s, u.token, query)
					releases += len(want)
					if strings.Join(got, "\n") != strings.Join(want, "\n") {
						t.Errorf("%s, %s, /releases?%s:\n got  %v\n want %v", stage, name, query, got, want)
					}
				}
			}
			if releases == 0 {
				t.Errorf("%s: no expected release in any window: the release comparison checks nothing", stage)
			}
		}
		// Fixed-term sentences on some cases (the seed gives none), so that
		// expected releases fall before, within and after the windows.
		for i, id := range visibleCaseIDs(t, s, coord.token) {
			if i%4 != 0 {
				continue
			}
			months := 6 + (i*7)%150
			c := must(s.App.Cases.GetCase(ctx, coord.p, id))
			must(s.App.Cases.UpdateCase(ctx, coord.p, id, c.Version, cases.CaseFields{SentenceKind: ptr("fixed_term"),
				SentenceTermMonths: cases.NullInt{Set: true, Value: &months}}))
		}
		compare("seeded")

		// Writes of every input, through the services.
		obsCases := visibleCaseIDs(t, s, observer.token)
		if len(obsCases) == 0 {
			t.Fatal("the observer was shared no case")
		}
		shared := obsCases[0]
		tl := s.App.Timeline
		must(tl.CreateEvent(ctx, coord.p, shared, timeline.EventFields{Type: ptr("family_notified"), OccurredAt: ptr("2025-02-20"), Confidential: ptr(true)}))
		must(tl.CreateEvent(ctx, coord.p, shared, timeline.EventFields{Type: ptr("meeting_requested"), OccurredAt: ptr("2025-02-27")}))
		ev := must(tl.CreateEvent(ctx, coord.p, shared, timeline.EventFields{Type: ptr("custody_extended"), OccurredAt: ptr("2025-02-10"), ExtensionMonths: ptr(2)}))
		must(tl.DeleteEvent(ctx, coord.p, shared, ev.ID, ev.Version, timeline.DeleteInput{Reason: "entered on the wrong case"}))
		other := visibleCaseIDs(t, s, coord.token)[3]
		c := must(s.App.Cases.GetCase(ctx, coord.p, other))
		must(s.App.Cases.UpdateCase(ctx, coord.p, other, c.Version, cases.CaseFields{DetainedAt: ptr("2025-02-25"), ArrestApprovedAt: ptr("")}))
		compare("after writes")
		// UN communications (issue 25): the reply clock of a transmitted one
		// (pending now, passed 45 days later), a confidential one the observer
		// must not count, a replied one, and a deleted one.
		un := func(in cases.UNCommunicationFields) cases.UNCommunicationView {
			return must(s.App.Cases.CreateUNCommunication(ctx, coord.p, shared, in))
		}
		un(cases.UNCommunicationFields{Kind: ptr("wgad_urgent"), Reference: ptr("UA CHN 1/2025"), TransmittedAt: ptr("2025-02-10")})
		un(cases.UNCommunicationFields{Kind: ptr("special_procedures"), TransmittedAt: ptr("2025-01-05"), Confidential: ptr(true)})
		un(cases.UNCommunicationFields{Kind: ptr("wgad_regular"), TransmittedAt: ptr("2024-11-01"), RepliedAt: ptr("2024-12-20")})
		gone := un(cases.UNCommunicationFields{Kind: ptr("wgad_regular"), TransmittedAt: ptr("2024-10-01")})
		if err := s.App.Cases.DeleteUNCommunication(ctx, coord.p, shared, gone.ID, gone.Version); err != nil {
			t.Fatal(err)
		}
		compare("after UN communications")

		// The passage of time: pending limits fall due.
		clock = clock.Add(45 * 24 * time.Hour)
		compare("45 days later")
		clock = clock.Add(400 * 24 * time.Hour)
		compare("400 days later")
	})
}

func dueKey(s *string) string {
	if s == nil {
		return "9999"
	}
	return *s
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// visibleCaseIDs pages through the cases token sees.
func visibleCaseIDs(t *testing.T, s *testkit.Server, token string) []string {
	t.Helper()
	var ids []string
	cursor := ""
	for {
		path := "/api/v1/cases?limit=200"
		if cursor != "" {
			path += "&cursor=" + url.QueryEscape(cursor)
		}
		r := s.Do(testkit.Request{Method: "GET", Path: path, Token: token})
		if r.StatusCode != 200 {
			t.Fatalf("GET %s: %d %s", path, r.StatusCode, r.Body)
		}
		var body struct {
			Items      []struct{ ID string }
			NextCursor *string `json:"next_cursor"`
		}
		r.JSON(t, &body)
		for _, it := range body.Items {
			ids = append(ids, it.ID)
		}
		if body.NextCursor == nil {
			sort.Strings(ids)
			return ids
		}
		cursor = *body.NextCursor
	}
}

// walkDeadlines reads every page of GET /deadlines?query with pages of
// limit items; total is the first page's.
func walkDeadlines(t *testing.T, s *testkit.Server, token, query string, limit int) (items []indexedItem, total int) {
	t.Helper()
	cursor := ""
	for page := 0; ; page++ {
		path := "/api/v1/deadlines?limit=" + strconv.Itoa(limit)
		if query != "" {
			path += "&" + query
		}
		if cursor != "" {
			path += "&cursor=" + url.QueryEscape(cursor)
		}
		r := s.Do(testkit.Request{Method: "GET", Path: path, Token: token})
		if r.StatusCode != 200 {
			t.Fatalf("GET %s: %d %s", path, r.StatusCode, r.Body)
		}
		var body struct {
			Items       []indexedItem
			NextCursor  *string `json:"next_cursor"`
			Total       int
			TotalCapped bool `json:"total_capped"`
		}
		r.JSON(t, &body)
		if len(body.Items) > limit {
			t.Fatalf("GET %s: %d items on a page of %d", path, len(body.Items), limit)
		}
		if page == 0 {
			total = body.Total
		}
		items = append(items, body.Items...)
		if body.NextCursor == nil {
			return items, total
		}
		cursor = *body.NextCursor
	}
}

func checkSame(t *testing.T, what string, got, want []indexedItem) {
	t.Helper()
	same := len(got) == len(want)
	for i := 0; same && i < len(got); i++ {
		g, w := got[i], want[i]
		same = g.CaseID == w.CaseID && g.Rule == w.Rule && g.Status == w.Status && deref(g.DueAt) == deref(w.DueAt) &&
			ip(g.DaysRemaining) == ip(w.DaysRemaining) && ip(g.DaysOverdue) == ip(w.DaysOverdue) && g.MetAt == w.MetAt && g.Missing == w.Missing
	}
	if !same {
		var b strings.Builder
		for i := 0; i < max(len(got), len(want)) && i < 12; i++ {
			var g, w string
			if i < len(got) {
				g = got[i].CaseID[len(got[i].CaseID)-6:] + " " + got[i].Rule + " " + got[i].Status + " " + deref(got[i].DueAt)
			}
			if i < len(want) {
				w = want[i].String()
			}
			fmt.Fprintf(&b, "\n  %2d got  %s\n     want %s", i, g, w)
		}
		t.Errorf("%s: the index answers %d items, evaluating every case %d (first differences):%s", what, len(got), len(want), b.String())
	}
}

// checkSummary compares GET /deadlines/summary with counts of ref.
func checkSummary(t *testing.T, s *testkit.Server, stage, token string, ref []indexedItem, now time.Time) {
	t.Helper()
	r := s.Do(testkit.Request{Method: "GET", Path: "/api/v1/deadlines/summary", Token: token})
	if r.StatusCode != 200 {
		t.Fatalf("GET /deadlines/summary: %d %s", r.StatusCode, r.Body)
	}
	var sum struct {
		ByStatus    map[string]int64 `json:"by_status"`
		DueWithin7d int64            `json:"due_within_7d"`
		ByRule      []struct {
			Rule     string           `json:"rule"`
			Title    string           `json:"title"`
			ByStatus map[string]int64 `json:"by_status"`
		} `json:"by_rule"`
	}
	r.JSON(t, &sum)
	want := map[string]int64{}
	wantRule := map[string]int64{}
	var due int64
	for _, it := range ref {
		want[it.Status]++
		wantRule[it.Rule+" "+it.Status]++
		if it.Status == "pending" && it.DueAt != nil && !mustTime(t, *it.DueAt).After(now.Add(7*24*time.Hour)) {
			due++
		}
	}
	if fmt.Sprint(sum.ByStatus) != fmt.Sprint(want) || sum.DueWithin7d != due {
		t.Errorf("%s: summary %v, due this week %d; evaluating every case: %v, %d", stage, sum.ByStatus, sum.DueWithin7d, want, due)
	}
	gotRule := map[string]int64{}
	for _, rc := range sum.ByRule {
		if rc.Title == "" {
			t.Errorf("%s: summary rule %s without a title", stage, rc.Rule)
		}
		for st, n := range rc.ByStatus {
			gotRule[rc.Rule+" "+st] = n
		}
	}
	if fmt.Sprint(gotRule) != fmt.Sprint(wantRule) {
		t.Errorf("%s: summary by rule %v, want %v", stage, gotRule, wantRule)
	}
}

// releasesOracle lists, from the case list (expected releases computed
// live), the cases token sees whose expected release has passed or falls
// within within of now, as GET /releases orders them: "date case status".
func releasesOracle(t *testing.T, s *testkit.Server, token string, now time.Time, within time.Duration, status string) []string {
	t.Helper()
	type row struct{ at, id, status string }
	var rows []row
	today := now.In(civil.CST).Format(time.DateOnly)
	until := now.Add(within).In(civil.CST).Format(time.DateOnly)
	cursor := ""
	for {
		path := "/api/v1/cases?limit=200"
		if cursor != "" {
			path += "&cursor=" + url.QueryEscape(cursor)
		}
		r := s.Do(testkit.Request{Method: "GET", Path: path, Token: token})
		if r.StatusCode != 200 {
			t.Fatalf("GET %s: %d %s", path, r.StatusCode, r.Body)
		}
		var body struct {
			Items []struct {
				ID                string
				ExpectedReleaseAt *string `json:"expected_release_at"`
			}
			NextCursor *string `json:"next_cursor"`
		}
		r.JSON(t, &body)
		for _, c := range body.Items {
			if c.ExpectedReleaseAt == nil {
				continue
			}
			d, err := partialdate.Parse(*c.ExpectedReleaseAt, civil.CST)
			if err != nil {
				t.Fatal(err)
			}
			lo, hi := d.Earliest(civil.CST).Format(time.DateOnly), d.Latest(civil.CST).Format(time.DateOnly)
			st := ""
			switch {
			case hi < today:
				st = "passed"
			case lo <= until:
				st = "expected"
			}
			if st != "" && (status == "" || status == st) {
				rows = append(rows, row{*c.ExpectedReleaseAt, c.ID, st})
			}
		}
		if body.NextCursor == nil {
			break
		}
		cursor = *body.NextCursor
	}
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].at != rows[j].at {
			return rows[i].at < rows[j].at
		}
		return rows[i].id < rows[j].id
	})
	out := []string{}
	for _, r := range rows {
		out = append(out, r.at+" "+r.id+" "+r.status)
	}
	return out
}

// walkReleases reads every page of GET /releases?query, 3 items a page.
func walkReleases(t *testing.T, s *testkit.Server, token, query string) []string {
	t.Helper()
	out := []string{}
	cursor := ""
	for {
		path := "/api/v1/releases?limit=3&" + query
		if cursor != "" {
			path += "&cursor=" + url.QueryEscape(cursor)
		}
		r := s.Do(testkit.Request{Method: "GET", Path: path, Token: token})
		if r.StatusCode != 200 {
			t.Fatalf("GET %s: %d %s", path, r.StatusCode, r.Body)
		}
		var body struct {
			Items []struct {
				CaseID            string `json:"case_id"`
				ExpectedReleaseAt string `json:"expected_release_at"`
				Status            string
			}
			NextCursor *string `json:"next_cursor"`
		}
		r.JSON(t, &body)
		for _, it := range body.Items {
			out = append(out, it.ExpectedReleaseAt+" "+it.CaseID+" "+it.Status)
		}
		if body.NextCursor == nil {
			return out
		}
		cursor = *body.NextCursor
	}
}
