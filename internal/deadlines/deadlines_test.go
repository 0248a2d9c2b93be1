package deadlines

import (
	"testing"
	"time"

	"github.com/habeas-org/habeas/internal/civil"
	"github.com/habeas-org/habeas/internal/partialdate"
)

func pd(t *testing.T, s string) partialdate.Date {
	t.Helper()
	if s == "" {
		return partialdate.Date{}
	}
	d, err := partialdate.Parse(s, civil.CST)
	if err != nil {
		t.Fatalf("date %q: %v", s, err)
	}
	return d
}

func ev(t *testing.T, typ, at string) Event { return Event{Type: typ, At: pd(t, at)} }

// at is noon CST of a day.
func at(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.ParseInLocation("2006-01-02", s, civil.CST)
	if err != nil {
		t.Fatal(err)
	}
	return d.Add(12 * time.Hour)
}

func find(rs []Result, rule string) *Result {
	for i := range rs {
		if rs[i].Rule == rule {
			return &rs[i]
		}
	}
	return nil
}

func TestAddMonthsMonthEnds(t *testing.T) {
	for _, c := range []struct {
		from string
		n    int
		want string
	}{
		{"2024-01-31", 1, "2024-02-29"}, // leap year
		{"2023-01-31", 1, "2023-02-28"},
		{"2023-01-30", 1, "2023-02-28"}, // no 30 February: last day
		{"2023-01-28", 1, "2023-02-28"},
		{"2023-02-28", 1, "2023-03-31"}, // starts on a month's last day: ends on the next month's last day
		{"2024-02-28", 1, "2024-03-28"}, // not the last day in a leap year
		{"2024-02-29", 1, "2024-03-31"},
		{"2023-08-31", 6, "2024-02-29"},
		{"2023-10-15", 3, "2024-01-15"}, // across a year
		{"2024-03-05", 2, "2024-05-05"},
	} {
		f, _ := time.ParseInLocation("2006-01-02", c.from, civil.CST)
		if got := addMonths(f, c.n).Format("2006-01-02"); got != c.want {
			t.Errorf("%s + %d months = %s, want %s", c.from, c.n, got, c.want)
		}
	}
}

// For every rule: met just in time, overdue by one day, an extension applied
// where the law has one, a missing start date, an approximate start date.
func TestRules(t *testing.T) {
	type tc struct {
		name       string
		rule       string
		facts      func(t *testing.T) Facts
		now        string
		status     Status
		due        string // CST day, "" when unknown
		daysOver   int
		extensions int
	}
	cases := []tc{
		// Art. 85: 24 h family notice after detention.
		{"notice met just in time", "family_notice_detention", func(t *testing.T) Facts {
			return Facts{Detained: pd(t, "2024-03-05"), Events: []Event{ev(t, EvFamilyNotified, "2024-03-06")}}
		}, "2024-04-01", Met, "2024-03-06", 0, 0},
		{"notice late by one day", "family_notice_detention", func(t *testing.T) Facts {
			return Facts{Detained: pd(t, "2024-03-05"), Events: []Event{ev(t, EvFamilyNotified, "2024-03-07")}}
		}, "2024-04-01", Overdue, "2024-03-06", 1, 0},
		{"notice never given", "family_notice_detention", func(t *testing.T) Facts {
			return Facts{Detained: pd(t, "2024-03-05")}
		}, "2024-03-08", Overdue, "2024-03-06", 2, 0},
		{"notice pending", "family_notice_detention", func(t *testing.T) Facts {
			return Facts{Detained: pd(t, "2024-03-05")}
		}, "2024-03-05", Pending, "2024-03-06", 0, 0},
		{"notice: detention date missing", "family_notice_detention", func(t *testing.T) Facts {
			return Facts{ArrestApproved: pd(t, "2024-04-01")}
		}, "2024-05-01", Unknown, "", 0, 0},
		{"notice: detention approximate", "family_notice_detention", func(t *testing.T) Facts {
			return Facts{Detained: pd(t, "2024-03-05~")}
		}, "2024-05-01", Unknown, "2024-03-06", 0, 0},
		// Art. 75: RSDL family notice.
		{"rsdl notice met", "family_notice_rsdl", func(t *testing.T) Facts {
			return Facts{RSDLStart: pd(t, "2020-02-29"), Events: []Event{ev(t, EvFamilyNotified, "2020-03-01")}}
		}, "2020-04-01", Met, "2020-03-01", 0, 0},
		{"rsdl notice late", "family_notice_rsdl", func(t *testing.T) Facts {
			return Facts{RSDLStart: pd(t, "2020-02-29"), Events: []Event{ev(t, EvFamilyNotified, "2020-03-02")}}
		}, "2020-04-01", Overdue, "2020-03-01", 1, 0},
		{"rsdl notice approximate", "family_notice_rsdl", func(t *testing.T) Facts {
			return Facts{RSDLStart: pd(t, "2020-02~")}
		}, "2020-02-10", Unknown, "2020-03-01", 0, 0},
		// Art. 91: 37 days to arrest approval.
		{"arrest approved on day 37", "arrest_approval", func(t *testing.T) Facts {
			return Facts{Detained: pd(t, "2024-01-31"), ArrestApproved: pd(t, "2024-03-08")}
		}, "2024-04-01", Met, "2024-03-08", 0, 0},
		{"arrest approved on day 38", "arrest_approval", func(t *testing.T) Facts {
			return Facts{Detained: pd(t, "2024-01-31"), ArrestApproved: pd(t, "2024-03-09")}
		}, "2024-04-01", Overdue, "2024-03-08", 1, 0},
		{"arrest: detention date missing", "arrest_approval", func(t *testing.T) Facts {
			return Facts{ArrestApproved: pd(t, "2024-03-09")}
		}, "2024-04-01", Unknown, "", 0, 0},
		{"arrest: detained in a known month, surely overdue", "arrest_approval", func(t *testing.T) Facts {
			return Facts{Detained: pd(t, "2024-01")}
		}, "2024-03-09", Overdue, "2024-03-08", 1, 0},
		{"arrest: detained in a known month, maybe overdue", "arrest_approval", func(t *testing.T) Facts {
			return Facts{Detained: pd(t, "2024-01")}
		}, "2024-02-20", Unknown, "2024-03-08", 0, 0},
		// Art. 39: 48 h lawyer meeting.
		{"meeting granted in 48h", "lawyer_meeting", func(t *testing.T) Facts {
			return Facts{Events: []Event{ev(t, EvMeetingRequested, "2023-12-30"), ev(t, EvMeetingGranted, "2024-01-01")}}
		}, "2024-02-01", Met, "2024-01-01", 0, 0},
		{"meeting granted a day late", "lawyer_meeting", func(t *testing.T) Facts {
			return Facts{Events: []Event{ev(t, EvMeetingRequested, "2023-12-30"), ev(t, EvMeetingGranted, "2024-01-02")}}
		}, "2024-02-01", Overdue, "2024-01-01", 1, 0},
		{"meeting request approximate", "lawyer_meeting", func(t *testing.T) Facts {
			return Facts{Events: []Event{ev(t, EvMeetingRequested, "2023-12~")}}
		}, "2024-02-01", Unknown, "2024-01-02", 0, 0},
		// Arts. 156, 158, 159: investigation custody.
		{"custody: transferred on the last day", "investigation_custody", func(t *testing.T) Facts {
			return Facts{ArrestApproved: pd(t, "2023-12-31"), Events: []Event{ev(t, EvTransferredForProsc, "2024-02-29")}}
		}, "2024-06-01", Met, "2024-02-29", 0, 0},
		{"custody: one day over", "investigation_custody", func(t *testing.T) Facts {
			return Facts{ArrestApproved: pd(t, "2023-12-31"), Events: []Event{ev(t, EvTransferredForProsc, "2024-03-01")}}
		}, "2024-06-01", Overdue, "2024-02-29", 1, 0},
		{"custody: three extensions", "investigation_custody", func(t *testing.T) Facts {
			return Facts{ArrestApproved: pd(t, "2024-01-10"), Events: []Event{
				ev(t, EvCustodyExtended, "2024-03-05"), ev(t, EvCustodyExtended, "2024-04-05"), ev(t, EvCustodyExtended, "2024-06-05"),
				ev(t, EvTransferredForProsc, "2024-08-10"),
			}}
		}, "2024-09-01", Met, "2024-08-10", 0, 3},
		{"custody: restarted by new crimes", "investigation_custody", func(t *testing.T) Facts {
			return Facts{ArrestApproved: pd(t, "2024-01-10"), Events: []Event{ev(t, EvCustodyRecalculated, "2024-02-20")}}
		}, "2024-04-21", Overdue, "2024-04-20", 1, 0},
		{"custody: arrest date missing", "investigation_custody", func(t *testing.T) Facts {
			return Facts{Indicted: pd(t, "2024-06-01")}
		}, "2024-07-01", Unknown, "", 0, 0},
		{"custody: arrest approximate", "investigation_custody", func(t *testing.T) Facts {
			return Facts{ArrestApproved: pd(t, "2024-01~")}
		}, "2024-12-01", Unknown, "2024-03-31", 0, 0},
		// Arts. 172, 175: review for prosecution.
		{"review decided in a month", "prosecution_review", func(t *testing.T) Facts {
			return Facts{Indicted: pd(t, "2024-02-29"), Events: []Event{ev(t, EvTransferredForProsc, "2024-01-31")}}
		}, "2024-04-01", Met, "2024-02-29", 0, 0},
		{"review one day over", "prosecution_review", func(t *testing.T) Facts {
			return Facts{Indicted: pd(t, "2024-03-01"), Events: []Event{ev(t, EvTransferredForProsc, "2024-01-31")}}
		}, "2024-04-01", Overdue, "2024-02-29", 1, 0},
		{"review extended 15 days", "prosecution_review", func(t *testing.T) Facts {
			return Facts{Indicted: pd(t, "2024-03-15"), Events: []Event{ev(t, EvTransferredForProsc, "2024-01-31"), ev(t, EvReviewExtended, "2024-02-20")}}
		}, "2024-04-01", Met, "2024-03-15", 0, 1},
		{"review restarts after supplementary investigation", "prosecution_review", func(t *testing.T) Facts {
			return Facts{Events: []Event{ev(t, EvTransferredForProsc, "2024-01-10"), ev(t, EvReturnedForSuppInv, "2024-02-01"),
				ev(t, EvTransferredForProsc, "2024-02-25")}}
		}, "2024-03-20", Pending, "2024-03-25", 0, 0},
		{"review: transfer date missing", "prosecution_review", func(t *testing.T) Facts {
			return Facts{Indicted: pd(t, "2024-03-15")}
		}, "2024-04-01", Unknown, "", 0, 0},
		{"review: transfer approximate", "prosecution_review", func(t *testing.T) Facts {
			return Facts{Events: []Event{ev(t, EvTransferredForProsc, "2024-01-31~")}}
		}, "2024-04-01", Unknown, "2024-02-29", 0, 0},
		{"supplementary investigation one day over", "supplementary_investigation", func(t *testing.T) Facts {
			return Facts{Events: []Event{ev(t, EvReturnedForSuppInv, "2024-02-01"), ev(t, EvTransferredForProsc, "2024-03-02")}}
		}, "2024-04-01", Overdue, "2024-03-01", 1, 0},
		// Art. 208: first instance.
		{"verdict on the last day", "first_instance", func(t *testing.T) Facts {
			return Facts{Indicted: pd(t, "2023-11-20"), Verdict: pd(t, "2024-02-29"), Events: []Event{ev(t, EvCourtAccepted, "2023-11-30")}}
		}, "2024-04-01", Met, "2024-02-29", 0, 0},
		{"verdict a day late", "first_instance", func(t *testing.T) Facts {
			return Facts{Verdict: pd(t, "2024-03-01"), Events: []Event{ev(t, EvCourtAccepted, "2023-11-30")}}
		}, "2024-04-01", Overdue, "2024-02-29", 1, 0},
		{"verdict with higher-court extension", "first_instance", func(t *testing.T) Facts {
			return Facts{Verdict: pd(t, "2024-05-20"), Events: []Event{ev(t, EvCourtAccepted, "2023-11-30"), ev(t, EvTrialExtended, "2024-02-20")}}
		}, "2024-06-01", Met, "2024-05-31", 0, 1},
		{"first instance counted from indictment cannot be called overdue", "first_instance", func(t *testing.T) Facts {
			return Facts{Indicted: pd(t, "2023-11-30")}
		}, "2024-06-01", Unknown, "2024-02-29", 0, 0},
		{"first instance counted from indictment can be called met", "first_instance", func(t *testing.T) Facts {
			return Facts{Indicted: pd(t, "2023-11-30"), Verdict: pd(t, "2024-01-15")}
		}, "2024-06-01", Met, "2024-02-29", 0, 0},
		{"first instance: acceptance approximate", "first_instance", func(t *testing.T) Facts {
			return Facts{Events: []Event{ev(t, EvCourtAccepted, "2023-11~")}}
		}, "2024-01-01", Unknown, "2024-02-29", 0, 0},
		{"first instance: acceptance missing", "first_instance", func(t *testing.T) Facts {
			return Facts{Verdict: pd(t, "2024-01-15")}
		}, "2024-06-01", Unknown, "", 0, 0},
		// Art. 230: appeal window.
		{"appeal on day 10", "appeal_window", func(t *testing.T) Facts {
			return Facts{Verdict: pd(t, "2024-02-19"), Appeal: pd(t, "2024-03-01"), Events: []Event{ev(t, EvJudgmentReceived, "2024-02-20")}}
		}, "2024-04-01", Met, "2024-03-01", 0, 0},
		{"appeal on day 11", "appeal_window", func(t *testing.T) Facts {
			return Facts{Verdict: pd(t, "2024-02-19"), Appeal: pd(t, "2024-03-02"), Events: []Event{ev(t, EvJudgmentReceived, "2024-02-20")}}
		}, "2024-04-01", Overdue, "2024-03-01", 1, 0},
		{"appeal window open", "appeal_window", func(t *testing.T) Facts {
			return Facts{Verdict: pd(t, "2024-02-19"), Events: []Event{ev(t, EvJudgmentReceived, "2024-02-20")}}
		}, "2024-02-25", Pending, "2024-03-01", 0, 0},
		{"appeal: verdict approximate", "appeal_window", func(t *testing.T) Facts {
			return Facts{Verdict: pd(t, "2024-02~")}
		}, "2024-06-01", Unknown, "2024-03-10", 0, 0},
		// Art. 243: second instance.
		{"second instance in time", "second_instance", func(t *testing.T) Facts {
			return Facts{Appeal: pd(t, "2023-12-20"), Events: []Event{ev(t, EvAppealAccepted, "2023-12-31"), ev(t, EvSecondInstVerdict, "2024-02-29")}}
		}, "2024-04-01", Met, "2024-02-29", 0, 0},
		{"second instance a day late", "second_instance", func(t *testing.T) Facts {
			return Facts{Appeal: pd(t, "2023-12-20"), Events: []Event{ev(t, EvAppealAccepted, "2023-12-31"), ev(t, EvSecondInstVerdict, "2024-03-01")}}
		}, "2024-04-01", Overdue, "2024-02-29", 1, 0},
		{"second instance extended", "second_instance", func(t *testing.T) Facts {
			return Facts{Appeal: pd(t, "2023-12-20"), Events: []Event{ev(t, EvAppealAccepted, "2023-12-31"), ev(t, EvSecondInstExtended, "2024-02-01")}}
		}, "2024-04-01", Pending, "2024-04-30", 0, 1},
		{"second instance: appeal approximate", "second_instance", func(t *testing.T) Facts {
			return Facts{Appeal: pd(t, "2023~")}
		}, "2024-01-15", Unknown, "2024-02-29", 0, 0},
		// Art. 79: RSDL at most 6 months.
		{"rsdl ended on the last day", "rsdl_max", func(t *testing.T) Facts {
			return Facts{RSDLStart: pd(t, "2023-08-31"), RSDLEnd: pd(t, "2024-02-29")}
		}, "2024-04-01", Met, "2024-02-29", 0, 0},
		{"rsdl one day too long", "rsdl_max", func(t *testing.T) Facts {
			return Facts{RSDLStart: pd(t, "2023-08-31"), RSDLEnd: pd(t, "2024-03-01")}
		}, "2024-04-01", Overdue, "2024-02-29", 1, 0},
		{"rsdl: start missing", "rsdl_max", func(t *testing.T) Facts {
			return Facts{RSDLEnd: pd(t, "2024-03-01")}
		}, "2024-04-01", Unknown, "", 0, 0},
		{"rsdl: start approximate", "rsdl_max", func(t *testing.T) Facts {
			return Facts{RSDLStart: pd(t, "2023-08-31~")}
		}, "2024-04-01", Unknown, "2024-02-29", 0, 0},
	}
	covered := map[string]bool{}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			covered[c.rule] = true
			rs := Evaluate(c.facts(t), at(t, c.now))
			r := find(rs, c.rule)
			if r == nil {
				t.Fatalf("rule %s not applied; got %+v", c.rule, rs)
			}
			if r.Status != c.status {
				t.Errorf("status %s, want %s (notes %v)", r.Status, c.status, r.Notes)
			}
			due := ""
			if !r.DueAt.IsZero() {
				due = r.DueAt.In(civil.CST).Format("2006-01-02")
			}
			if due != c.due {
				t.Errorf("due %q, want %q", due, c.due)
			}
			if c.daysOver > 0 && (r.DaysOverdue == nil || *r.DaysOverdue != c.daysOver) {
				t.Errorf("days overdue %v, want %d", r.DaysOverdue, c.daysOver)
			}
			if len(r.Extensions) != c.extensions {
				t.Errorf("extensions %v, want %d", r.Extensions, c.extensions)
			}
			if r.Basis == "" || r.Wording == "" {
				t.Error("result without its article")
			}
		})
	}
	for _, r := range Rules {
		if !covered[r.ID] {
			t.Errorf("rule %s has no test case", r.ID)
		}
	}
}

// A real chronology: Wang Quanzhang, a lawyer taken in the "709" crackdown.
// Dates as publicly reported (RSDL from 3 August 2015; arrest approved
// 8 January 2016; indicted February 2017; sentenced 28 January 2019); the
// test checks the arithmetic a reader can redo by hand, not the history.
func TestRealChronologyWangQuanzhang(t *testing.T) {
	f := Facts{
		RSDLStart:                pd(t, "2015-08-03"),
		ArrestApproved:           pd(t, "2016-01-08"),
		Indicted:                 pd(t, "2017-02"),
		Verdict:                  pd(t, "2019-01-28"),
		StateSecurityOrTerrorism: true, // Art. 105 subversion
	}
	rs := Evaluate(f, at(t, "2026-11-27"))
	want := map[string]struct {
		status Status
		due    string
		over   int
	}{
		"family_notice_rsdl":    {Overdue, "2015-08-04", 4133}, // no notice recorded
		"rsdl_max":              {Met, "2016-02-03", 0},        // ended by the arrest on 8 January
		"investigation_custody": {Overdue, "2016-03-08", 330},  // 2 months; no extension recorded; indicted 2017-02 at the earliest on the 1st
		"first_instance":        {Unknown, "2017-05-31", 0},    // acceptance not recorded: counted from indictment, cannot be called overdue
		"arrest_approval":       {Unknown, "", 0},              // no criminal detention recorded (he went straight to RSDL)
		"appeal_window":         {Unknown, "2019-02-07", 0},    // receipt of judgment not recorded
	}
	for rule, w := range want {
		r := find(rs, rule)
		if r == nil {
			t.Errorf("%s missing", rule)
			continue
		}
		due := ""
		if !r.DueAt.IsZero() {
			due = r.DueAt.In(civil.CST).Format("2006-01-02")
		}
		if r.Status != w.status || due != w.due {
			t.Errorf("%s: %s due %s, want %s due %s (notes %v)", rule, r.Status, due, w.status, w.due, r.Notes)
		}
		if w.over > 0 && (r.DaysOverdue == nil || *r.DaysOverdue != w.over) {
			t.Errorf("%s: %v days overdue, want %d", rule, r.DaysOverdue, w.over)
		}
	}
}
