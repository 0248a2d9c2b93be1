package cases_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/cases"
	"github.com/habeas-org/habeas/internal/testkit"
)

// benchSurnames and benchGiven make Chinese names for the create benchmark.
var (
	benchSurnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
	benchGiven    = []rune("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红梅鹏辉建国志永文斌晓波贤宇浩然子涵欣怡雨轩思远")
)

func benchName(i int) string {
	s, g := len(benchSurnames), len(benchGiven)
	return string([]rune{benchSurnames[i%s], benchGiven[(i/s)%g], benchGiven[(i/s/g+i)%g]})
}

// BenchmarkCreateDetainee measures the creation of a detainee (a Chinese
// name and a Latin other name, a birth year) on a database of 10,000
// detainees: with the name index written and the possible duplicates
// looked up, and, interleaved in the same run, the baseline without either
// (the creation of before issue 20). "service" calls CreateDetainee;
// "http" sends POST /api/v1/detainees to a running server (sign-in token,
// JSON, access, audit: what a client waits for). Each reports both times
// and their ratio (target: at most 2). Run:
//
//	go test -run '^$' -bench CreateDetainee -benchtime 2000x ./internal/cases
func BenchmarkCreateDetainee(b *testing.B) {
	const existing = 10_000
	for _, dialect := range testkit.Dialects(b) {
		b.Run(string(dialect), func(b *testing.B) {
			ctx := context.Background()
			d := testkit.NewDB(b, dialect)
			srv := testkit.NewServer(b, d, nil)
			svc := srv.App.Cases
			admin := addUser(b, d, actor.Admin)
			token, _ := testkit.UserToken(b, srv, actor.Admin)
			pr, pw := io.Pipe()
			go func() {
				w := csv.NewWriter(pw)
				_ = w.Write([]string{"name", "born_at"})
				for i := range existing {
					_ = w.Write([]string{benchName(i), fmt.Sprint(1950 + i%50)})
				}
				w.Flush()
				_ = pw.CloseWithError(w.Error())
			}()
			if _, err := svc.ImportDetainees(ctx, admin, pr, cases.ImportOptions{}); err != nil {
				b.Fatal(err)
			}
			next := existing
			fields := func() cases.DetaineeFields {
				next++
				name, born := benchName(next), fmt.Sprint(1950+next%50)
				other := []cases.OtherName{{Name: fmt.Sprintf("Bench Name %d", next), Kind: "pinyin"}}
				return cases.DetaineeFields{Name: &name, OtherNames: &other, BornAt: &born}
			}
			b.Run("service", func(b *testing.B) {
				interleaved(b, svc, func() error {
					_, err := svc.CreateDetainee(ctx, admin, fields())
					return err
				})
			})
			b.Run("http", func(b *testing.B) {
				interleaved(b, svc, func() error {
					body, err := json.Marshal(fields())
					if err != nil {
						return err
					}
					req, err := http.NewRequest("POST", srv.URL+"/api/v1/detainees", bytes.NewReader(body))
					if err != nil {
						return err
					}
					req.Header.Set("Authorization", "Bearer "+token)
					req.Header.Set("Content-Type", "application/json")
					resp, err := srv.Client.Do(req)
					if err != nil {
						return err
					}
					_, _ = io.Copy(io.Discard, resp.Body)
					_ = resp.Body.Close()
					if resp.StatusCode != http.StatusCreated {
						return fmt.Errorf("POST /api/v1/detainees: %d", resp.StatusCode)
					}
					return nil
				})
			})
		})
	}
}

// interleaved runs create b.N times, every other time without the name
// index (the baseline), and reports both mean times and their ratio.
func interleaved(b *testing.B, svc *cases.Service, create func() error) {
	var with, without time.Duration
	var nWith, nWithout int
	defer cases.SetCreateWithoutIndexForTest(svc, false)
	b.ResetTimer()
	for i := range b.N {
		off := i%2 == 1
		cases.SetCreateWithoutIndexForTest(svc, off)
		start := time.Now()
		if err := create(); err != nil {
			b.Fatal(err)
		}
		if off {
			without += time.Since(start)
			nWithout++
		} else {
			with += time.Since(start)
			nWith++
		}
	}
	b.StopTimer()
	if nWith == 0 || nWithout == 0 {
		return
	}
	perWith, perWithout := float64(with)/float64(nWith), float64(without)/float64(nWithout)
	b.ReportMetric(perWith/1e3, "µs/create-indexed")
	b.ReportMetric(perWithout/1e3, "µs/create-baseline")
	b.ReportMetric(perWith/perWithout, "x-baseline")
}
