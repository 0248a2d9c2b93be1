package cases

import (
	"fmt"
	"time"

	"gorm.io/gorm"
)

// NewUNCommunication returns the UN communication CreateUNCommunication
// would store for in (kind required; reply_due_at 60 days after
// transmitted_at unless set).
func NewUNCommunication(id, caseID, createdBy string, at time.Time, in UNCommunicationFields) (*UNCommunication, error) {
	u, ch := buildUNCommunication(id, caseID, createdBy, at, in)
	return u, ch.Err()
}

// NewRelative returns the relative CreateRelative would store for in
// (relation and name required; confidential unless set false).
func NewRelative(id, detaineeID, createdBy string, at time.Time, in RelativeFields) (*Relative, error) {
	r, ch := buildRelative(id, detaineeID, createdBy, at, in)
	return r, ch.Err()
}

// NewConsent returns the consent record AddConsent would store for in.
func NewConsent(id, relativeID, createdBy string, at time.Time, in ConsentFields) (*RelativeConsent, error) {
	k, ch := buildConsent(id, relativeID, createdBy, at, in)
	return k, ch.Err()
}

// ImportedRecords are the case records of one imported case (issue 25,
// internal/caseexport), built by the builders of this package and linked
// to each other by their new ids.
type ImportedRecords struct {
	Detainee    *Detainee
	Case        *Case
	Lawyers     []*Lawyer
	Assignments []*Assignment
	Custody     []*CustodyPeriod
	UN          []*UNCommunication
	Relatives   []*Relative
	Consents    []*RelativeConsent
}

// StoreImported inserts r inside tx, as the create operations would (the
// case's charges and the name-search index included). It checks no access
// and records no audit entry: the importer does both in tx.
func StoreImported(tx *gorm.DB, r *ImportedRecords) error {
	if err := tx.Create(r.Detainee).Error; err != nil {
		return fmt.Errorf("cases: import detainee: %w", err)
	}
	if err := indexNewRecords(tx, r.Detainee); err != nil {
		return fmt.Errorf("cases: import detainee index: %w", err)
	}
	for _, rel := range r.Relatives {
		if err := tx.Create(rel).Error; err != nil {
			return fmt.Errorf("cases: import relative: %w", err)
		}
	}
	for _, k := range r.Consents {
		if err := tx.Create(k).Error; err != nil {
			return fmt.Errorf("cases: import consent: %w", err)
		}
	}
	if err := tx.Create(r.Case).Error; err != nil {
		return fmt.Errorf("cases: import case: %w", err)
	}
	if err := replaceCharges(tx, r.Case); err != nil {
		return fmt.Errorf("cases: import charges: %w", err)
	}
	if err := indexNewRecords(tx, r.Case); err != nil {
		return fmt.Errorf("cases: import case index: %w", err)
	}
	for _, l := range r.Lawyers {
		if err := tx.Create(l).Error; err != nil {
			return fmt.Errorf("cases: import lawyer: %w", err)
		}
	}
	if err := indexNewRecords(tx, r.Lawyers...); err != nil {
		return fmt.Errorf("cases: import lawyer index: %w", err)
	}
	for _, a := range r.Assignments {
		if err := tx.Create(a).Error; err != nil {
			return fmt.Errorf("cases: import assignment: %w", err)
		}
	}
	for _, cp := range r.Custody {
		if err := tx.Create(cp).Error; err != nil {
			return fmt.Errorf("cases: import custody period: %w", err)
		}
	}
	for _, u := range r.UN {
		if err := tx.Create(u).Error; err != nil {
			return fmt.Errorf("cases: import UN communication: %w", err)
		}
	}
	return nil
}

// FormulaSafe is a CSV cell as every CSV export of Habeas writes it: a
// cell a spreadsheet could read as a formula is prefixed with "'"
// (formulaSafe).
func FormulaSafe(s string) string { return formulaSafe(s) }
