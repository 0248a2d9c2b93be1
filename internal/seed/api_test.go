package seed_test

import (
	"context"
	"net/url"
	"testing"
	"unicode/utf8"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/cases"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/seed"
	"github.com/habeas-org/habeas/internal/testkit"
)

type listed struct {
	Items []struct {
		ID string `json:"id"`
	} `json:"items"`
	Total int64 `json:"total"`
}

func get(t *testing.T, s *testkit.Server, token, path string) *testkit.Response {
	t.Helper()
	r := s.Do(testkit.Request{Method: "GET", Path: path, Token: token})
	if r.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", path, r.StatusCode, r.Body)
	}
	return r
}

func found(t *testing.T, s *testkit.Server, token, q, id string) {
	t.Helper()
	var l listed
	get(t, s, token, "/api/v1/detainees?q="+url.QueryEscape(q)).JSON(t, &l)
	for _, it := range l.Items {
		if it.ID == id {
			return
		}
	}
	t.Errorf("search %q: detainee %s not among %d results", q, id, l.Total)
}

// Over the API (responses checked against the OpenAPI contract): a seeded
// detainee is found by a two-character Chinese name and by its pinyin; a
// seeded case, its timeline and its time limits answer; the lawyer linked
// to a bench account sees its cases, the observer its shared cases.
func TestSeededDataOverAPI(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := testkit.NewServer(t, d, nil)
		admin, _ := testkit.UserToken(t, s, actor.Admin)
		lawyerTok, lawyer := testkit.UserToken(t, s, actor.Lawyer)
		observerTok, observer := testkit.UserToken(t, s, actor.Observer)
		o := small()
		o.LawyerUserIDs, o.ObserverUserIDs = []string{lawyer.ID}, []string{observer.ID}
		if _, err := seed.Run(ctx, d, audit.NewLog(d), o); err != nil {
			t.Fatal(err)
		}
		var ds []cases.Detainee
		if err := d.Order("id").Find(&ds).Error; err != nil {
			t.Fatal(err)
		}
		var two, pinyin *cases.Detainee
		for i := range ds {
			x := &ds[i]
			for _, n := range x.OtherNames {
				if n.Kind == "pinyin" && utf8.RuneCountInString(x.Name) == 2 && two == nil {
					two = x
				}
				if n.Kind == "pinyin" && pinyin == nil {
					pinyin = x
					found(t, s, admin, n.Name, x.ID)
				}
			}
		}
		if two == nil || pinyin == nil {
			t.Fatal("no seeded Han detainee with a two-character name")
		}
		found(t, s, admin, two.Name, two.ID)

		var ks []cases.Case
		d.Order("id").Limit(10).Find(&ks)
		withLimits := 0
		for _, k := range ks {
			get(t, s, admin, "/api/v1/cases/"+k.ID)
			get(t, s, admin, "/api/v1/cases/"+k.ID+"/timeline")
			var lim listed
			get(t, s, admin, "/api/v1/cases/"+k.ID+"/deadlines").JSON(t, &lim)
			if len(lim.Items) > 0 {
				withLimits++
			}
		}
		if withLimits == 0 {
			t.Error("no time limit computed for 10 seeded cases")
		}
		for who, tok := range map[string]string{"lawyer": lawyerTok, "observer": observerTok} {
			var l listed
			get(t, s, tok, "/api/v1/cases").JSON(t, &l)
			if len(l.Items) == 0 {
				t.Errorf("the bench %s sees no case", who)
			}
		}
	})
}
