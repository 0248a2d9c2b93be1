package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/pquerna/otp/totp"
)

// user is one account the clients act as.
type user struct {
	Email, Password, TOTPSecret string
	token                       string
	role                        string
	caseIDs                     []string // cases this user can see (a sample)
}

// pools are the values requests are built from, collected before the run.
type pools struct {
	namesZH  []string // two-character Chinese names
	namesZH3 []string // three-character Chinese names
	trad     []string // traditional-character name forms
	uyghur   []string // Uyghur Latin name forms
	pinyin   []string // pinyin name forms
	statuses []string
	stages   []string
	eventTyp []string
}

// client is the HTTP side of the run: one shared transport with enough idle
// connections for every worker (keep-alive, like a browser or a proxy).
type client struct {
	base string
	http *http.Client
}

func newClient(base string, conns int) *client {
	tr := &http.Transport{MaxIdleConns: conns * 2, MaxIdleConnsPerHost: conns * 2, IdleConnTimeout: time.Minute}
	return &client{base: strings.TrimRight(base, "/"), http: &http.Client{Transport: tr, Timeout: 60 * time.Second}}
}

// do sends one request and drains the body; it returns the status and, when
// out is not nil, decodes a 2xx JSON body into it.
func (c *client) do(ctx context.Context, method, path, token string, body any, out any) (int, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return 0, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if out != nil && resp.StatusCode/100 == 2 {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			return resp.StatusCode, fmt.Errorf("decode %s %s: %w", method, path, err)
		}
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, nil
}

// login signs u in (with a TOTP code when the user has a secret) and keeps
// the access token.
func (c *client) login(ctx context.Context, u *user) (int, error) {
	body := map[string]string{"email": u.Email, "password": u.Password}
	if u.TOTPSecret != "" {
		code, err := totp.GenerateCode(u.TOTPSecret, time.Now())
		if err != nil {
			return 0, fmt.Errorf("totp code for %s: %w", u.Email, err)
		}
		body["totp_code"] = code
	}
	var out struct {
		State       string `json:"state"`
		AccessToken string `json:"access_token"`
	}
	st, err := c.do(ctx, "POST", "/api/v1/auth/login", "", body, &out)
	if err != nil {
		return st, err
	}
	if st != 200 || out.State != "ok" || out.AccessToken == "" {
		return st, fmt.Errorf("sign-in of %s: status %d state %q", u.Email, st, out.State)
	}
	u.token = out.AccessToken
	return st, nil
}

// readUsers reads "email password [totp-secret]" lines (# comments allowed).
func readUsers(path string) ([]*user, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("users file: %w", err)
	}
	defer f.Close()
	var out []*user
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fs := strings.Fields(line)
		if len(fs) < 2 {
			return nil, fmt.Errorf("users file: want \"email password [totp-secret]\", got %q", line)
		}
		u := &user{Email: fs[0], Password: fs[1]}
		if len(fs) > 2 {
			u.TOTPSecret = fs[2]
		}
		out = append(out, u)
	}
	if len(out) == 0 {
		return nil, errors.New("users file: no users")
	}
	return out, sc.Err()
}

// prepare signs every user in and collects what the requests are built
// from: up to maxCases case ids per user (through the API, so only what the
// user may see), names to search for and the vocabularies.
func prepare(ctx context.Context, c *client, users []*user, maxCases int) (*pools, error) {
	p := &pools{}
	for _, u := range users {
		if _, err := c.login(ctx, u); err != nil {
			return nil, err
		}
		var me struct {
			Role string `json:"role"`
		}
		if _, err := c.do(ctx, "GET", "/api/v1/me", u.token, nil, &me); err != nil {
			return nil, err
		}
		u.role = me.Role
		cursor := ""
		for len(u.caseIDs) < maxCases {
			var page struct {
				Items []struct {
					ID string `json:"id"`
				} `json:"items"`
				NextCursor *string `json:"next_cursor"`
			}
			q := url.Values{"limit": {"200"}, "sort": {"detained_at"}}
			if cursor != "" {
				q.Set("cursor", cursor)
			}
			st, err := c.do(ctx, "GET", "/api/v1/cases?"+q.Encode(), u.token, nil, &page)
			if err != nil || st != 200 {
				return nil, fmt.Errorf("list cases as %s: status %d: %v", u.Email, st, err)
			}
			for _, it := range page.Items {
				u.caseIDs = append(u.caseIDs, it.ID)
			}
			if page.NextCursor == nil {
				break
			}
			cursor = *page.NextCursor
		}
		if len(u.caseIDs) == 0 {
			return nil, fmt.Errorf("%s sees no case: seed the database and give the bench users cases", u.Email)
		}
	}
	// Names and vocabularies through the first user (an admin or coordinator sees all).
	u := users[0]
	cursor := ""
	for range 5 {
		var page struct {
			Items []struct {
				Name       string `json:"name"`
				OtherNames []struct {
					Name string `json:"name"`
					Kind string `json:"kind"`
				} `json:"other_names"`
			} `json:"items"`
			NextCursor *string `json:"next_cursor"`
		}
		q := url.Values{"limit": {"200"}} // newest first: a mix of every kind of name
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		st, err := c.do(ctx, "GET", "/api/v1/detainees?"+q.Encode(), u.token, nil, &page)
		if err != nil || st != 200 {
			return nil, fmt.Errorf("list detainees: status %d: %v", st, err)
		}
		for _, it := range page.Items {
			if utf8.RuneCountInString(it.Name) == 2 && !isLatin(it.Name) {
				p.namesZH = append(p.namesZH, it.Name)
			}
			if utf8.RuneCountInString(it.Name) == 3 && !isLatin(it.Name) {
				p.namesZH3 = append(p.namesZH3, it.Name)
			}
			for _, o := range it.OtherNames {
				switch o.Kind {
				case "pinyin":
					p.pinyin = append(p.pinyin, o.Name)
				case "traditional":
					p.trad = append(p.trad, o.Name)
				case "uyghur_latin":
					p.uyghur = append(p.uyghur, o.Name)
				}
			}
		}
		if page.NextCursor == nil {
			break
		}
		cursor = *page.NextCursor
	}
	var voc map[string][]struct {
		Value string `json:"value"`
	}
	if st, err := c.do(ctx, "GET", "/api/v1/vocabularies", u.token, nil, &voc); err != nil || st != 200 {
		return nil, fmt.Errorf("vocabularies: status %d: %v", st, err)
	}
	for _, t := range voc["case_statuses"] {
		p.statuses = append(p.statuses, t.Value)
	}
	for _, t := range voc["stages"] {
		p.stages = append(p.stages, t.Value)
	}
	p.eventTyp = []string{"meeting_requested", "meeting_denied", "family_not_notified", "health_concern", "other"}
	if len(p.namesZH) == 0 || len(p.pinyin) == 0 || len(p.statuses) == 0 {
		return nil, fmt.Errorf("not enough data to build requests (%d Chinese names, %d pinyin names, %d statuses): seed the database",
			len(p.namesZH), len(p.pinyin), len(p.statuses))
	}
	return p, nil
}

// orElse is xs, or alt when xs is empty.
func orElse(xs, alt []string) []string {
	if len(xs) == 0 {
		return alt
	}
	return xs
}

func isLatin(s string) bool {
	for _, r := range s {
		if r < 0x2E80 {
			return true
		}
	}
	return false
}

// op is one request of a scenario: it returns the status.
type op func(ctx context.Context, c *client, u *user, rng *rand.Rand) (int, error)

func pick[T any](rng *rand.Rand, xs []T) T { return xs[rng.IntN(len(xs))] }

// scenarios builds the request of each named scenario.
func scenarios(p *pools, signinUsers []*user, baselineURL string) map[string]op {
	get := func(path func(u *user, rng *rand.Rand) string) op {
		return func(ctx context.Context, c *client, u *user, rng *rand.Rand) (int, error) {
			return c.do(ctx, "GET", path(u, rng), u.token, nil, nil)
		}
	}
	m := map[string]op{
		"signin": func(ctx context.Context, c *client, _ *user, rng *rand.Rand) (int, error) {
			u := *pick(rng, signinUsers) // a copy: the token of the run's users stays
			return c.login(ctx, &u)
		},
		"case": get(func(u *user, rng *rand.Rand) string { return "/api/v1/cases/" + pick(rng, u.caseIDs) }),
		"list": get(func(u *user, rng *rand.Rand) string {
			q := url.Values{"status": {pick(rng, p.statuses)}, "limit": {"50"}}
			if rng.IntN(2) == 0 {
				q.Set("stage", pick(rng, p.stages))
			}
			return "/api/v1/cases?" + q.Encode()
		}),
		"search_zh": get(func(u *user, rng *rand.Rand) string {
			return "/api/v1/detainees?" + url.Values{"q": {pick(rng, p.namesZH)}, "limit": {"50"}}.Encode()
		}),
		"search_pinyin": get(func(u *user, rng *rand.Rand) string {
			return "/api/v1/detainees?" + url.Values{"q": {pick(rng, p.pinyin)}, "limit": {"50"}}.Encode()
		}),
		// Issue 20's query kinds: three Chinese characters, traditional
		// characters, Uyghur Latin (each falls back to the two-character
		// names when the data has none of its kind).
		"search_zh3": get(func(u *user, rng *rand.Rand) string {
			return "/api/v1/detainees?" + url.Values{"q": {pick(rng, orElse(p.namesZH3, p.namesZH))}, "limit": {"50"}}.Encode()
		}),
		"search_trad": get(func(u *user, rng *rand.Rand) string {
			return "/api/v1/detainees?" + url.Values{"q": {pick(rng, orElse(p.trad, p.namesZH))}, "limit": {"50"}}.Encode()
		}),
		"search_uyghur": get(func(u *user, rng *rand.Rand) string {
			return "/api/v1/detainees?" + url.Values{"q": {pick(rng, orElse(p.uyghur, p.pinyin))}, "limit": {"50"}}.Encode()
		}),
		// A case search combined with filters.
		"list_filters": get(func(u *user, rng *rand.Rand) string {
			q := url.Values{"q": {pick(rng, p.namesZH)}, "status": {pick(rng, p.statuses)}, "limit": {"50"}}
			return "/api/v1/cases?" + q.Encode()
		}),
		// Creating a detainee (admins and coordinators; lawyers get 403,
		// counted as errors: run it with coordinator users only).
		"create": func(ctx context.Context, c *client, u *user, rng *rand.Rand) (int, error) {
			body := map[string]any{"name": pick(rng, p.namesZH) + "测", "other_names": []map[string]string{{"name": pick(rng, p.pinyin), "kind": "pinyin"}}}
			return c.do(ctx, "POST", "/api/v1/detainees", u.token, body, nil)
		},
		// The dashboard (issue 21): the time-limit card's first page (the
		// limits needing action, most urgent first) and its counts.
		"deadlines": get(func(u *user, rng *rand.Rand) string {
			return "/api/v1/deadlines?" + url.Values{"status": {"overdue,overdue_unless_extended,pending"}, "limit": {"10"}}.Encode()
		}),
		"deadlines_summary": get(func(u *user, rng *rand.Rand) string { return "/api/v1/deadlines/summary" }),
		// The support board's first page with its summary (issue 21):
		// every action for a coordinator, those of their cases for a lawyer.
		"board": get(func(u *user, rng *rand.Rand) string { return "/api/v1/support-actions?limit=50" }),
		"timeline": get(func(u *user, rng *rand.Rand) string {
			return "/api/v1/cases/" + pick(rng, u.caseIDs) + "/timeline?limit=50"
		}),
		"event": func(ctx context.Context, c *client, u *user, rng *rand.Rand) (int, error) {
			body := map[string]any{
				"type":        pick(rng, p.eventTyp),
				"occurred_at": time.Now().UTC().Format("2006-01-02"),
				"description": "Logged by the load benchmark 负载测试",
			}
			return c.do(ctx, "POST", "/api/v1/cases/"+pick(rng, u.caseIDs)+"/events", u.token, body, nil)
		},
	}
	if baselineURL != "" {
		base := strings.TrimRight(baselineURL, "/")
		m["baseline_case"] = func(ctx context.Context, c *client, u *user, rng *rand.Rand) (int, error) {
			req, err := http.NewRequestWithContext(ctx, "GET", base+"/case/"+pick(rng, u.caseIDs), nil)
			if err != nil {
				return 0, err
			}
			resp, err := c.http.Do(req)
			if err != nil {
				return 0, err
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			return resp.StatusCode, nil
		}
	}
	// The mix: what a working day looks like, mostly reads of single cases
	// and timelines, lists and searches, some logging, few sign-ins.
	mix := []struct {
		name   string
		weight int
	}{{"case", 25}, {"timeline", 25}, {"list", 15}, {"search_zh", 10}, {"search_pinyin", 10}, {"event", 13}, {"signin", 2}}
	m["mix"] = func(ctx context.Context, c *client, u *user, rng *rand.Rand) (int, error) {
		n := rng.IntN(100)
		for _, w := range mix {
			if n < w.weight {
				return m[w.name](ctx, c, u, rng)
			}
			n -= w.weight
		}
		return m["case"](ctx, c, u, rng)
	}
	return m
}

// result is one scenario's figures, one JSON line of the output.
type result struct {
	Label       string         `json:"label"` // e.g. "postgres"
	Scenario    string         `json:"scenario"`
	Concurrency int            `json:"concurrency"`
	Seconds     float64        `json:"seconds"`
	Requests    int            `json:"requests"`
	Errors      int            `json:"errors"`
	Statuses    map[string]int `json:"statuses"`
	RPS         float64        `json:"rps"`
	P50ms       float64        `json:"p50_ms"`
	P95ms       float64        `json:"p95_ms"`
	P99ms       float64        `json:"p99_ms"`
	MaxMs       float64        `json:"max_ms"`
	FirstError  string         `json:"first_error,omitempty"`
	// CPUms is the server's CPU time (user + system, from /proc) per
	// request, when its pid was given: less sensitive to a noisy machine
	// than latency.
	CPUms float64 `json:"server_cpu_ms_per_request,omitempty"`
}

// cpuTime is the user + system CPU time of process pid (0 when unknown).
func cpuTime(pid int) time.Duration {
	if pid <= 0 {
		return 0
	}
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The command name is in parentheses and may hold spaces: fields follow its ")".
	s := string(raw)
	fs := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(fs) < 13 {
		return 0
	}
	var ut, st int64
	_, _ = fmt.Sscan(fs[11], &ut)
	_, _ = fmt.Sscan(fs[12], &st)
	return time.Duration(ut+st) * time.Second / 100 // USER_HZ is 100 on Linux
}

// runScenario runs o with conc workers for d and measures every request.
func runScenario(label, name string, o op, c *client, users []*user, conc int, d time.Duration, seed uint64) result {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	type local struct {
		lat      []time.Duration
		errs     int
		statuses map[int]int
		first    string
	}
	locals := make([]local, conc)
	var wg sync.WaitGroup
	start := time.Now()
	for w := range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l := &locals[w]
			l.statuses = map[int]int{}
			rng := rand.New(rand.NewPCG(seed, uint64(w)))
			u := users[w%len(users)]
			for ctx.Err() == nil {
				t0 := time.Now()
				st, err := o(ctx, c, u, rng)
				el := time.Since(t0)
				if ctx.Err() != nil && (err != nil || st == 0) {
					break // cut off by the end of the run, not a failure
				}
				l.lat = append(l.lat, el)
				l.statuses[st]++
				if err != nil || st/100 != 2 {
					l.errs++
					if l.first == "" {
						l.first = fmt.Sprintf("status %d: %v", st, err)
					}
				}
			}
		}()
	}
	wg.Wait()
	secs := time.Since(start).Seconds()
	r := result{Label: label, Scenario: name, Concurrency: conc, Seconds: secs, Statuses: map[string]int{}}
	var all []time.Duration
	for _, l := range locals {
		all = append(all, l.lat...)
		r.Errors += l.errs
		for st, n := range l.statuses {
			r.Statuses[fmt.Sprint(st)] += n
		}
		if r.FirstError == "" {
			r.FirstError = l.first
		}
	}
	slices.Sort(all)
	r.Requests = len(all)
	r.RPS = float64(len(all)) / secs
	q := func(p float64) float64 {
		if len(all) == 0 {
			return 0
		}
		i := int(p*float64(len(all))+0.5) - 1
		return float64(all[max(0, min(i, len(all)-1))].Microseconds()) / 1000
	}
	r.P50ms, r.P95ms, r.P99ms, r.MaxMs = q(0.50), q(0.95), q(0.99), q(1)
	return r
}

func runMain(args []string) error {
	fs := flag.NewFlagSet("run", flag.ExitOnError)
	base := fs.String("url", "http://127.0.0.1:8080", "Habeas base URL")
	usersFile := fs.String("users", "", "file of \"email password [totp-secret]\" lines: the accounts the clients act as, round-robin")
	signinFile := fs.String("signin-users", "", "accounts the signin scenario uses (default: -users); accounts without TOTP, as a code is good once")
	conc := fs.Int("c", 50, "concurrent clients")
	dur := fs.Duration("d", 60*time.Second, "duration of each scenario")
	names := fs.String("scenarios", "case,list,search_zh,search_pinyin,timeline,event,signin", "comma-separated scenarios")
	baselineURL := fs.String("baseline-url", "", "URL of `loadbench baseline` for the baseline_case scenario")
	label := fs.String("label", "", "label written in each result (e.g. the database)")
	maxCases := fs.Int("cases-per-user", 2000, "case ids collected per user")
	seed := fs.Uint64("seed", 1, "seed of the request choices")
	pid := fs.Int("pid", 0, "pid of the server, to report its CPU time per request")
	_ = fs.Parse(args)
	users, err := readUsers(*usersFile)
	if err != nil {
		return err
	}
	signin := users
	if *signinFile != "" {
		if signin, err = readUsers(*signinFile); err != nil {
			return err
		}
	}
	c := newClient(*base, *conc)
	ctx := context.Background()
	p, err := prepare(ctx, c, users, *maxCases)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "loadbench: %d users, %d Chinese names, %d pinyin names\n", len(users), len(p.namesZH), len(p.pinyin))
	ops := scenarios(p, signin, *baselineURL)
	enc := json.NewEncoder(os.Stdout)
	for _, name := range strings.Split(*names, ",") {
		o, ok := ops[name]
		if !ok {
			return fmt.Errorf("unknown scenario %q", name)
		}
		// Let the previous scenario's cut-off requests end, then take fresh
		// access tokens (none expires during a scenario). A sign-in that
		// fails here is retried once and reported: it is not part of a
		// measurement.
		time.Sleep(2 * time.Second)
		for _, u := range users {
			if _, err := c.login(ctx, u); err != nil {
				fmt.Fprintf(os.Stderr, "loadbench: sign-in before %s failed, retrying: %v\n", name, err)
				time.Sleep(time.Second)
				if _, err := c.login(ctx, u); err != nil {
					return err
				}
			}
		}
		cpu0 := cpuTime(*pid)
		r := runScenario(*label, name, o, c, users, *conc, *dur, *seed)
		if cpu := cpuTime(*pid) - cpu0; cpu > 0 && r.Requests > 0 {
			r.CPUms = float64(cpu.Microseconds()) / 1000 / float64(r.Requests)
		}
		fmt.Fprintf(os.Stderr, "loadbench: %-14s %8.1f req/s  p50 %7.1f ms  p95 %7.1f ms  p99 %7.1f ms  cpu %5.2f ms/req  errors %d/%d %s\n",
			name, r.RPS, r.P50ms, r.P95ms, r.P99ms, r.CPUms, r.Errors, r.Requests, r.FirstError)
		if err := enc.Encode(r); err != nil {
			return err
		}
	}
	return nil
}
