package server

import (
	_ "embed"
	"net/http"
)

// openAPI describes the JSON API; TestOpenAPICoversRoutes keeps it in step
// with the routes.
//
//go:embed openapi.json
var openAPI []byte

func serveOpenAPI(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(openAPI) // a failed write is a reader gone, with nothing to tell
}
