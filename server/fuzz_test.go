package server_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
	"flexwork/ent/rule"
	mobileschema "flexwork/mobile-schema"
	"flexwork/server"
	"flexwork/server/demo"
	"flexwork/server/ratelimit"
	"flexwork/server/servertest"
)

// FuzzShippedOperations sends the apps' own operations with variables a
// fuzzer chose — real IDs of the demo city and of nothing, numbers at every
// edge, malformed cursors and times, NUL bytes and broken UTF-8, values of
// the wrong type, lists too long — as every kind of viewer, to a server on
// each database. Whatever comes in, the answer names the client's mistake:
// never INTERNAL_SERVER_ERROR, never a 5xx, never a broken response.
//
// `go test ./server/ -run FuzzShippedOperations` replays the seeds and the
// corpus in testdata/fuzz (the README's test command does);
// `go test ./server/ -fuzz FuzzShippedOperations -fuzztime 10m` looks for more.
func FuzzShippedOperations(f *testing.F) {
	m, err := mobileschema.Embedded()
	if err != nil {
		f.Fatal(err)
	}
	schema, gqlErr := gqlparser.LoadSchema(&ast.Source{Name: "schema.graphql", Input: mobileschema.Schema()})
	if gqlErr != nil {
		f.Fatal(gqlErr)
	}
	var ops []fuzzOp
	for _, op := range m.Operations {
		if op.Type == "subscription" {
			continue // the WebSocket protocol tests drive those
		}
		doc, errs := gqlparser.LoadQuery(schema, op.Body)
		if errs != nil {
			f.Fatalf("%s: %v", op.Name, errs)
		}
		ops = append(ops, fuzzOp{name: op.Name, query: op.Body, vars: doc.Operations[0].VariableDefinitions})
	}
	var worlds []*fuzzWorld
	for _, d := range entdbtest.Dialects {
		worlds = append(worlds, newFuzzWorld(f, d, schema))
	}
	for i := range ops {
		for who := range 6 {
			f.Add(uint8(i), uint8(who), []byte{})                              // the first choice everywhere: valid-looking values
			f.Add(uint8(i), uint8(who), []byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}) // then a spread of choices
		}
		f.Add(uint8(i), uint8(1), []byte{255, 254, 253, 252, 251, 250, 249, 248})
	}
	f.Fuzz(func(t *testing.T, opIndex, who uint8, data []byte) {
		op := ops[int(opIndex)%len(ops)]
		for _, w := range worlds {
			w.run(t, op, int(who), data)
		}
	})
}

type fuzzOp struct {
	name, query string
	vars        ast.VariableDefinitionList
}

// fuzzWorld is a server on one database with the demo city in it, the
// tokens of every kind of viewer, and the IDs that exist.
type fuzzWorld struct {
	env     *servertest.Env
	schema  *ast.Schema
	tokens  []string // anonymous, worker, owner, manager, viewer member, staff
	ids     []string
	limits  *servertest.Clock
	mu      sync.Mutex
	dialect string
	log     *syncBuffer // the server's log: a panic it records fails the run
}

// syncBuffer is a log the server writes to from many goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// take returns what was written since the last take.
func (b *syncBuffer) take() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.buf.String()
	b.buf.Reset()
	return s
}

func newFuzzWorld(f *testing.F, dialect string, schema *ast.Schema) *fuzzWorld {
	db := entdbtest.Open(f, dialect)
	// The rate limits are real, on a clock of their own that each run moves
	// on: a fuzzer sends in minutes what a user would in months.
	limits := servertest.NewClock(time.Now())
	log := &syncBuffer{}
	env := servertest.Start(f, db, servertest.WithDeps(func(d *server.Deps) {
		d.Limits = ratelimit.NewMemoryAt(limits.Now)
		d.Log = slog.New(slog.NewTextHandler(log, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}))
	ctx := context.Background()
	if _, err := demo.Seed(ctx, db.Client, env.Server, 1); err != nil {
		f.Fatal(err)
	}
	w := &fuzzWorld{env: env, schema: schema, limits: limits, dialect: dialect, tokens: []string{""}, log: log}
	for _, email := range []string{"worker1@demo.flexwork", "owner@cafe-linde.demo", "manager@spree-logistics.demo", "viewer@arena-events.demo"} {
		var out struct{ SignIn struct{ AccessToken string } }
		env.Must("", `mutation($in: SignInInput!) { signIn(input: $in) { accessToken } }`,
			map[string]any{"in": map[string]any{"email": email, "password": demo.Password}}, &out)
		w.tokens = append(w.tokens, out.SignIn.AccessToken)
	}
	w.tokens = append(w.tokens, makeStaff(f, env, db, "staff@example.com").Token)
	w.ids = knownIDs(f, db)
	return w
}

// knownIDs lists IDs of every kind that exist.
func knownIDs(t testing.TB, db *entdb.DB) []string {
	ctx := rule.System(context.Background())
	var ids []string
	for _, q := range []func() ([]string, error){
		func() ([]string, error) { return db.Shift.Query().IDs(ctx) },
		func() ([]string, error) { return db.Application.Query().IDs(ctx) },
		func() ([]string, error) { return db.Offer.Query().IDs(ctx) },
		func() ([]string, error) { return db.Assignment.Query().IDs(ctx) },
		func() ([]string, error) { return db.Contract.Query().IDs(ctx) },
		func() ([]string, error) { return db.Timesheet.Query().IDs(ctx) },
		func() ([]string, error) { return db.Employer.Query().IDs(ctx) },
		func() ([]string, error) { return db.WorkerProfile.Query().IDs(ctx) },
		func() ([]string, error) { return db.User.Query().IDs(ctx) },
		func() ([]string, error) { return db.Skill.Query().Limit(10).IDs(ctx) },
		func() ([]string, error) { return db.Review.Query().IDs(ctx) },
		func() ([]string, error) { return db.CreditEvent.Query().Limit(10).IDs(ctx) },
		func() ([]string, error) { return db.Notification.Query().Limit(10).IDs(ctx) },
		func() ([]string, error) { return db.Certification.Query().IDs(ctx) },
		func() ([]string, error) { return db.EmployerInvitation.Query().IDs(ctx) },
	} {
		got, err := q()
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, got...)
	}
	return ids
}

// run sends one operation and checks the answer.
func (w *fuzzWorld) run(t *testing.T, op fuzzOp, who int, data []byte) {
	w.mu.Lock() // the fuzzer may run inputs in parallel; one world answers one at a time
	defer w.mu.Unlock()
	w.limits.Advance(time.Minute)
	g := &gen{data: data, ids: w.ids, schema: w.schema}
	vars := map[string]any{}
	for _, v := range op.vars {
		if val, ok := g.value(v.Type, 0); ok {
			vars[v.Variable] = val
		}
	}
	body, err := json.Marshal(map[string]any{"query": op.query, "operationName": op.name, "variables": vars})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	r := w.env.For(t).Post(w.tokens[who%len(w.tokens)], body)
	if took := time.Since(start); took > 5*time.Second {
		t.Fatalf("%s on %s took %v\nvariables: %s\nserver log: %s", op.name, w.dialect, took, mustMarshal(vars), w.log.take())
	}
	if r.Status >= 500 {
		t.Fatalf("%s on %s: HTTP %d for %s", op.name, w.dialect, r.Status, body)
	}
	for _, e := range r.Errors {
		if e.Extensions["code"] == "INTERNAL_SERVER_ERROR" || e.Extensions["code"] == nil {
			t.Fatalf("%s on %s: %+v\nvariables: %s\nserver log: %s", op.name, w.dialect, e, mustMarshal(vars), w.log.take())
		}
	}
	if log := w.log.take(); strings.Contains(log, "panic") {
		t.Fatalf("%s on %s: the server panicked:\n%s\nvariables: %s", op.name, w.dialect, log, mustMarshal(vars))
	}
}

func mustMarshal(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// gen turns the fuzzer's bytes into values: each choice reads one byte, and
// once the bytes run out every choice is the first, a valid-looking value.
type gen struct {
	data   []byte
	pos    int
	ids    []string
	schema *ast.Schema
}

func (g *gen) byte() byte {
	if g.pos >= len(g.data) {
		return 0
	}
	b := g.data[g.pos]
	g.pos++
	return b
}

func (g *gen) pick(n int) int { return int(g.byte()) % n }

// Values at the edges, by kind.
var (
	fuzzStrings = []string{"Warehouse picker", "", "a", strings.Repeat("x", 5000), "nul\x00byte", "\xff\xfebroken utf-8",
		"🙂 emoji ß 中文", "\u202eright-to-left", "' OR 1=1 --", "<script>alert(1)</script>", " spaced ", "shf_", "%PDF-1.4",
		"ana@example.com", "Europe/Berlin", "EUR", "+4915112345678", "https://example.com", "../../etc/passwd"}
	fuzzInts   = []any{1, 0, -1, 20, 100, 101, 2147483647, -2147483648, int64(1) << 53, int64(1) << 62, 1.5, "7", 1e300}
	fuzzFloats = []any{52.52, 13.405, 0, -0.0, 10, 95, 200, -200, 1e308, -1e308, 1e-308, "52", 1 << 62, math.MaxInt64}
	fuzzTimes  = []any{"", "yesterday", "2026-13-45T99:99:99Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z",
		"2026-11-30", "2026-11-30T10:00:00", 1764500000, "2026-11-30T10:00:00+14:00", "2026-11-30T10:00:00.123456789Z"}
	fuzzCursors = []any{"", "abc", 12345, []any{1, 2}, "gaFp", base64.RawURLEncoding.EncodeToString([]byte{0x81, 0xa1, 0x69, 0xc0}),
		base64.RawURLEncoding.EncodeToString([]byte{0xde, 0xad, 0xbe, 0xef}), strings.Repeat("A", 4000), map[string]any{"id": "x"}}
)

// value generates a value of type t; ok false leaves the variable out.
func (g *gen) value(t *ast.Type, depth int) (any, bool) {
	switch g.pick(16) {
	case 13:
		return nil, true // null, wanted or not
	case 14:
		return nil, false // left out
	case 15:
		return g.wrong(), true // a value of the wrong kind
	}
	if t.Elem != nil {
		n := g.pick(4)
		if g.pick(8) == 7 {
			n = 150 // more than any page or list allows
		}
		list := []any{}
		for range n {
			v, _ := g.value(t.Elem, depth+1)
			list = append(list, v)
		}
		return list, true
	}
	return g.named(t.NamedType, depth), true
}

func (g *gen) wrong() any {
	return []any{true, 3, "x", []any{}, map[string]any{}, 1.25}[g.pick(6)]
}

func (g *gen) named(name string, depth int) any {
	switch name {
	case "ID":
		if len(g.ids) > 0 && g.pick(4) != 3 {
			return g.ids[(int(g.byte())<<8|int(g.byte()))%len(g.ids)]
		}
		return []string{"shf_01JUNKJUNKJUNKJUNKJUNKJUNK", "", "x", "usr_", strings.Repeat("z", 300), "nul\x00id"}[g.pick(6)]
	case "String":
		return fuzzStrings[g.pick(len(fuzzStrings))]
	case "Int":
		return fuzzInts[g.pick(len(fuzzInts))]
	case "Float":
		return fuzzFloats[g.pick(len(fuzzFloats))]
	case "Boolean":
		return g.pick(2) == 0
	case "Time", "DateTime":
		if g.pick(3) == 0 {
			return time.Now().Add(time.Duration(int(g.byte())-64) * time.Hour).UTC().Format(time.RFC3339)
		}
		return fuzzTimes[g.pick(len(fuzzTimes))]
	case "Cursor":
		return fuzzCursors[g.pick(len(fuzzCursors))]
	}
	def := g.schema.Types[name]
	switch {
	case def == nil:
		return fuzzStrings[g.pick(len(fuzzStrings))]
	case def.Kind == ast.Enum:
		if g.pick(5) == 4 {
			return "NOT_A_VALUE"
		}
		return def.EnumValues[g.pick(len(def.EnumValues))].Name
	case def.Kind == ast.InputObject:
		obj := map[string]any{}
		if depth > 4 {
			return obj
		}
		for _, f := range def.Fields {
			if v, ok := g.value(f.Type, depth+1); ok {
				obj[f.Name] = v
			}
		}
		if g.pick(10) == 9 {
			obj["notAField"] = 1
		}
		return obj
	}
	return fmt.Sprint(g.byte())
}
