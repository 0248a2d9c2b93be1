package cases

import (
	"sort"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/names"
)

// ImportDuplicate is a line of an import (dry run) that may name a person
// already recorded, or named by an earlier line of the same file.
type ImportDuplicate struct {
	// Line is the line of the file (the header is line 1).
	Line int `json:"line"`
	// DetaineeIDs are the recorded detainees that may be the same person.
	DetaineeIDs []string `json:"detainee_ids"`
	// Lines are the earlier lines of the same file that may name the same
	// person.
	Lines []int `json:"lines,omitempty"`
}

// importDuplicates collects the possible duplicates of an import's lines:
// the recorded detainees (PossibleDuplicates) and the earlier lines of the
// file sharing a search key and birth year.
type importDuplicates struct {
	// line is the file line being imported (set by the import loop).
	line int
	// created are the ids the import itself created (not reported as
	// recorded detainees: a dry run rolls them back).
	created map[string]bool
	// seen maps each search key to the earlier lines (and their birth
	// years) giving it.
	seen map[string][]lineYear
	out  []ImportDuplicate
}

type lineYear struct {
	line int
	year string
}

func newImportDuplicates() *importDuplicates {
	return &importDuplicates{created: map[string]bool{}, seen: map[string][]lineYear{}}
}

// note checks the detainee d of the current line (existingID is the id
// cell: "" for a new detainee) and remembers its keys for later lines.
// A nil receiver does nothing (the check runs in dry runs only).
func (u *importDuplicates) note(tx *gorm.DB, s *Service, d *Detainee, existingID string) error {
	if u == nil {
		return nil
	}
	forms := d.nameForms()
	ids, err := s.PossibleDuplicates(tx, forms, d.BornAt, d.ID)
	if err != nil {
		return err
	}
	var recorded []string
	for _, id := range ids {
		if !u.created[id] {
			recorded = append(recorded, id)
		}
	}
	if existingID == "" {
		u.created[d.ID] = true
	}
	year := birthYear(d.BornAt)
	lineSet := map[int]bool{}
	for _, f := range forms {
		for _, k := range names.Keys(f) {
			for _, ly := range u.seen[k] {
				if ly.year == "" || year == "" || ly.year == year {
					lineSet[ly.line] = true
				}
			}
		}
	}
	for _, f := range forms {
		for _, k := range names.Keys(f) {
			if l := u.seen[k]; len(l) == 0 || l[len(l)-1].line != u.line {
				u.seen[k] = append(l, lineYear{line: u.line, year: year})
			}
		}
	}
	if len(recorded) == 0 && len(lineSet) == 0 {
		return nil
	}
	lines := make([]int, 0, len(lineSet))
	for l := range lineSet {
		lines = append(lines, l)
	}
	sort.Ints(lines)
	if recorded == nil {
		recorded = []string{}
	}
	u.out = append(u.out, ImportDuplicate{Line: u.line, DetaineeIDs: recorded, Lines: lines})
	return nil
}

// result is what the collector found (nil for none or a nil collector).
func (u *importDuplicates) result() []ImportDuplicate {
	if u == nil {
		return nil
	}
	return u.out
}
