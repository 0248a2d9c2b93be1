package cases

import (
	"fmt"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/record"
)

// CheckCaseFilter refuses a case filter the list would refuse (a value
// outside its vocabulary, a malformed detained_from/detained_to or q).
func CheckCaseFilter(f CaseFilter) error {
	if err := firstError(record.CheckVocab("status", f.Status, CaseStatuses), record.CheckVocab("stage", f.Stage, Stages),
		record.CheckVocab("issue", f.Issue, IssueCategories), record.CheckVocab("charge", f.Charge, Charges)); err != nil {
		return err
	}
	if len(f.Q) > 200 {
		return apperr.Field("q", "at most 200 bytes")
	}
	if _, _, err := detainedRange(f.DetainedFrom, f.DetainedTo); err != nil {
		return err
	}
	// The search text is parsed as the list parses it (a q of only wildcard
	// or punctuation characters is refused there): an export must refuse it
	// before its first byte, not cut the stream at its first batch.
	_, err := parseSearch(f.Q)
	return err
}

// CaseBatch returns, inside tx, at most n of the cases p may see that f
// selects (its sort and paging ignored), in id order after the id after,
// each with its charges, and the names of their detainees by detainee id.
// An export reads the whole list batch by batch with it.
func CaseBatch(tx *gorm.DB, p *actor.Principal, f CaseFilter, after string, n int) ([]Case, map[string]string, error) {
	base, _, err := caseQuery(tx, p, f)
	if err != nil {
		return nil, nil, err
	}
	q := base()
	if after != "" {
		q = q.Where("cases.id > ?", after)
	}
	var rows []Case
	if err := q.Select("cases.*").Order("cases.id").Limit(n).Find(&rows).Error; err != nil {
		return nil, nil, fmt.Errorf("cases: case batch: %w", err)
	}
	if len(rows) == 0 {
		return nil, map[string]string{}, nil
	}
	ids, dids := make([]string, len(rows)), make([]string, len(rows))
	for i := range rows {
		ids[i], dids[i] = rows[i].ID, rows[i].DetaineeID
	}
	var charges []Charge
	if err := tx.Where("case_id IN ?", ids).Order("case_id, position").Find(&charges).Error; err != nil {
		return nil, nil, fmt.Errorf("cases: case batch charges: %w", err)
	}
	byCase := map[string][]Charge{}
	for _, ch := range charges {
		byCase[ch.CaseID] = append(byCase[ch.CaseID], ch)
	}
	for i := range rows {
		rows[i].Charges = byCase[rows[i].ID]
	}
	names, err := detaineeNames(tx, dids)
	return rows, names, err
}
