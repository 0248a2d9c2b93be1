package dossier

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// TestVocabularyTranslationsMatchTheWebClient: labels/vocab_zh.json is a copy
// of the web client's Chinese vocabulary labels. Regenerate it with
//
//	python3 -c "import json; d=json.load(open('web/src/i18n/zh-Hans.json')); json.dump(d['vocab'], open('internal/dossier/labels/vocab_zh.json','w'), ensure_ascii=False, indent=2, sort_keys=True)"
func TestVocabularyTranslationsMatchTheWebClient(t *testing.T) {
	raw, err := os.ReadFile("../../web/src/i18n/zh-Hans.json")
	if err != nil {
		t.Fatal(err)
	}
	var web struct {
		Vocab map[string]map[string]string `json:"vocab"`
	}
	if err := json.Unmarshal(raw, &web); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(web.Vocab, vocabZh) {
		t.Fatal("internal/dossier/labels/vocab_zh.json differs from the vocab section of web/src/i18n/zh-Hans.json: regenerate it (see this test's comment)")
	}
}

// TestFontDir: HABEAS_PDF_FONT_DIR is searched (recursively) before the
// standard paths.
func TestFontDir(t *testing.T) {
	std := testFonts(t)
	dir := t.TempDir()
	sub := filepath.Join(dir, "a", "b")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{std.Latin.Path, std.CJK.Path} {
		if err := os.Symlink(f, filepath.Join(sub, filepath.Base(f))); err != nil {
			t.Fatal(err)
		}
	}
	got := FindFonts(dir)
	if got.Check() != nil || filepath.Dir(got.Latin.Path) != sub || filepath.Dir(got.CJK.Path) != sub {
		t.Fatalf("fonts from %s: %+v", dir, got)
	}
}
