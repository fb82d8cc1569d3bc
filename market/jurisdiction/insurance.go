package jurisdiction

import "flexwork/ent/schema/enum"

// Cover kinds a hire may need.
const (
	CoverOccupationalInjury = "OCCUPATIONAL_INJURY" // work-injury / occupational-injury protection
	CoverSocialInsurance    = "SOCIAL_INSURANCE"    // the employer's social insurance, work injury included
)

// Cover is the insurance a hire needs before work starts: what kind, who
// pays for it, and the rule that asks it; Kind "" when none is needed.
type Cover struct {
	Kind  string
	Payer string // EMPLOYER, AGENCY or PLATFORM: who enrols the worker and pays
	Rule  string
}

// The CN pack's cover rule, as it appears in the check-in refusal.
const RuleCover = "CN_COVER"

// cnCover: in China every form of flexible work is covered against injury
// at work before it starts, by whoever the law makes responsible:
//   - part-time: the employer pays work-injury insurance (劳社部发〔2003〕12号
//     关于非全日制用工若干问题的意见, art. 12);
//   - platform gig: the platform enrols the worker in occupational-injury
//     protection (人社部发〔2021〕56号 guidance, art. 10; the national pilot
//     of 2022);
//   - dispatch and outsourcing: the agency or contractor, as the legal
//     employer, carries the worker's social insurance (社会保险法 art. 58;
//     劳务派遣暂行规定 art. 18).
func cnCover(e enum.EngagementType) Cover {
	switch e {
	case enum.PartTime:
		return Cover{Kind: CoverOccupationalInjury, Payer: "EMPLOYER", Rule: RuleCover}
	case enum.PlatformGig:
		return Cover{Kind: CoverOccupationalInjury, Payer: "PLATFORM", Rule: RuleCover}
	case enum.Dispatch, enum.Outsourcing:
		return Cover{Kind: CoverSocialInsurance, Payer: "AGENCY", Rule: RuleCover}
	}
	return Cover{}
}
