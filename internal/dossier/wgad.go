package dossier

import (
	"strings"
	"time"

	"github.com/habeas-org/habeas/internal/partialdate"
)

// The WGAD draft follows the sections of an individual communication to the
// UN Working Group on Arbitrary Detention (see docs/dossier.md): identity,
// arrest, detention, why the detention is arbitrary (categories I, II, III
// and V, each with the facts of the case record that support it), domestic
// remedies, and the source and consent. What Habeas does not record is
// marked "[TO COMPLETE: ...]" for the coordinator.

// wgadSections are the parts of the draft (their labels are in ui.json).
var wgadSections = []string{"identity", "arrest", "detention", "arbitrary", "remedies", "source"}

// Time limits whose passing shows detention without legal basis (category I)
// and those about contact with a lawyer or the family (category III).
var (
	cat1Rules = map[string]bool{"arrest_approval": true, "investigation_custody": true, "prosecution_review": true,
		"supplementary_investigation": true, "rsdl_max": true, "first_instance": true, "second_instance": true}
	cat3Rules = map[string]bool{"lawyer_meeting": true, "family_notice_detention": true, "family_notice_rsdl": true}
	// Issues and charges typical of detention for exercising protected rights (category II).
	cat2Issues = map[string]bool{"expression": true, "religious_freedom": true, "assembly_association": true,
		"journalism": true, "human_rights_defenders": true, "lawyers": true, "democracy": true,
		"ethnic_minority_rights": true, "labour": true, "petitioners": true, "hong_kong": true, "women_rights": true, "lgbt_rights": true}
	cat2Charges = map[string]bool{"art103_inciting_splittism": true, "art105_subversion": true, "art105_inciting_subversion": true,
		"art120_3_advocating_terrorism": true, "art120_4_inciting_ethnic_hatred_extremism": true, "art246_defamation": true,
		"art249_inciting_ethnic_hatred": true, "art290_gathering_crowd_disturbing_order": true,
		"art291_gathering_crowd_public_order": true, "art293_picking_quarrels": true, "art296_illegal_assembly": true, "art300_cult": true}
	cat5Issues = map[string]bool{"ethnic_minority_rights": true, "religious_freedom": true}
)

func (r *renderer) todo(key string, args ...any) string {
	s := r.l.get(key)
	if len(args) > 0 {
		s = r.l.format(key, args...)
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

func (r *renderer) gapLine(key string) {
	r.pdf.SetTextColor(170, 20, 20)
	r.paraAt(marginL+4, contentW-4, r.todo(key), sizeBody, false)
	r.pdf.SetTextColor(0, 0, 0)
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
	r.wfield("wgad.nationality", "", "todo.nationality")
	r.wfield("wgad.id_document", "", "todo.id_document")
	r.wfield("field.occupation", d.Occupation, "")
	r.wfield("wgad.address", "", "todo.address")

	detained := keyDate(c, "date.detained")
	r.section("arrest", r.l.get("wgad.section.arrest"))
	r.wfield("wgad.arrest_date", r.date(detained), "")
	r.wfield("wgad.arrest_place", "", "todo.arrest_place")
	r.wfield("wgad.arrest_forces", c.DetainingAuthority, "")
	r.wfield("wgad.warrant", "", "todo.warrant")
	r.wfield("field.charges", r.charges(), "")
	r.wfield("wgad.reasons", "", "todo.reasons")

	r.section("detention", r.l.get("wgad.section.detention"))
	r.wfield("wgad.detention_date", r.date(detained), "")
	r.wfield("wgad.duration", r.duration(detained, keyDate(c, "date.release")), "")
	r.wfield("wgad.holding_forces", join(c.DetainingAuthority, c.InvestigatingAuthority), "")
	places := join(c.DetentionPlace, d.DetentionPlace, r.l.term(d.FacilityType))
	if transfers := r.transfers(); transfers != "" {
		places = join(places, transfers)
	}
	if !r.doc.available(SecChronology) {
		places = join(places, r.todo("todo.transfers"))
	}
	r.wfield("wgad.places", places, "")
	r.wfield("wgad.ordering_authority", join(c.InvestigatingAuthority, c.Procuratorate), "")
	r.wfield("wgad.stage", r.l.term(c.Stage), "")
	r.wfield("field.sentence", c.Sentence, "")

	r.section("arbitrary", r.l.get("wgad.section.arbitrary"))
	r.category("wgad.cat1", r.overdueFacts(cat1Rules), "todo.cat1")
	var f2 []string
	if cat2Issues[d.Issue.Value] {
		f2 = append(f2, r.l.format("wgad.issue_fact", d.Issue))
	}
	for _, ch := range c.Charges {
		if cat2Charges[ch.Charge.Value] {
			f2 = append(f2, r.l.format("wgad.charge_fact", ch.Charge, ch.Article))
		}
	}
	r.category("wgad.cat2", f2, "todo.cat2")
	f3 := r.overdueFacts(cat3Rules)
	f3 = append(f3, r.obstacleFacts()...)
	r.category("wgad.cat3", f3, "todo.cat3")
	if !r.doc.available(SecChronology) {
		r.gapLine("todo.obstacles_unavailable")
	}
	var f5 []string
	if cat5Issues[d.Issue.Value] && (d.EthnicGroup != "" || d.Religion != "") {
		f5 = append(f5, r.l.format("wgad.ethnic_fact", orDash(d.EthnicGroup), orDash(d.Religion)))
	}
	r.category("wgad.cat5", f5, "todo.cat5")

	r.section("remedies", r.l.get("wgad.section.remedies"))
	if a := keyDate(c, "date.appeal"); a != "" {
		r.fact(r.l.format("wgad.appeal_fact", r.date(a)))
	}
	r.gapLine("todo.remedies")

	r.section("source", r.l.get("wgad.section.source"))
	r.wfield("wgad.submitting_source", "", "todo.source")
	r.wfield("wgad.consent", "", "todo.consent")
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

func (r *renderer) overdueFacts(rules map[string]bool) []string {
	var out []string
	for _, t := range r.doc.TimeLimits {
		if t.Overdue() && rules[t.Rule] {
			out = append(out, r.l.format("wgad.overdue_fact", t.Title, t.Basis, r.day(t.Due), t.DaysOverdue))
		}
	}
	return out
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

// transfers lists chronology events whose type names a transfer.
func (r *renderer) transfers() string {
	var out []string
	for _, it := range r.doc.Chronology {
		if (r.external() && it.Confidential) || !strings.Contains(it.Type.Value, "transfer") {
			continue
		}
		out = append(out, r.date(it.At)+" "+join(r.l.term(it.Type), it.Place))
	}
	return strings.Join(out, "; ")
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
	endLabel := stamp(end)[:10]
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
