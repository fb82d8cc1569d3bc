// Package jurisdiction holds the rule packs of the places flexwork serves:
// per engagement type, what is checked when a shift is posted and when a
// worker is hired, what the contract says, and the data tables (with source
// and effective date) the rules read. It is plain Go with no I/O: market
// loads the rows and asks a pack.
package jurisdiction

import (
	"time"

	"flexwork/ent/schema/enum"
)

// Code names a jurisdiction, as an employer stores it.
type Code string

// The jurisdictions flexwork has packs for.
const (
	Generic Code = "GENERIC" // the default: today's rules, EUR
	CN      Code = "CN"      // the People's Republic of China (mainland)
)

// Shift is what a pack reads of a shift being posted or hired for.
type Shift struct {
	Engagement         enum.EngagementType
	StartsAt, EndsAt   time.Time
	Location           *time.Location
	UnpaidBreakMinutes int
	HourlyRate         int64 // minor units per paid hour
	Currency           string
	Lat, Lng           float64
	PayCycleDays       int
	Agency             Organisation // zero when the shift names none
	PostNature         string       // TEMPORARY, AUXILIARY, SUBSTITUTE or ""
	PostMonths         int
	// Licensed reports whether staff verified the posting employer's
	// business licence (checked at posting only).
	Licensed bool
}

// Paid is the shift's paid time.
func (s Shift) Paid() time.Duration {
	return s.EndsAt.Sub(s.StartsAt) - time.Duration(s.UnpaidBreakMinutes)*time.Minute
}

// Organisation is a party other than the worker: its ID, kind
// (EMPLOYER, AGENCY, CONTRACTOR) and jurisdiction.
type Organisation struct {
	ID, Kind     string
	Jurisdiction Code
}

// Hire is what a pack reads when a worker is hired: the shift, and the
// worker's other hires with the same employer in the shift's week.
type Hire struct {
	Shift Shift
	// Others are the worker's other held hires with the same employer
	// whose start falls in the same Monday-to-Sunday week, local time.
	Others []Interval
	// Employed reports whether the shift's agency employs the worker (its
	// roster lists them as EMPLOYED).
	Employed bool
	// RealName reports whether the worker's real name is verified.
	RealName bool
}

// Interval is a hire's time.
type Interval struct {
	StartsAt, EndsAt   time.Time
	UnpaidBreakMinutes int
}

// Finding is one rule's verdict: its name, whether it passed, and the i18n
// message (law.<Key>) with its data that explains it in either language.
type Finding struct {
	Rule   string
	Passed bool
	Key    string
	Data   map[string]any
}

// Pack is a jurisdiction's rules.
type Pack struct {
	Code Code
	// Currency is the ISO 4217 code its shifts pay in.
	Currency string
	// Posting checks a shift as it is posted or changed.
	Posting func(Shift) []Finding
	// Hiring checks a hire as it is made.
	Hiring func(Hire) []Finding
	// Contract is the version and languages of its contract template.
	Contract ContractTemplate
	// Withhold says what tax flexwork withholds from a payment it makes
	// for a payer of this jurisdiction (withholding.go).
	Withhold func(Payment) Withholding
	// RealNamePayouts says whether a payout in its currency waits for the
	// worker's verified real name.
	RealNamePayouts bool
	// Cover says what insurance a hire of an engagement type needs before
	// check-in (insurance.go).
	Cover func(enum.EngagementType) Cover
}

// ForCurrency returns the pack whose shifts pay in currency; the generic
// pack for any other.
func ForCurrency(currency string) Pack {
	for _, p := range packs {
		if p.Currency == currency && p.Code != Generic {
			return p
		}
	}
	return packs[Generic]
}

// For returns the pack of a jurisdiction; an unknown code gets the generic
// pack, which keeps the behaviour flexwork had before packs.
func For(code Code) Pack {
	if p, ok := packs[code]; ok {
		return p
	}
	return packs[Generic]
}

var packs = map[Code]Pack{
	Generic: {Code: Generic, Currency: "EUR",
		Posting:  func(Shift) []Finding { return nil },
		Hiring:   func(Hire) []Finding { return nil },
		Contract: genericContract,
		Withhold: noWithholding, Cover: func(enum.EngagementType) Cover { return Cover{} }},
	CN: {Code: CN, Currency: "CNY", Posting: cnPosting, Hiring: cnHiring, Contract: cnContract, Withhold: cnWithholding,
		RealNamePayouts: true, Cover: cnCover},
}

// Failed returns the findings that did not pass.
func Failed(fs []Finding) []Finding {
	var out []Finding
	for _, f := range fs {
		if !f.Passed {
			out = append(out, f)
		}
	}
	return out
}

func pass(rule, key string, data map[string]any) Finding {
	return Finding{Rule: rule, Passed: true, Key: key, Data: data}
}

func fail(rule, key string, data map[string]any) Finding {
	return Finding{Rule: rule, Passed: false, Key: key, Data: data}
}
