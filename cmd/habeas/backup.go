package main

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/habeas-org/habeas/internal/app"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/auth"
	"github.com/habeas-org/habeas/internal/backup"
	"github.com/habeas-org/habeas/internal/config"
	"github.com/habeas-org/habeas/internal/logging"
)

const keysWarning = `
WARNING: --include-keys: this backup contains the PRIVATE KEYS of this Habeas
(the evidence age identity, which decrypts EVERY evidence file; the token
signing key; the audit checkpoint key). Anyone who gets this folder can read
all evidence and sign in as anyone. Encrypt it before it leaves this host
(e.g. tar c DIR | age -r age1... > backup.tar.age) and keep it apart from
ordinary backups. See docs/operations.md.
`

func runBackup(ctx context.Context, e env, args []string) error {
	fs := newFlagSet(e, "backup", "Write a complete backup into a new folder: a consistent database snapshot "+
		"(pg_dump custom format for PostgreSQL, VACUUM INTO for SQLite), every evidence object as stored "+
		"(encrypted, never decrypted), and manifest.json with the SHA-256 and size of every file, the schema "+
		"version and the audit chain head. Private keys are NOT included unless --include-keys: back them up "+
		"separately (docs/operations.md). The backup is written to a hidden folder next to --out and renamed "+
		"when complete; an interrupted backup never looks complete.")
	out := fs.String("out", "", "folder to create for the backup (must not exist, or be empty)")
	includeKeys := fs.Bool("include-keys", false, "also copy the private keys (evidence identity, token and checkpoint keys) into keys/: read docs/operations.md first")
	pgBin := fs.String("pg-bin-dir", "", "folder of pg_dump (PostgreSQL only; default: PATH), e.g. /usr/lib/postgresql/15/bin")
	cfg, err := parseConfig(e, fs, args)
	if err != nil {
		return err
	}
	if *out == "" {
		return &usageError{msg: "backup needs --out DIR"}
	}
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
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
	_, statErr := os.Stat(cfg.BackupKeyPath())
	generated := cfg.BackupKey == "" && errors.Is(statErr, os.ErrNotExist)
	signingKey, err := backupKey(cfg, true)
	if err != nil {
		return err
	}
	if generated {
		fmt.Fprintf(e.stderr, "NOTE: generated the backup signing key %s (mode 0600). Back it up with the other keys:\n"+
			"  restore refuses a backup whose manifest signature it cannot verify with this key (docs/operations.md).\n", cfg.BackupKeyPath())
	}
	var keys []backup.Key
	if *includeKeys {
		if keys, err = collectKeys(cfg); err != nil {
			return err
		}
		fmt.Fprint(e.stderr, keysWarning)
	}
	m, err := backup.Create(ctx, backup.Options{
		DB: d, DatabaseURL: cfg.DatabaseURL, Storage: store, Out: *out, PGBinDir: *pgBin,
		Version: version, Keys: keys, Progress: progressPrinter(e.stderr, "backup"), Audit: audit.NewLog(d),
		SigningKey: signingKey,
	})
	fmt.Fprintln(e.stderr)
	if m == nil {
		return err
	}
	fmt.Fprintf(e.stdout, "backup written to %s\n  database: %s, schema version %d\n  evidence objects: %d (%s, encrypted as stored)\n  audit head: entry %d %s\n  manifest signed with backup key %s\n",
		*out, m.Dialect, m.SchemaVersion, m.Objects, humanBytes(m.ObjectBytes), m.AuditHead.Seq, m.AuditHead.Hash,
		audit.KeyID(signingKey.Public().(ed25519.PublicKey)))
	if m.IncludesKeys {
		fmt.Fprintf(e.stdout, "  PRIVATE KEYS INCLUDED in %s: %s\n", filepath.Join(*out, backup.KeysDir), keyNames(keys))
	} else {
		fmt.Fprintln(e.stdout, "  private keys: not included; back them up separately (docs/operations.md)")
	}
	for _, p := range m.Problems {
		fmt.Fprintf(e.stdout, "  PROBLEM object %s: %s\n", p.StorageKey, p.Reason)
	}
	return err
}

func runRestore(ctx context.Context, e env, args []string) error {
	fs := newFlagSet(e, "restore", "Restore a backup made by `habeas backup` into an EMPTY database and EMPTY "+
		"storage (as configured, like serve). Refuses, changing nothing, when the database has tables, the "+
		"storage has objects, or any file of the backup differs from its manifest. Restores the objects, then "+
		"the database, then verifies the audit chain against the manifest's head and records the restore. "+
		"Install the private keys from your key backup before starting habeas (docs/operations.md).")
	from := fs.String("from", "", "backup folder written by habeas backup")
	pgBin := fs.String("pg-bin-dir", "", "folder of pg_restore (PostgreSQL only; default: PATH), e.g. /usr/lib/postgresql/15/bin")
	cfg, err := parseConfig(e, fs, args)
	if err != nil {
		return err
	}
	if *from == "" {
		return &usageError{msg: "restore needs --from DIR"}
	}
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	logger := logging.New(e.stderr, cfg.LogFormat, cfg.LogLevel)
	signingKey, err := backupKey(cfg, false)
	if err != nil {
		return err
	}
	pub := signingKey.Public().(ed25519.PublicKey)
	m, err := backup.VerifyManifest(*from, pub)
	if err != nil {
		return err
	}
	keyNote := identityNote(cfg, *from, m)
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return fmt.Errorf("create data dir %s: %w", cfg.DataDir, err)
	}
	store, err := app.OpenStorage(cfg)
	if err != nil {
		return err
	}
	res, err := backup.Restore(ctx, backup.RestoreOptions{
		From: *from, PublicKey: pub, DatabaseURL: cfg.DatabaseURL, SQLitePath: cfg.SQLitePath(), Storage: store, PGBinDir: *pgBin,
		ConnectTimeout: cfg.DBConnectTimeout, Logger: logger, Progress: progressPrinter(e.stderr, "restore"),
	})
	fmt.Fprintln(e.stderr)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "restored %s (made %s by habeas %s)\n  database: %s, schema version %d\n  evidence objects: %d (%s)\n  audit chain intact: %d entries, head %d %s (as in the manifest)\n",
		*from, res.Manifest.CreatedAt, res.Manifest.HabeasVersion, res.Manifest.Dialect, res.Manifest.SchemaVersion,
		res.Manifest.Objects, humanBytes(res.Manifest.ObjectBytes), res.Audit.Entries, res.Audit.HeadSeq, res.Audit.HeadHash)
	if keyNote != "" {
		fmt.Fprint(e.stdout, keyNote)
	}
	return nil
}

// identityNote warns when the configured evidence identity will not decrypt
// the backup's objects (missing, or another key), and says where keys
// included in the backup are.
func identityNote(cfg *config.Config, from string, m *backup.Manifest) string {
	var b strings.Builder
	if m.IncludesKeys {
		fmt.Fprintf(&b, "  this backup includes private keys in %s: install them before starting habeas\n"+
			"    (evidence-age-identity.txt -> %s, jwt-ed25519.pem -> %s, audit-checkpoint-key.pem -> %s; mode 0600),\n"+
			"    or put their text in the environment (docs/operations.md)\n",
			filepath.Join(from, backup.KeysDir), cfg.EvidenceIdentityPath(), filepath.Join(cfg.DataDir, auth.KeyFileName), cfg.AuditKeyPath())
	}
	text := cfg.Evidence.AgeIdentity.Reveal()
	if strings.TrimSpace(text) == "" {
		raw, err := os.ReadFile(cfg.EvidenceIdentityPath())
		if err != nil {
			fmt.Fprintf(&b, "  WARNING: no evidence age identity is installed (%s, or HABEAS_EVIDENCE_AGE_IDENTITY).\n"+
				"    Install the identity of the backed-up instance BEFORE starting habeas: otherwise habeas generates a\n"+
				"    new one and the restored evidence cannot be decrypted.\n", cfg.EvidenceIdentityPath())
			return b.String()
		}
		text = string(raw)
	}
	if err := backup.CheckIdentity(from, m, text); err != nil {
		if errors.Is(err, backup.ErrWrongIdentity) {
			fmt.Fprintf(&b, "  WARNING: %v.\n    Install the identity of the backed-up instance before starting habeas.\n", err)
		} else {
			fmt.Fprintf(&b, "  WARNING: could not check the evidence identity: %v\n", err)
		}
	}
	return b.String()
}

// backupKey loads the backup signing key from the environment or its file.
// A backup (create) generates the file when it is missing; a restore never
// does: it needs the key of the instance that made the backup.
func backupKey(cfg *config.Config, create bool) (ed25519.PrivateKey, error) {
	if cfg.BackupKey != "" {
		k, err := audit.ParseKey([]byte(cfg.BackupKey))
		if err != nil {
			return nil, &config.Error{Key: "HABEAS_BACKUP_SIGNING_KEY", Msg: err.Error()}
		}
		return k, nil
	}
	path := cfg.BackupKeyPath()
	if create {
		k, err := audit.LoadOrCreateKey(path)
		if err != nil {
			return nil, fmt.Errorf("backup signing key: %w", err)
		}
		return k, nil
	}
	raw, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("no backup signing key at %s (or HABEAS_BACKUP_SIGNING_KEY): install the key of the instance "+
			"that made the backup, from your key backup, before restoring (docs/operations.md); without it the backup cannot be verified", path)
	}
	if err != nil {
		return nil, fmt.Errorf("read backup signing key: %w", err)
	}
	k, err := audit.ParseKey(raw)
	if err != nil {
		return nil, fmt.Errorf("backup signing key %s: %w", path, err)
	}
	return k, nil
}

// collectKeys reads the private keys from the environment or their files.
func collectKeys(cfg *config.Config) ([]backup.Key, error) {
	var keys []backup.Key
	add := func(name, text, file string) error {
		if strings.TrimSpace(text) != "" {
			keys = append(keys, backup.Key{Name: name, Content: []byte(text)})
			return nil
		}
		raw, err := os.ReadFile(file)
		if errors.Is(err, os.ErrNotExist) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read key %s: %w", file, err)
		}
		keys = append(keys, backup.Key{Name: name, Content: raw})
		return nil
	}
	if err := add("evidence-age-identity.txt", cfg.Evidence.AgeIdentity.Reveal(), cfg.EvidenceIdentityPath()); err != nil {
		return nil, err
	}
	jwtText, jwtFile := "", filepath.Join(cfg.DataDir, auth.KeyFileName)
	if j := cfg.JWTPrivateKey; strings.Contains(j, "-----BEGIN") {
		jwtText = j
	} else if strings.TrimSpace(j) != "" {
		jwtFile = j
	}
	if err := add(auth.KeyFileName, jwtText, jwtFile); err != nil {
		return nil, err
	}
	if err := add("audit-checkpoint-key.pem", cfg.AuditKey, cfg.AuditKeyPath()); err != nil {
		return nil, err
	}
	return keys, nil
}

func keyNames(keys []backup.Key) string {
	names := make([]string, 0, len(keys))
	for _, k := range keys {
		names = append(names, k.Name)
	}
	return strings.Join(names, ", ")
}

// progressPrinter rewrites one status line on w.
func progressPrinter(w io.Writer, verb string) func(backup.Progress) {
	return func(p backup.Progress) {
		if p.TotalFiles == 0 && p.Files == 0 {
			fmt.Fprintf(w, "\r%s: %s...", verb, p.Phase)
			return
		}
		fmt.Fprintf(w, "\r%s: %s %d/%d files, %s/%s   ", verb, p.Phase, p.Files, p.TotalFiles, humanBytes(p.Bytes), humanBytes(p.TotalBytes))
	}
}

func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
