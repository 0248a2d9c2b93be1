package deadlines

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/access"
	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/civil"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/lang"
	"github.com/habeas-org/habeas/internal/partialdate"
	"github.com/habeas-org/habeas/internal/record"
)

// EventSource lists, per case, the dated timeline events p may see (the
// timeline service implements it). Facts computed for p use only these, so
// a limit never reveals an event p may not read.
type EventSource interface {
	// DeadlineEvents returns the live dated events of caseIDs (whose
	// visibility the caller has checked), confidential ones only with
	// withConfidential.
	DeadlineEvents(ctx context.Context, tx *gorm.DB, caseIDs []string, withConfidential bool) (map[string][]Event, error)
}

// Item is one rule applied to one case, as the API returns it.
type Item struct {
	CaseID       string `json:"case_id"`
	DetaineeName string `json:"detainee_name"`
	Result
	// DueAt is the end of the due day in China Standard Time (RFC 3339);
	// null when the status is unknown or not applicable.
	DueAt *string `json:"due_at"`
	// DueAtLatest is the end of the day the limit passes even with every
	// lawful extension (RFC 3339, CST); null when unbounded or unknown.
	DueAtLatest *string `json:"due_at_latest"`
}

// Service answers the time-limit routes: it loads a case's dates, charges
// and visible events, scoped by internal/access, and evaluates the rules.
type Service struct {
	*record.Kit
	events EventSource
	// shared is the refresh that reads waiting for a current index share
	// (sharedRefresh).
	shared sharedRun
	// refreshMu makes this process's refreshes take turns (RefreshOnce).
	refreshMu sync.Mutex
}

// NewService returns the time-limit service. Reads are audited with rec
// (the limits of a case are derived from its record and its events).
func NewService(d *db.DB, events EventSource, rec audit.Recorder) *Service {
	return &Service{Kit: record.NewKit("deadlines", d, rec), events: events}
}

// caseRow is what the rules read of a case (and its stage, which the
// index counts by).
type caseRow struct {
	ID, DetaineeID, Status, Stage                                    string
	DetainedAt, RSDLStartAt, RSDLEndAt, ArrestApprovedAt, IndictedAt string
	VerdictAt, AppealAt, ReleaseAt                                   string
	SentenceKind                                                     string
	SentenceTermMonths                                               *int
	SentenceInForceAt                                                string
}

func (caseRow) TableName() string { return "cases" }

// ForCase evaluates every applicable rule for a case p may see (404
// otherwise), ordered by due date, with texts in the language of ctx
// (lang.From).
func (s *Service) ForCase(ctx context.Context, p *actor.Principal, caseID string) ([]Item, error) {
	out, err := record.Read(ctx, s.Kit, p, func(tx *gorm.DB) ([]Item, error) {
		var rows []caseRow
		if err := s.cases(tx, p).Where("cases.id = ?", caseID).Find(&rows).Error; err != nil {
			return nil, fmt.Errorf("deadlines: load case: %w", err)
		}
		if len(rows) == 0 {
			return nil, apperr.NotFound("case")
		}
		facts, err := s.facts(ctx, tx, access.SeesConfidential(p), rows)
		if err != nil {
			return nil, err
		}
		out := s.evaluate(ctx, rows, facts)
		return out, s.Record(ctx, tx, p, audit.Entry{Action: "case.deadlines.read", ObjectType: "case", ObjectID: caseID, CaseID: caseID})
	})
	if out == nil {
		out = []Item{}
	}
	return out, err
}

// ForCaseTx evaluates, inside tx, every applicable rule for a case p may
// see (404 otherwise), as ForCase does, without an audit entry: the caller
// (an export) audits in tx.
func (s *Service) ForCaseTx(ctx context.Context, tx *gorm.DB, p *actor.Principal, caseID string) ([]Item, error) {
	var rows []caseRow
	if err := s.cases(tx, p).Where("cases.id = ?", caseID).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("deadlines: load case: %w", err)
	}
	if len(rows) == 0 {
		return nil, apperr.NotFound("case")
	}
	facts, err := s.facts(ctx, tx, access.SeesConfidential(p), rows)
	if err != nil {
		return nil, err
	}
	out := s.evaluate(ctx, rows, facts)
	if out == nil {
		out = []Item{}
	}
	return out, nil
}

// batch is how many cases are evaluated per query round.
const batch = 500

// cases is the scoped query on the cases p may see, with the columns the
// rules read.
func (s *Service) cases(tx *gorm.DB, p *actor.Principal) *gorm.DB {
	return s.allCases(tx).Scopes(access.Cases(p))
}

// allCases is the unscoped query on cases with the columns the rules read:
// only the index refresh, which computes every class for every case, uses
// it directly.
func (s *Service) allCases(tx *gorm.DB) *gorm.DB {
	return tx.Model(&caseRow{}).Select("cases.id, cases.detainee_id, cases.status, " +
		"cases.stage, cases.detained_at, cases.rsdl_start_at, cases.rsdl_end_at, cases.arrest_approved_at, cases.indicted_at, " +
		"cases.verdict_at, cases.appeal_at, cases.release_at, cases.sentence_kind, cases.sentence_term_months, " +
		"cases.sentence_in_force_at")
}

// caseFacts is what the engine reads of one case, with its detainee's name.
type caseFacts struct {
	Facts
	name string
}

// periodRow is a custody period as stored (0011_custody.sql).
type periodRow struct {
	ID, CaseID, Measure, StartedAt, EndedAt, FacilityName, FacilityCity string
}

// facts loads, in batched queries, the charges, names, custody periods and
// events of rows (cases whose visibility the caller has checked). Without
// confidential (observers: access.SeesConfidential) the facts leave out
// confidential periods and events, so a limit never reveals a record its
// reader cannot read.
func (s *Service) facts(ctx context.Context, tx *gorm.DB, confidential bool, rows []caseRow) (map[string]caseFacts, error) {
	return s.loadFacts(ctx, tx, confidential, rows, needCharges|needNames)
}

// What loadFacts reads besides the custody periods and events.
const (
	// needCharges: the charges (a state-security or terrorism charge
	// changes the limits; the expected release does not read them).
	needCharges = 1 << iota
	// needNames: the detainees' names (for items shown, not for the index).
	needNames
)

// loadFacts is facts reading only the parts need names.
func (s *Service) loadFacts(ctx context.Context, tx *gorm.DB, confidential bool, rows []caseRow, need int) (map[string]caseFacts, error) {
	ids := make([]string, len(rows))
	detainees := make([]string, len(rows))
	for i, r := range rows {
		ids[i], detainees[i] = r.ID, r.DetaineeID
	}
	security := map[string]bool{}
	if need&needCharges != 0 {
		var charges []struct{ CaseID, Charge string }
		if err := tx.Table("case_charges").Select("case_id, charge").Where("case_id IN ?", ids).Find(&charges).Error; err != nil {
			return nil, fmt.Errorf("deadlines: load charges: %w", err)
		}
		for _, c := range charges {
			if SecurityOrTerrorismCharge(c.Charge) {
				security[c.CaseID] = true
			}
		}
	}
	name := map[string]string{}
	if need&needNames != 0 {
		var names []struct{ ID, Name string }
		if err := tx.Table("detainees").Select("id, name").Where("id IN ?", detainees).Find(&names).Error; err != nil {
			return nil, fmt.Errorf("deadlines: load names: %w", err)
		}
		for _, n := range names {
			name[n.ID] = n.Name
		}
	}
	var prows []periodRow
	// The custody periods the reader may see: for those who may not read
	// confidential records (observers), not confidential: the rule of
	// timeline rows (access.TimelineRowVisible).
	q := tx.Table("custody_periods")
	if !confidential {
		q = q.Where("custody_periods.confidential = ?", false)
	}
	q = q.Select("custody_periods.id, custody_periods.case_id, custody_periods.measure, custody_periods.started_at, "+
		"custody_periods.ended_at, custody_periods.facility_name, custody_periods.facility_city").
		Where("custody_periods.case_id IN ?", ids).Order("custody_periods.started_at_sort, custody_periods.id")
	if err := q.Find(&prows).Error; err != nil {
		return nil, fmt.Errorf("deadlines: load custody periods: %w", err)
	}
	periods := map[string][]Period{}
	for _, r := range prows {
		place := strings.Trim(r.FacilityName+", "+r.FacilityCity, ", ")
		periods[r.CaseID] = append(periods[r.CaseID], Period{ID: r.ID, Measure: r.Measure, Start: StoredDate(r.StartedAt),
			End: StoredDate(r.EndedAt), Place: place})
	}
	un, err := loadUN(tx, confidential, ids)
	if err != nil {
		return nil, err
	}
	events := map[string][]Event{}
	if s.events != nil {
		var err error
		if events, err = s.events.DeadlineEvents(ctx, tx, ids, confidential); err != nil {
			return nil, fmt.Errorf("deadlines: load events: %w", err)
		}
	}
	out := make(map[string]caseFacts, len(rows))
	for _, r := range rows {
		f := Facts{
			Periods:  periods[r.ID],
			Detained: StoredDate(r.DetainedAt), RSDLStart: StoredDate(r.RSDLStartAt), RSDLEnd: StoredDate(r.RSDLEndAt),
			ArrestApproved: StoredDate(r.ArrestApprovedAt), Indicted: StoredDate(r.IndictedAt), Verdict: StoredDate(r.VerdictAt),
			Appeal: StoredDate(r.AppealAt), Release: StoredDate(r.ReleaseAt), StateSecurityOrTerrorism: security[r.ID],
			Sentence: Sentence{Kind: r.SentenceKind, InForce: StoredDate(r.SentenceInForceAt)},
			Events:   events[r.ID],
			UN:       un[r.ID],
		}
		if r.SentenceTermMonths != nil {
			f.Sentence.TermMonths = *r.SentenceTermMonths
		}
		out[r.ID] = caseFacts{Facts: f, name: name[r.DetaineeID]}
	}
	return out, nil
}

// unRow is a UN communication as stored (0023_un_communications.sql).
type unRow struct {
	ID, CaseID, Kind, Reference, TransmittedAt, ReplyDueAt, RepliedAt string
}

// loadUN loads the live UN communications of the cases ids, confidential
// ones only with confidential (the rule of their rows,
// access.UNCommunicationVisible).
func loadUN(tx *gorm.DB, confidential bool, ids []string) (map[string][]UNCommunication, error) {
	q := tx.Table("un_communications").Select("id, case_id, kind, reference, transmitted_at, reply_due_at, replied_at").
		Where("case_id IN ? AND deleted_at IS NULL", ids)
	if !confidential {
		q = q.Where("confidential = ?", false)
	}
	var rows []unRow
	if err := q.Order("transmitted_at, id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("deadlines: load UN communications: %w", err)
	}
	out := map[string][]UNCommunication{}
	for _, r := range rows {
		out[r.CaseID] = append(out[r.CaseID], UNCommunication{ID: r.ID, Kind: r.Kind, Reference: r.Reference,
			Transmitted: StoredDate(r.TransmittedAt), ReplyDue: StoredDate(r.ReplyDueAt), Replied: StoredDate(r.RepliedAt)})
	}
	return out, nil
}

// evaluate applies the rules to each case's facts, in the language of ctx.
func (s *Service) evaluate(ctx context.Context, rows []caseRow, facts map[string]caseFacts) []Item {
	now, l := s.Now(), lang.From(ctx)
	var out []Item
	for _, r := range rows {
		cf := facts[r.ID]
		for _, res := range Evaluate(cf.Facts, now, l) {
			it := Item{CaseID: r.ID, DetaineeName: cf.name, Result: res, DueAt: rfc3339(res.DueAt), DueAtLatest: rfc3339(res.DueAtLatest)}
			out = append(out, it)
		}
	}
	return out
}

// rfc3339 is t in CST as RFC 3339, nil for the zero time.
func rfc3339(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	v := t.In(civil.CST).Format(time.RFC3339)
	return &v
}

// StoredDate reads a stored partial date (EDTF text, China Standard Time);
// empty, or a value that does not parse (none should), counts as missing.
func StoredDate(s string) partialdate.Date {
	if s == "" {
		return partialdate.Date{}
	}
	d, err := partialdate.Parse(s, civil.CST)
	if err != nil {
		return partialdate.Date{}
	}
	return d
}

// SecurityOrTerrorismCharge reports whether a charge of the case-records
// vocabulary ("art105_subversion") is in the endangering-state-security
// chapter of the Criminal Law (Arts. 102-113) or a terrorism offence
// (Art. 120 and its sub-articles), for which CPL Arts. 39 and 85 allow
// exceptions.
func SecurityOrTerrorismCharge(charge string) bool {
	rest, ok := strings.CutPrefix(charge, "art")
	if !ok {
		return false
	}
	num, _, _ := strings.Cut(rest, "_")
	n, err := strconv.Atoi(num)
	if err != nil {
		return false
	}
	return (n >= 102 && n <= 113) || n == 120
}

func parseSpan(s string) (time.Duration, error) {
	if n, ok := strings.CutSuffix(s, "d"); ok {
		days, err := strconv.Atoi(n)
		if err != nil {
			return 0, errors.New("not a number of days")
		}
		return time.Duration(days) * 24 * time.Hour, nil
	}
	return time.ParseDuration(s)
}

func validStatus(st Status) bool {
	for _, v := range Statuses {
		if v == st {
			return true
		}
	}
	return false
}

// NextLimit is a case's most urgent open time limit (overdue first, then
// by due day) as the index last evaluated it.
type NextLimit struct {
	Rule   string
	Status string
	// DueAt is the due day as indexed ("" when unknown).
	DueAt string
}

// NextLimits returns, for caseIDs (cases whose visibility the caller has
// checked), the most urgent open limit (overdue, overdue unless extended,
// pending) of each in p's visibility class, read from the index; a case
// with none is absent.
func NextLimits(tx *gorm.DB, p *actor.Principal, caseIDs []string) (map[string]NextLimit, error) {
	out := map[string]NextLimit{}
	if len(caseIDs) == 0 {
		return out, nil
	}
	var rows []indexRow
	err := tx.Where("class = ? AND case_id IN ? AND status IN ?", classOf(p), caseIDs,
		[]string{string(Overdue), string(OverdueUnlessExtended), string(Pending)}).
		Order("case_id, urgency, item_key").Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("deadlines: next limits: %w", err)
	}
	for _, r := range rows {
		if _, ok := out[r.CaseID]; !ok {
			due := r.DueAt
			if due == noDue {
				due = ""
			}
			out[r.CaseID] = NextLimit{Rule: r.Rule, Status: r.Status, DueAt: due}
		}
	}
	return out, nil
}
