package dossier

import (
	"fmt"
	"strconv"
	"time"

	"github.com/habeas-org/habeas/internal/partialdate"
)

// date shows a partial date with its precision: "2019-03-05", "2019-03",
// "2019" (Chinese documents: 2019年3月5日, 2019年3月, 2019年); an approximate
// date gets "c." (约). Unparseable text is shown as it is.
func (r *renderer) date(s string) string {
	if s == "" {
		return ""
	}
	d, err := partialdate.Parse(s, time.UTC)
	if err != nil {
		return s
	}
	t := d.Earliest(time.UTC)
	var en, zh string
	switch d.Precision {
	case partialdate.Year:
		en, zh = strconv.Itoa(t.Year()), fmt.Sprintf("%d年", t.Year())
	case partialdate.Month:
		en, zh = t.Format("2006-01"), fmt.Sprintf("%d年%d月", t.Year(), int(t.Month()))
	default:
		en, zh = t.Format("2006-01-02"), fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
	}
	if d.Approximate {
		en, zh = r.l.en("approx")+nbsp+en, r.l.zh("approx")+zh
	}
	if r.l.lang == Chinese {
		return zh
	}
	return en // bilingual documents use the numeric form, read alike in both languages
}

// day shows a calendar day (due dates).
func (r *renderer) day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	if r.l.lang == Chinese {
		return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
	}
	return t.UTC().Format("2006-01-02")
}

// stamp shows an instant in UTC.
func stamp(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

// size shows a byte count.
func size(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	default:
		return fmt.Sprintf("%d B", n)
	}
}

// nbsp joins "c." to its date: a line never breaks between them.
const nbsp = "\u00a0"

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }
