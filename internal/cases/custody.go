package cases

import (
	"time"

	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/partialdate"
	"github.com/habeas-org/habeas/internal/record"
)

// Custody periods (issue 19, docs/custody.md): each period of deprivation
// of liberty (or of a lesser measure: bail, residential surveillance,
// post-release control) of a case's detainee is a record of the case.
// Consecutive periods are the transfer history. After every write of a
// period, the case's key dates are kept in step with its non-confidential
// periods (syncKeyDates).

// CustodyPeriod is one row of custody_periods.
type CustodyPeriod struct {
	ID                string `gorm:"primaryKey"`
	CaseID            string
	Measure           string
	StartedAt         string
	StartedAtSort     string
	EndedAt           string
	EndedAtSort       string
	FacilityName      string
	FacilityKind      string
	FacilityCity      string
	FacilityProvince  string
	Authority         string
	Notes             string
	Source            string
	SourceReliability string
	Confidential      bool
	Version           int64
	CreatedBy         string
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

// TableName is the custody_periods table.
func (CustodyPeriod) TableName() string { return "custody_periods" }

// FacilityFields are the settable fields of the place of a custody period.
type FacilityFields struct {
	Name     *string `json:"name"`
	Kind     *string `json:"kind"`
	City     *string `json:"city"`
	Province *string `json:"province"`
}

// CustodyPeriodFields are the settable fields of a custody period. Absent
// leaves a field as is; "" clears a text or ended_at (measure and
// started_at may not be cleared).
type CustodyPeriodFields struct {
	Measure           *string         `json:"measure"`
	StartedAt         *string         `json:"started_at"`
	EndedAt           *string         `json:"ended_at"`
	Facility          *FacilityFields `json:"facility"`
	Authority         *string         `json:"authority"`
	Notes             *string         `json:"notes"`
	Source            *string         `json:"source"`
	SourceReliability *string         `json:"source_reliability"`
	Confidential      *bool           `json:"confidential"`
}

// apply validates in into cp. Notes and source are named, not copied, in
// the audit entry (as a timeline event's free text); when the period is
// confidential, so are its place and authority.
func (cp *CustodyPeriod) apply(in CustodyPeriodFields, c *record.ChangeSet) {
	if in.Confidential != nil && *in.Confidential != cp.Confidential {
		cp.Confidential = *in.Confidential
		c.Set("confidential", cp.Confidential, false)
	}
	secret := cp.Confidential
	c.RequiredVocab(&cp.Measure, in.Measure, "measure", CustodyMeasures)
	c.Date(&cp.StartedAt, &cp.StartedAtSort, in.StartedAt, "started_at")
	if in.StartedAt != nil && cp.StartedAt == "" {
		c.Fail("started_at", "required")
	}
	c.Date(&cp.EndedAt, &cp.EndedAtSort, in.EndedAt, "ended_at")
	if f := in.Facility; f != nil {
		c.Text(&cp.FacilityName, f.Name, "facility.name", record.MaxShort, secret)
		c.Vocab(&cp.FacilityKind, f.Kind, "facility.kind", FacilityTypes)
		c.Text(&cp.FacilityCity, f.City, "facility.city", record.MaxShort, secret)
		c.Text(&cp.FacilityProvince, f.Province, "facility.province", record.MaxShort, secret)
	}
	c.Text(&cp.Authority, in.Authority, "authority", record.MaxShort, secret)
	c.Text(&cp.Notes, in.Notes, "notes", record.MaxLong, true)
	c.Text(&cp.Source, in.Source, "source", record.MaxLong, true)
	c.Vocab(&cp.SourceReliability, in.SourceReliability, "source_reliability", SourceReliability)
	if endsBeforeStart(cp.StartedAt, cp.EndedAt) {
		c.FailCode("ended_at", apperr.FieldBeforeStart, "before started_at")
	}
}

// endsBeforeStart reports whether the period cannot have ended on or after
// it started: the last day ended can be is before the first day started
// can be. Approximate dates are not compared.
func endsBeforeStart(started, ended string) bool {
	if started == "" || ended == "" {
		return false
	}
	s, err1 := partialdate.Parse(started, time.UTC)
	e, err2 := partialdate.Parse(ended, time.UTC)
	if err1 != nil || err2 != nil || s.Approximate || e.Approximate {
		return false
	}
	return e.Latest(time.UTC).Before(s.Earliest(time.UTC))
}

// buildCustodyPeriod returns the period CreateCustodyPeriod would store for in.
func buildCustodyPeriod(id, caseID, createdBy string, at time.Time, in CustodyPeriodFields) (*CustodyPeriod, *record.ChangeSet) {
	cp := &CustodyPeriod{ID: id, CaseID: caseID, Version: 1, CreatedBy: createdBy, CreatedAt: at, UpdatedAt: at}
	ch := record.NewChangeSet()
	if in.Measure == nil {
		ch.Fail("measure", "required")
	}
	if in.StartedAt == nil {
		ch.Fail("started_at", "required")
	}
	cp.apply(in, ch)
	return cp, ch
}

// NewCustodyPeriod returns the period CreateCustodyPeriod would store for
// in (the bulk loader of generated data uses it).
func NewCustodyPeriod(id, caseID, createdBy string, at time.Time, in CustodyPeriodFields) (*CustodyPeriod, error) {
	cp, ch := buildCustodyPeriod(id, caseID, createdBy, at, in)
	return cp, ch.Err()
}

// FacilityView is the place of a custody period.
type FacilityView struct {
	Name     string `json:"name"`
	Kind     string `json:"kind"`
	City     string `json:"city"`
	Province string `json:"province"`
}

// CustodyPeriodView is a custody period as the API answers it.
type CustodyPeriodView struct {
	ID                string       `json:"id"`
	CaseID            string       `json:"case_id"`
	Measure           string       `json:"measure"`
	StartedAt         *string      `json:"started_at"`
	EndedAt           *string      `json:"ended_at"`
	Facility          FacilityView `json:"facility"`
	Authority         string       `json:"authority"`
	Notes             string       `json:"notes"`
	Source            string       `json:"source"`
	SourceReliability string       `json:"source_reliability"`
	Confidential      bool         `json:"confidential"`
	Version           int64        `json:"version"`
	CreatedAt         time.Time    `json:"created_at"`
	UpdatedAt         time.Time    `json:"updated_at"`
}

// View renders cp (only callers who may see it get it at all).
func (cp *CustodyPeriod) View() CustodyPeriodView {
	return CustodyPeriodView{
		ID: cp.ID, CaseID: cp.CaseID, Measure: cp.Measure, StartedAt: date(cp.StartedAt), EndedAt: date(cp.EndedAt),
		Facility:  FacilityView{Name: cp.FacilityName, Kind: cp.FacilityKind, City: cp.FacilityCity, Province: cp.FacilityProvince},
		Authority: cp.Authority, Notes: cp.Notes, Source: cp.Source, SourceReliability: cp.SourceReliability,
		Confidential: cp.Confidential, Version: cp.Version, CreatedAt: cp.CreatedAt.UTC(), UpdatedAt: cp.UpdatedAt.UTC(),
	}
}
