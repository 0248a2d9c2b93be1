package cases_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/cases"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/names"
	"github.com/habeas-org/habeas/internal/record"
	"github.com/habeas-org/habeas/internal/testkit"
)

// FuzzSearchQuery sends arbitrary search text (and sort and cursor values)
// to a list: never a panic, a refusal is an input error, and every result
// really has a search key containing the folded text searched for (LIKE
// wildcards in the query are literal characters, never patterns).
func FuzzSearchQuery(f *testing.F) {
	for _, q := range []string{"王", "wang", "%", "_", `\`, `%_\`, "a%b", "' OR 1=1 --", "ＷＡＮＧ", "é", "e\u0301", ""} {
		f.Add(q, "", "")
	}
	f.Add("w", "name", "not-a-cursor")
	f.Add("", "-created_at", "")
	d := testkit.NewDB(f, db.SQLite)
	svc := cases.NewService(d, audit.NewLog(d))
	admin := addUser(f, d, actor.Admin)
	ctx := context.Background()
	for _, name := range []string{"王律师", "Wang Yu", "100% lawyer", "under_score", `back\slash`, "Zhou Shifeng"} {
		if _, err := svc.CreateLawyer(ctx, admin, cases.LawyerFields{Name: &name}); err != nil {
			f.Fatal(err)
		}
	}
	f.Fuzz(func(t *testing.T, q, sortKey, cursor string) {
		page, err := svc.ListLawyers(ctx, admin, cases.LawyerFilter{ListOptions: record.ListOptions{Q: q, Sort: sortKey, Cursor: cursor, Limit: 50}})
		if err != nil {
			var ae *apperr.Error
			if !errors.As(err, &ae) || !errors.Is(err, apperr.ErrInvalid) {
				t.Fatalf("q=%q sort=%q cursor=%q: not an input error: %v", q, sortKey, cursor, err)
			}
			return
		}
		if strings.TrimSpace(q) == "" {
			return
		}
		want := names.Fold(q)
		for _, l := range page.Items {
			var keys []string
			d.Table("search_keys").Where("owner_type = 'lawyer' AND owner_id = ?", l.ID).Pluck("folded", &keys)
			found := false
			for _, k := range keys {
				found = found || strings.Contains(k, want)
			}
			if !found || l.Matched == nil {
				t.Fatalf("q=%q returned %q (keys %q, matched %+v) which does not contain %q", q, l.Name, keys, l.Matched, want)
			}
		}
	})
}
