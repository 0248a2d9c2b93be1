package cases

import (
	"errors"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/access"
	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
)

// The store: every query of this package. Each lookup starts from an access
// scope, so an object the principal may not see is not found, exactly like
// one that does not exist. Column names in SQL text are constants; user
// input is only ever a bound argument.

const likeEscape = ` ESCAPE '\'`

func notFound(err error, object string) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return apperr.NotFound(object)
	}
	return err
}

func findDetainee(tx *gorm.DB, p *actor.Principal, id string) (*Detainee, error) {
	var d Detainee
	err := tx.Scopes(access.Detainees(p)).Where("detainees.id = ?", id).Take(&d).Error
	return &d, notFound(err, "detainee")
}

func findCase(tx *gorm.DB, p *actor.Principal, id string) (*Case, error) {
	var c Case
	if err := tx.Scopes(access.Cases(p)).Where("cases.id = ?", id).Take(&c).Error; err != nil {
		return nil, notFound(err, "case")
	}
	if err := tx.Where("case_id = ?", c.ID).Order("position").Find(&c.Charges).Error; err != nil {
		return nil, err
	}
	return &c, nil
}

func detaineeName(tx *gorm.DB, id string) (string, error) {
	var name string
	err := tx.Model(&Detainee{}).Where("id = ?", id).Pluck("name", &name).Error
	return name, err
}

func findLawyer(tx *gorm.DB, p *actor.Principal, id string) (*Lawyer, error) {
	var l Lawyer
	err := tx.Scopes(access.Lawyers(p)).Where("lawyers.id = ?", id).Take(&l).Error
	return &l, notFound(err, "lawyer")
}

// findAssignment finds an assignment of a case the caller sees; an id that
// belongs to another case is not found.
func findAssignment(tx *gorm.DB, p *actor.Principal, caseID, id string) (*Assignment, error) {
	var a Assignment
	c := access.CaseIDVisible(p, "assignments.case_id")
	err := tx.Where(c.SQL, c.Args...).Where("assignments.case_id = ? AND assignments.id = ?", caseID, id).Take(&a).Error
	return &a, notFound(err, "assignment")
}

func findShare(tx *gorm.DB, p *actor.Principal, caseID, id string) (*Share, error) {
	var s Share
	c := access.CaseIDVisible(p, "case_shares.case_id")
	err := tx.Where(c.SQL, c.Args...).Where("case_shares.case_id = ? AND case_shares.id = ?", caseID, id).Take(&s).Error
	return &s, notFound(err, "share")
}

func lawyerName(tx *gorm.DB, id string) (string, error) {
	var name string
	err := tx.Model(&Lawyer{}).Where("id = ?", id).Pluck("name", &name).Error
	return name, err
}

// userRole returns the role of an enabled user, or "" when there is none.
func userRole(tx *gorm.DB, id string) (string, error) {
	var roles []string
	err := tx.Table("users").Where("id = ? AND disabled = ?", id, false).Pluck("role", &roles).Error
	if err != nil || len(roles) == 0 {
		return "", err
	}
	return roles[0], nil
}

// saveVersioned writes every column of m if its version is still old; m's
// Version must already be old+1. A stale version is a precondition failure.
func saveVersioned(tx *gorm.DB, m any, old int64) error {
	res := tx.Model(m).Where("version = ?", old).Select("*").Omit("id", "created_at", "created_by").Updates(m)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected != 1 {
		return staleVersion
	}
	return nil
}

var staleVersion = apperr.New(apperr.ErrPrecondition, "version_mismatch",
	"the record was changed since you read it; reload it and apply your change again")

func replaceCharges(tx *gorm.DB, c *Case) error {
	if err := tx.Where("case_id = ?", c.ID).Delete(&Charge{}).Error; err != nil {
		return err
	}
	numberCharges(c, newID)
	if len(c.Charges) == 0 {
		return nil
	}
	return tx.Create(&c.Charges).Error
}

// visibleCaseOf returns the SQL condition "a case of detainee column col,
// visible to p, exists and matches extra".
func visibleCaseExists(p *actor.Principal, detaineeCol, extraJoin, extra string, args ...any) access.Cond {
	c := access.CaseIDVisible(p, "f_c.id")
	sql := `EXISTS (SELECT 1 FROM cases f_c ` + extraJoin + ` WHERE f_c.detainee_id = ` + detaineeCol + ` AND ` + extra + ` AND ` + c.SQL + `)`
	return access.Cond{SQL: sql, Args: append(args, c.Args...)}
}

func where(q *gorm.DB, c access.Cond) *gorm.DB { return q.Where(c.SQL, c.Args...) }

// detaineeQuery returns a function giving a fresh scoped, filtered query on detainees.
func detaineeQuery(tx *gorm.DB, p *actor.Principal, f DetaineeFilter) (func() *gorm.DB, error) {
	lo, hi, err := detainedRange(f.DetainedFrom, f.DetainedTo)
	if err != nil {
		return nil, err
	}
	return func() *gorm.DB {
		q := tx.Model(&Detainee{}).Scopes(access.Detainees(p))
		if f.Status != "" {
			q = q.Where("detainees.detention_status = ?", f.Status)
		}
		if f.Province != "" {
			q = q.Where("detainees.home_province = ?", Clean(f.Province))
		}
		if f.Issue != "" {
			q = q.Where("detainees.issue = ?", f.Issue)
		}
		if f.Charge != "" {
			q = where(q, visibleCaseExists(p, "detainees.id", "JOIN case_charges f_ch ON f_ch.case_id = f_c.id", "f_ch.charge = ?", f.Charge))
		}
		if f.LawyerID != "" {
			q = where(q, visibleCaseExists(p, "detainees.id", "JOIN assignments f_a ON f_a.case_id = f_c.id", "f_a.lawyer_id = ?", f.LawyerID))
		}
		if lo != "" {
			q = where(q, visibleCaseExists(p, "detainees.id", "", "f_c.detained_at_sort <> '' AND f_c.detained_at_sort >= ?", lo))
		}
		if hi != "" {
			q = where(q, visibleCaseExists(p, "detainees.id", "", "f_c.detained_at_sort <> '' AND f_c.detained_at_sort <= ?", hi))
		}
		if f.Q != "" {
			pat := likePattern(f.Q)
			if access.Manages(p) {
				// Admins and coordinators see every detainee: one set of
				// matching ids, each table searched once (with its trigram
				// index on PostgreSQL: 11 ms instead of 215 ms for a pinyin
				// name at 100,000 detainees), not a per-row EXISTS.
				c := access.CaseIDVisible(p, "f_c.id")
				q = q.Where("detainees.id IN (SELECT f_d.id FROM detainees f_d WHERE f_d.search LIKE ?"+likeEscape+
					" UNION SELECT f_c.detainee_id FROM cases f_c WHERE f_c.search LIKE ?"+likeEscape+" AND "+c.SQL+")",
					append([]any{pat, pat}, c.Args...)...)
			} else {
				// Lawyers and observers see few detainees: their scope
				// comes first and each of its rows is checked.
				sub := visibleCaseExists(p, "detainees.id", "", "f_c.search LIKE ?"+likeEscape, pat)
				q = q.Where("(detainees.search LIKE ?"+likeEscape+" OR "+sub.SQL+")", append([]any{pat}, sub.Args...)...)
			}
		}
		return q
	}, nil
}

// detaineeBatch returns up to n visible, filtered detainees with ids after the given one, by id.
func detaineeBatch(tx *gorm.DB, p *actor.Principal, f DetaineeFilter, after string, n int) ([]Detainee, error) {
	base, err := detaineeQuery(tx, p, f)
	if err != nil {
		return nil, err
	}
	var rows []Detainee
	err = base().Where("detainees.id > ?", after).Order("detainees.id").Limit(n).Find(&rows).Error
	return rows, err
}

func listDetainees(tx *gorm.DB, p *actor.Principal, f DetaineeFilter) (pageResult[Detainee], error) {
	base, err := detaineeQuery(tx, p, f)
	if err != nil {
		return pageResult[Detainee]{}, err
	}
	sorts := map[string]sortSpec[Detainee]{
		"created": {column: "detainees.id", value: func(d *Detainee) string { return d.ID }},
		"name":    {column: "detainees.name", value: func(d *Detainee) string { return d.Name }},
		"born_at": {column: "detainees.born_at_sort", value: func(d *Detainee) string { return d.BornAtSort }},
	}
	return pageQuery(base, "detainees", sorts, "-created", f.ListOptions, func(d *Detainee) string { return d.ID })
}

func listCases(tx *gorm.DB, p *actor.Principal, f CaseFilter) (pageResult[Case], error) {
	lo, hi, err := detainedRange(f.DetainedFrom, f.DetainedTo)
	if err != nil {
		return pageResult[Case]{}, err
	}
	base := func() *gorm.DB {
		q := tx.Model(&Case{}).Scopes(access.Cases(p))
		if f.Province != "" || f.Issue != "" || f.Q != "" {
			// Only these filters read the detainee; without them the count
			// and the page read the cases index alone (the join cost a
			// lookup per counted case: 5.8 ms of CPU per list request on
			// SQLite at 150,000 cases).
			q = q.Joins("JOIN detainees ON detainees.id = cases.detainee_id")
		}
		if f.DetaineeID != "" {
			q = q.Where("cases.detainee_id = ?", f.DetaineeID)
		}
		if f.Status != "" {
			q = q.Where("cases.status = ?", f.Status)
		}
		if f.Stage != "" {
			q = q.Where("cases.stage = ?", f.Stage)
		}
		if f.Province != "" {
			q = q.Where("detainees.home_province = ?", Clean(f.Province))
		}
		if f.Issue != "" {
			q = q.Where("detainees.issue = ?", f.Issue)
		}
		if f.Charge != "" {
			q = q.Where("EXISTS (SELECT 1 FROM case_charges f_ch WHERE f_ch.case_id = cases.id AND f_ch.charge = ?)", f.Charge)
		}
		if f.LawyerID != "" {
			// IN, not EXISTS: SQLite then starts from the lawyer's assignments
			// (assignments_lawyer_idx) instead of probing every case (2 ms
			// instead of 300 ms at 150,000 cases).
			q = q.Where("cases.id IN (SELECT f_a.case_id FROM assignments f_a WHERE f_a.lawyer_id = ?)", f.LawyerID)
		}
		if lo != "" {
			q = q.Where("cases.detained_at_sort <> '' AND cases.detained_at_sort >= ?", lo)
		}
		if hi != "" {
			q = q.Where("cases.detained_at_sort <> '' AND cases.detained_at_sort <= ?", hi)
		}
		if f.Q != "" {
			pat := likePattern(f.Q)
			q = q.Where("(cases.search LIKE ?"+likeEscape+" OR detainees.search LIKE ?"+likeEscape+")", pat, pat)
		}
		return q
	}
	sorts := map[string]sortSpec[Case]{
		"created":     {column: "cases.id", value: func(c *Case) string { return c.ID }},
		"detained_at": {column: "cases.detained_at_sort", value: func(c *Case) string { return c.DetainedAtSort }},
	}
	page, err := pageQuery(base, "cases", sorts, "-created", f.ListOptions, func(c *Case) string { return c.ID })
	rows := page.rows
	if err != nil || len(rows) == 0 {
		return page, err
	}
	ids := make([]string, len(rows))
	for i := range rows {
		ids[i] = rows[i].ID
	}
	var charges []Charge
	if err := tx.Where("case_id IN ?", ids).Order("case_id, position").Find(&charges).Error; err != nil {
		return pageResult[Case]{}, err
	}
	byCase := map[string][]Charge{}
	for _, ch := range charges {
		byCase[ch.CaseID] = append(byCase[ch.CaseID], ch)
	}
	for i := range rows {
		rows[i].Charges = byCase[rows[i].ID]
	}
	return page, nil
}

func detaineeNames(tx *gorm.DB, ids []string) (map[string]string, error) {
	var rows []struct{ ID, Name string }
	if len(ids) == 0 {
		return map[string]string{}, nil
	}
	if err := tx.Model(&Detainee{}).Where("id IN ?", ids).Select("id, name").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make(map[string]string, len(rows))
	for _, r := range rows {
		out[r.ID] = r.Name
	}
	return out, nil
}

func listLawyers(tx *gorm.DB, p *actor.Principal, f LawyerFilter) (pageResult[Lawyer], error) {
	base := func() *gorm.DB {
		q := tx.Model(&Lawyer{}).Scopes(access.Lawyers(p))
		if f.LicenceStatus != "" {
			q = q.Where("lawyers.licence_status = ?", f.LicenceStatus)
		}
		if f.Q != "" {
			q = q.Where("lawyers.search LIKE ?"+likeEscape, likePattern(f.Q))
		}
		return q
	}
	sorts := map[string]sortSpec[Lawyer]{
		"created": {column: "lawyers.id", value: func(l *Lawyer) string { return l.ID }},
		"name":    {column: "lawyers.name", value: func(l *Lawyer) string { return l.Name }},
	}
	return pageQuery(base, "lawyers", sorts, "name", f.ListOptions, func(l *Lawyer) string { return l.ID })
}

func listAssignments(tx *gorm.DB, caseID string, o ListOptions) (pageResult[Assignment], error) {
	base := func() *gorm.DB { return tx.Model(&Assignment{}).Where("assignments.case_id = ?", caseID) }
	sorts := map[string]sortSpec[Assignment]{
		"created": {column: "assignments.id", value: func(a *Assignment) string { return a.ID }},
	}
	return pageQuery(base, "assignments", sorts, "created", o, func(a *Assignment) string { return a.ID })
}

func listShares(tx *gorm.DB, caseID string, o ListOptions) (pageResult[Share], error) {
	base := func() *gorm.DB { return tx.Model(&Share{}).Where("case_shares.case_id = ?", caseID) }
	sorts := map[string]sortSpec[Share]{
		"created": {column: "case_shares.id", value: func(s *Share) string { return s.ID }},
	}
	return pageQuery(base, "case_shares", sorts, "created", o, func(s *Share) string { return s.ID })
}

func lawyerNames(tx *gorm.DB, ids []string) (map[string]string, error) {
	var rows []struct{ ID, Name string }
	if len(ids) == 0 {
		return map[string]string{}, nil
	}
	if err := tx.Model(&Lawyer{}).Where("id IN ?", ids).Select("id, name").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make(map[string]string, len(rows))
	for _, r := range rows {
		out[r.ID] = r.Name
	}
	return out, nil
}

func countWhere(tx *gorm.DB, model any, where string, args ...any) (int64, error) {
	var n int64
	err := tx.Model(model).Where(where, args...).Count(&n).Error
	return n, err
}
