package deadlines

import (
	"sync"
	"time"
)

// holidayYear is one year's State Council notice(s) on public holidays.
type holidayYear struct {
	Notices []string // the notices' addresses on www.gov.cn
	Off     []string // public holidays (YYYY-MM-DD), including weekend days inside a holiday
	Work    []string // adjusted working days: weekend days made working days
}

var (
	calendarOnce sync.Once
	offDays      map[string]bool // day -> true: holiday; false: adjusted working day
)

func calendarDays() map[string]bool {
	calendarOnce.Do(func() {
		offDays = map[string]bool{}
		for _, y := range holidayYears {
			for _, d := range y.Off {
				offDays[d] = true
			}
			for _, d := range y.Work {
				offDays[d] = false
			}
		}
	})
	return offDays
}

// HolidaysCover reports whether the holiday table holds the State Council's
// notice for year.
func HolidaysCover(year int) bool {
	y, ok := holidayYears[year]
	return ok && len(y.Notices) > 0
}

// restDay reports whether d is a public holiday or a weekend day that is
// not an adjusted working day (the 节假日 of CPL Art. 105 ¶4).
func restDay(d day) bool {
	if off, listed := calendarDays()[d.Format("2006-01-02")]; listed {
		return off
	}
	return d.Weekday() == time.Saturday || d.Weekday() == time.Sunday
}

// nextWorkingDay is d, or the first working day after it when d is a rest
// day (Art. 105 ¶4: the period expires on the first day after the holiday).
func nextWorkingDay(d day) day {
	for i := 0; i < 30 && restDay(d); i++ {
		d = addDays(d, 1)
	}
	return d
}
