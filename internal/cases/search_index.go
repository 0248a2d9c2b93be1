package cases

import (
	"cmp"
	"fmt"
	"slices"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/habeas-org/habeas/internal/names"
)

// The name index (docs/search.md): every searchable form of a detainee,
// case or lawyer is folded into search keys (internal/names) stored in
// search_keys, and the grams of those keys in search_grams. The store
// writes both in the transaction that writes the record, replacing the
// record's rows; deleting a record deletes them.

// Owner types of the index rows.
const (
	ownerDetainee = "detainee"
	ownerCase     = "case"
	ownerLawyer   = "lawyer"
)

// searchKey is one row of search_keys: a distinct folded key of a record,
// the field it comes from and the form as written.
type searchKey struct {
	OwnerType string
	OwnerID   string
	Folded    string
	Field     string
	Source    string
}

// TableName is the search_keys table.
func (searchKey) TableName() string { return "search_keys" }

// searchGram is one row of search_grams: a record holds the gram in one of
// its keys.
type searchGram struct {
	OwnerType string
	Gram      string
	OwnerID   string
}

// TableName is the search_grams table.
func (searchGram) TableName() string { return "search_grams" }

// indexRows collects the index rows of records, each key and gram once per
// record.
type indexRows struct {
	keys  []searchKey
	grams []searchGram
	seenK map[string]bool
	seenG map[string]bool
}

// add adds the keys of one record: forms are (field, form as written,
// keys) triples. A key keeps the first form that gives it, the forms' own
// folds (their first key) before the keys derived from them (the pinyin of
// a Chinese name, the romanisations of a Uyghur one): "liu xiaobo" matches
// the other name "Liu Xiaobo" as written, not the pinyin of 刘晓波.
func (r *indexRows) add(ownerType, ownerID string, forms []indexForm) {
	if r.seenK == nil {
		r.seenK, r.seenG = map[string]bool{}, map[string]bool{}
	}
	for pass := range 2 {
		for _, f := range forms {
			keys := f.keys
			if pass == 0 {
				keys = keys[:min(len(keys), 1)]
			} else if len(keys) > 0 {
				keys = keys[1:]
			}
			r.addKeys(ownerType, ownerID, f, keys)
		}
	}
}

// addKeys adds the keys of one form (those not already given by another).
func (r *indexRows) addKeys(ownerType, ownerID string, f indexForm, keys []string) {
	for _, k := range keys {
		if k == "" || r.seenK[ownerType+"\x00"+ownerID+"\x00"+k] {
			continue
		}
		r.seenK[ownerType+"\x00"+ownerID+"\x00"+k] = true
		r.keys = append(r.keys, searchKey{OwnerType: ownerType, OwnerID: ownerID, Folded: k, Field: f.field, Source: f.source})
		for _, g := range names.Grams(k) {
			if r.seenG[ownerType+"\x00"+ownerID+"\x00"+g] {
				continue
			}
			r.seenG[ownerType+"\x00"+ownerID+"\x00"+g] = true
			r.grams = append(r.grams, searchGram{OwnerType: ownerType, Gram: g, OwnerID: ownerID})
		}
	}
}

// indexForm is one searchable form of a record and its keys.
type indexForm struct {
	field, source string
	keys          []string
}

// personForm is a person's name form: keyed with names.Keys (fold and
// romanisations).
func personForm(field, name string) indexForm {
	return indexForm{field: field, source: name, keys: names.Keys(name)}
}

// textForm is any other searchable text: keyed with its fold alone.
func textForm(field, text string) indexForm {
	k := names.Fold(text)
	if k == "" {
		return indexForm{field: field, source: text}
	}
	return indexForm{field: field, source: text, keys: []string{k}}
}

// searchForms are the searchable forms of a detainee: its name and other
// names (field "other_names.<kind>").
func (d *Detainee) searchForms() []indexForm {
	out := []indexForm{personForm("name", d.Name)}
	for _, n := range d.OtherNames {
		out = append(out, personForm("other_names."+n.Kind, n.Name))
	}
	return out
}

// searchForms are the searchable forms of a case: its title and case
// numbers. (A case is also found through its detainee's names: the query
// joins them, see search_query.go.)
func (c *Case) searchForms() []indexForm {
	out := []indexForm{textForm("title", c.Title)}
	for _, n := range c.CaseNumbers {
		out = append(out, textForm("case_numbers", n))
	}
	return out
}

// searchForms are the searchable forms of a lawyer: name, other names, law
// firm and licence number.
func (l *Lawyer) searchForms() []indexForm {
	out := []indexForm{personForm("name", l.Name)}
	for _, n := range l.OtherNames {
		out = append(out, personForm("other_names."+n.Kind, n.Name))
	}
	return append(out, textForm("law_firm", l.LawFirm), textForm("licence_number", l.LicenceNumber))
}

// indexKeyCols and indexGramCols are the columns of the two tables (for
// the batch size of a multi-row INSERT).
const (
	indexKeyCols  = 5
	indexGramCols = 3
)

// insertIndex inserts rows (duplicates of rows already there are ignored),
// in primary-key order: the rows bound for one B-tree leaf arrive
// together, so each leaf is read and written once per batch rather than
// once per row (a backfill of 100,000 detainees on SQLite took 84 s
// unsorted, 69 s sorted).
func insertIndex(tx *gorm.DB, rows *indexRows) error {
	slices.SortFunc(rows.keys, func(a, b searchKey) int {
		return cmp.Or(cmp.Compare(a.OwnerType, b.OwnerType), cmp.Compare(a.OwnerID, b.OwnerID), cmp.Compare(a.Folded, b.Folded))
	})
	slices.SortFunc(rows.grams, func(a, b searchGram) int {
		return cmp.Or(cmp.Compare(a.OwnerType, b.OwnerType), cmp.Compare(a.Gram, b.Gram), cmp.Compare(a.OwnerID, b.OwnerID))
	})
	keyBatch, gramBatch := 500/indexKeyCols, 500/indexGramCols
	if tx.Dialector.Name() == "postgres" {
		keyBatch, gramBatch = 10000/indexKeyCols, 10000/indexGramCols
	}
	ins := tx.Clauses(clause.OnConflict{DoNothing: true})
	if len(rows.keys) > 0 {
		if err := ins.CreateInBatches(rows.keys, keyBatch).Error; err != nil {
			return fmt.Errorf("search index: insert keys: %w", err)
		}
	}
	if len(rows.grams) > 0 {
		if err := ins.CreateInBatches(rows.grams, gramBatch).Error; err != nil {
			return fmt.Errorf("search index: insert grams: %w", err)
		}
	}
	return nil
}

// deleteIndex deletes the index rows of the given owners.
func deleteIndex(tx *gorm.DB, ownerType string, ids ...string) error {
	for len(ids) > 0 {
		n := min(len(ids), 400)
		chunk := ids[:n]
		ids = ids[n:]
		if err := tx.Where("owner_type = ? AND owner_id IN ?", ownerType, chunk).Delete(&searchKey{}).Error; err != nil {
			return fmt.Errorf("search index: delete keys: %w", err)
		}
		if err := tx.Where("owner_type = ? AND owner_id IN ?", ownerType, chunk).Delete(&searchGram{}).Error; err != nil {
			return fmt.Errorf("search index: delete grams: %w", err)
		}
	}
	return nil
}

// searchable is a record the name index holds (*Detainee, *Case,
// *Lawyer).
type searchable interface {
	searchOwner() (ownerType, id string)
	searchForms() []indexForm
}

func (d *Detainee) searchOwner() (string, string) { return ownerDetainee, d.ID }
func (c *Case) searchOwner() (string, string)     { return ownerCase, c.ID }
func (l *Lawyer) searchOwner() (string, string)   { return ownerLawyer, l.ID }

// indexRecords (re)writes the index rows of records of one type, in tx.
func indexRecords[T searchable](tx *gorm.DB, recs ...T) error {
	return writeRecords(tx, true, recs)
}

// indexNewRecords writes the index rows of records just inserted in tx (no
// rows of theirs to delete first).
func indexNewRecords[T searchable](tx *gorm.DB, recs ...T) error {
	return writeRecords(tx, false, recs)
}

func writeRecords[T searchable](tx *gorm.DB, replace bool, recs []T) error {
	if len(recs) == 0 {
		return nil
	}
	var rows indexRows
	ids := make([]string, len(recs))
	var owner string
	for i, r := range recs {
		owner, ids[i] = r.searchOwner()
		rows.add(owner, ids[i], r.searchForms())
	}
	if replace {
		if err := deleteIndex(tx, owner, ids...); err != nil {
			return err
		}
	}
	return insertIndex(tx, &rows)
}

// IndexDetaineesTx (re)writes, inside tx, the name index of the detainees
// with the given ids, as stored in tx: for code that writes detainees
// outside this package's service (the seeder, a merge). Missing ids lose
// their rows.
func IndexDetaineesTx(tx *gorm.DB, ids ...string) error {
	for len(ids) > 0 {
		n := min(len(ids), 400)
		var ds []Detainee
		if err := tx.Where("id IN ?", ids[:n]).Find(&ds).Error; err != nil {
			return fmt.Errorf("search index: load detainees: %w", err)
		}
		if err := deleteIndex(tx, ownerDetainee, ids[:n]...); err != nil {
			return err
		}
		if err := indexNewRecords(tx, ptrs(ds)...); err != nil {
			return err
		}
		ids = ids[n:]
	}
	return nil
}

// IndexRecordsTx (re)writes, inside tx, the name index of the given records
// as they are (*Detainee, *Case, *Lawyer or their values; anything else is
// ignored): for code that inserts rows directly, such as the seeder, so
// its records are found at once.
func IndexRecordsTx(tx *gorm.DB, records ...any) error {
	var ds []*Detainee
	var cs []*Case
	var ls []*Lawyer
	for _, r := range records {
		switch v := r.(type) {
		case *Detainee:
			ds = append(ds, v)
		case Detainee:
			ds = append(ds, &v)
		case *Case:
			cs = append(cs, v)
		case Case:
			cs = append(cs, &v)
		case *Lawyer:
			ls = append(ls, v)
		case Lawyer:
			ls = append(ls, &v)
		}
	}
	if err := indexRecords(tx, ds...); err != nil {
		return err
	}
	if err := indexRecords(tx, cs...); err != nil {
		return err
	}
	return indexRecords(tx, ls...)
}
