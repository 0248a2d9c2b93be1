package deadlines

import (
	"os"
	"regexp"
	"slices"
	"testing"

	"github.com/habeas-org/habeas/api"
	"github.com/habeas-org/habeas/internal/lang"
)

// Every start event the rules name is listed in StartEvents (so the API
// description and the web's translations cover it): the literals and
// constants given as a start in the rule files, and every result of the
// golden chronologies.
func TestStartEventsListed(t *testing.T) {
	consts := map[string]string{}
	src, err := os.ReadFile("deadlines.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range regexp.MustCompile(`(?m)^\s*(Ev\w+)\s*=\s*"([^"]+)"`).FindAllStringSubmatch(string(src), -1) {
		consts[m[1]] = m[2]
	}
	start := regexp.MustCompile(`(?:startEvent:\s*|periodDraft\(p,\s*|perPeriod\([^\n]*?,\s*|start, name, lower :?= [^\n]*?,\s*)("([^"]+)"|Ev\w+)`)
	found := 0
	for _, f := range []string{"rules_custody.go", "rules_trial.go"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range start.FindAllStringSubmatch(string(b), -1) {
			name := m[2]
			if name == "" {
				name = consts[m[1]]
			}
			found++
			if !slices.Contains(StartEvents, name) {
				t.Errorf("%s: start event %q (%s) is not in StartEvents", f, name, m[1])
			}
		}
	}
	if found < 15 {
		t.Fatalf("found %d start events in the rule files: the pattern no longer matches", found)
	}
	for _, g := range goldenCases() {
		for _, r := range Evaluate(g.facts(t), at(t, goldenNow), lang.English) {
			if r.StartEvent != "" && !slices.Contains(StartEvents, r.StartEvent) {
				t.Errorf("%s %s: start event %q is not in StartEvents", g.name, r.Rule, r.StartEvent)
			}
		}
	}
	for _, e := range StartEvents {
		if _, ok := factsZH[e]; !ok {
			t.Errorf("start event %q has no Chinese fact name", e)
		}
	}
}

// The API description enumerates StartEvents (Deadline.start_event) and the
// rule ids (Deadline.rule).
func TestOpenAPIEnumeratesStartEvents(t *testing.T) {
	enum := func(schema, prop string) []string {
		e, err := api.PropertyEnum(schema, prop)
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	want := append([]string{""}, StartEvents...)
	got := enum("Deadline", "start_event")
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("Deadline.start_event enum:\n got %v\nwant %v", got, want)
	}
	var ids []string
	for _, r := range Rules {
		ids = append(ids, r.ID)
	}
	gotRules := enum("Deadline", "rule")
	slices.Sort(ids)
	slices.Sort(gotRules)
	if !slices.Equal(gotRules, ids) {
		t.Errorf("Deadline.rule enum:\n got %v\nwant %v", gotRules, ids)
	}
}
