package deadlines

import (
	"strings"
	"testing"
	"time"

	"github.com/habeas-org/habeas/internal/civil"
	"github.com/habeas-org/habeas/internal/lang"
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
		{"notice never given (recorded)", "family_notice_detention", func(t *testing.T) Facts {
			return Facts{Detained: pd(t, "2024-03-05"), Events: []Event{ev(t, EvFamilyNotNotified, "2024-03-07")}}
		}, "2024-03-08", Overdue, "2024-03-06", 0, 0}, // days not counted: when the family learned is not recorded
		{"no notice logged proves nothing", "family_notice_detention", func(t *testing.T) Facts {
			return Facts{Detained: pd(t, "2024-03-05")}
		}, "2024-03-08", Unknown, "2024-03-06", 0, 0},
		{"notice pending", "family_notice_detention", func(t *testing.T) Facts {
			return Facts{Detained: pd(t, "2024-03-05")}
		}, "2024-03-05", Pending, "2024-03-06", 0, 0},
		{"notice: detention date missing", "family_notice_detention", func(t *testing.T) Facts {
			return Facts{ArrestApproved: pd(t, "2024-04-01")}
		}, "2024-05-01", NotApplicable, "", 0, 0},
		{"notice: detention approximate", "family_notice_detention", func(t *testing.T) Facts {
			return Facts{Detained: pd(t, "2024-03-05~")}
		}, "2024-05-01", Unknown, "2024-03-06", 0, 0},
		// Held with no procedure: a finding of its own (24 h at most for a summons).
		{"no procedure: ended within 24 hours", "no_procedure", func(t *testing.T) Facts {
			return Facts{Periods: []Period{{ID: "p1", Measure: MeasureNoProcedure, Start: pd(t, "2024-03-01"), End: pd(t, "2024-03-02")}}}
		}, "2024-04-01", Met, "2024-03-02", 0, 0},
		{"no procedure: held nine days", "no_procedure", func(t *testing.T) Facts {
			return Facts{Periods: []Period{{ID: "p1", Measure: MeasureNoProcedure, Start: pd(t, "2024-03-01"), End: pd(t, "2024-03-10")}}}
		}, "2024-04-01", Overdue, "2024-03-02", 8, 0},
		{"no procedure: start approximate", "no_procedure", func(t *testing.T) Facts {
			return Facts{Periods: []Period{{ID: "p1", Measure: MeasureNoProcedure, Start: pd(t, "2024-03~")}}}
		}, "2024-04-01", Unknown, "2024-04-01", 0, 0},
		// Art. 85 ¶2: taken to a detention centre within 24 hours.
		{"transfer met", "transfer_detention_centre", func(t *testing.T) Facts {
			return Facts{Detained: pd(t, "2024-03-05"), Events: []Event{ev(t, EvTransferredToDC, "2024-03-06")}}
		}, "2024-04-01", Met, "2024-03-06", 0, 0},
		{"transfer late", "transfer_detention_centre", func(t *testing.T) Facts {
			return Facts{Detained: pd(t, "2024-03-05"), Events: []Event{ev(t, EvTransferredToDC, "2024-03-08")}}
		}, "2024-04-01", Overdue, "2024-03-06", 2, 0},
		{"transfer not recorded: unknown, never overdue", "transfer_detention_centre", func(t *testing.T) Facts {
			return Facts{Detained: pd(t, "2024-03-05")}
		}, "2024-04-01", Unknown, "2024-03-06", 0, 0},
		{"transfer pending", "transfer_detention_centre", func(t *testing.T) Facts {
			return Facts{Detained: pd(t, "2024-03-05")}
		}, "2024-03-05", Pending, "2024-03-06", 0, 0},
		// Art. 93: family told within 24 hours of arrest.
		{"arrest notice late", "family_notice_arrest", func(t *testing.T) Facts {
			return Facts{ArrestApproved: pd(t, "2024-03-05"), Events: []Event{ev(t, EvFamilyNotified, "2024-03-07")}}
		}, "2024-04-01", Overdue, "2024-03-06", 1, 0},
		{"arrest notice met", "family_notice_arrest", func(t *testing.T) Facts {
			return Facts{ArrestApproved: pd(t, "2024-03-05"), Events: []Event{ev(t, EvFamilyNotified, "2024-03-05")}}
		}, "2024-04-01", Met, "2024-03-06", 0, 0},
		// Art. 94: interrogation within 24 hours of arrest.
		{"interrogated in time", "interrogation_arrest", func(t *testing.T) Facts {
			return Facts{ArrestApproved: pd(t, "2024-03-05"), Events: []Event{ev(t, EvInterrogated, "2024-03-06")}}
		}, "2024-04-01", Met, "2024-03-06", 0, 0},
		{"interrogation not recorded: unknown", "interrogation_arrest", func(t *testing.T) Facts {
			return Facts{ArrestApproved: pd(t, "2024-03-05")}
		}, "2024-04-01", Unknown, "2024-03-06", 0, 0},
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
		// Art. 91: 14 days to arrest approval, 37 with the extension for major suspects.
		{"arrest approved on day 14", "arrest_approval", func(t *testing.T) Facts {
			return Facts{Detained: pd(t, "2024-01-31"), ArrestApproved: pd(t, "2024-02-14")}
		}, "2024-04-01", Met, "2024-02-14", 0, 0},
		{"arrest approved on day 37: unless extended", "arrest_approval", func(t *testing.T) Facts {
			return Facts{Detained: pd(t, "2024-01-31"), ArrestApproved: pd(t, "2024-03-08")}
		}, "2024-04-01", OverdueUnlessExtended, "2024-02-14", 23, 0},
		{"arrest approved on day 38", "arrest_approval", func(t *testing.T) Facts {
			return Facts{Detained: pd(t, "2024-01-31"), ArrestApproved: pd(t, "2024-03-09")}
		}, "2024-04-01", Overdue, "2024-02-14", 1, 0},
		{"arrest: detention date missing", "arrest_approval", func(t *testing.T) Facts {
			return Facts{ArrestApproved: pd(t, "2024-03-09")}
		}, "2024-04-01", NotApplicable, "", 0, 0},
		{"arrest: detained in a known month, surely overdue", "arrest_approval", func(t *testing.T) Facts {
			return Facts{Detained: pd(t, "2024-01")}
		}, "2024-03-09", Overdue, "2024-02-14", 1, 0},
		{"arrest: detained in a known month, maybe overdue", "arrest_approval", func(t *testing.T) Facts {
			return Facts{Detained: pd(t, "2024-01")}
		}, "2024-02-20", OverdueUnlessExtended, "2024-02-14", 0, 0},
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
		}, "2024-06-01", OverdueUnlessExtended, "2024-02-29", 1, 0},
		{"custody: three extensions", "investigation_custody", func(t *testing.T) Facts {
			return Facts{ArrestApproved: pd(t, "2024-01-10"), Events: []Event{
				ev(t, EvCustodyExtended, "2024-03-05"), ev(t, EvCustodyExtended, "2024-04-05"), ev(t, EvCustodyExtended, "2024-06-05"),
				ev(t, EvTransferredForProsc, "2024-08-10"),
			}}
		}, "2024-09-01", Met, "2024-08-10", 0, 3},
		{"custody: restarted by new crimes", "investigation_custody", func(t *testing.T) Facts {
			return Facts{ArrestApproved: pd(t, "2024-01-10"), Events: []Event{ev(t, EvCustodyRecalculated, "2024-02-20")}}
		}, "2024-04-21", OverdueUnlessExtended, "2024-04-20", 1, 0},
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
		}, "2024-04-01", OverdueUnlessExtended, "2024-02-29", 1, 0},
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
		}, "2024-04-01", OverdueUnlessExtended, "2024-02-29", 1, 0},
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
		}, "2024-06-01", Unknown, "2024-03-11", 0, 0}, // 10 March 2024 is a Sunday: moved to Monday (Art. 105)
		// Art. 243: second instance.
		{"second instance in time", "second_instance", func(t *testing.T) Facts {
			return Facts{Appeal: pd(t, "2023-12-20"), Events: []Event{ev(t, EvAppealAccepted, "2023-12-31"), ev(t, EvSecondInstVerdict, "2024-02-29")}}
		}, "2024-04-01", Met, "2024-02-29", 0, 0},
		{"second instance a day late", "second_instance", func(t *testing.T) Facts {
			return Facts{Appeal: pd(t, "2023-12-20"), Events: []Event{ev(t, EvAppealAccepted, "2023-12-31"), ev(t, EvSecondInstVerdict, "2024-03-01")}}
		}, "2024-04-01", OverdueUnlessExtended, "2024-02-29", 1, 0},
		{"second instance extended", "second_instance", func(t *testing.T) Facts {
			return Facts{Appeal: pd(t, "2023-12-20"), Events: []Event{ev(t, EvAppealAccepted, "2023-12-31"), ev(t, EvSecondInstExtended, "2024-02-01")}}
		}, "2024-04-01", Pending, "2024-04-30", 0, 1},
		{"second instance: appeal approximate", "second_instance", func(t *testing.T) Facts {
			return Facts{Appeal: pd(t, "2023~")}
		}, "2024-01-15", Unknown, "2024-02-29", 0, 0},
		// The UN reply clock: 60 days after transmission unless set (UN practice).
		{"UN reply pending", "un_government_reply", func(t *testing.T) Facts {
			return Facts{UN: []UNCommunication{{Kind: "wgad_regular", Reference: "UA CHN 5/2024", Transmitted: pd(t, "2024-03-01")}}}
		}, "2024-04-01", Pending, "2024-04-30", 0, 0},
		{"UN reply in time", "un_government_reply", func(t *testing.T) Facts {
			return Facts{UN: []UNCommunication{{Kind: "wgad_regular", Transmitted: pd(t, "2024-03-01"), Replied: pd(t, "2024-04-30")}}}
		}, "2024-06-01", Met, "2024-04-30", 0, 0},
		{"UN reply: none recorded by the day due", "un_government_reply", func(t *testing.T) Facts {
			return Facts{UN: []UNCommunication{{Kind: "special_procedures", Transmitted: pd(t, "2024-03-01"), ReplyDue: pd(t, "2024-05-10")}}}
		}, "2024-05-13", Overdue, "2024-05-10", 3, 0},
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
			rs := Evaluate(c.facts(t), at(t, c.now), lang.English)
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

// The UN reply clock says what it rests on and, once passed, only that no
// reply is recorded; a communication not transmitted has no clock.
func TestUNReplyClockWording(t *testing.T) {
	f := Facts{UN: []UNCommunication{
		{Kind: "wgad_urgent", Reference: "UA CHN 5/2024", Transmitted: pd(t, "2024-03-01")},
		{Kind: "wgad_regular", Reference: "not yet sent"},
	}}
	var got []Result
	for _, r := range Evaluate(f, at(t, "2024-06-01"), lang.English) {
		if r.Rule == "un_government_reply" {
			got = append(got, r)
		}
	}
	if len(got) != 1 {
		t.Fatalf("UN reply limits %+v, want one (the transmitted communication)", got)
	}
	r := got[0]
	notes := strings.Join(r.Notes, " | ")
	for _, want := range []string{"UN reference UA CHN 5/2024", "no reply recorded by 2024-04-30", "not in itself a violation"} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes %q lack %q", notes, want)
		}
	}
	if strings.Contains(r.Basis, "CPL") || r.StartEvent != StartUNTransmitted || r.DaysOverdue == nil || *r.DaysOverdue != 32 {
		t.Errorf("basis %q start %q days overdue %v", r.Basis, r.StartEvent, r.DaysOverdue)
	}
	zh := find(Evaluate(f, at(t, "2024-06-01"), lang.Chinese), "un_government_reply")
	if zh == nil || !strings.Contains(strings.Join(zh.Notes, " "), "截至2024-04-30未记录答复") {
		t.Errorf("Chinese notes %+v", zh)
	}
}
