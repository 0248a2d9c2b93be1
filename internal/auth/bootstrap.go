package auth

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
)

// GeneratedAdminEmail is the account created when Habeas starts with no user
// and no bootstrap variables.
const GeneratedAdminEmail = "admin@localhost"

// InitialPasswordFileName is the file, in the data dir, holding the generated
// admin's one-time password (mode 0600). It is removed once that password
// has been changed.
const InitialPasswordFileName = "initial-admin-password.txt"

// BootstrapInput says how to create the first admin.
type BootstrapInput struct {
	// Email and Password, when set, create that admin.
	Email, Password string
	// DataDir receives the generated password file otherwise.
	DataDir string
}

// BootstrapResult says what Bootstrap did.
type BootstrapResult struct {
	// Created: a first admin was created by this call.
	Created bool
	Email   string
	// PasswordFile is the path of the generated one-time password, set while
	// the generated admin has not changed it yet.
	PasswordFile string
}

// ErrBootstrapPassword wraps a bootstrap password refused by the policy.
var ErrBootstrapPassword = errors.New("bootstrap admin password refused")

// Bootstrap creates the first admin when no user exists: the one given, or
// admin@localhost with a random password written to a 0600 file in DataDir,
// who must change it and enrol TOTP at first sign-in. Several processes
// starting together create one admin: the loser of the unique insert finds
// the winner's.
func (s *Service) Bootstrap(ctx context.Context, in BootstrapInput) (*BootstrapResult, error) {
	path := filepath.Join(in.DataDir, InitialPasswordFileName)
	var n int64
	if err := s.db.WithContext(ctx).Model(&User{}).Count(&n).Error; err != nil {
		return nil, err
	}
	if n > 0 {
		return s.bootstrapDone(ctx, path)
	}
	if in.Email != "" {
		_, _, err := s.CreateUserAsSystem(ctx, CreateUserInput{Email: in.Email, Name: "Administrator", Role: actor.Admin,
			Password: in.Password}, "user.bootstrap")
		if errors.Is(err, apperr.ErrConflict) {
			return &BootstrapResult{}, nil
		}
		var ae *apperr.Error
		if errors.As(err, &ae) && errors.Is(err, apperr.ErrInvalid) {
			return nil, fmt.Errorf("%w: %s %v", ErrBootstrapPassword, ae.Message, ae.Fields)
		}
		if err != nil {
			return nil, err
		}
		return &BootstrapResult{Created: true, Email: NormalizeEmail(in.Email)}, nil
	}

	if err := os.MkdirAll(in.DataDir, 0o700); err != nil {
		return nil, err
	}
	pw := GeneratePassword()
	tmp, err := os.CreateTemp(in.DataDir, ".initial-admin-*")
	if err != nil {
		return nil, fmt.Errorf("write initial password file: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	if err := tmp.Chmod(0o600); err != nil {
		_ = tmp.Close()
		return nil, err
	}
	_, werr := fmt.Fprintf(tmp, "Habeas first administrator (one-time credentials)\n\nemail:    %s\npassword: %s\n\n"+
		"Sign in with these, then set your own password and enrol an authenticator app (TOTP),\n"+
		"as Habeas will require. This file is deleted once the password has been changed.\n", GeneratedAdminEmail, pw)
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		return nil, fmt.Errorf("write initial password file: %w", werr)
	}
	_, _, err = s.CreateUserAsSystem(ctx, CreateUserInput{Email: GeneratedAdminEmail, Name: "Administrator", Role: actor.Admin,
		Password: pw, MustChangePassword: true, RequireMFA: true}, "user.bootstrap")
	if errors.Is(err, apperr.ErrConflict) {
		return s.bootstrapDone(ctx, path)
	}
	if err != nil {
		return nil, err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return nil, fmt.Errorf("write initial password file: %w", err)
	}
	return &BootstrapResult{Created: true, Email: GeneratedAdminEmail, PasswordFile: path}, nil
}

// bootstrapDone reports the password file while the generated admin still
// has to change the password, and removes it after.
func (s *Service) bootstrapDone(ctx context.Context, path string) (*BootstrapResult, error) {
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return &BootstrapResult{}, nil
	}
	var u User
	err := s.db.WithContext(ctx).Take(&u, "email = ?", GeneratedAdminEmail).Error
	if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, err
	}
	if err == nil && u.MustChangePassword && !u.Disabled {
		return &BootstrapResult{Email: GeneratedAdminEmail, PasswordFile: path}, nil
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	return &BootstrapResult{}, nil
}
