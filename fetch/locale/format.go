package locale

import (
	"strconv"
	"strings"
	"time"

	"github.com/dustin/go-humanize"
	"golang.org/x/text/language"
)

// The writing conventions of the languages translated. English keeps the
// day-month-year order and the 24-hour clock Cloudreel always used.
type conventions struct {
	decimalComma bool
	months       [12]string // short month names, January first
	fullMonths   [12]string
	day          func(t time.Time, month string, year bool) string
	date         func(t time.Time, month string) string
	dayMonth     func(t time.Time, month string) string
	hours, mins  string // "h", "min" or their words
	secs         string
	tight        bool // no space between a number and its unit
}

var (
	english = conventions{
		months: [12]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"},
		date: func(t time.Time, m string) string {
			return strconv.Itoa(t.Day()) + " " + m + " " + strconv.Itoa(t.Year())
		},
		dayMonth: func(t time.Time, m string) string { return strconv.Itoa(t.Day()) + " " + m },
		fullMonths: [12]string{"January", "February", "March", "April", "May", "June", "July", "August", "September",
			"October", "November", "December"},
		day: func(t time.Time, m string, year bool) string {
			if year {
				return strconv.Itoa(t.Day()) + " " + m + " " + strconv.Itoa(t.Year())
			}
			return strconv.Itoa(t.Day()) + " " + m
		},
		hours: "h", mins: "min", secs: "s",
	}
	// Spanish: abbreviated months in lower case (RAE), a decimal comma.
	spanish = conventions{
		decimalComma: true,
		months:       [12]string{"ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic"},
		date:         english.date,
		dayMonth:     english.dayMonth,
		fullMonths: [12]string{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
			"octubre", "noviembre", "diciembre"},
		// "9 de diciembre de 2026"
		day: func(t time.Time, m string, year bool) string {
			if year {
				return strconv.Itoa(t.Day()) + " de " + m + " de " + strconv.Itoa(t.Year())
			}
			return strconv.Itoa(t.Day()) + " de " + m
		},
		hours: "h", mins: "min", secs: "s",
	}
	// Chinese: 2026年3月9日, no spaces between number and unit.
	chinese = conventions{
		date: func(t time.Time, _ string) string {
			return strconv.Itoa(t.Year()) + "年" + strconv.Itoa(int(t.Month())) + "月" + strconv.Itoa(t.Day()) + "日"
		},
		dayMonth: func(t time.Time, _ string) string {
			return strconv.Itoa(int(t.Month())) + "月" + strconv.Itoa(t.Day()) + "日"
		},
		day: func(t time.Time, _ string, year bool) string {
			md := strconv.Itoa(int(t.Month())) + "月" + strconv.Itoa(t.Day()) + "日"
			if year {
				return strconv.Itoa(t.Year()) + "年" + md
			}
			return md
		},
		hours: "小时", mins: "分钟", secs: "秒", tight: true,
	}
)

// conventionsOf are those of the language tag (its base language).
func conventionsOf(tag language.Tag) conventions {
	base, _ := tag.Base()
	switch base.String() {
	case "zh":
		return chinese
	case "es":
		return spanish
	}
	return english
}

// Formatter writes values in the conventions of one language.
type Formatter struct{ c conventions }

// In is the formatter of the language tag.
func In(tag language.Tag) Formatter { return Formatter{conventionsOf(tag)} }

// Now is the formatter of the language spoken now (Current).
func Now() Formatter { return In(Current()) }

// Bytes is a size the way file managers show it: "4.2 GB", "4,2 GB" in
// Spanish. Negative sizes count as 0.
func (f Formatter) Bytes(n int64) string {
	if n < 0 {
		n = 0
	}
	return f.decimal(humanize.Bytes(uint64(n)))
}

// Speed is a transfer speed, "4.1 MB/s"; empty for none.
func (f Formatter) Speed(bytesPerSecond float64) string {
	if bytesPerSecond <= 0 {
		return ""
	}
	return f.Bytes(int64(bytesPerSecond)) + "/s"
}

// Number is a decimal number with the language's separator: "2.5", "2,5".
func (f Formatter) Number(v float64) string {
	return f.decimal(strconv.FormatFloat(v, 'f', -1, 64))
}

func (f Formatter) decimal(s string) string {
	if f.c.decimalComma {
		return strings.Replace(s, ".", ",", 1)
	}
	return s
}

// Date is a day: "9 Mar 2026", "9 mar 2026", "2026年3月9日".
func (f Formatter) Date(t time.Time) string { return f.c.date(t, f.c.months[t.Month()-1]) }

// Day is a date as people say it, the month in full and the year only when
// it is not now's: "9 December", "9 de diciembre de 2027", "12月9日".
func (f Formatter) Day(t, now time.Time) string {
	t = t.Local()
	return f.c.day(t, f.c.fullMonths[t.Month()-1], t.Year() != now.Local().Year())
}

// Clock is a time of day on the 24-hour clock: "14:05".
func (f Formatter) Clock(t time.Time) string { return t.Format("15:04") }

// DateTime is a day and its time: "9 Mar 2026 14:05", "2026年3月9日 14:05".
func (f Formatter) DateTime(t time.Time) string { return f.Date(t) + " " + f.Clock(t) }

// DayTime is a day of this year and its time: "9 Mar 14:05", "3月9日 14:05".
func (f Formatter) DayTime(t time.Time) string {
	return f.c.dayMonth(t, f.c.months[t.Month()-1]) + " " + f.Clock(t)
}

// Duration is a length in hours and minutes, as a recording's: "45 min",
// "1 h 5 min", "1小时5分钟". Under a minute it counts as one.
func (f Formatter) Duration(d time.Duration) string {
	h, m := int(d.Hours()), int(d.Minutes())%60
	if h == 0 {
		return f.unit(max(m, 1), f.c.mins)
	}
	return f.unit(h, f.c.hours) + f.sep() + f.unit(m, f.c.mins)
}

// Remaining is a time left, rounded up and coarser as it grows: "40 s",
// "3 min", "1 h 5 min"; empty for none.
func (f Formatter) Remaining(d time.Duration) string {
	switch {
	case d <= 0:
		return ""
	case d < time.Minute:
		return f.unit(int(d.Seconds())+1, f.c.secs)
	case d < time.Hour:
		return f.unit(int(d.Minutes())+1, f.c.mins)
	}
	return f.unit(int(d.Hours()), f.c.hours) + f.sep() + f.unit(int(d.Minutes())%60, f.c.mins)
}

// Seconds is a whole count of seconds, as a countdown shows it: "60 s",
// "60秒".
func (f Formatter) Seconds(n int) string { return f.unit(n, f.c.secs) }

// unit is a number and its unit: "5 min" (a space), "5分钟" (none).
func (f Formatter) unit(n int, unit string) string { return strconv.Itoa(n) + f.sep() + unit }

func (f Formatter) sep() string {
	if f.c.tight {
		return ""
	}
	return " "
}
