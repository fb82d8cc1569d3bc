package scalar

import (
	"io"
	"strconv"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"flexwork/market"
)

// dateTimeLayout is how every DateTime is written: UTC, milliseconds.
const dateTimeLayout = "2006-01-02T15:04:05.000Z07:00"

// MarshalDateTime writes a time as RFC 3339 in UTC with milliseconds, the
// same on every path: PostgreSQL keeps microseconds (rounding), SQLite and
// values fresh from a mutation nanoseconds; rounding to the microsecond as
// PostgreSQL does, then cutting to the millisecond, writes one instant one
// way whichever the server read.
//
// The text is ASCII with nothing to escape, so it is quoted by hand, in the
// buffer it is formatted into: strconv.Quote read every rune of it again
// and copied it twice (a feed page writes some eighty of them).
func MarshalDateTime(t time.Time) graphql.Marshaler {
	b := make([]byte, 0, len(dateTimeLayout)+2)
	b = append(b, '"')
	b = t.UTC().Round(time.Microsecond).Truncate(time.Millisecond).AppendFormat(b, dateTimeLayout)
	b = append(b, '"')
	return graphql.WriterFunc(func(w io.Writer) { _, _ = w.Write(b) })
}

// UnmarshalDateTime reads RFC 3339 with a time and an offset
// ("2026-05-01T09:00:00Z", "2026-05-01T11:00:00+02:00").
func UnmarshalDateTime(v any) (time.Time, error) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, market.Errorf(market.CodeBadUserInput, "must be an RFC 3339 date-time string, e.g. 2026-05-01T09:00:00Z")
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, market.Errorf(market.CodeBadUserInput, "must be an RFC 3339 date-time with a time and an offset, e.g. 2026-05-01T09:00:00Z")
	}
	return t.UTC(), nil
}

// MarshalDate writes a calendar date as RFC 3339 full-date (2026-05-01).
func MarshalDate(t time.Time) graphql.Marshaler {
	s := t.UTC().Format(time.DateOnly)
	return graphql.WriterFunc(func(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(s)) })
}

// UnmarshalDate reads a full-date ("2026-05-01") as midnight UTC.
func UnmarshalDate(v any) (time.Time, error) {
	s, ok := v.(string)
	if ok {
		if t, err := time.Parse(time.DateOnly, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, market.Errorf(market.CodeBadUserInput, "must be a date such as 2026-05-01")
}
