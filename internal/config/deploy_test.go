package config

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// Every HABEAS_* name that the Dockerfile, the deploy files and the docs
// mention is a key the binary really reads: documentation and deployment
// cannot drift from the config package.
func TestDeployAndDocsUseOnlyRealKeys(t *testing.T) {
	known := map[string]bool{}
	for _, k := range Keys {
		known[k.Env] = true
	}
	notConfig := map[string]bool{
		"HABEAS_IMAGE":       true, // compose: which image to run
		"HABEAS_E2E_SHOTS":   true, // web/e2e/run.mjs: screenshots for the user guide
		"HABEAS_E2E_PORT":    true, // web/e2e/run.mjs: the test server's port
		"HABEAS_E2E_ONLY":    true, // web/e2e/run.mjs: "transfer" runs the load measurement alone
		"HABEAS_UPDATE_DOCS": true, // regenerates docs/security.md's access matrix
	}
	re := regexp.MustCompile(`HABEAS_[A-Z0-9_]*[A-Z0-9]`)
	root := "../.."
	var files []string
	for _, p := range []string{"Dockerfile", "README.md"} {
		files = append(files, filepath.Join(root, p))
	}
	for _, dir := range []string{"deploy", "docs"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && !strings.HasSuffix(p, ".png") {
				files = append(files, p)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	unknown := map[string][]string{}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range re.FindAllString(string(raw), -1) {
			if known[name] || notConfig[name] || strings.HasPrefix(name, "HABEAS_TEST_") {
				continue
			}
			unknown[name] = append(unknown[name], filepath.Base(f))
		}
	}
	names := make([]string, 0, len(unknown))
	for n := range unknown {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		t.Errorf("%s is mentioned in %v but is not a configuration key", n, unknown[n])
	}
}
