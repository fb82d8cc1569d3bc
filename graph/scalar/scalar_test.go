package scalar

import (
	"bytes"
	"math"
	"testing"

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
