package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"
)

// verifyResult is the outcome of one habeas verify command.
type verifyResult struct {
	OK     bool   `json:"ok"`
	Output string `json:"output"`
}

// result is the soak's figures, one JSON line.
type result struct {
	Date            string         `json:"date"`
	Database        string         `json:"database"`
	Storage         string         `json:"storage"`
	Clients         int            `json:"clients"`
	Seed            uint64         `json:"seed"`
	LoadSeconds     float64        `json:"load_seconds"`
	Requests        int            `json:"requests"`
	Operations      map[string]int `json:"requests_by_operation"`
	Statuses        map[string]int `json:"answers_by_status"`
	AckEvents       int            `json:"acknowledged_events"`
	AckUpdates      int            `json:"acknowledged_case_updates"`
	AckUploads      int            `json:"acknowledged_uploads"`
	AckWrites       int            `json:"acknowledged_writes"`
	UploadRetries   int            `json:"upload_retries_same_key"`
	Faults          map[string]int `json:"faults_injected"`
	FaultsTotal     int            `json:"faults_total"`
	WritesLost      int            `json:"writes_lost"`
	LostExamples    []string       `json:"lost_examples,omitempty"`
	ReadBackSeconds float64        `json:"read_back_seconds"`
	AuditVerify     verifyResult   `json:"audit_verify"`
	StorageVerify   verifyResult   `json:"storage_verify"`
}

// figures copies the ledger's counts into a result.
func (l *ledger) figures() *result {
	l.mu.Lock()
	defer l.mu.Unlock()
	r := &result{Requests: l.requests, Operations: map[string]int{}, Statuses: map[string]int{},
		AckEvents: len(l.events), AckUpdates: l.nUpdates, AckUploads: len(l.uploads), UploadRetries: l.retried}
	for k, v := range l.ops {
		r.Operations[k] = v
	}
	for k, v := range l.statuses {
		r.Statuses[k] = v
	}
	r.AckWrites = r.AckEvents + r.AckUpdates + r.AckUploads
	return r
}

// readBack reads every acknowledged write back: each event by id, each
// updated case (its version at least the highest acknowledged one, with
// that update's summary when equal), each upload's content (its SHA-256).
func (s *soak) readBack(ctx context.Context) (lost int, examples []string) {
	s.ledger.mu.Lock()
	events := slices.Clone(s.ledger.events)
	uploads := slices.Clone(s.ledger.uploads)
	updates := map[string]ackUpdate{}
	for k, v := range s.ledger.updates {
		updates[k] = v
	}
	s.ledger.mu.Unlock()
	miss := func(format string, args ...any) {
		lost++
		if len(examples) < 10 {
			examples = append(examples, fmt.Sprintf(format, args...))
		}
	}
	get := func(path string) (int, []byte, error) {
		var err error
		for range 3 { // a transport error is retried: the figure is about the data
			r, e := s.c.Get(ctxTimeout(ctx, time.Minute), path)
			if e == nil {
				return r.Status, r.Body, nil
			}
			err = e
			time.Sleep(time.Second)
		}
		return 0, nil, err
	}
	for _, e := range events {
		st, body, err := get("/api/v1/cases/" + e.caseID + "/events/" + e.id)
		var ev struct {
			Description string `json:"description"`
		}
		_ = json.Unmarshal(body, &ev)
		if err != nil || st != http.StatusOK || ev.Description != e.description {
			miss("event %s of case %s: %d %v %q", e.id, e.caseID, st, err, ev.Description)
		}
	}
	for caseID, u := range updates {
		r, err := s.c.Get(ctxTimeout(ctx, time.Minute), "/api/v1/cases/"+caseID)
		if err != nil || r.Status != http.StatusOK {
			miss("case %s: %s %v", caseID, r, err)
			continue
		}
		var c struct {
			Summary string `json:"summary"`
		}
		_ = r.Decode(&c)
		if v := r.ETag(); v < u.version || (v == u.version && c.Summary != u.summary) {
			miss("update of case %s: version %d summary %q, acknowledged %d %q", caseID, v, c.Summary, u.version, u.summary)
		}
	}
	for _, u := range uploads {
		st, body, err := get("/api/v1/cases/" + u.caseID + "/evidence/" + u.id + "/content")
		sum := sha256.Sum256(body)
		if err != nil || st != http.StatusOK || hex.EncodeToString(sum[:]) != u.sha256 {
			miss("upload %s of case %s: %d %v (%d bytes, want %d)", u.id, u.caseID, st, err, len(body), u.size)
		}
	}
	return lost, examples
}

// write prints the figures, appends the JSON line to -out and writes the
// Markdown section to -doc.
func (r *result) write(o options) error {
	for _, n := range r.Faults {
		r.FaultsTotal += n
	}
	line, err := json.Marshal(r)
	if err != nil {
		return err
	}
	fmt.Println(string(line))
	logf("requests %d, acknowledged writes %d (events %d, case updates %d, uploads %d), faults %d %v, answers %v, writes lost %d, audit verify ok=%v, storage verify ok=%v",
		r.Requests, r.AckWrites, r.AckEvents, r.AckUpdates, r.AckUploads, r.FaultsTotal, r.Faults, r.Statuses, r.WritesLost, r.AuditVerify.OK, r.StorageVerify.OK)
	for _, ex := range r.LostExamples {
		logf("LOST: %s", ex)
	}
	if o.out != "" {
		f, err := os.OpenFile(o.out, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
		if err != nil {
			return err
		}
		_, err = f.Write(append(line, '\n'))
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
	if o.doc != "" {
		return os.WriteFile(o.doc, []byte(r.markdown()), 0o644)
	}
	return nil
}

// markdown is the docs/benchmarks.md section of the run.
func (r *result) markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "<!-- soak-bench:start -->\n## Soak: %s of mixed load with faults (%s, %s storage)\n\n", time.Duration(r.LoadSeconds*float64(time.Second)).Round(time.Second), r.Database, r.Storage)
	fmt.Fprintf(&b, "Measured by `scripts/bench/soak.sh` on %s (%d CPUs, Go %s), %d clients, seed %d.\n\n", r.Date[:10], runtime.NumCPU(), strings.TrimPrefix(runtime.Version(), "go"), r.Clients, r.Seed)
	b.WriteString("| Figure | Value |\n|---|---|\n")
	fmt.Fprintf(&b, "| requests | %d |\n", r.Requests)
	fmt.Fprintf(&b, "| acknowledged writes | %d (events %d, case updates %d, uploads %d) |\n", r.AckWrites, r.AckEvents, r.AckUpdates, r.AckUploads)
	fmt.Fprintf(&b, "| uploads retried with the same Idempotency-Key | %d |\n", r.UploadRetries)
	fmt.Fprintf(&b, "| faults injected | %d (%s) |\n", r.FaultsTotal, kv(r.Faults))
	fmt.Fprintf(&b, "| answers by status | %s |\n", kv(r.Statuses))
	fmt.Fprintf(&b, "| **writes lost** | **%d** |\n", r.WritesLost)
	fmt.Fprintf(&b, "| `habeas audit verify` | %s |\n", verdict(r.AuditVerify))
	fmt.Fprintf(&b, "| `habeas storage verify` | %s |\n", verdict(r.StorageVerify))
	fmt.Fprintf(&b, "| read-back of every acknowledged write | %.0fs |\n", r.ReadBackSeconds)
	b.WriteString("<!-- soak-bench:end -->")
	return b.String()
}

func verdict(v verifyResult) string {
	if v.OK {
		return "passed: " + v.Output
	}
	return "FAILED: " + v.Output
}

// kv renders a count map sorted by key: "a 1, b 2".
func kv(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	return strings.Join(parts, ", ")
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}
