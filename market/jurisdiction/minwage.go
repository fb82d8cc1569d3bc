package jurisdiction

import (
	"flexwork/i18n"
	"math"
	"time"
)

// City is a place with its own minimum hourly wage for part-time work
// (非全日制用工小时最低工资标准) and whether it runs occupational-injury
// protection for platform workers (新就业形态就业人员职业伤害保障).
type City struct {
	Name, NameZH string
	Lat, Lng     float64
	RadiusKm     float64 // a shift within this distance of the centre is in the city
	// HourlyFloor is the part-time minimum in fen (CNY minor units) per
	// hour, from Source, in force from Effective.
	HourlyFloor int64
	Source      string
	Effective   time.Time
	// InjuryCover: the city is in the occupational-injury protection pilot
	// (MOHRSS 人社部发〔2022〕31号, from 1 July 2022).
	InjuryCover bool
}

// cities is the table of local floors. Labour Contract Law art. 72: the
// hourly pay of part-time work may not be lower than the minimum hourly wage
// the local government sets. Update a row when a city publishes a new
// standard, keeping the source and the date it takes effect.
var cities = []City{
	{Name: "Shanghai", NameZH: "上海", Lat: 31.2304, Lng: 121.4737, RadiusKm: 90,
		HourlyFloor: 2500, Effective: day(2025, 7, 1), InjuryCover: true,
		Source: "上海市人力资源和社会保障局《关于调整本市最低工资标准的通知》(月 2740 元，小时 25 元)"},
	{Name: "Beijing", NameZH: "北京", Lat: 39.9042, Lng: 116.4074, RadiusKm: 110,
		HourlyFloor: 2770, Effective: day(2025, 9, 1), InjuryCover: true,
		Source: "北京市人力资源和社会保障局《关于调整北京市2025年最低工资标准的通知》(非全日制小时 27.7 元)"},
}

// In implements i18n.Localized: the city's name in lang.
func (c City) In(lang string) string {
	if lang == i18n.Chinese {
		return c.NameZH
	}
	return c.Name
}

func day(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, time.FixedZone("CST", 8*3600))
}

// CityAt returns the city whose area holds the point, if the table has one.
func CityAt(lat, lng float64) (City, bool) {
	for _, c := range cities {
		if distanceKm(lat, lng, c.Lat, c.Lng) <= c.RadiusKm {
			return c, true
		}
	}
	return City{}, false
}

// distanceKm is the great-circle distance (haversine).
func distanceKm(lat1, lng1, lat2, lng2 float64) float64 {
	const r = 6371.0
	rad := math.Pi / 180
	dLat, dLng := (lat2-lat1)*rad, (lng2-lng1)*rad
	a := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dLng/2)*math.Sin(dLng/2)
	return 2 * r * math.Asin(math.Sqrt(a))
}
