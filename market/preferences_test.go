package market_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
	"flexwork/ent/schema/enum"
	"flexwork/ent/schema/week"
	"flexwork/ent/shift"
	"flexwork/ent/viewer"
	"flexwork/market"
)

// TestPreferencesOrderTheFeedAndChooseWhoIsPushed: a worker free on
// Saturdays, asking at least 16.00 an hour for part-time work, sees under
// the FIT order the Saturday part-time shifts paying enough first (nearest
// first), then the rest (nearest first), page after page; each edge says
// which preference a shift misses. A new shift is pushed to them only when
// it suits them. A week away moves a suiting shift down. Both databases.
func TestPreferencesOrderTheFeedAndChooseWhoIsPushed(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		w := newWorld(t, db)
		berlin, _ := time.LoadLocation("Europe/Berlin")
		saturday := time.Date(2026, 12, 5, 9, 0, 0, 0, berlin)
		post := func(title string, km float64, start time.Time, rate int64, kind enum.EngagementType) string {
			loc := market.GeoPoint{Lat: 52.53 + km/111.32, Lng: 13.405}
			s, err := w.m.CreateShift(w.manager, market.CreateShiftInput{
				EmployerID: w.emp, Title: title, EngagementType: kind, Address: "Lager 1", Location: loc,
				StartsAt: start, EndsAt: start.Add(6 * time.Hour), TimeZone: "Europe/Berlin",
				Pay: market.Money{Amount: rate, Currency: "EUR"}, PayUnit: shift.PayUnitHOUR, Slots: 1,
			})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := w.m.PublishShift(w.manager, s.Shift.ID); err != nil {
				t.Fatal(err)
			}
			return s.Shift.ID
		}
		ids := map[string]string{}
		for _, x := range []struct {
			title string
			km    float64
			start time.Time
			rate  int64
			kind  enum.EngagementType
		}{
			{"Gig on Saturday", 0.5, saturday, 2000, enum.PlatformGig},
			{"Underpaid Saturday", 1, saturday, 1500, enum.PartTime},
			{"Saturday near", 2, saturday, 1700, enum.PartTime},
			{"Monday", 3, saturday.AddDate(0, 0, 2), 1800, enum.PartTime},
			{"Saturday further", 4, saturday.Add(time.Hour), 1600, enum.PartTime},
			{"Saturday out of reach", 20, saturday, 1900, enum.PartTime},
			{"Next Saturday", 5, saturday.AddDate(0, 0, 7), 1700, enum.PartTime},
		} {
			ids[x.title] = post(x.title, x.km, x.start, x.rate, x.kind)
		}
		ana := w.worker("Ana")
		avail := week.Availability{Weekly: []week.Window{{Day: "SATURDAY", From: "08:00", To: "18:00"}}}
		if _, err := w.m.UpdateWorkerProfile(ana, market.UpdateWorkerProfileInput{
			Availability: &avail, MinHourlyRate: &market.Money{Amount: 1600, Currency: "EUR"},
			EngagementTypes: []enum.EngagementType{enum.PartTime},
		}); err != nil {
			t.Fatal(err)
		}
		home := market.GeoPoint{Lat: 52.53, Lng: 13.405}
		suiting := []string{"Saturday near", "Saturday further", "Next Saturday"}
		feed := func(first int) []string {
			var out []string
			in := market.FeedInput{Near: home, RadiusKm: 30, First: first, OrderBy: market.FeedByFit}
			for {
				page, err := w.m.Feed(ana, in)
				if err != nil {
					t.Fatal(err)
				}
				for _, e := range page.Edges {
					out = append(out, e.Shift.Title)
					if fits := market.FitsAll(e.Fit()); fits != slices.Contains(suiting, e.Shift.Title) {
						t.Errorf("%s: fits all %v: %+v", e.Shift.Title, fits, e.Fit())
					}
					if e.Shift.Title == "Underpaid Saturday" && (e.Fit()[1].Preference != market.PrefPay || e.Fit()[1].Fits ||
						e.Fit()[1].In("en") != "pays less than your least hourly pay") {
						t.Errorf("the underpaid shift's fit: %+v", e.Fit())
					}
				}
				if !page.PageInfo.HasNextPage {
					return out
				}
				in.After = page.PageInfo.EndCursor
			}
		}
		want := []string{"Saturday near", "Saturday further", "Next Saturday", // suit every preference, nearest first
			"Gig on Saturday", "Underpaid Saturday", "Monday", "Saturday out of reach"}
		for _, first := range []int{10, 3, 1} {
			if got := feed(first); !slices.Equal(got, want) {
				t.Fatalf("FIT order, pages of %d:\n got %q\nwant %q", first, got, want)
			}
		}

		pushed := func(title string) bool {
			rs, err := w.m.Recipients(context.Background(), ids[title])
			if err != nil {
				t.Fatal(err)
			}
			return slices.ContainsFunc(rs, func(r market.Recipient) bool { return r.WorkerID == viewer.FromContext(ana).WorkerID })
		}
		for title, want := range map[string]bool{"Saturday near": true, "Monday": false, "Underpaid Saturday": false, "Gig on Saturday": false} {
			if got := pushed(title); got != want {
				t.Errorf("%s pushed to Ana: %v, want %v", title, got, want)
			}
		}

		// Away the first weekend: its Saturday shifts no longer suit her.
		avail.Exceptions = []week.Exception{{From: saturday.Add(-12 * time.Hour), To: saturday.Add(36 * time.Hour)}}
		if _, err := w.m.UpdateWorkerProfile(ana, market.UpdateWorkerProfileInput{Availability: &avail}); err != nil {
			t.Fatal(err)
		}
		suiting = []string{"Next Saturday"}
		want = []string{"Next Saturday", "Gig on Saturday", "Underpaid Saturday", "Saturday near", "Monday", "Saturday further", "Saturday out of reach"}
		if got := feed(2); !slices.Equal(got, want) {
			t.Fatalf("FIT order while away:\n got %q\nwant %q", got, want)
		}
		if pushed("Saturday near") {
			t.Error("a shift while she is away was pushed to her")
		}
		bad := week.Availability{Weekly: []week.Window{{Day: "SATURDAY", From: "18:00", To: "08:00"}}}
		if _, err := w.m.UpdateWorkerProfile(ana, market.UpdateWorkerProfileInput{Availability: &bad}); code(err) != "BAD_USER_INPUT" {
			t.Fatalf("a window ending before it starts: %v", err)
		}
	})
}
