package cases

import (
	"strings"
	"time"

	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/partialdate"
	"github.com/habeas-org/habeas/internal/record"
)

// DetaineeFilter filters the detainee list. Charge, lawyer and detention
// dates match through the detainee's cases the caller can see.
type DetaineeFilter struct {
	record.ListOptions
	Status       string // detention status
	Province     string // home province (exact, after NFC)
	Issue        string
	Charge       string
	LawyerID     string
	DetainedFrom string // partial date: detained on or after its earliest day
	DetainedTo   string // partial date: detained on or before its latest day
}

// CaseFilter filters the case list.
type CaseFilter struct {
	record.ListOptions
	DetaineeID   string
	Status       string // case status
	Stage        string
	Province     string // the detainee's home province
	Issue        string // the detainee's issue category
	Charge       string
	LawyerID     string
	DetainedFrom string
	DetainedTo   string
}

// LawyerFilter filters the lawyer list.
type LawyerFilter struct {
	record.ListOptions
	LicenceStatus string
}

// detainedRange turns the from/to partial dates into sort-key bounds.
func detainedRange(from, to string) (lo, hi string, err error) {
	if from != "" {
		d, perr := partialdate.Parse(strings.TrimSuffix(from, "~"), time.UTC)
		if perr != nil || len(from) > 11 {
			return "", "", apperr.Field("detained_from", "use YYYY, YYYY-MM or YYYY-MM-DD")
		}
		lo = d.Earliest(time.UTC).Format("2006-01-02")
	}
	if to != "" {
		d, perr := partialdate.Parse(strings.TrimSuffix(to, "~"), time.UTC)
		if perr != nil || len(to) > 11 {
			return "", "", apperr.Field("detained_to", "use YYYY, YYYY-MM or YYYY-MM-DD")
		}
		hi = d.Latest(time.UTC).Format("2006-01-02") + "/9"
	}
	return lo, hi, nil
}
