// Package rights holds the workers'-rights indicators an organisation's
// hires add up to, and the score workers see on shift cards built from
// them. It lives beside the schema because an Employer field is made of
// it; market/rights.go counts the figures.
package rights

import "math"

// Figures are counts over the hires of one organisation (or of the
// platform) whose shifts started in a period. The organisation is the one
// that employs the worker: the agency or contractor for dispatch and
// outsourcing, the employer otherwise.
type Figures struct {
	Hires           int     `json:"hires"`           // hires not cancelled before work
	Contracted      int     `json:"contracted"`      // of them, with a contract every party signed
	WagesDue        int     `json:"wagesDue"`        // wages whose deadline has passed, or that were paid
	WagesOnTime     int     `json:"wagesOnTime"`     // of them, paid by the deadline
	CoverRequired   int     `json:"coverRequired"`   // hires whose jurisdiction asks for insurance cover
	Covered         int     `json:"covered"`         // of them, with that cover spanning the shift
	Disputes        int     `json:"disputes"`        // timesheets the worker disputed
	DisputesSettled int     `json:"disputesSettled"` // of them, settled by the parties
	DisputesDecided int     `json:"disputesDecided"` // decided by staff
	DisputesOpen    int     `json:"disputesOpen"`    // still open
	Workers         int     `json:"workers"`         // distinct workers hired
	WorkersVerified int     `json:"workersVerified"` // of them, with a verified real name
	AverageCredit   float64 `json:"averageCredit"`   // the organisations' mean credit score
}

// Add adds o's counts to f; the average credit is left to the caller.
func (f *Figures) Add(o Figures) {
	f.Hires += o.Hires
	f.Contracted += o.Contracted
	f.WagesDue += o.WagesDue
	f.WagesOnTime += o.WagesOnTime
	f.CoverRequired += o.CoverRequired
	f.Covered += o.Covered
	f.Disputes += o.Disputes
	f.DisputesSettled += o.DisputesSettled
	f.DisputesDecided += o.DisputesDecided
	f.DisputesOpen += o.DisputesOpen
	f.Workers += o.Workers
	f.WorkersVerified += o.WorkersVerified
}

// Rate is part over whole, or nil when there is no whole to speak of.
func Rate(part, whole int) *float64 {
	if whole == 0 {
		return nil
	}
	r := float64(part) / float64(whole)
	return &r
}

// Weights of the score: what a worker stands to lose. A late wage weighs
// most, then work without a contract, then work without the cover the law
// asks, then a dispute the parties could not settle between them.
const (
	weightWages    = 40
	weightContract = 30
	weightCover    = 20
	weightDisputes = 10
)

// Score is the worker-rights score, 0 to 100: the weighted mean of the
// contract rate, the on-time wage rate, the cover rate and the share of
// hires without a dispute still open or left to staff, over the
// indicators that apply (a jurisdiction without required cover leaves
// cover out). Nil before the first hire.
func (f Figures) Score() *int {
	if f.Hires == 0 {
		return nil
	}
	sum, weight := 0.0, 0.0
	add := func(r *float64, w float64) {
		if r != nil {
			sum += *r * w
			weight += w
		}
	}
	add(Rate(f.Contracted, f.Hires), weightContract)
	add(Rate(f.WagesOnTime, f.WagesDue), weightWages)
	add(Rate(f.Covered, f.CoverRequired), weightCover)
	add(Rate(f.Hires-f.DisputesOpen-f.DisputesDecided, f.Hires), weightDisputes)
	s := int(math.Round(100 * sum / weight))
	return &s
}
