package server_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
	"flexwork/ent/rule"
	"flexwork/ent/skill"
	"flexwork/server/servertest"
)

// The place of the test shift, and a home 3 km north of it.
var (
	place = map[string]any{"lat": 52.5200, "lng": 13.4050}
	home  = map[string]any{"lat": 52.5470, "lng": 13.4050}
)

func skillID(t testing.TB, db *entdb.DB, slug string) string {
	t.Helper()
	id, err := db.Skill.Query().Where(skill.Slug(slug)).OnlyID(rule.System(context.Background()))
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// postShift creates and publishes a shift starting in 2 hours, as the
// employer's tablet does.
func postShift(t testing.TB, env *servertest.Env, by servertest.Account, employer string, extra map[string]any) string {
	t.Helper()
	start := env.Clock.Now().Add(2 * time.Hour)
	in := map[string]any{
		"employerID": employer, "title": "Warehouse picker", "engagementType": "PART_TIME",
		"address": "Lagerstraße 1, Berlin", "location": place,
		"startsAt": start.Format(time.RFC3339), "endsAt": start.Add(8 * time.Hour).Format(time.RFC3339),
		"timeZone": "Europe/Berlin", "unpaidBreakMinutes": 30,
		"pay": map[string]any{"amount": 1500, "currency": "EUR"}, "payUnit": "HOUR", "slots": 2,
	}
	for k, v := range extra {
		in[k] = v
	}
	var created struct {
		CreateShift struct{ Shift struct{ ID, Status string } }
	}
	env.MustOp(by.Token, "CreateShift", input(in), &created)
	if created.CreateShift.Shift.Status != "DRAFT" {
		t.Fatalf("a new shift is %s, want DRAFT", created.CreateShift.Shift.Status)
	}
	var published struct {
		PublishShift struct{ Shift struct{ Status string } }
	}
	env.MustOp(by.Token, "PublishShift", input(map[string]any{"shiftID": created.CreateShift.Shift.ID}), &published)
	if published.PublishShift.Shift.Status != "PUBLISHED" {
		t.Fatalf("published shift is %s", published.PublishShift.Shift.Status)
	}
	return created.CreateShift.Shift.ID
}

// newWorker signs a worker up with a profile at home with the given skills.
func newWorker(t testing.TB, env *servertest.Env, email, name string, skills ...string) servertest.Account {
	t.Helper()
	a := env.SignUp(email, name)
	list := []any{}
	for _, s := range skills {
		list = append(list, map[string]any{"skillID": s, "years": 2})
	}
	env.MustOp(a.Token, "UpdateWorkerProfile", input(map[string]any{"headline": "Picker", "homeLocation": home, "skills": list}), &struct{}{})
	return a
}

func TestShiftFromPostingToPaid(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		env := servertest.Start(t, db)
		picking := skillID(t, db, "order-picking")
		olga := env.SignUp("olga@example.com", "Olga")
		empID := createEmployer(t, env, olga, "Spree Logistics")
		shiftID := postShift(t, env, olga, empID, map[string]any{"requiredSkillIDs": []string{picking}, "maxDistanceKm": 10})
		ana := newWorker(t, env, "ana@example.com", "Ana", picking)

		// The worker finds the shift near home, eligible and not yet applied.
		const feedQ = `query($near: GeoPointInput!) { shiftFeed(near: $near, radiusKm: 10, first: 10) {
			edges { distanceKm node { id title employer { name } requiredSkills { slug } pay { amount currency } }
			        eligibility { eligible rules { rule passed message } } application { id status } } } }`
		var feed struct {
			ShiftFeed struct {
				Edges []struct {
					DistanceKm float64
					Node       struct {
						ID, Title      string
						Employer       struct{ Name string }
						RequiredSkills []struct{ Slug string }
						Pay            struct {
							Amount   int
							Currency string
						}
					}
					Eligibility struct{ Eligible bool }
					Application *struct{ ID, Status string }
				}
			}
		}
		env.Must(ana.Token, feedQ, map[string]any{"near": home}, &feed)
		if len(feed.ShiftFeed.Edges) != 1 {
			t.Fatalf("feed has %d shifts, want 1", len(feed.ShiftFeed.Edges))
		}
		e := feed.ShiftFeed.Edges[0]
		if e.Node.ID != shiftID || e.Node.Employer.Name != "Spree Logistics" || e.Node.RequiredSkills[0].Slug != "order-picking" ||
			e.Node.Pay.Amount != 1500 || !e.Eligibility.Eligible || e.Application != nil || e.DistanceKm < 2.9 || e.DistanceKm > 3.1 {
			t.Fatalf("feed item = %+v", e)
		}
		var elig struct{ Eligibility struct{ Eligible bool } }
		env.Must(ana.Token, `query($id: ID!) { eligibility(shiftID: $id) { eligible } }`, map[string]any{"id": shiftID}, &elig)
		if !elig.Eligibility.Eligible {
			t.Fatal("eligibility says no to a qualified worker")
		}

		// She applies; the feed now says so.
		var app struct {
			ApplyToShift struct{ Application struct{ ID, Status string } }
		}
		env.MustOp(ana.Token, "ApplyToShift", input(map[string]any{"shiftID": shiftID, "message": "Happy to help"}), &app)
		env.Must(ana.Token, feedQ, map[string]any{"near": home}, &feed)
		if a := feed.ShiftFeed.Edges[0].Application; a == nil || a.ID != app.ApplyToShift.Application.ID || a.Status != "APPLIED" {
			t.Fatalf("feed after applying: %+v", feed.ShiftFeed.Edges[0].Application)
		}

		// The employer sees her ranked, with the reasons.
		var cands struct {
			Candidates struct {
				TotalCount int
				Edges      []struct {
					Rank, MatchScore int
					Factors          []struct {
						Name   string
						Points int
					}
					Node struct {
						ID     string
						Worker struct {
							Headline string
							User     struct{ DisplayName string }
						}
					}
				}
			}
		}
		env.Must(olga.Token, `query($id: ID!) { candidates(shiftID: $id, first: 50) { totalCount edges { rank matchScore
			factors { name points } node { id worker { headline user { displayName } } } } } }`, map[string]any{"id": shiftID}, &cands)
		if cands.Candidates.TotalCount != 1 || cands.Candidates.Edges[0].Rank != 1 || cands.Candidates.Edges[0].Node.Worker.User.DisplayName != "Ana" ||
			cands.Candidates.Edges[0].MatchScore <= 0 || len(cands.Candidates.Edges[0].Factors) != 8 {
			t.Fatalf("candidates = %+v", cands.Candidates)
		}

		// Offer, acceptance, contract.
		var offer struct {
			SendOffer struct {
				Offer       struct{ ID, Status, ExpiresAt string }
				Application struct{ Status string }
			}
		}
		env.MustOp(olga.Token, "SendOffer", input(map[string]any{"applicationID": app.ApplyToShift.Application.ID}), &offer)
		if offer.SendOffer.Offer.Status != "PENDING" || offer.SendOffer.Application.Status != "OFFERED" {
			t.Fatalf("offer = %+v", offer.SendOffer)
		}
		if exp, _ := time.Parse(time.RFC3339, offer.SendOffer.Offer.ExpiresAt); !exp.Equal(env.Clock.Now().Add(30 * time.Minute)) {
			t.Fatalf("offer expires at %s, want 30 minutes from now", offer.SendOffer.Offer.ExpiresAt)
		}
		var hired struct {
			AcceptOffer struct {
				Assignment struct{ ID, Status string }
				Offer      struct{ Status string }
				Shift      struct{ Filled int }
				Contract   struct{ ID, Body, Sha256 string }
			}
		}
		env.Must(ana.Token, `mutation($in: AcceptOfferInput!) { acceptOffer(input: $in) {
			assignment { id status } offer { status } shift { filled } contract { id body sha256 } } }`,
			map[string]any{"in": map[string]any{"offerID": offer.SendOffer.Offer.ID}}, &hired)
		asg, contract := hired.AcceptOffer.Assignment.ID, hired.AcceptOffer.Contract
		if hired.AcceptOffer.Assignment.Status != "SCHEDULED" || hired.AcceptOffer.Offer.Status != "ACCEPTED" ||
			hired.AcceptOffer.Shift.Filled != 1 || len(contract.Sha256) != 64 ||
			!strings.Contains(contract.Body, "Employer: Spree Logistics") || !strings.Contains(contract.Body, "Worker: Ana") ||
			!strings.Contains(contract.Body, "part-time employment relationship") || !strings.Contains(contract.Body, "€15.00 per hour") {
			t.Fatalf("hire = %+v", hired.AcceptOffer)
		}

		const checkIn = `mutation($a: ID!, $at: GeoPointInput!) { checkIn(input: {assignmentID: $a, location: $at}) { assignment { status } } }`
		env.Clock.Advance(2*time.Hour - 10*time.Minute) // ten minutes before the start
		if r := env.Do(ana.Token, checkIn, map[string]any{"a": asg, "at": place}); r.Code() != "CONTRACT_NOT_SIGNED" ||
			!strings.Contains(r.Errors[0].Message, "sign the contract") {
			t.Fatalf("check-in before signing: %+v", r.Errors)
		}
		for _, who := range []servertest.Account{ana, olga} {
			env.MustOp(who.Token, "SignContract", input(map[string]any{"contractID": contract.ID}), &struct{}{})
		}
		if r := env.Do(ana.Token, checkIn, map[string]any{"a": asg, "at": home}); r.Code() != "OUTSIDE_GEOFENCE" ||
			!strings.Contains(r.Errors[0].Message, "within 200 m") {
			t.Fatalf("check-in from home: %+v", r.Errors)
		}
		var in struct {
			CheckIn struct{ Assignment struct{ Status string } }
		}
		env.Must(ana.Token, checkIn, map[string]any{"a": asg, "at": place}, &in)
		if in.CheckIn.Assignment.Status != "CHECKED_IN" {
			t.Fatalf("check-in: %+v", in)
		}

		// Eight hours later she checks out; 8h10m on site less the 30-minute
		// break, counted from the start: 450 minutes.
		env.Clock.Advance(8*time.Hour + 10*time.Minute)
		var out struct {
			CheckOut struct {
				Assignment struct{ Status string }
				Timesheet  struct {
					ID            string
					WorkedMinutes int
				}
			}
		}
		env.MustOp(ana.Token, "CheckOut", input(map[string]any{"assignmentID": asg, "location": place}), &out)
		if out.CheckOut.Assignment.Status != "CHECKED_OUT" || out.CheckOut.Timesheet.WorkedMinutes != 450 {
			t.Fatalf("check-out: %+v", out)
		}
		ts := out.CheckOut.Timesheet.ID
		var approved struct {
			ApproveTimesheet struct {
				Timesheet struct {
					Status, PaymentStatus string
					AmountOwed            int
				}
				Assignment struct{ Status string }
			}
		}
		env.MustOp(olga.Token, "ApproveTimesheet", input(map[string]any{"timesheetID": ts}), &approved)
		if got := approved.ApproveTimesheet; got.Timesheet.Status != "APPROVED" || got.Timesheet.AmountOwed != 11250 ||
			got.Timesheet.PaymentStatus != "UNPAID" || got.Assignment.Status != "APPROVED" {
			t.Fatalf("approval: %+v (450 min × 15.00/h = 112.50)", approved)
		}
		var paid struct {
			MarkPaid struct {
				Timesheet struct{ PaymentStatus string }
			}
		}
		env.MustOp(olga.Token, "MarkPaid", input(map[string]any{"timesheetID": ts, "reference": "SEPA-2026-0042"}), &paid)
		var confirmed struct {
			ConfirmPayment struct {
				Timesheet  struct{ PaymentStatus string }
				Assignment struct{ Status string }
			}
		}
		env.MustOp(ana.Token, "ConfirmPayment", input(map[string]any{"timesheetID": ts}), &confirmed)
		if paid.MarkPaid.Timesheet.PaymentStatus != "MARKED_PAID" || confirmed.ConfirmPayment.Timesheet.PaymentStatus != "CONFIRMED" ||
			confirmed.ConfirmPayment.Assignment.Status != "PAID" {
			t.Fatalf("payment: %+v %+v", paid, confirmed)
		}
		var record struct{ Node struct{ PaidOnTime int } }
		env.Must(ana.Token, `query($id: ID!) { node(id: $id) { ... on Employer { paidOnTime } } }`, map[string]any{"id": empID}, &record)
		if record.Node.PaidOnTime != 1 {
			t.Fatalf("the employer's public pay record shows %d payments on time, want 1", record.Node.PaidOnTime)
		}

		// Every step is in the ledger, and the chain holds…
		ctx := context.Background()
		n, err := env.Server.Market.VerifyLedger(ctx)
		if err != nil || n != 10 {
			t.Fatalf("ledger: %d entries, err %v; want 10 (hire, 2 signatures, check-in, check-out, approval, "+
				"shift completed, payment, paid on time, confirmation)", n, err)
		}
		// Credit rebuilt from the ledger agrees with every stored score.
		if checked, diffs, err := env.Server.Market.RecomputeCredit(ctx, false); err != nil || len(diffs) != 0 || checked != 2 {
			t.Fatalf("credit recompute: %d checked, %+v, %v", checked, diffs, err)
		}
		// … until someone edits an entry (placed in the log first, as
		// the sequencer does within seconds).
		if _, err := env.Server.Market.Checkpoint(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SQL.ExecContext(ctx, `UPDATE ledger_entries SET payload = '{"amount":1}' WHERE seq = 6`); err != nil {
			t.Fatal(err)
		}
		if _, err := env.Server.Market.VerifyLedger(ctx); err == nil || !strings.Contains(err.Error(), "ledger entry 6") {
			t.Fatalf("tampered ledger verifies: %v", err)
		}
	})
}
