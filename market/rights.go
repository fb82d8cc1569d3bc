package market

import (
	"context"
	"time"

	"entgo.io/ent/dialect/sql"

	"flexwork/ent"
	"flexwork/ent/assignment"
	"flexwork/ent/contract"
	"flexwork/ent/employer"
	"flexwork/ent/insurancecover"
	"flexwork/ent/predicate"
	"flexwork/ent/realname"
	"flexwork/ent/rule"
	"flexwork/ent/schema/rights"
	"flexwork/ent/shift"
	"flexwork/ent/timesheet"
	"flexwork/ent/workerprofile"
	"flexwork/market/jurisdiction"
)

// hires selects the IDs (or another column) of the hires whose shifts
// start in [from, to) and were not cancelled before work, of the
// organisations orgs (all when orgs is nil): what the rights figures
// count. Each table the figures read is narrowed by it as a subquery, so
// a period of any size costs a few statements and no long IN lists.
type hires struct {
	from, to time.Time
	orgs     []string
	// jurisdiction keeps the organisations of one jurisdiction ("" all):
	// a regulator supervises its own.
	jurisdiction employer.Jurisdiction
}

func (h hires) selector(column string) *sql.Selector {
	t := sql.Table(assignment.Table)
	where := []*sql.Predicate{
		sql.GTE(t.C(assignment.FieldStartsAt), h.from),
		sql.LT(t.C(assignment.FieldStartsAt), h.to),
		sql.NotIn(t.C(assignment.FieldStatus), string(assignment.StatusCANCELLED_BY_WORKER), string(assignment.StatusCANCELLED_BY_EMPLOYER)),
	}
	if h.orgs != nil {
		orgs := make([]any, len(h.orgs))
		for i, o := range h.orgs {
			orgs[i] = o
		}
		where = append(where, sql.Or(
			sql.In(t.C(assignment.FieldAgencyID), orgs...),
			sql.And(sql.IsNull(t.C(assignment.FieldAgencyID)), sql.In(t.C(assignment.FieldEmployerID), orgs...))))
	}
	return sql.Select(t.C(column)).From(t).Where(sql.And(where...))
}

// in narrows a query of another table to the rows whose column is one of
// the hires' column.
func (h hires) in(column, hireColumn string) func(*sql.Selector) {
	return func(s *sql.Selector) { s.Where(sql.In(s.C(column), h.selector(hireColumn))) }
}

// orgOf is the organisation a hire counts for: the one that employs the
// worker, which signs, pays and insures (the agency or contractor for
// dispatch and outsourcing).
func orgOf(a *ent.Assignment) string {
	if a.AgencyID != nil {
		return *a.AgencyID
	}
	return a.EmployerID
}

// rightsFigures counts the workers'-rights indicators of the hires h
// selects, per organisation, and for all of them together (the key "").
// A wage counts once its deadline is past asOf or it was paid.
func (m *Market) rightsFigures(ctx context.Context, h hires, asOf time.Time) (map[string]*rights.Figures, error) {
	sys, db := rule.System(ctx), m.client(ctx) // an issuing mutation's transaction, or the sweep's root client
	as, err := db.Assignment.Query().Where(predicate.Assignment(h.in(assignment.FieldID, assignment.FieldID))).
		Select(assignment.FieldShiftID, assignment.FieldWorkerID, assignment.FieldEmployerID, assignment.FieldAgencyID,
			assignment.FieldStartsAt, assignment.FieldEndsAt).All(sys)
	if err != nil {
		return nil, err
	}
	shifts, err := db.Shift.Query().Where(predicate.Shift(h.in(shift.FieldID, assignment.FieldShiftID))).
		Select(shift.FieldEngagementType).All(sys)
	if err != nil {
		return nil, err
	}
	contracts, err := db.Contract.Query().Where(predicate.Contract(h.in(contract.FieldAssignmentID, assignment.FieldID))).
		Select(contract.FieldAssignmentID, contract.FieldWorkerSignedAt, contract.FieldEmployerSignedAt, contract.FieldAgencyID, contract.FieldAgencySignedAt).All(sys)
	if err != nil {
		return nil, err
	}
	sheets, err := db.Timesheet.Query().Where(predicate.Timesheet(h.in(timesheet.FieldAssignmentID, assignment.FieldID))).
		Select(timesheet.FieldAssignmentID, timesheet.FieldStatus, timesheet.FieldDisputedAt, timesheet.FieldPaymentDueAt,
			timesheet.FieldPaidAt, timesheet.FieldPaymentStatus).All(sys)
	if err != nil {
		return nil, err
	}
	covers, err := db.InsuranceCover.Query().Where(predicate.InsuranceCover(h.in(insurancecover.FieldAssignmentID, assignment.FieldID)),
		insurancecover.StatusEQ(insurancecover.StatusACTIVE)).
		Select(insurancecover.FieldAssignmentID, insurancecover.FieldKind, insurancecover.FieldCoversFrom, insurancecover.FieldCoversTo).All(sys)
	if err != nil {
		return nil, err
	}
	profiles, err := db.WorkerProfile.Query().Where(predicate.WorkerProfile(h.in(workerprofile.FieldID, assignment.FieldWorkerID))).
		Select(workerprofile.FieldUserID).All(sys)
	if err != nil {
		return nil, err
	}
	verified, err := db.RealName.Query().Where(realname.StatusEQ(realname.StatusVERIFIED), func(s *sql.Selector) {
		p := sql.Table(workerprofile.Table)
		s.Where(sql.In(s.C(realname.FieldUserID), sql.Select(p.C(workerprofile.FieldUserID)).From(p).
			Where(sql.In(p.C(workerprofile.FieldID), h.selector(assignment.FieldWorkerID)))))
	}).Select(realname.FieldUserID).Strings(sys)
	if err != nil {
		return nil, err
	}
	employerIDs := map[string]bool{}
	for _, a := range as {
		employerIDs[a.EmployerID], employerIDs[orgOf(a)] = true, true
	}
	orgs, err := db.Employer.Query().Where(employer.IDIn(keys(employerIDs)...)).
		Select(employer.FieldJurisdiction, employer.FieldCreditScore).All(sys)
	if err != nil {
		return nil, err
	}

	engagement := map[string]*ent.Shift{}
	for _, s := range shifts {
		engagement[s.ID] = s
	}
	org := map[string]*ent.Employer{}
	for _, e := range orgs {
		org[e.ID] = e
	}
	signed := map[string]bool{}
	for _, c := range contracts {
		signed[c.AssignmentID] = c.WorkerSignedAt != nil && c.EmployerSignedAt != nil && (c.AgencyID == nil || c.AgencySignedAt != nil)
	}
	sheetOf := map[string]*ent.Timesheet{}
	for _, t := range sheets {
		sheetOf[t.AssignmentID] = t
	}
	coversOf := map[string][]*ent.InsuranceCover{}
	for _, c := range covers {
		coversOf[c.AssignmentID] = append(coversOf[c.AssignmentID], c)
	}
	userOf := map[string]string{}
	for _, p := range profiles {
		userOf[p.ID] = p.UserID
	}
	isVerified := map[string]bool{}
	for _, u := range verified {
		isVerified[u] = true
	}

	out := map[string]*rights.Figures{}
	workers := map[string]map[string]bool{}
	for _, a := range as {
		o := orgOf(a)
		if h.jurisdiction != "" && (org[o] == nil || org[o].Jurisdiction != h.jurisdiction) {
			continue
		}
		f := out[o]
		if f == nil {
			f, workers[o] = &rights.Figures{}, map[string]bool{}
			out[o] = f
		}
		f.Hires++
		if signed[a.ID] {
			f.Contracted++
		}
		if t := sheetOf[a.ID]; t != nil {
			countWage(f, t, asOf)
			countDispute(f, t)
		}
		if s, e := engagement[a.ShiftID], org[a.EmployerID]; s != nil && e != nil {
			if need := jurisdiction.For(jurisdiction.Code(e.Jurisdiction)).Cover; need != nil {
				if kind := need(s.EngagementType).Kind; kind != "" {
					f.CoverRequired++
					if covering(coversOf[a.ID], insurancecover.Kind(kind), a) {
						f.Covered++
					}
				}
			}
		}
		workers[o][a.WorkerID] = true
	}
	// The platform adds the organisations up, but counts a worker hired by
	// two of them once, and averages their credit.
	platform, everyone, credit := &rights.Figures{}, map[string]bool{}, 0
	for o, f := range out {
		if e := org[o]; e != nil {
			f.AverageCredit = float64(e.CreditScore)
			credit += e.CreditScore
		}
		platform.Add(*f)
		for w := range workers[o] {
			everyone[w] = true
		}
		f.Workers, f.WorkersVerified = countVerified(workers[o], userOf, isVerified)
	}
	platform.Workers, platform.WorkersVerified = countVerified(everyone, userOf, isVerified)
	if len(out) > 0 {
		platform.AverageCredit = float64(credit) / float64(len(out))
	}
	out[""] = platform
	return out, nil
}

// countVerified counts workers, and those of them whose user verified
// their real name.
func countVerified(workers map[string]bool, userOf map[string]string, verified map[string]bool) (all, ok int) {
	for w := range workers {
		all++
		if verified[userOf[w]] {
			ok++
		}
	}
	return all, ok
}

// countWage counts a wage whose deadline has passed (or that was paid), and
// whether it was paid by the deadline: released from escrow, or marked
// paid and not reported missing.
func countWage(f *rights.Figures, t *ent.Timesheet, asOf time.Time) {
	if t.PaymentDueAt == nil || (t.PaidAt == nil && t.PaymentDueAt.After(asOf)) {
		return
	}
	f.WagesDue++
	switch t.PaymentStatus {
	case timesheet.PaymentStatusRELEASED, timesheet.PaymentStatusCONFIRMED, timesheet.PaymentStatusMARKED_PAID:
		if t.PaidAt != nil && !t.PaidAt.After(*t.PaymentDueAt) {
			f.WagesOnTime++
		}
	}
}

// countDispute counts a disputed timesheet by where it ended: still
// disputed, decided by staff, or settled when the employer approved again.
func countDispute(f *rights.Figures, t *ent.Timesheet) {
	if t.DisputedAt == nil {
		return
	}
	f.Disputes++
	switch t.Status {
	case timesheet.StatusDISPUTED:
		f.DisputesOpen++
	case timesheet.StatusRESOLVED:
		f.DisputesDecided++
	default:
		f.DisputesSettled++
	}
}

// covering reports whether one of covers is of kind and spans the hire.
func covering(covers []*ent.InsuranceCover, kind insurancecover.Kind, a *ent.Assignment) bool {
	for _, c := range covers {
		if c.Kind == kind && !c.CoversFrom.After(a.StartsAt) && !c.CoversTo.Before(a.EndsAt) {
			return true
		}
	}
	return false
}
