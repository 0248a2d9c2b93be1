package deadlines

import (
	"fmt"

	"github.com/habeas-org/habeas/internal/partialdate"
)

// Rules is the table of time limits, in the order of the criminal process.
// Each rule cites its article of the Criminal Procedure Law of the PRC (2018
// revision) and paraphrases its wording; Uncertainty says what in our
// reading may be wrong. Check changes against the statute text.
var Rules = []Rule{
	{
		ID: "family_notice_detention", Title: "Family notified of criminal detention", Basis: "CPL Art. 85",
		Wording: "After criminal detention the family shall be notified within 24 hours, unless notice is impossible " +
			"or, for suspected endangering of state security or terrorism, notice could hinder the investigation; " +
			"once that ends the family shall be notified at once.",
		eval: familyNotice(func(f Facts) partialdate.Date { return f.Detained }, "detained_at",
			"detention date not recorded"),
	},
	{
		ID: "family_notice_rsdl", Title: "Family notified of residential surveillance at a designated location", Basis: "CPL Art. 75",
		Wording: "When residential surveillance at a designated location is carried out, the family shall be notified " +
			"within 24 hours unless notice is impossible.",
		eval: familyNotice(func(f Facts) partialdate.Date { return f.RSDLStart }, "rsdl_start_at", ""),
	},
	{
		ID: "arrest_approval", Title: "Arrest approved or suspect released after criminal detention", Basis: "CPL Art. 91",
		Wording: "The police shall request approval of arrest within 3 days of detention (extendable by 1 to 4 days; " +
			"up to 30 days for major suspects who move from place to place, repeat offences or act in a gang); " +
			"the procuratorate decides within 7 days. Detention before arrest thus lasts 37 days at most.",
		Uncertainty: "computed with the 37-day outer limit; for suspects not classed as major the limit is 14 days (3 + 4 + 7)",
		eval:        arrestApproval,
	},
	{
		ID: "lawyer_meeting", Title: "Defense lawyer's meeting arranged", Basis: "CPL Art. 39",
		Wording: "When a defense lawyer asks to meet a detained suspect, the meeting shall be arranged within 48 hours. " +
			"In cases of endangering state security or terrorism, meetings during the investigation need the " +
			"investigators' permission.",
		eval: lawyerMeeting,
	},
	{
		ID: "investigation_custody", Title: "Investigation custody after arrest", Basis: "CPL Arts. 156, 158, 159",
		Wording: "Custody during investigation after arrest shall not exceed 2 months; it may be extended by 1 month " +
			"(next higher procuratorate, Art. 156), then 2 months (provincial procuratorate, Art. 158), then 2 more " +
			"months for crimes punishable by 10 years or more (Art. 159). New crimes found restart the period (Art. 160).",
		Uncertainty: "the arrest approval date is used as the arrest date; the Art. 157 postponement by the NPC Standing Committee has no fixed length",
		eval:        investigationCustody,
	},
	{
		ID: "prosecution_review", Title: "Decision on prosecution", Basis: "CPL Art. 172",
		Wording: "The procuratorate decides whether to prosecute within 1 month of receiving the case, extendable by 15 " +
			"days for major or complex cases. After a supplementary investigation the period starts again (Art. 175).",
		eval: prosecutionReview,
	},
	{
		ID: "supplementary_investigation", Title: "Supplementary investigation completed", Basis: "CPL Art. 175",
		Wording: "A case returned for supplementary investigation shall be completed within 1 month; it may be returned " +
			"at most twice.",
		eval: supplementaryInvestigation,
	},
	{
		ID: "first_instance", Title: "First-instance judgment", Basis: "CPL Art. 208",
		Wording: "The court shall pronounce judgment within 2 months of accepting a public prosecution, 3 months at the " +
			"latest; a higher court may approve 3 more months for capital cases, cases with incidental civil actions " +
			"or the cases of Art. 158; further extension needs the Supreme People's Court.",
		Uncertainty: "computed with the 3-month outer limit, since the court may extend from 2 to 3 months on its own",
		eval:        firstInstance,
	},
	{
		ID: "appeal_window", Title: "Appeal against the first-instance judgment", Basis: "CPL Art. 230",
		Wording: "An appeal against a judgment must be lodged within 10 days (5 days against a ruling), counted from " +
			"the day after the written judgment is received.",
		eval: appealWindow,
	},
	{
		ID: "second_instance", Title: "Second-instance judgment", Basis: "CPL Art. 243",
		Wording: "The appeal court shall conclude the case within 2 months of accepting it, extendable by 2 months with " +
			"the approval of the provincial high court; further extension needs the Supreme People's Court.",
		eval: secondInstance,
	},
	{
		ID: "rsdl_max", Title: "Residential surveillance at a designated location ended", Basis: "CPL Art. 79",
		Wording: "Residential surveillance shall not exceed 6 months. Two days of it at a designated location count as " +
			"one day of a prison sentence (Art. 76).",
		eval: rsdlMax,
	},
}

func plusDays(n int) func(day) day   { return func(d day) day { return addDays(d, n) } }
func plusMonths(n int) func(day) day { return func(d day) day { return addMonths(d, n) } }

func familyNotice(start func(Facts) partialdate.Date, name, missingIfLater string) func(Rule, Facts) []draft {
	return func(r Rule, f Facts) []draft {
		s := start(f)
		if s.IsZero() {
			if missingIfLater != "" && (!f.ArrestApproved.IsZero() || !f.Indicted.IsZero()) {
				return []draft{{startEvent: name, missing: missingIfLater}}
			}
			return nil
		}
		d := draft{startEvent: name, start: s, due: spanOf(s).shift(plusDays(1))}
		if e, ok := f.firstAfter(EvFamilyNotified, s); ok {
			d.step, d.stepAt = spanOf(e.At), e.At
		}
		d.notes = append(d.notes, "24 hours from an hour not recorded: counted to the end of the next day")
		if r.ID == "family_notice_detention" && f.StateSecurityOrTerrorism {
			d.notes = append(d.notes, "state-security or terrorism charge: Art. 85 lets notice be withheld while it could hinder the investigation")
		}
		return []draft{d}
	}
}

func arrestApproval(_ Rule, f Facts) []draft {
	if f.Detained.IsZero() {
		if !f.ArrestApproved.IsZero() {
			return []draft{{startEvent: "detained_at", missing: "detention date not recorded"}}
		}
		return nil
	}
	d := draft{startEvent: "detained_at", start: f.Detained, due: spanOf(f.Detained).shift(plusDays(37))}
	d.step, d.stepAt = stepOf(f.ArrestApproved, f.RSDLStart, f.Release)
	return []draft{d}
}

func lawyerMeeting(_ Rule, f Facts) []draft {
	var out []draft
	for _, req := range f.events(EvMeetingRequested) {
		d := draft{startEvent: EvMeetingRequested, start: req.At, due: spanOf(req.At).shift(plusDays(2))}
		if g, ok := f.firstAfter(EvMeetingGranted, req.At); ok {
			d.step, d.stepAt = spanOf(g.At), g.At
		}
		d.notes = append(d.notes, "48 hours from an hour not recorded: counted to the end of the second day")
		if f.StateSecurityOrTerrorism {
			d.notes = append(d.notes, "state-security or terrorism charge: during investigation the meeting needs the investigators' permission (Art. 39)")
		}
		out = append(out, d)
	}
	return out
}

// defaultExtension is the length of the n-th custody extension (0-based).
var defaultExtension = []int{1, 2, 2}

func investigationCustody(_ Rule, f Facts) []draft {
	start, startName := f.ArrestApproved, "arrest_approved_at"
	if start.IsZero() {
		if !f.Indicted.IsZero() {
			return []draft{{startEvent: startName, missing: "arrest date not recorded"}}
		}
		return nil
	}
	for _, e := range f.events(EvCustodyRecalculated) {
		if e.At.SortKey() >= start.SortKey() {
			start, startName = e.At, EvCustodyRecalculated
		}
	}
	d := draft{startEvent: startName, start: start, due: spanOf(start).shift(plusMonths(2))}
	n := 0
	for _, e := range f.events(EvCustodyExtended) {
		if e.At.SortKey() < start.SortKey() {
			continue
		}
		months := e.Months
		if months <= 0 {
			months = defaultExtension[min(n, len(defaultExtension)-1)]
		}
		d.due = d.due.shift(plusMonths(months))
		d.extensions = append(d.extensions, fmt.Sprintf("+%d month(s) recorded on %s", months, e.At))
		n++
	}
	if n > 3 {
		d.notes = append(d.notes, "more extensions than Arts. 156, 158 and 159 allow; only the NPC Standing Committee can approve more (Art. 157)")
	}
	var step partialdate.Date
	if e, ok := f.firstAfter(EvTransferredForProsc, start); ok {
		step = e.At
	}
	d.step, d.stepAt = stepOf(step, f.Indicted, f.Release)
	return []draft{d}
}

func prosecutionReview(_ Rule, f Facts) []draft {
	transfers := f.events(EvTransferredForProsc)
	if len(transfers) == 0 {
		if !f.Indicted.IsZero() {
			return []draft{{startEvent: EvTransferredForProsc, missing: "date the case went to the procuratorate not recorded"}}
		}
		return nil
	}
	start := transfers[len(transfers)-1].At // each transfer after a return restarts the clock
	d := draft{startEvent: EvTransferredForProsc, start: start, due: spanOf(start).shift(plusMonths(1))}
	if e, ok := f.firstAfter(EvReviewExtended, start); ok {
		d.due = d.due.shift(plusDays(15))
		d.extensions = append(d.extensions, "+15 days recorded on "+e.At.String())
	}
	var ret partialdate.Date
	if e, ok := f.firstAfter(EvReturnedForSuppInv, start); ok {
		ret = e.At
		d.notes = append(d.notes, "returned for supplementary investigation on "+e.At.String()+": the review period stops")
	}
	indicted := f.Indicted
	if !indicted.IsZero() && indicted.SortKey() < start.SortKey() {
		indicted = partialdate.Date{}
	}
	d.step, d.stepAt = stepOf(indicted, ret, f.Release)
	if len(transfers) > 1 {
		d.notes = append(d.notes, fmt.Sprintf("case sent for review %d times; counted from the last", len(transfers)))
	}
	return []draft{d}
}

func supplementaryInvestigation(_ Rule, f Facts) []draft {
	var out []draft
	returns := f.events(EvReturnedForSuppInv)
	for i, ret := range returns {
		d := draft{startEvent: EvReturnedForSuppInv, start: ret.At, due: spanOf(ret.At).shift(plusMonths(1))}
		if e, ok := f.firstAfter(EvTransferredForProsc, ret.At); ok {
			d.step, d.stepAt = spanOf(e.At), e.At
		}
		if i >= 2 {
			d.notes = append(d.notes, fmt.Sprintf("return number %d: Art. 175 allows at most two", i+1))
		}
		out = append(out, d)
	}
	return out
}

func firstInstance(_ Rule, f Facts) []draft {
	start, name, lower := f.Indicted, "indicted_at", true
	if e, ok := f.firstAfter(EvCourtAccepted, partialdate.Date{}); ok {
		start, name, lower = e.At, EvCourtAccepted, false
	}
	if start.IsZero() {
		if !f.Verdict.IsZero() {
			return []draft{{startEvent: EvCourtAccepted, missing: "date the court accepted the case not recorded"}}
		}
		return nil
	}
	d := draft{startEvent: name, start: start, due: spanOf(start).shift(plusMonths(3)), lowerBound: lower}
	if lower {
		d.notes = append(d.notes, "court acceptance not recorded: counted from the indictment, the earliest it can be, so the real limit may be later")
	}
	for _, e := range f.events(EvTrialExtended) {
		if e.At.SortKey() >= start.SortKey() {
			d.due = d.due.shift(plusMonths(3))
			d.extensions = append(d.extensions, "+3 months recorded on "+e.At.String())
		}
	}
	d.step, d.stepAt = stepOf(f.Verdict)
	return []draft{d}
}

func appealWindow(_ Rule, f Facts) []draft {
	start, name, lower := f.Verdict, "verdict_at", true
	if e, ok := f.firstAfter(EvJudgmentReceived, f.Verdict); ok {
		start, name, lower = e.At, EvJudgmentReceived, false
	}
	if start.IsZero() {
		return nil
	}
	d := draft{startEvent: name, start: start, due: spanOf(start).shift(plusDays(10)), lowerBound: lower}
	if lower {
		d.notes = append(d.notes, "receipt of the written judgment not recorded: counted from the verdict, so the window may close later")
	}
	d.step, d.stepAt = stepOf(f.Appeal)
	d.notes = append(d.notes, "this limit binds the defense: an overdue appeal window means the judgment may have become final")
	return []draft{d}
}

func secondInstance(_ Rule, f Facts) []draft {
	start, name, lower := f.Appeal, "appeal_at", true
	if e, ok := f.firstAfter(EvAppealAccepted, f.Appeal); ok {
		start, name, lower = e.At, EvAppealAccepted, false
	}
	if start.IsZero() {
		return nil
	}
	d := draft{startEvent: name, start: start, due: spanOf(start).shift(plusMonths(2)), lowerBound: lower}
	if lower {
		d.notes = append(d.notes, "acceptance by the appeal court not recorded: counted from the appeal, so the real limit may be later")
	}
	for _, e := range f.events(EvSecondInstExtended) {
		if e.At.SortKey() >= start.SortKey() {
			d.due = d.due.shift(plusMonths(2))
			d.extensions = append(d.extensions, "+2 months recorded on "+e.At.String())
		}
	}
	if e, ok := f.firstAfter(EvSecondInstVerdict, start); ok {
		d.step, d.stepAt = spanOf(e.At), e.At
	}
	return []draft{d}
}

func rsdlMax(_ Rule, f Facts) []draft {
	if f.RSDLStart.IsZero() {
		if !f.RSDLEnd.IsZero() {
			return []draft{{startEvent: "rsdl_start_at", missing: "start of residential surveillance not recorded"}}
		}
		return nil
	}
	d := draft{startEvent: "rsdl_start_at", start: f.RSDLStart, due: spanOf(f.RSDLStart).shift(plusMonths(6))}
	d.step, d.stepAt = stepOf(f.RSDLEnd, f.ArrestApproved, f.Release)
	return []draft{d}
}
