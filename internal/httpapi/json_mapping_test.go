package httpapi

import (
	"errors"
	"reflect"
	"testing"

	"github.com/habeas-org/habeas/internal/apperr"
)

// The CSV import's mapping part is a JSON object too: a column mapped twice
// is refused, naming it; columns differing in case are different columns.
func TestStrictJSONImportMapping(t *testing.T) {
	mapping := reflect.TypeFor[map[string]string]()
	err := checkStrictJSON([]byte(`{"姓名":"name","Name":"summary","Name":"name"}`), mapping)
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Code != "duplicate_key" || ae.Fields["Name"] == "" {
		t.Fatalf("repeated column: %v", err)
	}
	if err := checkStrictJSON([]byte(`{"Name":"name","name":"summary"}`), mapping); err != nil {
		t.Fatalf("columns differing in case: %v", err)
	}
	if err := checkStrictJSON([]byte("{\"Na\xffme\":\"name\"}"), mapping); !errors.As(err, &ae) || ae.Code != "invalid_utf8" {
		t.Fatalf("invalid UTF-8: %v", err)
	}
}
