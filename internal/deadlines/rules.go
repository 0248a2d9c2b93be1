package deadlines

import "github.com/habeas-org/habeas/internal/partialdate"

// Rules is the table of time limits, in the order of the criminal process.
// Each rule cites its article of the Criminal Procedure Law of the PRC (2018
// revision), except the last, the UN reply clock, which cites the UN body's
// practice; its texts are in text_en.go and text_zh.go. Custody rules
// belong to the custody period they govern (rules_custody.go); the rules of
// the later stages follow the case's key dates and events (rules_trial.go).
var Rules = []Rule{
	{ID: "no_procedure", eval: noProcedure},
	{ID: "family_notice_detention", eval: familyNoticeDetention},
	{ID: "transfer_detention_centre", eval: transferDetentionCentre},
	{ID: "arrest_approval", eval: arrestApproval},
	{ID: "family_notice_rsdl", eval: familyNoticeRSDL},
	{ID: "rsdl_max", eval: rsdlMax},
	{ID: "family_notice_arrest", eval: familyNoticeArrest},
	{ID: "interrogation_arrest", eval: interrogationArrest},
	{ID: "lawyer_meeting", eval: lawyerMeeting},
	{ID: "investigation_custody", eval: investigationCustody},
	{ID: "prosecution_review", eval: prosecutionReview},
	{ID: "supplementary_investigation", eval: supplementaryInvestigation},
	{ID: "first_instance", eval: firstInstance},
	{ID: "appeal_window", eval: appealWindow},
	{ID: "second_instance", eval: secondInstance},
	// Not a rule of PRC law: the reply period a UN body gives the
	// government (rules_un.go).
	{ID: "un_government_reply", eval: unGovernmentReply},
}

func plusDays(n int) func(day) day   { return func(d day) day { return addDays(d, n) } }
func plusMonths(n int) func(day) day { return func(d day) day { return addMonths(d, n) } }

// laterStage is the earliest recorded fact showing the case moved past
// start (indictment, verdict, judgment in force), zero when none.
func (c *evalCtx) laterStage(start partialdate.Date) partialdate.Date {
	return earliest(start, c.f.Indicted, c.f.Verdict, c.f.Sentence.InForce)
}

// stopPeriod makes counting for a limit of period p stop when p ended
// (release, change of measure) or, at the latest, at conviction. When the
// end of a pre-arrest measure is not recorded but the case went on to a
// verdict, the days past the limit are not counted (the end is unknown).
func (c *evalCtx) stopPeriod(d *draft, p Period) {
	end := c.ended(p)
	rel := c.f.release()
	switch {
	case !end.IsZero() && !rel.IsZero() && end == rel:
		d.setStop(c.t("release"), end)
	case !end.IsZero():
		d.setStop(c.t("measure_changed"), end)
	}
	if v := earliest(p.Start, c.f.Verdict); !v.IsZero() && (d.stopAt.IsZero() || v.SortKey() < d.stopAt.SortKey()) {
		d.setStop(c.t("verdict"), v)
		if (end.IsZero() || end.SortKey() > v.SortKey()) && p.Measure != MeasureArrest {
			d.daysUnknown = c.t("exact_date_of", factName(c.l, "end_of_period"))
		}
	}
}

// placeNote is the note naming the period's place, if recorded.
func (c *evalCtx) placeNote(d *draft, p Period) {
	if p.Place != "" {
		d.notes = append(d.notes, c.t("place", p.Place))
	}
}

// noticeStep sets the family notice of period p: the first family_notified
// event from p's start until the period ended (a later notice belongs to
// the next measure). With none, the days past the limit are not counted:
// when the family learned of it is not recorded.
func (c *evalCtx) noticeStep(d *draft, p Period) {
	c.stopPeriod(d, p)
	d.stepName = factName(c.l, EvFamilyNotified)
	if e, found := c.f.firstAfter(EvFamilyNotified, p.Start); found && (d.stopAt.IsZero() || e.At.SortKey() <= d.stopAt.SortKey()) {
		d.step, d.stepAt = spanOf(e.At), e.At
		return
	}
	// The absence of a logged notice proves nothing: only a logged
	// family_not_notified event within the period does. Without one the
	// limit, once passed, is unknown and names the missing notice.
	if e, found := c.f.firstAfter(EvFamilyNotNotified, p.Start); found && (d.stopAt.IsZero() || e.At.SortKey() <= d.stopAt.SortKey()) {
		d.notes = append(d.notes, c.t("not_notified_recorded", e.At.String()))
		d.daysUnknown = factName(c.l, EvFamilyNotified)
		return
	}
	d.notes = append(d.notes, c.t("no_notice_recorded"))
	d.stepUnknowable = factName(c.l, EvFamilyNotified)
}
