// Package graphiql serves GraphiQL from the binary, its assets embedded, so
// that it works without a network: GraphiQL 3.9.0 and React 18.3.1, their
// UMD builds as npm ships them (licences beside them in assets/). To
// update, take graphiql.min.js and graphiql.min.css from the graphiql
// package, and the umd/*.production.min.js of react and react-dom.
package graphiql

import (
	"embed"
	"io/fs"
	"net/http"
)

//go:embed index.html start.js assets
var files embed.FS

// Handler serves GraphiQL at / and its assets under /graphiql/.
func Handler() http.Handler {
	assets, _ := fs.Sub(files, "assets")
	mux := http.NewServeMux()
	mux.Handle("GET /graphiql/", http.StripPrefix("/graphiql/", http.FileServerFS(assets)))
	mux.HandleFunc("GET /graphiql/start.js", func(w http.ResponseWriter, r *http.Request) {
		http.ServeFileFS(w, r, files, "start.js")
	})
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		http.ServeFileFS(w, r, files, "index.html")
	})
	return mux
}
