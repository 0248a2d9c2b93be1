package cases

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/partialdate"
)

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
	EthnicGroup            *string           `json:"ethnic_group"`
	Religion               *string           `json:"religion"`
	OccupationCategory     *string           `json:"occupation_category"`
	Occupation             *string           `json:"occupation"`
	HomeProvince           *string           `json:"home_province"`
	HomePlace              *string           `json:"home_place"`
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

const (
	maxShort = 500
	maxLong  = 20000
	maxList  = 50
)

// Clean NFC-normalises and trims text input.
func Clean(s string) string { return strings.TrimSpace(norm.NFC.String(s)) }

// changeSet applies input fields to a model and remembers what changed, for
// the audit entry: new values of ordinary fields, only names of confidential ones.
type changeSet struct {
	values map[string]any
	secret []string
	errs   map[string]string
}

func newChangeSet() *changeSet {
	return &changeSet{values: map[string]any{}, errs: map[string]string{}}
}

func (c *changeSet) fail(field, msg string) {
	if _, dup := c.errs[field]; !dup {
		c.errs[field] = msg
	}
}

func (c *changeSet) record(field string, v any, confidential bool) {
	if confidential {
		c.secret = append(c.secret, field)
		return
	}
	c.values[field] = v
}

func (c *changeSet) empty() bool { return len(c.values) == 0 && len(c.secret) == 0 }

func (c *changeSet) err() error {
	if len(c.errs) == 0 {
		return nil
	}
	return apperr.Invalid("validation_failed", "the request has invalid fields", c.errs)
}

// details is the audit details of the change.
func (c *changeSet) details() map[string]any {
	d := map[string]any{"fields": c.values}
	if len(c.secret) > 0 {
		d["confidential_fields"] = c.secret
	}
	return d
}

func checkText(s string, max int) string {
	switch {
	case !utf8.ValidString(s):
		return "not valid UTF-8"
	case utf8.RuneCountInString(s) > max:
		return fmt.Sprintf("at most %d characters", max)
	case strings.ContainsRune(s, 0):
		return "contains a NUL character"
	}
	return ""
}

func (c *changeSet) text(dst *string, v *string, field string, max int, confidential bool) {
	if v == nil {
		return
	}
	s := Clean(*v)
	if msg := checkText(s, max); msg != "" {
		c.fail(field, msg)
		return
	}
	if s != *dst {
		*dst = s
		c.record(field, s, confidential)
	}
}

func (c *changeSet) required(dst *string, v *string, field string) {
	if v != nil && Clean(*v) == "" {
		c.fail(field, "required")
		return
	}
	c.text(dst, v, field, maxShort, false)
}

func (c *changeSet) vocab(dst *string, v *string, field string, voc Vocabulary) {
	if v == nil {
		return
	}
	s := strings.TrimSpace(*v)
	if s != "" && !voc.Has(s) {
		c.fail(field, "not a known value (see /api/v1/vocabularies)")
		return
	}
	if s != *dst {
		*dst = s
		c.record(field, s, false)
	}
}

// ParseDate parses a partial date as stored: "" (unknown), YYYY, YYYY-MM or
// YYYY-MM-DD, optionally followed by "~"; it returns the text and sort key.
func ParseDate(s string) (text, sort string, err error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", "", nil
	}
	if len(s) > 11 { // no timestamps: a date of a life is a calendar date
		return "", "", partialdate.ErrInvalid
	}
	d, err := partialdate.Parse(s, time.UTC)
	if err != nil {
		return "", "", err
	}
	return d.String(), d.SortKey(), nil
}

func (c *changeSet) date(dst, dstSort *string, v *string, field string) {
	if v == nil {
		return
	}
	text, sort, err := ParseDate(*v)
	if err != nil {
		c.fail(field, "use YYYY, YYYY-MM or YYYY-MM-DD, with a trailing ~ when approximate")
		return
	}
	if text != *dst {
		*dst, *dstSort = text, sort
		c.record(field, text, false)
	}
}

func (c *changeSet) otherNames(dst *JSONList[OtherName], v *[]OtherName, field string) {
	if v == nil {
		return
	}
	if len(*v) > maxList {
		c.fail(field, fmt.Sprintf("at most %d names", maxList))
		return
	}
	out := make(JSONList[OtherName], 0, len(*v))
	for i, n := range *v {
		n.Name, n.Kind = Clean(n.Name), strings.TrimSpace(n.Kind)
		if n.Name == "" {
			c.fail(fmt.Sprintf("%s[%d].name", field, i), "required")
			return
		}
		if msg := checkText(n.Name, maxShort); msg != "" {
			c.fail(fmt.Sprintf("%s[%d].name", field, i), msg)
			return
		}
		if n.Kind == "" {
			n.Kind = "other"
		}
		if !NameKinds.Has(n.Kind) {
			c.fail(fmt.Sprintf("%s[%d].kind", field, i), "not a known name kind")
			return
		}
		out = append(out, n)
	}
	if !sameJSON(*dst, out) {
		*dst = out
		c.record(field, out, false)
	}
}

func (c *changeSet) crossRefs(dst *JSONList[CrossReference], v *[]CrossReference, field string) {
	if v == nil {
		return
	}
	if len(*v) > maxList {
		c.fail(field, fmt.Sprintf("at most %d references", maxList))
		return
	}
	out := make(JSONList[CrossReference], 0, len(*v))
	for i, r := range *v {
		r.Database, r.RecordID = Clean(r.Database), Clean(r.RecordID)
		if r.Database == "" || r.RecordID == "" {
			c.fail(fmt.Sprintf("%s[%d]", field, i), "database and record_id are required")
			return
		}
		if checkText(r.Database, maxShort) != "" || checkText(r.RecordID, maxShort) != "" {
			c.fail(fmt.Sprintf("%s[%d]", field, i), "too long or not valid text")
			return
		}
		out = append(out, r)
	}
	if !sameJSON(*dst, out) {
		*dst = out
		c.record(field, out, false)
	}
}

func (c *changeSet) strings(dst *JSONList[string], v *[]string, field string, voc Vocabulary) {
	if v == nil {
		return
	}
	if len(*v) > maxList {
		c.fail(field, fmt.Sprintf("at most %d values", maxList))
		return
	}
	out := make(JSONList[string], 0, len(*v))
	seen := map[string]bool{}
	for i, s := range *v {
		s = Clean(s)
		if s == "" || checkText(s, maxShort) != "" {
			c.fail(fmt.Sprintf("%s[%d]", field, i), "empty, too long or not valid text")
			return
		}
		if voc != nil && !voc.Has(s) {
			c.fail(fmt.Sprintf("%s[%d]", field, i), "not a known value (see /api/v1/vocabularies)")
			return
		}
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	if !sameJSON(*dst, out) {
		*dst = out
		c.record(field, out, false)
	}
}

func sameJSON[T comparable](a, b []T) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// searchText is the normalised search column: lower-cased NFC forms, one per line.
func searchText(forms ...string) string {
	var b strings.Builder
	for _, f := range forms {
		f = strings.ToLower(Clean(f))
		if f == "" {
			continue
		}
		b.WriteString("\n")
		b.WriteString(f)
	}
	if b.Len() == 0 {
		return ""
	}
	b.WriteString("\n")
	return b.String()
}

func (d *Detainee) refreshSearch() {
	forms := []string{d.Name}
	for _, n := range d.OtherNames {
		forms = append(forms, n.Name)
	}
	d.Search = searchText(forms...)
}

func (l *Lawyer) refreshSearch() {
	forms := []string{l.Name, l.LawFirm, l.LicenceNumber}
	for _, n := range l.OtherNames {
		forms = append(forms, n.Name)
	}
	l.Search = searchText(forms...)
}

func (c *Case) refreshSearch() {
	c.Search = searchText(append([]string{c.Title}, c.CaseNumbers...)...)
}

func (d *Detainee) apply(in DetaineeFields, c *changeSet) {
	c.required(&d.Name, in.Name, "name")
	c.otherNames(&d.OtherNames, in.OtherNames, "other_names")
	c.vocab(&d.Sex, in.Sex, "sex", Sexes)
	c.date(&d.BornAt, &d.BornAtSort, in.BornAt, "born_at")
	c.text(&d.EthnicGroup, in.EthnicGroup, "ethnic_group", maxShort, false)
	c.text(&d.Religion, in.Religion, "religion", maxShort, false)
	c.text(&d.OccupationCategory, in.OccupationCategory, "occupation_category", maxShort, false)
	c.text(&d.Occupation, in.Occupation, "occupation", maxShort, false)
	c.text(&d.HomeProvince, in.HomeProvince, "home_province", maxShort, false)
	c.text(&d.HomePlace, in.HomePlace, "home_place", maxShort, false)
	c.vocab(&d.Issue, in.Issue, "issue", IssueCategories)
	c.vocab(&d.DetentionStatus, in.DetentionStatus, "detention_status", DetentionStatuses)
	c.text(&d.DetentionPlace, in.DetentionPlace, "detention_place", maxShort, false)
	c.vocab(&d.FacilityType, in.FacilityType, "facility_type", FacilityTypes)
	c.text(&d.HealthConcerns, in.HealthConcerns, "health_concerns", maxLong, false)
	c.text(&d.FamilyContacts, in.FamilyContacts, "family_contacts", maxLong, true)
	c.text(&d.HomeAddress, in.HomeAddress, "home_address", maxLong, true)
	c.text(&d.ConfidentialNotes, in.ConfidentialNotes, "confidential_notes", maxLong, true)
	c.crossRefs(&d.CrossReferences, in.CrossReferences, "cross_references")
	c.text(&d.Summary, in.Summary, "summary", maxLong, false)
	c.text(&d.Source, in.Source, "source", maxLong, false)
	c.vocab(&d.SourceReliability, in.SourceReliability, "source_reliability", SourceReliability)
	c.vocab(&d.InformationCredibility, in.InformationCredibility, "information_credibility", InformationCredibility)
	d.refreshSearch()
}

func (k *Case) apply(in CaseFields, c *changeSet) {
	c.strings(&k.CaseNumbers, in.CaseNumbers, "case_numbers", nil)
	c.text(&k.Title, in.Title, "title", maxShort, false)
	c.vocab(&k.Status, in.Status, "status", CaseStatuses)
	c.vocab(&k.Stage, in.Stage, "stage", Stages)
	c.text(&k.DetainingAuthority, in.DetainingAuthority, "detaining_authority", maxShort, false)
	c.text(&k.InvestigatingAuthority, in.InvestigatingAuthority, "investigating_authority", maxShort, false)
	c.text(&k.Procuratorate, in.Procuratorate, "procuratorate", maxShort, false)
	c.text(&k.Court, in.Court, "court", maxShort, false)
	c.text(&k.DetentionPlace, in.DetentionPlace, "detention_place", maxShort, false)
	c.date(&k.DetainedAt, &k.DetainedAtSort, in.DetainedAt, "detained_at")
	c.date(&k.RSDLStartAt, &k.RSDLStartAtSort, in.RSDLStartAt, "rsdl_start_at")
	c.date(&k.RSDLEndAt, &k.RSDLEndAtSort, in.RSDLEndAt, "rsdl_end_at")
	c.date(&k.ArrestApprovedAt, &k.ArrestApprovedAtSort, in.ArrestApprovedAt, "arrest_approved_at")
	c.date(&k.IndictedAt, &k.IndictedAtSort, in.IndictedAt, "indicted_at")
	c.date(&k.TrialAt, &k.TrialAtSort, in.TrialAt, "trial_at")
	c.date(&k.VerdictAt, &k.VerdictAtSort, in.VerdictAt, "verdict_at")
	c.date(&k.AppealAt, &k.AppealAtSort, in.AppealAt, "appeal_at")
	c.date(&k.SentenceStartAt, &k.SentenceStartAtSort, in.SentenceStartAt, "sentence_start_at")
	c.date(&k.SentenceEndAt, &k.SentenceEndAtSort, in.SentenceEndAt, "sentence_end_at")
	c.date(&k.ReleaseAt, &k.ReleaseAtSort, in.ReleaseAt, "release_at")
	c.text(&k.Sentence, in.Sentence, "sentence", maxShort, false)
	c.text(&k.Summary, in.Summary, "summary", maxLong, false)
	c.text(&k.ConfidentialNotes, in.ConfidentialNotes, "confidential_notes", maxLong, true)
	c.text(&k.Source, in.Source, "source", maxLong, false)
	c.vocab(&k.SourceReliability, in.SourceReliability, "source_reliability", SourceReliability)
	c.vocab(&k.InformationCredibility, in.InformationCredibility, "information_credibility", InformationCredibility)
	if in.Charges != nil {
		if len(*in.Charges) > maxList {
			c.fail("charges", fmt.Sprintf("at most %d charges", maxList))
		} else {
			var out []Charge
			var rec []ChargeInput
			for i, ch := range *in.Charges {
				ch.Charge, ch.Detail = strings.TrimSpace(ch.Charge), Clean(ch.Detail)
				if !Charges.Has(ch.Charge) {
					c.fail(fmt.Sprintf("charges[%d].charge", i), "not a known charge (see /api/v1/vocabularies)")
					continue
				}
				if msg := checkText(ch.Detail, maxShort); msg != "" {
					c.fail(fmt.Sprintf("charges[%d].detail", i), msg)
					continue
				}
				if ch.Charge == "other" && ch.Detail == "" {
					c.fail(fmt.Sprintf("charges[%d].detail", i), "required for charge other")
					continue
				}
				out = append(out, Charge{CaseID: k.ID, Position: i, Charge: ch.Charge, Detail: ch.Detail})
				rec = append(rec, ch)
			}
			if !sameCharges(k.Charges, out) {
				k.Charges = out
				if rec == nil {
					rec = []ChargeInput{}
				}
				c.record("charges", rec, false)
			}
		}
	}
	k.refreshSearch()
}

func sameCharges(a, b []Charge) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Charge != b[i].Charge || a[i].Detail != b[i].Detail {
			return false
		}
	}
	return true
}

func (l *Lawyer) apply(in LawyerFields, c *changeSet) {
	c.required(&l.Name, in.Name, "name")
	c.otherNames(&l.OtherNames, in.OtherNames, "other_names")
	c.text(&l.LawFirm, in.LawFirm, "law_firm", maxShort, false)
	c.text(&l.LicenceNumber, in.LicenceNumber, "licence_number", maxShort, false)
	c.text(&l.Jurisdiction, in.Jurisdiction, "jurisdiction", maxShort, false)
	c.vocab(&l.LicenceStatus, in.LicenceStatus, "licence_status", LicenceStatuses)
	c.strings(&l.RiskStatus, in.RiskStatus, "risk_status", RiskStatuses)
	c.text(&l.Contact, in.Contact, "contact", maxLong, true)
	c.text(&l.ConfidentialNotes, in.ConfidentialNotes, "confidential_notes", maxLong, true)
	l.refreshSearch()
}

func (a *Assignment) apply(in AssignmentFields, c *changeSet) {
	if in.Role != nil && strings.TrimSpace(*in.Role) == "" {
		c.fail("role", "required")
	}
	if in.Status != nil && strings.TrimSpace(*in.Status) == "" {
		c.fail("status", "required")
	}
	c.vocab(&a.Role, in.Role, "role", AssignmentRoles)
	c.vocab(&a.Status, in.Status, "status", AssignmentStatuses)
	c.date(&a.StartedAt, &a.StartedAtSort, in.StartedAt, "started_at")
	c.date(&a.EndedAt, &a.EndedAtSort, in.EndedAt, "ended_at")
	c.text(&a.Notes, in.Notes, "notes", maxLong, false)
}
