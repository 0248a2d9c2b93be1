package cases_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"golang.org/x/text/unicode/norm"
	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/cases"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/record"
	"github.com/habeas-org/habeas/internal/testkit"
)

func ptr[T any](v T) *T { return &v }

// world is a small fixture: one user per role, two cases (own: shared with
// the observer and held by the lawyer; foreign: neither).
type world struct {
	svc                                      *cases.Service
	d                                        *db.DB
	admin, coord, lawyer, lawyer2, obs, obs2 *actor.Principal
	ownDetainee, foreignDetainee             cases.DetaineeView
	own, foreign                             cases.CaseView
	lawyerRec, lawyer2Rec                    cases.LawyerView
	assignment                               cases.AssignmentView
	share                                    cases.ShareView
}

func addUser(t testing.TB, d *db.DB, role actor.Role) *actor.Principal {
	t.Helper()
	id := uuid.Must(uuid.NewV7()).String()
	now := time.Now().UTC()
	err := d.Exec(`INSERT INTO users (id, email, name, role, password_hash, password_changed_at, created_at, updated_at)
		VALUES (?, ?, ?, ?, 'x', ?, ?, ?)`, id, id+"@example.org", string(role), string(role), now, now, now).Error
	if err != nil {
		t.Fatalf("add user: %v", err)
	}
	return &actor.Principal{UserID: id, Role: role, Email: id + "@example.org"}
}

// must returns v, panicking (failing the test with a stack) on err.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func newWorld(t *testing.T, d *db.DB) *world {
	t.Helper()
	ctx := context.Background()
	w := &world{d: d, svc: cases.NewService(d, audit.NewLog(d))}
	w.admin, w.coord = addUser(t, d, actor.Admin), addUser(t, d, actor.Coordinator)
	w.lawyer, w.lawyer2 = addUser(t, d, actor.Lawyer), addUser(t, d, actor.Lawyer)
	w.obs, w.obs2 = addUser(t, d, actor.Observer), addUser(t, d, actor.Observer)
	w.ownDetainee = must(w.svc.CreateDetainee(ctx, w.coord, cases.DetaineeFields{
		Name: ptr("丁家喜"), OtherNames: &[]cases.OtherName{{Name: "Ding Jiaxi", Kind: "pinyin"}},
		HomeProvince: ptr("Beijing"), DetentionStatus: ptr("detained"), Issue: ptr("human_rights_defenders"),
		FamilyContacts: ptr("wife: +1 555 0100"), HomeAddress: ptr("secret street 1"), ConfidentialNotes: ptr("notes"),
	}))
	w.foreignDetainee = must(w.svc.CreateDetainee(ctx, w.admin, cases.DetaineeFields{
		Name: ptr("伊力哈木•土赫提"), OtherNames: &[]cases.OtherName{{Name: "Ilham Tohti", Kind: "latin"}, {Name: "ئىلھام توختى", Kind: "uyghur_arabic"}},
		HomeProvince: ptr("Xinjiang"), DetentionStatus: ptr("detained"), Issue: ptr("ethnic_minority_rights"),
	}))
	w.own = must(w.svc.CreateCase(ctx, w.coord, cases.CaseCreate{DetaineeID: w.ownDetainee.ID, CaseFields: cases.CaseFields{
		CaseNumbers: &[]string{"(2021)鲁01刑初25号"}, DetainedAt: ptr("2019-12-26"), Stage: ptr("first_instance_verdict"),
		Charges:           &[]cases.ChargeInput{{Charge: "art105_subversion"}},
		ConfidentialNotes: ptr("case secret"),
	}}))
	w.foreign = must(w.svc.CreateCase(ctx, w.coord, cases.CaseCreate{DetaineeID: w.foreignDetainee.ID, CaseFields: cases.CaseFields{
		CaseNumbers: &[]string{"(2014)乌中刑初字第30号"}, DetainedAt: ptr("2014-01~"), Stage: ptr("serving_sentence"),
		Charges: &[]cases.ChargeInput{{Charge: "art103_splittism"}},
	}}))
	w.lawyerRec = must(w.svc.CreateLawyer(ctx, w.coord, cases.LawyerFields{Name: ptr("张律师"), UserID: &w.lawyer.UserID, Contact: ptr("signal: +1 555 0199")}))
	w.lawyer2Rec = must(w.svc.CreateLawyer(ctx, w.coord, cases.LawyerFields{Name: ptr("李律师"), UserID: &w.lawyer2.UserID}))
	w.assignment = must(w.svc.CreateAssignment(ctx, w.coord, w.own.ID, cases.AssignmentCreate{LawyerID: w.lawyerRec.ID, AssignmentFields: cases.AssignmentFields{Role: ptr("family_retained")}}))
	w.share = must(w.svc.CreateShare(ctx, w.coord, w.own.ID, cases.ShareCreate{UserID: w.obs.UserID}))
	return w
}

func isKind(err, kind error) bool { return errors.Is(err, kind) }

func TestScopingAndNotFound(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := newWorld(t, d)
		type who struct {
			name              string
			p                 *actor.Principal
			seesOwn, seesForn bool
		}
		for _, c := range []who{
			{"admin", w.admin, true, true},
			{"coordinator", w.coord, true, true},
			{"assigned lawyer", w.lawyer, true, false},
			{"unassigned lawyer", w.lawyer2, false, false},
			{"observer with share", w.obs, true, false},
			{"observer without share", w.obs2, false, false},
		} {
			t.Run(c.name, func(t *testing.T) {
				for _, x := range []struct {
					caseID, detID string
					want          bool
				}{{w.own.ID, w.ownDetainee.ID, c.seesOwn}, {w.foreign.ID, w.foreignDetainee.ID, c.seesForn}} {
					_, err := w.svc.GetCase(ctx, c.p, x.caseID)
					if x.want != (err == nil) || (err != nil && !isKind(err, apperr.ErrNotFound)) {
						t.Errorf("GetCase %s: err %v, want visible=%v (hidden = 404)", x.caseID, err, x.want)
					}
					_, err = w.svc.GetDetainee(ctx, c.p, x.detID)
					if x.want != (err == nil) || (err != nil && !isKind(err, apperr.ErrNotFound)) {
						t.Errorf("GetDetainee: err %v, want visible=%v", err, x.want)
					}
					_, err = w.svc.ListAssignments(ctx, c.p, x.caseID, record.ListOptions{})
					if x.want != (err == nil) || (err != nil && !isKind(err, apperr.ErrNotFound)) {
						t.Errorf("ListAssignments: err %v, want visible=%v", err, x.want)
					}
				}
				want := 0
				if c.seesOwn {
					want++
				}
				if c.seesForn {
					want++
				}
				cl := must(w.svc.ListCases(ctx, c.p, cases.CaseFilter{}))
				dl := must(w.svc.ListDetainees(ctx, c.p, cases.DetaineeFilter{}))
				if len(cl.Items) != want || cl.Total != int64(want) || len(dl.Items) != want || dl.Total != int64(want) {
					t.Errorf("lists: %d cases (total %d), %d detainees (total %d); want %d", len(cl.Items), cl.Total, len(dl.Items), dl.Total, want)
				}
				for _, it := range cl.Items {
					if it.ID == w.foreign.ID && !c.seesForn {
						t.Error("foreign case listed")
					}
				}
				// Searching the foreign detainee by name or case number finds nothing for the restricted roles.
				for _, q := range []string{"土赫提", "Ilham", "乌中刑初"} {
					dl := must(w.svc.ListDetainees(ctx, c.p, cases.DetaineeFilter{ListOptions: record.ListOptions{Q: q}}))
					if (len(dl.Items) == 1) != c.seesForn || dl.Total != int64(len(dl.Items)) {
						t.Errorf("search %q: %d items, total %d", q, len(dl.Items), dl.Total)
					}
				}
			})
		}
		// A nested id that belongs to another case is not found, even for the admin.
		if _, err := w.svc.GetAssignment(ctx, w.admin, w.foreign.ID, w.assignment.ID); !isKind(err, apperr.ErrNotFound) {
			t.Errorf("assignment via foreign case: %v, want not found", err)
		}
		if err := w.svc.RevokeShare(ctx, w.admin, w.foreign.ID, w.share.ID); !isKind(err, apperr.ErrNotFound) {
			t.Errorf("share via foreign case: %v, want not found", err)
		}
		// Anonymous: unauthenticated everywhere.
		if _, err := w.svc.GetCase(ctx, nil, w.own.ID); !isKind(err, apperr.ErrUnauthenticated) {
			t.Errorf("anonymous: %v", err)
		}
		// Role checks on visible objects: 403; on invisible ones: 404.
		if _, err := w.svc.UpdateCase(ctx, w.obs, w.own.ID, w.own.Version, cases.CaseFields{Title: ptr("x")}); !isKind(err, apperr.ErrForbidden) {
			t.Errorf("observer edits shared case: %v, want forbidden", err)
		}
		if _, err := w.svc.UpdateCase(ctx, w.lawyer2, w.own.ID, w.own.Version, cases.CaseFields{Title: ptr("x")}); !isKind(err, apperr.ErrNotFound) {
			t.Errorf("unassigned lawyer edits case: %v, want not found", err)
		}
		if _, err := w.svc.CreateDetainee(ctx, w.lawyer, cases.DetaineeFields{Name: ptr("x")}); !isKind(err, apperr.ErrForbidden) {
			t.Errorf("lawyer creates detainee: %v", err)
		}
		up, err := w.svc.UpdateCase(ctx, w.lawyer, w.own.ID, w.own.Version, cases.CaseFields{Stage: ptr("appeal")})
		if err != nil || up.Stage != "appeal" || up.Version != w.own.Version+1 {
			t.Errorf("assigned lawyer edits case: %+v %v", up, err)
		}
		if _, err := w.svc.CreateAssignment(ctx, w.coord, w.own.ID, cases.AssignmentCreate{LawyerID: w.lawyerRec.ID, AssignmentFields: cases.AssignmentFields{Role: ptr("org_appointed")}}); !isKind(err, apperr.ErrConflict) {
			t.Errorf("second active assignment: %v, want conflict", err)
		}
		// Ending the assignment ends the lawyer's access; revoking the share ends the observer's.
		if _, err := w.svc.UpdateAssignment(ctx, w.coord, w.own.ID, w.assignment.ID, w.assignment.Version, cases.AssignmentFields{Status: ptr("forced_withdrawal"), EndedAt: ptr("2024-05")}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.GetCase(ctx, w.lawyer, w.own.ID); !isKind(err, apperr.ErrNotFound) {
			t.Errorf("lawyer after withdrawal: %v", err)
		}
		if err := w.svc.RevokeShare(ctx, w.coord, w.own.ID, w.share.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.GetCase(ctx, w.obs, w.own.ID); !isKind(err, apperr.ErrNotFound) {
			t.Errorf("observer after revoke: %v", err)
		}
	})
}

func TestConfidentialStripping(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := newWorld(t, d)
		for _, c := range []struct {
			name string
			p    *actor.Principal
			sees bool
		}{{"coordinator", w.coord, true}, {"lawyer", w.lawyer, true}, {"observer", w.obs, false}} {
			views := []struct {
				v       any
				markers []string
			}{
				{must(w.svc.GetDetainee(ctx, c.p, w.ownDetainee.ID)), []string{`"family_contacts"`, `"home_address"`, `"confidential_notes"`, "secret street", "555 0100"}},
				{must(w.svc.ListDetainees(ctx, c.p, cases.DetaineeFilter{})), []string{`"family_contacts"`, `"home_address"`, "secret street"}},
				{must(w.svc.GetCase(ctx, c.p, w.own.ID)), []string{`"confidential_notes"`, "case secret"}},
				{must(w.svc.ListCases(ctx, c.p, cases.CaseFilter{})), []string{`"confidential_notes"`, "case secret"}},
				{must(w.svc.GetLawyer(ctx, c.p, w.lawyerRec.ID)), []string{`"contact"`, `"confidential_notes"`, "555 0199"}},
			}
			if lw := must(w.svc.GetLawyer(ctx, c.p, w.lawyerRec.ID)); (lw.UserID != nil) != (c.p != w.obs) {
				t.Errorf("%s: lawyer user_id shown=%v", c.name, lw.UserID != nil)
			}
			for i, v := range views {
				b, _ := json.Marshal(v.v)
				for _, m := range v.markers {
					if strings.Contains(string(b), m) != c.sees {
						t.Errorf("%s view %d: %s present=%v, want %v: %s", c.name, i, m, !c.sees, c.sees, b)
					}
				}
			}
		}
	})
}

func TestOptimisticConcurrencyAndValidation(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := newWorld(t, d)
		v1 := w.ownDetainee.Version
		up := must(w.svc.UpdateDetainee(ctx, w.coord, w.ownDetainee.ID, v1, cases.DetaineeFields{DetentionStatus: ptr("rsdl")}))
		if up.Version != v1+1 {
			t.Fatalf("version %d", up.Version)
		}
		_, err := w.svc.UpdateDetainee(ctx, w.coord, w.ownDetainee.ID, v1, cases.DetaineeFields{DetentionStatus: ptr("released")})
		if !isKind(err, apperr.ErrPrecondition) {
			t.Fatalf("stale update: %v, want precondition", err)
		}
		got := must(w.svc.GetDetainee(ctx, w.coord, w.ownDetainee.ID))
		if got.DetentionStatus != "rsdl" || got.Version != v1+1 {
			t.Errorf("stale update changed the record: %+v", got)
		}
		// Invalid input changes nothing.
		for _, in := range []cases.DetaineeFields{
			{DetentionStatus: ptr("on_holiday")},
			{BornAt: ptr("1973-13")},
			{Name: ptr("  ")},
			{OtherNames: &[]cases.OtherName{{Name: "x", Kind: "nickname-ish"}}},
		} {
			if _, err := w.svc.UpdateDetainee(ctx, w.coord, w.ownDetainee.ID, v1+1, in); !isKind(err, apperr.ErrInvalid) {
				t.Errorf("invalid %+v: %v", in, err)
			}
		}
		again := must(w.svc.GetDetainee(ctx, w.coord, w.ownDetainee.ID))
		if again.Version != v1+1 {
			t.Errorf("invalid update bumped version to %d", again.Version)
		}
		// Partial dates keep their precision and approximation.
		up = must(w.svc.UpdateDetainee(ctx, w.coord, w.ownDetainee.ID, v1+1, cases.DetaineeFields{BornAt: ptr("1967-08~")}))
		if up.BornAt == nil || *up.BornAt != "1967-08~" {
			t.Errorf("born_at %v", up.BornAt)
		}
		// Sorting cases by detention date uses the earliest day: 2014-01~ before 2019-12-26.
		cl := must(w.svc.ListCases(ctx, w.admin, cases.CaseFilter{ListOptions: record.ListOptions{Sort: "detained_at"}}))
		if len(cl.Items) != 2 || cl.Items[0].ID != w.foreign.ID {
			t.Errorf("sort by detained_at: %+v", cl.Items)
		}
		if _, err := w.svc.ListCases(ctx, w.admin, cases.CaseFilter{ListOptions: record.ListOptions{Sort: "detainee_id; DROP TABLE cases"}}); !isKind(err, apperr.ErrInvalid) {
			t.Errorf("sort outside allowlist: %v", err)
		}
		if _, err := w.svc.ListCases(ctx, w.admin, cases.CaseFilter{ListOptions: record.ListOptions{Limit: 201}}); !isKind(err, apperr.ErrInvalid) {
			t.Errorf("limit 201: %v", err)
		}
	})
}

func TestSearchScriptsRoundTrip(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := newWorld(t, d)
		tibetan := "བློ་བཟང་"
		uyghur := "ئىلھام توختى"
		// Decomposed input (NFD) is stored NFC.
		decomposed := norm.NFD.String("Ngawang Sangdröl")
		det := must(w.svc.CreateDetainee(ctx, w.admin, cases.DetaineeFields{
			Name: ptr(tibetan), OtherNames: &[]cases.OtherName{{Name: decomposed, Kind: "tibetan_latin"}, {Name: "王_100%", Kind: "alias"}},
		}))
		got := must(w.svc.GetDetainee(ctx, w.admin, det.ID))
		if got.Name != tibetan || got.OtherNames[0].Name != norm.NFC.String(decomposed) {
			t.Errorf("round trip: %q %q", got.Name, got.OtherNames[0].Name)
		}
		u := must(w.svc.GetDetainee(ctx, w.admin, w.foreignDetainee.ID))
		if u.OtherNames[1].Name != uyghur {
			t.Errorf("uyghur round trip: %q", u.OtherNames[1].Name)
		}
		for _, c := range []struct {
			q    string
			want string
		}{
			{"家喜", w.ownDetainee.ID},
			{"ding jiaxi", w.ownDetainee.ID},
			{"DING", w.ownDetainee.ID},
			{"鲁01刑初", w.ownDetainee.ID},
			{"توختى", w.foreignDetainee.ID},
			{"土赫", w.foreignDetainee.ID},
			{"བཟང", det.ID},
			{norm.NFD.String("sangdröl"), det.ID},
			{"_100%", det.ID},
		} {
			page := must(w.svc.ListDetainees(ctx, w.admin, cases.DetaineeFilter{ListOptions: record.ListOptions{Q: c.q}}))
			if len(page.Items) != 1 || page.Items[0].ID != c.want {
				t.Errorf("q=%q: %d items %+v", c.q, len(page.Items), page.Items)
			}
		}
		// The lawyer of the own case searches within their scope (the
		// other query form): by name and by case number, never the foreign one.
		for _, c := range []struct {
			q    string
			want int
		}{{"家喜", 1}, {"鲁01刑初", 1}, {"توختى", 0}, {"土赫", 0}} {
			page := must(w.svc.ListDetainees(ctx, w.lawyer, cases.DetaineeFilter{ListOptions: record.ListOptions{Q: c.q}}))
			if len(page.Items) != c.want || (c.want == 1 && page.Items[0].ID != w.ownDetainee.ID) {
				t.Errorf("lawyer q=%q: %d items %+v", c.q, len(page.Items), page.Items)
			}
		}
		// Punctuation is folded away (docs/search.md): "%" alone is too
		// short a search, and never a wildcard.
		if _, err := w.svc.ListDetainees(ctx, w.admin, cases.DetaineeFilter{ListOptions: record.ListOptions{Q: "%"}}); !isKind(err, apperr.ErrInvalid) {
			t.Errorf("q=%%: %v", err)
		}
		cl := must(w.svc.ListCases(ctx, w.admin, cases.CaseFilter{ListOptions: record.ListOptions{Q: "家喜"}}))
		if len(cl.Items) != 1 || cl.Items[0].ID != w.own.ID {
			t.Errorf("case search by detainee name: %+v", cl.Items)
		}
	})
}

func TestFiltersAndPagination(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := newWorld(t, d)
		for i := range 7 {
			must(w.svc.CreateDetainee(ctx, w.admin, cases.DetaineeFields{Name: ptr(fmt.Sprintf("person %02d", i)), HomeProvince: ptr("Hubei")}))
		}
		seen := map[string]bool{}
		cur := ""
		pages := 0
		for {
			p := must(w.svc.ListDetainees(ctx, w.admin, cases.DetaineeFilter{ListOptions: record.ListOptions{Limit: 3, Cursor: cur, Sort: "name"}}))
			pages++
			if p.Total != 9 {
				t.Fatalf("total %d", p.Total)
			}
			for _, it := range p.Items {
				if seen[it.ID] {
					t.Fatalf("duplicate %s", it.ID)
				}
				seen[it.ID] = true
			}
			if p.NextCursor == nil {
				break
			}
			cur = *p.NextCursor
		}
		if len(seen) != 9 || pages != 3 {
			t.Errorf("paged %d rows in %d pages", len(seen), pages)
		}
		if _, err := w.svc.ListDetainees(ctx, w.admin, cases.DetaineeFilter{ListOptions: record.ListOptions{Cursor: cur, Sort: "-name"}}); !isKind(err, apperr.ErrInvalid) {
			t.Errorf("cursor of another sort: %v", err)
		}
		count := func(f cases.DetaineeFilter, p *actor.Principal) int64 {
			return must(w.svc.ListDetainees(ctx, p, f)).Total
		}
		checks := []struct {
			name string
			f    cases.DetaineeFilter
			p    *actor.Principal
			want int64
		}{
			{"province", cases.DetaineeFilter{Province: "Hubei"}, w.admin, 7},
			{"status", cases.DetaineeFilter{Status: "detained"}, w.admin, 2},
			{"issue", cases.DetaineeFilter{Issue: "ethnic_minority_rights"}, w.admin, 1},
			{"charge", cases.DetaineeFilter{Charge: "art105_subversion"}, w.admin, 1},
			{"charge invisible", cases.DetaineeFilter{Charge: "art103_splittism"}, w.lawyer, 0},
			{"lawyer", cases.DetaineeFilter{LawyerID: w.lawyerRec.ID}, w.admin, 1},
			{"detained 2019", cases.DetaineeFilter{DetainedFrom: "2019", DetainedTo: "2019"}, w.admin, 1},
			{"detained 2014-01", cases.DetaineeFilter{DetainedFrom: "2014-01-01", DetainedTo: "2014-01-31"}, w.admin, 1},
			{"detained since 2010", cases.DetaineeFilter{DetainedFrom: "2010"}, w.admin, 2},
		}
		for _, c := range checks {
			if got := count(c.f, c.p); got != c.want {
				t.Errorf("%s: %d, want %d", c.name, got, c.want)
			}
		}
		cl := must(w.svc.ListCases(ctx, w.admin, cases.CaseFilter{Stage: "serving_sentence", Province: "Xinjiang"}))
		if cl.Total != 1 || cl.Items[0].Charges[0].Article != "Art. 103" {
			t.Errorf("case filter: %+v", cl)
		}
	})
}

func TestAuditInSameTransaction(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := newWorld(t, d)
		must(w.svc.GetDetainee(ctx, w.obs, w.ownDetainee.ID))
		var rows []struct {
			Action, ObjectID, ActorID, Details string
		}
		if err := d.Table("audit_log").Select("action, object_id, actor_id, details").Order("seq").Find(&rows).Error; err != nil {
			t.Fatal(err)
		}
		actions := map[string]int{}
		for _, r := range rows {
			actions[r.Action]++
			if strings.Contains(r.Details, "secret street") || strings.Contains(r.Details, "555 0100") || strings.Contains(r.Details, "555 0199") {
				t.Errorf("confidential value in audit details: %s %s", r.Action, r.Details)
			}
		}
		for _, a := range []string{"detainee.create", "case.create", "lawyer.create", "assignment.create", "share.create", "detainee.read"} {
			if actions[a] == 0 {
				t.Errorf("no %s entry (have %v)", a, actions)
			}
		}
		last := rows[len(rows)-1]
		if last.Action != "detainee.read" || last.ActorID != w.obs.UserID {
			t.Errorf("last entry %+v", last)
		}
		// A failing recorder rolls the change back.
		bad := cases.NewService(d, failingRecorder{})
		if _, err := bad.UpdateDetainee(ctx, w.coord, w.ownDetainee.ID, w.ownDetainee.Version, cases.DetaineeFields{Summary: ptr("changed")}); err == nil {
			t.Fatal("update with failing audit succeeded")
		}
		if _, err := bad.GetDetainee(ctx, w.coord, w.ownDetainee.ID); err == nil {
			t.Fatal("read with failing audit succeeded")
		}
		got := must(w.svc.GetDetainee(ctx, w.coord, w.ownDetainee.ID))
		if got.Summary != "" || got.Version != w.ownDetainee.Version {
			t.Errorf("change survived a failed audit: %+v", got)
		}
	})
}

type failingRecorder struct{}

func (failingRecorder) Record(context.Context, *gorm.DB, audit.Entry) error {
	return errors.New("disk full")
}

// TestTotalIsCapped: a list counts its matching rows up to record.CountCap
// and flags a total that stopped there; scoping and filters apply to the
// count as to the page.
func TestTotalIsCapped(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := newWorld(t, d)
		now := time.Now().UTC()
		rows := make([]cases.Detainee, record.CountCap)
		for i := range rows {
			rows[i] = cases.Detainee{ID: uuid.Must(uuid.NewV7()).String(), Name: fmt.Sprintf("bulk %d", i), Issue: "labour",
				Search: fmt.Sprintf("bulk %d", i), Version: 1, CreatedAt: now, UpdatedAt: now}
		}
		if err := d.CreateInBatches(&rows, 200).Error; err != nil {
			t.Fatal(err)
		}
		ids := make([]string, len(rows))
		for i := range rows {
			ids[i] = rows[i].ID
		}
		if err := cases.IndexDetaineesTx(d.DB, ids...); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name   string
			p      *actor.Principal
			f      cases.DetaineeFilter
			total  int64
			capped bool
		}{
			{"admin, all: 1002 rows", w.admin, cases.DetaineeFilter{}, record.CountCap, true},
			{"admin, exactly the cap", w.admin, cases.DetaineeFilter{Issue: "labour"}, record.CountCap, false},
			{"admin, filtered below the cap", w.admin, cases.DetaineeFilter{Issue: "ethnic_minority_rights"}, 1, false},
			{"admin, later page still counts the whole set", w.admin, cases.DetaineeFilter{ListOptions: record.ListOptions{Limit: 1, Q: "bulk 99"}}, 11, false},
			{"lawyer sees only their detainee", w.lawyer, cases.DetaineeFilter{}, 1, false},
		} {
			t.Run(tc.name, func(t *testing.T) {
				page := must(w.svc.ListDetainees(ctx, tc.p, tc.f))
				if page.Total != tc.total || page.TotalCapped != tc.capped {
					t.Fatalf("total %d capped %v, want %d %v", page.Total, page.TotalCapped, tc.total, tc.capped)
				}
				if tc.f.Limit == 1 {
					f := tc.f
					f.Cursor = *page.NextCursor
					next := must(w.svc.ListDetainees(ctx, tc.p, f))
					if next.Total != tc.total || next.TotalCapped != tc.capped {
						t.Fatalf("second page: total %d capped %v, want %d %v", next.Total, next.TotalCapped, tc.total, tc.capped)
					}
				}
			})
		}
	})
}
