// Package metrics holds Habeas's Prometheus metrics, on a registry of its own
// served at /metrics on a separate listen address (HABEAS_METRICS_ADDR), off
// by default. Labels never carry ids, names or paths: only route patterns.
package metrics

import (
	"context"
	"database/sql"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Registry is the registry every Habeas metric is registered on.
var Registry = prometheus.NewRegistry()

var (
	// HTTPRequests counts requests by route pattern, method and status.
	HTTPRequests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "habeas_http_requests_total", Help: "HTTP requests by route pattern, method and status code.",
	}, []string{"route", "method", "status"})
	// HTTPDuration observes request latency by route pattern and method.
	HTTPDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "habeas_http_request_duration_seconds", Help: "HTTP request latency by route pattern and method.",
		Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
	}, []string{"route", "method"})
	// AuthFailures counts refused sign-ins and tokens by reason.
	AuthFailures = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "habeas_auth_failures_total", Help: "Refused sign-ins and tokens by reason.",
	}, []string{"reason"})
	// AuditWrites counts audit entries written, by outcome of the audited act.
	AuditWrites = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "habeas_audit_writes_total", Help: "Audit entries appended, by outcome of the audited act.",
	}, []string{"outcome"})
	// AuditReadBatch observes how many reads each group commit of the
	// audit log carried (audit.Log.RecordRead).
	AuditReadBatch = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name: "habeas_audit_read_batch_size", Help: "Reads recorded per group commit of the audit log.",
		Buckets: []float64{1, 2, 4, 8, 16, 32, 64, 128, 256},
	})
	// Uploads counts evidence uploads by result.
	Uploads = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "habeas_evidence_uploads_total", Help: "Evidence uploads by result.",
	}, []string{"result"})
	// Notifications counts notification deliveries by channel (inbox,
	// email, webhook) and result (created, sent, withheld, failed, retry).
	Notifications = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "habeas_notifications_total", Help: "Notifications by channel (inbox, email, webhook) and result (created, sent, withheld, failed, retry).",
	}, []string{"channel", "result"})
	// UploadBytes counts plaintext bytes of stored evidence.
	UploadBytes = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "habeas_evidence_upload_bytes_total", Help: "Plaintext bytes of evidence stored.",
	})
	// JobsCompleted counts background jobs worked to completion, by kind.
	JobsCompleted = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "habeas_jobs_completed_total", Help: "Background jobs completed on this replica, by job kind.",
	}, []string{"kind"})
	// JobsFailed counts failed attempts that will be retried, by kind.
	JobsFailed = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "habeas_jobs_failed_total", Help: "Background job attempts that failed and will be retried, on this replica, by job kind.",
	}, []string{"kind"})
	// JobsDiscarded counts jobs given up (attempts exhausted or cancelled), by kind.
	JobsDiscarded = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "habeas_jobs_discarded_total", Help: "Background jobs given up on this replica (attempts exhausted, or cancelled), by job kind.",
	}, []string{"kind"})
)

func init() {
	Registry.MustRegister(HTTPRequests, HTTPDuration, AuthFailures, AuditWrites, AuditReadBatch, Uploads, UploadBytes, Notifications, freeSpace,
		JobsCompleted, JobsFailed, JobsDiscarded, jobDepth,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
}

// diskFree samples the free bytes of the watched directories at scrape
// time; SetDiskFreeSource sets what it reads.
type diskFree struct {
	mu     sync.Mutex
	desc   *prometheus.Desc
	source func(fn func(path string, free int64))
}

var freeSpace = &diskFree{desc: prometheus.NewDesc("habeas_disk_free_bytes",
	"Free bytes on the filesystem of each directory Habeas writes to (path: data, database, objects), read at scrape time.",
	[]string{"path"}, nil)}

func (d *diskFree) Describe(ch chan<- *prometheus.Desc) { ch <- d.desc }

func (d *diskFree) Collect(ch chan<- prometheus.Metric) {
	d.mu.Lock()
	source := d.source
	d.mu.Unlock()
	if source == nil {
		return
	}
	source(func(path string, free int64) {
		ch <- prometheus.MustNewConstMetric(d.desc, prometheus.GaugeValue, float64(free), path)
	})
}

// SetDiskFreeSource makes habeas_disk_free_bytes report what source yields
// at each scrape (the app's diskspace.Monitor.Sample: one statfs per path).
func SetDiskFreeSource(source func(fn func(path string, free int64))) {
	freeSpace.mu.Lock()
	defer freeSpace.mu.Unlock()
	freeSpace.source = source
}

// queueDepth reports the jobs in the queue by state, counted at scrape
// time (one GROUP BY on river_job, bounded by a short timeout).
type queueDepth struct {
	mu     sync.Mutex
	desc   *prometheus.Desc
	source func(ctx context.Context) (map[string]int64, error)
}

var jobDepth = &queueDepth{desc: prometheus.NewDesc("habeas_jobs",
	"Background jobs in the queue by state (available, scheduled, running, retryable, completed, discarded, cancelled, pending), counted at scrape time; absent when the count failed.",
	[]string{"state"}, nil)}

func (d *queueDepth) Describe(ch chan<- *prometheus.Desc) { ch <- d.desc }

func (d *queueDepth) Collect(ch chan<- prometheus.Metric) {
	d.mu.Lock()
	source := d.source
	d.mu.Unlock()
	if source == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	counts, err := source(ctx)
	if err != nil {
		return // a scrape must not hang on a busy database; the series is absent this time
	}
	for state, n := range counts {
		ch <- prometheus.MustNewConstMetric(d.desc, prometheus.GaugeValue, float64(n), state)
	}
}

// SetJobDepthSource makes habeas_jobs report what source counts at each
// scrape (jobs.Queue.Counts); nil stops it.
func SetJobDepthSource(source func(ctx context.Context) (map[string]int64, error)) {
	jobDepth.mu.Lock()
	defer jobDepth.mu.Unlock()
	jobDepth.source = source
}

// RegisterDB adds the connection pool statistics of db.
func RegisterDB(db *sql.DB, name string) error {
	return Registry.Register(collectors.NewDBStatsCollector(db, name))
}

// Handler serves the registry in the Prometheus text format.
func Handler() http.Handler {
	return promhttp.HandlerFor(Registry, promhttp.HandlerOpts{Registry: Registry})
}
