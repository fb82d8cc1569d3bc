package entdb

import (
	"context"
	"time"

	"entgo.io/ent/privacy"

	"flexwork/ent/schema/week"
	"flexwork/ent/shift"
)

// fillShiftWeeks computes the local week position of shifts made before it
// was stored (week_minute -1): SQLite migrates itself from the schema, so
// this data step is Go; PostgreSQL's migration file does it in SQL.
func (d *DB) fillShiftWeeks(ctx context.Context) error {
	ctx = privacy.DecisionContext(ctx, privacy.Allow)
	for {
		due, err := d.Client.Shift.Query().Where(shift.WeekMinute(-1)).Limit(1000).
			Select(shift.FieldID, shift.FieldStartsAt, shift.FieldEndsAt, shift.FieldTimeZone).All(ctx)
		if err != nil || len(due) == 0 {
			return err
		}
		for _, s := range due {
			loc, err := time.LoadLocation(s.TimeZone)
			if err != nil {
				loc = time.UTC
			}
			startMinute, minutes := week.Span(s.StartsAt, s.EndsAt, loc)
			if err := d.Client.Shift.UpdateOneID(s.ID).SetWeekMinute(startMinute).SetWeekMinutes(minutes).Exec(ctx); err != nil {
				return err
			}
		}
	}
}
