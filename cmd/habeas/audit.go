package main

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"os"

	"github.com/habeas-org/habeas/internal/app"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/config"
	"github.com/habeas-org/habeas/internal/logging"
)

// errChainBroken makes `audit verify` exit 1 after printing the problem.
var errChainBroken = fmt.Errorf("audit chain broken")

func runAudit(ctx context.Context, e env, args []string) error {
	if len(args) == 0 || (args[0] != "verify" && args[0] != "checkpoint") {
		fmt.Fprintln(e.stderr, "Usage: habeas audit verify [--checkpoint FILE] | habeas audit checkpoint [--out FILE]")
		return &usageError{msg: "audit needs a subcommand: verify or checkpoint"}
	}
	sub := args[0]
	fs := newFlagSet(e, "audit "+sub, map[string]string{
		"verify":     "Re-hash the whole audit chain; exit 0 when intact, 1 naming the first bad entry.",
		"checkpoint": "Print the chain head signed with the checkpoint key, to keep off the host.",
	}[sub])
	cpFile := fs.String("checkpoint", "", "with verify: also check the chain against this signed checkpoint (JSON from `habeas audit checkpoint`)")
	out := fs.String("out", "", "with checkpoint: write the checkpoint to this file instead of stdout")
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
	l := audit.NewLog(d)

	if sub == "checkpoint" {
		key, err := checkpointKey(cfg)
		if err != nil {
			return err
		}
		cp, err := l.Checkpoint(ctx, key)
		if err != nil {
			return err
		}
		b, _ := json.MarshalIndent(cp, "", "  ")
		b = append(b, '\n')
		if *out != "" {
			if err := os.WriteFile(*out, b, 0o600); err != nil {
				return fmt.Errorf("write checkpoint: %w", err)
			}
			fmt.Fprintf(e.stderr, "checkpoint of entry %d written to %s; store a copy off this host\n", cp.Seq, *out)
			return nil
		}
		_, err = e.stdout.Write(b)
		return err
	}

	progress := func(n int64) { fmt.Fprintf(e.stderr, "\rverified %d entries", n) }
	var rep audit.Report
	if *cpFile != "" {
		raw, err := os.ReadFile(*cpFile)
		if err != nil {
			return fmt.Errorf("read checkpoint: %w", err)
		}
		var cp audit.Checkpoint
		if err := json.Unmarshal(raw, &cp); err != nil {
			return &usageError{msg: fmt.Sprintf("checkpoint %s is not a checkpoint JSON: %v", *cpFile, err)}
		}
		key, err := checkpointKey(cfg)
		if err != nil {
			return err
		}
		if err := cp.Check(key.Public().(ed25519.PublicKey)); err != nil {
			return err
		}
		rep, err = l.VerifyCheckpoint(ctx, cp, progress)
		if err != nil {
			return err
		}
	} else if rep, err = l.Verify(ctx, progress); err != nil {
		return err
	}
	fmt.Fprintln(e.stderr)
	if !rep.OK() {
		fmt.Fprintf(e.stdout, "BROKEN at entry %d: %s\n", rep.Problem.Seq, rep.Problem.Reason)
		return errChainBroken
	}
	fmt.Fprintf(e.stdout, "audit chain intact: %d entries, head %d %s\n", rep.Entries, rep.HeadSeq, rep.HeadHash)
	return nil
}

// checkpointKey loads the signing key from env, or from its file (generated when absent).
func checkpointKey(cfg *config.Config) (ed25519.PrivateKey, error) {
	if cfg.AuditKey != "" {
		k, err := audit.ParseKey([]byte(cfg.AuditKey))
		if err != nil {
			return nil, &config.Error{Key: "HABEAS_AUDIT_CHECKPOINT_KEY", Msg: err.Error()}
		}
		return k, nil
	}
	return audit.LoadOrCreateKey(cfg.AuditKeyPath())
}
