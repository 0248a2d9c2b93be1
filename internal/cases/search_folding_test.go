package cases_test

import (
	"context"
	"testing"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/cases"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/record"
	"github.com/habeas-org/habeas/internal/testkit"
)

// TestSearchFoldingRulesEndToEnd: every folding rule of docs/search.md,
// through the service and the database (both dialects): a record written in
// one form is found by another, with real names in each script, and the
// result says which form matched.
func TestSearchFoldingRulesEndToEnd(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		svc := cases.NewService(d, audit.NewLog(d))
		admin := addUser(t, d, actor.Admin)
		create := func(name string, others ...cases.OtherName) string {
			t.Helper()
			in := cases.DetaineeFields{Name: ptr(name)}
			if len(others) > 0 {
				in.OtherNames = &others
			}
			v, err := svc.CreateDetainee(ctx, admin, in)
			if err != nil {
				t.Fatalf("create %q: %v", name, err)
			}
			return v.ID
		}
		xiaobo := create("劉曉波")                                                                          // traditional only
		xianbin := create("刘贤斌")                                                                         // simplified only, no pinyin written
		ilham := create("ئىلھام توختى")                                                                  // Uyghur Arabic script only
		tohti := create("伊力哈木•土赫提")                                                                      // written with a bullet, as a source did
		lv := create("Lǚ Jiamin")                                                                        // ü with a tone mark
		ouyang := create("欧阳修")                                                                          // compound surname
		sangdrol := create("བློ་བཟང་", cases.OtherName{Name: "Ngawang Sangdröl", Kind: "tibetan_latin"}) // Tibetan: not folded, its Latin form is
		for _, c := range []struct {
			rule, q, want, form string
		}{
			{"simplified finds traditional", "刘晓波", xiaobo, "劉曉波"},
			{"two characters of a traditional name", "晓波", xiaobo, "劉曉波"},
			{"pinyin of a traditional name", "Liu Xiaobo", xiaobo, "劉曉波"},
			{"pinyin, surname first with a space", "liu xianbin", xianbin, "刘贤斌"},
			{"pinyin, surname first without spaces", "liuxianbin", xianbin, "刘贤斌"},
			{"pinyin, given name first", "Xianbin Liu", xianbin, "刘贤斌"},
			{"tone marks", "Liú Xiǎobō", xiaobo, "劉曉波"},
			{"full-width letters", "ＬＩＵ　ＸＩＡＮＢＩＮ", xianbin, "刘贤斌"},
			{"traditional query finds simplified", "劉賢斌", xianbin, "刘贤斌"},
			{"Uyghur Latin (ULY) finds Arabic script", "Ilham Toxti", ilham, "ئىلھام توختى"},
			{"English-style Uyghur romanisation", "Ilham Tohti", ilham, "ئىلھام توختى"},
			{"one word of a Uyghur name", "ilham", ilham, "ئىلھام توختى"},
			{"middle dot finds bullet", "伊力哈木·土赫提", tohti, "伊力哈木•土赫提"},
			{"katakana middle dot", "伊力哈木・土赫提", tohti, "伊力哈木•土赫提"},
			{"no separator at all", "伊力哈木土赫提", tohti, "伊力哈木•土赫提"},
			{"ü written v", "Lv Jiamin", lv, "Lǚ Jiamin"},
			{"ü written u", "lu jiamin", lv, "Lǚ Jiamin"},
			{"compound surname, given name first", "xiu ouyang", ouyang, "欧阳修"},
			{"compound surname", "ouyangxiu", ouyang, "欧阳修"},
			{"Tibetan script as written", "བཟང", sangdrol, "བློ་བཟང་"},
			{"Wylie-style Latin form without diacritics", "sangdrol", sangdrol, "Ngawang Sangdröl"},
		} {
			page, err := svc.ListDetainees(ctx, admin, cases.DetaineeFilter{ListOptions: record.ListOptions{Q: c.q, Limit: 50}})
			if err != nil {
				t.Errorf("%s: q=%q: %v", c.rule, c.q, err)
				continue
			}
			found := false
			for _, it := range page.Items {
				if it.ID == c.want {
					found = true
					if it.Matched == nil || it.Matched.Form != c.form {
						t.Errorf("%s: q=%q matched %+v, want the form %q", c.rule, c.q, it.Matched, c.form)
					}
				}
			}
			if !found {
				t.Errorf("%s: q=%q did not find the record (%d items)", c.rule, c.q, len(page.Items))
			}
		}
	})
}
