package cases

import (
	"fmt"
	"slices"
	"sort"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/names"
)

// MaxPossibleDuplicates bounds the candidates PossibleDuplicates returns.
const MaxPossibleDuplicates = 20

// maxDuplicateRows bounds the key rows one duplicate lookup reads (a very
// common name may share its keys with thousands; the first
// MaxPossibleDuplicates ids of those read are answered).
const maxDuplicateRows = 1000

// nameForms are the name and other names of d, as written.
func (d *Detainee) nameForms() []string {
	out := []string{d.Name}
	for _, n := range d.OtherNames {
		out = append(out, n.Name)
	}
	return out
}

// birthYear is the year of a partial date ("1967~", "1967-05-02"), "" when
// it has none.
func birthYear(bornAt string) string {
	if len(bornAt) < 4 {
		return ""
	}
	for _, r := range bornAt[:4] {
		if r < '0' || r > '9' {
			return ""
		}
	}
	return bornAt[:4]
}

// PossibleDuplicates returns, in tx, the ids of up to MaxPossibleDuplicates
// detainees (other than exceptID) that may be the person named by the
// given name forms: they share a search key (internal/names.Keys: the
// fold, and the pinyin or Uyghur romanisations) with one of the forms, and
// when both birth years are known they are equal. It reads the name index
// (search_keys by folded key), never the detainees table as a whole. The
// caller checks access: only admins and coordinators create or import
// detainees, and they see every detainee.
func (s *Service) PossibleDuplicates(tx *gorm.DB, forms []string, bornAt string, exceptID string) ([]string, error) {
	keySet := map[string]bool{}
	for _, f := range forms {
		for _, k := range names.Keys(f) {
			keySet[k] = true
		}
	}
	if len(keySet) == 0 {
		return nil, nil
	}
	keys := make([]string, 0, len(keySet))
	for k := range keySet {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	// No DISTINCT or ORDER BY in SQL: ordered by owner_id, a planner may
	// walk the primary key (owner_type, owner_id, folded) of every detainee
	// key instead of looking the keys up in (owner_type, folded); the few
	// rows are deduplicated and ordered here.
	q := tx.Table("search_keys AS dk").Select("dk.owner_id").
		Joins("JOIN detainees dd ON dd.id = dk.owner_id").
		Where("dk.owner_type = ? AND dk.folded IN ? AND dk.owner_id <> ?", ownerDetainee, keys, exceptID)
	if y := birthYear(bornAt); y != "" {
		q = q.Where("(dd.born_at_sort = '' OR dd.born_at_sort LIKE ?)", y+"%")
	}
	var found []string
	if err := q.Limit(maxDuplicateRows).Pluck("dk.owner_id", &found).Error; err != nil {
		return nil, fmt.Errorf("cases: possible duplicates: %w", err)
	}
	sort.Strings(found)
	ids := slices.Compact(found)
	if len(ids) > MaxPossibleDuplicates {
		ids = ids[:MaxPossibleDuplicates]
	}
	return ids, nil
}
