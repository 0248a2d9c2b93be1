// Package app is the composition root: configuration -> database -> storage
// -> services -> router, and the server's start and graceful stop.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/auth"
	"github.com/habeas-org/habeas/internal/campaigns"
	"github.com/habeas-org/habeas/internal/caseexport"
	"github.com/habeas-org/habeas/internal/cases"
	"github.com/habeas-org/habeas/internal/config"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/deadlines"
	"github.com/habeas-org/habeas/internal/diskspace"
	"github.com/habeas-org/habeas/internal/dossier"
	"github.com/habeas-org/habeas/internal/evidence"
	"github.com/habeas-org/habeas/internal/httpapi"
	"github.com/habeas-org/habeas/internal/instance"
	"github.com/habeas-org/habeas/internal/jobs"
	"github.com/habeas-org/habeas/internal/metrics"
	"github.com/habeas-org/habeas/internal/notify"
	"github.com/habeas-org/habeas/internal/storage"
	"github.com/habeas-org/habeas/internal/support"
	"github.com/habeas-org/habeas/internal/timeline"
)

// App is a wired Habeas server.
type App struct {
	Config  *config.Config
	Logger  *slog.Logger
	DB      *db.DB
	Storage storage.Storage
	// Audit is the hash-chained audit trail every service records into.
	Audit *audit.Log
	// Denials counts refused requests into Audit, one entry per actor,
	// route and minute; Serve flushes it, Close records what is left.
	Denials *audit.Denials
	// Vault stores and reads the encrypted evidence objects.
	Vault *evidence.Vault
	// Evidence is the evidence-vault service.
	Evidence *evidence.Service
	// EvidenceMaintenance verifies and reconciles the vault.
	EvidenceMaintenance *evidence.Maintenance
	// Auth is the identity service (users, sessions, tokens, TOTP).
	Auth *auth.Service
	// Cases is the case-records service (detainees, cases, lawyers, assignments, shares).
	Cases *cases.Service
	// Deadlines computes the legal time limits of cases (issue 9).
	Deadlines *deadlines.Service
	// Timeline is the case-timeline service (events, hearings, calendar feeds).
	Timeline *timeline.Service
	// Support is the international-support service (partners, support actions).
	Support *support.Service
	// Dossier exports cases as PDF documents (dossier, WGAD draft).
	Dossier *dossier.Service
	// Export exports cases for other tools and imports a case's JSON export.
	Export *caseexport.Service
	// Campaigns serves campaigns and crackdowns (issue 25).
	Campaigns *campaigns.Service
	// Notifications serves the inbox, settings and the scanner (issue 26).
	Notifications *notify.Service
	// Bootstrap says whether start-up created the first admin, and where the
	// generated one-time password is while it is unused.
	Bootstrap *auth.BootstrapResult
	// Disk watches free space (HABEAS_MIN_FREE_SPACE): readiness, write
	// refusal, metrics, and the SQLite WAL checkpoint after a full disk.
	Disk *diskspace.Monitor
	// Handler is the HTTP edge: Router, with JSON answers gzipped
	// (httpapi.Compress).
	Handler http.Handler
	// Router is the gin engine inside Handler (its routes).
	Router *gin.Engine
	// Jobs is the background job queue (internal/jobs, docs/jobs.md):
	// register workers and periodic jobs on it before Serve, which starts
	// it; Close stops it. Tests that want jobs worked call Jobs.Start.
	Jobs *jobs.Queue
	// Instance is this process's registration in the instances table: the
	// owner of its uploads, kept live by a heartbeat until Close.
	Instance *instance.Self

	closeDB       func()
	stopHeartbeat func()
	liveElsewhere bool // the start-up recovery left uploads of instances that looked live
}

// Option adjusts how New wires the app (tests use it).
type Option func(*options)

type options struct {
	extraRoutes    func(*gin.Engine)
	db             *db.DB
	recorder       audit.Recorder
	passwordParams auth.Params
	fonts          *dossier.Fonts
}

// WithPDFFonts uses these fonts for PDF exports instead of looking for them
// (tests use it to take a font away).
func WithPDFFonts(f *dossier.Fonts) Option {
	return func(o *options) { o.fonts = f }
}

// WithRecorder replaces the audit recorder handed to the services (tests use
// it to capture entries); the default is the durable audit log.
func WithRecorder(r audit.Recorder) Option {
	return func(o *options) { o.recorder = r }
}

// WithPasswordParams sets the argon2id parameters of new password hashes.
// Tests use cheap ones (auth.FastTestParams); there is deliberately no
// configuration key for this, so production always uses auth.DefaultParams.
func WithPasswordParams(p auth.Params) Option {
	return func(o *options) { o.passwordParams = p }
}

// WithDB uses an already opened database (tests use it); it is migrated but
// not closed by App.Close.
func WithDB(d *db.DB) Option {
	return func(o *options) { o.db = d }
}

// WithExtraRoutes registers additional routes on the router.
func WithExtraRoutes(fn func(*gin.Engine)) Option {
	return func(o *options) { o.extraRoutes = fn }
}

// New opens the database (migrating it) and storage and builds the router.
func New(ctx context.Context, cfg *config.Config, logger *slog.Logger, opts ...Option) (*App, error) {
	var o options
	for _, fn := range opts {
		fn(&o)
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("create data dir %s: %w", cfg.DataDir, err)
	}
	database, ownDB := o.db, o.db == nil
	if ownDB {
		var err error
		if database, err = OpenDB(ctx, cfg, logger); err != nil {
			return nil, err
		}
	}
	database.QueryTimeout = cfg.DBQueryTimeout // a database given with WithDB too
	closeDB := func() {
		if ownDB {
			_ = database.Close()
		}
	}
	n, err := database.Migrate(ctx)
	if err != nil {
		closeDB()
		return nil, err
	}
	logger.Info("database ready", "dialect", string(database.Dialect), "migrations_applied", n)
	if err := cases.BackfillSearch(ctx, database, logger); err != nil {
		closeDB()
		return nil, err
	}
	store, err := OpenStorage(cfg)
	if err != nil {
		closeDB()
		return nil, err
	}
	if err := metrics.RegisterDB(database.SQL(), string(database.Dialect)); err != nil {
		logger.Debug("database pool metrics already registered", "error", err.Error())
	}
	vault, err := OpenVault(cfg, store)
	if err != nil {
		closeDB()
		return nil, err
	}
	a := &App{Config: cfg, Logger: logger, DB: database, Storage: store, Audit: NewAuditLog(database), Vault: vault, closeDB: closeDB}
	a.Denials = audit.NewDenials(a.Audit)
	var rec audit.Recorder = a.Audit
	if o.recorder != nil {
		rec = o.recorder
	}
	a.Evidence = evidence.NewService(database, vault, rec, a.Audit, cfg.Evidence.Retention, logger)
	a.EvidenceMaintenance = evidence.NewMaintenance(database, vault, rec)
	resumable := filepath.Join(cfg.DataDir, "uploads")
	a.Evidence.SetResumable(resumable, cfg.Evidence.ResumableExpiry)
	a.EvidenceMaintenance.SetResumableDir(resumable)
	if a.Auth, err = NewAuth(cfg, database, rec, o.passwordParams); err != nil {
		closeDB()
		return nil, err
	}
	a.Bootstrap, err = a.Auth.Bootstrap(ctx, auth.BootstrapInput{
		Email: cfg.BootstrapAdminEmail, Password: cfg.BootstrapAdminPassword, DataDir: cfg.DataDir,
	})
	if err != nil {
		closeDB()
		if errors.Is(err, auth.ErrBootstrapPassword) {
			return nil, &config.Error{Key: "HABEAS_BOOTSTRAP_ADMIN_PASSWORD", Msg: err.Error()}
		}
		return nil, fmt.Errorf("create the first admin: %w", err)
	}
	if a.Bootstrap.Created {
		logger.Info("first admin created", "email", a.Bootstrap.Email)
	}
	a.Cases = cases.NewService(database, rec)
	a.Timeline = timeline.NewService(database, rec, SupportTimeline{})
	a.Deadlines = deadlines.NewService(database, TimelineEvents{}, rec)
	a.Cases.SetReleaseSource(CaseReleases{Deadlines: a.Deadlines})
	a.Support = support.NewService(database, rec)
	fonts := o.fonts
	if fonts == nil {
		fonts = dossier.FindFonts(cfg.PDFFontDir)
	}
	if err := fonts.Check(); err != nil {
		logger.Warn("PDF fonts missing: dossiers needing them are refused (503 pdf_font_missing)", "error", err.Error())
	} else {
		logger.Info("PDF fonts", "latin", fonts.Latin.Path, "cjk", fonts.CJK.Path)
	}
	a.Dossier = dossier.NewService(database, rec, fonts, dossierSources(), logger)
	a.Dossier.SetOrganisation(cfg.Organisation)
	a.Export = caseexport.NewService(database, rec, a.Deadlines)
	a.Campaigns = campaigns.NewService(database, rec)
	a.Notifications = notify.NewService(database, rec, logger, notify.Options{PublicURL: cfg.PublicURL, Language: cfg.NotifyLanguage,
		IncludeNames: cfg.NotifyIncludeNames})
	if err := a.setNotifyChannels(); err != nil {
		closeDB()
		return nil, err
	}
	a.Notifications.SetRefresh(func(ctx context.Context) error { _, err := a.Deadlines.RefreshOnce(ctx); return err })
	a.Jobs, err = jobs.New(ctx, database, jobs.Config{Workers: cfg.JobsWorkers, PollInterval: cfg.JobsPollInterval, Logger: logger})
	if err != nil {
		closeDB()
		return nil, err
	}
	a.Jobs.RegisterMetrics()
	if err := a.Notifications.Register(a.Jobs, cfg.NotifyScanInterval); err != nil {
		_ = a.Jobs.Stop(context.Background())
		closeDB()
		return nil, err
	}
	closeDBOnly := closeDB
	closeDB = func() { _ = a.Jobs.Stop(context.Background()); closeDBOnly() }
	a.Disk = newDiskMonitor(cfg, database, logger)
	metrics.SetDiskFreeSource(a.Disk.Sample)
	h, err := httpapi.New(httpapi.Deps{
		Logger: logger,
		Checks: []httpapi.Check{
			{Name: "database", Fn: database.Ping},
			{Name: "storage", Fn: store.Ping},
			// Free space and threshold only: no directory names.
			{Name: "disk_space", Fn: a.Disk.Check, ShowError: true},
			// A missing font degrades PDF exports only: reported, not unready.
			{Name: "pdf_fonts", Fn: func(context.Context) error { return fonts.Check() }, Warn: true, ShowError: true},
		},
		TrustedProxies: cfg.TrustedProxies,
		Auth:           a.Auth,
		Cases:          a.Cases,
		Evidence:       a.Evidence,
		Timeline:       a.Timeline,
		Support:        a.Support,
		Dossier:        a.Dossier,
		Export:         a.Export,
		Campaigns:      a.Campaigns,
		Notifications:  a.Notifications,
		Deadlines:      a.Deadlines,
		Audit:          a.Audit,
		Jobs:           a.Jobs,
		Denials:        a.Denials,
		Disk:           a.Disk,
		SecureCookies:  cfg.SecureCookies(),
		PublicURL:      cfg.PublicURL,
		CORSOrigins:    cfg.CORSOrigins,
		MaxJSONBody:    cfg.MaxJSONBody,
		Extra:          o.extraRoutes,
	})
	if err != nil {
		closeDB()
		return nil, err
	}
	a.Router = h
	a.Handler, err = httpapi.Compress(h)
	if err != nil {
		closeDB()
		return nil, err
	}
	if err := a.startInstance(ctx); err != nil {
		closeDB()
		return nil, err
	}
	return a, nil
}

// startInstance registers this process in the instances table, starts its
// heartbeat, makes the uploads and local temporary files record it as their
// owner, and runs the crash recovery once (before serving): what gone
// instances left (pending uploads, temporary files, S3 multipart uploads)
// is removed at once. A recovery that fails (storage down) is logged, not
// fatal: reconcile retries it.
func (a *App) startInstance(ctx context.Context) error {
	cfg := a.Config
	a.Instance = instance.New(a.DB, cfg.InstanceTimeout, a.Logger)
	if err := a.Instance.Register(ctx); err != nil {
		return err
	}
	hctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); a.Instance.Run(hctx) }()
	a.stopHeartbeat = func() { stop(); <-done }
	if l, ok := a.Storage.(interface{ SetOwner(string) }); ok {
		l.SetOwner(a.Instance.ID())
	}
	a.Evidence.SetInstance(a.Instance)
	a.EvidenceMaintenance.SetInstances(cfg.InstanceTimeout, a.Evidence)
	rctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	a.liveElsewhere = a.recoverUploads(rctx)
	return nil
}

// recoverUploads runs the crash recovery once and logs what it did. It
// returns whether uploads of other instances that look live were left: one
// that has just died looks live until HABEAS_INSTANCE_TIMEOUT has passed
// (a restart in a new container, where its PID cannot be checked).
func (a *App) recoverUploads(ctx context.Context) (liveElsewhere bool) {
	rep, err := a.EvidenceMaintenance.Recover(ctx, evidence.ReconcileOptions{Grace: a.Config.Evidence.UploadGrace})
	if err != nil {
		a.Logger.Error("crash recovery failed; reconcile will retry", "error", err.Error())
		return false
	}
	if rep != (evidence.ReconcileReport{}) {
		a.Logger.Info("crash recovery", "instance", a.Instance.ID(), "crashed_uploads", rep.CrashedUploads,
			"abandoned_uploads", rep.AbandonedUploads, "temp_files_removed", rep.TempFilesRemoved,
			"multipart_aborted", rep.MultipartAborted, "live_elsewhere", rep.LiveElsewhere)
	}
	return rep.LiveElsewhere > 0
}

// recoverAgainLater runs the crash recovery once more when the start-up run
// left uploads of instances that looked live, as soon as a dead one among
// them has missed its heartbeat for HABEAS_INSTANCE_TIMEOUT.
func (a *App) recoverAgainLater(ctx context.Context, needed bool) {
	if !needed {
		return
	}
	select {
	case <-ctx.Done():
		return
	case <-time.After(a.Config.InstanceTimeout + instance.HeartbeatInterval):
	}
	rctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	a.recoverUploads(rctx)
}

// NewAuth builds the identity service from the configuration: it loads (or
// generates into the data dir) the token signing key. Zero params mean
// auth.DefaultParams.
func NewAuth(cfg *config.Config, d *db.DB, rec audit.Recorder, params auth.Params) (*auth.Service, error) {
	key, err := auth.LoadSigningKey(cfg.JWTPrivateKey, cfg.DataDir)
	if err != nil {
		if cfg.JWTPrivateKey != "" {
			return nil, &config.Error{Key: "HABEAS_JWT_PRIVATE_KEY", Msg: err.Error()}
		}
		return nil, err
	}
	roles := make([]actor.Role, 0, len(cfg.MFARequiredRoles))
	for _, r := range cfg.MFARequiredRoles {
		roles = append(roles, actor.Role(r))
	}
	passkeyRoles := make([]actor.Role, 0, len(cfg.PasskeyRequiredRoles))
	for _, r := range cfg.PasskeyRequiredRoles {
		passkeyRoles = append(passkeyRoles, actor.Role(r))
	}
	return auth.New(d, rec, auth.Options{
		PasskeyRequiredRoles: passkeyRoles,
		WebAuthnRPID:         cfg.WebAuthnRPIDOrDefault(),
		WebAuthnOrigins:      cfg.WebAuthnOrigins(),
		Issuer:               cfg.JWTIssuer,
		SigningKey:           key,
		AccessTTL:            cfg.AccessTokenTTL,
		SessionIdle:          cfg.SessionIdleTimeout,
		SessionMaxAge:        cfg.SessionMaxAge,
		MFARequiredRoles:     roles,
		PairMaxFailures:      cfg.LoginMaxFailuresPerAccountAddress,
		AccountMaxFailures:   cfg.LoginMaxFailuresPerAccount,
		AddressMaxFailures:   cfg.LoginMaxFailuresPerAddress,
		Lockout:              cfg.LoginLockout,
		Password:             params,
		InitialPasswordFile:  filepath.Join(cfg.DataDir, auth.InitialPasswordFileName),
	})
}

// OpenDB opens the configured database without migrating it.
func OpenDB(ctx context.Context, cfg *config.Config, logger *slog.Logger) (*db.DB, error) {
	return db.Open(ctx, db.Options{
		PostgresURL:    cfg.DatabaseURL,
		SQLitePath:     cfg.SQLitePath(),
		ConnectTimeout: cfg.DBConnectTimeout,
		MaxConns:       cfg.DBMaxConns,
		QueryTimeout:   cfg.DBQueryTimeout,
		Logger:         logger,
	})
}

// OpenStorage opens the configured object storage. For S3 it checks, within
// 30s, that the bucket exists and the credentials are accepted; every later
// call has the configured deadlines (HABEAS_S3_CONNECT_TIMEOUT,
// HABEAS_STORAGE_CALL_TIMEOUT, HABEAS_STORAGE_STALL_TIMEOUT).
func OpenStorage(cfg *config.Config) (storage.Storage, error) {
	switch cfg.Storage {
	case "local":
		return storage.NewLocal(cfg.ObjectDir())
	case "s3":
		return storage.NewS3(context.Background(), storage.S3Options{
			Endpoint:     cfg.S3.Endpoint,
			Bucket:       cfg.S3.Bucket,
			AccessKey:    cfg.S3.AccessKey,
			SecretKey:    cfg.S3.SecretKey.Reveal(),
			UseTLS:       cfg.S3.UseTLS,
			Region:       cfg.S3.Region,
			StartTimeout: 30 * time.Second,
			// Zero (a configuration built without Load) means the driver's default.
			ConnectTimeout: cfg.S3.ConnectTimeout,
			CallTimeout:    cfg.StorageCallTimeout,
			StallTimeout:   cfg.StorageStallTimeout,
		})
	default:
		return nil, &config.Error{Key: "HABEAS_STORAGE", Msg: fmt.Sprintf("driver %q is not available yet", cfg.Storage)}
	}
}

// OpenVault loads (generating on first start) the evidence encryption keys
// and returns the vault over store.
func OpenVault(cfg *config.Config, store storage.Storage) (*evidence.Vault, error) {
	keys, err := evidence.LoadKeys(evidence.KeyOptions{
		Identity:     cfg.Evidence.AgeIdentity.Reveal(),
		IdentityFile: cfg.EvidenceIdentityPath(),
		Recovery:     cfg.Evidence.RecoveryRecipient,
	})
	if err != nil {
		return nil, &config.Error{Key: "evidence keys", Msg: err.Error()}
	}
	return evidence.NewVault(store, keys, cfg.Evidence.MaxBytes), nil
}

// reconcileLoop runs the vault's reconcile every configured interval until
// ctx ends (disabled when the interval is 0).
func (a *App) reconcileLoop(ctx context.Context) {
	if a.Config.Evidence.ReconcileInterval <= 0 || a.EvidenceMaintenance == nil {
		return
	}
	a.EvidenceMaintenance.RunPeriodically(ctx, a.Config.Evidence.ReconcileInterval,
		evidence.ReconcileOptions{Grace: a.Config.Evidence.UploadGrace},
		func(r evidence.ReconcileReport, err error) {
			if err != nil {
				a.Logger.Error("evidence reconcile failed", "error", err.Error())
				// Admins are told (notification rule operations_failed).
				if aerr := a.Audit.Record(ctx, nil, audit.Entry{Action: "evidence.reconcile", ObjectType: "evidence", ActorRole: "system",
					Outcome: audit.Failed, Details: map[string]any{"error": "reconcile failed: see the server log"}}); aerr != nil {
					a.Logger.Error("audit reconcile failure", "error", aerr.Error())
				}
				return
			}
			a.Logger.Info("evidence reconcile", "crashed_uploads", r.CrashedUploads, "abandoned_uploads", r.AbandonedUploads,
				"orphans_deleted", r.OrphansDeleted, "multipart_aborted", r.MultipartAborted, "temp_files_removed", r.TempFilesRemoved,
				"purged", r.Purged, "expired_resumable_uploads", r.ExpiredUploads, "partial_data_removed", r.PartialDataRemoved)
		})
}

// Close stops the heartbeat and deregisters this instance (from then on it
// is gone: anything it left is cleaned up at once by the others or the next
// start), then releases the database (unless it was given with WithDB).
// Call it after Serve has returned.
func (a *App) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if a.Jobs != nil {
		if jerr := a.Jobs.Stop(ctx); jerr != nil {
			a.Logger.Error("stopping the job queue", "error", jerr.Error())
		}
	}
	err := a.Denials.Close(ctx)
	if err != nil {
		a.Logger.Error("recording the last denial counts failed", "error", err.Error())
	}
	if a.stopHeartbeat != nil {
		a.stopHeartbeat()
		if derr := a.Instance.Deregister(ctx); derr != nil {
			a.Logger.Warn("deregistering the instance failed; it is taken for gone after HABEAS_INSTANCE_TIMEOUT", "error", derr.Error())
		}
		a.stopHeartbeat = nil
	}
	a.closeDB()
	return err
}

// Server returns the http.Server with the configured timeouts.
func (a *App) Server() *http.Server {
	return &http.Server{
		Addr:              a.Config.Addr,
		Handler:           a.Handler,
		ReadHeaderTimeout: a.Config.ReadHeaderTimeout,
		ReadTimeout:       a.Config.ReadTimeout,
		WriteTimeout:      a.Config.WriteTimeout,
		IdleTimeout:       a.Config.IdleTimeout,
		// Go's default (1 MiB): an oversized Authorization header must reach the
		// auth middleware, which answers 401 in the JSON error shape without
		// parsing it; a smaller cap makes net/http answer a bare 431 instead.
		// Memory stays bounded: 1 MiB per connection reading headers, for at
		// most ReadHeaderTimeout.
		MaxHeaderBytes: 1 << 20,
		ErrorLog:       slog.NewLogLogger(a.Logger.Handler(), slog.LevelWarn),
	}
}

// cutOffWait bounds how long a stop waits for the clean-up of the uploads it
// cut off.
const cutOffWait = 30 * time.Second

// waitCutOffUploads waits (at most cutOffWait) until no upload is in progress.
func (a *App) waitCutOffUploads() {
	ctx, cancel := context.WithTimeout(context.Background(), cutOffWait)
	defer cancel()
	if n := a.Evidence.WaitUploads(ctx); n > 0 {
		a.Logger.Error("uploads still cleaning up when the server stopped; the next start removes them", "uploads", n)
		return
	}
	a.Logger.Info("cut-off requests cleaned up")
}

// Serve listens and serves until ctx ends or SIGTERM/SIGINT arrives, then
// lets in-flight requests finish within the grace period. Past it, the
// requests still running are cancelled and Serve waits (at most 30s) for
// the uploads among them to clean up before it returns. ready, when not
// nil, receives the bound address once the listener is open.
func (a *App) Serve(ctx context.Context, ready func(addr net.Addr)) error {
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	srv := a.Server()
	// Requests run under reqCtx: past the shutdown grace it is cancelled, so
	// the requests that did not finish stop and clean up (see the end).
	reqCtx, cutOff := context.WithCancel(context.Background())
	defer cutOff()
	srv.BaseContext = func(net.Listener) context.Context { return reqCtx }
	ln, err := net.Listen("tcp", a.Config.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s (HABEAS_ADDR): %w", a.Config.Addr, err)
	}
	if ready != nil {
		ready(ln.Addr())
	}
	errc := make(chan error, 2)
	go func() { errc <- srv.Serve(ln) }()
	bgCtx, stopBackground := context.WithCancel(ctx)
	defer stopBackground()
	go a.reconcileLoop(bgCtx)
	// The queue outlives bgCtx: Close stops it, letting running jobs finish.
	if err := a.Jobs.Start(context.WithoutCancel(ctx)); err != nil {
		_ = srv.Close()
		return err
	}
	go a.recoverAgainLater(bgCtx, a.liveElsewhere)
	go a.Deadlines.RunRefresher(bgCtx, time.Second, a.Logger)
	go a.Disk.Run(bgCtx, diskCheckInterval)
	go a.Denials.Run(bgCtx, 5*time.Second, func(err error) {
		a.Logger.Error("recording denial counts failed; kept for the next try", "error", err.Error())
	})
	var msrv *http.Server
	if a.Config.MetricsAddr != "" {
		mln, err := net.Listen("tcp", a.Config.MetricsAddr)
		if err != nil {
			_ = srv.Close()
			return fmt.Errorf("listen on %s (HABEAS_METRICS_ADDR): %w", a.Config.MetricsAddr, err)
		}
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", metrics.Handler())
		msrv = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second, WriteTimeout: 30 * time.Second}
		go func() { errc <- msrv.Serve(mln) }()
		a.Logger.Info("metrics listening", "addr", mln.Addr().String())
	}
	select {
	case err := <-errc:
		return fmt.Errorf("http server: %w", err)
	case <-ctx.Done():
	}
	stop() // a second signal now kills the process the default way
	a.Logger.Info("shutting down; waiting for in-flight requests", "grace", a.Config.ShutdownGrace.String())
	sctx, cancel := context.WithTimeout(context.Background(), a.Config.ShutdownGrace)
	defer cancel()
	if msrv != nil {
		_ = msrv.Shutdown(sctx)
		<-errc
	}
	if err := srv.Shutdown(sctx); err != nil {
		// Past the grace: cancel the requests still running and close their
		// connections, then wait (bounded) for the uploads among them to
		// clean up (object, pending row, audit) while the database is open.
		cutOff()
		_ = srv.Close()
		a.waitCutOffUploads()
		return fmt.Errorf("graceful shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("http server: %w", err)
	}
	a.Logger.Info("stopped")
	return nil
}
