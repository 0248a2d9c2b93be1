package cases

import (
	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/access"
	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/record"
)

// The store: every query of this package. Each lookup starts from an access
// scope, so an object the principal may not see is not found, exactly like
// one that does not exist. Column names in SQL text are constants; user
// input is only ever a bound argument.

func findDetainee(tx *gorm.DB, p *actor.Principal, id string) (*Detainee, error) {
	var d Detainee
	err := tx.Scopes(access.Detainees(p)).Where("detainees.id = ?", id).Take(&d).Error
	return &d, record.NotFound(err, "detainee")
}

// detaineeHeld reports whether the detainee id is the principal detainee
// of a case p sees (access.DetaineeIDHeld): who may edit a detainee and its
// relatives, beyond seeing it as a co-defendant.
func detaineeHeld(tx *gorm.DB, p *actor.Principal, id string) (bool, error) {
	var n int64
	err := record.Where(tx.Model(&Detainee{}), access.DetaineeIDHeld(p, "detainees.id")).Where("detainees.id = ?", id).Count(&n).Error
	return n > 0, err
}

func findCase(tx *gorm.DB, p *actor.Principal, id string) (*Case, error) {
	var c Case
	if err := tx.Scopes(access.Cases(p)).Where("cases.id = ?", id).Take(&c).Error; err != nil {
		return nil, record.NotFound(err, "case")
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
	return &l, record.NotFound(err, "lawyer")
}

// findAssignment finds an assignment of a case the caller sees; an id that
// belongs to another case is not found.
func findAssignment(tx *gorm.DB, p *actor.Principal, caseID, id string) (*Assignment, error) {
	var a Assignment
	err := record.Where(tx, access.AssignmentVisible(p, "assignments")).Where("assignments.case_id = ? AND assignments.id = ?", caseID, id).Take(&a).Error
	return &a, record.NotFound(err, "assignment")
}

func findShare(tx *gorm.DB, p *actor.Principal, caseID, id string) (*Share, error) {
	var s Share
	err := record.Where(tx, access.CaseIDVisible(p, "case_shares.case_id")).Where("case_shares.case_id = ? AND case_shares.id = ?", caseID, id).Take(&s).Error
	return &s, record.NotFound(err, "share")
}

func lawyerOf(tx *gorm.DB, id string) (LawyerRef, error) {
	var r LawyerRef
	err := tx.Model(&Lawyer{}).Where("id = ?", id).Select("name, confidential").Scan(&r).Error
	return r, err
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

func replaceCharges(tx *gorm.DB, c *Case) error {
	if err := tx.Where("case_id = ?", c.ID).Delete(&Charge{}).Error; err != nil {
		return err
	}
	numberCharges(c, record.NewID)
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

// detaineeQuery returns a function giving a fresh scoped, filtered query on detainees.
func detaineeQuery(tx *gorm.DB, p *actor.Principal, f DetaineeFilter) (func() *gorm.DB, error) {
	lo, hi, err := detainedRange(f.DetainedFrom, f.DetainedTo)
	if err != nil {
		return nil, err
	}
	sq, err := parseSearch(f.Q)
	if err != nil {
		return nil, err
	}
	var m sqlPart
	if sq != nil {
		// The access scope stays on the detainees; a match through a case
		// counts only for a case p sees (detaineeMatches).
		if m, err = detaineeMatches(tx, p, sq); err != nil {
			return nil, err
		}
	}
	return func() *gorm.DB {
		q := tx.Model(&Detainee{}).Scopes(access.Detainees(p))
		if f.Status != "" {
			q = q.Where("detainees.detention_status = ?", f.Status)
		}
		if f.Province != "" {
			q = q.Where("detainees.home_province = ?", record.Clean(f.Province))
		}
		if f.Issue != "" {
			q = q.Where("detainees.issue = ?", f.Issue)
		}
		if f.Charge != "" {
			q = record.Where(q, visibleCaseExists(p, "detainees.id", "JOIN case_charges f_ch ON f_ch.case_id = f_c.id", "f_ch.charge = ?", f.Charge))
		}
		if f.LawyerID != "" {
			named := access.LawyerNamed(p, "f_a.lawyer_id")
			q = record.Where(q, visibleCaseExists(p, "detainees.id", "JOIN assignments f_a ON f_a.case_id = f_c.id",
				"f_a.lawyer_id = ? AND "+named.SQL, append([]any{f.LawyerID}, named.Args...)...))
		}
		if lo != "" {
			q = record.Where(q, visibleCaseExists(p, "detainees.id", "", "f_c.detained_at_sort <> '' AND f_c.detained_at_sort >= ?", lo))
		}
		if hi != "" {
			q = record.Where(q, visibleCaseExists(p, "detainees.id", "", "f_c.detained_at_sort <> '' AND f_c.detained_at_sort <= ?", hi))
		}
		if sq != nil {
			q = joinMatches(q, m, "detainees.id")
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

// detaineeList is the keyset of the detainee list.
var detaineeList = record.Keyset[Detainee]{
	Table: "detainees",
	Sorts: record.Sorts[Detainee]{
		"created": {Column: "detainees.id", Value: func(d *Detainee) string { return d.ID }},
		"name":    {Column: "detainees.name", Value: func(d *Detainee) string { return d.Name }},
		"born_at": {Column: "detainees.born_at_sort", Value: func(d *Detainee) string { return d.BornAtSort }},
	},
	DefaultSort: "-created", ID: func(d *Detainee) string { return d.ID }, Count: true,
}

// detaineeRelevance orders a detainee search best match first, then by name.
var detaineeRelevance = relevance[Detainee]{
	table: "detainees", nameCol: "detainees.name",
	id: func(d *Detainee) string { return d.ID }, name: func(d *Detainee) string { return d.Name },
}

// listDetainees lists the detainees p sees matching f, with the best match
// of each for a search (nil without q). A search without a sort lists the
// best matches first (search_query.go).
func listDetainees(tx *gorm.DB, p *actor.Principal, f DetaineeFilter) (record.Page[Detainee], map[string]rankedMatch, error) {
	base, err := detaineeQuery(tx, p, f)
	if err != nil {
		return record.Page[Detainee]{}, nil, err
	}
	sq, _ := parseSearch(f.Q) // checked by detaineeQuery
	if sq == nil {
		page, err := detaineeList.Page(base, f.ListOptions)
		return page, nil, err
	}
	matched := func(ids []string) (map[string]rankedMatch, error) {
		rows, err := detaineeMatchRows(tx, p, sq, ids)
		return bestMatches(sq, rows), err
	}
	if f.Sort == "" {
		return detaineeRelevance.page(tx, base, sq, f.ListOptions, matched)
	}
	page, err := detaineeList.Page(base, f.ListOptions)
	if err != nil {
		return page, nil, err
	}
	best, err := matched(pageIDs(page.Items, func(d *Detainee) string { return d.ID }))
	return page, best, err
}

// pageIDs are the ids of rows.
func pageIDs[T any](rows []T, id func(*T) string) []string {
	out := make([]string, len(rows))
	for i := range rows {
		out[i] = id(&rows[i])
	}
	return out
}

// caseList is the keyset of the case list.
var caseList = record.Keyset[Case]{
	Table: "cases",
	Sorts: record.Sorts[Case]{
		"created":     {Column: "cases.id", Value: func(c *Case) string { return c.ID }},
		"detained_at": {Column: "cases.detained_at_sort", Value: func(c *Case) string { return c.DetainedAtSort }},
	},
	DefaultSort: "-created", ID: func(c *Case) string { return c.ID }, Count: true,
}

// caseRelevance orders a case search best match first, then newest first.
var caseRelevance = relevance[Case]{table: "cases", idDesc: true, id: func(c *Case) string { return c.ID }}

// listCases lists the cases p sees matching f (with their charges), with
// the best match of each for a search (nil without q).
// caseQuery returns the query on the cases p may see that f selects (the
// list's filters, q included), with the parsed search (nil without q).
func caseQuery(tx *gorm.DB, p *actor.Principal, f CaseFilter) (func() *gorm.DB, *searchQuery, error) {
	lo, hi, err := detainedRange(f.DetainedFrom, f.DetainedTo)
	if err != nil {
		return nil, nil, err
	}
	sq, err := parseSearch(f.Q)
	if err != nil {
		return nil, nil, err
	}
	var m sqlPart
	if sq != nil {
		if m, err = caseMatches(tx, sq); err != nil {
			return nil, nil, err
		}
	}
	base := func() *gorm.DB {
		q := tx.Model(&Case{}).Scopes(access.Cases(p))
		if f.Province != "" || f.Issue != "" {
			// Only these filters read the detainee; without them the count
			// and the page read the cases index alone (the join cost a
			// lookup per counted case: 5.8 ms of CPU per list request on
			// SQLite at 150,000 cases).
			q = q.Joins("JOIN detainees ON detainees.id = cases.detainee_id")
		}
		if f.DetaineeID != "" {
			// The detainee's own cases and the cases it is linked to as a
			// co-defendant (issue 25).
			q = q.Where("(cases.detainee_id = ? OR cases.id IN (SELECT f_cd.case_id FROM case_detainees f_cd WHERE f_cd.detainee_id = ?))",
				f.DetaineeID, f.DetaineeID)
		}
		if f.Status != "" {
			q = q.Where("cases.status = ?", f.Status)
		}
		if f.Stage != "" {
			q = q.Where("cases.stage = ?", f.Stage)
		}
		if f.Province != "" {
			q = q.Where("detainees.home_province = ?", record.Clean(f.Province))
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
			named := access.LawyerNamed(p, "f_a.lawyer_id")
			q = q.Where("cases.id IN (SELECT f_a.case_id FROM assignments f_a WHERE f_a.lawyer_id = ? AND "+named.SQL+")",
				append([]any{f.LawyerID}, named.Args...)...)
		}
		if lo != "" {
			q = q.Where("cases.detained_at_sort <> '' AND cases.detained_at_sort >= ?", lo)
		}
		if hi != "" {
			q = q.Where("cases.detained_at_sort <> '' AND cases.detained_at_sort <= ?", hi)
		}
		if sq != nil {
			q = joinMatches(q, m, "cases.id")
		}
		return q
	}
	return base, sq, nil
}

func listCases(tx *gorm.DB, p *actor.Principal, f CaseFilter) (record.Page[Case], map[string]rankedMatch, error) {
	base, sq, err := caseQuery(tx, p, f)
	if err != nil {
		return record.Page[Case]{}, nil, err
	}
	var (
		page record.Page[Case]
		best map[string]rankedMatch
	)
	matched := func(ids []string) (map[string]rankedMatch, error) {
		rows, err := caseMatchRows(tx, sq, ids)
		return bestMatches(sq, rows), err
	}
	switch {
	case sq != nil && f.Sort == "":
		page, best, err = caseRelevance.page(tx, base, sq, f.ListOptions, matched)
	case sq != nil:
		if page, err = caseList.Page(base, f.ListOptions); err == nil {
			best, err = matched(pageIDs(page.Items, func(c *Case) string { return c.ID }))
		}
	default:
		page, err = caseList.Page(base, f.ListOptions)
	}
	rows := page.Items
	if err != nil || len(rows) == 0 {
		return page, best, err
	}
	ids := make([]string, len(rows))
	for i := range rows {
		ids[i] = rows[i].ID
	}
	var charges []Charge
	if err := tx.Where("case_id IN ?", ids).Order("case_id, position").Find(&charges).Error; err != nil {
		return record.Page[Case]{}, nil, err
	}
	byCase := map[string][]Charge{}
	for _, ch := range charges {
		byCase[ch.CaseID] = append(byCase[ch.CaseID], ch)
	}
	for i := range rows {
		rows[i].Charges = byCase[rows[i].ID]
	}
	return page, best, nil
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

// lawyerList is the keyset of the lawyer list.
var lawyerList = record.Keyset[Lawyer]{
	Table: "lawyers",
	Sorts: record.Sorts[Lawyer]{
		"created": {Column: "lawyers.id", Value: func(l *Lawyer) string { return l.ID }},
		"name":    {Column: "lawyers.name", Value: func(l *Lawyer) string { return l.Name }},
	},
	DefaultSort: "name", ID: func(l *Lawyer) string { return l.ID }, Count: true,
}

// lawyerRelevance orders a lawyer search best match first, then by name.
var lawyerRelevance = relevance[Lawyer]{
	table: "lawyers", nameCol: "lawyers.name",
	id: func(l *Lawyer) string { return l.ID }, name: func(l *Lawyer) string { return l.Name },
}

// listLawyers lists the lawyers p sees matching f, with the best match of
// each for a search (nil without q).
func listLawyers(tx *gorm.DB, p *actor.Principal, f LawyerFilter) (record.Page[Lawyer], map[string]rankedMatch, error) {
	sq, err := parseSearch(f.Q)
	if err != nil {
		return record.Page[Lawyer]{}, nil, err
	}
	var m sqlPart
	if sq != nil {
		if m, err = lawyerMatches(tx, sq); err != nil {
			return record.Page[Lawyer]{}, nil, err
		}
	}
	base := func() *gorm.DB {
		q := tx.Model(&Lawyer{}).Scopes(access.Lawyers(p))
		if f.LicenceStatus != "" {
			q = q.Where("lawyers.licence_status = ?", f.LicenceStatus)
		}
		if sq != nil {
			q = joinMatches(q, m, "lawyers.id")
		}
		return q
	}
	if sq == nil {
		page, err := lawyerList.Page(base, f.ListOptions)
		return page, nil, err
	}
	matched := func(ids []string) (map[string]rankedMatch, error) {
		rows, err := lawyerMatchRows(tx, sq, ids)
		return bestMatches(sq, rows), err
	}
	if f.Sort == "" {
		return lawyerRelevance.page(tx, base, sq, f.ListOptions, matched)
	}
	page, err := lawyerList.Page(base, f.ListOptions)
	if err != nil {
		return page, nil, err
	}
	best, err := matched(pageIDs(page.Items, func(l *Lawyer) string { return l.ID }))
	return page, best, err
}

// assignmentList is the keyset of a case's assignments.
var assignmentList = record.Keyset[Assignment]{
	Table:       "assignments",
	Sorts:       record.Sorts[Assignment]{"created": {Column: "assignments.id", Value: func(a *Assignment) string { return a.ID }}},
	DefaultSort: "created", ID: func(a *Assignment) string { return a.ID }, Count: true,
}

func listAssignments(tx *gorm.DB, p *actor.Principal, caseID string, o record.ListOptions) (record.Page[Assignment], error) {
	base := func() *gorm.DB {
		return record.Where(tx.Model(&Assignment{}), access.AssignmentVisible(p, "assignments")).Where("assignments.case_id = ?", caseID)
	}
	return assignmentList.Page(base, o)
}

// shareList is the keyset of a case's shares.
var shareList = record.Keyset[Share]{
	Table:       "case_shares",
	Sorts:       record.Sorts[Share]{"created": {Column: "case_shares.id", Value: func(s *Share) string { return s.ID }}},
	DefaultSort: "created", ID: func(s *Share) string { return s.ID }, Count: true,
}

func listShares(tx *gorm.DB, caseID string, o record.ListOptions) (record.Page[Share], error) {
	base := func() *gorm.DB { return tx.Model(&Share{}).Where("case_shares.case_id = ?", caseID) }
	return shareList.Page(base, o)
}

func lawyerNames(tx *gorm.DB, ids []string) (map[string]LawyerRef, error) {
	var rows []struct {
		ID, Name     string
		Confidential bool
	}
	if len(ids) == 0 {
		return map[string]LawyerRef{}, nil
	}
	if err := tx.Model(&Lawyer{}).Where("id IN ?", ids).Select("id, name, confidential").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make(map[string]LawyerRef, len(rows))
	for _, r := range rows {
		out[r.ID] = LawyerRef{r.Name, r.Confidential}
	}
	return out, nil
}

func countWhere(tx *gorm.DB, model any, where string, args ...any) (int64, error) {
	var n int64
	err := tx.Model(model).Where(where, args...).Count(&n).Error
	return n, err
}

// findCustodyPeriod finds a custody period of caseID that p may see
// (observers never see confidential ones); an id of another case is not found.
func findCustodyPeriod(tx *gorm.DB, p *actor.Principal, caseID, id string) (*CustodyPeriod, error) {
	var cp CustodyPeriod
	err := record.Where(tx, access.TimelineRowVisible(p, "custody_periods")).
		Where("custody_periods.case_id = ? AND custody_periods.id = ?", caseID, id).Take(&cp).Error
	if err != nil {
		return nil, record.NotFound(err, "custody_period")
	}
	return &cp, nil
}

// custodyList is the keyset of a case's custody periods, by start.
var custodyList = record.Keyset[CustodyPeriod]{
	Table: "custody_periods",
	Sorts: record.Sorts[CustodyPeriod]{
		"started_at": {Column: "custody_periods.started_at_sort", Value: func(cp *CustodyPeriod) string { return cp.StartedAtSort }},
		"created":    {Column: "custody_periods.id", Value: func(cp *CustodyPeriod) string { return cp.ID }},
	},
	DefaultSort: "started_at", ID: func(cp *CustodyPeriod) string { return cp.ID }, Count: true,
}

func listCustodyPeriods(tx *gorm.DB, p *actor.Principal, caseID string, o record.ListOptions) (record.Page[CustodyPeriod], error) {
	base := func() *gorm.DB {
		return record.Where(tx.Model(&CustodyPeriod{}), access.TimelineRowVisible(p, "custody_periods")).
			Where("custody_periods.case_id = ?", caseID)
	}
	return custodyList.Page(base, o)
}

// CustodyPeriodsTx returns, inside tx, the custody periods of the cases
// caseIDs that p may see (confidential ones only for those who may read
// them), each case's ordered by start. It records no audit entry. The
// time-limit engine and the dossier read the periods through it (adapters
// in internal/app).
func CustodyPeriodsTx(tx *gorm.DB, p *actor.Principal, caseIDs []string) (map[string][]CustodyPeriod, error) {
	out := map[string][]CustodyPeriod{}
	if len(caseIDs) == 0 {
		return out, nil
	}
	var rows []CustodyPeriod
	err := record.Where(tx, access.TimelineRowVisible(p, "custody_periods")).Where("custody_periods.case_id IN ?", caseIDs).
		Order("custody_periods.case_id, custody_periods.started_at_sort, custody_periods.id").Find(&rows).Error
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.CaseID] = append(out[r.CaseID], r)
	}
	return out, nil
}
