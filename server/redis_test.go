package server_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"testing"

	"flexwork/ent/entdb/entdbtest"
	"flexwork/notifications"
	"flexwork/notifications/brokertest"
	"flexwork/server"
	"flexwork/server/servertest"
)

func redisBroker(t *testing.T, prefix string) notifications.Broker {
	b, err := notifications.NewRedisBroker(context.Background(), brokertest.RedisURL(t), prefix)
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
