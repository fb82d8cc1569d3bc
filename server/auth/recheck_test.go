package auth

import (
	"context"
	"errors"
	"reflect"
	"sync"
	"testing"
	"time"

	"flexwork/ent/entdb/entdbtest"
	"flexwork/ent/membership"
	"flexwork/ent/rule"
	"flexwork/ent/viewer"
)

// TestRechecksReadManyViewersInOneStatement: sockets rechecking their
// viewers at about the same time are answered from one statement, each
// with what a request of theirs would be given — a worker, an employer's
// owner who manages another, a disabled account and a deleted one refused.
func TestRechecksReadManyViewersInOneStatement(t *testing.T) {
	for _, dialect := range []string{"sqlite3", "postgres"} {
		t.Run(dialect, func(t *testing.T) {
			db := entdbtest.Open(t, dialect)
			sys := rule.System(context.Background())
			worker := db.User.Create().SetDisplayName("Ana").SaveX(sys)
			db.WorkerProfile.Create().SetUserID(worker.ID).SaveX(sys)
			boss := db.User.Create().SetDisplayName("Bo").SaveX(sys)
			for i, role := range []membership.Role{membership.RoleOWNER, membership.RoleMANAGER} {
				e := db.Employer.Create().SetName("Linde " + string(rune('A'+i))).SaveX(sys)
				db.Membership.Create().SetEmployerID(e.ID).SetUserID(boss.ID).SetRole(role).SaveX(sys)
			}
			gone := db.User.Create().SetDisplayName("Cy").SetDisabledAt(time.Now()).SaveX(sys)
			tokens, err := NewTokens([]byte("recheck-test-key-0123456789abcdef0123"), time.Hour, nil)
			if err != nil {
				t.Fatal(err)
			}
			a := &Authenticator{Tokens: tokens, Viewers: Viewers{DB: db.Client, Dialect: db.Dialect}}
			a.rechecks.window = time.Second // wide enough for every ask below, however busy the machine
			token := func(id string) string {
				s, _, err := tokens.Issue(id)
				if err != nil {
					t.Fatal(err)
				}
				return s
			}
			ctx := context.Background()
			want := map[string]*viewer.Viewer{}
			for _, u := range []string{worker.ID, boss.ID} {
				if want[u], err = a.Viewer(ctx, token(u)); err != nil {
					t.Fatal(err)
				}
			}
			if len(want[boss.ID].Roles) != 2 || want[worker.ID].WorkerID == "" {
				t.Fatalf("the viewers to compare with are not what was made: %+v %+v", want[boss.ID], want[worker.ID])
			}
			asks := []string{worker.ID, boss.ID, worker.ID, gone.ID, "no-such-user", boss.ID}
			type answer struct {
				v   *viewer.Viewer
				err error
			}
			answers := make([]answer, len(asks))
			tokensOf := make([]string, len(asks))
			for i, u := range asks {
				tokensOf[i] = token(u)
			}
			before := db.Statements()
			var wg sync.WaitGroup
			for i := range asks {
				wg.Go(func() {
					v, err := a.Recheck(ctx, tokensOf[i])
					answers[i] = answer{v, err}
				})
			}
			wg.Wait()
			if n := db.Statements() - before; n != 1 {
				t.Errorf("%d rechecks at once took %d statements; want 1", len(asks), n)
			}
			for i, u := range asks {
				got := answers[i]
				if w := want[u]; w != nil {
					if got.err != nil || !reflect.DeepEqual(got.v, w) {
						t.Errorf("recheck of %s: %+v, %v; want %+v", u, got.v, got.err, w)
					}
				} else if !errors.Is(got.err, ErrInvalidToken) {
					t.Errorf("recheck of %s (disabled or deleted): %+v, %v; want ErrInvalidToken", u, got.v, got.err)
				}
			}
			if _, err := a.Recheck(ctx, "not-a-token"); !errors.Is(err, ErrInvalidToken) {
				t.Errorf("a forged token rechecked as %v; want ErrInvalidToken", err)
			}
		})
	}
}
