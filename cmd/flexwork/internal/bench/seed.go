package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"time"

	"flexwork/credit"
	"flexwork/ent"
	"flexwork/ent/application"
	"flexwork/ent/assignment"
	"flexwork/ent/certification"
	"flexwork/ent/creditevent"
	"flexwork/ent/entdb"
	"flexwork/ent/membership"
	"flexwork/ent/notification"
	"flexwork/ent/review"
	"flexwork/ent/rule"
	"flexwork/ent/schema/enum"
	"flexwork/ent/schema/pulid"
	"flexwork/ent/schema/week"
	"flexwork/ent/shift"
	"flexwork/ent/timesheet"
	"flexwork/market"
	"flexwork/server/auth"
)

// Password is every bench account's password.
const Password = "flexwork-bench"

// batch is how many rows one INSERT carries: under both databases' limits
// on bound parameters (SQLite 32,766; PostgreSQL 65,535) for our widest table.
const batch = 1000

// Summary says what Seed wrote.
type Summary struct {
	Counts
	Certifications, Timesheets, CreditEvents, Notifications int
	Took                                                    time.Duration
}

// Seed fills an empty database with a marketplace at the given scale,
// reproducibly from seed, and reports progress to out.
func Seed(ctx context.Context, db *entdb.DB, scale float64, seed uint64, out io.Writer) (*Summary, error) {
	began := time.Now()
	ctx = rule.System(ctx)
	if n, err := db.User.Query().Count(ctx); err != nil || n > 0 {
		if err == nil {
			err = errors.New("bench seed needs an empty database (it has users)")
		}
		return nil, err
	}
	if err := market.EnsureSkills(ctx, db.Client); err != nil {
		return nil, err
	}
	skills, err := db.Skill.Query().All(ctx)
	if err != nil {
		return nil, err
	}
	hash, err := auth.HashPassword(Password)
	if err != nil {
		return nil, err
	}
	counts := CountsAt(scale)
	w := generate(seed, counts, skills, time.Now().UTC().Truncate(time.Second))
	fmt.Fprintf(out, "generated in memory in %s: %d workers, %d employers, %d shifts, %d applications, %d assignments, %d reviews, %d credit events\n",
		time.Since(began).Round(time.Millisecond), len(w.workers), len(w.employers), len(w.shifts), len(w.applications),
		len(w.assignments), len(w.reviews), len(w.events))
	s := &Summary{Counts: Counts{Workers: len(w.workers), Employers: len(w.employers), Shifts: len(w.shifts),
		Applications: len(w.applications), Assignments: len(w.assignments), Reviews: len(w.reviews)}, CreditEvents: len(w.events)}
	step := func(name string, n int, fn func() error) error {
		t := time.Now()
		if err := fn(); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		d := time.Since(t)
		fmt.Fprintf(out, "  %-16s %9d rows  %8s  %7.0f rows/s\n", name, n, d.Round(time.Millisecond), float64(n)/d.Seconds())
		return nil
	}
	c := db.Client
	// Users: every worker and every employer's owner.
	if err := step("users", len(w.workers)+len(w.employers), func() error {
		err := insert(ctx, len(w.workers), func(i int) *ent.UserCreate {
			return c.User.Create().SetID(w.workers[i].userID).SetEmail(fmt.Sprintf("worker%d@bench.flexwork", i)).
				SetDisplayName(fmt.Sprintf("Worker %d", i)).SetPasswordHash(hash).SetTimeZone("Europe/Berlin")
		}, func(b []*ent.UserCreate) error { return c.User.CreateBulk(b...).Exec(ctx) })
		if err != nil {
			return err
		}
		return insert(ctx, len(w.employers), func(i int) *ent.UserCreate {
			return c.User.Create().SetID(w.employers[i].ownerID).SetEmail(fmt.Sprintf("employer%d@bench.flexwork", i)).
				SetDisplayName(fmt.Sprintf("Owner %d", i)).SetPasswordHash(hash).SetTimeZone("Europe/Berlin")
		}, func(b []*ent.UserCreate) error { return c.User.CreateBulk(b...).Exec(ctx) })
	}); err != nil {
		return nil, err
	}
	if err := step("worker profiles", len(w.workers), func() error {
		return insert(ctx, len(w.workers), func(i int) *ent.WorkerProfileCreate {
			wk := w.workers[i]
			r := credit.Compute(wk.events, w.now)
			p := c.WorkerProfile.Create().SetID(wk.id).SetUserID(wk.userID).SetHeadline("Shift worker").
				SetHomeLat(wk.home.Lat).SetHomeLng(wk.home.Lng).SetTravelRadiusKm(wk.radiusKm).
				SetEngagementTypes([]enum.EngagementType{enum.PartTime, enum.PlatformGig}).
				SetCreditScore(r.Score).SetCreditProvisional(r.Provisional).SetCreditAsOf(w.now).
				SetCompletedShifts(wk.completed).SetNoShows(wk.noShows).SetRatingCount(wk.ratingCount)
			if wk.ratingCount > 0 {
				p.SetRatingAvg(wk.ratingSum / float64(wk.ratingCount))
			}
			return p
		}, func(b []*ent.WorkerProfileCreate) error { return c.WorkerProfile.CreateBulk(b...).Exec(ctx) })
	}); err != nil {
		return nil, err
	}
	type skillRow struct {
		worker, skill string
		years         int
	}
	var skillRows []skillRow
	var certRows []skillRow
	for _, wk := range w.workers {
		for _, id := range sortedKeys(wk.skills) {
			skillRows = append(skillRows, skillRow{wk.id, id, wk.skills[id]})
		}
		for _, id := range wk.certs {
			certRows = append(certRows, skillRow{worker: wk.id, skill: id})
		}
	}
	s.Certifications = len(certRows)
	if err := step("worker skills", len(skillRows), func() error {
		return insert(ctx, len(skillRows), func(i int) *ent.WorkerSkillCreate {
			r := skillRows[i]
			return c.WorkerSkill.Create().SetWorkerID(r.worker).SetSkillID(r.skill).SetYears(r.years)
		}, func(b []*ent.WorkerSkillCreate) error { return c.WorkerSkill.CreateBulk(b...).Exec(ctx) })
	}); err != nil {
		return nil, err
	}
	if err := step("certifications", len(certRows), func() error {
		expires := w.now.AddDate(1, 0, 0).Truncate(24 * time.Hour)
		return insert(ctx, len(certRows), func(i int) *ent.CertificationCreate {
			r := certRows[i]
			id := pulid.New("crt")
			return c.Certification.Create().SetID(id).SetWorkerID(r.worker).SetSkillID(r.skill).SetTitle("Certificate").
				SetStatus(certification.StatusVERIFIED).SetObjectKey("certifications/" + r.worker + "/" + id).
				SetFileName("certificate.pdf").SetContentType("application/pdf").SetByteSize(120_000).
				SetExpiresOn(expires).SetUploadedAt(w.now).SetReviewedAt(w.now)
		}, func(b []*ent.CertificationCreate) error { return c.Certification.CreateBulk(b...).Exec(ctx) })
	}); err != nil {
		return nil, err
	}
	if err := step("employers", len(w.employers), func() error {
		err := insert(ctx, len(w.employers), func(i int) *ent.EmployerCreate {
			e := w.employers[i]
			r := credit.Compute(e.events, w.now)
			b := c.Employer.Create().SetID(e.id).SetName(fmt.Sprintf("%s employer %d", Cities[e.city].Name, i)).
				SetAddress(Cities[e.city].Name).SetLat(e.place.Lat).SetLng(e.place.Lng).
				SetCreditScore(r.Score).SetCreditProvisional(r.Provisional).SetCreditAsOf(w.now).
				SetRatingCount(e.ratingCount).SetPaidOnTime(e.onTime).SetPaidLate(e.late)
			if e.ratingCount > 0 {
				b.SetRatingAvg(e.ratingSum / float64(e.ratingCount))
			}
			return b
		}, func(b []*ent.EmployerCreate) error { return c.Employer.CreateBulk(b...).Exec(ctx) })
		if err != nil {
			return err
		}
		return insert(ctx, len(w.employers), func(i int) *ent.MembershipCreate {
			return c.Membership.Create().SetEmployerID(w.employers[i].id).SetUserID(w.employers[i].ownerID).SetRole(membership.RoleOWNER)
		}, func(b []*ent.MembershipCreate) error { return c.Membership.CreateBulk(b...).Exec(ctx) })
	}); err != nil {
		return nil, err
	}
	if err := step("shifts", len(w.shifts), func() error {
		return insert(ctx, len(w.shifts), func(i int) *ent.ShiftCreate {
			sh := w.shifts[i]
			e := w.employers[sh.employer]
			status := shift.StatusPUBLISHED
			switch {
			case sh.past:
				status = shift.StatusCOMPLETED
			case sh.filled >= sh.slots:
				status = shift.StatusFILLED
			}
			startMinute, minutes := week.Span(sh.start, sh.end, berlin)
			b := c.Shift.Create().SetID(sh.id).SetEmployerID(e.id).SetCreatedByID(e.ownerID).
				SetTitle(fmt.Sprintf("%s shift", Cities[e.city].Name)).SetEngagementType(enum.PartTime).SetStatus(status).
				SetAddress(Cities[e.city].Name).SetLat(sh.place.Lat).SetLng(sh.place.Lng).SetStartsAt(sh.start).SetEndsAt(sh.end).
				SetTimeZone("Europe/Berlin").SetWeekMinute(startMinute).SetWeekMinutes(minutes).SetUnpaidBreakMinutes(30).SetPayRate(sh.payRate).SetCurrency("EUR").
				SetPayUnit(shift.PayUnitHOUR).SetHourlyRate(sh.payRate).SetSlots(sh.slots).SetFilled(sh.filled).
				SetRequiredSkillIds([]string{sh.skill}).AddRequiredSkillIDs(sh.skill).
				SetPublishedAt(sh.start.Add(-72 * time.Hour))
			if sh.cert != "" {
				b.SetRequiredCertificationIds([]string{sh.cert}).AddRequiredCertificationIDs(sh.cert)
			}
			return b
		}, func(b []*ent.ShiftCreate) error { return c.Shift.CreateBulk(b...).Exec(ctx) })
	}); err != nil {
		return nil, err
	}
	if err := step("applications", len(w.applications), func() error {
		return insert(ctx, len(w.applications), func(i int) *ent.ApplicationCreate {
			a := w.applications[i]
			sh := w.shifts[a.shift]
			return c.Application.Create().SetID(a.id).SetShiftID(sh.id).SetWorkerID(w.workers[a.worker].id).
				SetEmployerID(w.employers[sh.employer].id).SetStatus(application.Status(a.status)).
				SetDistanceKm(a.distanceKm).SetCreatedAt(a.createdAt).SetUpdatedAt(a.createdAt)
		}, func(b []*ent.ApplicationCreate) error { return c.Application.CreateBulk(b...).Exec(ctx) })
	}); err != nil {
		return nil, err
	}
	if err := step("assignments", len(w.assignments), func() error {
		return insert(ctx, len(w.assignments), func(i int) *ent.AssignmentCreate {
			a := w.assignments[i]
			sh := w.shifts[a.shift]
			b := c.Assignment.Create().SetID(a.id).SetShiftID(sh.id).SetWorkerID(w.workers[a.worker].id).
				SetEmployerID(w.employers[sh.employer].id).SetStatus(assignment.Status(a.status)).
				SetStartsAt(sh.start).SetEndsAt(sh.end)
			if a.status == "PAID" {
				b.SetCheckedInAt(sh.start).SetCheckedOutAt(sh.end).SetCheckInLat(sh.place.Lat).SetCheckInLng(sh.place.Lng).
					SetCheckOutLat(sh.place.Lat).SetCheckOutLng(sh.place.Lng)
			}
			if a.status == "CANCELLED_BY_WORKER" {
				b.SetCancelledAt(sh.start.Add(-48 * time.Hour)).SetCancelReason("cannot make it")
			}
			return b
		}, func(b []*ent.AssignmentCreate) error { return c.Assignment.CreateBulk(b...).Exec(ctx) })
	}); err != nil {
		return nil, err
	}
	var worked []int
	for i, a := range w.assignments {
		if a.status == "PAID" {
			worked = append(worked, i)
		}
	}
	s.Timesheets = len(worked)
	if err := step("timesheets", len(worked), func() error {
		return insert(ctx, len(worked), func(i int) *ent.TimesheetCreate {
			a := w.assignments[worked[i]]
			sh := w.shifts[a.shift]
			minutes := int(sh.end.Sub(sh.start).Minutes()) - 30
			return c.Timesheet.Create().SetAssignmentID(a.id).SetWorkerID(w.workers[a.worker].id).
				SetEmployerID(w.employers[sh.employer].id).SetStatus(timesheet.StatusAPPROVED).
				SetWorkedMinutes(minutes).SetApprovedMinutes(minutes).SetSubmittedAt(sh.end).SetApprovedAt(sh.end.Add(time.Hour)).
				SetAmountOwed(sh.payRate * int64(minutes) / 60).SetCurrency("EUR").SetPaymentDueAt(sh.end.Add(7 * 24 * time.Hour)).
				SetPaymentStatus(timesheet.PaymentStatusCONFIRMED).SetPaymentReference("BENCH").
				SetPaidAt(sh.end.Add(48 * time.Hour)).SetPaymentConfirmedAt(sh.end.Add(72 * time.Hour))
		}, func(b []*ent.TimesheetCreate) error { return c.Timesheet.CreateBulk(b...).Exec(ctx) })
	}); err != nil {
		return nil, err
	}
	if err := step("reviews", len(w.reviews), func() error {
		return insert(ctx, len(w.reviews), func(i int) *ent.ReviewCreate {
			rv := w.reviews[i]
			a := w.assignments[rv.assignment]
			sh := w.shifts[a.shift]
			e := w.employers[sh.employer]
			dir, author := review.DirectionWORKER_TO_EMPLOYER, w.workers[a.worker].userID
			if rv.toWorker {
				dir, author = review.DirectionEMPLOYER_TO_WORKER, e.ownerID
			}
			return c.Review.Create().SetID(rv.id).SetAssignmentID(a.id).SetAuthorID(author).SetDirection(dir).
				SetWorkerID(w.workers[a.worker].id).SetEmployerID(e.id).SetRating(rv.rating).SetTags(rv.tags).
				SetRevealedAt(rv.at).SetCreatedAt(rv.at).SetUpdatedAt(rv.at)
		}, func(b []*ent.ReviewCreate) error { return c.Review.CreateBulk(b...).Exec(ctx) })
	}); err != nil {
		return nil, err
	}
	// Every worker's inbox: what the marketplace told them over the month.
	inboxes := w.inboxes()
	s.Notifications = len(inboxes)
	if err := step("notifications", len(inboxes), func() error {
		return insert(ctx, len(inboxes), func(i int) *ent.NotificationCreate {
			n := inboxes[i]
			b := c.Notification.Create().SetUserID(w.workers[n.worker].userID).SetCategory(n.category).SetTitle(n.title).
				SetSubjectID(n.subject).SetCreatedAt(n.at).SetPushStatus(notification.PushStatusSENT).SetPushedAt(n.at)
			if n.read {
				b.SetReadAt(n.at.Add(time.Hour))
			}
			return b
		}, func(b []*ent.NotificationCreate) error { return c.Notification.CreateBulk(b...).Exec(ctx) })
	}); err != nil {
		return nil, err
	}
	// Credit events and their ledger entries, placed in time order as
	// the sequencer would place them.
	if err := step("credit events", 2*len(w.events), func() error {
		if err := insert(ctx, len(w.events), func(i int) *ent.LedgerEntryCreate {
			ev := w.events[i]
			subject := ""
			if ev.worker >= 0 {
				subject = w.workers[ev.worker].id
			} else {
				subject = w.employers[ev.employer].id
			}
			body, _ := json.Marshal(market.CreditPayload{ID: ev.id, Subject: subject, Kind: string(ev.kind), Rating: ev.rating,
				Source: ev.source, OccurredAt: ev.at})
			return c.LedgerEntry.Create().SetSeq(int64(i + 1)).SetFormat(2).SetKind(market.LedgerCreditEvent).SetSubjectID(subject).
				SetPayload(string(body)).SetPrevHash("").SetCreatedAt(ev.at).
				SetHash(market.EntryHash(market.LedgerCreditEvent, subject, "", string(body), ev.at))
		}, func(b []*ent.LedgerEntryCreate) error { return c.LedgerEntry.CreateBulk(b...).Exec(ctx) }); err != nil {
			return err
		}
		return insert(ctx, len(w.events), func(i int) *ent.CreditEventCreate {
			ev := w.events[i]
			b := c.CreditEvent.Create().SetID(ev.id).SetKind(creditevent.Kind(ev.kind)).SetSourceID(ev.source).
				SetOccurredAt(ev.at).SetCreatedAt(ev.at)
			if ev.worker >= 0 {
				b.SetSubjectKind(creditevent.SubjectKindWORKER).SetWorkerID(w.workers[ev.worker].id)
			} else {
				b.SetSubjectKind(creditevent.SubjectKindEMPLOYER).SetEmployerID(w.employers[ev.employer].id)
			}
			if ev.rating > 0 {
				b.SetRating(ev.rating)
			}
			return b
		}, func(b []*ent.CreditEventCreate) error { return c.CreditEvent.CreateBulk(b...).Exec(ctx) })
	}); err != nil {
		return nil, err
	}
	// Every organisation's worker-rights score, as a marketplace that has
	// run for a day has them. Left to the server, its sweeps recount them
	// 200 organisations every 15 seconds, some two seconds of PostgreSQL's
	// time each, for its first six minutes at scale 1: in every
	// measurement made then.
	if err := step("rights scores", len(w.employers), func() error {
		m := market.New(db)
		for {
			if n, err := m.RefreshRightsScores(ctx); err != nil || n == 0 {
				return err
			}
		}
	}); err != nil {
		return nil, err
	}
	if err := db.Analyze(ctx); err != nil {
		return nil, err
	}
	s.Took = time.Since(began)
	fmt.Fprintf(out, "seeded in %s\n", s.Took.Round(time.Millisecond))
	return s, nil
}

// insert builds n rows with build and saves them batch by batch.
func insert[B any](ctx context.Context, n int, build func(int) B, save func([]B) error) error {
	for start := 0; start < n; start += batch {
		if err := ctx.Err(); err != nil {
			return err
		}
		end := min(start+batch, n)
		rows := make([]B, 0, end-start)
		for i := start; i < end; i++ {
			rows = append(rows, build(i))
		}
		if err := save(rows); err != nil {
			return err
		}
	}
	return nil
}

func sortedKeys(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// berlin is the seeded shifts' time zone.
var berlin = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		return time.UTC
	}
	return loc
}()
