package main

import (
	"context"
	"fmt"

	"github.com/habeas-org/habeas/internal/app"
	"github.com/habeas-org/habeas/internal/logging"
)

func runMigrate(ctx context.Context, e env, args []string) error {
	fs := newFlagSet(e, "migrate", "Apply pending database migrations, or list them with --status.")
	status := fs.Bool("status", false, "list migrations and whether each is applied; change nothing")
	cfg, err := parseConfig(e, fs, args)
	if err != nil {
		return err
	}
	logger := logging.New(e.stderr, cfg.LogFormat, cfg.LogLevel)
	d, err := app.OpenDB(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer d.Close()
	if *status {
		st, err := d.Status(ctx)
		if err != nil {
			return err
		}
		for _, s := range st {
			state := "pending"
			if s.Applied {
				state = "applied"
			}
			fmt.Fprintf(e.stdout, "%04d  %-8s  %s\n", s.Version, state, s.Name)
		}
		return nil
	}
	n, err := d.Migrate(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s: %d migration(s) applied\n", d.Dialect, n)
	return nil
}
