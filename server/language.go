package server

import (
	"net/http"

	"flexwork/i18n"
)

// withLanguage puts the language the client asks for (Accept-Language)
// into the request's context, when it asks; a new account keeps it as its
// stored choice, which the apps may change with updateAccount.
func withLanguage(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if asked := r.Header.Get("Accept-Language"); asked != "" {
			r = r.WithContext(i18n.WithLanguage(r.Context(), i18n.Match(asked)))
		}
		next.ServeHTTP(w, r)
	})
}
