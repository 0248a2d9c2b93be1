package deadlines

import (
	"testing"

	"github.com/habeas-org/habeas/internal/civil"
	"github.com/habeas-org/habeas/internal/lang"
)

// golden is a real public chronology: the facts as sourced (each date's
// public source beside it), evaluated at a fixed day, with the expected
// status of every rule and the expected release date.
type golden struct {
	name  string
	facts func(t *testing.T) Facts
	// want: rule -> status; every result of the case must be listed (a
	// rule applied more than once is checked on each result).
	want map[string]Status
	// days: rule -> days overdue (-1: not counted).
	days map[string]int
	// release: the expected release status and date computed from the facts;
	// realRelease: the public release date, which the computed one must
	// come within releaseSlack days of.
	releaseStatus string
	release       string
	realRelease   string
}

// goldenNow is the fixed day the chronologies are evaluated at.
const goldenNow = "2026-06-01"

const releaseSlack = 3

func goldenCases() []golden {
	return []golden{
		{
			// Wang Quanzhang (王全璋), 709 crackdown.
			name: "Wang Quanzhang",
			facts: func(t *testing.T) Facts {
				return Facts{
					// Held since 10 July 2015: "incommunicado for 920 days" as of 15 January 2018
					// (China Change, https://chinachange.org/2018/01/15/wang-quanzhang-the-709-lawyer-not-heard-from-since-july-2015/),
					// "first went missing on 10 July 2015" (HKFP, https://www.hongkongfp.com/2016/12/09/times-china-must-release-imprisoned-lawyer-wang-quanzhang/).
					// Some reports date the detention to 3 August 2015; with that start the release computes to 2020-04-19.
					RSDLStart: pd(t, "2015-07-10"),
					// Arrested 8 January 2016, indicted February 2017 (HRIC,
					// https://www.hrichina.org/en/citizens-square/li-wenzu-disappeared-6th-day-march-her-husband).
					ArrestApproved: pd(t, "2016-01-08"),
					Indicted:       pd(t, "2017-02"),
					// Sentenced 28 January 2019 to 4 years 6 months (Front Line Defenders,
					// https://frontlinedefenders.org/en/case/harassment-against-wang-quanzhang-family).
					Verdict:                  pd(t, "2019-01-28"),
					Sentence:                 Sentence{Kind: SentenceFixedTerm, TermMonths: 54},
					StateSecurityOrTerrorism: true, // subversion, Criminal Law Art. 105
				}
			},
			want: map[string]Status{
				"family_notice_detention": NotApplicable, "transfer_detention_centre": NotApplicable, "arrest_approval": NotApplicable,
				"family_notice_rsdl": Unknown, "rsdl_max": Met, "family_notice_arrest": Unknown, "interrogation_arrest": Unknown,
				"investigation_custody": OverdueUnlessExtended, "prosecution_review": Unknown, "first_instance": Unknown,
				"appeal_window": Unknown,
			},
			days:          map[string]int{"investigation_custody": 330},
			releaseStatus: ReleaseExpected, release: "2020-04-07",
			// Released 5 April 2020 (HRW, https://www.hrw.org/news/2020/06/05/chinese-human-rights-lawyer-released-after-4-years-0).
			realRelease: "2020-04-05",
		},
		{
			// Jiang Tianyong (江天勇): recorded custody periods.
			name: "Jiang Tianyong",
			facts: func(t *testing.T) Facts {
				return Facts{
					Periods: []Period{
						// Taken 21 November 2016; police said: nine days' administrative detention (CHRD,
						// https://www.nchrd.org/2017/02/jiang-tianyong/).
						{ID: "jty-1", Measure: MeasureAdministrative, Start: pd(t, "2016-11-21"), End: pd(t, "2016-11-30")},
						// RSDL from 1 December 2016 (CHRD, above); arrested 31 May 2017 (Amnesty UA,
						// http://www.amnesty.or.jp/en/get-involved/ua/ua/2016ua272.html).
						{ID: "jty-2", Measure: MeasureRSDL, Start: pd(t, "2016-12-01"), End: pd(t, "2017-05-30")},
						{ID: "jty-3", Measure: MeasureArrest, Start: pd(t, "2017-05-31")},
					},
					RSDLStart: pd(t, "2016-12-01"), ArrestApproved: pd(t, "2017-05-31"),
					// Sentenced 21 November 2017 to two years (Front Line Defenders,
					// https://frontlinedefenders.org/en/case/jiang-tianyong-subjected-unfair-trial).
					Verdict:  pd(t, "2017-11-21"),
					Sentence: Sentence{Kind: SentenceFixedTerm, TermMonths: 24},
					// The arrest notice dated 31 May reached his father at the post office on 5 June 2017 (Amnesty UA, above).
					Events:                   []Event{ev(t, EvFamilyNotified, "2017-06-05")},
					StateSecurityOrTerrorism: true,
				}
			},
			want: map[string]Status{
				"family_notice_detention": NotApplicable, "transfer_detention_centre": NotApplicable, "arrest_approval": NotApplicable,
				"family_notice_rsdl": Unknown, "rsdl_max": Met, "family_notice_arrest": Overdue, "interrogation_arrest": Unknown,
				"investigation_custody": Unknown, "first_instance": Unknown, "appeal_window": Unknown,
			},
			days:          map[string]int{"family_notice_arrest": 4},
			releaseStatus: ReleaseExpected, release: "2019-03-01",
			// Released 28 February 2019 (ChinaAid, https://chinaaid.org/almost-two-years-after-chinese/).
			realRelease: "2019-02-28",
		},
		{
			// Yu Wensheng (余文生).
			name: "Yu Wensheng",
			facts: func(t *testing.T) Facts {
				return Facts{
					// The judgment ((2019) Su 03 Criminal First Instance No. 201, translated at
					// https://blog.feichangdao.com/2021/07/709-YuWensheng-Judgment.html): detained 20 January 2018,
					// RSDL from 27 January, arrest approved 19 April 2018.
					Detained: pd(t, "2018-01-20"), RSDLStart: pd(t, "2018-01-27"), ArrestApproved: pd(t, "2018-04-19"),
					// Sentenced 17 June 2020 to four years (CHRD, https://www.nchrd.org/2018/09/yu-wensheng/).
					Verdict:  pd(t, "2020-06-17"),
					Sentence: Sentence{Kind: SentenceFixedTerm, TermMonths: 48},
					// His wife was given the RSDL notice on Saturday 27 January 2018 (HKFP,
					// https://hongkongfp.com/2018/01/29/chinese-lawyer-yu-wensheng-held-secret-location-subversion-charges-urging-constitutional-reform/).
					Events:                   []Event{ev(t, EvFamilyNotified, "2018-01-27")},
					StateSecurityOrTerrorism: true,
				}
			},
			want: map[string]Status{
				"family_notice_detention": OverdueUnlessExtended, "transfer_detention_centre": Unknown, "arrest_approval": Met,
				"family_notice_rsdl": Met, "rsdl_max": Met, "family_notice_arrest": Unknown, "interrogation_arrest": Unknown,
				"investigation_custody": Unknown, "first_instance": Unknown, "appeal_window": Unknown,
			},
			days:          map[string]int{"family_notice_detention": 6},
			releaseStatus: ReleaseExpected, release: "2022-03-01",
			// Released 1 March 2022 (Front Line Defenders,
			// https://www.frontlinedefenders.org/en/case/yu-wensheng-released-after-completing-sentence).
			realRelease: "2022-03-01",
		},
		{
			// Ding Jiaxi (丁家喜): the start of RSDL is not public.
			name: "Ding Jiaxi",
			facts: func(t *testing.T) Facts {
				return Facts{
					// Detained 26 December 2019, RSDL "date unknown", arrested 19 June 2020 (CHRD,
					// https://www.nchrd.org/2013/10/prisoner-of-conscience-ding-jiaxi/): RSDL start approximate.
					RSDLStart: pd(t, "2019-12-26~"), ArrestApproved: pd(t, "2020-06-19"),
					// In June 2020 the family received the arrest notice; by 20 January 2021 the case was with
					// the procuratorate (Amnesty UK, https://www.amnesty.org.uk/urgent-actions/charged-subversion-torture-details-revealed).
					Events: []Event{ev(t, EvFamilyNotified, "2020-06"), ev(t, EvTransferredForProsc, "2021-01")},
					// Sentenced 10 April 2023 to 12 years (Front Line Defenders,
					// https://www.frontlinedefenders.org/en/case/ding-jiaxi-faces-health-concerns).
					Verdict:                  pd(t, "2023-04-10"),
					Sentence:                 Sentence{Kind: SentenceFixedTerm, TermMonths: 144},
					StateSecurityOrTerrorism: true,
				}
			},
			want: map[string]Status{
				"family_notice_detention": NotApplicable, "transfer_detention_centre": NotApplicable, "arrest_approval": NotApplicable,
				"family_notice_rsdl": Unknown, "rsdl_max": Unknown, "family_notice_arrest": Unknown, "interrogation_arrest": Unknown,
				"investigation_custody": OverdueUnlessExtended, "prosecution_review": Unknown, "first_instance": Unknown,
				"appeal_window": Unknown,
			},
			days:          map[string]int{"investigation_custody": 135},
			releaseStatus: ReleaseExpected, release: "2032-03-22~", // no release yet
		},
		{
			// Ilham Tohti (伊力哈木·土赫提), with the arrest date.
			name: "Ilham Tohti",
			facts: func(t *testing.T) Facts {
				return Facts{
					// Detained 15 January 2014, arrested 20 February 2014, case sent to the procuratorate
					// 19 June 2014, sentenced to life 23 September 2014 (CHRD,
					// http://chrdnet.com/2014/07/prisoner-of-conscience-ilham-tohti/).
					Detained: pd(t, "2014-01-15"), ArrestApproved: pd(t, "2014-02-20"), Verdict: pd(t, "2014-09-23"),
					Events:                   []Event{ev(t, EvTransferredForProsc, "2014-06-19")},
					Sentence:                 Sentence{Kind: SentenceLife},
					StateSecurityOrTerrorism: true, // splittism, Criminal Law Art. 103
				}
			},
			want: map[string]Status{
				"family_notice_detention": Unknown, "transfer_detention_centre": Unknown,
				"arrest_approval": OverdueUnlessExtended, "family_notice_arrest": Unknown, "interrogation_arrest": Unknown,
				"investigation_custody": OverdueUnlessExtended, "prosecution_review": Unknown, "first_instance": Unknown,
				"appeal_window": Unknown,
			},
			days:          map[string]int{"arrest_approval": 22, "investigation_custody": 60},
			releaseStatus: ReleaseNotApplicable,
		},
		{
			// Li Heping (李和平): no arrest date public; suspended sentence; released.
			name: "Li Heping",
			facts: func(t *testing.T) Facts {
				return Facts{
					// Detained 10 July 2015; home 9 May 2017 (Forbinfull,
					// https://forbinfull.org/2017/05/16/li-hepings-release-moment-to-celebrate-or-case-of-concern/);
					// sentenced 28 April 2017 to three years suspended for four (CSW,
					// http://www.csw.org.uk/2017/05/03/news/3548/article.htm).
					Detained: pd(t, "2015-07-10"), Verdict: pd(t, "2017-04-28"), Release: pd(t, "2017-05-09"),
					StateSecurityOrTerrorism: true,
				}
			},
			want: map[string]Status{
				"family_notice_detention": Unknown, "transfer_detention_centre": Unknown,
				"arrest_approval": Unknown, "first_instance": Unknown, "appeal_window": Unknown,
			},
			days:          map[string]int{},
			releaseStatus: ReleaseReleased,
		},
		{
			// Xu Zhiyong (许志永): criminal detention, then RSDL the next day.
			name: "Xu Zhiyong",
			facts: func(t *testing.T) Facts {
				return Facts{
					// The indictment (Linyi procuratorate, translated at
					// http://blog.feichangdao.com/2021/08/translation-xu-zhiyongs-2021-indictment.html): criminal
					// detention 15 February 2020, RSDL the next day, arrest 19 June 2020, investigation closed and
					// case sent for prosecution 19 January 2021.
					Detained: pd(t, "2020-02-15"), RSDLStart: pd(t, "2020-02-16"), ArrestApproved: pd(t, "2020-06-19"),
					Events: []Event{ev(t, EvTransferredForProsc, "2021-01-19")},
					// Sentenced 10 April 2023 to 14 years (29 Principles, https://29principles.uk/en/DJXZ).
					Verdict:                  pd(t, "2023-04-10"),
					Sentence:                 Sentence{Kind: SentenceFixedTerm, TermMonths: 168},
					StateSecurityOrTerrorism: true,
				}
			},
			want: map[string]Status{
				"family_notice_detention": Met, "transfer_detention_centre": Met, "arrest_approval": Met,
				"family_notice_rsdl": Unknown, "rsdl_max": Met, "family_notice_arrest": Unknown, "interrogation_arrest": Unknown,
				"investigation_custody": OverdueUnlessExtended, "prosecution_review": Unknown, "first_instance": Unknown,
				"appeal_window": Unknown,
			},
			days:          map[string]int{"investigation_custody": 153},
			releaseStatus: ReleaseExpected, release: "2034-04-16",
		},
	}
}

func TestGoldenChronologies(t *testing.T) {
	for _, g := range goldenCases() {
		t.Run(g.name, func(t *testing.T) {
			f := g.facts(t)
			rs := Evaluate(f, at(t, goldenNow), lang.English)
			seen := map[string]bool{}
			for _, r := range rs {
				seen[r.Rule] = true
				want, ok := g.want[r.Rule]
				if !ok {
					t.Errorf("%s: unexpected result %s (notes %v, missing %q)", r.Rule, r.Status, r.Notes, r.Missing)
					continue
				}
				if r.Status != want {
					t.Errorf("%s: %s, want %s (notes %v, missing %q)", r.Rule, r.Status, want, r.Notes, r.Missing)
				}
				if r.Status == Unknown && r.Missing == "" {
					t.Errorf("%s: unknown without the missing fact", r.Rule)
				}
				if n, ok := g.days[r.Rule]; ok {
					switch {
					case n < 0 && r.DaysOverdue != nil:
						t.Errorf("%s: %d days overdue, want not counted", r.Rule, *r.DaysOverdue)
					case n >= 0 && (r.DaysOverdue == nil || *r.DaysOverdue != n):
						t.Errorf("%s: days overdue %v, want %d", r.Rule, r.DaysOverdue, n)
					}
				}
				if r.DaysOverdue != nil && *r.DaysOverdue > 1000 {
					t.Errorf("%s: %d days overdue: counting must stop at release, conviction or change of measure", r.Rule, *r.DaysOverdue)
				}
			}
			for rule := range g.want {
				if !seen[rule] {
					t.Errorf("%s: no result", rule)
				}
			}
			rel := ExpectedRelease(f, lang.English)
			if rel.Status != g.releaseStatus || rel.At.String() != g.release {
				t.Errorf("release %s %q, want %s %q (basis %v)", rel.Status, rel.At, g.releaseStatus, g.release, rel.Basis)
			}
			if len(rel.Basis) == 0 {
				t.Error("release without its derivation")
			}
			if g.realRelease != "" {
				real, computed := pd(t, g.realRelease).Earliest(civil.CST), rel.At.Earliest(civil.CST)
				if diff := daysBetween(real, computed); diff < -releaseSlack || diff > releaseSlack {
					t.Errorf("expected release %s is %d days from the real release %s", rel.At, diff, g.realRelease)
				}
			}
		})
	}
}
