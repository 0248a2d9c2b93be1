package dossier

import "strings"

// The detainee's relatives and contacts (issue 25, docs/relatives.md), in
// the profile section. The internal document prints every relative with
// contact and address and marks each confidential row visibly ("Confidential
// — do not share"); the external document prints no confidential relative
// and no contact or address of any (the service already left them out;
// checked again here).

// relativesVisible are the relatives this document may print.
func (r *renderer) relativesVisible() []Relative {
	var out []Relative
	for _, rel := range r.doc.Detainee.Relatives {
		if r.external() && rel.Confidential {
			continue
		}
		out = append(out, rel)
	}
	return out
}

// relatives prints the relatives as a table under their own heading.
func (r *renderer) relatives() {
	rels := r.relativesVisible()
	if len(rels) == 0 {
		return
	}
	r.subheading(r.l.get("rel.title"))
	var rows [][]string
	var marked []bool
	for _, rel := range rels {
		names := strings.Join(r.names(rel.Name, rel.OtherNames), "\n")
		var consent []string
		for _, c := range rel.Consent {
			consent = append(consent, r.l.term(c.Kind)+": "+r.l.get("rel.consent."+c.State))
		}
		row := []string{r.l.term(rel.Relation), names, rel.Place, strings.Join(consent, "\n")}
		if !r.external() {
			contact := strings.TrimSpace(rel.Contact + "\n" + rel.Address)
			if rel.Confidential {
				contact = strings.TrimSpace(r.l.get("rel.confidential_mark") + "\n" + contact)
			}
			row = append(row, contact)
		}
		rows = append(rows, row)
		marked = append(marked, rel.Confidential && !r.external())
	}
	cols := []column{{r.l.get("rel.col.relation"), 28}, {r.l.get("field.name"), 50}, {r.l.get("rel.col.place"), 36}, {r.l.get("rel.col.consent"), 60}}
	if !r.external() { // narrower columns to make room for the contact
		cols = []column{{cols[0].label, 24}, {cols[1].label, 38}, {cols[2].label, 26}, {cols[3].label, 42}, {r.l.get("rel.col.contact"), 44}}
	}
	r.table(cols, rows, func(i int) bool { return marked[i] })
}

// coDetainees lists the other detainees of the case (issue 25), one a
// line: their name forms as the profile prints a name, then the role.
func (r *renderer) coDetainees() string {
	var lines []string
	for _, d := range r.doc.Case.CoDetainees {
		lines = append(lines, strings.Join(r.names(d.Name, d.OtherNames), " / ")+r.colon()+r.l.term(d.Role))
	}
	return strings.Join(lines, "\n")
}
