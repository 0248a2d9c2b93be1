// Package civil holds the time zone and calendar days every feature counts
// in: China Standard Time, the zone of the Criminal Procedure Law's time
// limits, of support actions' due days and of the timeline's dates.
package civil

import "time"

// CST is China Standard Time (UTC+8, no daylight saving since 1991), the
// zone every time limit of the Criminal Procedure Law is counted in.
var CST = time.FixedZone("CST", 8*60*60)

// Day is the calendar day "YYYY-MM-DD" of t in China Standard Time.
func Day(t time.Time) string { return t.In(CST).Format(time.DateOnly) }

// Today is the current calendar day in China Standard Time.
func Today() string { return Day(time.Now()) }
