// Package scalar holds the GraphQL scalars flexwork reads its own way. Int
// is held to the 32 bits GraphQL gives it. Text
// crosses into PostgreSQL and into people's phones: a NUL byte, which
// PostgreSQL cannot store, or bytes that are not UTF-8 are refused at the
// edge, for every String and ID argument and input field, as the client's
// mistake.
package scalar

import (
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql"

	"flexwork/market"
)

// maxIDLength bounds IDs: the longest flexwork makes has 30 characters.
const maxIDLength = 64

// MarshalString writes a String as gqlgen does.
func MarshalString(s string) graphql.Marshaler { return graphql.MarshalString(s) }

// UnmarshalString reads a String, refusing NUL bytes and broken UTF-8.
func UnmarshalString(v any) (string, error) {
	s, err := graphql.UnmarshalString(v)
	if err != nil {
		return "", err
	}
	return s, checkText(s)
}

// MarshalID writes an ID.
func MarshalID(s string) graphql.Marshaler { return graphql.MarshalID(s) }

// UnmarshalID reads an ID: text as a String, and no longer than any ID is.
func UnmarshalID(v any) (string, error) {
	s, err := graphql.UnmarshalID(v)
	if err != nil {
		return "", err
	}
	if err := checkText(s); err != nil {
		return "", err
	}
	if len(s) > maxIDLength {
		return "", market.Errorf(market.CodeBadUserInput, "is not an ID this server gave out")
	}
	return s, nil
}

func checkText(s string) error {
	switch {
	case strings.IndexByte(s, 0) >= 0:
		return market.Errorf(market.CodeBadUserInput, "must not contain NUL bytes")
	case !utf8.ValidString(s):
		return market.Errorf(market.CodeBadUserInput, "must be UTF-8 text")
	}
	return nil
}

// GraphQL's Int is a signed 32-bit integer; gqlgen reads any int64. A value
// out of range is refused rather than carried into sums it could overflow.

// MarshalInt writes an Int, as gqlgen does.
func MarshalInt(i int) graphql.Marshaler { return intText(i) }

// UnmarshalInt reads an Int within 32 bits.
func UnmarshalInt(v any) (int, error) {
	i, err := UnmarshalInt64(v)
	return int(i), err
}

// MarshalInt64 writes an Int held in an int64 (money in minor units).
func MarshalInt64(i int64) graphql.Marshaler { return intText(i) }

// intText is an Int to write. gqlgen's MarshalInt is a closure over the
// number, a heap object for every Int of a response (ranks, scores,
// points: a candidates page has ~1,000); an integer held in an interface
// is one only past 255.
type intText int64

func (i intText) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.FormatInt(int64(i), 10)) }

// UnmarshalInt64 reads an Int within 32 bits into an int64.
func UnmarshalInt64(v any) (int64, error) {
	i, err := graphql.UnmarshalInt64(v)
	if err != nil {
		return 0, market.Errorf(market.CodeBadUserInput, "must be a whole number")
	}
	if i < math.MinInt32 || i > math.MaxInt32 {
		return 0, market.Errorf(market.CodeBadUserInput, "must be a 32-bit integer, between -2147483648 and 2147483647")
	}
	return i, nil
}

// MarshalFiniteFloat writes a Float known to be finite, byte for byte as
// gqlgen's MarshalFloatContext writes it (fmt's %g: the shortest text that
// reads back as the same number). gqlgen's is a closure that returns an
// error for NaN and infinities, so every Float of a response goes through
// ResolveField for that error's path; the plain reads the rewrite makes
// (graph/serial/rewrite) call this only for a finite value and leave the
// others to gqlgen.
func MarshalFiniteFloat(f float64) graphql.Marshaler { return floatText(f) }

type floatText float64

func (f floatText) MarshalGQL(w io.Writer) {
	if b, ok := w.(interface {
		AvailableBuffer() []byte
		Write([]byte) (int, error)
	}); ok { // bytes.Buffer, bufio.Writer: the text is appended in place
		_, _ = b.Write(strconv.AppendFloat(b.AvailableBuffer(), float64(f), 'g', -1, 64))
		return
	}
	_, _ = io.WriteString(w, strconv.FormatFloat(float64(f), 'g', -1, 64))
}
