package deadlines

import "github.com/habeas-org/habeas/internal/partialdate"

// The UN reply clock (issue 25, docs/un.md). A UN body that transmits a
// communication to the government asks for a reply within 60 days; the
// WGAD may grant one more month at the government's request (its methods
// of work, A/HRC/36/38). This is the practice of the UN body, not a rule of
// PRC law: a late or missing reply proves no violation, and the result
// says only that no reply is recorded by the day it was due.

// StartUNTransmitted is the start event of the UN reply clock: the day the
// communication was transmitted to the government.
const StartUNTransmitted = "un_transmitted_at"

// UNCommunication is a UN communication as the engine reads it.
type UNCommunication struct {
	ID          string
	Kind        string
	Reference   string
	Transmitted partialdate.Date // zero: not (yet) transmitted
	ReplyDue    partialdate.Date // zero: 60 days after Transmitted
	Replied     partialdate.Date // zero: no reply recorded
}

// unGovernmentReply: one limit per communication transmitted to the
// government, due on its reply_due_at (by default 60 days after
// transmission), met by the recorded reply. An extension the WGAD granted
// is recorded as the new reply_due_at.
func unGovernmentReply(c *evalCtx) []draft {
	var out []draft
	for _, u := range c.f.UN {
		if u.Transmitted.IsZero() {
			continue
		}
		d := draft{startEvent: StartUNTransmitted, start: u.Transmitted}
		if u.Reference != "" {
			d.notes = append(d.notes, c.t("un_reference", u.Reference))
		}
		due := spanOf(u.Transmitted).shift(plusDays(60))
		if !u.ReplyDue.IsZero() {
			due = spanOf(u.ReplyDue)
		}
		d.due = due
		d.stepName = factName(c.l, "un_replied_at")
		if !u.Replied.IsZero() {
			d.step, d.stepAt = spanOf(u.Replied), u.Replied
		} else if due.known && today(c.now).After(due.hi) {
			d.notes = append(d.notes, c.t("un_no_reply", dayText(due.hi)))
		}
		out = append(out, d)
	}
	return out
}
