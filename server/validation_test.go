package server_test

import (
	"context"
	"slices"
	"testing"

	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
	"flexwork/ent/rule"
	"flexwork/server/servertest"
)

// rows counts what is stored, to prove refusals write nothing.
func rows(t *testing.T, db *entdb.DB) map[string]int {
	t.Helper()
	ctx := rule.System(context.Background())
	counts := map[string]int{}
	var err error
	count := func(name string, n int, e error) {
		counts[name] = n
		if e != nil {
			err = e
		}
	}
	n, e := db.User.Query().Count(ctx)
	count("users", n, e)
	n, e = db.WorkerProfile.Query().Count(ctx)
	count("worker_profiles", n, e)
	n, e = db.WorkerSkill.Query().Count(ctx)
	count("worker_skills", n, e)
	n, e = db.Employer.Query().Count(ctx)
	count("employers", n, e)
	n, e = db.Membership.Query().Count(ctx)
	count("memberships", n, e)
	n, e = db.Session.Query().Count(ctx)
	count("sessions", n, e)
	if err != nil {
		t.Fatal(err)
	}
	return counts
}

func wantFields(t *testing.T, r servertest.Response, fields ...string) {
	t.Helper()
	if r.Code() != "BAD_USER_INPUT" {
		t.Fatalf("got %+v, want BAD_USER_INPUT", r.Errors)
	}
	got := r.Fields()
	for _, f := range fields {
		if !slices.Contains(got, f) {
			t.Fatalf("failing fields = %v, want %s among them (message %q)", got, f, r.Errors[0].Message)
		}
	}
}

func TestBadInputNamesTheFieldAndWritesNothing(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		env := servertest.Start(t, db)
		ana := env.SignUp("ana@example.com", "Ana")
		before := rows(t, db)

		const signUp = `mutation($in: SignUpInput!) { signUp(input: $in) { email } }`
		wantFields(t, env.Do("", signUp, map[string]any{"in": map[string]any{
			"email": "not-an-email", "password": "short", "displayName": "X", "phone": "0151 123"}}),
			"email", "password", "phone")
		// An address with an account is not an error: signUp answers as for a
		// new one (TestSignUpDoesNotTellWhoIsRegistered).

		const update = `mutation($in: UpdateWorkerProfileInput!) { updateWorkerProfile(input: $in) { workerProfile { id } } }`
		wantFields(t, env.Do(ana.Token, update, map[string]any{"in": map[string]any{
			"homeLocation": map[string]any{"lat": 123.0, "lng": 13.4}, "travelRadiusKm": 0,
			"minHourlyRate": map[string]any{"amount": -5, "currency": "XXX"}}}),
			"homeLocation.lat", "travelRadiusKm", "minHourlyRate.amount", "minHourlyRate.currency")
		// A skill that does not exist is caught after the profile would have
		// been created: the transaction takes the profile back with it.
		r := env.Do(ana.Token, update, map[string]any{"in": map[string]any{
			"headline": "Barista", "skills": []any{map[string]any{"skillID": "skl_01JD0000000000000000000000", "years": 2}}}})
		wantFields(t, r, "skills[0].skillID")
		if r.Errors[0].Message != "skills[0].skillID: is not a known skill" {
			t.Fatalf("message = %q", r.Errors[0].Message)
		}
		r = env.Do(ana.Token, update, map[string]any{"in": map[string]any{"engagementTypes": []string{"SLAVERY"}}})
		if r.Code() == "" || r.Code() == "INTERNAL_SERVER_ERROR" {
			t.Fatalf("unknown enum value: %+v", r.Errors)
		}

		// Arguments and input fields are named as the schema names them.
		wantFields(t, env.Op(ana.Token, "ShiftFeed", map[string]any{"near": map[string]any{"lat": 123.0, "lng": 13.4}, "radiusKm": 0, "first": 20}),
			"near.lat", "radiusKm")

		const create = `mutation($in: CreateEmployerInput!) { createEmployer(input: $in) { employer { id } } }`
		wantFields(t, env.Do(ana.Token, create, map[string]any{"in": map[string]any{"name": " ", "website": "ftp://x"}}),
			"name", "website")

		if after := rows(t, db); !mapsEqual(before, after) {
			t.Fatalf("refused mutations wrote rows: before %v, after %v", before, after)
		}
	})
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
