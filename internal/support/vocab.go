// Package support is international support for a case (issue 8): partners
// (organisations that act: UN bodies, embassies, NGOs, bar associations,
// media, funders) and support actions on a case, modelled on the HURIDOCS
// "intervention" (who acts, to whom, what, when requested and due, status,
// response, impact, linked documents). Every change is audited in its
// transaction and every status an action enters is kept for the case
// timeline. Who sees and does what is decided in internal/access.
package support

import "github.com/habeas-org/habeas/internal/record"

// ActionTypes is the vocabulary of support action types (see docs/support.md).
var ActionTypes = record.Vocabulary{
	{Value: "wgad_communication", Label: "UN Working Group on Arbitrary Detention: individual communication"},
	{Value: "special_procedures_urgent_appeal", Label: "Urgent appeal to UN special procedures"},
	{Value: "embassy_trial_observation", Label: "Embassy trial observation request"},
	{Value: "demarche", Label: "Diplomatic démarche"},
	{Value: "parliamentary_letter", Label: "Parliamentary letter or resolution"},
	{Value: "media_campaign", Label: "Media campaign"},
	{Value: "bar_statement", Label: "Bar association or lawyers' network statement"},
	{Value: "legal_fee_grant", Label: "Legal fee grant"},
	{Value: "family_assistance", Label: "Family assistance"},
	{Value: "medical_advocacy", Label: "Medical advocacy"},
	{Value: "other", Label: "Other"},
}

// FundingTypes are the action types that may carry an amount and currency.
var FundingTypes = []string{"legal_fee_grant", "family_assistance"}

// Priorities is the vocabulary of an action's priority.
var Priorities = record.Vocabulary{
	{Value: "low", Label: "Low"},
	{Value: "normal", Label: "Normal"},
	{Value: "high", Label: "High"},
	{Value: "urgent", Label: "Urgent"},
}

// PartnerKinds is the vocabulary of partner kinds.
var PartnerKinds = record.Vocabulary{
	{Value: "un_body", Label: "UN body"},
	{Value: "government", Label: "Embassy or government"},
	{Value: "ngo", Label: "NGO"},
	{Value: "bar_association", Label: "Bar association or lawyers' network"},
	{Value: "media", Label: "Media"},
	{Value: "funder", Label: "Funder"},
	{Value: "other", Label: "Other"},
}

// Vocabularies are the support vocabularies by name, as served by
// GET /api/v1/support-vocabularies.
var Vocabularies = map[string]record.Vocabulary{
	"support_action_types":    ActionTypes,
	"support_action_statuses": StatusVocabulary,
	"support_priorities":      Priorities,
	"partner_kinds":           PartnerKinds,
}

func isFunding(t string) bool {
	for _, f := range FundingTypes {
		if f == t {
			return true
		}
	}
	return false
}
