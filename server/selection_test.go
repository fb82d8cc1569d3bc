package server_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
	"flexwork/server/servertest"
)

// A connection as the invariance test asks it: what is compared (probe,
// beside the edges), and the node selections tried one after another.
type connectionCase struct {
	name     string
	as       servertest.Account
	field    string         // the connection field with its arguments
	vars     map[string]any // with their declarations in decl
	decl     string
	edge     string // the type of the edges, for fragments on them
	probe    string // edge fields compared across selections (cursor, distanceKm, …)
	extra    string // connection fields compared (totalCount, pageInfo)
	nodeType string
	nodes    []string // node selections, fragments written out below
	frags    string
	minEdges int
	want     []string // in the answer, e.g. a failed rule that must be there
}

// TestRulesDoNotDependOnTheSelection runs every hand-written connection
// under many selections — the node's id alone, only __typename, fields
// through fragments and inline fragments, the edge's fields behind a
// fragment spread — and checks that what the server computes (eligibility,
// failed rules, distance, rank, totalCount, order) is the same under each:
// field collection may add eager loading for display, never narrow the rows
// a rule computes on.
func TestRulesDoNotDependOnTheSelection(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		env := servertest.Start(t, db)
		picking, forklift := skillID(t, db, "order-picking"), skillID(t, db, "forklift")
		olga := env.SignUp("olga@example.com", "Olga")
		emp := createEmployer(t, env, olga, "Spree Logistics")
		staff := makeStaff(t, env, db, "sam@example.com")
		ana := newWorker(t, env, "ana@example.com", "Ana", picking)
		ben := newWorker(t, env, "ben@example.com", "Ben", picking)
		cem := newWorker(t, env, "cem@example.com", "Cem", picking, forklift)
		// Ben lives further out; Cem has more skills: three different ranks.
		env.MustOp(ben.Token, "UpdateWorkerProfile", map[string]any{"input": map[string]any{
			"homeLocation": map[string]any{"lat": 52.60, "lng": 13.30}}}, &struct{}{})

		// A finished hire gives Ana a credit event to dispute and reviews to read.
		past := postShift(t, env, olga, emp, map[string]any{"requiredSkillIDs": []string{picking}})
		pastApp := apply(env, ana, past)
		c := newChain(t, env, olga, ana, pastApp)
		c.workAndApprove()
		for _, who := range []servertest.Account{ana, olga} {
			env.Must(who.Token, `mutation($a: ID!) { submitReview(input: {assignmentID: $a, rating: 4}) { review { id } } }`,
				map[string]any{"a": c.assignment}, &struct{}{})
		}
		var events struct {
			CreditReport struct {
				Factors []struct{ Events []struct{ ID string } }
			}
		}
		env.Must(ana.Token, `query($id: ID!) { creditReport(subjectID: $id) { factors { events { id } } } }`,
			map[string]any{"id": workerOf(t, env, ana)}, &events)
		env.Must(ana.Token, `mutation($e: ID!) { disputeCreditEvent(input: {eventID: $e, reason: "I was there on time, ask the site lead"}) { dispute { id } } }`,
			map[string]any{"e": events.CreditReport.Factors[0].Events[0].ID}, &struct{}{})

		open := postShift(t, env, olga, emp, map[string]any{"requiredSkillIDs": []string{picking}, "slots": 3})
		// Ana qualifies for none of these, each for its own reason.
		postShift(t, env, olga, emp, map[string]any{"title": "Needs credit", "minCreditScore": 700,
			"location": map[string]any{"lat": 52.53, "lng": 13.41}})
		postShift(t, env, olga, emp, map[string]any{"title": "Needs a licence", "requiredCertificationIDs": []string{forklift},
			"location": map[string]any{"lat": 52.51, "lng": 13.40}})
		postShift(t, env, olga, emp, map[string]any{"title": "Close by only", "maxDistanceKm": 1,
			"location": map[string]any{"lat": 52.50, "lng": 13.42}})
		for _, w := range []servertest.Account{ana, ben, cem} {
			apply(env, w, open)
		}
		uploaded(t, env, cem, forklift)

		shiftNodes := []string{
			`id`, `__typename`, `id title startsAt`, `...ShiftBits`, `... on Node { id }`,
			`... on Shift { status minCreditScore newcomersAllowed lat lng requiredCertifications { id } }`,
			`employer { name } requiredSkills { name } pay { amount }`,
		}
		const shiftFrags = `fragment ShiftBits on Shift { title employer { name } requiredSkills { name } }`
		cases := []connectionCase{{
			name: "shiftFeed", as: ana, decl: `$near: GeoPointInput!`, vars: map[string]any{"near": home},
			field: `shiftFeed(near: $near, radiusKm: 20, first: 10)`, edge: "ShiftFeedEdge",
			probe: `cursor distanceKm eligibility { eligible failedRules { rule } } application { id status }`,
			extra: `pageInfo { hasNextPage endCursor }`, nodeType: "Shift", nodes: shiftNodes, frags: shiftFrags, minEdges: 4,
			want: []string{`"failedRules":[{"rule":"CREDIT_MINIMUM"}]`, `"failedRules":[{"rule":"REQUIRED_CERTIFICATES"}]`,
				`"failedRules":[{"rule":"DISTANCE"}]`, `"status":"APPLIED"`, `"distanceKm":3.00`},
		}, {
			name: "candidates", as: olga, decl: `$id: ID!`, vars: map[string]any{"id": open},
			field: `candidates(shiftID: $id, first: 10)`, edge: "CandidateEdge",
			probe: `cursor rank matchScore factors { name points } distanceKm creditScore favourite eligibility { eligible failedRules { rule } }`,
			extra: `totalCount pageInfo { hasNextPage }`, nodeType: "Application", minEdges: 3,
			want: []string{`"totalCount":3`, `"rank":3`, `"distanceKm":3`},
			nodes: []string{`id`, `__typename`, `status createdAt`, `...AppBits`, `worker { headline }`, `... on Node { id }`,
				`shift { title } message distanceKm`},
			frags: `fragment AppBits on Application { status worker { headline } }`,
		}, {
			name: "notifications", as: ana, field: `notifications(first: 20)`, edge: "NotificationEdge",
			probe: `cursor`, extra: `totalCount pageInfo { hasNextPage }`, nodeType: "Notification", minEdges: 3,
			nodes: []string{`id`, `__typename`, `title body`, `...Note`, `... on Notification { category readAt }`},
			frags: `fragment Note on Notification { title category }`,
		}, {
			name: "certificationQueue", as: staff, field: `certificationQueue(first: 10)`, edge: "CertificationEdge",
			probe: `cursor`, extra: `totalCount`, nodeType: "Certification", minEdges: 1,
			nodes: []string{`id`, `__typename`, `title status`, `worker { headline } skill { name }`, `...Cert`},
			frags: `fragment Cert on Certification { status details { issuer } }`,
		}, {
			name: "creditDisputes", as: staff, field: `creditDisputes(first: 10)`, edge: "CreditDisputeEdge",
			probe: `cursor`, extra: `totalCount`, nodeType: "CreditDispute", minEdges: 1,
			nodes: []string{`id`, `__typename`, `reason status`, `event { kind }`, `...Disp`},
			frags: `fragment Disp on CreditDispute { status event { note } }`,
		}}
		for _, r := range []struct {
			name string
			id   string
			typ  string
		}{{"employer reviews", emp, "Employer"}, {"worker reviews", workerOf(t, env, ana), "WorkerProfile"}} {
			cases = append(cases, connectionCase{
				name: r.name, as: ben, decl: `$id: ID!`, vars: map[string]any{"id": r.id},
				field: `node(id: $id) { ... on ` + r.typ + ` { reviews(first: 10)`, edge: "ReviewEdge",
				probe: `cursor`, extra: `totalCount`, nodeType: "Review", minEdges: 1,
				nodes: []string{`id`, `__typename`, `rating comment`, `...Rev`, `... on Review { tags direction }`},
				frags: `fragment Rev on Review { rating reply }`,
			})
		}
		for _, cc := range cases {
			t.Run(cc.name, func(t *testing.T) { checkSelections(t, env, cc) })
		}
	})
}

// checkSelections runs one connection under every node selection, with the
// compared edge fields written out and behind a fragment spread, and fails
// when any answer differs from the first.
func checkSelections(t *testing.T, env *servertest.Env, cc connectionCase) {
	var want string
	for i, node := range cc.nodes {
		for _, spread := range []bool{false, true} {
			probe, frags := cc.probe, cc.frags
			if spread {
				probe, frags = "...Probe", frags+"\nfragment Probe on "+cc.edge+" { "+cc.probe+" }"
			}
			close := ""
			if strings.HasPrefix(cc.field, "node(") {
				close = " } }"
			}
			decl := ""
			if cc.decl != "" {
				decl = "(" + cc.decl + ")"
			}
			q := fmt.Sprintf("query%s { %s { %s edges { %s node { %s } } }%s }\n%s", decl, cc.field, cc.extra, probe, node, close, used(frags, probe+node))
			r := env.Do(cc.as.Token, q, cc.vars)
			if len(r.Errors) > 0 {
				t.Fatalf("selection %d (%s): %+v\n%s", i, node, r.Errors, q)
			}
			got := withoutNodes(t, r.Data)
			if want == "" {
				want = got
				var n struct{ Edges []any }
				_ = json.Unmarshal([]byte(got), &n)
				if len(n.Edges) < cc.minEdges {
					t.Fatalf("%d edges, want at least %d: %s", len(n.Edges), cc.minEdges, got)
				}
				for _, w := range cc.want {
					if !strings.Contains(got, w) {
						t.Fatalf("the answer lacks %s: %s", w, got)
					}
				}
				continue
			}
			if got != want {
				t.Fatalf("selecting node { %s } (fragment spread: %v) changed the answer:\n got %s\nwant %s", node, spread, got, want)
			}
		}
	}
}

// used keeps the fragment definitions (one per line) that sel spreads: an
// unused fragment is a validation error.
func used(frags, sel string) string {
	var out []string
	for _, f := range strings.Split(frags, "\n") {
		if name, _, ok := strings.Cut(strings.TrimPrefix(f, "fragment "), " "); ok && strings.Contains(sel, "..."+name) {
			out = append(out, f)
		}
	}
	return strings.Join(out, "\n")
}

// withoutNodes returns the connection of a response, whatever field holds
// it, with every edge's node removed, as canonical JSON.
func withoutNodes(t *testing.T, data json.RawMessage) string {
	t.Helper()
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	conn := findConnection(v)
	if conn == nil {
		t.Fatalf("no connection in %s", data)
	}
	for _, e := range conn["edges"].([]any) {
		delete(e.(map[string]any), "node")
	}
	b, _ := json.Marshal(conn)
	return string(b)
}

func findConnection(v any) map[string]any {
	m, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	if _, ok := m["edges"]; ok && reflect.TypeOf(m["edges"]).Kind() == reflect.Slice {
		return m
	}
	for _, x := range m {
		if c := findConnection(x); c != nil {
			return c
		}
	}
	return nil
}
