package dossier

import (
	"strings"
	"time"

	"github.com/habeas-org/habeas/internal/partialdate"
)

// The WGAD draft follows the sections of an individual communication to the
// UN Working Group on Arbitrary Detention (see docs/dossier.md): identity,
// arrest, detention, why the detention is arbitrary (categories I to V, each
// with the facts of the case record that support it), domestic remedies,
// and the source and consent. What Habeas does not record is marked
// "[TO COMPLETE: ...]" ("[待补充：...]" in Chinese) for the coordinator.
//
// Honesty: the draft asserts as facts only time limits the record proves
// passed (status overdue, strict) and custody recorded as held without any
// procedure. Limits that are overdue unless extended, or unknown for want
// of a fact, are listed under "To verify" with the missing fact, never
// under a category.

// wgadSections are the parts of the draft (their labels are in ui.json).
var wgadSections = []string{"identity", "arrest", "detention", "arbitrary", "remedies", "source"}

// Time limits whose passing shows detention without legal basis (category I)
// and those about contact with a lawyer or the family, and interrogation
// (category III). A rule in neither (the appeal window: a time for the
// defence, not a duty of the state) is never asserted.
var (
	cat1Rules = map[string]bool{"arrest_approval": true, "investigation_custody": true, "prosecution_review": true,
		"supplementary_investigation": true, "rsdl_max": true, "first_instance": true, "second_instance": true,
		"no_procedure": true}
	cat3Rules = map[string]bool{"lawyer_meeting": true, "family_notice_detention": true, "family_notice_rsdl": true,
		"family_notice_arrest": true, "interrogation": true}
	// Issues and charges typical of detention for exercising protected rights (category II).
	cat2Issues = map[string]bool{"expression": true, "religious_freedom": true, "assembly_association": true,
		"journalism": true, "human_rights_defenders": true, "lawyers": true, "democracy": true,
		"ethnic_minority_rights": true, "labour": true, "petitioners": true, "hong_kong": true, "women_rights": true, "lgbt_rights": true}
	cat2Charges = map[string]bool{"art103_inciting_splittism": true, "art105_subversion": true, "art105_inciting_subversion": true,
		"art120_3_advocating_terrorism": true, "art120_4_inciting_ethnic_hatred_extremism": true, "art246_defamation": true,
		"art249_inciting_ethnic_hatred": true, "art290_gathering_crowd_disturbing_order": true,
		"art291_gathering_crowd_public_order": true, "art293_picking_quarrels": true, "art296_illegal_assembly": true, "art300_cult": true}
	cat5Issues = map[string]bool{"ethnic_minority_rights": true, "religious_freedom": true}
	// remedyTypes are the event types that record a domestic remedy tried.
	remedyTypes = map[string]bool{"complaint_filed": true, "petition_filed": true, "retrial_petition": true,
		"state_compensation_claim": true, "appeal": true, "remedy_answered": true}
)

// category of a limit's rule in the draft: 1, 3, or 0 (never asserted).
func ruleCategory(rule string) int {
	switch {
	case cat1Rules[rule], strings.HasPrefix(rule, "no_procedure"), strings.Contains(rule, "transfer"):
		return 1 // Art. 85 ¶2: held outside a detention centre beyond 24 hours
	case cat3Rules[rule], strings.HasPrefix(rule, "family_notice"), strings.HasPrefix(rule, "lawyer"),
		strings.HasPrefix(rule, "interrogat"):
		return 3
	}
	return 0
}

func (r *renderer) todo(key string, args ...any) string {
	s := r.l.get(key)
	if len(args) > 0 {
		s = r.l.format(key, args...)
	}
	if r.l.lang == Chinese {
		return "[" + r.l.zh("todo") + "：" + s + "]"
	}
	return "[" + r.l.en("todo") + ": " + s + "]"
}

// wfield prints a field of the draft, or the gap to complete.
func (r *renderer) wfield(labelKey, value, todoKey string, args ...any) {
	if strings.TrimSpace(value) != "" {
		r.fieldText(r.l.get(labelKey), value, false)
		return
	}
	if todoKey == "" {
		todoKey = "todo.value"
		args = []any{r.l.biLabel(labelKey)}
	}
	r.fieldText(r.l.get(labelKey), r.todo(todoKey, args...), true)
}

func (r *renderer) fact(s string) { r.paraAt(marginL+4, contentW-4, "• "+s, sizeBody, false) }

func (r *renderer) gapLine(key string, args ...any) {
	r.pdf.SetTextColor(170, 20, 20)
	r.paraAt(marginL+4, contentW-4, r.todo(key, args...), sizeBody, false)
	r.pdf.SetTextColor(0, 0, 0)
}

// arrestFacts are the date and place of arrest: the start and place of the
// first custody period, else the detention date and the case's place of
// detention.
func (r *renderer) arrestFacts() (at, place string) {
	c := r.doc.Case
	at, place = keyDate(c, "date.detained"), c.DetentionPlace
	if ps := r.custodySorted(); len(ps) > 0 {
		if ps[0].StartAt != "" {
			at = ps[0].StartAt
		}
		if p := r.place(ps[0]); p != "" {
			place = p
		}
	}
	return at, place
}

// placesOfDetention lists the custody periods with their dates, then the
// transfers the chronology records.
func (r *renderer) placesOfDetention() string {
	var lines []string
	for _, p := range r.custodySorted() {
		lines = append(lines, r.date(p.StartAt)+" – "+r.periodEnd(p)+r.colon()+r.joinL(r.l.term(p.Measure), r.place(p), p.Authority))
	}
	if len(lines) == 0 {
		d, c := r.doc.Detainee, r.doc.Case
		if pl := join(c.DetentionPlace, d.DetentionPlace, r.l.term(d.FacilityType)); pl != "" {
			lines = append(lines, pl)
		}
	}
	lines = append(lines, r.transfers()...)
	if !r.doc.available(SecChronology) {
		lines = append(lines, r.todo("todo.transfers"))
	}
	return strings.Join(lines, "\n")
}

func (r *renderer) wgad() {
	r.cover("doc.wgad", "notice.wgad")
	toc := r.reserveTOC()
	r.newPage()
	d, c := r.doc.Detainee, r.doc.Case

	r.section("identity", r.l.get("wgad.section.identity"))
	r.fieldText(r.l.get("field.name"), r.displayName(), false)
	r.wfield("wgad.family_name", "", "todo.split_name")
	r.wfield("wgad.first_names", "", "todo.split_name")
	r.wfield("wgad.aliases", strings.Join(r.names(d.Name, d.OtherNames)[1:], "\n"), "todo.value", r.l.biLabel("wgad.aliases"))
	r.wfield("field.sex", r.l.term(d.Sex), "")
	r.wfield("field.born_at", r.date(d.BornAt), "")
	r.wfield("wgad.nationality", d.Nationality, "todo.nationality")
	r.wfield("wgad.id_document", "", "todo.id_document")
	r.wfield("field.occupation", d.Occupation, "")
	r.wfield("wgad.address", "", "todo.address")
	r.field("field.co_detainees", r.coDetainees())

	arrestAt, arrestPlace := r.arrestFacts()
	r.section("arrest", r.l.get("wgad.section.arrest"))
	r.wfield("wgad.narrative", c.Summary, "todo.narrative")
	r.wfield("wgad.arrest_date", r.date(arrestAt), "")
	r.wfield("wgad.arrest_place", arrestPlace, "todo.arrest_place")
	r.wfield("wgad.arrest_forces", c.DetainingAuthority, "")
	r.wfield("wgad.warrant", "", "todo.warrant")
	r.wfield("field.charges", r.charges(), "")
	r.wfield("wgad.reasons", "", "todo.reasons")

	r.section("detention", r.l.get("wgad.section.detention"))
	r.wfield("wgad.detention_date", r.date(arrestAt), "")
	r.wfield("wgad.duration", r.duration(arrestAt, keyDate(c, "date.release")), "")
	r.wfield("wgad.holding_forces", join(c.DetainingAuthority, c.InvestigatingAuthority), "")
	r.wfield("wgad.places", r.placesOfDetention(), "")
	r.wfield("wgad.ordering_authority", join(c.InvestigatingAuthority, c.Procuratorate), "")
	r.wfield("wgad.stage", r.l.term(c.Stage), "")
	r.field("wgad.trial_date", r.date(keyDate(c, "date.trial")))
	r.field("wgad.verdict_date", r.date(keyDate(c, "date.verdict")))
	r.field("field.court", c.Court)
	r.wfield("field.sentence", strings.TrimSpace(join(c.Sentence)+"\n"+r.sentenceLines()), "")
	if at, basis := r.releaseText(); at != "" || basis != "" {
		r.field("field.expected_release", at)
		r.field("field.release_basis", basis)
	}

	r.section("arbitrary", r.l.get("wgad.section.arbitrary"))
	f1 := r.noProcedureFacts()
	f1 = append(f1, r.overdueFacts(1)...)
	r.category("wgad.cat1", f1, "todo.cat1")
	var f2 []string
	if cat2Issues[d.Issue.Value] {
		f2 = append(f2, r.l.format("wgad.issue_fact", d.Issue))
	}
	for _, ch := range c.Charges {
		if cat2Charges[ch.Charge.Value] {
			f2 = append(f2, r.l.format("wgad.charge_fact", ch.Charge, r.article(ch.Article)))
		}
	}
	r.category("wgad.cat2", f2, "todo.cat2")
	f3 := r.overdueFacts(3)
	f3 = append(f3, r.obstacleFacts()...)
	r.category("wgad.cat3", f3, "todo.cat3")
	if !r.doc.available(SecChronology) {
		r.gapLine("todo.obstacles_unavailable")
	}
	r.subheading(r.l.get("wgad.cat4"))
	r.gapLine("todo.cat4")
	var f5 []string
	if cat5Issues[d.Issue.Value] && (d.EthnicGroup != "" || d.Religion != "") {
		f5 = append(f5, r.l.format("wgad.ethnic_fact", orDash(d.EthnicGroup), orDash(d.Religion)))
	}
	r.category("wgad.cat5", f5, "todo.cat5")
	r.toVerify()

	r.section("remedies", r.l.get("wgad.section.remedies"))
	if rem := r.remedyFacts(); len(rem) > 0 {
		r.paraAt(marginL+2, contentW-2, r.l.get("wgad.remedies_recorded"), sizeSmall, true)
		for _, f := range rem {
			r.fact(f)
		}
		r.gapLine("todo.remedies_outcome")
	} else {
		r.gapLine("todo.remedies")
	}

	r.section("source", r.l.get("wgad.section.source"))
	r.wfield("wgad.submitting_source", "", "todo.source")
	if facts := r.unFacts(); len(facts) > 0 {
		r.subheading(r.l.get("wgad.un_history"))
		for _, f := range facts {
			r.fact(f)
		}
	}
	given := r.relativesConsentingToUN()
	switch cs := r.doc.Case.UNConsent; {
	case cs != nil:
		r.fieldText(r.l.get("wgad.consent"), r.l.format("wgad.consent_fact", orDash(r.date(cs.At)), orDash(r.l.term(cs.Method))), false)
	case len(given) > 0:
		r.fieldText(r.l.get("wgad.consent"), r.l.format("wgad.consent_relatives", strings.Join(given, "; ")), false)
	default:
		r.wfield("wgad.consent", "", "todo.consent")
	}
	if n := r.doc.Detainee.UNConsentWithdrawn; n > 0 {
		r.gapLine("todo.consent_withdrawn", n)
	}
	r.wfield("wgad.disclosure", "", "todo.disclosure")
	r.gap(2)
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
	r.finish(toc, wgadSecs(), func(s Section) string {
		if s == SecNotes {
			return r.l.get("sec.notes")
		}
		return r.l.get("wgad.section." + string(s))
	})
}

func wgadSecs() []Section {
	out := make([]Section, 0, len(wgadSections)+1)
	for _, s := range wgadSections {
		out = append(out, Section(s))
	}
	return append(out, SecNotes)
}

// category prints a WGAD category with the facts offered for it, then the
// gap the coordinator must fill.
func (r *renderer) category(labelKey string, facts []string, todoKey string) {
	r.subheading(r.l.get(labelKey))
	r.paraAt(marginL+2, contentW-2, r.l.get("wgad.facts_offered"), sizeSmall, true)
	if len(facts) == 0 {
		r.fact(r.l.get("wgad.no_facts"))
	}
	for _, f := range facts {
		r.fact(f)
	}
	r.gapLine(todoKey)
}

// overdueFacts are the limits of a category that the record proves passed
// (strict overdue), each with its article and the facts it rests on.
func (r *renderer) overdueFacts(category int) []string {
	var out []string
	for _, t := range r.doc.TimeLimits {
		if !t.Overdue() || ruleCategory(t.Rule) != category {
			continue
		}
		f := r.l.format("wgad.overdue_fact", both(t.Title, t.TitleZh), both(t.Basis, t.BasisZh),
			orDash(r.date(t.StartAt)), orDash(r.day(t.Due)), t.DaysOverdue)
		if p, ok := r.periodByID(t.PeriodID); ok {
			f += " " + r.l.format("limit.period", r.periodLabel(p))
		}
		out = append(out, f)
	}
	return out
}

// noProcedureFacts are the custody periods recorded as held without any
// procedure.
func (r *renderer) noProcedureFacts() []string {
	var out []string
	for _, p := range r.custodySorted() {
		if p.Measure.Value == "no_procedure" {
			out = append(out, r.l.format("wgad.no_procedure_fact", orDash(r.date(p.StartAt)), r.periodEnd(p), orDash(r.place(p))))
		}
	}
	return out
}

// toVerify lists the limits the record does not settle: overdue unless
// extended, or unknown, with the missing fact. None is asserted.
func (r *renderer) toVerify() {
	var items []string
	for _, t := range r.doc.TimeLimits {
		if !t.ToVerify() {
			continue
		}
		f := r.l.format("wgad.verify_fact", both(t.Title, t.TitleZh), both(t.Basis, t.BasisZh),
			r.l.biLabel("status."+t.Status))
		if r.limitMissing(t) != "" {
			f += " " + r.l.format("limit.missing", both(t.Missing, t.MissingZh))
		}
		if !t.DueLatest.IsZero() {
			f += " " + r.l.format("limit.due_latest", r.day(t.DueLatest))
		}
		if p, ok := r.periodByID(t.PeriodID); ok {
			f += " " + r.l.format("limit.period", r.periodLabel(p))
		}
		items = append(items, f)
	}
	r.subheading(r.l.get("wgad.to_verify"))
	r.paraAt(marginL+2, contentW-2, r.l.get("wgad.to_verify_note"), sizeSmall, true)
	if len(items) == 0 {
		r.fact(r.l.get("wgad.nothing_to_verify"))
	}
	for _, f := range items {
		r.fact(f)
	}
}

// remedyFacts are the chronology events that record a domestic remedy
// (complaint, petition, retrial petition, state compensation claim,
// appeal, an authority's answer), with the appeal key date when no appeal
// event is logged.
func (r *renderer) remedyFacts() []string {
	var out []string
	appeal := false
	for _, it := range r.doc.Chronology {
		if it.Kind != "event" || !remedyTypes[it.Type.Value] || (r.external() && it.Confidential) {
			continue
		}
		appeal = appeal || it.Type.Value == "appeal"
		en, zh := r.l.termPair(it.Type)
		if it.Description != "" {
			en, zh = en+" – "+it.Description, zh+" – "+it.Description
		}
		out = append(out, r.l.format("wgad.remedy_fact", orDash(r.date(it.At)), bi{en, zh}))
	}
	if a := keyDate(r.doc.Case, "date.appeal"); a != "" && !appeal {
		out = append(out, r.l.format("wgad.appeal_fact", r.date(a)))
	}
	return out
}

func orElse(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

// obstacleFacts lists the counts by type, then each logged obstacle.
func (r *renderer) obstacleFacts() []string {
	var out []string
	for _, c := range r.doc.Obstacles() {
		out = append(out, r.l.format("wgad.obstacle_count", c.Type, c.Count))
	}
	for _, it := range r.doc.Chronology {
		if !it.Obstacle || (r.external() && it.Confidential) {
			continue
		}
		t := it.ObstacleType
		if t.Value == "" {
			t = it.Type
		}
		en, zh := r.l.termPair(t)
		if it.Description != "" {
			en, zh = en+" – "+it.Description, zh+" – "+it.Description
		}
		out = append(out, r.l.format("wgad.obstacle_fact", r.date(it.At), bi{en, zh}))
	}
	return out
}

// transfers lists the chronology events that record a move between places
// of detention.
func (r *renderer) transfers() []string {
	var out []string
	for _, it := range r.doc.Chronology {
		if (r.external() && it.Confidential) || (it.Type.Value != "transfer" && it.Type.Value != "transferred_to_detention_centre") {
			continue
		}
		out = append(out, r.date(it.At)+" "+join(r.l.term(it.Type), it.Place))
	}
	return out
}

// duration is "since <date> (<n> days as of <generated>)", from the earliest
// possible day of the detention date (to the release when released).
func (r *renderer) duration(from, to string) string {
	if from == "" {
		return ""
	}
	start, err := partialdate.Parse(from, time.UTC)
	if err != nil {
		return ""
	}
	end := r.doc.GeneratedAt.UTC()
	endLabel := r.day(end)
	if to != "" {
		if e, err := partialdate.Parse(to, time.UTC); err == nil {
			end, endLabel = e.Earliest(time.UTC), r.date(to)
		}
	}
	days := int(end.Sub(start.Earliest(time.UTC)).Hours() / 24)
	p := r.l.pair("wgad.since")
	en := sprintf(p.En, r.date(from), days, endLabel)
	zh := sprintf(p.Zh, r.date(from), endLabel, days)
	return r.l.join(en, zh)
}

// relativesConsentingToUN names the relatives in the document (an external
// one holds no confidential relative) whose consent to a UN submission is
// given: relation and name.
func (r *renderer) relativesConsentingToUN() []string {
	var out []string
	for _, rel := range r.doc.Detainee.Relatives {
		for _, c := range rel.Consent {
			if c.Kind.Value == "un_submission" && c.State == "given" {
				out = append(out, strings.TrimSpace(r.l.term(rel.Relation)+" "+rel.Name))
			}
		}
	}
	return out
}

func keyDate(c Case, label string) string {
	for _, kd := range c.Dates {
		if kd.Label == label {
			return kd.At
		}
	}
	return ""
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}
