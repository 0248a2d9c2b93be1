// Command habeas is the Habeas server and its administration tool.
//
//	habeas serve      start the HTTP server (migrates the database first)
//	habeas migrate    apply or list database migrations
//	habeas audit      verify the audit chain, sign checkpoints
//	habeas storage    verify evidence objects, reconcile storage with the database
//	habeas backup     write a backup (database snapshot, evidence objects, manifest)
//	habeas restore    restore a backup into an empty database and storage
//	habeas seed       fill an empty database with generated data for measurements
//	habeas version    print the version
//
// Run `habeas COMMAND --help` for a command's flags; configuration also comes
// from HABEAS_* environment variables (listed by `habeas --help`).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/habeas-org/habeas/internal/config"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// exit codes
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env env, args []string) error
}

// env is what a command may touch of the outside world (tests replace it).
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	// lookupEnv, when set, tells an empty variable from an unset one
	// (os.LookupEnv); tests leave it nil and use getenv.
	lookupEnv func(string) (string, bool)
}

var commands = []command{
	{"serve", "start the HTTP server (applies migrations first)", runServe},
	{"migrate", "apply pending database migrations (or list them with --status)", runMigrate},
	{"user", "manage accounts: user create --email E --role R [--name N] (password from stdin, or generated)", runUser},
	{"audit", "verify the audit chain (verify [--checkpoint FILE]) or sign its head (checkpoint)", runAudit},
	{"storage", "re-hash every evidence object (verify) or clean up failed uploads, orphans and expired items (reconcile)", runStorage},
	{"backup", "write a backup folder: database snapshot, encrypted evidence objects, manifest (backup --out DIR [--include-keys])", runBackup},
	{"restore", "restore a backup into an empty database and storage, then verify the audit chain (restore --from DIR)", runRestore},
	{"seed", "fill an empty database with generated case records for scale measurements (seed --detainees N [--bench-users N]); never in production", runSeed},
	{"healthcheck", "exit 0 when the local server answers /livez (--ready: /readyz); for container health checks", runHealthcheck},
	{"version", "print the version", func(_ context.Context, e env, _ []string) error {
		fmt.Fprintln(e.stdout, "habeas", version)
		return nil
	}},
}

func main() {
	e := env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv, lookupEnv: os.LookupEnv}
	os.Exit(run(context.Background(), e, os.Args[1:]))
}

// usageError marks a mistake in the command line or configuration: exit 2.
type usageError struct{ msg string }

func (u *usageError) Error() string { return u.msg }

func run(ctx context.Context, e env, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		topUsage(e.stdout)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	for _, c := range commands {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, e, args[1:])
		var cfgErr *config.Error
		var uErr *usageError
		switch {
		case err == nil:
			return exitOK
		case errors.Is(err, flag.ErrHelp):
			return exitOK
		case errors.As(err, &cfgErr), errors.As(err, &uErr):
			fmt.Fprintf(e.stderr, "habeas %s: %v\n", c.name, err)
			return exitUsage
		default:
			fmt.Fprintf(e.stderr, "habeas %s: %v\n", c.name, err)
			return exitFailure
		}
	}
	fmt.Fprintf(e.stderr, "habeas: unknown command %q\n\n", args[0])
	topUsage(e.stderr)
	return exitUsage
}

func topUsage(w io.Writer) {
	fmt.Fprintf(w, "habeas %s: case management for the legal defense of prisoners of conscience\n\n", version)
	fmt.Fprintln(w, "Usage: habeas COMMAND [flags]")
	fmt.Fprintln(w, "\nCommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprint(w, config.Usage())
}

// newFlagSet returns a flag set for a command, with every config flag and a
// usage text that lists the environment too.
func newFlagSet(e env, name, summary string) *flag.FlagSet {
	fs := flag.NewFlagSet("habeas "+name, flag.ContinueOnError)
	fs.SetOutput(e.stdout)
	config.RegisterFlags(fs)
	fs.Usage = func() {
		fmt.Fprintf(e.stdout, "Usage: habeas %s [flags]\n\n%s\n\nFlags:\n", name, summary)
		fs.PrintDefaults()
		fmt.Fprintln(e.stdout)
		fmt.Fprint(e.stdout, config.Usage())
	}
	return fs
}

// parseConfig parses args with fs and loads the configuration.
func parseConfig(e env, fs *flag.FlagSet, args []string) (*config.Config, error) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, err
		}
		return nil, &usageError{msg: err.Error()}
	}
	if fs.NArg() > 0 {
		return nil, &usageError{msg: fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	if e.lookupEnv != nil {
		return config.LoadLookup(e.lookupEnv, fs)
	}
	return config.Load(e.getenv, fs)
}
