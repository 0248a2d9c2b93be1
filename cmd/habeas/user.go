package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/app"
	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/auth"
	"github.com/habeas-org/habeas/internal/logging"
)

// runUser is `habeas user create --email E --role R [--name N]`. The
// password is the first line of standard input; when stdin is a terminal or
// empty, a password is generated and printed once.
func runUser(ctx context.Context, e env, args []string) error {
	if len(args) == 0 || args[0] != "create" {
		fmt.Fprintln(e.stderr, "Usage: habeas user create --email E --role R [--name N]  (password: first line of stdin, or generated)")
		return &usageError{msg: "user needs a subcommand: create"}
	}
	fs := newFlagSet(e, "user create", "Create an account. The password is read from the first line of stdin; "+
		"when stdin is a terminal or empty, one is generated and printed once.")
	email := fs.String("email", "", "email address (sign-in name)")
	role := fs.String("role", "", "admin, coordinator, lawyer or observer")
	name := fs.String("name", "", "display name")
	cfg, err := parseConfig(e, fs, args[1:])
	if err != nil {
		return err
	}
	if *email == "" || !actor.Role(*role).Valid() {
		return &usageError{msg: "--email and --role (admin, coordinator, lawyer, observer) are required"}
	}
	password, err := readPassword(e.stdin)
	if err != nil {
		return err
	}
	logger := logging.New(e.stderr, cfg.LogFormat, cfg.LogLevel)
	d, err := app.OpenDB(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer d.Close()
	if _, err := d.Migrate(ctx); err != nil {
		return err
	}
	svc, err := app.NewAuth(cfg, d, audit.NewLog(d), auth.Params{})
	if err != nil {
		return err
	}
	v, generated, err := svc.CreateUserAsSystem(ctx, auth.CreateUserInput{Email: *email, Name: *name, Role: actor.Role(*role),
		Password: password, MustChangePassword: password == ""}, "user.create")
	if err != nil {
		var ae *apperr.Error
		if errors.As(err, &ae) && (errors.Is(err, apperr.ErrInvalid) || errors.Is(err, apperr.ErrConflict)) {
			msg := ae.Message
			for f, m := range ae.Fields {
				msg += fmt.Sprintf("; %s %s", f, m)
			}
			return &usageError{msg: msg}
		}
		return err
	}
	fmt.Fprintf(e.stdout, "created %s %s (id %s)\n", v.Role, v.Email, v.ID)
	if generated != "" {
		fmt.Fprintf(e.stdout, "password (shown once; to be changed at first sign-in): %s\n", generated)
	}
	return nil
}

// readPassword returns the first line of r, or "" when r is a terminal (no
// prompt without echo control: generate instead) or empty.
func readPassword(r io.Reader) (string, error) {
	if f, ok := r.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			return "", nil
		}
	}
	line, err := bufio.NewReaderSize(io.LimitReader(r, 4096), 4096).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password from stdin: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}
