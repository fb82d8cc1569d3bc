package scalar

import (
	"bytes"
	"context"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
)

// TestIntsAreWrittenAsGqlgenWritesThem, and a small one held for the
// response costs no allocation.
func TestIntsAreWrittenAsGqlgenWritesThem(t *testing.T) {
	for _, i := range []int64{0, 1, 42, 99, 100, 255, 256, 100000, -1, -256, math.MaxInt32, math.MinInt32, math.MaxInt64, math.MinInt64} {
		var want, got, got64 bytes.Buffer
		graphql.MarshalInt64(i).MarshalGQL(&want)
		MarshalInt(int(i)).MarshalGQL(&got)
		MarshalInt64(i).MarshalGQL(&got64)
		if got.String() != want.String() || got64.String() != want.String() {
			t.Errorf("%d: wrote %s and %s, gqlgen writes %s", i, got.String(), got64.String(), want.String())
		}
	}
	var held graphql.Marshaler
	if n := testing.AllocsPerRun(100, func() { held = MarshalInt(50) }); n != 0 {
		t.Errorf("holding the Int 50 for the response made %v allocations", n)
	}
	_ = held
}

// TestFiniteFloatsAreWrittenAsGqlgenWritesThem: distances, coordinates and
// ratings, into a buffer and into a plain writer alike.
func TestFiniteFloatsAreWrittenAsGqlgenWritesThem(t *testing.T) {
	vals := []float64{0, math.Copysign(0, -1), 1, -1, 0.1, 52.52, 13.405, 4.75, 1e6, 1e21, 1e-7, 123456789.125,
		math.MaxFloat64, math.SmallestNonzeroFloat64, -math.MaxFloat64, 1.0 / 3}
	for i := range 2000 {
		vals = append(vals, math.Float64frombits(uint64(i)*0x9E3779B97F4A7C15))
	}
	for _, f := range vals {
		if math.IsInf(f, 0) || math.IsNaN(f) {
			continue
		}
		var want, got bytes.Buffer
		if err := graphql.MarshalFloatContext(f).MarshalGQLContext(context.Background(), &want); err != nil {
			t.Fatal(err)
		}
		MarshalFiniteFloat(f).MarshalGQL(&got)
		var plain strings.Builder
		MarshalFiniteFloat(f).MarshalGQL(&plain)
		if got.String() != want.String() || plain.String() != want.String() {
			t.Errorf("%v: wrote %s and %s, gqlgen writes %s", f, got.String(), plain.String(), want.String())
		}
	}
}

// TestADateTimeIsWrittenAsQuotedRFC3339: the hand-quoted text is what
// quoting the formatted time writes, for instants in any zone, with
// nanoseconds to round, and before year 1 or after 9999.
func TestADateTimeIsWrittenAsQuotedRFC3339(t *testing.T) {
	berlin := time.FixedZone("CET", 3600)
	for _, in := range []time.Time{
		time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC),
		time.Date(2026, 5, 1, 11, 0, 0, 999_999_500, berlin),
		time.Date(2026, 12, 31, 23, 59, 59, 999_600_000, time.UTC),
		time.Date(12026, 1, 1, 0, 0, 0, 1, time.UTC),
		time.Date(-3, 1, 1, 0, 0, 0, 0, time.UTC),
		{},
	} {
		want := strconv.Quote(in.UTC().Round(time.Microsecond).Truncate(time.Millisecond).Format("2006-01-02T15:04:05.000Z07:00"))
		var got bytes.Buffer
		MarshalDateTime(in).MarshalGQL(&got)
		if got.String() != want {
			t.Errorf("%v: wrote %s, want %s", in, got.String(), want)
		}
	}
	var got bytes.Buffer
	MarshalDateTime(time.Date(2026, 5, 1, 9, 0, 0, 999_999_500, time.UTC)).MarshalGQL(&got)
	if got.String() != `"2026-05-01T09:00:01.000Z"` {
		t.Errorf("half a microsecond before the second: wrote %s", got.String())
	}
}
