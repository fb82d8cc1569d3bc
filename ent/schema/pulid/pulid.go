// Package pulid makes the opaque identifiers flexwork hands out: a short type
// prefix, an underscore and a ULID ("shf_01JD…"). They sort by creation time,
// reveal nothing but the type, and let `node(id:)` find the right table from
// the prefix alone.
package pulid

import (
	"crypto/rand"
	"strings"
	"sync"
	"time"

	"github.com/oklog/ulid/v2"
)

// Annotation records the prefix of an ent type; the pulid template turns the
// annotations into the prefix→table map used by node lookups.
type Annotation struct {
	Prefix string
	// Internal types (sessions, idempotency keys) are not GraphQL nodes:
	// node(id:) must not reach them.
	Internal bool
}

// Name implements schema.Annotation.
func (Annotation) Name() string { return "PULID" }

var (
	mu      sync.Mutex // ulid.MonotonicEntropy is not safe for concurrent use.
	entropy = ulid.Monotonic(rand.Reader, 0)
)

// New returns a fresh identifier with the given prefix.
func New(prefix string) string {
	mu.Lock()
	id := ulid.MustNew(ulid.Timestamp(time.Now()), entropy)
	mu.Unlock()
	return prefix + "_" + id.String()
}

// Prefix returns the type prefix of id, or "" when id is not a pulid.
func Prefix(id string) string {
	i := strings.IndexByte(id, '_')
	if i <= 0 || len(id)-i-1 != ulid.EncodedSize {
		return ""
	}
	return id[:i]
}
