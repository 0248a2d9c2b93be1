package webhook

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"strings"
	"time"
)

// Format is the shape of the body: FormatHabeas, FormatSlack or FormatMatrix.
type Format string

// The payload formats (HABEAS_WEBHOOK_FORMAT).
const (
	// FormatHabeas is the JSON of the event (schema habeas.notification/1).
	FormatHabeas Format = "habeas"
	// FormatSlack is a Slack-compatible incoming-webhook body {"text": ...}.
	FormatSlack Format = "slack"
	// FormatMatrix is a Matrix hookshot generic-webhook body
	// {"text": ..., "html": ...}.
	FormatMatrix Format = "matrix"
)

// ParseFormat reads a format name.
func ParseFormat(s string) (Format, error) {
	switch f := Format(s); f {
	case FormatHabeas, FormatSlack, FormatMatrix:
		return f, nil
	case "":
		return FormatHabeas, nil
	}
	return "", fmt.Errorf("webhook format %q: want habeas, slack or matrix", s)
}

// Schema is the value of "schema" in a habeas-format body.
const Schema = "habeas.notification/1"

// Event is one notification to deliver. The notify core fills it; Text is
// already rendered in the organisation's language and carries no
// confidential text or name unless the organisation turned that on.
type Event struct {
	// ID is the idempotency key: stable across retries of one
	// notification, sent as webhook-id.
	ID string
	// Rule is the notification rule (deadline_overdue, hearing_tomorrow, ...).
	Rule string
	// Count is how many items the notification is about (1 or more).
	Count int
	// Text is the human message.
	Text string
	// Link is the URL to open in Habeas (may be empty).
	Link string
	// ObjectType and ObjectID name what the notification is about
	// (case, deadline, hearing, ...; may be empty for a summary).
	ObjectType string
	ObjectID   string
	// CreatedAt is when the notification was created.
	CreatedAt time.Time
}

type habeasBody struct {
	Schema     string `json:"schema"`
	ID         string `json:"id"`
	Rule       string `json:"rule"`
	Count      int    `json:"count"`
	Text       string `json:"text"`
	Link       string `json:"link"`
	ObjectType string `json:"object_type"`
	ObjectID   string `json:"object_id"`
	CreatedAt  string `json:"created_at"`
}

// Payload renders e as the body of format f.
func Payload(f Format, e Event) ([]byte, error) {
	switch f {
	case FormatHabeas, "":
		return marshal(habeasBody{
			Schema: Schema, ID: e.ID, Rule: e.Rule, Count: e.Count, Text: e.Text, Link: e.Link,
			ObjectType: e.ObjectType, ObjectID: e.ObjectID,
			CreatedAt: e.CreatedAt.UTC().Format(time.RFC3339),
		})
	case FormatSlack:
		// Slack reads &, < and > as control characters in text.
		return marshal(struct {
			Text string `json:"text"`
		}{slackEscape.Replace(plain(e))})
	case FormatMatrix:
		// hookshot: "text" is the plain body (rendered as Markdown unless
		// "html" is given), "html" the formatted body; we give both so
		// that nothing in Text is read as Markdown.
		h := html.EscapeString(e.Text)
		if e.Link != "" {
			h += ` <a href="` + html.EscapeString(e.Link) + `">` + html.EscapeString(e.Link) + `</a>`
		}
		return marshal(struct {
			Text string `json:"text"`
			HTML string `json:"html"`
		}{plain(e), h})
	}
	return nil, fmt.Errorf("webhook format %q: want habeas, slack or matrix", f)
}

// marshal is json.Marshal without the \u003c escaping of <, > and &:
// the bodies are not embedded in HTML, and receivers log them.
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

var slackEscape = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

func plain(e Event) string {
	if e.Link == "" {
		return e.Text
	}
	return e.Text + " " + e.Link
}
