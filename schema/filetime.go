package schema

import "time"

// fileTimeUnixOffset is the number of 100-nanosecond ticks from 1601-01-01,
// where FILETIME and OPC UA DateTime start, to 1970-01-01.
const fileTimeUnixOffset = 116444736000000000

// fileTime converts a count of 100-nanosecond ticks since 1601-01-01 to a
// time. Zero and values outside what time.Time holds in nanoseconds since
// 1970 (before 1678 or after 2262) are "no time", as OPC UA treats 0 and
// the maximum Int64.
func fileTime(ticks int64) (time.Time, bool) {
	if ticks <= 0 {
		return time.Time{}, false
	}
	u := ticks - fileTimeUnixOffset
	const maxTicks = (1<<63 - 1) / 100
	if u > maxTicks || u < -maxTicks {
		return time.Time{}, false
	}
	return time.Unix(0, u*100).UTC(), true
}
