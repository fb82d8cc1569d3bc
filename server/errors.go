package server

import (
	"context"
	"errors"
	"log/slog"
	"runtime/debug"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"flexwork/ent"
	"flexwork/ent/privacy"
	"flexwork/ent/rule"
	"flexwork/i18n"
	"flexwork/market"
)

// codeInternal is the code of every error the user cannot act on; its
// message never says more than that something went wrong.
const codeInternal = "INTERNAL_SERVER_ERROR"

// errPanic stands for a recovered panic.
var errPanic = errors.New("panic")

// presentError maps every error a resolver returns onto the API's codes,
// in one place. Internal errors are logged with their path and masked.
func presentError(log *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		gqlErr := graphql.DefaultErrorPresenter(ctx, err)
		if gqlErr.Extensions == nil {
			gqlErr.Extensions = map[string]any{}
		}
		ext := gqlErr.Extensions
		var (
			me         *market.Error
			ve         *ent.ValidationError
			translated bool
		)
		switch {
		case inputError(ctx, err, gqlErr):
			// A value the client sent that could not be read (a cursor, a
			// time, text with a NUL byte): theirs to fix, named by its
			// argument. First: the reason may itself be a market.Error.
		case errors.As(err, &me):
			gqlErr.Message = me.Message
			if !me.Localized {
				gqlErr.Message = inLanguage(ctx, string(me.Code), me.Message, me.Fields)
			}
			translated = true
			ext["code"] = string(me.Code)
			if len(me.Fields) > 0 {
				ext["fields"] = fieldsIn(ctx, me.Fields)
			}
			for k, v := range me.Details {
				ext[k] = v
			}
		case errors.Is(err, rule.ErrAnonymous):
			gqlErr.Message = "sign in required"
			ext["code"] = string(market.CodeUnauthenticated)
		case errors.Is(err, privacy.Deny):
			gqlErr.Message = "you are not allowed to do this"
			ext["code"] = string(market.CodeForbidden)
		case ent.IsNotFound(err):
			gqlErr.Message = "not found"
			ext["code"] = string(market.CodeNotFound)
		case errors.As(err, &ve):
			// A schema constraint the market's validation did not catch.
			field := camel(ve.Name)
			gqlErr.Message = field + ": is invalid"
			ext["code"] = string(market.CodeBadUserInput)
			ext["fields"] = []market.FieldError{{Field: field, Message: "is invalid"}}
		case ent.IsConstraintError(err):
			gqlErr.Message = "this conflicts with existing data"
			ext["code"] = string(market.CodeConflict)
		case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
			gqlErr.Message = "the request was cancelled or timed out"
			ext["code"] = codeInternal
		case isOwnGQLError(err):
			// gqlgen's own messages (an argument it could not coerce, …) are
			// safe to show and are about the input; they are for the app's
			// developer, in English.
			translated = true
			if _, ok := ext["code"]; !ok {
				ext["code"] = string(market.CodeBadUserInput)
			}
		default:
			if !errors.Is(err, errPanic) {
				log.ErrorContext(ctx, "internal error", "path", gqlErr.Path.String(), "err", err)
			}
			gqlErr.Message = "internal server error"
			gqlErr.Extensions = map[string]any{"code": codeInternal}
		}
		if code, _ := gqlErr.Extensions["code"].(string); !translated {
			// Ours, in English: the code's message for other readers.
			gqlErr.Message = inLanguage(ctx, code, gqlErr.Message, nil)
		}
		return gqlErr
	}
}

// inLanguage is an error's message for the request's reader: the detailed
// English message for English readers, else the code's message in their
// language (error.<CODE>), with the failing fields' names. Codes stay the
// same in every language.
func inLanguage(ctx context.Context, code, english string, fields []market.FieldError) string {
	lang := i18n.Language(ctx)
	if lang == i18n.English || !i18n.Has("error."+code) {
		return english
	}
	msg := i18n.T(lang, "error."+code, nil)
	if len(fields) > 0 {
		why := make([]string, len(fields))
		for i, f := range fields {
			why[i] = f.Field + " " + f.In(lang)
		}
		msg += "（" + strings.Join(why, "；") + "）"
	}
	return msg
}

// fieldsIn is the failing fields with their reasons in the request's
// language; the field names are the schema's, in every language.
func fieldsIn(ctx context.Context, fields []market.FieldError) []market.FieldError {
	lang := i18n.Language(ctx)
	out := make([]market.FieldError, len(fields))
	for i, f := range fields {
		out[i] = market.FieldError{Field: f.Field, Message: f.In(lang)}
	}
	return out
}

// inputError recognises gqlgen's wrapping of an argument or input field it
// could not decode — a scalar's UnmarshalGQL failed — by its path, which
// runs past the field being resolved into that field's arguments. It
// rewrites out as BAD_USER_INPUT naming the argument ("after",
// "startsAt" inside input, "near.lat").
func inputError(ctx context.Context, err error, out *gqlerror.Error) bool {
	var g *gqlerror.Error
	fc := graphql.GetFieldContext(ctx)
	if !errors.As(err, &g) || g.Err == nil || fc == nil || fc.Field.Definition == nil {
		return false
	}
	base := fc.Path()
	if len(g.Path) <= len(base) || g.Path[:len(base)].String() != base.String() {
		return false
	}
	rest := g.Path[len(base):]
	arg, ok := rest[0].(ast.PathName)
	if !ok || fc.Field.Definition.Arguments.ForName(string(arg)) == nil {
		return false
	}
	field := strings.TrimPrefix(strings.TrimPrefix(rest.String(), "input"), ".")
	if field == "" {
		field = "input"
	}
	msg := "is not a value this field takes"
	var me *market.Error
	switch cause := g.Err.Error(); {
	case errors.As(g.Err, &me):
		msg = me.Message
	case strings.Contains(cause, "cursor"):
		msg = "is not a cursor this server gave out"
	case strings.Contains(cause, "parsing time"), strings.Contains(cause, "time"):
		msg = "must be an RFC 3339 date-time, e.g. 2026-05-01T09:00:00Z"
	}
	out.Message = field + ": " + msg
	out.Path = base
	out.Extensions = map[string]any{"code": string(market.CodeBadUserInput), "fields": []market.FieldError{{Field: field, Message: msg}}}
	return true
}

// isOwnGQLError reports whether err is an error gqlgen made itself, rather
// than one of ours it wrapped.
func isOwnGQLError(err error) bool {
	var g *gqlerror.Error
	return errors.As(err, &g) && g.Unwrap() == nil
}

// recoverPanic logs a resolver's panic with its stack; the client gets an
// internal error.
func recoverPanic(log *slog.Logger) graphql.RecoverFunc {
	return func(ctx context.Context, p any) error {
		log.ErrorContext(ctx, "panic in resolver", "panic", p, "stack", string(debug.Stack()))
		return errPanic
	}
}

// maskUncoded is the outermost response interceptor: any error that reached
// the response without a code — the transaction wrapper's own, say — is
// logged and replaced by an internal error, so no message with internals
// leaves the server.
type maskUncoded struct{ log *slog.Logger }

func (maskUncoded) ExtensionName() string                   { return "MaskUncodedErrors" }
func (maskUncoded) Validate(graphql.ExecutableSchema) error { return nil }
func (m maskUncoded) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	if resp == nil {
		return nil
	}
	for i, e := range resp.Errors {
		if _, ok := e.Extensions["code"]; ok {
			continue
		}
		m.log.ErrorContext(ctx, "internal error", "path", e.Path.String(), "err", e.Message)
		resp.Errors[i] = &gqlerror.Error{Message: "internal server error", Path: e.Path,
			Extensions: map[string]any{"code": codeInternal}}
	}
	return resp
}

// camel turns an ent field name into its GraphQL name: "pay_rate" → "payRate".
func camel(s string) string {
	parts := strings.Split(s, "_")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	return strings.Join(parts, "")
}
