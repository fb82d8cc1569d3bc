// Package enum holds the enumerations that more than one entity stores, so
// that the database, Go and GraphQL agree on one set of values.
package enum

import (
	"fmt"
	"io"
	"strconv"
)

// EngagementType is the legal form of a piece of flexible work. Every shift
// says which one it is, and workers say which ones they accept.
type EngagementType string

// The four forms of flexible work.
const (
	PartTime    EngagementType = "PART_TIME"    // employed directly, part-time
	PlatformGig EngagementType = "PLATFORM_GIG" // self-employed through the platform
	Dispatch    EngagementType = "DISPATCH"     // employed by an agency, sent to the employer
	Outsourcing EngagementType = "OUTSOURCING"  // the employer's contractor does the work
)

// EngagementTypes lists every engagement type in display order.
var EngagementTypes = []EngagementType{PartTime, PlatformGig, Dispatch, Outsourcing}

// Values implements ent's EnumValues.
func (EngagementType) Values() []string { return values(EngagementTypes) }

// Valid reports whether e is a known engagement type.
func (e EngagementType) Valid() bool { return contains(EngagementTypes, e) }

// MarshalGQL implements graphql.Marshaler.
func (e EngagementType) MarshalGQL(w io.Writer) { io.WriteString(w, strconv.Quote(string(e))) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (e *EngagementType) UnmarshalGQL(v any) error { return unmarshal(e, v, EngagementTypes) }

// NotificationCategory groups notifications for inbox filtering and for the
// per-category push opt-outs users set.
type NotificationCategory string

// Notification categories.
const (
	CategoryShiftPublished NotificationCategory = "SHIFT_PUBLISHED"
	CategoryOffer          NotificationCategory = "OFFER"
	CategoryApplication    NotificationCategory = "APPLICATION"
	CategoryReminder       NotificationCategory = "REMINDER"
	CategoryTimesheet      NotificationCategory = "TIMESHEET"
	CategoryPayment        NotificationCategory = "PAYMENT"
	CategoryCertification  NotificationCategory = "CERTIFICATION"
	CategoryReview         NotificationCategory = "REVIEW"
	CategoryCredit         NotificationCategory = "CREDIT"
	CategoryAccount        NotificationCategory = "ACCOUNT"
)

// NotificationCategories lists every category.
var NotificationCategories = []NotificationCategory{
	CategoryShiftPublished, CategoryOffer, CategoryApplication, CategoryReminder, CategoryTimesheet,
	CategoryPayment, CategoryCertification, CategoryReview, CategoryCredit, CategoryAccount,
}

// Values implements ent's EnumValues.
func (NotificationCategory) Values() []string { return values(NotificationCategories) }

// Valid reports whether c is a known category.
func (c NotificationCategory) Valid() bool { return contains(NotificationCategories, c) }

// MarshalGQL implements graphql.Marshaler.
func (c NotificationCategory) MarshalGQL(w io.Writer) { io.WriteString(w, strconv.Quote(string(c))) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (c *NotificationCategory) UnmarshalGQL(v any) error {
	return unmarshal(c, v, NotificationCategories)
}

func values[T ~string](all []T) []string {
	out := make([]string, len(all))
	for i, v := range all {
		out[i] = string(v)
	}
	return out
}

func contains[T ~string](all []T, v T) bool {
	for _, x := range all {
		if x == v {
			return true
		}
	}
	return false
}

func unmarshal[T ~string](dst *T, v any, all []T) error {
	s, ok := v.(string)
	if !ok {
		return fmt.Errorf("enum must be a string, got %T", v)
	}
	if !contains(all, T(s)) {
		return fmt.Errorf("%q is not a valid value", s)
	}
	*dst = T(s)
	return nil
}
