package cases

import (
	"strings"
	"testing"

	"github.com/habeas-org/habeas/internal/record"
)

// TestVocabularyAliases: the Chinese labels of the web client and the common
// abbreviations of real lists name their term; no text names two terms of
// one vocabulary.
func TestVocabularyAliases(t *testing.T) {
	for _, c := range []struct {
		vocab, in, want string
	}{
		{"sexes", "M", "male"}, {"sexes", "m", "male"}, {"sexes", "男", "male"}, {"sexes", "F", "female"},
		{"sexes", "女", "female"}, {"sexes", "Female", "female"}, {"sexes", "不详", "unknown"},
		{"detention_statuses", "在押", "detained"}, {"detention_statuses", "被羁押", "detained"},
		{"detention_statuses", "已释放", "released"}, {"detention_statuses", "已釋放", "released"},
		{"detention_statuses", "已故", "deceased"}, {"detention_statuses", "指定居所监视居住", "rsdl"},
		{"detention_statuses", "Believed detained", "believed_detained"}, {"detention_statuses", "ON BAIL", "on_bail"},
		{"detention_statuses", "已释放，受监控", "under_surveillance"}, {"detention_statuses", "已释放,受监控", "under_surveillance"},
		{"charges", "煽动颠覆国家政权罪", "art105_inciting_subversion"}, {"charges", "寻衅滋事", "art293_picking_quarrels"},
		{"charges", "Picking quarrels and provoking trouble", "art293_picking_quarrels"},
		{"issue_categories", "言论自由", "expression"}, {"facility_types", "看守所", "detention_centre"},
		{"name_kinds", "拼音", "pinyin"}, {"source_reliability", "b", "B"}, {"stages", "一审判决", "first_instance_verdict"},
	} {
		got, ok := Vocabularies[c.vocab].Resolve(c.in)
		if !ok || got != c.want {
			t.Errorf("%s %q -> %q %v, want %q", c.vocab, c.in, got, ok, c.want)
		}
	}
	for name, voc := range Vocabularies {
		for _, term := range voc {
			forms := append([]string{term.Value, term.Label}, term.Aliases...)
			for _, f := range forms {
				if got, ok := voc.Resolve(f); !ok || got != term.Value {
					t.Errorf("%s: %q names %q, not %q", name, f, got, term.Value)
				}
			}
		}
	}
	if _, ok := Sexes.Resolve("X"); ok {
		t.Error("X is a sex")
	}
}

func TestVocabularyMessages(t *testing.T) {
	d := &Detainee{}
	ch := record.NewChangeSet()
	bad, sex := "在押中?", "MF"
	d.apply(DetaineeFields{DetentionStatus: &bad, Sex: &sex}, ch)
	errs := fieldErrors(ch.Err())
	want := `"在押中?" is not a known detention status; allowed: detained, believed_detained, disappeared, rsdl, residential_surveillance, on_bail, released, sentence_completed, under_surveillance, exiled, deceased, unknown (or their labels; see /api/v1/vocabularies)`
	if errs["detention_status"] != want {
		t.Errorf("detention_status: %s", errs["detention_status"])
	}
	if !strings.HasPrefix(errs["sex"], `"MF" is not a known sex; allowed: female, male, other, unknown`) {
		t.Errorf("sex: %s", errs["sex"])
	}
}
