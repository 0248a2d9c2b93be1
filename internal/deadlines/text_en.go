package deadlines

// rulesEN holds each rule's English title, article and wording (a
// paraphrase of the Criminal Procedure Law of the PRC, 2018 revision;
// check changes against the statute text).
var rulesEN = map[string]ruleTexts{
	"no_procedure": {Title: "Held without any procedure", Basis: "CPL Arts. 3, 85, 119; Constitution Art. 37",
		Wording: "No one may be deprived of liberty except by a decision of the procuratorate or the court or by the police " +
			"under the procedure of the law (Constitution Art. 37; CPL Art. 3); criminal detention requires a detention " +
			"warrant (Art. 85); a summons or compelled appearance may last 12 hours, 24 in major and complex cases (Art. 119)."},
	"family_notice_detention": {Title: "Family notified of criminal detention", Basis: "CPL Art. 85",
		Wording: "After criminal detention the family shall be notified within 24 hours, unless notice is impossible " +
			"or, for suspected endangering of state security or terrorism, notice could hinder the investigation; " +
			"once that ends the family shall be notified at once."},
	"transfer_detention_centre": {Title: "Detainee taken to a detention centre", Basis: "CPL Art. 85 ¶2",
		Wording: "After criminal detention the detainee shall be taken to a detention centre at once, within 24 hours at the latest."},
	"arrest_approval": {Title: "Arrest approved or suspect released after criminal detention", Basis: "CPL Art. 91",
		Wording: "The police shall request approval of arrest within 3 days of detention (extendable by 1 to 4 days; " +
			"up to 30 days for major suspects who move from place to place, repeat offences or act in a gang); " +
			"the procuratorate decides within 7 days. Criminal detention thus lasts 14 days, 37 at most.",
		Uncertainty: "14 days for ordinary suspects (3 + 4 + 7); 37 days (30 + 7) only for the major suspects of Art. 91 ¶2"},
	"family_notice_rsdl": {Title: "Family notified of residential surveillance at a designated location", Basis: "CPL Art. 75",
		Wording: "When residential surveillance at a designated location is carried out, the family shall be notified " +
			"within 24 hours unless notice is impossible."},
	"rsdl_max": {Title: "Residential surveillance at a designated location ended", Basis: "CPL Art. 79",
		Wording: "Residential surveillance shall not exceed 6 months. Two days of it at a designated location count as " +
			"one day of a prison sentence (Art. 76)."},
	"family_notice_arrest": {Title: "Family notified of the arrest", Basis: "CPL Art. 93",
		Wording: "After arrest the person shall be taken to a detention centre at once; the family shall be notified " +
			"within 24 hours of the arrest unless notice is impossible."},
	"interrogation_arrest": {Title: "Interrogation after arrest", Basis: "CPL Art. 94",
		Wording: "The arrested person shall be interrogated within 24 hours of the arrest; if the arrest should not have " +
			"been made, the person shall be released at once."},
	"lawyer_meeting": {Title: "Defense lawyer's meeting arranged", Basis: "CPL Art. 39",
		Wording: "When a defense lawyer asks to meet a detained suspect, the meeting shall be arranged within 48 hours. " +
			"In cases of endangering state security or terrorism, meetings during the investigation need the " +
			"investigators' permission."},
	"investigation_custody": {Title: "Investigation custody after arrest", Basis: "CPL Arts. 156, 158, 159",
		Wording: "Custody during investigation after arrest shall not exceed 2 months; it may be extended by 1 month " +
			"(next higher procuratorate, Art. 156), then 2 months (provincial procuratorate, Art. 158), then 2 more " +
			"months for crimes punishable by 10 years or more (Art. 159). New crimes found restart the period (Art. 160); " +
			"the NPC Standing Committee may approve postponement (Art. 157).",
		Uncertainty: "the arrest approval date is used as the arrest date"},
	"prosecution_review": {Title: "Decision on prosecution", Basis: "CPL Art. 172",
		Wording: "The procuratorate decides whether to prosecute within 1 month of receiving the case, extendable by 15 " +
			"days for major or complex cases. After a supplementary investigation the period starts again (Art. 175)."},
	"supplementary_investigation": {Title: "Supplementary investigation completed", Basis: "CPL Art. 175",
		Wording: "A case returned for supplementary investigation shall be completed within 1 month; it may be returned " +
			"at most twice."},
	"first_instance": {Title: "First-instance judgment", Basis: "CPL Art. 208",
		Wording: "The court shall pronounce judgment within 2 months of accepting a public prosecution, 3 months at the " +
			"latest; a higher court may approve 3 more months for capital cases, cases with incidental civil actions " +
			"or the cases of Art. 158; further extension needs the Supreme People's Court.",
		Uncertainty: "computed with the 3-month limit, since the court may extend from 2 to 3 months on its own"},
	"appeal_window": {Title: "Appeal against the first-instance judgment", Basis: "CPL Art. 230",
		Wording: "An appeal against a judgment must be lodged within 10 days (5 days against a ruling), counted from " +
			"the day after the written judgment is received."},
	"second_instance": {Title: "Second-instance judgment", Basis: "CPL Art. 243",
		Wording: "The appeal court shall conclude the case within 2 months of accepting it, extendable by 2 months with " +
			"the approval of the provincial high court; further extension needs the Supreme People's Court."},
	"un_government_reply": {Title: "Government reply to the UN communication",
		Basis: "Practice of the UN body (WGAD methods of work, A/HRC/36/38; special procedures): not PRC law",
		Wording: "A UN body that transmits a communication to the government asks it to reply within 60 days. The " +
			"Working Group on Arbitrary Detention may extend the period by up to one month at the government's " +
			"request (record the new date as the reply due date); with or without a reply, it may adopt an opinion. " +
			"The reply is due on the date recorded on the communication (60 days after transmission unless set).",
		Uncertainty: "a UN practice, not a rule of PRC law: a late or missing reply is not in itself a violation, and only a reply recorded here counts"},
}

// messagesEN are the notes and missing facts, in English (fmt formats).
var messagesEN = map[string]string{
	"rel_recorded":                "release recorded on %s",
	"rel_no_term_life":            "life imprisonment: no release date (commutation to a fixed term would give one; record it as the new sentence)",
	"rel_no_term_death":           "death sentence: no release date",
	"rel_no_term_death_suspended": "death sentence with a two-year reprieve: no release date unless commuted to a fixed term (record it as the new sentence)",
	"rel_not_custodial":           "sentence without imprisonment: no release date to compute",
	"rel_no_sentence":             "no sentence recorded",
	"rel_missing":                 "cannot compute: %s not recorded",
	"rel_term":                    "the term of the sentence (sentence_term_months)",
	"rel_period_start":            "the start of the %s period",
	"rel_period_end":              "the end of the %s period",
	"rel_custody_after":           "custody counted day for day after residential surveillance (arrest or sentence)",
	"rel_term_line":               "term of %d months from %s (first day of the custody that ran into the sentence, counted day for day, Criminal Law Art. 47): ends %s",
	"rel_commuted":                "commutation recorded on %s: %d months taken off",
	"rel_rsdl_line":               "RSDL %s..%s (%d days): two days count as one, %d days credited (CPL Art. 76)",
	"rel_rsdl_odd":                "RSDL %d days in all: %d days credited (an odd day left over is not credited)",
	"rel_day_line":                "%s %s..%s: %d days credited day for day (Criminal Law Art. 47)",
	"rel_not_credited":            "%s %s..%s: not credited (only criminal custody counts against the sentence)",
	"rel_approx":                  "some dates are partial or approximate: the date is approximate",
	"rel_result":                  "expected release: %s",
	"m_no_procedure":              "held without procedure",
	"m_summons":                   "summons",
	"m_administrative_detention":  "administrative detention",
	"m_criminal_detention":        "criminal detention",
	"m_rsdl":                      "RSDL",
	"m_liuzhi":                    "liuzhi",
	"m_arrest":                    "arrest",
	"m_residential_surveillance":  "residential surveillance",
	"m_bail":                      "bail",
	"m_serving_sentence":          "serving the sentence",
	"m_psychiatric_custody":       "psychiatric custody",
	"m_transformation_camp":       "transformation camp",
	"m_post_release_control":      "post-release control",

	"ended_before_limit":       "custody ended (%s, %s) before the limit passed",
	"counted_until":            "counted until custody ended (%s, %s)",
	"within_max":               "the limit with every lawful extension (%s) has not passed: an extension not recorded may cover it",
	"past_max":                 "passed even with every lawful extension (due at the latest %s)",
	"step_late":                "the next step came after the limit",
	"exact_date_of":            "exact date of %s",
	"partial_start":            "start date partial: computed for every possible start day (due between %s and %s)",
	"hours_24":                 "24 hours from an hour not recorded: counted to the end of the next day",
	"hours_48":                 "48 hours from an hour not recorded: counted to the end of the second day",
	"security_notice":          "state-security or terrorism charge: Art. 85 lets notice be withheld while it could hinder the investigation, with no fixed end",
	"security_meeting":         "state-security or terrorism charge: during investigation the meeting needs the investigators' permission (Art. 39), with no fixed limit",
	"no_notice_recorded":       "no family_notified event recorded: log it if the family was told, or log family_not_notified if it was not",
	"not_notified_recorded":    "family_not_notified recorded on %s",
	"release":                  "release",
	"judgment_in_force":        "judgment in force",
	"measure_changed":          "measure changed",
	"verdict":                  "first-instance verdict",
	"straight_rsdl":            "no criminal detention recorded: the person was placed straight into residential surveillance at a designated location",
	"no_detention":             "no criminal detention period recorded",
	"art91_extension":          "after 14 days only the 30-day extension for major suspects (Art. 91 ¶2) can cover it",
	"art157_160":               "beyond Arts. 156, 158 and 159 (due at the latest %s) custody can still be lawful after a restart for new crimes (Art. 160) or a postponement approved by the NPC Standing Committee (Art. 157), which the defence is rarely told of: ask the authorities for the decision",
	"spc_extension":            "further extension approved by the Supreme People's Court has no fixed length",
	"too_many_extensions":      "more extensions than Arts. 156, 158 and 159 allow; only the NPC Standing Committee can approve more (Art. 157)",
	"extension_recorded":       "+%d month(s) recorded on %s",
	"days_recorded":            "+%d days recorded on %s",
	"returned_stop":            "returned for supplementary investigation on %s: the review period stops",
	"sent_times":               "case sent for review %d times; counted from the last",
	"returns_possible":         "each return for supplementary investigation (at most two, Art. 175) restarts the period; returns not recorded are counted as possible",
	"return_number":            "return number %d: Art. 175 allows at most two",
	"court_proxy":              "court acceptance not recorded: counted from the indictment, the earliest it can be, so the real limit may be later",
	"judgment_proxy":           "receipt of the written judgment not recorded: counted from the verdict, so the window may close later",
	"appeal_proxy":             "acceptance by the appeal court not recorded: counted from the appeal, so the real limit may be later",
	"binds_defence":            "this limit binds the defense: once it passes the judgment may have become final",
	"holiday_moved":            "the last day (%s) is a public holiday or rest day: moved to the next working day (Art. 105 ¶4); a court reading the custody proviso strictly would not move it, so lodge by %s to be safe",
	"holidays_not_covered":     "the public-holiday table does not cover %d: only weekends were taken into account",
	"no_procedure_recorded":    "the record shows custody with no procedure (no summons, detention or other decision) from %s",
	"no_procedure_derived":     "period derived from key dates",
	"summons_limit":            "beyond the 24 hours a summons may last at most (Art. 119) custody needs a decision under the law",
	"place":                    "place: %s",
	"unknowable_transfer":      "date of transfer to a detention centre (event transferred_to_detention_centre)",
	"unknowable_interrogation": "date of the first interrogation after arrest (event interrogated)",
	"rsdl_replaced":            "residential surveillance began instead",
	"days_not_counted":         "days past the limit not counted: %s is not recorded",
	"un_reference":             "UN reference %s",
	"un_no_reply":              "no reply recorded by %s",
}

// factsEN names key dates and events in English (for missing facts).
var factsEN = map[string]string{
	"detained_at":          "the date of criminal detention",
	"rsdl_start_at":        "the start of residential surveillance",
	"arrest_approved_at":   "the date of arrest",
	"arrest_or_release":    "the date criminal detention ended (arrest, release or other measure)",
	"indicted_at":          "the date of indictment",
	"verdict_at":           "the date of the verdict",
	"appeal_at":            "the date of the appeal",
	"period_start":         "the start of the custody period",
	EvMeetingRequested:     "the date of the meeting request",
	EvMeetingGranted:       "the date of the meeting",
	EvFamilyNotified:       "the date the family was notified",
	EvTransferredForProsc:  "the date the case went to the procuratorate (event transferred_for_review)",
	EvReturnedForSuppInv:   "the date the case was returned for supplementary investigation",
	EvCourtAccepted:        "the date the court accepted the case (event court_accepted)",
	EvJudgmentReceived:     "the date the written judgment was received",
	EvAppealAccepted:       "the date the appeal court accepted the case",
	EvSecondInstVerdict:    "the date of the second-instance verdict",
	EvCustodyRecalculated:  "the date custody was recalculated",
	EvInterrogated:         "the date of the first interrogation",
	EvTransferredToDC:      "the date of transfer to a detention centre",
	"end_of_rsdl":          "the end of residential surveillance",
	"end_of_period":        "the end of the custody period",
	"end_of_investigation": "the end of the investigation (transfer for review or indictment)",
	StartUNTransmitted:     "the date the UN communication was transmitted to the government",
	"un_replied_at":        "the date of the government's reply",
}
