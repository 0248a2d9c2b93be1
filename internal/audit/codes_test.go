package audit_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/habeas-org/habeas/api"
	"github.com/habeas-org/habeas/internal/audit"
)

// Literals that name an audit action or object type in the Go source: the
// fields of an Entry, the local variables the services pick an action in,
// and the helpers that take the action as an argument.
var (
	actionLiteral = []*regexp.Regexp{
		regexp.MustCompile(`\bAction:\s*"([^"]+)"`),
		regexp.MustCompile(`\baction\s*:?=\s*"([^"]+)"`),
		regexp.MustCompile(`\b(?:checkGate|secondFactorFailed|RecordDenied|custodyWritten|signInActivity|CreateUserAsSystem|createUser|UserToken)\([^\n]*?"([a-z_]+(?:\.[a-z_]+)+)"`),
	}
	objectLiteral = []*regexp.Regexp{
		regexp.MustCompile(`\bObjectType:\s*"([^"]+)"`),
		regexp.MustCompile(`\bobjectType\s*=\s*"([^"]+)"`),
	}
)

// sourceLiterals returns the literals the patterns capture in the non-test Go
// files of internal/ and cmd/, with where each was found.
func sourceLiterals(t *testing.T, patterns []*regexp.Regexp) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, dir := range []string{"../../internal", "../../cmd"} {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			if strings.Contains(path, "testkit") {
				return nil // test helpers write test-only actions
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			for _, re := range patterns {
				for _, m := range re.FindAllStringSubmatch(string(b), -1) {
					out[m[1]] = path
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// Every audit action and object type written in the source is listed, so
// the API description and the web's translations (which read the lists)
// cannot miss one.
func TestEveryWrittenCodeIsListed(t *testing.T) {
	acts := sourceLiterals(t, actionLiteral)
	if len(acts) < 50 {
		t.Fatalf("found %d action literals: the patterns no longer match the source", len(acts))
	}
	for a, where := range acts {
		if !slices.Contains(audit.Actions, a) {
			t.Errorf("action %q (%s) is not in audit.Actions: add it there, to api/openapi.yaml (AuditEntry.action) and to web/src/i18n (audit.actions)", a, where)
		}
	}
	objs := sourceLiterals(t, objectLiteral)
	for o, where := range objs {
		if !slices.Contains(audit.ObjectTypes, o) {
			t.Errorf("object type %q (%s) is not in audit.ObjectTypes: add it there, to api/openapi.yaml (AuditEntry.object_type) and to web/src/i18n (audit.objects)", o, where)
		}
	}
}

// The API description enumerates exactly the lists.
func TestOpenAPIEnumeratesCodes(t *testing.T) {
	enum := func(schema, prop string) []string {
		e, err := api.PropertyEnum(schema, prop)
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	sorted := func(xs []string) []string {
		ys := slices.Clone(xs)
		slices.Sort(ys)
		return ys
	}
	if got, want := sorted(enum("AuditEntry", "action")), sorted(audit.Actions); !slices.Equal(got, want) {
		t.Errorf("AuditEntry.action enum:\n got %v\nwant %v", got, want)
	}
	wantObjs := sorted(append([]string{""}, audit.ObjectTypes...))
	if got := sorted(enum("AuditEntry", "object_type")); !slices.Equal(got, wantObjs) {
		t.Errorf("AuditEntry.object_type enum:\n got %v\nwant %v", got, wantObjs)
	}
}
