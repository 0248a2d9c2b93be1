package timeline

import "github.com/habeas-org/habeas/internal/record"

// EventTypes is the vocabulary of case events (see docs/timeline.md). It
// is a superset of the event types the deadline engine reads
// (internal/deadlines), spelled the same, so recorded events can feed it
// (internal/app's tests check it: the two packages do not import each other).
var EventTypes = record.Vocabulary{
	// Detention and custody.
	{Value: "summons", Label: "Summoned for questioning"},
	{Value: "detention", Label: "Detained (criminal detention)"},
	{Value: "transfer", Label: "Transferred to another place of detention"},
	{Value: "transferred_to_detention_centre", Label: "Transferred to a detention centre", Article: "CPL Art. 85"},
	{Value: "interrogated", Label: "First interrogation", Article: "CPL Arts. 86, 94"},
	{Value: "rsdl_start", Label: "Residential surveillance at a designated location (RSDL) started"},
	{Value: "rsdl_end", Label: "Residential surveillance at a designated location (RSDL) ended"},
	{Value: "family_notified", Label: "Family notified"},
	{Value: "family_not_notified", Label: "Family not notified", Obstacle: true, Article: "CPL Arts. 75, 85"},
	{Value: "arrest_requested", Label: "Arrest approval requested"},
	{Value: "arrest_approved", Label: "Arrest approved"},
	{Value: "custody_extended", Label: "Investigation custody extended"},
	{Value: "custody_recalculated", Label: "Investigation custody recalculated (new crimes found)"},
	// Access to the lawyer and the file.
	{Value: "meeting_requested", Label: "Lawyer meeting requested"},
	{Value: "meeting_granted", Label: "Lawyer meeting granted"},
	{Value: "meeting_denied", Label: "Lawyer meeting denied", Obstacle: true, Article: "CPL Art. 39"},
	{Value: "meeting_unanswered", Label: "Lawyer meeting request unanswered", Obstacle: true, Article: "CPL Art. 39"},
	{Value: "meeting_monitored", Label: "Lawyer meeting allowed only under monitoring", Obstacle: true, Article: "CPL Art. 39"},
	{Value: "case_file_access_refused", Label: "Access to the case file refused", Obstacle: true, Article: "CPL Art. 40"},
	{Value: "lawyer_dismissed", Label: "Family-retained lawyer dismissed", Obstacle: true},
	{Value: "lawyer_replaced_by_state_appointed", Label: "Lawyer replaced by a state-appointed lawyer", Obstacle: true},
	{Value: "lawyer_pressured_to_withdraw", Label: "Lawyer pressured to withdraw", Obstacle: true},
	{Value: "detainee_pressured_to_dismiss_lawyer", Label: "Detainee pressured to dismiss the lawyer", Obstacle: true},
	{Value: "licence_threatened", Label: "Lawyer's licence threatened", Obstacle: true},
	{Value: "licence_suspended", Label: "Lawyer's licence suspended", Obstacle: true},
	{Value: "licence_not_renewed", Label: "Lawyer's licence not renewed", Obstacle: true},
	{Value: "licence_revoked", Label: "Lawyer's licence revoked", Obstacle: true},
	{Value: "law_firm_pressured", Label: "Law firm pressured", Obstacle: true},
	{Value: "harassment", Label: "Lawyer or family harassed or followed", Obstacle: true},
	{Value: "lawyer_detained", Label: "Lawyer detained", Obstacle: true},
	{Value: "family_detained", Label: "Family member detained", Obstacle: true},
	{Value: "travel_ban", Label: "Travel ban on lawyer or family", Obstacle: true},
	{Value: "televised_confession", Label: "Televised confession", Obstacle: true},
	// Prosecution and trial.
	{Value: "charge_added", Label: "Charge added"},
	{Value: "charge_changed", Label: "Charge changed"},
	{Value: "transferred_for_review", Label: "Case transferred to the procuratorate for review for prosecution"},
	{Value: "returned_for_supplementary_investigation", Label: "Case returned for supplementary investigation"},
	{Value: "review_extended", Label: "Review for prosecution extended"},
	{Value: "indictment", Label: "Indicted"},
	{Value: "court_accepted", Label: "Court accepted the case"},
	{Value: "trial", Label: "Trial"},
	{Value: "trial_extended", Label: "Trial period extended"},
	{Value: "family_barred_from_trial", Label: "Family not allowed to attend the trial", Obstacle: true, Article: "CPL Art. 188"},
	{Value: "trial_in_secret", Label: "Trial held in secret", Obstacle: true, Article: "CPL Art. 188"},
	{Value: "trial_moved_without_notice", Label: "Trial held or moved without notice", Obstacle: true},
	{Value: "verdict", Label: "Verdict"},
	{Value: "judgment_received", Label: "Written judgment received"},
	{Value: "appeal", Label: "Appeal lodged"},
	{Value: "appeal_accepted", Label: "Appeal accepted by the second-instance court"},
	{Value: "second_instance_extended", Label: "Second instance extended"},
	{Value: "second_instance_verdict", Label: "Second-instance verdict"},
	{Value: "sentence", Label: "Sentenced"},
	{Value: "sentence_commuted", Label: "Sentence commuted (months taken off in extension_months)", Article: "Criminal Law Art. 78"},
	{Value: "release", Label: "Released"},
	// Domestic remedies and the UN.
	{Value: "complaint_filed", Label: "Complaint filed against officials", Article: "CPL Art. 117"},
	{Value: "petition_filed", Label: "Petition (letters and visits) filed"},
	{Value: "retrial_petition", Label: "Petition against an effective judgment", Article: "CPL Art. 252"},
	{Value: "state_compensation_claim", Label: "State compensation claimed", Article: "State Compensation Law Art. 17"},
	{Value: "remedy_answered", Label: "An authority answered a complaint or petition"},
	{Value: "un_submission", Label: "Communication sent to a UN mechanism"},
	// Health and treatment.
	{Value: "health_concern", Label: "Health concern"},
	{Value: "ill_treatment_allegation", Label: "Allegation of torture or ill-treatment"},
	{Value: "other", Label: "Other"},
}

// ExtensionTypes are the event types whose length in months
// (extension_months) the deadline engine reads: an extension of
// investigation custody, and the months a commutation takes off a fixed
// term.
var ExtensionTypes = []string{"custody_extended", "sentence_commuted"}

// HearingTypes is the vocabulary of hearing types.
var HearingTypes = record.Vocabulary{
	{Value: "pre_trial_meeting", Label: "Pre-trial meeting"},
	{Value: "trial", Label: "Trial"},
	{Value: "sentencing", Label: "Sentencing"},
	{Value: "appeal", Label: "Appeal hearing"},
	{Value: "other", Label: "Other"},
}

// HearingStatuses is the vocabulary of a hearing's status.
var HearingStatuses = record.Vocabulary{
	{Value: "scheduled", Label: "Scheduled"},
	{Value: "held", Label: "Held"},
	{Value: "postponed", Label: "Postponed"},
	{Value: "cancelled", Label: "Cancelled"},
	{Value: "held_without_notice", Label: "Held without notice", Obstacle: true},
}

// SourceReliability is the Admiralty-code grade of a source (as for case records).
var SourceReliability = []string{"A", "B", "C", "D", "E", "F"}

// InformationCredibility is the Admiralty-code grade of the information.
var InformationCredibility = []string{"1", "2", "3", "4", "5", "6"}

// Vocabularies are the timeline's vocabularies by name, served with the
// case-record vocabularies by GET /api/v1/vocabularies.
var Vocabularies = map[string]record.Vocabulary{
	"event_types":      EventTypes,
	"hearing_types":    HearingTypes,
	"hearing_statuses": HearingStatuses,
}
