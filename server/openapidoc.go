package server

import (
	"reflect"
	"sort"
	"strings"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"nadra"
)

// CodeLicence is the SPDX identifier of nadra's code licence, and
// CodeLicenceURL its text, declared as info.license in the OpenAPI
// documents (by URL, which OpenAPI 3.0, the OGC document's version, has
// as well as 3.1).
const (
	CodeLicence    = "Apache-2.0"
	CodeLicenceURL = "https://www.apache.org/licenses/LICENSE-2.0"
)

// completeOpenAPI finishes an API's OpenAPI document once every operation
// is registered, as independent checkers (Redocly's recommended rules)
// expect: the licence; security declared on every operation (an empty
// list on the public ones, which is what they are: nadra has no login,
// and the ledger's writes declare their signature scheme themselves);
// and the 4xx answers each operation gives, besides the default error.
func (s *Server) completeOpenAPI(api huma.API) {
	oa := api.OpenAPI()
	oa.Info.License = &huma.License{Name: CodeLicence, URL: CodeLicenceURL}
	errSchema := oa.Components.Schemas.Schema(reflect.TypeOf(ErrorResponse{}), true, "")
	errContent := func() map[string]*huma.MediaType {
		return map[string]*huma.MediaType{"application/json": {Schema: errSchema}}
	}
	for _, pi := range oa.Paths {
		for _, op := range []*huma.Operation{pi.Get, pi.Post, pi.Put, pi.Patch, pi.Delete} {
			if op == nil {
				continue
			}
			if op.Security == nil {
				op.Security = []map[string][]string{} // public: written as "security": []
			}
			if op.Responses == nil {
				op.Responses = map[string]*huma.Response{}
			}
			add := func(code, desc string) {
				if op.Responses[code] == nil {
					op.Responses[code] = &huma.Response{Description: desc, Content: errContent()}
				}
			}
			add("400", "A query parameter is unknown or has a bad value, or the body is not what the operation takes; the message names it.")
			for _, p := range op.Parameters {
				if p.In == "path" {
					add("404", "No such "+p.Name+"; the message says which exist.")
				}
			}
			if op.RequestBody != nil {
				add("413", "The body is larger than the operation takes.")
				add("415", "The body is not JSON: send it with Content-Type: application/json.")
			}
		}
	}
}

// strictQuery is middleware for the JSON API's operations: a query
// parameter the operation does not define is a 400 naming it and the
// parameters there are, rather than being ignored (a typo such as
// ?comodity= would otherwise return everything).
func (s *Server) strictQuery(ctx huma.Context, next func(huma.Context)) {
	op := ctx.Operation()
	r, w := humago.Unwrap(ctx)
	known := map[string]bool{}
	for _, p := range op.Parameters {
		if p.In == "query" {
			known[p.Name] = true
		}
	}
	var unknown []string
	for k := range r.URL.Query() {
		if !known[k] {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) == 0 {
		next(ctx)
		return
	}
	sort.Strings(unknown)
	var names []string
	for k := range known {
		names = append(names, k)
	}
	sort.Strings(names)
	takes := "it takes none"
	if len(names) > 0 {
		takes = "its parameters are " + strings.Join(names, ", ")
	}
	s.Error(w, r, nadra.Errorf(nadra.EINVALID, "%s: no such parameter for %s %s; %s.", nadra.Truncate(unknown[0], 40), r.Method, op.Path, takes))
}
