package server_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
	"flexwork/server/servertest"
)

// TestBadInputIsTheClientsNeverInternal replays what fuzzing the shipped
// operations found answered as INTERNAL_SERVER_ERROR or with a panic: each
// is now BAD_USER_INPUT naming the argument or field, and writes nothing.
func TestBadInputIsTheClientsNeverInternal(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		env := servertest.Start(t, db)
		olga := env.SignUp("olga@example.com", "Olga")
		emp := createEmployer(t, env, olga, "Spree Logistics")
		shift := postShift(t, env, olga, emp, nil)
		ana := newWorker(t, env, "ana@example.com", "Ana")
		staff := makeStaff(t, env, db, "sam@example.com")
		start := env.Clock.Now().Add(48 * time.Hour)
		shiftIn := func(change map[string]any) map[string]any {
			in := map[string]any{"employerID": emp, "title": "Picker", "engagementType": "PART_TIME", "address": "Lager 1",
				"location": place, "startsAt": start.Format(time.RFC3339), "endsAt": start.Add(6 * time.Hour).Format(time.RFC3339),
				"timeZone": "Europe/Berlin", "pay": map[string]any{"amount": 1500, "currency": "EUR"}, "payUnit": "HOUR", "slots": 2}
			for k, v := range change {
				in[k] = v
			}
			return map[string]any{"in": in}
		}
		const createShift = `mutation($in: CreateShiftInput!) { createShift(input: $in) { shift { id } } }`
		for _, c := range []struct {
			name  string
			who   servertest.Account
			query string
			vars  map[string]any
			field string
		}{
			{"an empty cursor", olga, `query($id: ID!, $a: Cursor) { candidates(shiftID: $id, first: 5, after: $a) { totalCount } }`,
				map[string]any{"id": shift, "a": ""}, "after"},
			{"a number for a cursor", ana, `query($a: Cursor) { notifications(first: 5, after: $a) { totalCount } }`, map[string]any{"a": 12345}, "after"},
			{"a list for a cursor", staff, `query($a: Cursor) { certificationQueue(first: 5, after: $a) { totalCount } }`, map[string]any{"a": []any{1, 2}}, "after"},
			{"an empty cursor on a nested connection", olga, `query($id: ID!) { node(id: $id) { ... on Employer { shifts(first: 5, after: "") { totalCount } } } }`,
				map[string]any{"id": emp}, "after"},
			{"garbage cursor on a nested connection", olga, `query($id: ID!) { node(id: $id) { ... on Employer { roster(first: 5, after: "gaFp3q2+7w") { totalCount } } } }`,
				map[string]any{"id": emp}, "after"},
			{"a time that is not RFC 3339", olga, createShift, shiftIn(map[string]any{"startsAt": "next Tuesday"}), "startsAt"},
			{"a date without a time", olga, createShift, shiftIn(map[string]any{"endsAt": "2026-12-01"}), "endsAt"},
			{"a NUL byte in text", olga, createShift, shiftIn(map[string]any{"title": "Pick\x00er"}), "title"},
			{"a NUL byte in an ID", ana, `mutation($id: ID!) { applyToShift(input: {shiftID: $id}) { application { id } } }`, map[string]any{"id": "shf_\x00"}, "shiftID"},
			{"a NUL byte in a node ID", ana, `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": "shf_\x00"}, "id"},
			{"pay beyond 32 bits", olga, createShift, shiftIn(map[string]any{"pay": map[string]any{"amount": int64(1) << 62, "currency": "EUR"}}), "pay.amount"},
			{"pay beyond any wage", olga, createShift, shiftIn(map[string]any{"pay": map[string]any{"amount": 2_000_000_000, "currency": "EUR"}}), "pay.amount"},
			{"a page size beyond 32 bits", ana, `query($n: Int) { notifications(first: $n) { totalCount } }`, map[string]any{"n": int64(1) << 40}, "first"},
		} {
			t.Run(c.name, func(t *testing.T) {
				before := env.Fingerprint(t)
				r := env.Do(c.who.Token, c.query, c.vars)
				if r.Code() != "BAD_USER_INPUT" {
					t.Fatalf("got %d %+v, want BAD_USER_INPUT", r.Status, r.Errors)
				}
				if fields := r.Fields(); len(fields) == 0 || fields[0] != c.field {
					t.Fatalf("failing fields %v, want %s (message %q)", fields, c.field, r.Errors[0].Message)
				}
				if env.Fingerprint(t) != before {
					t.Fatal("the refused request changed the database")
				}
			})
		}
		// Where-filters are gone: no query of any shape the apps never send.
		ors := make([]string, 5000)
		for i := range ors {
			ors[i] = fmt.Sprintf(`{title: "t%d"}`, i)
		}
		r := env.Do(olga.Token, `{ shifts(first: 5, where: {or: [`+strings.Join(ors, ",")+`]}) { totalCount } }`, nil)
		if r.Code() != "GRAPHQL_VALIDATION_FAILED" {
			t.Fatalf("5,000 ORs in a where-filter: %+v", r.Errors)
		}
	})
}
