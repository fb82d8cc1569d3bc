package market

import (
	"math"
	"strconv"
	"strings"
	"sync"
	"time"
)

// reachTTL is how long what a place's feed held is trusted to size the
// next page's reach there.
const reachTTL = time.Minute

// Reaches remember, per place (a cell of 0.05°, ~5 km) and filter, how far
// the last page of the nearest shifts reached, so that the next page there
// is looked for within about that distance instead of the whole radius.
// The page query reads every shift in its reach (an index range, then a
// top-N sort), so in a dense city a small reach is most of the feed's
// database time: within 10 km of central Berlin at scale 1 it reads 18,000
// index entries in 15 ms, within 1 km 427 in 1 ms. A guess that holds no
// full page costs another statement, further out (Widen), and the answer
// is the same either way: the nearest shifts within a reach are the
// nearest within the radius when the reach holds a full page.
// The bench's hand-written floor uses them too, so that GraphQL and the
// floor run the same page query.
type Reaches struct {
	mu   sync.Mutex
	seen map[string]reach
}

type reach struct {
	km    float64 // how far the page's last shift was
	count int     // how many shifts that page held
	at    time.Time
}

// minReachKm keeps a guess from shrinking to nothing where shifts share
// one address.
const minReachKm = 0.25

// Guess is the reach to look for in's page within: twice the distance
// that held a page of this size here last time, or the whole radius.
func (r *Reaches) Guess(in FeedInput, now time.Time) float64 {
	r.mu.Lock()
	last, ok := r.seen[reachKey(in)]
	r.mu.Unlock()
	if !ok || now.Sub(last.at) > reachTTL || last.count == 0 {
		return in.RadiusKm
	}
	km := math.Max(2*last.km*float64(in.First+1)/float64(last.count), minReachKm)
	if km >= 0.7*in.RadiusKm { // as dear as the whole radius: read it once
		return in.RadiusKm
	}
	return km
}

// Widen is the reach to look in after within held no full page: four times
// as far, or the whole radius when that would be about as dear. A guess
// misses where the place's last page was looked for from a denser corner
// of its cell. Four times a 0.8 km guess is a tenth of the area of a 10 km
// radius, which in a city is thousands of shifts to read and sort (~15 ms
// at scale 1).
func Widen(in FeedInput, within float64) float64 {
	if km := 4 * within; km > within && km < 0.7*in.RadiusKm { // never standing still at 0
		return km
	}
	return in.RadiusKm
}

// Learn remembers how far in's page reached when looked for within
// `within` km: its last shift's distance when it is full (count > First),
// else (a sparse place) the whole radius.
func (r *Reaches) Learn(in FeedInput, within float64, count int, last GeoPoint, now time.Time) {
	seen := reach{km: in.RadiusKm, count: max(count, 1), at: now}
	if count > in.First {
		seen.km = math.Min(DistanceKm(in.Near, last), within)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.seen == nil || len(r.seen) >= 10000 { // a bound, not a policy: start again
		r.seen = map[string]reach{}
	}
	r.seen[reachKey(in)] = seen
}

// reachKey names a place and what narrows its shifts.
func reachKey(in FeedInput) string {
	var b strings.Builder
	b.WriteString(strconv.Itoa(int(math.Floor(in.Near.Lat / 0.05))))
	b.WriteByte(',')
	b.WriteString(strconv.Itoa(int(math.Floor(in.Near.Lng / 0.05))))
	if f := in.Filter; f != nil {
		b.WriteString("|" + strings.Join(f.SkillIDs, ","))
		for _, e := range f.EngagementTypes {
			b.WriteString("," + string(e))
		}
		for _, t := range []*time.Time{f.StartsAfter, f.StartsBefore} {
			b.WriteByte('|')
			if t != nil {
				b.WriteString(strconv.FormatInt(t.Unix(), 10))
			}
		}
		b.WriteByte('|')
		if f.MinHourlyRate != nil {
			b.WriteString(strconv.FormatInt(*f.MinHourlyRate, 10))
		}
	}
	return b.String()
}
