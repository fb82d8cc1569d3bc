package server_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"

	"flexwork/ent/entdb/entdbtest"
	"flexwork/notifications"
	"flexwork/server"
	"flexwork/server/servertest"
)

// redisURL is the Redis the test script started; without one the test
// skips, or fails when FLEXWORK_TEST_REQUIRE_SERVICES=1, as in CI.
func redisURL(t *testing.T) string {
	url := os.Getenv("TEST_REDIS_URL")
	if url == "" {
		if os.Getenv("FLEXWORK_TEST_REQUIRE_SERVICES") == "1" {
			t.Fatal("TEST_REDIS_URL is not set but FLEXWORK_TEST_REQUIRE_SERVICES=1")
		}
		t.Skip("TEST_REDIS_URL not set: run the tests with scripts/test.sh to include Redis")
	}
	return url
}

func redisBroker(t *testing.T, prefix string) notifications.Broker {
	b, err := notifications.NewRedisBroker(context.Background(), redisURL(t), prefix)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestTwoReplicasShareLiveEvents runs two servers on one PostgreSQL and one
// Redis: a worker subscribed on replica A hears of the offer an employer
// sends through replica B.
func TestTwoReplicasShareLiveEvents(t *testing.T) {
	db := entdbtest.Open(t, "postgres")
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	prefix := "flexwork-test-" + hex.EncodeToString(b) + ":"
	withRedis := servertest.WithDeps(func(d *server.Deps) { d.Broker = redisBroker(t, prefix) })
	a, bee := servertest.Start(t, db, withRedis), servertest.Start(t, db, withRedis)

	picking := skillID(t, db, "order-picking")
	olga := bee.SignUp("olga@example.com", "Olga")
	emp := createEmployer(t, bee, olga, "Spree Logistics")
	shiftID := postShift(t, bee, olga, emp, map[string]any{"requiredSkillIDs": []string{picking}})
	ana := newWorker(t, bee, "ana@example.com", "Ana", picking)

	ws := a.ConnectWS(ana.Token)
	ws.Subscribe("offers", `subscription { offerEvents { kind offer { id } } }`, nil)
	a.WaitSubscribers(1)

	app := apply(bee, ana, shiftID)
	offer := offer(bee, olga, app)

	var heard struct {
		OfferEvents struct {
			Kind  string
			Offer struct{ ID string }
		}
	}
	next(t, ws, "offers", &heard)
	if heard.OfferEvents.Kind != "CREATED" || heard.OfferEvents.Offer.ID != offer {
		t.Fatalf("replica A heard %+v", heard)
	}
}
