package timeline

import (
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"
)

// feedRow is a hearing of a feed with its detainee's name.
type feedRow struct {
	Hearing
	DetaineeName string
}

// renderICS writes the hearings as an iCalendar (RFC 5545) calendar. Times
// are UTC (calendar apps show them in the reader's zone); the description
// gives the court's local time. Only the type, the detainee's name, the court and the status are
// written: notes, outcome and observers stay in Habeas.
func renderICS(rows []feedRow, now time.Time) ([]byte, error) {
	cal := ics.NewCalendarFor("Habeas")
	cal.SetProductId("-//Habeas//Hearings 1.0//EN")
	cal.SetMethod(ics.MethodPublish)
	cal.SetCalscale("GREGORIAN")
	cal.SetXWRCalName("Habeas hearings")
	cal.SetRefreshInterval("PT1H", ics.WithValue(string(ics.ValueDataTypeDuration)))
	// The default zone's definition (China Standard Time, no daylight saving
	// since 1991): RFC 5545 wants at least one component, and a feed with no
	// hearing must still be a valid calendar.
	tz := cal.AddTimezone(DefaultZone)
	std := tz.AddStandard()
	std.AddProperty(ics.ComponentPropertyDtStart, "19910915T020000")
	std.AddProperty(ics.ComponentProperty(ics.PropertyTzoffsetfrom), "+0900")
	std.AddProperty(ics.ComponentProperty(ics.PropertyTzoffsetto), "+0800")
	std.AddProperty(ics.ComponentProperty(ics.PropertyTzname), "CST")
	for i := range rows {
		h := &rows[i]
		e := cal.AddEvent(h.ID + "@habeas")
		e.SetDtStampTime(now)
		e.SetStartAt(h.ScheduledAt.UTC())
		e.SetModifiedAt(h.UpdatedAt.UTC())
		e.SetSequence(int(h.Version - 1))
		typ, _ := HearingTypes.Lookup(h.Type)
		status, _ := HearingStatuses.Lookup(h.Status)
		summary := typ.Label + ": " + h.DetaineeName
		if h.Status != "scheduled" {
			summary += " (" + strings.ToLower(status.Label) + ")"
		}
		e.SetSummary(summary)
		if h.Court != "" {
			e.SetLocation(h.Court)
		}
		loc, ok := loadZone(h.TimeZone)
		if !ok {
			loc = zone
		}
		e.SetDescription("Local time at the court: " + h.ScheduledAt.In(loc).Format("2006-01-02 15:04") + " (" + h.TimeZone + ")\n" +
			"Status: " + status.Label)
		switch h.Status {
		case "cancelled":
			e.SetStatus(ics.ObjectStatusCancelled)
		case "postponed":
			e.SetStatus(ics.ObjectStatusTentative)
		default:
			e.SetStatus(ics.ObjectStatusConfirmed)
		}
	}
	return []byte(cal.Serialize()), nil
}
