package cases

import (
	"fmt"
	"sync"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/record"
)

// Latin queries on PostgreSQL (docs/search.md, "Query"). Pinyin and Uyghur
// Latin are written with few letters and syllables, so their grams are
// common: a search for a common full name intersected posting lists of
// thousands of records, probe by probe. Where pg_trgm is installed,
// migration 0013 adds a trigram GIN index of the keys
// (search_keys_folded_trgm_idx), whose posting lists PostgreSQL intersects
// as bitmaps; a query of three or more Latin letters and digits is served
// from it (LIKE '%q%', rechecked on every row, so exact as well). Chinese
// characters and short queries keep the gram index, as does SQLite.

// trigramIndex is the name of the trigram index of the keys.
const trigramIndex = "search_keys_folded_trgm_idx"

// trigramIndexes remembers, per database (its gorm configuration), whether
// the trigram index exists: it is created by a migration, before any
// search, and never dropped while the server runs.
var trigramIndexes sync.Map // *gorm.Config -> bool

// trigramServes reports whether sq is served from the trigram index.
func trigramServes(tx *gorm.DB, sq *searchQuery) (bool, error) {
	if tx.Dialector.Name() != "postgres" || len(sq.folded) < 3 {
		return false, nil
	}
	for i := 0; i < len(sq.folded); i++ {
		if c := sq.folded[i]; (c < 'a' || c > 'z') && (c < '0' || c > '9') {
			return false, nil
		}
	}
	if v, ok := trigramIndexes.Load(tx.Config); ok {
		return v.(bool), nil
	}
	var n int64
	if err := tx.Raw(`SELECT COUNT(*) FROM pg_indexes WHERE indexname = ?`, trigramIndex).Scan(&n).Error; err != nil {
		return false, fmt.Errorf("cases: search: look for the trigram index: %w", err)
	}
	trigramIndexes.Store(tx.Config, n > 0)
	return n > 0, nil
}

// trigramKeyMatches is "SELECT owner_id, srank" of the records of
// ownerType with a key containing the query, read through the trigram
// index (alias prefix a). The owner type is compared as an expression
// (owner_type || ”), which no B-tree serves: PostgreSQL could otherwise
// read every key of the type through (owner_type, folded) and filter them
// with LIKE, as it did on a small database.
func trigramKeyMatches(sq *searchQuery, ownerType, a string) sqlPart {
	return sqlPart{
		SQL: fmt.Sprintf(`SELECT %[1]sk.owner_id AS owner_id, MIN(CASE WHEN %[1]sk.folded = ? THEN 0 WHEN %[1]sk.folded LIKE ?%[2]s THEN 1 ELSE 2 END) AS srank`+
			` FROM search_keys %[1]sk WHERE (%[1]sk.owner_type || '') = ? AND %[1]sk.folded LIKE ?%[2]s GROUP BY %[1]sk.owner_id`, a, record.LikeEscape),
		Args: []any{sq.folded, sq.prefix(), ownerType, sq.contains()},
	}
}
