package main

import (
	"context"
	"fmt"
	"net"

	"github.com/habeas-org/habeas/internal/app"
	"github.com/habeas-org/habeas/internal/logging"
)

func runServe(ctx context.Context, e env, args []string) error {
	fs := newFlagSet(e, "serve", "Start the Habeas HTTP server. Migrations are applied first.")
	cfg, err := parseConfig(e, fs, args)
	if err != nil {
		return err
	}
	logger := logging.New(e.stderr, cfg.LogFormat, cfg.LogLevel)
	a, err := app.New(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer a.Close()
	return a.Serve(ctx, func(addr net.Addr) {
		logger.Info("listening", "addr", addr.String(), "database", string(a.DB.Dialect), "storage", a.Storage.Name())
		fmt.Fprintf(e.stdout, "\nHabeas is running at http://%s/\n  API docs: http://%s/api/docs\n", addr, addr)
		if b := a.Bootstrap; b != nil && b.PasswordFile != "" {
			// The path only: the password itself never goes to a terminal or a log.
			fmt.Fprintf(e.stdout, "  First sign-in: %s, one-time password in %s\n"+
				"  (you will be asked to change it and to enrol an authenticator app)\n", b.Email, b.PasswordFile)
		}
		fmt.Fprintln(e.stdout)
	})
}
