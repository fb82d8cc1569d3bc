package market

import (
	"errors"
	"flexwork/i18n"
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
		say := message(fe)
		out.Fields = append(out.Fields, FieldError{Field: fieldPath(fe.Namespace()), Message: say.in(i18n.English), say: &say})
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

// message says in plain words what a rule wants, in any language
// (input.<rule> in i18n/messages).
func message(fe validator.FieldError) text {
	p := map[string]any{"P": fe.Param()}
	switch fe.Tag() {
	case "required", "email", "e164", "latitude", "longitude", "timezone", "currency":
		return because("input."+fe.Tag(), nil)
	case "min", "max":
		switch fe.Kind() {
		case reflect.String:
			return because("input."+fe.Tag()+".chars", p)
		case reflect.Slice:
			return because("input."+fe.Tag()+".items", p)
		}
		return because("input."+fe.Tag(), p)
	case "gte":
		return because("input.min", p)
	case "lte":
		return because("input.max", p)
	case "gt":
		return because("input.gt", p)
	case "url", "http_url":
		return because("input.url", nil)
	case "enum", "oneof":
		return because("input.enum", nil)
	case "dive", "unique":
		return because("input.unique", nil)
	}
	return because("input.invalid", map[string]any{"Tag": fe.Tag()})
}
