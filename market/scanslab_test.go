package market_test

import (
	"context"
	"testing"
	"time"

	"flexwork/ent"
	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
	"flexwork/ent/rule"
	"flexwork/ent/shift"
)

// TestRowsReadTheSameWhateverTheirColumns: ent's scanValues
// (ent/template/scan.tmpl) hands a row's columns the slots of one slab.
// Rows read together keep their own values, and a row read with a few
// columns, some asked for twice (ent reads them once), reads what it reads
// whole.
func TestRowsReadTheSameWhateverTheirColumns(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		w := newWorld(t, db)
		sys := rule.System(context.Background())
		var made []*ent.Shift
		for i := range 3 {
			s := w.shift(time.Duration(24*(i+1))*time.Hour, i+2, i+1)
			made = append(made, s)
		}
		all, err := db.Shift.Query().Where(shift.IDIn(made[0].ID, made[1].ID, made[2].ID)).Order(ent.Asc(shift.FieldSlots)).All(sys)
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 3 {
			t.Fatalf("read %d shifts, made 3", len(all))
		}
		for i, s := range all {
			if s.ID != made[i].ID || s.Slots != i+1 || !s.EndsAt.Equal(made[i].EndsAt) || s.Title != "Picker" ||
				len(s.RequiredSkillIds) != 1 || s.RequiredSkillIds[0] != w.picking || s.Lat != made[i].Lat {
				t.Fatalf("shift %d read as %+v, made as %+v", i, s, made[i])
			}
		}
		some, err := db.Shift.Query().Where(shift.ID(made[2].ID)).
			Select(shift.FieldSlots, shift.FieldTitle, shift.FieldSlots, shift.FieldStartsAt, shift.FieldStartsAt).Only(sys)
		if err != nil {
			t.Fatal(err)
		}
		if some.Slots != 3 || some.Title != "Picker" || !some.StartsAt.Equal(made[2].StartsAt) || some.HourlyRate != 0 {
			t.Fatalf("slots, title and start twice read as %+v", some)
		}
	})
}
