package server

import (
	"context"
	"time"
)

// sweepEvery is how often the market's timed transitions run.
const sweepEvery = 15 * time.Second

// sweep runs the market's timed transitions — offer expiry, shifts starting
// and ending, timesheet auto-approval, overdue payments — every sweepEvery
// until ctx ends. Each transition is a conditional UPDATE, so replicas
// sweeping at once do each change once.
func (s *Server) sweep(ctx context.Context) {
	jobs := []struct {
		name string
		run  func(context.Context) (int, error)
	}{
		{"expire offers", s.Market.ExpireOffers},
		{"advance shifts", s.Market.AdvanceShifts},
		{"auto-approve timesheets", s.Market.AutoApproveTimesheets},
		{"flag overdue payments", s.Market.FlagOverduePayments},
	}
	t := time.NewTicker(sweepEvery)
	defer t.Stop()
	for {
		for _, j := range jobs {
			if n, err := j.run(ctx); err != nil && ctx.Err() == nil {
				s.log.ErrorContext(ctx, "sweep", "job", j.name, "err", err)
			} else if n > 0 {
				s.log.InfoContext(ctx, "sweep", "job", j.name, "changed", n)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
