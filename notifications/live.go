package notifications

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/singleflight"

	"flexwork/ent"
	"flexwork/ent/rule"
	"flexwork/ent/shift"
	"flexwork/ent/viewer"
	"flexwork/market"
)

// buffer is each subscription's share of the broker: how many events may
// wait for a slow socket before the subscription is cut off.
const buffer = 64

// LiveKind is the kind of a live event as the apps see it; RESYNC means the
// subscriber fell behind and missed events: refetch, then subscribe again.
type LiveKind string

// Live event kinds.
const (
	KindCreated      LiveKind = "CREATED"
	KindExpiringSoon LiveKind = "EXPIRING_SOON"
	KindAccepted     LiveKind = "ACCEPTED"
	KindDeclined     LiveKind = "DECLINED"
	KindExpired      LiveKind = "EXPIRED"
	KindRevoked      LiveKind = "REVOKED"
	KindShortlisted  LiveKind = "SHORTLISTED"
	KindRejected     LiveKind = "REJECTED"
	KindWithdrawn    LiveKind = "WITHDRAWN"
	KindCheckedIn    LiveKind = "CHECKED_IN"
	KindCheckedOut   LiveKind = "CHECKED_OUT"
	KindNoShow       LiveKind = "NO_SHOW"
	KindCancelled    LiveKind = "CANCELLED"
	KindResync       LiveKind = "RESYNC"
)

var liveKinds = map[market.EventKind]LiveKind{
	market.OfferCreated: KindCreated, market.OfferExpiringSoon: KindExpiringSoon, market.OfferAccepted: KindAccepted,
	market.OfferDeclined: KindDeclined, market.OfferExpired: KindExpired, market.OfferRevoked: KindRevoked,
	market.ApplicationCreated: KindCreated, market.ApplicationShortlisted: KindShortlisted,
	market.ApplicationRejected: KindRejected, market.ApplicationWithdrawn: KindWithdrawn,
	market.AssignmentCreated: KindCreated, market.AssignmentCheckedIn: KindCheckedIn,
	market.AssignmentCheckedOut: KindCheckedOut, market.AssignmentNoShow: KindNoShow, market.AssignmentCancelled: KindCancelled,
}

// MarshalGQL implements graphql.Marshaler.
func (k LiveKind) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(string(k))) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (k *LiveKind) UnmarshalGQL(v any) error {
	s, ok := v.(string)
	if !ok {
		return fmt.Errorf("event kind must be a string")
	}
	*k = LiveKind(s)
	return nil
}

// OfferEvent is a change to one of the viewer's offers.
type OfferEvent struct {
	Kind  LiveKind   `json:"kind"`
	Offer *ent.Offer `json:"offer"`
}

// ApplicationEvent is a change to an application to a shift.
type ApplicationEvent struct {
	Kind        LiveKind         `json:"kind"`
	Application *ent.Application `json:"application"`
}

// AssignmentEvent is a change to a hire on a shift.
type AssignmentEvent struct {
	Kind       LiveKind        `json:"kind"`
	Assignment *ent.Assignment `json:"assignment"`
}

// Live serves the GraphQL subscriptions. Every subscription is a listener
// on the broker and a channel that closes when the client goes away, the
// server stops, or the subscriber falls behind (relay.go).
type Live struct {
	broker Broker
	db     *ent.Client
	market *market.Market
	log    *slog.Logger

	shifts  singleflight.Group
	cacheMu sync.Mutex
	cache   map[string]cachedShift

	lastDecoded atomic.Pointer[decoded] // relay.go
	workers     workers                 // run the relays' jobs
}

type cachedShift struct {
	shift *ent.Shift
	facts market.ShiftFacts
	at    time.Time
}

var errSignIn = market.Errorf(market.CodeUnauthenticated, "sign in required")

// OfferEvents streams changes to the viewer's offers.
func (l *Live) OfferEvents(ctx context.Context) (<-chan *OfferEvent, error) {
	v := viewer.FromContext(ctx)
	if v == nil {
		return nil, errSignIn
	}
	if v.WorkerID == "" {
		return nil, market.Forbidden("create your worker profile first")
	}
	return stream(ctx, l, offersTopic(v.WorkerID), func(ctx context.Context, e LiveEvent) (*OfferEvent, error) {
		o, err := l.db.Offer.Get(ctx, e.ID)
		return &OfferEvent{Kind: liveKinds[e.Kind], Offer: o}, err
	}, func() *OfferEvent { return &OfferEvent{Kind: KindResync} })
}

// ApplicationEvents streams applications to a shift, for members of its
// employer.
func (l *Live) ApplicationEvents(ctx context.Context, shiftID string) (<-chan *ApplicationEvent, error) {
	if err := l.member(ctx, shiftID); err != nil {
		return nil, err
	}
	return stream(ctx, l, applicationsTopic(shiftID), func(ctx context.Context, e LiveEvent) (*ApplicationEvent, error) {
		a, err := l.db.Application.Get(ctx, e.ID)
		return &ApplicationEvent{Kind: liveKinds[e.Kind], Application: a}, err
	}, func() *ApplicationEvent { return &ApplicationEvent{Kind: KindResync} })
}

// AssignmentEvents streams hires, check-ins and check-outs of a shift, for
// members of its employer.
func (l *Live) AssignmentEvents(ctx context.Context, shiftID string) (<-chan *AssignmentEvent, error) {
	if err := l.member(ctx, shiftID); err != nil {
		return nil, err
	}
	return stream(ctx, l, assignmentsTopic(shiftID), func(ctx context.Context, e LiveEvent) (*AssignmentEvent, error) {
		a, err := l.db.Assignment.Get(ctx, e.ID)
		return &AssignmentEvent{Kind: liveKinds[e.Kind], Assignment: a}, err
	}, func() *AssignmentEvent { return &AssignmentEvent{Kind: KindResync} })
}

// member checks the viewer belongs to the employer of a shift they can see.
func (l *Live) member(ctx context.Context, shiftID string) error {
	v := viewer.FromContext(ctx)
	if v == nil {
		return errSignIn
	}
	s, err := l.db.Shift.Get(ctx, shiftID)
	if err != nil || !v.IsMember(s.EmployerID) {
		return market.NotFound("shift")
	}
	return nil
}

// ShiftPublished streams newly published shifts within radiusKm of near that
// the viewer is eligible for. The viewer's facts are loaded once; each shift
// is loaded once per process, however many subscribers hear of it.
func (l *Live) ShiftPublished(ctx context.Context, near market.GeoPoint, radiusKm float64) (<-chan *ent.Shift, error) {
	v := viewer.FromContext(ctx)
	if v == nil {
		return nil, errSignIn
	}
	if v.WorkerID == "" {
		return nil, market.Forbidden("create your worker profile first")
	}
	if err := market.Validate(near); err != nil {
		return nil, err
	}
	if radiusKm <= 0 || radiusKm > 100 {
		return nil, market.BadInput("radiusKm", "must be greater than 0 and at most 100")
	}
	sc, err := l.market.NewScreener(ctx, v.WorkerID)
	if err != nil {
		return nil, err
	}
	skip := fmt.Errorf("not for this subscriber")
	ch, err := stream(ctx, l, shiftsTopic, func(ctx context.Context, e LiveEvent) (*ent.Shift, error) {
		c, err := l.shared(ctx, e.ID)
		if err != nil {
			return nil, err
		}
		if market.DistanceKm(near, c.facts.Place) > radiusKm {
			return nil, skip
		}
		if el, err := sc.Screen(ctx, c.facts); err != nil || !el.Eligible {
			return nil, skip
		}
		return c.shift, nil
	}, nil)
	return ch, err
}

// shared loads a published shift, with its employer and its screening
// facts, once per process for all the subscribers that hear of it; the
// result is read-only.
func (l *Live) shared(ctx context.Context, id string) (cachedShift, error) {
	l.cacheMu.Lock()
	if c, ok := l.cache[id]; ok && time.Since(c.at) < time.Minute {
		l.cacheMu.Unlock()
		return c, nil
	}
	l.cacheMu.Unlock()
	v, err, _ := l.shifts.Do(id, func() (any, error) {
		ctx := rule.System(context.WithoutCancel(ctx))
		s, err := l.db.Shift.Query().Where(shift.ID(id)).WithEmployer().Only(ctx)
		if err != nil {
			return nil, err
		}
		f, err := l.market.FactsOf(ctx, s)
		if err != nil {
			return nil, err
		}
		c := cachedShift{shift: s, facts: f, at: time.Now()}
		l.cacheMu.Lock()
		if l.cache == nil || len(l.cache) > 1000 {
			l.cache = map[string]cachedShift{}
		}
		l.cache[id] = c
		l.cacheMu.Unlock()
		return c, nil
	})
	if err != nil {
		return cachedShift{}, err
	}
	return v.(cachedShift), nil
}
