package market

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/go-playground/validator/v10"
)

// validate checks inputs against their `validate` struct tags. Fields are
// named by their `json` tags, which match the GraphQL input field names, so
// an error names the field the client sent.
var validate = newValidator()

func newValidator() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			return ""
		}
		if name == "" {
			return f.Name
		}
		return name
	})
	must(v.RegisterValidation("timezone", func(fl validator.FieldLevel) bool {
		_, err := time.LoadLocation(fl.Field().String())
		return fl.Field().String() != "" && err == nil
	}))
	must(v.RegisterValidation("currency", func(fl validator.FieldLevel) bool {
		return IsCurrency(fl.Field().String())
	}))
	must(v.RegisterValidation("enum", func(fl validator.FieldLevel) bool {
		e, ok := fl.Field().Interface().(interface{ Valid() bool })
		return ok && e.Valid()
	}))
	return v
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

// Validate checks in (a struct or pointer to one) and reports every failing
// field as one BAD_USER_INPUT error, or nil.
func Validate(in any) error {
	err := validate.Struct(in)
	if err == nil {
		return nil
	}
	var verrs validator.ValidationErrors
	if !errors.As(err, &verrs) {
		return fmt.Errorf("validate: %w", err)
	}
	out := &Error{Code: CodeBadUserInput}
	for _, fe := range verrs {
		out.Fields = append(out.Fields, FieldError{Field: fieldPath(fe.Namespace()), Message: message(fe)})
	}
	msgs := make([]string, len(out.Fields))
	for i, f := range out.Fields {
		msgs[i] = f.Field + ": " + f.Message
	}
	out.Message = strings.Join(msgs, "; ")
	return out
}

// fieldPath drops the struct name validator puts first:
// "SignUpInput.email" → "email", "X.skills[1].years" → "skills[1].years".
func fieldPath(ns string) string {
	if _, rest, ok := strings.Cut(ns, "."); ok {
		return rest
	}
	return ns
}

// message says in plain words what a rule wants.
func message(fe validator.FieldError) string {
	p := fe.Param()
	switch fe.Tag() {
	case "required":
		return "is required"
	case "email":
		return "must be an email address"
	case "e164":
		return "must be a phone number in international format, e.g. +4915112345678"
	case "min":
		if fe.Kind() == reflect.String || fe.Kind() == reflect.Slice {
			return "must have at least " + p + " characters"
		}
		return "must be at least " + p
	case "max":
		if fe.Kind() == reflect.String {
			return "must have at most " + p + " characters"
		}
		if fe.Kind() == reflect.Slice {
			return "must have at most " + p + " items"
		}
		return "must be at most " + p
	case "gte":
		return "must be at least " + p
	case "lte":
		return "must be at most " + p
	case "gt":
		return "must be greater than " + p
	case "latitude":
		return "must be a latitude between -90 and 90"
	case "longitude":
		return "must be a longitude between -180 and 180"
	case "url", "http_url":
		return "must be an http(s) URL"
	case "timezone":
		return "must be an IANA time zone such as Europe/Berlin"
	case "currency":
		return "must be an ISO 4217 currency code such as EUR"
	case "enum", "oneof":
		return "is not an allowed value"
	case "dive", "unique":
		return "must not repeat an item"
	}
	return "is invalid (" + fe.Tag() + ")"
}
