package main

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/habeas-org/habeas/internal/app"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/evidence"
	"github.com/habeas-org/habeas/internal/logging"
)

// errVerifyFailed makes `storage verify` exit 1 after listing the problems.
var errVerifyFailed = fmt.Errorf("evidence objects failed verification")

func runStorage(ctx context.Context, e env, args []string) error {
	if len(args) == 0 || (args[0] != "verify" && args[0] != "reconcile") {
		fmt.Fprintln(e.stderr, "Usage: habeas storage verify | habeas storage reconcile")
		return &usageError{msg: "storage needs a subcommand: verify or reconcile"}
	}
	sub := args[0]
	fs := newFlagSet(e, "storage "+sub, map[string]string{
		"verify": "Re-read, decrypt and re-hash every available evidence object; exit 0 when all match, " +
			"1 listing each missing or altered object (each check is audited). A scrub to schedule.",
		"reconcile": "Mark as failed and remove (with their objects, temporary files and S3 multipart uploads) the uploads " +
			"of servers that are gone (no heartbeat for HABEAS_INSTANCE_TIMEOUT) and those unfinished after HABEAS_EVIDENCE_UPLOAD_GRACE, " +
			"remove objects with no evidence row, abort orphan incomplete S3 multipart uploads, and purge the content " +
			"of deleted items past HABEAS_EVIDENCE_RETENTION. serve also runs it every HABEAS_EVIDENCE_RECONCILE_INTERVAL.",
	}[sub])
	cfg, err := parseConfig(e, fs, args[1:])
	if err != nil {
		return err
	}
	logger := logging.New(e.stderr, cfg.LogFormat, cfg.LogLevel)
	d, err := app.OpenDB(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer d.Close()
	store, err := app.OpenStorage(cfg)
	if err != nil {
		return err
	}
	vault, err := app.OpenVault(cfg, store)
	if err != nil {
		return err
	}
	m := evidence.NewMaintenance(d, vault, audit.NewLog(d))
	m.SetInstances(cfg.InstanceTimeout, nil)
	m.SetResumableDir(filepath.Join(cfg.DataDir, "uploads"))

	if sub == "reconcile" {
		rep, err := m.Reconcile(ctx, evidence.ReconcileOptions{Grace: cfg.Evidence.UploadGrace})
		fmt.Fprintf(e.stdout, "uploads of stopped servers: %d\nabandoned uploads: %d\norphan objects deleted: %d\n"+
			"incomplete multipart uploads aborted: %d\ntemporary files removed: %d\ndeleted items purged: %d\n"+
			"expired resumable uploads: %d\npartial upload data removed: %d\n",
			rep.CrashedUploads, rep.AbandonedUploads, rep.OrphansDeleted, rep.MultipartAborted, rep.TempFilesRemoved, rep.Purged,
			rep.ExpiredUploads, rep.PartialDataRemoved)
		return err
	}
	rep, err := m.VerifyAll(ctx, func(r evidence.VerifyReport) {
		fmt.Fprintf(e.stderr, "\rverified %d objects (%d bytes)", r.Checked, r.Bytes)
	})
	fmt.Fprintln(e.stderr)
	for _, p := range rep.Problems {
		fmt.Fprintf(e.stdout, "FAILED item %s (case %s): %s\n", p.ItemID, p.CaseID, p.Reason)
	}
	if err != nil {
		return err
	}
	if !rep.OK() {
		fmt.Fprintf(e.stdout, "%d of %d objects failed verification\n", len(rep.Problems), rep.Checked)
		return errVerifyFailed
	}
	fmt.Fprintf(e.stdout, "all %d evidence objects verified (%d bytes)\n", rep.Checked, rep.Bytes)
	return nil
}
