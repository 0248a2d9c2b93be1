package email

import (
	"bytes"
	"html/template"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/habeas-org/habeas/internal/notify/text"
)

// Item is what a message says about one rule (see text.Item).
type Item = text.Item

// Digest is the content of a notification e-mail: one or more rules with
// their counts. Without IncludeNames the message carries counts and links
// only: Subjects and DueAt are not shown.
type Digest struct {
	// Items are the rules the message covers, in the order shown.
	Items []Item
	// Link is the absolute URL the call to action opens (e.g. the inbox
	// under HABEAS_PUBLIC_URL).
	Link string
	// SettingsLink is the absolute URL of the user's notification
	// settings; empty: the opt-out line names the page without a link.
	SettingsLink string
	// IncludeNames is HABEAS_NOTIFY_INCLUDE_NAMES: list each item's
	// Subjects and earliest due date.
	IncludeNames bool
	// Digest marks the daily digest (heading and subject say so).
	Digest bool
	// Location formats DueAt instants (the user's time zone); nil: UTC.
	Location *time.Location
}

// MaxSubjects is how many subjects are listed per rule; the rest are counted.
const MaxSubjects = 10

// maxSubjectRunes shortens a subject longer than this.
const maxSubjectRunes = 200

type renderItem struct {
	Summary  string
	Subjects []string
	More     string
	Due      string // the due note, with its leading space or brackets
}

type renderData struct {
	Lang, Subject, Heading, Intro, CTA, Link, SafetyNote, Settings, SettingsLink string
	Items                                                                        []renderItem
}

// Render builds the message for d in lang (an unknown language is
// English): subject, text part and an HTML part (html/template escaping,
// lang attribute). To and MessageID are left for the caller.
func Render(lang string, d Digest) Message {
	l := text.Lang(lang)
	data := renderData{
		Lang: l, Subject: text.Subject(l, d.Items, d.Digest), Heading: text.Heading(l, d.Digest),
		Intro: text.Intro(l, d.Digest), CTA: text.CallToAction(l), Link: d.Link,
		Settings: text.SettingsLine(l, ""), SettingsLink: d.SettingsLink,
	}
	if !d.IncludeNames {
		data.SafetyNote = text.SafetyNote(l)
	}
	loc := d.Location
	if loc == nil {
		loc = time.UTC
	}
	for _, it := range d.Items {
		ri := renderItem{Summary: text.Summary(l, it.Rule, it.Count)}
		if d.IncludeNames {
			for i, s := range it.Subjects {
				if i == MaxSubjects {
					ri.More = text.More(l, len(it.Subjects)-MaxSubjects)
					break
				}
				if s = clean(s); s != "" {
					ri.Subjects = append(ri.Subjects, s)
				}
			}
			if due := formatDue(it.DueAt, loc); due != "" {
				ri.Due = text.DueNote(l, due)
			}
		}
		data.Items = append(data.Items, ri)
	}

	var b strings.Builder
	b.WriteString(data.Heading + "\n\n" + data.Intro + "\n\n")
	for _, it := range data.Items {
		b.WriteString("- " + it.Summary)
		b.WriteString(it.Due)
		b.WriteString("\n")
		for _, s := range it.Subjects {
			b.WriteString("    * " + s + "\n")
		}
		if it.More != "" {
			b.WriteString("    " + it.More + "\n")
		}
	}
	if d.Link != "" {
		b.WriteString("\n" + text.CallToActionLine(l, d.Link) + "\n")
	}
	if data.SafetyNote != "" {
		b.WriteString("\n" + data.SafetyNote + "\n")
	}
	b.WriteString("\n-- \n" + text.SettingsLine(l, d.SettingsLink) + "\n")

	var h bytes.Buffer
	if err := page.Execute(&h, data); err != nil {
		// The template is fixed and its data plain strings: an error here is
		// a programming error; the text part still goes out.
		h.Reset()
	}
	return Message{Language: l, Subject: data.Subject, Text: b.String(), HTML: h.String()}
}

// TestMessage is the admin's test e-mail in lang.
func TestMessage(lang string) Message {
	l := text.Lang(lang)
	var h bytes.Buffer
	if err := testPage.Execute(&h, map[string]string{"Lang": l, "Subject": text.TestSubject(l), "Body": text.TestBody(l)}); err != nil {
		h.Reset()
	}
	return Message{Language: l, Subject: text.TestSubject(l), Text: text.TestBody(l) + "\n", HTML: h.String()}
}

// clean keeps a subject on one line, without control characters, at most
// maxSubjectRunes long.
func clean(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) > maxSubjectRunes {
		s = string([]rune(s)[:maxSubjectRunes-1]) + "…"
	}
	return s
}

// formatDue shows a date as is and an instant in loc ("2006-01-02 15:04 MST").
func formatDue(s string, loc *time.Location) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t.Format("2006-01-02")
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.In(loc).Format("2006-01-02 15:04 MST")
	}
	return ""
}

const style = `body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans SC","PingFang SC","Microsoft YaHei",sans-serif;font-size:16px;line-height:1.5;color:#1a1b1e;background:#fff;margin:0;padding:0}
main{max-width:40em;margin:0 auto;padding:24px 16px}
h1{font-size:20px;margin:0 0 16px}
a.cta{display:inline-block;background:#1864ab;color:#fff;padding:10px 16px;border-radius:4px;text-decoration:none;font-weight:600}
.note,footer{color:#495057;font-size:14px}`

var page = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Subject}}</title>
<style>` + style + `</style>
</head>
<body>
<main>
<h1>{{.Heading}}</h1>
<p>{{.Intro}}</p>
<ul>
{{- range .Items}}
<li>{{.Summary}}{{.Due}}
{{- if or .Subjects .More}}
<ul>{{range .Subjects}}<li>{{.}}</li>{{end}}{{if .More}}<li>{{.More}}</li>{{end}}</ul>
{{- end}}</li>
{{- end}}
</ul>
{{- if .Link}}
<p><a class="cta" href="{{.Link}}">{{.CTA}}</a></p>
{{- end}}
{{- if .SafetyNote}}
<p class="note">{{.SafetyNote}}</p>
{{- end}}
<footer><p>{{.Settings}}{{if .SettingsLink}} <a href="{{.SettingsLink}}">{{.SettingsLink}}</a>{{end}}</p></footer>
</main>
</body>
</html>
`))

var testPage = template.Must(template.New("test").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Subject}}</title>
<style>` + style + `</style>
</head>
<body>
<main>
<h1>{{.Subject}}</h1>
<p>{{.Body}}</p>
</main>
</body>
</html>
`))
