package deadlines

import "github.com/habeas-org/habeas/internal/partialdate"

// periodDraft starts a draft for a limit of period p, counted from its start.
func (c *evalCtx) periodDraft(p Period, startEvent string) (draft, bool) {
	d := draft{startEvent: startEvent, start: p.Start, periodID: p.ID}
	if p.Start.IsZero() {
		d.missing = c.t("exact_date_of", factName(c.l, startEvent))
		return d, false
	}
	c.placeNote(&d, p)
	return d, true
}

// perPeriod drafts a limit for each period of ps, counted from its start
// (startEvent): fill completes the draft of a period whose start is
// recorded; a period without one gives a draft naming the missing start.
func (c *evalCtx) perPeriod(ps []Period, startEvent string, fill func(d *draft, p Period)) []draft {
	out := make([]draft, 0, len(ps))
	for _, p := range ps {
		d, ok := c.periodDraft(p, startEvent)
		if ok {
			fill(&d, p)
		}
		out = append(out, d)
	}
	return out
}

// notice24h: the family told within 24 hours of the period's start (Arts.
// 75, 85, 93).
func (c *evalCtx) notice24h(d *draft, p Period) {
	d.due = spanOf(p.Start).shift(plusDays(1))
	c.noticeStep(d, p)
	d.notes = append(d.notes, c.t("hours_24"))
}

// step24h: a step due within 24 hours of the period's start that the
// defence is rarely told of (the transfer of Art. 85, the interrogation of
// Art. 94): with none recorded once the limit passed, unknown (unknowable
// says why) rather than overdue.
func (c *evalCtx) step24h(d *draft, p Period, event, unknowable string) {
	d.due = spanOf(p.Start).shift(plusDays(1))
	if e, found := c.f.firstAfter(event, p.Start); found {
		d.step, d.stepAt = spanOf(e.At), e.At
	}
	d.stepName = factName(c.l, event)
	d.stepUnknowable = c.t(unknowable)
	d.notes = append(d.notes, c.t("hours_24"))
	c.stopPeriod(d, p)
}

// noProcedure: each period held without any procedure is its own finding:
// beyond the 24 hours a summons may last, custody needs a decision.
func noProcedure(c *evalCtx) []draft {
	return c.perPeriod(c.periodsOf(MeasureNoProcedure), "period_start", func(d *draft, p Period) {
		d.due = spanOf(p.Start).shift(plusDays(1))
		d.notes = append(d.notes, c.t("no_procedure_recorded", p.Start), c.t("summons_limit"), c.t("hours_24"))
		c.stopPeriod(d, p)
	})
}

// criminalDetentions returns the criminal detention periods, or one not
// applicable draft when the case has custody but no criminal detention.
func (c *evalCtx) criminalDetentions() ([]Period, []draft) {
	ps := c.periodsOf(MeasureCriminalDetention)
	if len(ps) > 0 {
		return ps, nil
	}
	switch {
	case !c.f.Detained.IsZero() && c.has(MeasureRSDL) && len(c.f.Periods) == 0:
		return nil, []draft{{startEvent: "detained_at", notApplicable: c.t("straight_rsdl")}}
	case c.has(MeasureRSDL, MeasureArrest, MeasureNoProcedure, MeasureLiuzhi):
		return nil, []draft{{startEvent: "detained_at", notApplicable: c.t("no_detention")}}
	}
	return nil, nil
}

func familyNoticeDetention(c *evalCtx) []draft {
	ps, na := c.criminalDetentions()
	return append(na, c.perPeriod(ps, "detained_at", func(d *draft, p Period) {
		c.notice24h(d, p)
		if c.f.StateSecurityOrTerrorism {
			d.unbounded, d.unboundedWhy = true, c.t("security_notice")
		}
	})...)
}

func transferDetentionCentre(c *evalCtx) []draft {
	ps, na := c.criminalDetentions()
	return append(na, c.perPeriod(ps, "detained_at", func(d *draft, p Period) {
		c.step24h(d, p, EvTransferredToDC, "unknowable_transfer")
	})...)
}

// arrestApproval (Art. 91): met by the earliest step that ends criminal
// detention: arrest, RSDL, bail, release or any other measure.
func arrestApproval(c *evalCtx) []draft {
	ps, na := c.criminalDetentions()
	return append(na, c.perPeriod(ps, "detained_at", func(d *draft, p Period) {
		d.due = spanOf(p.Start).shift(plusDays(14))
		d.max = spanOf(p.Start).shift(plusDays(37))
		ends := []partialdate.Date{c.ended(p), c.f.ArrestApproved, c.f.RSDLStart, c.f.release()}
		d.setStep(factName(c.l, "arrest_or_release"), ends...)
		if c.stepAfterLaterStage(*d, p) {
			d.missing = c.t("exact_date_of", factName(c.l, "arrest_or_release"))
		}
		d.notes = append(d.notes, c.t("art91_extension"))
	})...)
}

func familyNoticeRSDL(c *evalCtx) []draft {
	return c.perPeriod(c.periodsOf(MeasureRSDL), "rsdl_start_at", c.notice24h)
}

func rsdlMax(c *evalCtx) []draft {
	return c.perPeriod(c.periodsOf(MeasureRSDL), "rsdl_start_at", func(d *draft, p Period) {
		d.due = spanOf(p.Start).shift(plusMonths(6))
		ends := []partialdate.Date{c.ended(p), c.f.ArrestApproved, c.f.release()}
		if p.Derived {
			ends = append(ends, c.f.RSDLEnd)
		}
		d.setStep(factName(c.l, "end_of_rsdl"), ends...)
		if c.stepAfterLaterStage(*d, p) {
			d.missing = c.t("exact_date_of", factName(c.l, "end_of_rsdl"))
		}
	})
}

func familyNoticeArrest(c *evalCtx) []draft {
	return c.perPeriod(c.periodsOf(MeasureArrest), "arrest_approved_at", c.notice24h)
}

func interrogationArrest(c *evalCtx) []draft {
	return c.perPeriod(c.periodsOf(MeasureArrest), "arrest_approved_at", func(d *draft, p Period) {
		c.step24h(d, p, EvInterrogated, "unknowable_interrogation")
	})
}

// lawyerMeeting (Art. 39): each request; counting stops when custody ends
// (release, judgment in force).
func lawyerMeeting(c *evalCtx) []draft {
	var out []draft
	investigationEnd := earliest(partialdate.Date{}, c.f.Indicted)
	if e, ok := c.f.firstAfter(EvTransferredForProsc, partialdate.Date{}); ok {
		investigationEnd = earliest(partialdate.Date{}, investigationEnd, e.At)
	}
	for _, req := range c.f.events(EvMeetingRequested) {
		d := draft{startEvent: EvMeetingRequested, start: req.At, due: spanOf(req.At).shift(plusDays(2))}
		if p, ok := c.periodAt(req.At); ok {
			d.periodID = p.ID
		}
		if g, ok := c.f.firstAfter(EvMeetingGranted, req.At); ok {
			d.step, d.stepAt = spanOf(g.At), g.At
		}
		d.stepName = factName(c.l, EvMeetingGranted)
		d.notes = append(d.notes, c.t("hours_48"))
		if rel := c.f.release(); !rel.IsZero() {
			d.setStop(c.t("release"), rel)
		}
		if f := c.f.Sentence.InForce; !f.IsZero() && (d.stopAt.IsZero() || f.SortKey() < d.stopAt.SortKey()) {
			d.setStop(c.t("judgment_in_force"), f)
		}
		if c.f.StateSecurityOrTerrorism && (investigationEnd.IsZero() || req.At.SortKey() < investigationEnd.SortKey()) {
			d.unbounded, d.unboundedWhy = true, c.t("security_meeting")
		}
		out = append(out, d)
	}
	return out
}

// stepAfterLaterStage reports whether the step that ended a pre-trial
// measure is missing: none is recorded, or the one found (a release) comes
// after the case was indicted or judged, so the real step (an arrest) is not
// recorded.
func (c *evalCtx) stepAfterLaterStage(d draft, p Period) bool {
	ls := c.laterStage(p.Start)
	if ls.IsZero() {
		return false
	}
	return d.stepAt.IsZero() || d.stepAt.SortKey() > ls.SortKey()
}
