package cases_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
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

// listCSV is a file shaped like the public list of 926 political prisoners
// of issue 20: Chinese column names, sex as 男/女/M/F, status as Chinese
// labels and abbreviations, dates of birth and death, a free-text sentence
// and charges by their Chinese names; three lines (5, 400, 901) carry the
// list's impossible dates 1954-02-29, 1952-08021 and 19812.
func listCSV() []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write([]string{"姓名", "拼音", "性别", "出生日期", "死亡日期", "羁押状态", "刑期", "罪名", "备注"})
	sexes := []string{"男", "女", "M", "F"}
	statuses := []string{"在押", "已释放", "被羁押", "已故", "失踪", "指居", "Released", "detained"}
	for i := range 926 {
		line := i + 2
		born := fmt.Sprintf("19%02d-%02d", 40+i%60, 1+i%12)
		switch line {
		case 5:
			born = "1954-02-29"
		case 400:
			born = "1952-08021"
		case 901:
			born = "19812"
		}
		died, sentence, charges := "", "", ""
		if i%10 == 0 {
			died = "2017-07-13"
		}
		if i%3 == 0 {
			sentence, charges = fmt.Sprintf("有期徒刑%d年", 1+i%14), "煽动颠覆国家政权罪；寻衅滋事"
		}
		_ = w.Write([]string{fmt.Sprintf("名单%04d", i), fmt.Sprintf("Mingdan %04d", i), sexes[i%4], born, died,
			statuses[i%len(statuses)], sentence, charges, "来源：公开名单"})
	}
	w.Flush()
	return b.Bytes()
}

var listMapping = map[string]string{"姓名": "name", "拼音": "other_names.pinyin", "性别": "sex", "出生日期": "born_at",
	"死亡日期": "died_at", "羁押状态": "detention_status", "刑期": "case.sentence", "罪名": "case.charges", "备注": "source"}

const dateFormat = "use YYYY, YYYY-MM or YYYY-MM-DD, with a trailing ~ when approximate"

var listRejected = []cases.ImportRejected{
	{Line: 5, Fields: map[string]string{"出生日期": "1954-02-29 does not exist: 1954 is not a leap year"}},
	{Line: 400, Fields: map[string]string{"出生日期": `"1952-08021" is not a date; ` + dateFormat}},
	{Line: 901, Fields: map[string]string{"出生日期": `"19812" is not a date; ` + dateFormat}},
}

func auditDetails(t *testing.T, d *db.DB, action string) []map[string]any {
	t.Helper()
	var rows []string
	if err := d.Table("audit_log").Where("action = ?", action).Order("seq").Pluck("details", &rows).Error; err != nil {
		t.Fatal(err)
	}
	out := make([]map[string]any, len(rows))
	for i, r := range rows {
		if err := json.Unmarshal([]byte(r), &out[i]); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// TestImportSkipsImpossibleDates: the real file. on_error=skip
// stores the 923 good lines (with their cases) and answers the three bad
// ones with their messages; abort stores nothing and says the same; a dry
// run stores nothing and answers what skip would do.
func TestImportSkipsImpossibleDates(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		svc := cases.NewService(d, audit.NewLog(d))
		admin := addUser(t, d, actor.Admin)

		_, err := svc.ImportDetainees(ctx, admin, bytes.NewReader(listCSV()), cases.ImportOptions{Mapping: listMapping})
		var ae *apperr.Error
		if !errorsAs(err, &ae) || ae.Code != "import_failed" {
			t.Fatalf("abort: %v", err)
		}
		wantFields := map[string]string{}
		for _, r := range listRejected {
			wantFields[fmt.Sprintf("line %d: 出生日期", r.Line)] = r.Fields["出生日期"]
		}
		if !reflect.DeepEqual(ae.Fields, wantFields) || ae.Message != "3 lines have errors; nothing was imported" {
			t.Errorf("abort errors: %s %v", ae.Message, ae.Fields)
		}
		if n := countDetainees(t, d); n != 0 {
			t.Fatalf("abort stored %d detainees", n)
		}

		res, err := svc.ImportDetainees(ctx, admin, bytes.NewReader(listCSV()), cases.ImportOptions{Mapping: listMapping, OnError: "skip", DryRun: true})
		if err != nil || !res.DryRun || res.Created != 923 || res.RejectedTotal != 3 || !reflect.DeepEqual(res.Rejected, listRejected) {
			t.Fatalf("skip dry run: %+v %v", res, err)
		}
		if n := countDetainees(t, d); n != 0 {
			t.Fatalf("dry run stored %d detainees", n)
		}

		res, err = svc.ImportDetainees(ctx, admin, bytes.NewReader(listCSV()), cases.ImportOptions{Mapping: listMapping, OnError: "skip"})
		if err != nil {
			t.Fatal(err)
		}
		want := cases.ImportResult{OnError: "skip", Rows: 926, Created: 923, CasesCreated: 308, Rejected: listRejected, RejectedTotal: 3}
		if !reflect.DeepEqual(res, want) {
			t.Fatalf("skip:\n got %+v\nwant %+v", res, want)
		}
		if n := countDetainees(t, d); n != 923 {
			t.Fatalf("skip stored %d detainees", n)
		}
		var ncases, ncharges int64
		d.Table("cases").Count(&ncases)
		d.Table("case_charges").Count(&ncharges)
		if ncases != 308 || ncharges != 2*308 {
			t.Errorf("cases %d, charges %d", ncases, ncharges)
		}
		// The stored values: codes for the Chinese labels and abbreviations,
		// the date of death, the case with its sentence and charges.
		page := must(svc.ListDetainees(ctx, admin, cases.DetaineeFilter{ListOptions: record.ListOptions{Q: "名单0000", Limit: 5}}))
		if len(page.Items) != 1 {
			t.Fatalf("名单0000: %+v", page.Items)
		}
		first := page.Items[0]
		if first.Sex != "male" || first.DetentionStatus != "detained" || first.DiedAt == nil || *first.DiedAt != "2017-07-13" ||
			first.BornAt == nil || *first.BornAt != "1940-01" {
			t.Errorf("名单0000 stored as %+v", first)
		}
		cs := must(svc.ListCases(ctx, admin, cases.CaseFilter{DetaineeID: first.ID}))
		if len(cs.Items) != 1 || cs.Items[0].Sentence != "有期徒刑1年" || len(cs.Items[0].Charges) != 2 ||
			cs.Items[0].Charges[0].Charge != "art105_inciting_subversion" || cs.Items[0].Charges[1].Charge != "art293_picking_quarrels" {
			t.Errorf("case of 名单0000: %+v", cs.Items)
		}
		var statuses []string
		d.Table("detainees").Distinct("detention_status").Order("detention_status").Pluck("detention_status", &statuses)
		if !reflect.DeepEqual(statuses, []string{"deceased", "detained", "disappeared", "released", "rsdl"}) {
			t.Errorf("statuses stored: %v", statuses)
		}
		var sexes []string
		d.Table("detainees").Distinct("sex").Order("sex").Pluck("sex", &sexes)
		if !reflect.DeepEqual(sexes, []string{"female", "male"}) {
			t.Errorf("sexes stored: %v", sexes)
		}
		det := auditDetails(t, d, "detainee.import")
		if len(det) != 1 || det[0]["rejected"] != float64(3) || det[0]["on_error"] != "skip" || det[0]["cases_created"] != float64(308) ||
			!reflect.DeepEqual(det[0]["rejected_lines"], []any{float64(5), float64(400), float64(901)}) {
			t.Errorf("import audit details: %v", det)
		}
		if n := len(auditDetails(t, d, "case.create")); n != 308 {
			t.Errorf("%d case.create entries", n)
		}
	})
}

// TestImportRejectsPerLine: vocabulary errors quote the value and list the
// allowed values; case columns on an update line, bad cells and ragged
// lines are rejected one by one with on_error=skip; on_error is checked.
func TestImportRejectsPerLine(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		svc := cases.NewService(d, audit.NewLog(d))
		admin := addUser(t, d, actor.Admin)
		existing := must(svc.CreateDetainee(ctx, admin, cases.DetaineeFields{Name: ptr("许志永")}))
		file := "id,name,sex,detention_status,died_at,case.sentence\n" +
			",甲,男,在押,,\n" +
			",乙,X,在押中,,\n" +
			existing.ID + ",,,,,有期徒刑4年\n" +
			",丙,女,已释放\n" +
			",丁,F,deceased,1960,\n" +
			",戊,,,2019-13-01,\n"
		res, err := svc.ImportDetainees(ctx, admin, strings.NewReader(file), cases.ImportOptions{OnError: "skip", Mapping: map[string]string{"died_at": "died_at"}})
		if err != nil {
			t.Fatal(err)
		}
		allowedStatus := "; allowed: detained, believed_detained, disappeared, rsdl, residential_surveillance, on_bail, released, sentence_completed, under_surveillance, exiled, deceased, unknown (or their labels; see /api/v1/vocabularies)"
		want := []cases.ImportRejected{
			{Line: 3, Fields: map[string]string{
				"sex":              `"X" is not a known sex; allowed: female, male, other, unknown (or their labels; see /api/v1/vocabularies)`,
				"detention_status": `"在押中" is not a known detention status` + allowedStatus}},
			{Line: 4, Fields: map[string]string{"(line)": "case columns create a case only for a new detainee (a line without id); leave them empty on lines with an id"}},
			{Line: 5, Fields: map[string]string{"(line)": "has 4 cells, the header has 6"}},
			{Line: 7, Fields: map[string]string{"died_at": "2019-13-01 does not exist: there is no month 13"}},
		}
		if res.Created != 2 || !reflect.DeepEqual(res.Rejected, want) {
			t.Errorf("got %d created, rejected:\n%v\nwant\n%v", res.Created, res.Rejected, want)
		}
		if _, err := svc.ImportDetainees(ctx, admin, strings.NewReader(file), cases.ImportOptions{OnError: "maybe"}); fieldErr(err)["on_error"] == "" {
			t.Errorf("on_error=maybe: %v", err)
		}
		// A date of death before the date of birth.
		_, err = svc.CreateDetainee(ctx, admin, cases.DetaineeFields{Name: ptr("x"), BornAt: ptr("1970"), DiedAt: ptr("1969-12~")})
		if fieldErr(err)["died_at"] != "the date of death 1969-12~ is before the date of birth 1970" {
			t.Errorf("died before born: %v", err)
		}
		// The JSON API takes the labels too, and stores the value.
		v := must(svc.CreateDetainee(ctx, admin, cases.DetaineeFields{Name: ptr("y"), Sex: ptr("女"), DetentionStatus: ptr("在押"),
			DiedAt: ptr("2017-07-13"), OtherNames: &[]cases.OtherName{{Name: "Y", Kind: "拼音"}}}))
		if v.Sex != "female" || v.DetentionStatus != "detained" || *v.DiedAt != "2017-07-13" || v.OtherNames[0].Kind != "pinyin" {
			t.Errorf("labels on the JSON API: %+v", v)
		}
	})
}

// TestExportImportDiedAt: the date of death is a column of the export and
// comes back on import.
func TestExportImportDiedAt(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		svc := cases.NewService(d, audit.NewLog(d))
		admin := addUser(t, d, actor.Admin)
		v := must(svc.CreateDetainee(ctx, admin, cases.DetaineeFields{Name: ptr("刘晓波"), BornAt: ptr("1955-12-28"), DiedAt: ptr("2017-07-13")}))
		var out bytes.Buffer
		if err := svc.ExportDetainees(ctx, admin, cases.DetaineeFilter{}, func() io.Writer { return &out }); err != nil {
			t.Fatal(err)
		}
		rows := must(csv.NewReader(bytes.NewReader(out.Bytes())).ReadAll())
		col := -1
		for i, h := range rows[0] {
			if h == "died_at" {
				col = i
			}
		}
		if col < 0 || rows[1][col] != "2017-07-13" {
			t.Fatalf("export: %v", rows)
		}
		edited := strings.Replace(out.String(), "2017-07-13", "2017-07", 1)
		if _, err := svc.ImportDetainees(ctx, admin, strings.NewReader(edited), cases.ImportOptions{}); err != nil {
			t.Fatal(err)
		}
		if got := must(svc.GetDetainee(ctx, admin, v.ID)); got.DiedAt == nil || *got.DiedAt != "2017-07" {
			t.Errorf("died_at after import: %v", got.DiedAt)
		}
	})
}
