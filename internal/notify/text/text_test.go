package text

import (
	"strings"
	"testing"
)

// Every shared rule has a phrase for one and for many in both languages,
// and the many-phrase shows the count.
func TestEveryRuleHasPhrases(t *testing.T) {
	for _, l := range []string{En, ZhHans} {
		if len(summaries[l]) != len(Rules) {
			t.Errorf("%s: %d phrases for %d rules", l, len(summaries[l]), len(Rules))
		}
		for _, r := range Rules {
			p, ok := summaries[l][r]
			if !ok || p.one == "" || strings.Count(p.many, "%d") != 1 {
				t.Errorf("%s %s: phrase %+v", l, r, p)
			}
			if got := Summary(l, r, 7); !strings.Contains(got, "7") {
				t.Errorf("%s %s: %q does not show the count", l, r, got)
			}
		}
	}
}

func TestSummaryAndSubject(t *testing.T) {
	cases := []struct{ got, want string }{
		{Summary("en", "deadline_due", 3), "3 time limits are due soon"},
		{Summary("en", "hearing_tomorrow", 1), "A hearing is scheduled for tomorrow"},
		{Summary("en", "support_assigned", 1), "1 support action is assigned to you"},
		{Summary("zh-Hans", "hearing_tomorrow", 2), "明天有 2 场庭审"},
		{Summary("fr", "support_assigned", 2), "2 support actions are assigned to you"}, // unknown language: en
		{Summary("zh-CN", "deadline_overdue", 0), "有 1 个期限已经届满"},
		{Summary("en", "no_such_rule", 4), "4 notifications"},
		{Subject("en", []Item{{Rule: "deadline_due", Count: 2}, {Rule: "deadline_overdue", Count: 1}}, false), "3 time limits need attention in Habeas"},
		{Subject("zh-Hans", []Item{{Rule: "deadline_due", Count: 3}}, false), "Habeas 中有 3 个期限需要您关注"},
		{Subject("en", []Item{{Rule: "hearing_tomorrow", Count: 1}}, false), "Habeas: A hearing is scheduled for tomorrow"},
		{Subject("zh-Hans", []Item{{Rule: "support_assigned", Count: 1}}, false), "Habeas：有 1 项支援行动分配给了您"},
		{Subject("en", []Item{{Rule: "hearing_tomorrow", Count: 1}, {Rule: "case_event", Count: 4}}, true), "Your Habeas digest: 5 notifications need attention"},
		{Subject("zh-Hans", []Item{{Rule: "hearing_tomorrow", Count: 1}, {Rule: "case_event", Count: 4}}, true), "Habeas 每日摘要：5 条通知需要您关注"},
		{Subject("zh-Hans", []Item{{Rule: "case_event", Count: 1}}, true), "Habeas 每日摘要：您关注的案件有 1 条新动态"},
		{Subject("en", []Item{{Rule: "hearing_tomorrow", Count: 1}}, true), "Your Habeas digest: A hearing is scheduled for tomorrow"},
		{Subject("en", []Item{{Rule: "deadline_overdue", Count: 1}}, false), "1 time limit needs attention in Habeas"},
		{Subject("en", nil, true), "Your Habeas digest: nothing needs your attention"},
	}
	for i, c := range cases {
		if c.got != c.want {
			t.Errorf("%d: got %q, want %q", i, c.got, c.want)
		}
	}
}

func TestLinesPerLanguage(t *testing.T) {
	link := "https://habeas.example.org/settings/notifications"
	for _, l := range []string{En, ZhHans} {
		for _, s := range []string{SettingsLine(l, link), CallToActionLine(l, link)} {
			if !strings.Contains(s, link) {
				t.Errorf("%s: %q has no link", l, s)
			}
		}
		if strings.Contains(SettingsLine(l, ""), "http") {
			t.Errorf("%s: settings line without link shows one", l)
		}
	}
	if Heading("zh-Hans", true) == Heading("en", true) || TestSubject("zh-Hans") == TestSubject("en") {
		t.Error("Chinese strings fall back to English")
	}
	if Lang("zh-Hans-CN") != ZhHans || Lang("") != En || Lang("zh-Hant") != En {
		t.Error("Lang")
	}
}
