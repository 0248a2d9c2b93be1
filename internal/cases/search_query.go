package cases

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/access"
	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/names"
	"github.com/habeas-org/habeas/internal/record"
)

// The query side of the name index (docs/search.md, "Query"). A search q
// is folded (names.Fold); the records holding every gram of
// names.QueryGrams(q) are the candidates (search_grams, read from its
// rarest gram, the other grams probed by primary key), and a candidate
// matches when one of its keys contains the folded q (search_keys.folded
// LIKE %q%). The answer is exactly that of a plain substring match of the
// folded keys; the records table is never scanned. Each match has a rank:
// 0 when a key equals q, 1 when a key starts with it, 2 otherwise.

// errShortQuery answers a q the index cannot serve.
var errShortQuery = apperr.Field("q", "at least two letters or one Chinese character")

// searchQuery is a parsed q: its fold and the grams it is looked up by.
type searchQuery struct {
	folded string
	grams  []string
}

// parseSearch parses q: nil for no search (empty or blank), an error about
// field q when the index cannot serve it.
func parseSearch(q string) (*searchQuery, error) {
	if strings.TrimSpace(q) == "" {
		return nil, nil
	}
	if msg := record.CheckEncoding(q, record.MaxShort); msg != "" {
		return nil, apperr.Field("q", msg)
	}
	fq := names.Fold(q)
	grams := names.QueryGrams(fq)
	if fq == "" || len(grams) == 0 {
		return nil, errShortQuery
	}
	return &searchQuery{folded: fq, grams: grams}, nil
}

// likeEscaper escapes LIKE wildcards (with record.LikeEscape).
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

func (sq *searchQuery) contains() string { return "%" + likeEscaper.Replace(sq.folded) + "%" }
func (sq *searchQuery) prefix() string   { return likeEscaper.Replace(sq.folded) + "%" }

// rankOf is the rank of a matching key.
func (sq *searchQuery) rankOf(key string) int {
	switch {
	case key == sq.folded:
		return 0
	case strings.HasPrefix(key, sq.folded):
		return 1
	}
	return 2
}

// maxProbeGrams bounds the grams a query is looked up by (the rarest
// ones): any subset of QueryGrams keeps the answer exact, as the keys are
// checked anyway.
const maxProbeGrams = 3

// gramCountCap bounds the posting lists counted to find the rarest gram.
const gramCountCap = 1000

// planGrams orders the query's grams of each owner type rarest first and
// keeps at most maxProbeGrams of them: the capped lengths of their posting
// lists, remembered for a while (plannedGramCounts), the others counted in
// one statement (none for a single gram).
func planGrams(tx *gorm.DB, sq *searchQuery, ownerTypes ...string) (map[string][]string, error) {
	out := map[string][]string{}
	if len(sq.grams) == 1 {
		for _, t := range ownerTypes {
			out[t] = sq.grams
		}
		return out, nil
	}
	now := time.Now()
	counts := make([]int64, len(ownerTypes)*len(sq.grams))
	var cols []string
	var args []any
	var missing []int
	for i, t := range ownerTypes {
		for j, g := range sq.grams {
			k := i*len(sq.grams) + j
			if n, ok := plannedGramCounts.get(t, g, now); ok {
				counts[k] = n
				continue
			}
			cols = append(cols, fmt.Sprintf("(SELECT COUNT(*) FROM (SELECT 1 FROM search_grams WHERE owner_type = ? AND gram = ? LIMIT %d) pc) AS n%d", gramCountCap, len(cols)))
			args = append(args, t, g)
			missing = append(missing, k)
		}
	}
	if len(cols) > 0 {
		if err := countGrams(tx, cols, args, counts, missing); err != nil {
			return nil, err
		}
		for _, k := range missing {
			plannedGramCounts.put(ownerTypes[k/len(sq.grams)], sq.grams[k%len(sq.grams)], counts[k], now)
		}
	}
	for i, t := range ownerTypes {
		c := counts[i*len(sq.grams) : (i+1)*len(sq.grams)]
		idx := make([]int, len(sq.grams))
		for j := range idx {
			idx[j] = j
		}
		sort.SliceStable(idx, func(a, b int) bool { return c[idx[a]] < c[idx[b]] })
		gs := make([]string, 0, maxProbeGrams)
		for _, j := range idx[:min(len(idx), maxProbeGrams)] {
			gs = append(gs, sq.grams[j])
		}
		out[t] = gs
	}
	return out, nil
}

// countGrams runs the statement of capped counts cols and stores its
// values in counts at the positions missing.
func countGrams(tx *gorm.DB, cols []string, args []any, counts []int64, missing []int) error {
	rows, err := tx.Raw("SELECT "+strings.Join(cols, ", "), args...).Rows()
	if err != nil {
		return fmt.Errorf("cases: search: count grams: %w", err)
	}
	defer rows.Close()
	got := make([]int64, len(cols))
	ptrs := make([]any, len(cols))
	for i := range got {
		ptrs[i] = &got[i]
	}
	if rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return fmt.Errorf("cases: search: count grams: %w", err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("cases: search: count grams: %w", err)
	}
	for i, k := range missing {
		counts[k] = got[i]
	}
	return nil
}

// sqlPart is SQL text (constants of this file only) with its arguments.
type sqlPart struct {
	SQL  string
	Args []any
}

// keyMatches is "SELECT owner_id, srank" of the records of ownerType with
// a key containing the query. Its shape is fixed so that neither database
// can choose another order: the candidates are the posting list of the
// rarest gram (g0, a primary-key range of search_grams); each other gram is
// probed by primary key for each candidate, and the candidate's keys (a
// primary-key prefix of search_keys) give its rank, NULL when none contains
// the query. The probes are correlated subqueries with an OFFSET, which
// PostgreSQL may not turn into joins: as joins it merged the rarest list
// with a common gram's list of 16,000 rows, or scanned every key with
// LIKE, both tens of milliseconds at 250,000 records. fence (subqueryFence)
// keeps the rank from being computed twice. The alias prefix a keeps
// nested copies apart.
func keyMatches(sq *searchQuery, ownerType string, grams []string, a, fence string) sqlPart {
	var b strings.Builder
	fmt.Fprintf(&b, `SELECT owner_id, srank FROM (SELECT %[1]sg0.owner_id AS owner_id,`+
		` (SELECT MIN(CASE WHEN %[1]sk.folded = ? THEN 0 WHEN %[1]sk.folded LIKE ?%[2]s THEN 1 ELSE 2 END) FROM search_keys %[1]sk`+
		` WHERE %[1]sk.owner_type = ? AND %[1]sk.owner_id = %[1]sg0.owner_id AND %[1]sk.folded LIKE ?%[2]s) AS srank`+
		` FROM search_grams %[1]sg0 WHERE %[1]sg0.owner_type = ? AND %[1]sg0.gram = ?`, a, record.LikeEscape)
	args := []any{sq.folded, sq.prefix(), ownerType, sq.contains(), ownerType, grams[0]}
	for i, g := range grams[1:] {
		fmt.Fprintf(&b, ` AND EXISTS (SELECT 1 FROM search_grams %[1]sg%[2]d WHERE %[1]sg%[2]d.owner_type = ? AND %[1]sg%[2]d.gram = ? AND %[1]sg%[2]d.owner_id = %[1]sg0.owner_id LIMIT 1 OFFSET 0)`, a, i+1)
		args = append(args, ownerType, g)
	}
	fmt.Fprintf(&b, `%[2]s) %[1]sm WHERE srank IS NOT NULL`, a, fence)
	return sqlPart{SQL: b.String(), Args: args}
}

// subqueryFence is the clause that keeps the database from merging a
// derived table into the statement around it (an OFFSET, which changes
// nothing else).
func subqueryFence(tx *gorm.DB) string {
	if tx.Dialector.Name() == "postgres" {
		return " LIMIT ALL OFFSET 0"
	}
	return " LIMIT -1 OFFSET 0"
}

// ranked groups "owner_id, rank" rows into the best rank of each owner.
func ranked(parts ...sqlPart) sqlPart {
	var sqls []string
	var args []any
	for _, p := range parts {
		sqls = append(sqls, p.SQL)
		args = append(args, p.Args...)
	}
	return sqlPart{SQL: `SELECT owner_id, MIN(srank) AS srank FROM (` + strings.Join(sqls, " UNION ALL ") + `) sm_u GROUP BY owner_id`, Args: args}
}

// keyMatcher builds the key-match statements of one search: from the
// gram index (keyMatches, with the grams planned once), or on PostgreSQL
// for a Latin query of three letters or more from the trigram index of the
// keys (trigramKeyMatches).
type keyMatcher struct {
	sq      *searchQuery
	plan    map[string][]string
	trigram bool
	fence   string
}

func newKeyMatcher(tx *gorm.DB, sq *searchQuery, ownerTypes ...string) (*keyMatcher, error) {
	m := &keyMatcher{sq: sq, fence: subqueryFence(tx)}
	if trigram, err := trigramServes(tx, sq); err != nil {
		return nil, err
	} else if trigram {
		m.trigram = true
		return m, nil
	}
	plan, err := planGrams(tx, sq, ownerTypes...)
	if err != nil {
		return nil, err
	}
	m.plan = plan
	return m, nil
}

// matches is "SELECT owner_id, srank" of the records of ownerType with a
// key containing the query (alias prefix a).
func (m *keyMatcher) matches(ownerType, a string) sqlPart {
	if m.trigram {
		return trigramKeyMatches(m.sq, ownerType, a)
	}
	return keyMatches(m.sq, ownerType, m.plan[ownerType], a, m.fence)
}

// detaineeMatches are the detainees matching sq for p: through their own
// name forms, or the title or case numbers of one of their cases p sees.
func detaineeMatches(tx *gorm.DB, p *actor.Principal, sq *searchQuery) (sqlPart, error) {
	m, err := newKeyMatcher(tx, sq, ownerDetainee, ownerCase)
	if err != nil {
		return sqlPart{}, err
	}
	own := m.matches(ownerDetainee, "d")
	cm := m.matches(ownerCase, "c")
	vis := access.CaseIDVisible(p, "smc.id")
	viaCase := sqlPart{SQL: `SELECT smc.detainee_id AS owner_id, cm.srank AS srank FROM (` + cm.SQL + `) cm JOIN cases smc ON smc.id = cm.owner_id WHERE ` + vis.SQL,
		Args: append(cm.Args, vis.Args...)}
	return ranked(own, viaCase), nil
}

// caseMatches are the cases matching sq: through their title and case
// numbers, or their detainee's name forms. (The caller scopes the cases.)
func caseMatches(tx *gorm.DB, sq *searchQuery) (sqlPart, error) {
	m, err := newKeyMatcher(tx, sq, ownerCase, ownerDetainee)
	if err != nil {
		return sqlPart{}, err
	}
	own := m.matches(ownerCase, "c")
	dm := m.matches(ownerDetainee, "d")
	viaDetainee := sqlPart{SQL: `SELECT smc.id AS owner_id, dm.srank AS srank FROM (` + dm.SQL + `) dm JOIN cases smc ON smc.detainee_id = dm.owner_id`, Args: dm.Args}
	return ranked(own, viaDetainee), nil
}

// lawyerMatches are the lawyers matching sq (name, other names, law firm,
// licence number).
func lawyerMatches(tx *gorm.DB, sq *searchQuery) (sqlPart, error) {
	m, err := newKeyMatcher(tx, sq, ownerLawyer)
	if err != nil {
		return sqlPart{}, err
	}
	return ranked(m.matches(ownerLawyer, "l")), nil
}

// joinMatches joins the ranked matches m (as "sm") to q on idCol.
func joinMatches(q *gorm.DB, m sqlPart, idCol string) *gorm.DB {
	return q.Joins("JOIN ("+m.SQL+") sm ON sm.owner_id = "+idCol, m.Args...)
}

// matchRow is one key of a listed record that contains the query.
type matchRow struct {
	ID, Folded, Field, Source string
}

// bestMatches picks, for each record id, the best of its matching keys:
// lowest rank, then the record's own fields before those of a related
// record, "name" first.
func bestMatches(sq *searchQuery, rows []matchRow) map[string]rankedMatch {
	out := map[string]rankedMatch{}
	for _, r := range rows {
		m := rankedMatch{rank: sq.rankOf(r.Folded), SearchMatch: SearchMatch{Field: r.Field, Form: r.Source}}
		if cur, ok := out[r.ID]; !ok || m.before(cur) {
			out[r.ID] = m
		}
	}
	return out
}

// rankedMatch is a match with its rank.
type rankedMatch struct {
	rank int
	SearchMatch
}

func (m rankedMatch) before(o rankedMatch) bool {
	if m.rank != o.rank {
		return m.rank < o.rank
	}
	mr, or := strings.Contains(m.Field, "."), strings.Contains(o.Field, ".")
	if mr != or {
		return !mr
	}
	if (m.Field == "name") != (o.Field == "name") {
		return m.Field == "name"
	}
	if m.Field != o.Field {
		return m.Field < o.Field
	}
	return m.Form < o.Form
}

// detaineeMatchRows reads the matching keys of the detainees ids: their
// own and those of their cases p sees (field "case.<field>").
func detaineeMatchRows(tx *gorm.DB, p *actor.Principal, sq *searchQuery, ids []string) ([]matchRow, error) {
	var rows []matchRow
	if len(ids) == 0 {
		return rows, nil
	}
	vis := access.CaseIDVisible(p, "mc.id")
	like := sq.contains()
	err := tx.Raw(`SELECT k.owner_id AS id, k.folded, k.field, k.source FROM search_keys k WHERE k.owner_type = ? AND k.owner_id IN ? AND k.folded LIKE ?`+record.LikeEscape+
		// CROSS JOIN keeps SQLite on the detainees' cases first (by
		// detainee_id), then their keys by primary key; with a plain JOIN it
		// read every case key of the database and looked each case up
		// (90 % of a search's time at 150,000 cases).
		` UNION ALL SELECT mc.detainee_id AS id, k.folded, 'case.' || k.field AS field, k.source FROM cases mc CROSS JOIN search_keys k`+
		` WHERE k.owner_type = ? AND k.owner_id = mc.id AND mc.detainee_id IN ? AND k.folded LIKE ?`+record.LikeEscape+` AND `+vis.SQL,
		append([]any{ownerDetainee, ids, like, ownerCase, ids, like}, vis.Args...)...).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("cases: search: matched forms: %w", err)
	}
	return rows, nil
}

// caseMatchRows reads the matching keys of the cases ids: their own and
// their detainee's (field "detainee.<field>").
func caseMatchRows(tx *gorm.DB, sq *searchQuery, ids []string) ([]matchRow, error) {
	var rows []matchRow
	if len(ids) == 0 {
		return rows, nil
	}
	like := sq.contains()
	err := tx.Raw(`SELECT k.owner_id AS id, k.folded, k.field, k.source FROM search_keys k WHERE k.owner_type = ? AND k.owner_id IN ? AND k.folded LIKE ?`+record.LikeEscape+
		` UNION ALL SELECT mc.id AS id, k.folded, 'detainee.' || k.field AS field, k.source FROM cases mc CROSS JOIN search_keys k`+
		` WHERE k.owner_type = ? AND k.owner_id = mc.detainee_id AND mc.id IN ? AND k.folded LIKE ?`+record.LikeEscape,
		ownerCase, ids, like, ownerDetainee, ids, like).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("cases: search: matched forms: %w", err)
	}
	return rows, nil
}

// lawyerMatchRows reads the matching keys of the lawyers ids.
func lawyerMatchRows(tx *gorm.DB, sq *searchQuery, ids []string) ([]matchRow, error) {
	var rows []matchRow
	if len(ids) == 0 {
		return rows, nil
	}
	err := tx.Raw(`SELECT k.owner_id AS id, k.folded, k.field, k.source FROM search_keys k WHERE k.owner_type = ? AND k.owner_id IN ? AND k.folded LIKE ?`+record.LikeEscape,
		ownerLawyer, ids, sq.contains()).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("cases: search: matched forms: %w", err)
	}
	return rows, nil
}

// searchCursor is a position in a list ordered by relevance: the folded
// query it was made for, then rank, name and id of the last row.
type searchCursor struct {
	Q    string `json:"q"`
	Rank int    `json:"r"`
	Name string `json:"n"`
	ID   string `json:"i"`
}

// relevance describes a list of T ordered best match first: by rank, then
// by nameCol ("" for none), then by id (descending when idDesc).
type relevance[T any] struct {
	table   string
	nameCol string
	idDesc  bool
	id      func(*T) string
	name    func(*T) string
}

// page returns the page of base (a fresh scoped, filtered query joined to
// the matches "sm") after o.Cursor, best matches first, with the capped
// total; matched gives the best match of each listed id (rank included).
func (r relevance[T]) page(tx *gorm.DB, base func() *gorm.DB, sq *searchQuery, o record.ListOptions,
	matched func(ids []string) (map[string]rankedMatch, error)) (record.Page[T], map[string]rankedMatch, error) {
	var none record.Page[T]
	limit, err := record.Limit(o.Limit, record.MaxLimit)
	if err != nil {
		return none, nil, err
	}
	var cur *searchCursor
	if o.Cursor != "" {
		if cur, err = record.DecodeCursor(o.Cursor, func(c *searchCursor) bool { return c.Q == sq.folded && c.ID != "" }); err != nil {
			return none, nil, err
		}
	}
	var out record.Page[T]
	idCol := r.table + ".id"
	idOp, idDir := ">", "ASC"
	if r.idDesc {
		idOp, idDir = "<", "DESC"
	}
	q := base()
	order := "sm.srank ASC, "
	if r.nameCol != "" {
		order += r.nameCol + " ASC, "
	}
	order += idCol + " " + idDir
	if cur != nil {
		if r.nameCol != "" {
			q = q.Where("(sm.srank > ? OR (sm.srank = ? AND ("+r.nameCol+" > ? OR ("+r.nameCol+" = ? AND "+idCol+" "+idOp+" ?))))",
				cur.Rank, cur.Rank, cur.Name, cur.Name, cur.ID)
		} else {
			q = q.Where("(sm.srank > ? OR (sm.srank = ? AND "+idCol+" "+idOp+" ?))", cur.Rank, cur.Rank, cur.ID)
		}
	}
	var ids []string
	if err := q.Order(order).Limit(limit+1).Pluck(idCol, &ids).Error; err != nil {
		return none, nil, fmt.Errorf("cases: search: page: %w", err)
	}
	more := len(ids) > limit
	if more {
		ids = ids[:limit]
	}
	// A first page that holds every match is its own count (most name
	// searches: the matches are computed once, not twice).
	if cur == nil && !more {
		out.Total = int64(len(ids))
	} else if out.Total, out.TotalCapped, err = record.CountCapped(base()); err != nil {
		return none, nil, err
	}
	var rows []T
	if len(ids) > 0 {
		if err := tx.Where(idCol+" IN ?", ids).Find(&rows).Error; err != nil {
			return none, nil, fmt.Errorf("cases: search: load page: %w", err)
		}
	}
	pos := make(map[string]int, len(ids))
	for i, id := range ids {
		pos[id] = i
	}
	sort.Slice(rows, func(a, b int) bool { return pos[r.id(&rows[a])] < pos[r.id(&rows[b])] })
	best, err := matched(ids)
	if err != nil {
		return none, nil, err
	}
	if more && len(rows) > 0 {
		last := &rows[len(rows)-1]
		c := searchCursor{Q: sq.folded, Rank: 2, ID: r.id(last)}
		if m, ok := best[c.ID]; ok {
			c.Rank = m.rank
		}
		if r.name != nil {
			c.Name = r.name(last)
		}
		s := record.EncodeCursor(c)
		out.NextCursor = &s
	}
	out.Items = rows
	return out, best, nil
}

// withMatch returns m's SearchMatch for a view (nil when there is none).
func withMatch(best map[string]rankedMatch, id string) *SearchMatch {
	m, ok := best[id]
	if !ok {
		return nil
	}
	sm := m.SearchMatch
	return &sm
}
