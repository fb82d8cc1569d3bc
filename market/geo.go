package market

import "math"

// GeoPoint is a place on the globe in WGS84 degrees.
type GeoPoint struct {
	Lat float64 `json:"lat" validate:"latitude"`
	Lng float64 `json:"lng" validate:"longitude"`
}

const earthRadiusKm = 6371.0088

// DistanceKm returns the great-circle (haversine) distance between a and b.
func DistanceKm(a, b GeoPoint) float64 {
	rad := math.Pi / 180
	dLat := (b.Lat - a.Lat) * rad
	dLng := (b.Lng - a.Lng) * rad
	h := math.Sin(dLat/2)*math.Sin(dLat/2) +
		math.Cos(a.Lat*rad)*math.Cos(b.Lat*rad)*math.Sin(dLng/2)*math.Sin(dLng/2)
	return 2 * earthRadiusKm * math.Asin(math.Min(1, math.Sqrt(h)))
}

// CoarseKm rounds a distance to the nearest half kilometre: what an employer
// may learn of how far a worker lives. Exact distances from a few shifts
// would place the worker's home to the metre.
func CoarseKm(d float64) float64 { return math.Round(d*2) / 2 }

// CoarseDistance is CoarseKm of an optional distance.
func CoarseDistance(d *float64) *float64 {
	if d == nil {
		return nil
	}
	c := CoarseKm(*d)
	return &c
}
