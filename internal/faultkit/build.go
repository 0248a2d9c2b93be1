package faultkit

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// ModuleRoot returns the directory of the Habeas go.mod, found with
// `go env GOMOD` from the working directory.
func ModuleRoot(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", fmt.Errorf("not inside the Habeas module (go env GOMOD is empty)")
	}
	return filepath.Dir(mod), nil
}

// Build compiles ./cmd/habeas (static, CGO_ENABLED=0, like the shipped
// binary) into dir and returns the binary's path.
func Build(ctx context.Context, dir string) (string, error) {
	root, err := ModuleRoot(ctx)
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "habeas")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/habeas")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/habeas: %w\n%s", err, out)
	}
	return bin, nil
}
