package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
)

// target is one of the goals (issues 14, 20 and 21), checked against a result.
type target struct {
	scenario string
	text     string
	ok       func(r result) bool
}

var targets = []target{
	{"list", "p95 < 50 ms", func(r result) bool { return r.P95ms < 50 }},
	{"search_zh", "p95 < 50 ms", func(r result) bool { return r.P95ms < 50 }},
	{"search_pinyin", "p95 < 50 ms", func(r result) bool { return r.P95ms < 50 }},
	{"search_zh3", "p95 < 50 ms", func(r result) bool { return r.P95ms < 50 }},
	{"search_trad", "p95 < 50 ms", func(r result) bool { return r.P95ms < 50 }},
	{"search_uyghur", "p95 < 50 ms", func(r result) bool { return r.P95ms < 50 }},
	{"list_filters", "p95 < 50 ms", func(r result) bool { return r.P95ms < 50 }},
	{"deadlines", "p95 < 50 ms", func(r result) bool { return r.P95ms < 50 }},
	{"deadlines_summary", "p95 < 50 ms", func(r result) bool { return r.P95ms < 50 }},
	{"board", "p95 < 50 ms", func(r result) bool { return r.P95ms < 50 }},
	{"case", "p99 < 50 ms", func(r result) bool { return r.P99ms < 50 }},
	{"timeline", "p99 < 100 ms", func(r result) bool { return r.P99ms < 100 }},
	{"mix", "p95 < 200 ms, no errors", func(r result) bool { return r.P95ms < 200 && r.Errors == 0 }},
}

func reportMain(args []string) error {
	fs := flag.NewFlagSet("report", flag.ExitOnError)
	in := fs.String("in", "", "results (JSON lines of loadbench run)")
	doc := fs.String("doc", "docs/benchmarks.md", "Markdown file to update")
	intro := fs.String("intro", "", "Markdown file with the section's introduction (machine, commands, data)")
	pgbench := fs.Float64("pgbench-tps", 0, "pgbench -S transactions per second at the same concurrency (PostgreSQL label)")
	pgLabel := fs.String("pgbench-label", "postgres", "the label the pgbench figure belongs to")
	outro := fs.String("outro", "", "Markdown file appended after the tables (what limits each figure)")
	_ = fs.Parse(args)
	results, err := readResults(*in)
	if err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString("<!-- scale-bench:start -->\n")
	if *intro != "" {
		t, err := os.ReadFile(*intro)
		if err != nil {
			return fmt.Errorf("intro: %w", err)
		}
		b.Write(t)
		b.WriteString("\n")
	}
	var labels []string
	byLabel := map[string][]result{}
	for _, r := range results {
		if _, ok := byLabel[r.Label]; !ok {
			labels = append(labels, r.Label)
		}
		byLabel[r.Label] = append(byLabel[r.Label], r)
	}
	for _, l := range labels {
		rs := byLabel[l]
		var base *result
		for i := range rs {
			if rs[i].Scenario == "baseline_case" {
				base = &rs[i]
			}
		}
		fmt.Fprintf(&b, "### %s\n\n", l)
		b.WriteString("| scenario | clients | seconds | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | errors | server CPU ms/req | req/s ÷ bare gin | req/s ÷ pgbench -S | target |\n")
		b.WriteString("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n")
		for _, r := range rs {
			ratioGin, ratioPG := "", ""
			if base != nil && base.RPS > 0 {
				ratioGin = fmt.Sprintf("%.2f", r.RPS/base.RPS)
			}
			if *pgbench > 0 && l == *pgLabel {
				ratioPG = fmt.Sprintf("%.2f", r.RPS / *pgbench)
			}
			cpu := ""
			if r.CPUms > 0 {
				cpu = fmt.Sprintf("%.2f", r.CPUms)
			}
			fmt.Fprintf(&b, "| %s | %d | %.0f | %d | %.1f | %.1f | %.1f | %.1f | %.1f | %d | %s | %s | %s | %s |\n",
				r.Scenario, r.Concurrency, r.Seconds, r.Requests, r.RPS, r.P50ms, r.P95ms, r.P99ms, r.MaxMs, r.Errors,
				cpu, ratioGin, ratioPG, verdict(r))
		}
		if *pgbench > 0 && l == *pgLabel {
			fmt.Fprintf(&b, "| pgbench -S | | | | %.1f | | | | | | | | 1.00 | |\n", *pgbench)
		}
		b.WriteString("\n")
		for _, r := range rs {
			if r.Errors > 0 {
				fmt.Fprintf(&b, "- %s: %d errors of %d (statuses %v), the first: %s\n", r.Scenario, r.Errors, r.Requests, r.Statuses, r.FirstError)
			}
		}
		if *pgbench > 0 && l == *pgLabel {
			for _, r := range rs {
				if r.Scenario == "case" {
					ok := "met"
					if r.RPS < 0.25**pgbench {
						ok = "missed"
					}
					fmt.Fprintf(&b, "- Authenticated GET case by id: %.1f req/s = %.0f%% of pgbench -S (%.1f tps) at the same concurrency: target 25%% %s.\n",
						r.RPS, 100*r.RPS / *pgbench, *pgbench, ok)
				}
			}
		}
		b.WriteString("\n")
	}
	if *outro != "" {
		t, err := os.ReadFile(*outro)
		if err != nil {
			return fmt.Errorf("outro: %w", err)
		}
		b.Write(t)
	}
	b.WriteString("<!-- scale-bench:end -->")
	return replaceSection(*doc, "<!-- scale-bench:start -->", "<!-- scale-bench:end -->", b.String())
}

func verdict(r result) string {
	for _, t := range targets {
		if t.scenario == r.Scenario {
			if t.ok(r) {
				return t.text + ": met"
			}
			return t.text + ": **missed**"
		}
	}
	return ""
}

func readResults(path string) ([]result, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("results: %w", err)
	}
	defer f.Close()
	var out []result
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var r result
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return nil, fmt.Errorf("results: %w", err)
		}
		out = append(out, r)
	}
	if len(out) == 0 {
		return nil, errors.New("results: none")
	}
	return out, sc.Err()
}

// replaceSection puts section in place of the text between the markers of
// doc (inclusive), or appends it when the markers are absent.
func replaceSection(doc, start, end, section string) error {
	raw, err := os.ReadFile(doc)
	if err != nil {
		return fmt.Errorf("doc: %w", err)
	}
	s := string(raw)
	i, j := strings.Index(s, start), strings.Index(s, end)
	switch {
	case i >= 0 && j > i:
		s = s[:i] + section + s[j+len(end):]
	default:
		s = strings.TrimRight(s, "\n") + "\n\n" + section + "\n"
	}
	return os.WriteFile(doc, []byte(s), 0o644)
}
