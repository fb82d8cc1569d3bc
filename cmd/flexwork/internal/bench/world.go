// Package bench measures flexwork at marketplace scale: a reproducible
// dataset generator (Seed), load scenarios driven over real HTTP against a
// running server (Run), and the raw-SQL floor the feed is compared with.
package bench

import (
	"math"
	"math/rand/v2"
	"time"

	"flexwork/credit"
	"flexwork/market"
)

// Counts are how many of each thing a dataset holds.
type Counts struct {
	Workers, Employers, Shifts, Applications, Assignments, Reviews int
}

// CountsAt is the dataset at a scale: at 1, 100,000 workers, 5,000
// employers, 200,000 shifts over 60 days, 1,000,000 applications, 300,000
// assignments and 400,000 reviews.
func CountsAt(scale float64) Counts {
	n := func(x float64) int { return max(1, int(math.Round(x*scale))) }
	return Counts{Workers: n(100_000), Employers: n(5_000), Shifts: n(200_000), Applications: n(1_000_000),
		Assignments: n(300_000), Reviews: n(400_000)}
}

// City is a place the marketplace works in; people and shifts cluster
// around it.
type City struct {
	Name   string
	Centre market.GeoPoint
	Weight float64 // share of the marketplace
	Sigma  float64 // km: how far from the centre things spread
}

// Cities are where the dataset lives: busy Berlin, then the rest.
var Cities = []City{
	{"Berlin", market.GeoPoint{Lat: 52.520, Lng: 13.405}, 0.34, 9},
	{"Hamburg", market.GeoPoint{Lat: 53.551, Lng: 9.993}, 0.20, 7},
	{"Munich", market.GeoPoint{Lat: 48.137, Lng: 11.575}, 0.20, 7},
	{"Cologne", market.GeoPoint{Lat: 50.938, Lng: 6.960}, 0.14, 6},
	{"Frankfurt", market.GeoPoint{Lat: 50.110, Lng: 8.682}, 0.12, 6},
}

// The dataset's things, before they are rows: indexes into the world's
// slices stand for references until IDs are known.
type (
	workerPlan struct {
		id, userID  string
		city        int
		home        market.GeoPoint
		skills      map[string]int // skill ID → years
		certs       []string       // skill IDs with a verified certificate
		radiusKm    int
		quality     float64 // how employers rate them, 1–5
		busy        []interval
		completed   int
		noShows     int
		ratingSum   float64
		ratingCount int
		events      []credit.Event
	}
	employerPlan struct {
		id, ownerID  string
		city         int
		place        market.GeoPoint
		category     string
		quality      float64
		weight       float64 // how many shifts it posts, relatively
		ratingSum    float64
		ratingCount  int
		onTime, late int
		events       []credit.Event
	}
	shiftPlan struct {
		id         string
		employer   int
		place      market.GeoPoint
		start, end time.Time
		skill      string
		cert       string // a required certificate, if any
		slots      int
		filled     int
		payRate    int64
		past       bool
		applicants map[int]bool
	}
	applicationPlan struct {
		id             string
		shift, worker  int
		status         string
		distanceKm     float64
		createdAt      time.Time
		assignmentSlot int // index into assignments, -1 when none
	}
	assignmentPlan struct {
		id            string
		shift, worker int
		status        string
	}
	reviewPlan struct {
		id         string
		assignment int
		toWorker   bool
		rating     int
		tags       []string
		at         time.Time
	}
	creditEventPlan struct {
		id       string
		worker   int // -1 for an employer's
		employer int // -1 for a worker's
		kind     credit.Kind
		rating   int
		source   string
		at       time.Time
	}
	interval struct{ start, end time.Time }
)

// offset moves p by dx km east and dy km north.
func offset(p market.GeoPoint, dxKm, dyKm float64) market.GeoPoint {
	return market.GeoPoint{
		Lat: p.Lat + dyKm/111.32,
		Lng: p.Lng + dxKm/(111.32*math.Cos(p.Lat*math.Pi/180)),
	}
}

// around is a point near centre, normally distributed with sigma km.
func around(r *rand.Rand, centre market.GeoPoint, sigma float64) market.GeoPoint {
	return offset(centre, r.NormFloat64()*sigma, r.NormFloat64()*sigma)
}

func pickCity(r *rand.Rand) int {
	x := r.Float64()
	for i, c := range Cities {
		if x < c.Weight {
			return i
		}
		x -= c.Weight
	}
	return 0
}

func clampRating(x float64) int { return int(math.Max(1, math.Min(5, math.Round(x)))) }
