// Package text is the phrase catalogue of notifications that leave Habeas
// (e-mail, webhooks) in English and Simplified Chinese. It is safe by
// default: a phrase says how many things of a kind need attention, never
// which; what they are about (a case title, a time limit's label) is only
// listed when the organisation turned HABEAS_NOTIFY_INCLUDE_NAMES on and the
// caller passes it through (IncludeNames). All functions are pure; an
// unknown language falls back to English.
package text

import (
	"fmt"
	"strings"
)

// Languages the catalogue speaks.
const (
	En     = "en"
	ZhHans = "zh-Hans"
)

// Rules are the notification rule names shared with the notify core and the API.
var Rules = []string{
	"deadline_due", "deadline_overdue", "hearing_tomorrow", "support_assigned", "support_due",
	"un_reply_due", "release_expected", "release_unrecorded", "case_event", "evidence_integrity",
	"operations_failed", "account_locked",
}

// Lang returns the catalogue language for lang: "zh-Hans" (also zh, zh-CN,
// zh-Hans-*), otherwise "en".
func Lang(lang string) string {
	l := strings.ToLower(strings.TrimSpace(lang))
	if l == "zh" || l == "zh-cn" || l == "zh-sg" || l == "zh-hans" || strings.HasPrefix(l, "zh-hans-") {
		return ZhHans
	}
	return En
}

// phrase is one rule's count phrase: one is for a count of 1, many a format
// with one %d.
type phrase struct{ one, many string }

var summaries = map[string]map[string]phrase{
	En: {
		"deadline_due":       {"1 time limit is due soon", "%d time limits are due soon"},
		"deadline_overdue":   {"1 time limit has passed", "%d time limits have passed"},
		"hearing_tomorrow":   {"A hearing is scheduled for tomorrow", "%d hearings are scheduled for tomorrow"},
		"support_assigned":   {"1 support action is assigned to you", "%d support actions are assigned to you"},
		"support_due":        {"1 support action is due or overdue", "%d support actions are due or overdue"},
		"un_reply_due":       {"A UN reply is due soon", "%d UN replies are due soon"},
		"release_expected":   {"1 release is expected within 30 days", "%d releases are expected within 30 days"},
		"release_unrecorded": {"1 expected release date has passed with no release recorded", "%d expected release dates have passed with no release recorded"},
		"case_event":         {"1 new event on a case you follow", "%d new events on cases you follow"},
		"evidence_integrity": {"1 evidence file failed its integrity check", "%d evidence files failed their integrity check"},
		"operations_failed":  {"1 backup or storage reconcile failed", "%d backups or storage reconciles failed"},
		"account_locked":     {"1 account was locked after failed sign-ins", "%d accounts were locked after failed sign-ins"},
	},
	ZhHans: {
		"deadline_due":       {"有 1 个期限即将届满", "有 %d 个期限即将届满"},
		"deadline_overdue":   {"有 1 个期限已经届满", "有 %d 个期限已经届满"},
		"hearing_tomorrow":   {"明天有一场庭审", "明天有 %d 场庭审"},
		"support_assigned":   {"有 1 项支援行动分配给了您", "有 %d 项支援行动分配给了您"},
		"support_due":        {"有 1 项支援行动即将到期或已逾期", "有 %d 项支援行动即将到期或已逾期"},
		"un_reply_due":       {"有 1 份联合国来文即将到回复期限", "有 %d 份联合国来文即将到回复期限"},
		"release_expected":   {"有 1 人预计在 30 天内获释", "有 %d 人预计在 30 天内获释"},
		"release_unrecorded": {"有 1 个预计释放日期已过，但尚未记录释放", "有 %d 个预计释放日期已过，但尚未记录释放"},
		"case_event":         {"您关注的案件有 1 条新动态", "您关注的案件有 %d 条新动态"},
		"evidence_integrity": {"有 1 个证据文件未通过完整性校验", "有 %d 个证据文件未通过完整性校验"},
		"operations_failed":  {"有 1 次备份或存储核对失败", "有 %d 次备份或存储核对失败"},
		"account_locked":     {"有 1 个账户因登录失败次数过多被锁定", "有 %d 个账户因登录失败次数过多被锁定"},
	},
}

// Summary is the count phrase of one rule, e.g. Summary("en",
// "deadline_due", 3) = "3 time limits are due soon". An unknown rule gets a
// neutral phrase ("3 notifications"); a count below 1 is taken as 1.
func Summary(lang, rule string, count int) string {
	l := Lang(lang)
	if count < 1 {
		count = 1
	}
	p, ok := summaries[l][rule]
	if !ok {
		return Count(l, count)
	}
	if count == 1 {
		return p.one
	}
	return fmt.Sprintf(p.many, count)
}

// Count is the neutral phrase for a number of notifications ("3
// notifications", "3 条通知").
func Count(lang string, count int) string {
	if Lang(lang) == ZhHans {
		return fmt.Sprintf("%d 条通知", count)
	}
	if count == 1 {
		return "1 notification"
	}
	return fmt.Sprintf("%d notifications", count)
}

// Item is what a message says about one rule: how many notifications of it,
// and (only shown with IncludeNames) what they are about and when the
// earliest is due.
type Item struct {
	// Rule is one of Rules.
	Rule string
	// Count is how many notifications of the rule the message covers (at least 1).
	Count int
	// Subjects name what the notifications are about (a case title, a
	// time limit's label); listed only with IncludeNames.
	Subjects []string
	// DueAt is when the earliest is due: YYYY-MM-DD or an RFC 3339
	// instant; shown only with IncludeNames. May be empty.
	DueAt string
}

// Total is the sum of the items' counts (each at least 1).
func Total(items []Item) int {
	n := 0
	for _, it := range items {
		n += max(it.Count, 1)
	}
	return n
}

// Subject is a message's subject line: "3 time limits need attention in
// Habeas" when every item is a time limit, the rule's own phrase when there
// is one rule ("Habeas: A hearing is scheduled for tomorrow"), else "5
// notifications need attention in Habeas". A digest says so instead of
// naming Habeas twice ("Your Habeas digest: 5 notifications need
// attention"). It never names anything.
func Subject(lang string, items []Item, digest bool) string {
	l := Lang(lang)
	total := Total(items)
	zh := l == ZhHans
	var core string // without Habeas
	var attention bool
	switch {
	case len(items) == 0:
		core = map[string]string{En: "nothing needs your attention", ZhHans: "没有需要您处理的事项"}[l]
	case allDeadlines(items):
		attention = true
		if zh {
			core = fmt.Sprintf("%d 个期限需要您关注", total)
		} else if total == 1 {
			core = "1 time limit needs attention"
		} else {
			core = fmt.Sprintf("%d time limits need attention", total)
		}
	case len(items) == 1:
		core = Summary(l, items[0].Rule, items[0].Count)
	default:
		attention = true
		if zh {
			core = fmt.Sprintf("%d 条通知需要您关注", total)
		} else if total == 1 {
			core = "1 notification needs attention"
		} else {
			core = fmt.Sprintf("%d notifications need attention", total)
		}
	}
	switch {
	case digest && zh:
		return "Habeas 每日摘要：" + core
	case digest:
		return "Your Habeas digest: " + core
	case attention && zh:
		return "Habeas 中有 " + core
	case attention:
		return core + " in Habeas"
	case zh:
		return "Habeas：" + core
	}
	return "Habeas: " + upperFirst(core)
}

func upperFirst(s string) string {
	if s != "" && s[0] >= 'a' && s[0] <= 'z' {
		return string(s[0]-'a'+'A') + s[1:]
	}
	return s
}

func allDeadlines(items []Item) bool {
	for _, it := range items {
		if it.Rule != "deadline_due" && it.Rule != "deadline_overdue" {
			return false
		}
	}
	return len(items) > 0
}

// Heading is the first line of a message's body: the digest heading or the
// plain notification heading.
func Heading(lang string, digest bool) string {
	switch {
	case Lang(lang) == ZhHans && digest:
		return "您的 Habeas 每日摘要"
	case Lang(lang) == ZhHans:
		return "Habeas 通知"
	case digest:
		return "Your daily Habeas digest"
	}
	return "Habeas notification"
}

// Intro is the sentence before the list of rules.
func Intro(lang string, digest bool) string {
	switch {
	case Lang(lang) == ZhHans && digest:
		return "自上次摘要以来，以下事项需要您关注："
	case Lang(lang) == ZhHans:
		return "以下事项需要您关注："
	case digest:
		return "Since your last digest, these need your attention:"
	}
	return "This needs your attention:"
}

// CallToAction is the button or link text that opens Habeas.
func CallToAction(lang string) string {
	if Lang(lang) == ZhHans {
		return "在 Habeas 中查看"
	}
	return "Open Habeas to see the details"
}

// CallToActionLine is the call to action with the link, for the text part.
func CallToActionLine(lang, link string) string {
	if Lang(lang) == ZhHans {
		return "在 Habeas 中查看详情：" + link
	}
	return "Open Habeas to see the details: " + link
}

// SafetyNote explains why the message names nothing (shown without IncludeNames).
func SafetyNote(lang string) string {
	if Lang(lang) == ZhHans {
		return "为保护当事人，本邮件不包含姓名或案件内容，请登录 Habeas 查看。"
	}
	return "To protect the people concerned, this e-mail contains no names and no case details: sign in to Habeas to see them."
}

// DueNote is the earliest due date of an item, after its phrase:
// " (earliest due: 2026-12-10)", "（最早到期：2026-12-10）".
func DueNote(lang, date string) string {
	if Lang(lang) == ZhHans {
		return "（最早到期：" + date + "）"
	}
	return " (earliest due: " + date + ")"
}

// SettingsLine is the opt-out line: why the user gets the message and
// where to change or stop it. link may be empty (no URL shown).
func SettingsLine(lang, link string) string {
	if Lang(lang) == ZhHans {
		s := "您收到这封邮件，是因为您在 Habeas 中开启了邮件通知。如需更改或停止接收，请在 Habeas 中打开“通知设置”"
		if link != "" {
			return s + "：" + link
		}
		return s + "。"
	}
	s := "You receive this e-mail because of your notification settings in Habeas. To change or stop these e-mails, open Notification settings in Habeas"
	if link != "" {
		return s + ": " + link
	}
	return s + "."
}

// TestSubject is the subject of the admin's test e-mail.
func TestSubject(lang string) string {
	if Lang(lang) == ZhHans {
		return "Habeas 测试邮件"
	}
	return "Habeas test e-mail"
}

// TestBody is the body of the admin's test e-mail.
func TestBody(lang string) string {
	if Lang(lang) == ZhHans {
		return "这是 Habeas 发送的测试邮件。收到此邮件，说明邮件通知设置正确。"
	}
	return "This is a test e-mail from Habeas. If you can read it, e-mail notifications are set up correctly."
}

// More says how many further subjects were left out of a list ("and 3 more").
func More(lang string, n int) string {
	if Lang(lang) == ZhHans {
		return fmt.Sprintf("另有 %d 项", n)
	}
	return fmt.Sprintf("and %d more", n)
}
