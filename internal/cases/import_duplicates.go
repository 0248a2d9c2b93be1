package cases

import (
	"fmt"
	"sort"
	"strings"

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
// the recorded detainees and the earlier lines of the file sharing a search
// key and birth year. The lines are noted as the import reads them (the
// file-internal matches at once, in memory); the recorded detainees are
// looked up when the dry run ends, in a few queries over all the lines'
// keys (lookupChunk keys each) rather than one query per line: inside the
// import's transaction PostgreSQL plans with the statistics of the tables
// before the import, and a per-line query over a table the import itself
// is filling can degrade into a scan per line.
type importDuplicates struct {
	// line is the file line being imported (set by the import loop).
	line int
	// created are the ids the import itself created (not reported as
	// recorded detainees: a dry run rolls them back).
	created map[string]bool
	// seen maps each search key to the earlier lines (and their birth
	// years) giving it.
	seen  map[string][]lineYear
	lines []notedLine
}

type lineYear struct {
	line int
	year string
}

// notedLine is one noted line of the file: its keys, birth year, the id of
// its detainee and the earlier lines that may name the same person.
type notedLine struct {
	line       int
	keys       []string
	year, self string
	earlier    []int
}

// lookupChunk is how many keys one lookup of recorded detainees carries.
const lookupChunk = 500

func newImportDuplicates() *importDuplicates {
	return &importDuplicates{created: map[string]bool{}, seen: map[string][]lineYear{}}
}

// note notes the detainee d of the current line (existingID is the id
// cell: "" for a new detainee) and remembers its keys for later lines.
// A nil receiver does nothing (the check runs in dry runs only).
func (u *importDuplicates) note(d *Detainee, existingID string) {
	if u == nil {
		return
	}
	if existingID == "" {
		u.created[d.ID] = true
	}
	year := birthYear(d.BornAt)
	keySet := map[string]bool{}
	var keys []string
	for _, f := range d.nameForms() {
		for _, k := range names.Keys(f) {
			if !keySet[k] {
				keySet[k] = true
				keys = append(keys, k)
			}
		}
	}
	lineSet := map[int]bool{}
	for _, k := range keys {
		for _, ly := range u.seen[k] {
			if ly.year == "" || year == "" || ly.year == year {
				lineSet[ly.line] = true
			}
		}
	}
	for _, k := range keys {
		if l := u.seen[k]; len(l) == 0 || l[len(l)-1].line != u.line {
			u.seen[k] = append(l, lineYear{line: u.line, year: year})
		}
	}
	earlier := make([]int, 0, len(lineSet))
	for l := range lineSet {
		earlier = append(earlier, l)
	}
	sort.Ints(earlier)
	u.lines = append(u.lines, notedLine{line: u.line, keys: keys, year: year, self: d.ID, earlier: earlier})
}

// keyOwner is a recorded detainee giving a key, with its birth date's
// sort key.
type keyOwner struct {
	OwnerID    string
	Folded     string
	BornAtSort string
}

// result looks up, in tx, the recorded detainees sharing the noted lines'
// keys (those the import created excepted) and answers the lines with any
// possible duplicate, in file order (nil for none or a nil collector).
func (u *importDuplicates) result(tx *gorm.DB) ([]ImportDuplicate, error) {
	if u == nil {
		return nil, nil
	}
	all := map[string]bool{}
	var keys []string
	for _, l := range u.lines {
		for _, k := range l.keys {
			if !all[k] {
				all[k] = true
				keys = append(keys, k)
			}
		}
	}
	sort.Strings(keys)
	owners := map[string][]keyOwner{}
	for len(keys) > 0 {
		n := min(len(keys), lookupChunk)
		var rows []keyOwner
		err := tx.Table("search_keys AS dk").Select("dk.owner_id, dk.folded, dd.born_at_sort").
			Joins("JOIN detainees dd ON dd.id = dk.owner_id").
			Where("dk.owner_type = ? AND dk.folded IN ?", ownerDetainee, keys[:n]).Scan(&rows).Error
		if err != nil {
			return nil, fmt.Errorf("cases: import duplicates: %w", err)
		}
		for _, r := range rows {
			if !u.created[r.OwnerID] {
				owners[r.Folded] = append(owners[r.Folded], r)
			}
		}
		keys = keys[n:]
	}
	var out []ImportDuplicate
	for _, l := range u.lines {
		idSet := map[string]bool{}
		for _, k := range l.keys {
			for _, o := range owners[k] {
				if o.OwnerID != l.self && (l.year == "" || o.BornAtSort == "" || strings.HasPrefix(o.BornAtSort, l.year)) {
					idSet[o.OwnerID] = true
				}
			}
		}
		if len(idSet) == 0 && len(l.earlier) == 0 {
			continue
		}
		ids := make([]string, 0, len(idSet))
		for id := range idSet {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		if len(ids) > MaxPossibleDuplicates {
			ids = ids[:MaxPossibleDuplicates]
		}
		out = append(out, ImportDuplicate{Line: l.line, DetaineeIDs: ids, Lines: l.earlier})
	}
	return out, nil
}
