package deadlines

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/habeas-org/habeas/internal/access"
	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/civil"
	"github.com/habeas-org/habeas/internal/lang"
)

// The time-limit index (migration 0014, docs/deadlines.md "The index"):
// each case's limits as the rules last evaluated them, one row per result
// and visibility class, with the status and due date the dashboard filters,
// sorts and counts by. The page itself is evaluated afresh from the facts of
// its cases (texts in the reader's language, days counted to today), so the
// index only has to hold what selects and orders the rows, and it holds
// exactly what evaluating every case would give: it is refreshed in the
// transaction's wake of every write of an input (triggers mark the case) and
// when the passage of time may change a result (changes_at).

// Visibility classes of the index: the facts differ only in whether
// confidential custody periods and events count.
const (
	// ClassFull is the class of those who may read confidential records.
	ClassFull = "full"
	// ClassOpen is the class of observers: no confidential period or event.
	ClassOpen = "open"
)

// classOf is the visibility class of p's facts.
func classOf(p *actor.Principal) string {
	if access.SeesConfidential(p) {
		return ClassFull
	}
	return ClassOpen
}

// indexRow is one row of deadline_items.
type indexRow struct {
	ID        string `gorm:"primaryKey"`
	Class     string
	CaseID    string
	ItemKey   string
	Rule      string
	Status    string
	DueAt     string
	Urgency   string
	Stage     string
	ChangesAt string
}

func (indexRow) TableName() string { return "deadline_items" }

// urgencyRank orders the statuses on the dashboard: what needs action first.
var urgencyRank = map[Status]int{Overdue: 0, OverdueUnlessExtended: 1, Pending: 2, Unknown: 3, Met: 4, NotApplicable: 5}

// noDue sorts after every due date.
const noDue = "9999"

// stamp is t in UTC at a fixed width, so text order is time order; "" for
// the zero time.
func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04:05Z")
}

// urgencyKey is the sort key of a result: its status rank, then its due
// date (unknown last).
func urgencyKey(st Status, dueAt string) string {
	if dueAt == "" {
		dueAt = noDue
	}
	return strconv.Itoa(urgencyRank[st]) + "|" + dueAt
}

// itemKeys names each result of one case's evaluation: the rule and the
// result's place among that rule's results. The evaluation is a function of
// the facts, so the same facts give the same keys: the page finds the
// indexed row's result again by its key.
func itemKeys(results []Result) []string {
	seen := map[string]int{}
	keys := make([]string, len(results))
	for i, r := range results {
		keys[i] = r.Rule + "/" + strconv.Itoa(seen[r.Rule])
		seen[r.Rule]++
	}
	return keys
}

// indexRows are the rows of one case's results in class.
func indexRows(class string, c caseRow, results []Result) []indexRow {
	keys := itemKeys(results)
	out := make([]indexRow, len(results))
	for i, r := range results {
		due := stamp(r.DueAt)
		out[i] = indexRow{ID: rowID(class, c.ID, keys[i]), Class: class, CaseID: c.ID, ItemKey: keys[i], Rule: r.Rule,
			Status: string(r.Status), DueAt: due, Urgency: urgencyKey(r.Status, due), Stage: c.Stage, ChangesAt: stamp(r.ChangesAt)}
	}
	return out
}

func rowID(class, caseID, key string) string { return fmt.Sprintf("%s:%s:%s", class, caseID, key) }

// countKey is one row of deadline_counts.
type countKey struct{ Class, Rule, Status, Stage string }

// releaseRow is one row of release_items: a case's expected release in a
// class (cases with none have no row).
type releaseRow struct {
	ID        string `gorm:"primaryKey"`
	Class     string
	CaseID    string
	ReleaseAt string
	Earliest  string
	Latest    string
}

func (releaseRow) TableName() string { return "release_items" }

// releaseRowOf is the row of c's expected release in class, ok false when
// none is expected (no fixed term, released, unknown).
func releaseRowOf(class string, c caseRow, f Facts) (releaseRow, bool) {
	rel := ExpectedRelease(f, lang.English)
	if rel.Status != ReleaseExpected || rel.At.IsZero() {
		return releaseRow{}, false
	}
	return releaseRow{ID: class + ":" + c.ID, Class: class, CaseID: c.ID, ReleaseAt: rel.At.String(),
		Earliest: dayText(rel.At.Earliest(civil.CST)), Latest: dayText(rel.At.Latest(civil.CST))}, true
}

// evaluateKeys is Evaluate restricted to the results keys names (as
// itemKeys names them, "rule/n"): only their rules' drafts are computed and
// only those results decided. A result's place among its rule's results in
// Evaluate (a stable sort by due date of every result, in rule order) is
// its place in a stable sort of its rule's results alone, so the keys and
// the values are Evaluate's.
func evaluateKeys(f Facts, now time.Time, l lang.Lang, keys map[string]bool) map[string]Result {
	rules := map[string]bool{}
	for k := range keys {
		rule, _, _ := strings.Cut(k, "/")
		rules[rule] = true
	}
	c := &evalCtx{f: f, l: l, periods: f.custody()}
	out := map[string]Result{}
	for _, r := range Rules {
		if !rules[r.ID] {
			continue
		}
		drafts := r.eval(c)
		due := make([]time.Time, len(drafts))
		order := make([]int, len(drafts))
		for i, d := range drafts {
			order[i] = i
			if d.notApplicable == "" && d.missing == "" && d.due.known {
				due[i] = endOf(d.due.hi) // decide's DueAt
			}
		}
		sort.SliceStable(order, func(i, j int) bool {
			a, b := due[order[i]], due[order[j]]
			if a.IsZero() != b.IsZero() {
				return !a.IsZero()
			}
			return a.Before(b)
		})
		for n, i := range order {
			if key := r.ID + "/" + strconv.Itoa(n); keys[key] {
				out[key] = decide(r, drafts[i], now, l)
			}
		}
	}
	return out
}
