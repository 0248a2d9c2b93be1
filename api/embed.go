// Package api embeds the OpenAPI contract, api/openapi.yaml, so the server can
// serve it and the tests can validate every response against it.
package api

import _ "embed"

// Spec is the OpenAPI 3.1 document, as committed.
//
//go:embed openapi.yaml
var Spec []byte
