package huawei

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// meetingTime is a time as Huawei's meeting APIs write it. The recording
// list documents startTime as a string "yyyy-MM-dd HH:mm" in UTC
// ("2019-12-19 02:07", SearchRecordings and the SDK's RecordResultDO), and
// decodeEndTime as a number of milliseconds; one server version must not
// break the list by sending the other form, so both are read in either:
// a JSON number or numeric string is milliseconds since 1970, a string is
// "yyyy-MM-dd HH:mm[:ss]" (UTC), ISO 8601 / RFC 3339, or a date. null, ""
// and 0 read as unknown (the zero time).
type meetingTime time.Time

// meetingTimeLayouts are the string forms read, most likely first. A
// form without a zone is UTC.
var meetingTimeLayouts = []string{
	"2006-01-02 15:04",
	"2006-01-02 15:04:05",
	time.RFC3339Nano,
	"2006-01-02T15:04:05",
	"2006-01-02T15:04",
	"2006-01-02",
}

// UnmarshalJSON accepts 1576721412885, "1576721412885", "2019-12-19 02:07",
// "2019-12-19 02:07:30", "2019-12-19T02:07:30Z", "" and null.
func (t *meetingTime) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		*t = meetingTime{}
		return nil
	}
	s := string(b)
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		s = strings.TrimSpace(s)
	}
	if s == "" {
		*t = meetingTime{}
		return nil
	}
	if ms, err := strconv.ParseInt(s, 10, 64); err == nil {
		if ms == 0 {
			*t = meetingTime{}
		} else {
			*t = meetingTime(time.UnixMilli(ms).UTC())
		}
		return nil
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil { // 1.576721412885E12
		*t = meetingTime(time.UnixMilli(int64(f)).UTC())
		return nil
	}
	for _, layout := range meetingTimeLayouts {
		if v, err := time.ParseInLocation(layout, s, time.UTC); err == nil {
			*t = meetingTime(v.UTC())
			return nil
		}
	}
	return fmt.Errorf("a time in a form Huawei does not document: %q", s)
}

// Time is t as a time.Time (zero when unknown).
func (t meetingTime) Time() time.Time { return time.Time(t) }

// flexBool is a flag a server may send as true/false or as a string
// ("true", "1"); null and "" read as unset, which callers treat as the
// documented default.
type flexBool struct {
	set, value bool
}

// UnmarshalJSON accepts true, false, "true", "false", 1, 0, "1", "0",
// "" and null.
func (f *flexBool) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(bytes.TrimSpace(b)), `"`)
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "null", "":
		*f = flexBool{}
	case "true", "1":
		*f = flexBool{set: true, value: true}
	case "false", "0":
		*f = flexBool{set: true, value: false}
	default:
		return fmt.Errorf("a flag that is neither true nor false: %s", b)
	}
	return nil
}
