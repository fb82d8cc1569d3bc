package server_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
	"flexwork/server/servertest"
)

// TestAPriceThatFills: a Shanghai restaurant asks what to pay for a
// part-time evening. With nobody free nearby the suggestion is the most the
// model offers; as workers who live nearby sign up it falls; it never goes
// below the city's minimum, and it explains itself in the reader's
// language. A stranger gets no suggestion for someone else's employer.
func TestAPriceThatFills(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		env := servertest.Start(t, db)
		wang := env.SignUp("wang@example.com", "王老板")
		var created struct {
			CreateEmployer struct{ Employer struct{ ID string } }
		}
		env.MustOp(wang.Token, "CreateEmployer", input(map[string]any{"name": "老弄堂面馆", "jurisdiction": "CN"}), &created)
		emp := created.CreateEmployer.Employer.ID
		start := env.Clock.Now().Add(48 * time.Hour).Truncate(time.Hour)
		draft := func(fen int) map[string]any {
			return map[string]any{
				"employerID": emp, "title": "晚班服务员", "engagementType": "PART_TIME", "address": "上海市黄浦区",
				"location": shanghaiWarehouse, "startsAt": start.Format(time.RFC3339), "endsAt": start.Add(4 * time.Hour).Format(time.RFC3339),
				"timeZone": "Asia/Shanghai", "pay": map[string]any{"amount": fen, "currency": "CNY"}, "payUnit": "HOUR",
				"slots": 2, "payCycleDays": 7,
			}
		}
		type suggestion struct {
			PaySuggestion struct {
				HourlyRate  struct{ Amount int }
				MinimumWage *struct{ Amount int }
				Supply      int
				Factors     []struct {
					Code        string
					Change      struct{ Amount int }
					Explanation string
				}
			}
		}
		ask := func(fen int, h http.Header) suggestion {
			t.Helper()
			var s suggestion
			env.OpWith(wang.Token, "PaySuggestion", input(draft(fen)), h).Decode(t, &s)
			sum := 0
			for _, f := range s.PaySuggestion.Factors {
				sum += f.Change.Amount
			}
			if sum != s.PaySuggestion.HourlyRate.Amount {
				t.Fatalf("the steps add up to %d, the rate is %d: %+v", sum, s.PaySuggestion.HourlyRate.Amount, s)
			}
			return s
		}
		codes := func(s suggestion) string {
			var cs []string
			for _, f := range s.PaySuggestion.Factors {
				cs = append(cs, fmt.Sprintf("%s%+d", f.Code, f.Change.Amount))
			}
			return strings.Join(cs, " ")
		}

		alone := ask(2600, english)
		if got := codes(alone); got != "BASE_ASKED+2600 SCARCITY+1300" || alone.PaySuggestion.Supply != 0 ||
			alone.PaySuggestion.MinimumWage == nil || alone.PaySuggestion.MinimumWage.Amount != 2500 {
			t.Fatalf("nobody nearby: %s %+v", got, alone.PaySuggestion)
		}
		for i := range 6 {
			w := env.SignUp(fmt.Sprintf("w%d@example.com", i), fmt.Sprintf("工人%d", i))
			env.MustOp(w.Token, "UpdateWorkerProfile", input(map[string]any{"headline": "服务员", "homeLocation": shanghaiHome}), &struct{}{})
		}
		crowd := ask(2600, english)
		if crowd.PaySuggestion.Supply != 6 || crowd.PaySuggestion.HourlyRate.Amount >= alone.PaySuggestion.HourlyRate.Amount {
			t.Fatalf("six workers nearby: %s, supply %d", codes(crowd), crowd.PaySuggestion.Supply)
		}
		// Asking little: the suggestion stops at Shanghai's ¥25.00, in Chinese.
		low := ask(1800, http.Header{"Accept-Language": {"zh-CN"}})
		last := low.PaySuggestion.Factors[len(low.PaySuggestion.Factors)-1]
		if low.PaySuggestion.HourlyRate.Amount != 2500 || last.Code != "MINIMUM_WAGE" || !strings.Contains(last.Explanation, "最低工资") {
			t.Fatalf("asking ¥18.00: %s, %q", codes(low), last.Explanation)
		}

		eve := env.SignUp("eve@example.com", "Eve")
		if r := env.Op(eve.Token, "PaySuggestion", input(draft(2600))); r.Code() != "NOT_FOUND" {
			t.Fatalf("a stranger's suggestion: %s", r.Code())
		}
	})
}
