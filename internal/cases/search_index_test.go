package cases_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/cases"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/names"
	"github.com/habeas-org/habeas/internal/record"
	"github.com/habeas-org/habeas/internal/testkit"
)

// Parts of random names: Han characters (simplified and traditional),
// pinyin syllables, Uyghur Latin and Arabic letters, separators.
var (
	randHan   = []rune("王李张刘陈杨赵黄周吴伟芳娜敏静丽强磊军洋劉陳楊趙黃偉麗晓波贤斌伊力哈木土赫提")
	randLatin = []string{"wang", "li", "zhang", "liu", "chen", "wei", "fang", "xiao", "bo", "xian", "bin", "ilham", "tohti", "lü", "Liú", "ＬＩＵ"}
	randUy    = []string{"ئىلھام", "توختى", "مۇھەممەت"}
	randSep   = []string{" ", "·", "•", "-", "", "."}
)

func randomName(rng *rand.Rand) string {
	var b strings.Builder
	switch rng.IntN(3) {
	case 0:
		for range 2 + rng.IntN(3) {
			b.WriteRune(randHan[rng.IntN(len(randHan))])
		}
		if rng.IntN(4) == 0 {
			b.WriteString(randSep[rng.IntN(len(randSep))])
			for range 1 + rng.IntN(3) {
				b.WriteRune(randHan[rng.IntN(len(randHan))])
			}
		}
	case 1:
		for i := range 2 + rng.IntN(2) {
			if i > 0 {
				b.WriteString(randSep[rng.IntN(len(randSep))])
			}
			b.WriteString(randLatin[rng.IntN(len(randLatin))])
		}
	default:
		b.WriteString(randUy[rng.IntN(len(randUy))] + " " + randUy[rng.IntN(len(randUy))])
	}
	return b.String()
}

// randomQuery is a random substring of a random key (most queries) or a
// random string of the same parts.
func randomQuery(rng *rand.Rand, keys []string) string {
	if rng.IntN(4) > 0 {
		rs := []rune(keys[rng.IntN(len(keys))])
		i := rng.IntN(len(rs))
		j := i + 1 + rng.IntN(min(5, len(rs)-i))
		q := string(rs[i:j])
		if rng.IntN(3) == 0 {
			q = strings.ToUpper(q)
		}
		return q
	}
	return randomName(rng)
}

// TestSearchIndexExactness compares the answers of the index with a plain
// substring match of the folded keys computed in Go, over thousands of
// random names and queries: the same ids, no more, no fewer; every item
// says which form matched, and that form's key holds the query.
func TestSearchIndexExactness(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		svc := cases.NewService(d, audit.NewLog(d))
		admin := addUser(t, d, actor.Admin)
		rng := rand.New(rand.NewPCG(20, 1))
		now := time.Now().UTC()
		const n = 2000
		rows := make([]cases.Detainee, n)
		keysOf := map[string][]string{}
		var allKeys []string
		for i := range rows {
			d := cases.Detainee{ID: record.NewID(), Name: randomName(rng), Version: 1, CreatedAt: now, UpdatedAt: now}
			forms := []string{d.Name}
			if rng.IntN(2) == 0 {
				d.OtherNames = record.JSONList[cases.OtherName]{{Name: randomName(rng), Kind: "alias"}}
				forms = append(forms, d.OtherNames[0].Name)
			}
			d.Search = record.SearchText(forms...)
			rows[i] = d
			for _, f := range forms {
				keysOf[d.ID] = append(keysOf[d.ID], names.Keys(f)...)
			}
			allKeys = append(allKeys, keysOf[d.ID]...)
		}
		ids := make([]string, n)
		for i := range rows {
			ids[i] = rows[i].ID
		}
		err := d.WithTx(ctx, func(tx *gorm.DB) error {
			if err := tx.CreateInBatches(rows, 15).Error; err != nil {
				return err
			}
			return cases.IndexDetaineesTx(tx, ids...)
		})
		if err != nil {
			t.Fatal(err)
		}
		queries, refused := 0, 0
		for range 600 {
			q := randomQuery(rng, allKeys)
			fq := names.Fold(q)
			want := []string{}
			for id, ks := range keysOf {
				if slices.ContainsFunc(ks, func(k string) bool { return strings.Contains(k, fq) }) {
					want = append(want, id)
				}
			}
			got, err := allPages(ctx, svc, admin, q)
			if names.QueryGrams(fq) == nil {
				if err == nil {
					t.Fatalf("q=%q (fold %q): no error for a query the index cannot serve", q, fq)
				}
				refused++
				continue
			}
			if err != nil {
				t.Fatalf("q=%q: %v", q, err)
			}
			queries++
			var ids []string
			for _, v := range got {
				ids = append(ids, v.ID)
				if v.Matched == nil || !slices.ContainsFunc(names.Keys(v.Matched.Form), func(k string) bool { return strings.Contains(k, fq) }) {
					t.Fatalf("q=%q: %s matched %+v, whose keys do not hold %q", q, v.ID, v.Matched, fq)
				}
			}
			slices.Sort(ids)
			slices.Sort(want)
			if !slices.Equal(ids, want) && !(len(ids) == 0 && len(want) == 0) {
				t.Fatalf("q=%q (fold %q): index answered %d ids, substring match %d", q, fq, len(ids), len(want))
			}
		}
		t.Logf("%d names, %d queries compared, %d refused as too short", n, queries, refused)
	})
}

// allPages lists every page of a detainee search (pages of 37, best
// matches first) and checks the order: rank never decreases.
func allPages(ctx context.Context, svc *cases.Service, p *actor.Principal, q string) ([]cases.DetaineeView, error) {
	var out []cases.DetaineeView
	cursor := ""
	for {
		page, err := svc.ListDetainees(ctx, p, cases.DetaineeFilter{ListOptions: record.ListOptions{Q: q, Limit: 37, Cursor: cursor}})
		if err != nil {
			return nil, err
		}
		out = append(out, page.Items...)
		if page.NextCursor == nil {
			break
		}
		cursor = *page.NextCursor
	}
	if len(out) > 0 {
		fq := names.Fold(q)
		last := -1
		for _, v := range out {
			r := bestRank(fq, v.Matched.Form)
			if r < last {
				return nil, fmt.Errorf("q=%q: %s (rank %d) after a rank %d", q, v.Name, r, last)
			}
			last = r
		}
	}
	return out, nil
}

// bestRank is the best rank of the keys of form holding the folded query
// fq: 0 equal, 1 prefix, 2 substring (3: none).
func bestRank(fq, form string) int {
	rank := 3
	for _, k := range names.Keys(form) {
		switch {
		case k == fq:
			rank = min(rank, 0)
		case strings.HasPrefix(k, fq):
			rank = min(rank, 1)
		case strings.Contains(k, fq):
			rank = min(rank, 2)
		}
	}
	return rank
}
