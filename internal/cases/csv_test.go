package cases_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/cases"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/record"
	"github.com/habeas-org/habeas/internal/testkit"
)

// bigCSV writes n detainee lines; line badLine (1-based file line, header is
// line 1) gets an impossible birth date when badLine > 0.
func bigCSV(n, badLine int) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write([]string{"姓名", "Pinyin", "born_at", "home_province", "detention_status", "Notes"})
	for i := range n {
		born := fmt.Sprintf("19%02d-%02d", 40+i%60, 1+i%12)
		if i+2 == badLine {
			born = "1975-02-30"
		}
		_ = w.Write([]string{fmt.Sprintf("囚%05d", i), fmt.Sprintf("Qiu %05d", i), born, "Sichuan", "detained", "=HYPERLINK(\"x\")"})
	}
	w.Flush()
	return b.Bytes()
}

var bigMapping = map[string]string{"姓名": "name", "Pinyin": "other_names.pinyin", "Notes": "summary"}

func countDetainees(t *testing.T, d *db.DB) int64 {
	t.Helper()
	var n int64
	if err := d.Table("detainees").Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func TestImportAllOrNothing(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		svc := cases.NewService(d, audit.NewLog(d))
		admin := addUser(t, d, actor.Admin)
		const rows, bad = 10000, 5003
		_, err := svc.ImportDetainees(ctx, admin, bytes.NewReader(bigCSV(rows, bad)), cases.ImportOptions{Mapping: bigMapping})
		var ae *apperr.Error
		if !errorsAs(err, &ae) || ae.Code != "import_failed" {
			t.Fatalf("bad file: %v", err)
		}
		if len(ae.Fields) != 1 || ae.Fields[fmt.Sprintf("line %d: born_at", bad)] == "" {
			t.Errorf("errors do not name line %d, column born_at: %v", bad, ae.Fields)
		}
		if n := countDetainees(t, d); n != 0 {
			t.Fatalf("bad file stored %d rows", n)
		}
		// Dry run of the fixed file stores nothing and says what it would do.
		res, err := svc.ImportDetainees(ctx, admin, bytes.NewReader(bigCSV(rows, 0)), cases.ImportOptions{Mapping: bigMapping, DryRun: true})
		if err != nil || res.Created != rows || !res.DryRun {
			t.Fatalf("dry run: %+v %v", res, err)
		}
		if n := countDetainees(t, d); n != 0 {
			t.Fatalf("dry run stored %d rows", n)
		}
		res, err = svc.ImportDetainees(ctx, admin, bytes.NewReader(bigCSV(rows, 0)), cases.ImportOptions{Mapping: bigMapping})
		if err != nil || res.Created != rows || res.Rows != rows {
			t.Fatalf("fixed file: %+v %v", res, err)
		}
		if n := countDetainees(t, d); n != rows {
			t.Fatalf("fixed file stored %d rows", n)
		}
		// One detainee.create entry per row, in file order (written in
		// batches), then the import's own entry, and the chain verifies.
		var entries []audit.Row
		if err := d.Where("action IN ?", []string{"detainee.create", "detainee.import"}).Order("seq").Find(&entries).Error; err != nil {
			t.Fatal(err)
		}
		if len(entries) != rows+1 || entries[rows].Action != "detainee.import" {
			t.Fatalf("audit: %d entries, want %d creates and the import", len(entries), rows)
		}
		var firstID, lastID string
		d.Table("detainees").Select("id").Where("name = ?", "囚00000").Scan(&firstID)
		d.Table("detainees").Select("id").Where("name = ?", "囚09999").Scan(&lastID)
		if entries[0].ObjectID != firstID || entries[rows-1].ObjectID != lastID || entries[0].ActorID != admin.UserID {
			t.Errorf("audit entries not in file order or without actor: first %+v last %+v", entries[0], entries[rows-1])
		}
		if rep, err := audit.NewLog(d).Verify(ctx, nil); err != nil || !rep.OK() {
			t.Fatalf("chain after import: %+v %v", rep, err)
		}
		page := must(svc.ListDetainees(ctx, admin, cases.DetaineeFilter{ListOptions: record.ListOptions{Q: "qiu 09999"}}))
		if len(page.Items) != 1 || page.Items[0].Name != "囚09999" || page.Items[0].Summary != `=HYPERLINK("x")` {
			t.Errorf("imported row: %+v", page.Items)
		}
		// Observers and lawyers may not import.
		if _, err := svc.ImportDetainees(ctx, addUser(t, d, actor.Lawyer), strings.NewReader("name\nx\n"), cases.ImportOptions{}); !isKind(err, apperr.ErrForbidden) {
			t.Errorf("lawyer import: %v", err)
		}
	})
}

func TestImportErrorsPerLineAndColumn(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		svc := cases.NewService(d, audit.NewLog(d))
		admin := addUser(t, d, actor.Admin)
		for _, c := range []struct {
			name, file string
			mapping    map[string]string
			want       []string
		}{
			{"unknown column", "name,shoe_size\nx,42\n", nil, []string{"line 1: shoe_size"}},
			{"bad vocabulary and date", "name,detention_status,born_at\nx,on_holiday,2019\n,detained,2019-03\n", nil, []string{"line 2: detention_status", "line 3: name"}},
			{"wrong cell count", "name,sex\nx,male\ny\n", nil, []string{"line 3: (line)"}},
			{"unknown id", "id,name\n0190aaaa-0000-7000-8000-000000000000,x\n", nil, []string{"line 2: id"}},
			{"bad other_names json", "name,other_names\nx,not json\n", nil, []string{"line 2: other_names"}},
			{"mapping to missing column", "name\nx\n", map[string]string{"Pinyin": "other_names.pinyin"}, []string{"mapping.Pinyin"}},
			{"no name", "sex\nmale\n", nil, []string{"line 1"}},
		} {
			t.Run(c.name, func(t *testing.T) {
				_, err := svc.ImportDetainees(ctx, admin, strings.NewReader(c.file), cases.ImportOptions{Mapping: c.mapping})
				var ae *apperr.Error
				if !errorsAs(err, &ae) || !isKind(err, apperr.ErrInvalid) {
					t.Fatalf("err %v", err)
				}
				for _, k := range c.want {
					if _, ok := ae.Fields[k]; !ok {
						t.Errorf("no error for %q in %v", k, ae.Fields)
					}
				}
				if n := countDetainees(t, d); n != 0 {
					t.Errorf("stored %d rows", n)
				}
			})
		}
	})
}

func exportAll(t *testing.T, svc *cases.Service, p *actor.Principal) string {
	t.Helper()
	var b bytes.Buffer
	if err := svc.ExportDetainees(context.Background(), p, cases.DetaineeFilter{}, func() io.Writer { return &b }); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// dropIDs removes the id column (first) of a CSV and sorts nothing: ids are new after import.
func dropIDs(t *testing.T, s string) [][]string {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(s)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for i := range recs {
		recs[i] = recs[i][1:]
	}
	return recs
}

func TestExportImportLossless(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := newWorld(t, d)
		must(w.svc.CreateDetainee(ctx, w.admin, cases.DetaineeFields{
			Name: ptr("=cmd|' /C calc'!A0"), OtherNames: &[]cases.OtherName{{Name: "བློ་བཟང་", Kind: "tibetan"}, {Name: "'quoted", Kind: "alias"}},
			BornAt: ptr("1980~"), Sex: ptr("female"), Summary: ptr("line one\nline two, with \"quotes\""), HealthConcerns: ptr("-diabetes"),
			CrossReferences: &[]cases.CrossReference{{Database: "CECC", RecordID: "2004-00123"}}, SourceReliability: ptr("B"), InformationCredibility: ptr("2"),
			FamilyContacts: ptr("sister"), HomeAddress: ptr("@home"),
		}))
		first := exportAll(t, w.svc, w.admin)
		if !strings.Contains(first, "'=cmd") || !strings.Contains(first, "home_address") {
			t.Errorf("export lacks formula guard or confidential columns:\n%s", first)
		}
		// Observers and lawyers: only visible rows, no confidential columns.
		obs := exportAll(t, w.svc, w.obs)
		if strings.Contains(obs, "home_address") || strings.Contains(obs, "伊力哈木") || !strings.Contains(obs, "丁家喜") || strings.Count(obs, "\n") != 2 {
			t.Errorf("observer export:\n%s", obs)
		}
		law := exportAll(t, w.svc, w.lawyer2)
		if strings.Count(law, "\n") != 1 {
			t.Errorf("unassigned lawyer export has rows:\n%s", law)
		}
		// Import into a fresh database, then export again: same content.
		d2 := testkit.NewDB(t, d.Dialect)
		svc2 := cases.NewService(d2, audit.NewLog(d2))
		admin2 := addUser(t, d2, actor.Admin)
		res, err := svc2.ImportDetainees(ctx, admin2, strings.NewReader(first), cases.ImportOptions{Mapping: map[string]string{"id": "-"}})
		if err != nil || res.Created != 3 {
			t.Fatalf("import: %+v %v", res, err)
		}
		second := exportAll(t, svc2, admin2)
		a, b := dropIDs(t, first), dropIDs(t, second)
		if fmt.Sprint(sortRows(a)) != fmt.Sprint(sortRows(b)) {
			t.Errorf("export -> import -> export differs:\n%s\n---\n%s", first, second)
		}
		// Importing the export into the same database updates nothing (ids match, values equal).
		res, err = w.svc.ImportDetainees(ctx, w.admin, strings.NewReader(first), cases.ImportOptions{})
		if err != nil || res.Updated != 0 || res.Created != 0 || res.Rows != 3 {
			t.Errorf("re-import: %+v %v", res, err)
		}
		if third := exportAll(t, w.svc, w.admin); third != first {
			t.Errorf("re-import changed data")
		}
	})
}

func sortRows(r [][]string) [][]string {
	out := append([][]string{}, r...)
	for i := 1; i < len(out); i++ {
		for j := i; j > 1 && strings.Join(out[j], "\x00") < strings.Join(out[j-1], "\x00"); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

func errorsAs(err error, target **apperr.Error) bool {
	for err != nil {
		if ae, ok := err.(*apperr.Error); ok {
			*target = ae
			return true
		}
		u, ok := err.(interface{ Unwrap() error })
		if !ok {
			return false
		}
		err = u.Unwrap()
	}
	return false
}
