package deadlines

import (
	"github.com/habeas-org/habeas/internal/partialdate"
)

// defaultExtension is the length of the n-th custody extension (0-based).
var defaultExtension = []int{1, 2, 2}

// investigationCustody (Arts. 156, 158, 159): counted from the first arrest
// (restarted by custody_recalculated, Art. 160); unrecorded extensions are
// possible, and beyond them Arts. 157 and 160, so past the base limit the
// result is overdue_unless_extended, never overdue.
func investigationCustody(c *evalCtx) []draft {
	arrests := c.periodsOf(MeasureArrest)
	if len(arrests) == 0 {
		if !c.f.Indicted.IsZero() {
			return []draft{{startEvent: "arrest_approved_at", missing: c.t("exact_date_of", factName(c.l, "arrest_approved_at"))}}
		}
		return nil
	}
	p := arrests[0]
	d, ok := c.periodDraft(p, "arrest_approved_at")
	if !ok {
		return []draft{d}
	}
	start := p.Start
	for _, e := range c.f.events(EvCustodyRecalculated) {
		if notBefore(e.At, start) {
			start, d.startEvent = e.At, EvCustodyRecalculated
		}
	}
	d.start = start
	d.due = spanOf(start).shift(plusMonths(2))
	n, months := 0, 2
	for _, e := range c.f.events(EvCustodyExtended) {
		if !notBefore(e.At, start) {
			continue
		}
		m := e.Months
		if m <= 0 {
			m = defaultExtension[min(n, len(defaultExtension)-1)]
		}
		d.due = d.due.shift(plusMonths(m))
		months += m
		d.extensions = append(d.extensions, c.t("extension_recorded", m, e.At))
		n++
	}
	if n > 3 {
		d.notes = append(d.notes, c.t("too_many_extensions"))
	}
	d.max = spanOf(start).shift(plusMonths(max(7, months)))
	d.unbounded, d.unboundedWhy = true, c.t("art157_160", dayText(d.max.hi))
	var transfer partialdate.Date
	if e, found := c.f.firstAfter(EvTransferredForProsc, start); found {
		transfer = e.At
	}
	d.setStep(factName(c.l, "end_of_investigation"), transfer, c.f.Indicted)
	if d.stepAt.IsZero() && !c.f.Verdict.IsZero() {
		d.missing = c.t("exact_date_of", factName(c.l, "end_of_investigation"))
	}
	c.stopPeriod(&d, p)
	return []draft{d}
}

func prosecutionReview(c *evalCtx) []draft {
	transfers := c.f.events(EvTransferredForProsc)
	if len(transfers) == 0 {
		if !c.f.Indicted.IsZero() {
			return []draft{{startEvent: EvTransferredForProsc, missing: c.t("exact_date_of", factName(c.l, EvTransferredForProsc))}}
		}
		return nil
	}
	start := transfers[len(transfers)-1].At // each transfer after a return restarts the clock
	d := draft{startEvent: EvTransferredForProsc, start: start, due: spanOf(start).shift(plusMonths(1))}
	extended := false
	if e, ok := c.f.firstAfter(EvReviewExtended, start); ok {
		d.due = d.due.shift(plusDays(15))
		d.extensions = append(d.extensions, c.t("days_recorded", 15, e.At))
		extended = true
	}
	// With every lawful extension: +15 days, and each possible further return
	// (at most two in all) adds a month of supplementary investigation and a
	// new review of a month and 15 days.
	d.max = d.due
	if !extended {
		d.max = d.max.shift(plusDays(15))
	}
	for i := len(transfers) - 1; i < 2; i++ {
		d.max = d.max.shift(plusMonths(2)).shift(plusDays(15))
	}
	d.notes = append(d.notes, c.t("returns_possible"))
	var ret partialdate.Date
	if e, ok := c.f.firstAfter(EvReturnedForSuppInv, start); ok {
		ret = e.At
		d.notes = append(d.notes, c.t("returned_stop", e.At))
	}
	d.setStep(factName(c.l, "indicted_at"), c.f.Indicted, ret)
	if d.stepAt.IsZero() && !c.f.Verdict.IsZero() {
		d.missing = c.t("exact_date_of", factName(c.l, "indicted_at"))
	}
	if rel := c.f.release(); !rel.IsZero() {
		d.setStop(c.t("release"), rel)
	}
	if len(transfers) > 1 {
		d.notes = append(d.notes, c.t("sent_times", len(transfers)))
	}
	return []draft{d}
}

func supplementaryInvestigation(c *evalCtx) []draft {
	var out []draft
	for i, ret := range c.f.events(EvReturnedForSuppInv) {
		d := draft{startEvent: EvReturnedForSuppInv, start: ret.At, due: spanOf(ret.At).shift(plusMonths(1))}
		if e, ok := c.f.firstAfter(EvTransferredForProsc, ret.At); ok {
			d.step, d.stepAt = spanOf(e.At), e.At
		}
		d.stepName = factName(c.l, EvTransferredForProsc)
		if d.stepAt.IsZero() && !c.laterStage(ret.At).IsZero() {
			d.missing = c.t("exact_date_of", factName(c.l, EvTransferredForProsc))
		}
		if i >= 2 {
			d.notes = append(d.notes, c.t("return_number", i+1))
		}
		if rel := c.f.release(); !rel.IsZero() {
			d.setStop(c.t("release"), rel)
		}
		out = append(out, d)
	}
	return out
}

func firstInstance(c *evalCtx) []draft {
	start, name, lower := c.f.Indicted, "indicted_at", true
	if e, ok := c.f.firstAfter(EvCourtAccepted, partialdate.Date{}); ok {
		start, name, lower = e.At, EvCourtAccepted, false
	}
	if start.IsZero() {
		if !c.f.Verdict.IsZero() {
			return []draft{{startEvent: EvCourtAccepted, missing: c.t("exact_date_of", factName(c.l, EvCourtAccepted))}}
		}
		return nil
	}
	d := draft{startEvent: name, start: start, due: spanOf(start).shift(plusMonths(3)), lowerBound: lower,
		proxyMissing: c.t("exact_date_of", factName(c.l, EvCourtAccepted))}
	if lower {
		d.notes = append(d.notes, c.t("court_proxy"))
	}
	n := 0
	for _, e := range c.f.events(EvTrialExtended) {
		if notBefore(e.At, start) {
			d.due = d.due.shift(plusMonths(3))
			d.extensions = append(d.extensions, c.t("extension_recorded", 3, e.At))
			n++
		}
	}
	d.max = d.due
	if n == 0 {
		d.max = d.due.shift(plusMonths(3))
	}
	d.unbounded, d.unboundedWhy = true, c.t("spc_extension")
	d.setStep(factName(c.l, "verdict_at"), c.f.Verdict)
	if rel := c.f.release(); !rel.IsZero() {
		d.setStop(c.t("release"), rel)
	}
	return []draft{d}
}

// appealWindow (Art. 230): 10 days, the last day moved past public
// holidays and rest days (Art. 105 ¶4; holidays.go).
func appealWindow(c *evalCtx) []draft {
	start, name, lower := c.f.Verdict, "verdict_at", true
	if !c.f.Verdict.IsZero() {
		if e, ok := c.f.firstAfter(EvJudgmentReceived, c.f.Verdict); ok {
			start, name, lower = e.At, EvJudgmentReceived, false
		}
	}
	if start.IsZero() {
		return nil
	}
	d := draft{startEvent: name, start: start, lowerBound: lower, proxyMissing: c.t("exact_date_of", factName(c.l, EvJudgmentReceived))}
	raw := spanOf(start).shift(plusDays(10))
	d.due = raw.shift(nextWorkingDay)
	if raw.known && !raw.hi.Equal(d.due.hi) {
		d.notes = append(d.notes, c.t("holiday_moved", dayText(raw.hi), dayText(raw.hi)))
	}
	for _, y := range []int{raw.lo.Year(), raw.hi.Year()} {
		if raw.known && !HolidaysCover(y) {
			d.notes = append(d.notes, c.t("holidays_not_covered", y))
			break
		}
	}
	if lower {
		d.notes = append(d.notes, c.t("judgment_proxy"))
	}
	d.setStep(factName(c.l, "appeal_at"), c.f.Appeal)
	d.notes = append(d.notes, c.t("binds_defence"))
	return []draft{d}
}

func secondInstance(c *evalCtx) []draft {
	start, name, lower := c.f.Appeal, "appeal_at", true
	if !c.f.Appeal.IsZero() {
		if e, ok := c.f.firstAfter(EvAppealAccepted, c.f.Appeal); ok {
			start, name, lower = e.At, EvAppealAccepted, false
		}
	}
	if start.IsZero() {
		return nil
	}
	d := draft{startEvent: name, start: start, due: spanOf(start).shift(plusMonths(2)), lowerBound: lower,
		proxyMissing: c.t("exact_date_of", factName(c.l, EvAppealAccepted))}
	if lower {
		d.notes = append(d.notes, c.t("appeal_proxy"))
	}
	n := 0
	for _, e := range c.f.events(EvSecondInstExtended) {
		if notBefore(e.At, start) {
			d.due = d.due.shift(plusMonths(2))
			d.extensions = append(d.extensions, c.t("extension_recorded", 2, e.At))
			n++
		}
	}
	d.max = d.due
	if n == 0 {
		d.max = d.due.shift(plusMonths(2))
	}
	d.unbounded, d.unboundedWhy = true, c.t("spc_extension")
	if e, ok := c.f.firstAfter(EvSecondInstVerdict, start); ok {
		d.step, d.stepAt = spanOf(e.At), e.At
	}
	d.stepName = factName(c.l, EvSecondInstVerdict)
	if rel := c.f.release(); !rel.IsZero() {
		d.setStop(c.t("release"), rel)
	}
	return []draft{d}
}
