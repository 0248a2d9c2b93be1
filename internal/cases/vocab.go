package cases

import (
	"sort"

	"github.com/habeas-org/habeas/internal/record"
)

// NameKinds are the kinds of a detainee's or lawyer's other names.
var NameKinds = record.Vocabulary{
	{Value: "simplified", Label: "Chinese (simplified)"},
	{Value: "traditional", Label: "Chinese (traditional)"},
	{Value: "pinyin", Label: "Pinyin"},
	{Value: "latin", Label: "Latin transliteration"},
	{Value: "uyghur_arabic", Label: "Uyghur (Arabic script)"},
	{Value: "uyghur_latin", Label: "Uyghur (Latin script)"},
	{Value: "tibetan", Label: "Tibetan script"},
	{Value: "tibetan_latin", Label: "Tibetan (transliteration)"},
	{Value: "alias", Label: "Alias"},
	{Value: "religious", Label: "Religious name"},
	{Value: "other", Label: "Other"},
}

// Sexes is the vocabulary of sex.
var Sexes = record.Vocabulary{
	{Value: "female", Label: "Female"},
	{Value: "male", Label: "Male"},
	{Value: "other", Label: "Other"},
	{Value: "unknown", Label: "Unknown"},
}

// DetentionStatuses is the vocabulary of a detainee's detention status.
var DetentionStatuses = record.Vocabulary{
	{Value: "detained", Label: "Detained"},
	{Value: "believed_detained", Label: "Believed detained"},
	{Value: "disappeared", Label: "Disappeared"},
	{Value: "rsdl", Label: "Residential surveillance at a designated location (RSDL)"},
	{Value: "residential_surveillance", Label: "Residential surveillance at home"},
	{Value: "on_bail", Label: "On bail (guarantee pending further investigation)"},
	{Value: "released", Label: "Released"},
	{Value: "sentence_completed", Label: "Sentence completed"},
	{Value: "under_surveillance", Label: "Released, under surveillance"},
	{Value: "exiled", Label: "In exile"},
	{Value: "deceased", Label: "Deceased"},
	{Value: "unknown", Label: "Unknown"},
}

// IssueCategories is the vocabulary of why a person was targeted.
var IssueCategories = record.Vocabulary{
	{Value: "expression", Label: "Freedom of expression"},
	{Value: "religious_freedom", Label: "Religious freedom"},
	{Value: "ethnic_minority_rights", Label: "Ethnic minority rights"},
	{Value: "labour", Label: "Labour rights"},
	{Value: "lawyers", Label: "Lawyers and legal advocacy"},
	{Value: "human_rights_defenders", Label: "Human rights defenders"},
	{Value: "democracy", Label: "Democracy and political rights"},
	{Value: "assembly_association", Label: "Assembly and association"},
	{Value: "journalism", Label: "Journalism"},
	{Value: "petitioners", Label: "Petitioners"},
	{Value: "land_housing", Label: "Land and housing"},
	{Value: "environment", Label: "Environment"},
	{Value: "women_rights", Label: "Women's rights"},
	{Value: "lgbt_rights", Label: "LGBT rights"},
	{Value: "hong_kong", Label: "Hong Kong"},
	{Value: "other", Label: "Other"},
}

// Charges is the vocabulary of charges, each with its PRC Criminal Law article.
var Charges = record.Vocabulary{
	{Value: "art102_treason", Label: "Treason", Article: "Art. 102"},
	{Value: "art103_splittism", Label: "Splitting the state", Article: "Art. 103"},
	{Value: "art103_inciting_splittism", Label: "Inciting splitting of the state", Article: "Art. 103"},
	{Value: "art105_subversion", Label: "Subversion of state power", Article: "Art. 105"},
	{Value: "art105_inciting_subversion", Label: "Inciting subversion of state power", Article: "Art. 105"},
	{Value: "art110_espionage", Label: "Espionage", Article: "Art. 110"},
	{Value: "art111_state_secrets_abroad", Label: "Illegally providing state secrets or intelligence abroad", Article: "Art. 111"},
	{Value: "art120_terrorism", Label: "Organising, leading or participating in a terrorist organisation", Article: "Art. 120"},
	{Value: "art120_3_advocating_terrorism", Label: "Advocating terrorism or extremism, inciting terrorist activities", Article: "Art. 120-3"},
	{Value: "art120_4_inciting_ethnic_hatred_extremism", Label: "Using extremism to undermine the implementation of law", Article: "Art. 120-4"},
	{Value: "art225_illegal_business", Label: "Illegal business operations", Article: "Art. 225"},
	{Value: "art246_defamation", Label: "Defamation", Article: "Art. 246"},
	{Value: "art249_inciting_ethnic_hatred", Label: "Inciting ethnic hatred or discrimination", Article: "Art. 249"},
	{Value: "art266_fraud", Label: "Fraud", Article: "Art. 266"},
	{Value: "art277_obstructing_official_duties", Label: "Obstructing official duties", Article: "Art. 277"},
	{Value: "art290_gathering_crowd_disturbing_order", Label: "Gathering a crowd to disturb social order", Article: "Art. 290"},
	{Value: "art291_gathering_crowd_public_order", Label: "Gathering a crowd to disturb public order", Article: "Art. 291"},
	{Value: "art293_picking_quarrels", Label: "Picking quarrels and provoking trouble", Article: "Art. 293"},
	{Value: "art296_illegal_assembly", Label: "Illegal assembly, procession or demonstration", Article: "Art. 296"},
	{Value: "art300_cult", Label: "Organising or using a cult to undermine implementation of the law", Article: "Art. 300"},
	{Value: "art306_lawyer_falsifying_evidence", Label: "Defence lawyer destroying or falsifying evidence", Article: "Art. 306"},
	{Value: "art309_disrupting_court_order", Label: "Disrupting court order", Article: "Art. 309"},
	{Value: "art322_illegal_border_crossing", Label: "Illegally crossing the national border", Article: "Art. 322"},
	{Value: "other", Label: "Other (see detail)"},
}

// CaseStatuses is the vocabulary of a case's status in Habeas.
var CaseStatuses = record.Vocabulary{
	{Value: "open", Label: "Open"},
	{Value: "monitoring", Label: "Monitoring"},
	{Value: "closed", Label: "Closed"},
}

// Stages is the vocabulary of PRC criminal process stages.
var Stages = record.Vocabulary{
	{Value: "summons", Label: "Summons for questioning"},
	{Value: "administrative_detention", Label: "Administrative detention"},
	{Value: "criminal_detention", Label: "Criminal detention"},
	{Value: "rsdl", Label: "Residential surveillance at a designated location"},
	{Value: "liuzhi", Label: "Liuzhi (supervision commission detention)"},
	{Value: "arrest_requested", Label: "Arrest approval requested"},
	{Value: "arrested", Label: "Formally arrested (investigation)"},
	{Value: "prosecution_review", Label: "Review for prosecution"},
	{Value: "supplementary_investigation", Label: "Returned for supplementary investigation"},
	{Value: "indicted", Label: "Indicted"},
	{Value: "first_instance_trial", Label: "First-instance trial"},
	{Value: "first_instance_verdict", Label: "First-instance verdict"},
	{Value: "appeal", Label: "Appeal (second instance)"},
	{Value: "final_verdict", Label: "Final verdict"},
	{Value: "serving_sentence", Label: "Serving sentence"},
	{Value: "released", Label: "Released"},
	{Value: "unknown", Label: "Unknown"},
}

// FacilityTypes is the vocabulary of places of detention.
var FacilityTypes = record.Vocabulary{
	{Value: "detention_centre", Label: "Detention centre"},
	{Value: "prison", Label: "Prison"},
	{Value: "rsdl_site", Label: "RSDL site"},
	{Value: "liuzhi_site", Label: "Liuzhi site"},
	{Value: "psychiatric_facility", Label: "Psychiatric facility (ankang)"},
	{Value: "black_jail", Label: "\"Black jail\" (extralegal)"},
	{Value: "internment_camp", Label: "Internment or \"re-education\" camp"},
	{Value: "police_station", Label: "Police station"},
	{Value: "hospital", Label: "Hospital"},
	{Value: "home", Label: "Home (house arrest, residential surveillance at home)"},
	{Value: "unknown", Label: "Unknown"},
}

// CustodyMeasures is the vocabulary of the measure of a custody period
// (docs/custody.md). Custodial reports which of them deprive of liberty.
var CustodyMeasures = record.Vocabulary{
	{Value: "no_procedure", Label: "Held without any procedure (disappeared)"},
	{Value: "summons", Label: "Summons or questioning"},
	{Value: "administrative_detention", Label: "Administrative detention"},
	{Value: "criminal_detention", Label: "Criminal detention", Article: "CPL Art. 82"},
	{Value: "rsdl", Label: "Residential surveillance at a designated location (RSDL)", Article: "CPL Art. 75"},
	{Value: "liuzhi", Label: "Liuzhi (supervision-commission detention)", Article: "Supervision Law Art. 22"},
	{Value: "arrest", Label: "Formal arrest (pre-trial custody)", Article: "CPL Art. 81"},
	{Value: "residential_surveillance", Label: "Residential surveillance at home", Article: "CPL Art. 74"},
	{Value: "bail", Label: "Bail (guarantee pending further investigation)", Article: "CPL Art. 67"},
	{Value: "serving_sentence", Label: "Serving a sentence"},
	{Value: "psychiatric_custody", Label: "Psychiatric custody"},
	{Value: "transformation_camp", Label: "\"Transformation through education\" camp"},
	{Value: "post_release_control", Label: "Post-release control (deprivation of political rights, house arrest)"},
}

// nonCustodial are the measures that do not count as deprivation of
// liberty (a summons is custodial for its hours but counts as nothing).
var nonCustodial = map[string]bool{"residential_surveillance": true, "bail": true, "post_release_control": true, "summons": true}

// Custodial reports whether measure deprives of liberty: every custody
// measure except residential_surveillance, bail, post_release_control and
// summons.
func Custodial(measure string) bool { return CustodyMeasures.Has(measure) && !nonCustodial[measure] }

// SentenceKinds is the vocabulary of the kind of sentence of a case.
var SentenceKinds = record.Vocabulary{
	{Value: "fixed_term", Label: "Fixed-term imprisonment", Article: "Criminal Law Art. 45"},
	{Value: "life", Label: "Life imprisonment"},
	{Value: "death_suspended", Label: "Death sentence with two-year reprieve", Article: "Criminal Law Art. 48"},
	{Value: "death", Label: "Death sentence"},
	{Value: "public_surveillance", Label: "Public surveillance (guanzhi)", Article: "Criminal Law Art. 38"},
	{Value: "criminal_detention_sentence", Label: "Criminal detention (juyi, 1 to 6 months)", Article: "Criminal Law Art. 42"},
	{Value: "fine_only", Label: "Fine only"},
	{Value: "exempted", Label: "Exempted from criminal punishment", Article: "Criminal Law Art. 37"},
	{Value: "none", Label: "No sentence (acquitted, charges dropped)"},
}

// termSentences are the sentence kinds that have a term in months.
var termSentences = map[string]bool{"fixed_term": true, "public_surveillance": true, "criminal_detention_sentence": true}

// ConsentMethods is the vocabulary of how consent to a UN submission was given.
var ConsentMethods = record.Vocabulary{
	{Value: "written", Label: "Written"},
	{Value: "oral_recorded", Label: "Oral, recorded"},
	{Value: "via_lawyer", Label: "Through the lawyer"},
	{Value: "via_family", Label: "Through the family"},
	{Value: "in_person", Label: "In person"},
	{Value: "phone", Label: "By phone"},
	{Value: "other", Label: "Other"},
}

// LicenceStatuses is the vocabulary of a lawyer's licence status.
var LicenceStatuses = record.Vocabulary{
	{Value: "active", Label: "Active"},
	{Value: "suspended", Label: "Suspended"},
	{Value: "revoked", Label: "Revoked"},
	{Value: "not_renewed", Label: "Not renewed (failed annual assessment)"},
	{Value: "unknown", Label: "Unknown"},
}

// RiskStatuses is the vocabulary of pressure on a lawyer.
var RiskStatuses = record.Vocabulary{
	{Value: "harassed", Label: "Harassed"},
	{Value: "surveilled", Label: "Under surveillance"},
	{Value: "detained", Label: "Detained"},
	{Value: "disbarred", Label: "Disbarred"},
	{Value: "travel_ban", Label: "Travel ban"},
	{Value: "firm_pressured", Label: "Law firm pressured"},
	{Value: "family_harassed", Label: "Family harassed"},
}

// AssignmentRoles is the vocabulary of how a lawyer came to a case.
var AssignmentRoles = record.Vocabulary{
	{Value: "family_retained", Label: "Retained by the family"},
	{Value: "org_appointed", Label: "Appointed by the organisation"},
	{Value: "state_appointed", Label: "State-appointed"},
}

// AssignmentStatuses is the vocabulary of an assignment's status; only
// "active" gives access to the case.
var AssignmentStatuses = record.Vocabulary{
	{Value: "active", Label: "Active"},
	{Value: "dismissed", Label: "Dismissed"},
	{Value: "forced_withdrawal", Label: "Forced withdrawal"},
	{Value: "replaced", Label: "Replaced"},
	{Value: "ended", Label: "Ended"},
}

// SourceReliability is the Admiralty-code grade of a source (A reliable ... F cannot be judged).
var SourceReliability = record.Vocabulary{
	{Value: "A", Label: "Completely reliable"},
	{Value: "B", Label: "Usually reliable"},
	{Value: "C", Label: "Fairly reliable"},
	{Value: "D", Label: "Not usually reliable"},
	{Value: "E", Label: "Unreliable"},
	{Value: "F", Label: "Reliability cannot be judged"},
}

// InformationCredibility is the Admiralty-code grade of a piece of information (1 confirmed ... 6 cannot be judged).
var InformationCredibility = record.Vocabulary{
	{Value: "1", Label: "Confirmed by other sources"},
	{Value: "2", Label: "Probably true"},
	{Value: "3", Label: "Possibly true"},
	{Value: "4", Label: "Doubtful"},
	{Value: "5", Label: "Improbable"},
	{Value: "6", Label: "Truth cannot be judged"},
}

// Vocabularies are every vocabulary by name, as served to clients.
var Vocabularies = map[string]record.Vocabulary{
	"name_kinds":              NameKinds,
	"sexes":                   Sexes,
	"detention_statuses":      DetentionStatuses,
	"issue_categories":        IssueCategories,
	"charges":                 Charges,
	"case_statuses":           CaseStatuses,
	"stages":                  Stages,
	"facility_types":          FacilityTypes,
	"custody_measures":        CustodyMeasures,
	"sentence_kinds":          SentenceKinds,
	"consent_methods":         ConsentMethods,
	"licence_statuses":        LicenceStatuses,
	"risk_statuses":           RiskStatuses,
	"assignment_roles":        AssignmentRoles,
	"assignment_statuses":     AssignmentStatuses,
	"source_reliability":      SourceReliability,
	"information_credibility": InformationCredibility,
	"un_communication_kinds":  UNCommunicationKinds,
	"relations":               Relations,
	"relative_consent_kinds":  RelativeConsentKinds,
	"case_detainee_roles":     CaseDetaineeRoles,
}

// VocabularyNames returns the vocabulary names, sorted.
func VocabularyNames() []string {
	out := make([]string, 0, len(Vocabularies))
	for k := range Vocabularies {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
