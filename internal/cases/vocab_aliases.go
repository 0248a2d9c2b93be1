package cases

import (
	"strings"

	"github.com/habeas-org/habeas/internal/dossier/labels"
)

// Input may name a term of a vocabulary by its value, its English label, its
// Chinese label (the web client's zh-Hans table, served by
// internal/dossier/labels) or one of the common abbreviations and synonyms
// below; it is stored as the value (record.Vocabulary.Resolve). This holds
// for the JSON API and the CSV import alike: both go through the same apply
// code. A charge may also be named by its Chinese label without the final 罪
// (寻衅滋事 for 寻衅滋事罪).

// vocabAliases are the abbreviations and synonyms of terms found in the
// lists coordinators import, by vocabulary and value (traditional forms of
// the common ones included).
var vocabAliases = map[string]map[string][]string{
	"sexes": {
		"male":    {"M", "男性", "man"},
		"female":  {"F", "女性", "woman"},
		"unknown": {"?", "U", "未知", "不明"},
		"other":   {"其它"},
	},
	"detention_statuses": {
		"detained":                 {"在押", "羁押", "羈押", "被羁押", "被羈押", "关押", "關押", "在监", "服刑", "服刑中", "in custody", "imprisoned", "jailed"},
		"believed_detained":        {"疑似在押", "可能在押", "据信在押"},
		"disappeared":              {"失踪", "失蹤", "被失踪", "被失蹤", "下落不明", "失联", "失聯", "enforced disappearance"},
		"rsdl":                     {"指居", "指定监视居住", "指定監視居住", "指定居所監視居住"},
		"residential_surveillance": {"监视居住", "監視居住"},
		"on_bail":                  {"取保", "取保候审", "取保候審", "bail", "bailed"},
		"released":                 {"释放", "釋放", "已釋放", "获释", "獲釋", "已获释", "已獲釋", "free", "freed"},
		"sentence_completed":       {"刑满释放", "刑滿釋放", "刑滿", "sentence served"},
		"under_surveillance":       {"软禁", "軟禁", "监控", "監控", "受监控", "受監控", "house arrest"},
		"exiled":                   {"exile", "in exile", "流亡海外"},
		"deceased":                 {"去世", "已去世", "死亡", "已死亡", "病逝", "狱中死亡", "獄中死亡", "dead", "died"},
		"unknown":                  {"未知", "不明", "?"},
	},
	"facility_types": {
		"detention_centre":     {"detention center"},
		"rsdl_site":            {"指居场所", "指定居所监视居住场所"},
		"psychiatric_facility": {"精神病院", "安康", "ankang"},
		"black_jail":           {"黑监狱", "黑監獄"},
		"internment_camp":      {"再教育营", "再教育營", "教培中心", "职业技能教育培训中心", "re-education camp"},
	},
	"case_statuses": {
		"closed": {"结案", "結案"},
	},
	"sentence_kinds": {
		"fixed_term":      {"徒刑"},
		"death_suspended": {"死缓", "死緩"},
	},
}

func init() {
	zh := labels.VocabZh()
	for name, voc := range Vocabularies {
		for i := range voc {
			t := &voc[i]
			if l := zh[name][t.Value]; l != "" {
				t.Aliases = append(t.Aliases, l)
				if name == "charges" {
					if short := strings.TrimSuffix(l, "罪"); short != l && short != "" {
						t.Aliases = append(t.Aliases, short)
					}
				}
			}
			t.Aliases = append(t.Aliases, vocabAliases[name][t.Value]...)
		}
	}
}
