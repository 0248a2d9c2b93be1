package cases

import (
	"time"

	"github.com/habeas-org/habeas/internal/access"
	"github.com/habeas-org/habeas/internal/actor"
)

// The views are what the API answers. Confidential fields are pointers with
// omitempty: for a caller who may not see them (access.SeesConfidential) they
// are absent from the JSON, not null. Partial dates are EDTF text or null.

// DetaineeView is a detainee as the caller may see it.
type DetaineeView struct {
	ID                 string      `json:"id"`
	Name               string      `json:"name"`
	OtherNames         []OtherName `json:"other_names"`
	Sex                string      `json:"sex"`
	BornAt             *string     `json:"born_at"`
	DiedAt             *string     `json:"died_at"`
	EthnicGroup        string      `json:"ethnic_group"`
	Religion           string      `json:"religion"`
	OccupationCategory string      `json:"occupation_category"`
	Occupation         string      `json:"occupation"`
	HomeProvince       string      `json:"home_province"`
	HomePlace          string      `json:"home_place"`
	Nationality        string      `json:"nationality"`
	Issue              string      `json:"issue"`
	DetentionStatus    string      `json:"detention_status"`
	DetentionPlace     string      `json:"detention_place"`
	FacilityType       string      `json:"facility_type"`
	HealthConcerns     string      `json:"health_concerns"`
	FamilyContacts     *string     `json:"family_contacts,omitempty"`
	HomeAddress        *string     `json:"home_address,omitempty"`
	ConfidentialNotes  *string     `json:"confidential_notes,omitempty"`
	// LawyerID is the lawyer record that is this detainee, when the caller
	// may also see that lawyer (else null).
	LawyerID               *string          `json:"lawyer_id"`
	CrossReferences        []CrossReference `json:"cross_references"`
	Summary                string           `json:"summary"`
	Source                 string           `json:"source"`
	SourceReliability      string           `json:"source_reliability"`
	InformationCredibility string           `json:"information_credibility"`
	Version                int64            `json:"version"`
	CreatedAt              time.Time        `json:"created_at"`
	UpdatedAt              time.Time        `json:"updated_at"`
	// Matched is the name form or field a search (q) matched; absent
	// without q.
	Matched *SearchMatch `json:"matched,omitempty"`
	// PossibleDuplicates are the ids of other detainees that may be the
	// same person (answer of a create only; absent when none).
	PossibleDuplicates []string `json:"possible_duplicates,omitempty"`
	// CoDefendantIn are the cases the caller sees where the detainee is
	// linked as a co-defendant (or another role), not the principal (issue
	// 25): answered by GET /detainees/{id} only, at most
	// MaxCoDefendantCases, newest link first.
	CoDefendantIn []CoDefendantCase `json:"co_defendant_in,omitempty"`
}

// SearchMatch says which form of a record a search matched: its field
// ("name", "other_names.pinyin", "title", ...; "detainee." or "case."
// prefixed when the match is on the record's detainee or on one of its
// cases) and the form as written.
type SearchMatch struct {
	Field string `json:"field"`
	Form  string `json:"form"`
}

func date(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func secret(p *actor.Principal, s string) *string {
	if !access.SeesConfidential(p) {
		return nil
	}
	return &s
}

func orEmpty[T any](l []T) []T {
	if l == nil {
		return []T{}
	}
	return l
}

// View renders d for p.
func (d *Detainee) View(p *actor.Principal) DetaineeView {
	return DetaineeView{
		ID: d.ID, Name: d.Name, OtherNames: orEmpty(d.OtherNames), Sex: d.Sex, BornAt: date(d.BornAt), DiedAt: date(d.DiedAt),
		EthnicGroup: d.EthnicGroup, Religion: d.Religion, OccupationCategory: d.OccupationCategory,
		Occupation: d.Occupation, HomeProvince: d.HomeProvince, HomePlace: d.HomePlace, Nationality: d.Nationality, Issue: d.Issue,
		DetentionStatus: d.DetentionStatus, DetentionPlace: d.DetentionPlace, FacilityType: d.FacilityType,
		HealthConcerns: d.HealthConcerns, FamilyContacts: secret(p, d.FamilyContacts),
		HomeAddress: secret(p, d.HomeAddress), ConfidentialNotes: secret(p, d.ConfidentialNotes),
		CrossReferences: orEmpty(d.CrossReferences), Summary: d.Summary, Source: d.Source,
		SourceReliability: d.SourceReliability, InformationCredibility: d.InformationCredibility,
		Version: d.Version, CreatedAt: d.CreatedAt.UTC(), UpdatedAt: d.UpdatedAt.UTC(),
	}
}

// ChargeView is a charge with its article and label.
type ChargeView struct {
	Charge  string `json:"charge"`
	Label   string `json:"label"`
	Article string `json:"article"`
	Detail  string `json:"detail"`
}

// CaseView is a case as the caller may see it.
type CaseView struct {
	ID                     string       `json:"id"`
	DetaineeID             string       `json:"detainee_id"`
	DetaineeName           string       `json:"detainee_name"`
	CaseNumbers            []string     `json:"case_numbers"`
	Title                  string       `json:"title"`
	Status                 string       `json:"status"`
	Stage                  string       `json:"stage"`
	Charges                []ChargeView `json:"charges"`
	DetainingAuthority     string       `json:"detaining_authority"`
	InvestigatingAuthority string       `json:"investigating_authority"`
	Procuratorate          string       `json:"procuratorate"`
	Court                  string       `json:"court"`
	DetentionPlace         string       `json:"detention_place"`
	DetainedAt             *string      `json:"detained_at"`
	RSDLStartAt            *string      `json:"rsdl_start_at"`
	RSDLEndAt              *string      `json:"rsdl_end_at"`
	ArrestApprovedAt       *string      `json:"arrest_approved_at"`
	IndictedAt             *string      `json:"indicted_at"`
	TrialAt                *string      `json:"trial_at"`
	VerdictAt              *string      `json:"verdict_at"`
	AppealAt               *string      `json:"appeal_at"`
	SentenceStartAt        *string      `json:"sentence_start_at"`
	SentenceEndAt          *string      `json:"sentence_end_at"`
	ReleaseAt              *string      `json:"release_at"`
	Sentence               string       `json:"sentence"`
	SentenceKind           string       `json:"sentence_kind"`
	SentenceTermMonths     *int         `json:"sentence_term_months"`
	PoliticalRightsMonths  *int         `json:"political_rights_months"`
	SentenceInForceAt      *string      `json:"sentence_in_force_at"`
	UNConsentBy            *string      `json:"un_consent_by,omitempty"`
	UNConsentAt            *string      `json:"un_consent_at"`
	UNConsentMethod        string       `json:"un_consent_method"`
	// ExpectedReleaseAt and ExpectedReleaseBasis are computed (read-only):
	// the expected release date (EDTF) and its derivation, in the
	// request's language (ReleaseSource); null and [] when there is none.
	ExpectedReleaseAt      *string   `json:"expected_release_at"`
	ExpectedReleaseBasis   []string  `json:"expected_release_basis"`
	Summary                string    `json:"summary"`
	ConfidentialNotes      *string   `json:"confidential_notes,omitempty"`
	Source                 string    `json:"source"`
	SourceReliability      string    `json:"source_reliability"`
	InformationCredibility string    `json:"information_credibility"`
	Version                int64     `json:"version"`
	CreatedAt              time.Time `json:"created_at"`
	UpdatedAt              time.Time `json:"updated_at"`
	// Matched is what a search (q) matched; absent without q.
	Matched *SearchMatch `json:"matched,omitempty"`
}

// View renders c for p; detaineeName is the primary name of its detainee.
func (c *Case) View(p *actor.Principal, detaineeName string) CaseView {
	charges := make([]ChargeView, 0, len(c.Charges))
	for _, ch := range c.Charges {
		t, _ := Charges.Lookup(ch.Charge)
		charges = append(charges, ChargeView{Charge: ch.Charge, Label: t.Label, Article: t.Article, Detail: ch.Detail})
	}
	return CaseView{
		ID: c.ID, DetaineeID: c.DetaineeID, DetaineeName: detaineeName, CaseNumbers: orEmpty(c.CaseNumbers),
		Title: c.Title, Status: c.Status, Stage: c.Stage, Charges: charges,
		DetainingAuthority: c.DetainingAuthority, InvestigatingAuthority: c.InvestigatingAuthority,
		Procuratorate: c.Procuratorate, Court: c.Court, DetentionPlace: c.DetentionPlace,
		DetainedAt: date(c.DetainedAt), RSDLStartAt: date(c.RSDLStartAt), RSDLEndAt: date(c.RSDLEndAt),
		ArrestApprovedAt: date(c.ArrestApprovedAt), IndictedAt: date(c.IndictedAt), TrialAt: date(c.TrialAt),
		VerdictAt: date(c.VerdictAt), AppealAt: date(c.AppealAt), SentenceStartAt: date(c.SentenceStartAt),
		SentenceEndAt: date(c.SentenceEndAt), ReleaseAt: date(c.ReleaseAt), Sentence: c.Sentence,
		SentenceKind: c.SentenceKind, SentenceTermMonths: c.SentenceTermMonths, PoliticalRightsMonths: c.PoliticalRightsMonths,
		SentenceInForceAt: date(c.SentenceInForceAt), UNConsentBy: secret(p, c.UNConsentBy), UNConsentAt: date(c.UNConsentAt),
		UNConsentMethod: c.UNConsentMethod, ExpectedReleaseBasis: []string{},
		Summary: c.Summary, ConfidentialNotes: secret(p, c.ConfidentialNotes), Source: c.Source,
		SourceReliability: c.SourceReliability, InformationCredibility: c.InformationCredibility,
		Version: c.Version, CreatedAt: c.CreatedAt.UTC(), UpdatedAt: c.UpdatedAt.UTC(),
	}
}

// LawyerView is a lawyer as the caller may see it.
type LawyerView struct {
	ID                string      `json:"id"`
	UserID            *string     `json:"user_id"`
	Name              string      `json:"name"`
	OtherNames        []OtherName `json:"other_names"`
	LawFirm           string      `json:"law_firm"`
	LicenceNumber     string      `json:"licence_number"`
	Jurisdiction      string      `json:"jurisdiction"`
	LicenceStatus     string      `json:"licence_status"`
	RiskStatus        []string    `json:"risk_status"`
	Contact           *string     `json:"contact,omitempty"`
	ConfidentialNotes *string     `json:"confidential_notes,omitempty"`
	Confidential      bool        `json:"confidential"`
	// DetaineeID is the detainee record that is this lawyer, when the
	// caller may also see that detainee (else null).
	DetaineeID *string   `json:"detainee_id"`
	Version    int64     `json:"version"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
	// Matched is what a search (q) matched; absent without q.
	Matched *SearchMatch `json:"matched,omitempty"`
}

// View renders l for p. The linked user account is shown to admins,
// coordinators and the lawyer themself only.
func (l *Lawyer) View(p *actor.Principal) LawyerView {
	userID := l.UserID
	if !access.Manages(p) && (userID == nil || p == nil || *userID != p.UserID) {
		userID = nil
	}
	return LawyerView{
		ID: l.ID, UserID: userID, Name: l.Name, OtherNames: orEmpty(l.OtherNames), LawFirm: l.LawFirm,
		LicenceNumber: l.LicenceNumber, Jurisdiction: l.Jurisdiction, LicenceStatus: l.LicenceStatus,
		RiskStatus: orEmpty(l.RiskStatus), Contact: secret(p, l.Contact),
		ConfidentialNotes: secret(p, l.ConfidentialNotes), Confidential: l.Confidential, Version: l.Version,
		CreatedAt: l.CreatedAt.UTC(), UpdatedAt: l.UpdatedAt.UTC(),
	}
}

// AssignmentView is an assignment with its lawyer's name.
type AssignmentView struct {
	ID         string `json:"id"`
	CaseID     string `json:"case_id"`
	LawyerID   string `json:"lawyer_id"`
	LawyerName string `json:"lawyer_name"`
	// LawyerConfidential: the lawyer must not be named outside (observers
	// never get such an assignment).
	LawyerConfidential bool      `json:"lawyer_confidential"`
	Role               string    `json:"role"`
	Status             string    `json:"status"`
	StartedAt          *string   `json:"started_at"`
	EndedAt            *string   `json:"ended_at"`
	Notes              string    `json:"notes"`
	Version            int64     `json:"version"`
	CreatedAt          time.Time `json:"created_at"`
	UpdatedAt          time.Time `json:"updated_at"`
}

// LawyerRef is what an assignment shows of its lawyer.
type LawyerRef struct {
	Name         string
	Confidential bool
}

// View renders a with its lawyer l.
func (a *Assignment) View(l LawyerRef) AssignmentView {
	return AssignmentView{
		ID: a.ID, CaseID: a.CaseID, LawyerID: a.LawyerID, LawyerName: l.Name, LawyerConfidential: l.Confidential, Role: a.Role, Status: a.Status,
		StartedAt: date(a.StartedAt), EndedAt: date(a.EndedAt), Notes: a.Notes, Version: a.Version,
		CreatedAt: a.CreatedAt.UTC(), UpdatedAt: a.UpdatedAt.UTC(),
	}
}

// ShareView is a share of a case with an observer.
type ShareView struct {
	ID     string `json:"id"`
	CaseID string `json:"case_id"`
	UserID string `json:"user_id"`
	// UserName and UserRole name the observer (display name, role) so a
	// manager reads who the case is shared with, not an id.
	UserName  string     `json:"user_name"`
	UserRole  actor.Role `json:"user_role"`
	CreatedBy string     `json:"created_by"`
	CreatedAt time.Time  `json:"created_at"`
	RevokedAt *time.Time `json:"revoked_at"`
	RevokedBy string     `json:"revoked_by"`
}

// View renders s with its observer's display name and role.
func (s *Share) View(u UserRef) ShareView {
	var rev *time.Time
	if s.RevokedAt != nil {
		t := s.RevokedAt.UTC()
		rev = &t
	}
	return ShareView{ID: s.ID, CaseID: s.CaseID, UserID: s.UserID, UserName: u.Name, UserRole: u.Role, CreatedBy: s.CreatedBy,
		CreatedAt: s.CreatedAt.UTC(), RevokedAt: rev, RevokedBy: s.RevokedBy}
}
