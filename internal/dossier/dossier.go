package dossier

import (
	"strconv"
	"strings"
)

// dossierSections are the dossier's parts after the cover and contents.
var dossierSections = []Section{SecProfile, SecCase, SecCustody, SecLawyers, SecChronology, SecObstacles, SecTimeLimits, SecSupport, SecEvidence, SecNotes}

// external reports whether confidential material must be left out. The
// service already leaves it out of an external Document; the renderer checks
// again, so a mistake upstream cannot put it on paper.
func (r *renderer) external() bool { return r.doc.Audience != Internal }

func (r *renderer) dossier() {
	r.cover("doc.dossier", "notice."+string(r.doc.Audience))
	toc := r.reserveTOC()
	r.newPage()
	r.profile()
	r.caseSummary()
	r.custody()
	r.lawyers()
	r.chronology()
	r.obstacles()
	r.timeLimits()
	r.support()
	r.unHistory() // under the international support section (un.go)
	r.evidence()
	r.notesSection()
	r.finish(toc, dossierSections, func(s Section) string { return r.l.get("sec." + string(s)) })
}

// cover: kind, every name form, case status, generation, audience, notice, id.
func (r *renderer) cover(kindKey, noticeKey string) {
	r.newPage()
	d := r.doc
	r.gap(12)
	r.pdf.SetTextColor(20, 40, 90)
	r.para(r.l.get(kindKey), sizeH1+3, true)
	r.pdf.SetTextColor(0, 0, 0)
	r.gap(8)
	r.para(r.displayName(), 22, true)
	r.gap(2)
	for _, n := range r.names(d.Detainee.Name, d.Detainee.OtherNames)[1:] {
		r.para(n, 12, false)
	}
	r.gap(8)
	if d.Case.Title != "" {
		r.field("field.title", d.Case.Title)
	}
	r.field("doc.case_status", r.l.term(d.Case.Status))
	r.field("doc.stage", r.l.term(d.Case.Stage))
	r.field("field.detention_status", r.l.term(d.Detainee.DetentionStatus))
	r.gap(6)
	r.field("doc.generated_at", stamp(d.GeneratedAt))
	by := d.GeneratedBy
	if r.external() || d.Kind == KindWGAD {
		by = d.Organisation // a document that leaves the team names no person
	}
	r.field("doc.generated_by", by)
	r.field("doc.audience", r.l.get("audience."+string(d.Audience)))
	r.field("doc.id", d.ID)
	r.gap(6)
	r.notice(r.l.texts(noticeKey), d.Audience == Internal || d.Kind == KindWGAD)
	if !r.external() && d.Kind != KindWGAD {
		r.notice(r.l.texts("legend.confidential"), true)
	}
}

// marked prefixes s with the CONFIDENTIAL mark when confidential is set
// (only the internal version holds confidential rows).
func (r *renderer) marked(confidential bool, s string) string {
	if !confidential || r.external() {
		return s
	}
	return "[" + r.l.get("mark.confidential") + "] " + s
}

// secretField is field for a confidential field of the internal version:
// its label carries the CONFIDENTIAL mark.
func (r *renderer) secretField(labelKey, value string) {
	if strings.TrimSpace(value) == "" || r.external() {
		return
	}
	r.fieldText(r.l.get(labelKey)+" ["+r.l.get("mark.confidential")+"]", value, false)
}

func (r *renderer) unavailable(s Section) bool {
	if r.doc.available(s) {
		return false
	}
	r.para(r.l.get("unavailable"), sizeBody, false)
	r.notes["unavailable."+string(s)] = true
	return true
}

func join(parts ...string) string {
	var out []string
	for _, p := range parts {
		if strings.TrimSpace(p) != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, ", ")
}

func (r *renderer) profile() {
	d := r.doc.Detainee
	r.section(SecProfile, r.l.get("sec.profile"))
	r.field("field.name", r.displayName())
	r.field("field.other_names", strings.Join(r.names(d.Name, d.OtherNames)[1:], "\n"))
	r.field("field.nationality", d.Nationality)
	r.field("field.sex", r.l.term(d.Sex))
	r.field("field.born_at", r.date(d.BornAt))
	r.field("field.ethnic_group", d.EthnicGroup)
	r.field("field.religion", d.Religion)
	r.field("field.occupation", d.Occupation)
	r.field("field.home", join(d.HomeProvince, d.HomePlace))
	r.field("field.issue", r.l.term(d.Issue))
	r.field("field.detention_status", r.l.term(d.DetentionStatus))
	r.field("field.detention_place", d.DetentionPlace)
	r.field("field.facility_type", r.l.term(d.FacilityType))
	r.field("field.health", d.HealthConcerns)
	r.field("field.cross_references", strings.Join(d.CrossReferences, "\n"))
	r.field("field.summary", d.Summary)
	if !r.external() {
		r.secretField("field.family_contacts", d.FamilyContacts)
		r.secretField("field.home_address", d.HomeAddress)
		r.secretField("field.confidential_notes", d.ConfidentialNotes)
	}
	r.relatives()
}

// paren puts s in parentheses: full-width ones in a Chinese document.
func (r *renderer) paren(s string) string {
	if r.l.lang == Chinese {
		return "（" + s + "）"
	}
	return " (" + s + ")"
}

func (r *renderer) charges() string {
	var lines []string
	for _, ch := range r.doc.Case.Charges {
		s := r.l.term(ch.Charge)
		if ch.Article != "" {
			s += r.paren(r.article(ch.Article))
		}
		if ch.Detail != "" {
			s += ": " + ch.Detail
		}
		lines = append(lines, s)
	}
	return strings.Join(lines, "\n")
}

func (r *renderer) caseSummary() {
	c := r.doc.Case
	r.section(SecCase, r.l.get("sec.case"))
	r.field("field.title", c.Title)
	r.field("field.case_numbers", strings.Join(c.CaseNumbers, ", "))
	r.field("field.co_detainees", r.coDetainees())
	r.field("doc.case_status", r.l.term(c.Status))
	r.field("doc.stage", r.l.term(c.Stage))
	r.field("field.charges", r.charges())
	r.field("field.detaining_authority", c.DetainingAuthority)
	r.field("field.investigating_authority", c.InvestigatingAuthority)
	r.field("field.procuratorate", c.Procuratorate)
	r.field("field.court", c.Court)
	r.field("field.detention_place", c.DetentionPlace)
	var dates []string
	for _, kd := range c.Dates {
		if kd.At != "" {
			dates = append(dates, r.l.get(kd.Label)+": "+r.date(kd.At))
		}
	}
	r.field("field.key_dates", strings.Join(dates, "\n"))
	r.field("field.sentence", c.Sentence)
	r.field("field.sentence_detail", r.sentenceLines())
	if at, basis := r.releaseText(); at != "" || basis != "" {
		r.field("field.expected_release", at)
		r.field("field.release_basis", basis)
	}
	r.field("field.un_consent", r.consentText())
	r.field("field.summary", c.Summary)
	if !r.external() {
		r.secretField("field.confidential_notes", c.ConfidentialNotes)
	}
}

func (r *renderer) lawyers() {
	r.section(SecLawyers, r.l.get("sec.lawyers"))
	if r.unavailable(SecLawyers) {
		return
	}
	if len(r.doc.Lawyers) == 0 {
		r.para(r.l.get("none"), sizeBody, false)
		return
	}
	for _, lw := range r.doc.Lawyers {
		if r.external() && lw.Confidential {
			continue
		}
		names := r.names(lw.Name, lw.OtherNames)
		r.subheading(r.marked(lw.Confidential, strings.Join(names, " · ")))
		r.field("field.law_firm", lw.LawFirm)
		r.field("field.licence", r.l.term(lw.LicenceStatus))
		var risk []string
		for _, t := range lw.RiskStatus {
			risk = append(risk, r.l.term(t))
		}
		r.field("field.risk", strings.Join(risk, ", "))
		r.field("field.role", r.l.term(lw.Role))
		r.field("field.assignment", r.l.term(lw.Status))
		if lw.StartedAt != "" || lw.EndedAt != "" {
			r.field("field.period", r.date(lw.StartedAt)+" – "+r.date(lw.EndedAt))
		}
		if !r.external() {
			r.secretField("field.contact", lw.Contact)
		}
	}
}

func (r *renderer) chronology() {
	r.section(SecChronology, r.l.get("sec.chronology"))
	if r.unavailable(SecChronology) {
		return
	}
	var rows [][]string
	var obstacle []bool
	for _, it := range r.doc.Chronology {
		if r.external() && it.Confidential {
			continue
		}
		kind := r.l.get("kind." + it.Kind)
		if it.Type.Value != "" {
			kind += ": " + r.l.term(it.Type)
		}
		ob := ""
		if it.Obstacle {
			ob = r.l.get("yes")
			if it.ObstacleType.Value != "" {
				ob = r.l.term(it.ObstacleType)
			}
		}
		rows = append(rows, []string{r.marked(it.Confidential, r.date(it.At)), kind, it.Description, it.Place, ob})
		obstacle = append(obstacle, it.Obstacle)
	}
	if len(rows) == 0 {
		r.para(r.l.get("none"), sizeBody, false)
		return
	}
	r.table([]column{{r.l.get("col.date"), 22}, {r.l.get("col.type"), 34}, {r.l.get("col.description"), 72},
		{r.l.get("col.place"), 26}, {r.l.get("col.obstacle"), 20}}, rows, func(i int) bool { return obstacle[i] })
}

func (r *renderer) obstacles() {
	r.section(SecObstacles, r.l.get("sec.obstacles"))
	if r.unavailable(SecChronology) {
		return
	}
	counts := r.doc.Obstacles()
	if len(counts) == 0 {
		r.para(r.l.get("none"), sizeBody, false)
		return
	}
	var rows [][]string
	for _, c := range counts {
		rows = append(rows, []string{r.l.term(c.Type), strconv.Itoa(c.Count)})
	}
	r.table([]column{{r.l.get("col.type"), 140}, {r.l.get("col.count"), 34}}, rows, nil)
}

func (r *renderer) limitStatus(t TimeLimit) string {
	switch {
	case t.Overdue():
		s := r.l.get("overdue")
		if t.DaysOverdue > 0 {
			s += " (" + r.l.format("days_overdue", t.DaysOverdue) + ")"
		}
		return s
	case t.Status == StatusOverdueUnlessExtended && !t.DueLatest.IsZero():
		return r.l.get("status."+t.Status) + "\n" + r.l.format("limit.due_latest", r.day(t.DueLatest))
	}
	return r.l.get("status." + t.Status)
}

// limitDetail is the rule column of a limit: its title, the custody period
// it governs, the missing fact and the engine's notes.
func (r *renderer) limitDetail(t TimeLimit) string {
	lines := []string{r.limitTitle(t)}
	if p, ok := r.periodByID(t.PeriodID); ok {
		lines = append(lines, r.l.format("limit.period", r.periodLabel(p)))
	}
	if r.limitMissing(t) != "" && t.ToVerify() {
		lines = append(lines, r.l.format("limit.missing", both(t.Missing, t.MissingZh)))
	}
	return strings.Join(append(lines, r.limitNotes(t)...), "\n")
}

func (r *renderer) timeLimits() {
	r.section(SecTimeLimits, r.l.get("sec.time_limits"))
	r.para(r.l.get("time_limits.note"), sizeSmall, false)
	r.gap(1.5)
	if r.unavailable(SecTimeLimits) {
		return
	}
	if len(r.doc.TimeLimits) == 0 {
		r.para(r.l.get("none"), sizeBody, false)
		return
	}
	var rows [][]string
	for _, t := range r.doc.TimeLimits {
		rows = append(rows, []string{r.limitDetail(t), r.limitBasis(t), r.date(t.StartAt), r.day(t.Due), r.limitStatus(t)})
	}
	lim := r.doc.TimeLimits
	r.table([]column{{r.l.get("col.rule"), 70}, {r.l.get("col.basis"), 30}, {r.l.get("col.start"), 22},
		{r.l.get("col.due"), 22}, {r.l.get("col.status"), 30}}, rows, func(i int) bool { return lim[i].Overdue() })
}

func (r *renderer) support() {
	r.section(SecSupport, r.l.get("sec.support"))
	if r.unavailable(SecSupport) {
		return
	}
	var rows [][]string
	var overdue []bool
	for _, s := range r.doc.Support {
		if r.external() && s.Confidential {
			continue
		}
		od := ""
		if s.Overdue {
			od = r.l.get("overdue")
		}
		rows = append(rows, []string{r.marked(s.Confidential, r.l.term(s.Type)), s.Addressee, r.l.term(s.Status), r.date(s.Due), od})
		overdue = append(overdue, s.Overdue)
	}
	if len(rows) == 0 {
		r.para(r.l.get("none"), sizeBody, false)
		return
	}
	r.table([]column{{r.l.get("col.type"), 50}, {r.l.get("col.addressee"), 50}, {r.l.get("col.status"), 28},
		{r.l.get("col.due"), 22}, {r.l.get("overdue"), 24}}, rows, func(i int) bool { return overdue[i] })
}

func (r *renderer) evidence() {
	r.section(SecEvidence, r.l.get("sec.evidence"))
	r.para(r.l.get("evidence.note"), sizeSmall, false)
	r.gap(1.5)
	if r.unavailable(SecEvidence) {
		return
	}
	var rows [][]string
	for _, e := range r.doc.Evidence {
		if r.external() && e.Confidential {
			continue
		}
		rows = append(rows, []string{r.marked(e.Confidential, e.Title), r.l.term(Term{Vocab: "evidence_kinds", Value: e.Kind}), r.date(e.At), size(e.Size), e.SHA256})
	}
	if len(rows) == 0 {
		r.para(r.l.get("none"), sizeBody, false)
		return
	}
	r.table([]column{{r.l.get("col.title"), 58}, {r.l.get("col.kind"), 22}, {r.l.get("col.date"), 20},
		{r.l.get("col.size"), 18}, {r.l.get("col.sha256"), 56}}, rows, nil)
}

// notesSection explains what the document could not show and how to read it.
func (r *renderer) notesSection() {
	r.section(SecNotes, r.l.get("sec.notes"))
	for _, t := range r.l.texts("note.dates") {
		r.para("• "+t, sizeBody, false)
	}
	for _, key := range []string{"note.unshaped", "note.uncovered"} {
		if r.notes[key] {
			for _, t := range r.l.texts(key) {
				r.para("• "+t, sizeBody, false)
			}
		}
	}
	for _, s := range r.doc.Unavailable {
		r.para("• "+r.l.get("sec."+string(s))+": "+r.l.get("unavailable"), sizeBody, false)
	}
}
