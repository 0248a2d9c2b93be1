package dossier

import (
	"strings"
	"time"
)

// The UN history of the case (issue 25, docs/un.md): the communications UN
// bodies sent to the government, with the reply and the opinion. A reply
// not recorded by its due day is printed as exactly that, never as a
// violation: the 60-day reply period is the UN body's practice.

// cst is China Standard Time, in which reply days are counted (as the time limits).
var cst = time.FixedZone("CST", 8*3600)

// unReply is the state of a communication's reply on the day the document
// was generated: replied (with its summary), due, no reply recorded by the
// due day, or nothing (not transmitted).
func (r *renderer) unReply(u UNCommunication) string {
	today := r.doc.GeneratedAt.In(cst).Format(time.DateOnly)
	switch {
	case u.RepliedAt != "":
		s := r.l.format("un.replied", r.date(u.RepliedAt))
		if u.ReplySummary != "" {
			s += ": " + u.ReplySummary
		}
		return s
	case u.TransmittedAt == "" || u.ReplyDueAt == "":
		return ""
	case u.ReplyDueAt < today:
		return r.l.format("un.no_reply_by", r.date(u.ReplyDueAt))
	default:
		return r.l.format("un.reply_due", r.date(u.ReplyDueAt))
	}
}

// unOpinion is the WGAD opinion ("Opinion No. 62/2018, 2018-11-20") and the follow-up.
func (r *renderer) unOpinion(u UNCommunication) string {
	var parts []string
	if u.OpinionNumber != "" {
		parts = append(parts, r.l.format("un.opinion", u.OpinionNumber))
	}
	if u.OpinionDate != "" {
		parts = append(parts, r.date(u.OpinionDate))
	}
	s := strings.Join(parts, ", ")
	if u.FollowUp != "" {
		s = strings.TrimSpace(s + "\n" + r.l.format("un.follow_up", u.FollowUp))
	}
	return s
}

// unVisible are the communications this document may print (the service
// already left confidential ones out of an external document; checked
// again here).
func (r *renderer) unVisible() []UNCommunication {
	var out []UNCommunication
	for _, u := range r.doc.Case.UN {
		if r.external() && u.Confidential {
			continue
		}
		out = append(out, u)
	}
	return out
}

// unHistory prints the UN history as a table under its own heading (in
// the dossier's international support section).
func (r *renderer) unHistory() {
	r.subheading(r.l.get("un.title"))
	r.para(r.l.get("un.note"), sizeSmall, false)
	var rows [][]string
	for _, u := range r.unVisible() {
		ref := strings.TrimSpace(u.Reference + "\n" + u.Body)
		rows = append(rows, []string{r.marked(u.Confidential, r.l.term(u.Kind)), ref, r.date(u.TransmittedAt), r.unReply(u), r.unOpinion(u)})
	}
	if len(rows) == 0 {
		r.para(r.l.get("none"), sizeBody, false)
		return
	}
	r.table([]column{{r.l.get("col.type"), 38}, {r.l.get("un.col.reference"), 34}, {r.l.get("un.col.transmitted"), 22},
		{r.l.get("un.col.reply"), 42}, {r.l.get("un.col.opinion"), 38}}, rows, nil)
}

// unFacts are the UN history as lines of the WGAD draft.
func (r *renderer) unFacts() []string {
	var out []string
	for _, u := range r.unVisible() {
		s := r.l.term(u.Kind)
		if ref := strings.TrimSpace(strings.Join([]string{u.Reference, u.Body}, " · ")); strings.Trim(ref, " ·") != "" {
			s += " " + strings.Trim(ref, " ·")
		}
		if u.TransmittedAt != "" {
			s += "; " + r.l.format("un.transmitted", r.date(u.TransmittedAt))
		}
		if rep := r.unReply(u); rep != "" {
			s += "; " + rep
		}
		if op := r.unOpinion(u); op != "" {
			s += "; " + strings.ReplaceAll(op, "\n", "; ")
		}
		out = append(out, s)
	}
	return out
}
