package server_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestOpenAPI_Checkers checks what Redocly's recommended rules ask of both
// OpenAPI documents (CI runs Redocly itself, tools/lint/check.sh): a
// licence, security declared on every operation, and at least one 4xx
// answer documented on each, 404 where the path names a resource.
func TestOpenAPI_Checkers(t *testing.T) {
	s := MustOpenServer(t, nil)
	for _, path := range []string{"/api/v1/openapi.json", "/ogc/api"} {
		var doc struct {
			Info struct {
				License *struct{ Name, URL string }
			}
			Paths map[string]map[string]struct {
				Security  *[]map[string][]string
				Responses map[string]json.RawMessage
			}
		}
		s.Get(t, path).JSON(t, &doc)
		if doc.Info.License == nil || doc.Info.License.Name != "Apache-2.0" || doc.Info.License.URL == "" {
			t.Errorf("%s: info.license %+v", path, doc.Info.License)
		}
		n := 0
		for p, ops := range doc.Paths {
			for m, op := range ops {
				n++
				if op.Security == nil {
					t.Errorf("%s: %s %s declares no security", path, m, p)
				}
				has4xx := false
				for code := range op.Responses {
					has4xx = has4xx || strings.HasPrefix(code, "4")
				}
				if !has4xx {
					t.Errorf("%s: %s %s documents no 4xx answer", path, m, p)
				}
				if strings.Contains(p, "{") && op.Responses["404"] == nil {
					t.Errorf("%s: %s %s names a resource but documents no 404", path, m, p)
				}
			}
		}
		if n < 7 {
			t.Fatalf("%s: %d operations", path, n)
		}
	}
}

// TestAPI_UnknownParameter checks that a query parameter an operation
// does not define is a 400 naming it, as the OpenAPI document's 400
// answers say.
func TestAPI_UnknownParameter(t *testing.T) {
	s := MustOpenServer(t, nil)
	s.Get(t, "/api/v1/deposits?comodity=lithium").Err(t, 400, "invalid", "comodity: no such parameter for GET /deposits; its parameters are bbox, commodity, date, limit, oblast, offset, q, status.")
	s.Get(t, "/api/v1/commodities?x=1").Err(t, 400, "invalid", "x: no such parameter for GET /commodities; it takes none.")
	s.Get(t, "/api/v1/deposits/shevchenkivske?dat=2025-02-12").Err(t, 400, "invalid", "dat: no such parameter")
	if r := s.Get(t, "/api/v1/deposits?commodity=lithium&date=2025-02-12"); r.Status != 200 {
		t.Fatalf("known parameters: %d", r.Status)
	}
}
