package config

import (
	"os"
	"strings"
	"testing"
)

// The README's configuration table documents every key the code reads.
func TestReadmeDocumentsEveryKey(t *testing.T) {
	raw, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(raw)
	for _, k := range Keys {
		if !strings.Contains(readme, "`"+k.Env+"`") {
			t.Errorf("README.md does not document %s", k.Env)
		}
	}
}
