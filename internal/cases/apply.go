package cases

import (
	"fmt"
	"strings"
	"time"

	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/partialdate"
	"github.com/habeas-org/habeas/internal/record"
)

// Applying input to the models: each apply validates and normalises the
// fields of its input into the model through a record.ChangeSet, which
// collects the field errors and what changed (for the audit entry).

// otherNames sets the other names *dst from v (at most record.MaxList,
// each a name and a kind of NameKinds, "other" when empty).
func otherNames(c *record.ChangeSet, dst *record.JSONList[OtherName], v *[]OtherName, field string) {
	if v == nil {
		return
	}
	if len(*v) > record.MaxList {
		c.Fail(field, fmt.Sprintf("at most %d names", record.MaxList))
		return
	}
	out := make(record.JSONList[OtherName], 0, len(*v))
	for i, n := range *v {
		n.Name, n.Kind = record.Clean(n.Name), strings.TrimSpace(n.Kind)
		if n.Name == "" {
			c.Fail(fmt.Sprintf("%s[%d].name", field, i), "required")
			return
		}
		if msg := record.CheckText(n.Name, record.MaxShort); msg != "" {
			c.Fail(fmt.Sprintf("%s[%d].name", field, i), msg)
			return
		}
		if n.Kind == "" {
			n.Kind = "other"
		}
		kind, ok := NameKinds.Resolve(n.Kind)
		if !ok {
			f := fmt.Sprintf("%s[%d].kind", field, i)
			c.Fail(f, c.Unknown(n.Kind, "name_kind", NameKinds))
			return
		}
		n.Kind = kind
		out = append(out, n)
	}
	if !record.Same(*dst, out) {
		*dst = out
		c.Set(field, out, false)
	}
}

// crossRefs sets the cross references *dst from v (at most record.MaxList,
// each with its database and record id).
func crossRefs(c *record.ChangeSet, dst *record.JSONList[CrossReference], v *[]CrossReference, field string) {
	if v == nil {
		return
	}
	if len(*v) > record.MaxList {
		c.Fail(field, fmt.Sprintf("at most %d references", record.MaxList))
		return
	}
	out := make(record.JSONList[CrossReference], 0, len(*v))
	for i, r := range *v {
		r.Database, r.RecordID = record.Clean(r.Database), record.Clean(r.RecordID)
		if r.Database == "" || r.RecordID == "" {
			c.Fail(fmt.Sprintf("%s[%d]", field, i), "database and record_id are required")
			return
		}
		if record.CheckText(r.Database, record.MaxShort) != "" || record.CheckText(r.RecordID, record.MaxShort) != "" {
			c.Fail(fmt.Sprintf("%s[%d]", field, i), "too long or not valid text")
			return
		}
		out = append(out, r)
	}
	if !record.Same(*dst, out) {
		*dst = out
		c.Set(field, out, false)
	}
}

func (d *Detainee) refreshSearch() {
	forms := []string{d.Name}
	for _, n := range d.OtherNames {
		forms = append(forms, n.Name)
	}
	d.Search = record.SearchText(forms...)
}

func (l *Lawyer) refreshSearch() {
	forms := []string{l.Name, l.LawFirm, l.LicenceNumber}
	for _, n := range l.OtherNames {
		forms = append(forms, n.Name)
	}
	l.Search = record.SearchText(forms...)
}

func (c *Case) refreshSearch() {
	c.Search = record.SearchText(append([]string{c.Title}, c.CaseNumbers...)...)
}

func (d *Detainee) apply(in DetaineeFields, c *record.ChangeSet) {
	c.Required(&d.Name, in.Name, "name")
	otherNames(c, &d.OtherNames, in.OtherNames, "other_names")
	c.Vocab(&d.Sex, in.Sex, "sex", Sexes)
	c.Date(&d.BornAt, &d.BornAtSort, in.BornAt, "born_at")
	c.Date(&d.DiedAt, &d.DiedAtSort, in.DiedAt, "died_at")
	if (in.BornAt != nil || in.DiedAt != nil) && d.BornAt != "" && d.DiedAt != "" && datesReversed(d.BornAt, d.DiedAt) {
		field := "died_at"
		if in.DiedAt == nil {
			field = "born_at"
		}
		c.FailCode(field, apperr.FieldBeforeStart, "the date of death "+d.DiedAt+" is before the date of birth "+d.BornAt)
	}
	c.Text(&d.EthnicGroup, in.EthnicGroup, "ethnic_group", record.MaxShort, false)
	c.Text(&d.Religion, in.Religion, "religion", record.MaxShort, false)
	c.Text(&d.OccupationCategory, in.OccupationCategory, "occupation_category", record.MaxShort, false)
	c.Text(&d.Occupation, in.Occupation, "occupation", record.MaxShort, false)
	c.Text(&d.HomeProvince, in.HomeProvince, "home_province", record.MaxShort, false)
	c.Text(&d.HomePlace, in.HomePlace, "home_place", record.MaxShort, false)
	c.Text(&d.Nationality, in.Nationality, "nationality", record.MaxShort, false)
	c.Vocab(&d.Issue, in.Issue, "issue", IssueCategories)
	c.Vocab(&d.DetentionStatus, in.DetentionStatus, "detention_status", DetentionStatuses)
	c.Text(&d.DetentionPlace, in.DetentionPlace, "detention_place", record.MaxShort, false)
	c.Vocab(&d.FacilityType, in.FacilityType, "facility_type", FacilityTypes)
	c.Text(&d.HealthConcerns, in.HealthConcerns, "health_concerns", record.MaxLong, false)
	c.Text(&d.FamilyContacts, in.FamilyContacts, "family_contacts", record.MaxLong, true)
	c.Text(&d.HomeAddress, in.HomeAddress, "home_address", record.MaxLong, true)
	c.Text(&d.ConfidentialNotes, in.ConfidentialNotes, "confidential_notes", record.MaxLong, true)
	crossRefs(c, &d.CrossReferences, in.CrossReferences, "cross_references")
	c.Text(&d.Summary, in.Summary, "summary", record.MaxLong, false)
	c.Text(&d.Source, in.Source, "source", record.MaxLong, false)
	c.Vocab(&d.SourceReliability, in.SourceReliability, "source_reliability", SourceReliability)
	c.Vocab(&d.InformationCredibility, in.InformationCredibility, "information_credibility", InformationCredibility)
	d.refreshSearch()
}

func (k *Case) apply(in CaseFields, c *record.ChangeSet) {
	c.Strings(&k.CaseNumbers, in.CaseNumbers, "case_numbers", nil)
	c.Text(&k.Title, in.Title, "title", record.MaxShort, false)
	c.Vocab(&k.Status, in.Status, "status", CaseStatuses)
	c.Vocab(&k.Stage, in.Stage, "stage", Stages)
	c.Text(&k.DetainingAuthority, in.DetainingAuthority, "detaining_authority", record.MaxShort, false)
	c.Text(&k.InvestigatingAuthority, in.InvestigatingAuthority, "investigating_authority", record.MaxShort, false)
	c.Text(&k.Procuratorate, in.Procuratorate, "procuratorate", record.MaxShort, false)
	c.Text(&k.Court, in.Court, "court", record.MaxShort, false)
	c.Text(&k.DetentionPlace, in.DetentionPlace, "detention_place", record.MaxShort, false)
	c.Date(&k.DetainedAt, &k.DetainedAtSort, in.DetainedAt, "detained_at")
	c.Date(&k.RSDLStartAt, &k.RSDLStartAtSort, in.RSDLStartAt, "rsdl_start_at")
	c.Date(&k.RSDLEndAt, &k.RSDLEndAtSort, in.RSDLEndAt, "rsdl_end_at")
	c.Date(&k.ArrestApprovedAt, &k.ArrestApprovedAtSort, in.ArrestApprovedAt, "arrest_approved_at")
	c.Date(&k.IndictedAt, &k.IndictedAtSort, in.IndictedAt, "indicted_at")
	c.Date(&k.TrialAt, &k.TrialAtSort, in.TrialAt, "trial_at")
	c.Date(&k.VerdictAt, &k.VerdictAtSort, in.VerdictAt, "verdict_at")
	c.Date(&k.AppealAt, &k.AppealAtSort, in.AppealAt, "appeal_at")
	c.Date(&k.SentenceStartAt, &k.SentenceStartAtSort, in.SentenceStartAt, "sentence_start_at")
	c.Date(&k.SentenceEndAt, &k.SentenceEndAtSort, in.SentenceEndAt, "sentence_end_at")
	c.Date(&k.ReleaseAt, &k.ReleaseAtSort, in.ReleaseAt, "release_at")
	c.Text(&k.Sentence, in.Sentence, "sentence", record.MaxShort, false)
	k.applySentence(in, c)
	c.Text(&k.Summary, in.Summary, "summary", record.MaxLong, false)
	c.Text(&k.ConfidentialNotes, in.ConfidentialNotes, "confidential_notes", record.MaxLong, true)
	c.Text(&k.Source, in.Source, "source", record.MaxLong, false)
	c.Vocab(&k.SourceReliability, in.SourceReliability, "source_reliability", SourceReliability)
	c.Vocab(&k.InformationCredibility, in.InformationCredibility, "information_credibility", InformationCredibility)
	charges(c, k, in.Charges)
	k.refreshSearch()
}

// charges sets the charges of k from v (at most record.MaxList, each a
// charge of Charges, by value, label or alias, with its detail, required
// for "other").
func charges(c *record.ChangeSet, k *Case, v *[]ChargeInput) {
	if v == nil {
		return
	}
	if len(*v) > record.MaxList {
		c.Fail("charges", fmt.Sprintf("at most %d charges", record.MaxList))
		return
	}
	var out []Charge
	var rec []ChargeInput
	for i, ch := range *v {
		ch.Charge, ch.Detail = strings.TrimSpace(ch.Charge), record.Clean(ch.Detail)
		value, ok := Charges.Resolve(ch.Charge)
		if !ok {
			field := fmt.Sprintf("charges[%d].charge", i)
			c.Fail(field, c.Unknown(ch.Charge, field, Charges))
			continue
		}
		ch.Charge = value
		if msg := record.CheckText(ch.Detail, record.MaxShort); msg != "" {
			c.Fail(fmt.Sprintf("charges[%d].detail", i), msg)
			continue
		}
		if ch.Charge == "other" && ch.Detail == "" {
			c.Fail(fmt.Sprintf("charges[%d].detail", i), "required for charge other")
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
		c.Set("charges", rec, false)
	}
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

func (l *Lawyer) apply(in LawyerFields, c *record.ChangeSet) {
	c.Required(&l.Name, in.Name, "name")
	otherNames(c, &l.OtherNames, in.OtherNames, "other_names")
	c.Text(&l.LawFirm, in.LawFirm, "law_firm", record.MaxShort, false)
	c.Text(&l.LicenceNumber, in.LicenceNumber, "licence_number", record.MaxShort, false)
	c.Text(&l.Jurisdiction, in.Jurisdiction, "jurisdiction", record.MaxShort, false)
	c.Vocab(&l.LicenceStatus, in.LicenceStatus, "licence_status", LicenceStatuses)
	c.Strings(&l.RiskStatus, in.RiskStatus, "risk_status", RiskStatuses)
	c.Text(&l.Contact, in.Contact, "contact", record.MaxLong, true)
	c.Text(&l.ConfidentialNotes, in.ConfidentialNotes, "confidential_notes", record.MaxLong, true)
	if in.Confidential != nil && *in.Confidential != l.Confidential {
		l.Confidential = *in.Confidential
		c.Set("confidential", l.Confidential, false)
	}
	l.refreshSearch()
}

func (a *Assignment) apply(in AssignmentFields, c *record.ChangeSet) {
	if in.Role != nil && strings.TrimSpace(*in.Role) == "" {
		c.Fail("role", "required")
	}
	if in.Status != nil && strings.TrimSpace(*in.Status) == "" {
		c.Fail("status", "required")
	}
	c.Vocab(&a.Role, in.Role, "role", AssignmentRoles)
	c.Vocab(&a.Status, in.Status, "status", AssignmentStatuses)
	c.Date(&a.StartedAt, &a.StartedAtSort, in.StartedAt, "started_at")
	c.Date(&a.EndedAt, &a.EndedAtSort, in.EndedAt, "ended_at")
	c.Text(&a.Notes, in.Notes, "notes", record.MaxLong, false)
}

// maxMonths bounds a term in months (50 years: above any term the Criminal
// Law allows, combined sentences included).
const maxMonths = 600

// months sets *dst from v: null clears it, a number must be 1..maxMonths.
func months(c *record.ChangeSet, dst **int, v NullInt, field string) {
	if !v.Set {
		return
	}
	if v.Value == nil {
		if *dst != nil {
			*dst = nil
			c.Set(field, nil, false)
		}
		return
	}
	n := *v.Value
	if n < 1 || n > maxMonths {
		c.Fail(field, fmt.Sprintf("from 1 to %d months, or null", maxMonths))
		return
	}
	if *dst == nil || **dst != n {
		*dst = &n
		c.Set(field, n, false)
	}
}

// applySentence applies the sentence and the UN consent record. A term in
// months goes only with a sentence kind that has one (fixed_term,
// public_surveillance, criminal_detention_sentence); the error names the
// field the request sent.
func (k *Case) applySentence(in CaseFields, c *record.ChangeSet) {
	c.Vocab(&k.SentenceKind, in.SentenceKind, "sentence_kind", SentenceKinds)
	months(c, &k.SentenceTermMonths, in.SentenceTermMonths, "sentence_term_months")
	months(c, &k.PoliticalRightsMonths, in.PoliticalRightsMonths, "political_rights_months")
	if k.SentenceTermMonths != nil && !termSentences[k.SentenceKind] {
		field := "sentence_term_months"
		if !in.SentenceTermMonths.Set {
			field = "sentence_kind"
		}
		c.Fail(field, "a term in months goes only with sentence_kind fixed_term, public_surveillance or criminal_detention_sentence")
	}
	c.Date(&k.SentenceInForceAt, &k.SentenceInForceAtSort, in.SentenceInForceAt, "sentence_in_force_at")
	c.Text(&k.UNConsentBy, in.UNConsentBy, "un_consent_by", record.MaxShort, true)
	c.Date(&k.UNConsentAt, &k.UNConsentAtSort, in.UNConsentAt, "un_consent_at")
	c.Vocab(&k.UNConsentMethod, in.UNConsentMethod, "un_consent_method", ConsentMethods)
}

// datesReversed reports whether the partial date to certainly lies before
// from (the latest day to can be is before the earliest day from can be).
func datesReversed(from, to string) bool {
	f, err1 := partialdate.Parse(from, time.UTC)
	t, err2 := partialdate.Parse(to, time.UTC)
	return err1 == nil && err2 == nil && t.Latest(time.UTC).Before(f.Earliest(time.UTC))
}
