package cases

import "encoding/json"

// Input structs: one per operation. Every field is a pointer: absent means
// "leave as is" (PATCH) or "empty" (create); "" clears a text or a date.
// Fields no caller may set (id, version, created_by, timestamps) do not
// exist here, so the strict JSON decoder rejects them.

// DetaineeFields are the settable fields of a detainee.
type DetaineeFields struct {
	Name                   *string           `json:"name"`
	OtherNames             *[]OtherName      `json:"other_names"`
	Sex                    *string           `json:"sex"`
	BornAt                 *string           `json:"born_at"`
	DiedAt                 *string           `json:"died_at"`
	EthnicGroup            *string           `json:"ethnic_group"`
	Religion               *string           `json:"religion"`
	OccupationCategory     *string           `json:"occupation_category"`
	Occupation             *string           `json:"occupation"`
	HomeProvince           *string           `json:"home_province"`
	HomePlace              *string           `json:"home_place"`
	Nationality            *string           `json:"nationality"`
	Issue                  *string           `json:"issue"`
	DetentionStatus        *string           `json:"detention_status"`
	DetentionPlace         *string           `json:"detention_place"`
	FacilityType           *string           `json:"facility_type"`
	HealthConcerns         *string           `json:"health_concerns"`
	FamilyContacts         *string           `json:"family_contacts"`
	HomeAddress            *string           `json:"home_address"`
	ConfidentialNotes      *string           `json:"confidential_notes"`
	CrossReferences        *[]CrossReference `json:"cross_references"`
	Summary                *string           `json:"summary"`
	Source                 *string           `json:"source"`
	SourceReliability      *string           `json:"source_reliability"`
	InformationCredibility *string           `json:"information_credibility"`
}

// NullInt is a whole-number input field: absent (Set false) leaves the
// field as is, null clears it, a number sets it.
type NullInt struct {
	Set   bool
	Value *int
}

// UnmarshalJSON reads null or a whole number (called only when the field is present).
func (n *NullInt) UnmarshalJSON(b []byte) error {
	n.Set, n.Value = true, nil
	if string(b) == "null" {
		return nil
	}
	var v int
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	n.Value = &v
	return nil
}

// MarshalJSON writes the number or null.
func (n NullInt) MarshalJSON() ([]byte, error) { return json.Marshal(n.Value) }

// Int is the input field set to v.
func Int(v int) NullInt { return NullInt{Set: true, Value: &v} }

// ChargeInput is one charge of a case.
type ChargeInput struct {
	Charge string `json:"charge"`
	Detail string `json:"detail"`
}

// CaseFields are the settable fields of a case (the detainee is fixed at creation).
type CaseFields struct {
	CaseNumbers            *[]string      `json:"case_numbers"`
	Title                  *string        `json:"title"`
	Status                 *string        `json:"status"`
	Stage                  *string        `json:"stage"`
	Charges                *[]ChargeInput `json:"charges"`
	DetainingAuthority     *string        `json:"detaining_authority"`
	InvestigatingAuthority *string        `json:"investigating_authority"`
	Procuratorate          *string        `json:"procuratorate"`
	Court                  *string        `json:"court"`
	DetentionPlace         *string        `json:"detention_place"`
	DetainedAt             *string        `json:"detained_at"`
	RSDLStartAt            *string        `json:"rsdl_start_at"`
	RSDLEndAt              *string        `json:"rsdl_end_at"`
	ArrestApprovedAt       *string        `json:"arrest_approved_at"`
	IndictedAt             *string        `json:"indicted_at"`
	TrialAt                *string        `json:"trial_at"`
	VerdictAt              *string        `json:"verdict_at"`
	AppealAt               *string        `json:"appeal_at"`
	SentenceStartAt        *string        `json:"sentence_start_at"`
	SentenceEndAt          *string        `json:"sentence_end_at"`
	ReleaseAt              *string        `json:"release_at"`
	Sentence               *string        `json:"sentence"`
	SentenceKind           *string        `json:"sentence_kind"`
	SentenceTermMonths     NullInt        `json:"sentence_term_months"`
	PoliticalRightsMonths  NullInt        `json:"political_rights_months"`
	SentenceInForceAt      *string        `json:"sentence_in_force_at"`
	UNConsentBy            *string        `json:"un_consent_by"`
	UNConsentAt            *string        `json:"un_consent_at"`
	UNConsentMethod        *string        `json:"un_consent_method"`
	Summary                *string        `json:"summary"`
	ConfidentialNotes      *string        `json:"confidential_notes"`
	Source                 *string        `json:"source"`
	SourceReliability      *string        `json:"source_reliability"`
	InformationCredibility *string        `json:"information_credibility"`
}

// CaseCreate is the input of creating a case.
type CaseCreate struct {
	DetaineeID string `json:"detainee_id"`
	CaseFields
}

// LawyerFields are the settable fields of a lawyer. UserID "" unlinks.
type LawyerFields struct {
	UserID            *string      `json:"user_id"`
	Name              *string      `json:"name"`
	OtherNames        *[]OtherName `json:"other_names"`
	LawFirm           *string      `json:"law_firm"`
	LicenceNumber     *string      `json:"licence_number"`
	Jurisdiction      *string      `json:"jurisdiction"`
	LicenceStatus     *string      `json:"licence_status"`
	RiskStatus        *[]string    `json:"risk_status"`
	Contact           *string      `json:"contact"`
	ConfidentialNotes *string      `json:"confidential_notes"`
	// Confidential: must not be named outside (default false).
	Confidential *bool `json:"confidential"`
	// DetaineeID: the detainee record that is this lawyer ("" clears it).
	DetaineeID *string `json:"detainee_id"`
}

// AssignmentFields are the settable fields of an assignment.
type AssignmentFields struct {
	Role      *string `json:"role"`
	Status    *string `json:"status"`
	StartedAt *string `json:"started_at"`
	EndedAt   *string `json:"ended_at"`
	Notes     *string `json:"notes"`
}

// AssignmentCreate is the input of assigning a lawyer to a case.
type AssignmentCreate struct {
	LawyerID string `json:"lawyer_id"`
	AssignmentFields
}

// ShareCreate is the input of sharing a case with an observer.
type ShareCreate struct {
	UserID string `json:"user_id"`
}
