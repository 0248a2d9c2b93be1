package cases_test

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/cases"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/testkit"
)

// FuzzImportDetainees feeds arbitrary CSV files to the import: it never
// panics, a refused file is an invalid-input error that stores nothing, and
// an accepted file stores exactly the detainees it reports, each of which
// reads back.
func FuzzImportDetainees(f *testing.F) {
	f.Add([]byte("name,born_at,home_province\n王五,1975-03,Sichuan\n"))
	f.Add([]byte("name,other_names.pinyin,detention_status\nLi,Li Si,rsdl\n\"x\"\"y\",z,detained\n"))
	f.Add([]byte("name\n=HYPERLINK(\"x\")\n"))
	f.Add([]byte("name,born_at\na,1975-02-30\n"))
	f.Add([]byte("id,name\nnot-a-uuid,a\n"))
	f.Add([]byte("name,name\na,b\n"))
	f.Add([]byte("\xef\xbb\xbfname\n\xff\n"))
	f.Add([]byte("name\n\"unterminated\n"))
	d := testkit.NewDB(f, db.SQLite)
	svc := cases.NewService(d, audit.NewLog(d))
	admin := addUser(f, d, actor.Admin)
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, file []byte) {
		var before int64
		d.Table("detainees").Count(&before)
		res, err := svc.ImportDetainees(ctx, admin, bytes.NewReader(file), cases.ImportOptions{})
		var after int64
		d.Table("detainees").Count(&after)
		if err != nil {
			var ae *apperr.Error
			if !errors.As(err, &ae) || !errors.Is(err, apperr.ErrInvalid) {
				t.Fatalf("refused with a non-input error: %v", err)
			}
			if after != before {
				t.Fatalf("refused file stored %d detainees", after-before)
			}
			return
		}
		if after-before != int64(res.Created) || res.Updated != 0 {
			t.Fatalf("result %+v, but %d new detainees", res, after-before)
		}
		var ids []string
		d.Table("detainees").Order("created_at DESC").Limit(res.Created).Pluck("id", &ids)
		for _, id := range ids {
			if _, err := svc.GetDetainee(ctx, admin, id); err != nil {
				t.Fatalf("imported detainee %s does not read back: %v", id, err)
			}
		}
	})
}
