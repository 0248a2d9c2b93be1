package cases

import (
	"encoding/json"
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"
)

// CSV import and export of detainees. Both stream: export reads the visible
// records in keyset batches and writes them as it goes; import reads one
// record at a time and writes it inside one transaction that commits only
// if every line is valid (on_error=abort, all or nothing) or that stores the
// valid lines and reports the others (on_error=skip). Multi-valued cells
// (other_names, cross_references) are JSON arrays; one name form can also be
// given in a column mapped to "other_names.<kind>" (e.g. other_names.pinyin),
// and columns mapped to "case.<field>" (e.g. case.sentence) create one case
// for a new detainee.
//
// Spreadsheet formula injection: on export a cell that a spreadsheet could
// read as a formula (needsGuard: it starts, maybe after spaces, with = + - @
// | or their full-width or small forms, or with tab, CR, LF or ') gets a
// leading '; on import one leading ' before such a cell is removed, so
// export then import gives back the same text.

// csvColumn is one exportable and importable detainee field.
type csvColumn struct {
	name         string
	confidential bool
	get          func(d *Detainee) string
	set          func(in *DetaineeFields, v string) error
}

func str(f func(in *DetaineeFields) **string) func(in *DetaineeFields, v string) error {
	return func(in *DetaineeFields, v string) error {
		*f(in) = &v
		return nil
	}
}

func jsonCell[T any](v []T) string {
	if len(v) == 0 {
		return ""
	}
	b, _ := json.Marshal(v)
	return string(b)
}

var errJSONCell = errors.New(`a JSON array, e.g. [{"name":"Ding Jiaxi","kind":"pinyin"}]`)

var csvColumns = []csvColumn{
	{name: "id", get: func(d *Detainee) string { return d.ID }},
	{name: "name", get: func(d *Detainee) string { return d.Name }, set: str(func(in *DetaineeFields) **string { return &in.Name })},
	{name: "other_names", get: func(d *Detainee) string { return jsonCell(d.OtherNames) }, set: func(in *DetaineeFields, v string) error {
		var names []OtherName
		if strings.TrimSpace(v) != "" {
			dec := json.NewDecoder(strings.NewReader(v))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&names); err != nil {
				return errJSONCell
			}
		}
		if in.OtherNames == nil {
			in.OtherNames = &[]OtherName{}
		}
		*in.OtherNames = append(names, *in.OtherNames...)
		return nil
	}},
	{name: "sex", get: func(d *Detainee) string { return d.Sex }, set: str(func(in *DetaineeFields) **string { return &in.Sex })},
	{name: "born_at", get: func(d *Detainee) string { return d.BornAt }, set: str(func(in *DetaineeFields) **string { return &in.BornAt })},
	{name: "died_at", get: func(d *Detainee) string { return d.DiedAt }, set: str(func(in *DetaineeFields) **string { return &in.DiedAt })},
	{name: "ethnic_group", get: func(d *Detainee) string { return d.EthnicGroup }, set: str(func(in *DetaineeFields) **string { return &in.EthnicGroup })},
	{name: "nationality", get: func(d *Detainee) string { return d.Nationality }, set: str(func(in *DetaineeFields) **string { return &in.Nationality })},
	{name: "religion", get: func(d *Detainee) string { return d.Religion }, set: str(func(in *DetaineeFields) **string { return &in.Religion })},
	{name: "occupation_category", get: func(d *Detainee) string { return d.OccupationCategory }, set: str(func(in *DetaineeFields) **string { return &in.OccupationCategory })},
	{name: "occupation", get: func(d *Detainee) string { return d.Occupation }, set: str(func(in *DetaineeFields) **string { return &in.Occupation })},
	{name: "home_province", get: func(d *Detainee) string { return d.HomeProvince }, set: str(func(in *DetaineeFields) **string { return &in.HomeProvince })},
	{name: "home_place", get: func(d *Detainee) string { return d.HomePlace }, set: str(func(in *DetaineeFields) **string { return &in.HomePlace })},
	{name: "issue", get: func(d *Detainee) string { return d.Issue }, set: str(func(in *DetaineeFields) **string { return &in.Issue })},
	{name: "detention_status", get: func(d *Detainee) string { return d.DetentionStatus }, set: str(func(in *DetaineeFields) **string { return &in.DetentionStatus })},
	{name: "detention_place", get: func(d *Detainee) string { return d.DetentionPlace }, set: str(func(in *DetaineeFields) **string { return &in.DetentionPlace })},
	{name: "facility_type", get: func(d *Detainee) string { return d.FacilityType }, set: str(func(in *DetaineeFields) **string { return &in.FacilityType })},
	{name: "health_concerns", get: func(d *Detainee) string { return d.HealthConcerns }, set: str(func(in *DetaineeFields) **string { return &in.HealthConcerns })},
	{name: "cross_references", get: func(d *Detainee) string { return jsonCell(d.CrossReferences) }, set: func(in *DetaineeFields, v string) error {
		refs := []CrossReference{}
		if strings.TrimSpace(v) != "" {
			dec := json.NewDecoder(strings.NewReader(v))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&refs); err != nil {
				return errors.New(`a JSON array, e.g. [{"database":"CECC","record_id":"2019-00123"}]`)
			}
		}
		in.CrossReferences = &refs
		return nil
	}},
	{name: "summary", get: func(d *Detainee) string { return d.Summary }, set: str(func(in *DetaineeFields) **string { return &in.Summary })},
	{name: "source", get: func(d *Detainee) string { return d.Source }, set: str(func(in *DetaineeFields) **string { return &in.Source })},
	{name: "source_reliability", get: func(d *Detainee) string { return d.SourceReliability }, set: str(func(in *DetaineeFields) **string { return &in.SourceReliability })},
	{name: "information_credibility", get: func(d *Detainee) string { return d.InformationCredibility }, set: str(func(in *DetaineeFields) **string { return &in.InformationCredibility })},
	{name: "family_contacts", confidential: true, get: func(d *Detainee) string { return d.FamilyContacts }, set: str(func(in *DetaineeFields) **string { return &in.FamilyContacts })},
	{name: "home_address", confidential: true, get: func(d *Detainee) string { return d.HomeAddress }, set: str(func(in *DetaineeFields) **string { return &in.HomeAddress })},
	{name: "confidential_notes", confidential: true, get: func(d *Detainee) string { return d.ConfidentialNotes }, set: str(func(in *DetaineeFields) **string { return &in.ConfidentialNotes })},
}

// CSVFields lists the field names an import column may be mapped to: the
// detainee columns of the export, other_names.<kind> and case.<field>.
func CSVFields() []string {
	out := make([]string, 0, len(csvColumns)+len(NameKinds))
	for _, c := range csvColumns {
		out = append(out, c.name)
	}
	for _, k := range NameKinds {
		out = append(out, "other_names."+k.Value)
	}
	for _, c := range csvCaseColumns {
		out = append(out, "case."+c.name)
	}
	return out
}

// formulaStarts are the characters that make a spreadsheet (Excel,
// LibreOffice, Google Sheets, Numbers) read a cell as a formula or a DDE
// call when it starts with one: = + - @ and the pipe, their full-width and
// small forms (which spreadsheets in CJK locales convert to the ASCII ones:
// ＝ ＋ － ＠ ｜ ﹦ ﹢ ﹣ ﹫) and the minus sign U+2212; ' is included so that a
// value starting with it survives the round trip.
const formulaStarts = "=+-@|'＝＋－＠｜﹦﹢﹣﹫−"

// needsGuard reports whether a spreadsheet could read s as a formula: its
// first character, or its first after leading spaces (which some
// spreadsheets skip), is in formulaStarts, or it starts with a tab, CR or
// LF.
func needsGuard(s string) bool {
	if s == "" {
		return false
	}
	if s[0] == '\t' || s[0] == '\r' || s[0] == '\n' {
		return true
	}
	t := strings.TrimLeftFunc(s, unicode.IsSpace)
	r, _ := utf8.DecodeRuneInString(t)
	return t != "" && strings.ContainsRune(formulaStarts, r)
}

// formulaSafe is a cell of the export: s with a leading ' when a
// spreadsheet could read it as a formula.
func formulaSafe(s string) string {
	if needsGuard(s) {
		return "'" + s
	}
	return s
}

// unFormula undoes formulaSafe on import: it removes one leading ' that
// guards a formula start, and nothing else.
func unFormula(s string) string {
	if strings.HasPrefix(s, "'") && needsGuard(s[1:]) {
		return s[1:]
	}
	return s
}

// csvCaseColumn is a case field an import column may be mapped to, as
// "case.<name>": a line creating a detainee with any such cell non-empty also
// creates one case for that detainee (export has no case columns).
type csvCaseColumn struct {
	name string
	set  func(in *CaseFields, v string) error
}

func caseStr(f func(in *CaseFields) **string) func(in *CaseFields, v string) error {
	return func(in *CaseFields, v string) error {
		*f(in) = &v
		return nil
	}
}

// listCell splits a cell holding several values: a JSON array of strings,
// or values separated by ";" (or the full-width "；"; not "、", which
// Chinese charge names contain).
func listCell(v string) ([]string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return []string{}, nil
	}
	if strings.HasPrefix(v, "[") {
		var out []string
		if err := json.Unmarshal([]byte(v), &out); err != nil {
			return nil, errors.New(`a JSON array of texts, or texts separated by ";"`)
		}
		return out, nil
	}
	out := []string{}
	for _, s := range strings.FieldsFunc(v, func(r rune) bool { return r == ';' || r == '；' }) {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out, nil
}

var csvCaseColumns = []csvCaseColumn{
	{name: "title", set: caseStr(func(in *CaseFields) **string { return &in.Title })},
	{name: "case_numbers", set: func(in *CaseFields, v string) error {
		l, err := listCell(v)
		in.CaseNumbers = &l
		return err
	}},
	{name: "status", set: caseStr(func(in *CaseFields) **string { return &in.Status })},
	{name: "stage", set: caseStr(func(in *CaseFields) **string { return &in.Stage })},
	{name: "charges", set: func(in *CaseFields, v string) error {
		l, err := listCell(v)
		charges := make([]ChargeInput, len(l))
		for i, c := range l {
			charges[i] = ChargeInput{Charge: c}
		}
		in.Charges = &charges
		return err
	}},
	{name: "detaining_authority", set: caseStr(func(in *CaseFields) **string { return &in.DetainingAuthority })},
	{name: "investigating_authority", set: caseStr(func(in *CaseFields) **string { return &in.InvestigatingAuthority })},
	{name: "procuratorate", set: caseStr(func(in *CaseFields) **string { return &in.Procuratorate })},
	{name: "court", set: caseStr(func(in *CaseFields) **string { return &in.Court })},
	{name: "detention_place", set: caseStr(func(in *CaseFields) **string { return &in.DetentionPlace })},
	{name: "detained_at", set: caseStr(func(in *CaseFields) **string { return &in.DetainedAt })},
	{name: "arrest_approved_at", set: caseStr(func(in *CaseFields) **string { return &in.ArrestApprovedAt })},
	{name: "indicted_at", set: caseStr(func(in *CaseFields) **string { return &in.IndictedAt })},
	{name: "trial_at", set: caseStr(func(in *CaseFields) **string { return &in.TrialAt })},
	{name: "verdict_at", set: caseStr(func(in *CaseFields) **string { return &in.VerdictAt })},
	{name: "release_at", set: caseStr(func(in *CaseFields) **string { return &in.ReleaseAt })},
	{name: "sentence", set: caseStr(func(in *CaseFields) **string { return &in.Sentence })},
	{name: "sentence_kind", set: caseStr(func(in *CaseFields) **string { return &in.SentenceKind })},
	{name: "sentence_start_at", set: caseStr(func(in *CaseFields) **string { return &in.SentenceStartAt })},
	{name: "sentence_end_at", set: caseStr(func(in *CaseFields) **string { return &in.SentenceEndAt })},
	{name: "summary", set: caseStr(func(in *CaseFields) **string { return &in.Summary })},
	{name: "source", set: caseStr(func(in *CaseFields) **string { return &in.Source })},
}
