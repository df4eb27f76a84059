package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"nadra"
	"nadra/geo"

	"github.com/danielgtaylor/huma/v2"
	"github.com/paulmach/orb"
)

// OGCPrefix is where OGC API - Features lives. In QGIS: Layer > Add Layer
// > Add WFS / OGC API - Features Layer, URL http://HOST/ogc. In GDAL:
// ogrinfo OAPIF:http://HOST/ogc.
const OGCPrefix = "/ogc"

// Conformance classes nadra implements (OGC 17-069r4).
var ogcConformance = []string{
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
	// Part 3 (OGC 19-079r2): /collections/{id}/queryables, and the
	// queryables as query parameters of items (equality). No CQL2 filter.
	"http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
	"http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
}

// relQueryables is the link relation of a collection's queryables.
const relQueryables = "http://www.opengis.net/def/rel/ogc/1.0/queryables"

const crs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"

// Link is a web link in OGC responses.
type Link struct {
	Href  string `json:"href"`
	Rel   string `json:"rel"`
	Type  string `json:"type,omitempty"`
	Title string `json:"title,omitempty"`
}

// OGCLanding is the landing page.
type OGCLanding struct {
	Title       string `json:"title"`
	Description string `json:"description"`
	Links       []Link `json:"links"`
}

// OGCConformance lists the conformance classes.
type OGCConformance struct {
	ConformsTo []string `json:"conformsTo"`
}

// OGCExtent is a collection's spatial and temporal extent.
type OGCExtent struct {
	Spatial  *OGCSpatial  `json:"spatial,omitempty"`
	Temporal *OGCTemporal `json:"temporal,omitempty"`
}

// OGCSpatial is a bounding box in CRS84.
type OGCSpatial struct {
	BBox [][]float64 `json:"bbox"`
	CRS  string      `json:"crs"`
}

// OGCTemporal is a time interval; null ends are open.
type OGCTemporal struct {
	Interval [][]*string `json:"interval"`
	TRS      string      `json:"trs"`
}

// OGCCollection describes one collection.
type OGCCollection struct {
	ID          string     `json:"id"`
	Title       string     `json:"title"`
	Description string     `json:"description"`
	Links       []Link     `json:"links"`
	Extent      *OGCExtent `json:"extent,omitempty"`
	ItemType    string     `json:"itemType"`
	CRS         []string   `json:"crs"`
}

// OGCCollections lists the collections.
type OGCCollections struct {
	Links       []Link          `json:"links"`
	Collections []OGCCollection `json:"collections"`
}

// Feature is a GeoJSON feature.
type Feature struct {
	Type       string          `json:"type" enum:"Feature"`
	ID         string          `json:"id"`
	Geometry   json.RawMessage `json:"geometry"`
	Properties map[string]any  `json:"properties"`
	Links      []Link          `json:"links,omitempty"`
}

// ContentType makes huma send GeoJSON's media type.
func (Feature) ContentType(string) string { return mediaGeoJSON }

// FeatureCollection is a page of GeoJSON features.
type FeatureCollection struct {
	Type           string    `json:"type" enum:"FeatureCollection"`
	Features       []Feature `json:"features"`
	Links          []Link    `json:"links"`
	TimeStamp      string    `json:"timeStamp"`
	NumberMatched  int       `json:"numberMatched"`
	NumberReturned int       `json:"numberReturned"`
}

// ContentType makes huma send GeoJSON's media type.
func (FeatureCollection) ContentType(string) string { return mediaGeoJSON }

// ogcCollection is one collection's description and features.
type ogcCollection struct {
	id, title, description string
	temporal               bool
	// static collections do not change with imports (the oblasts).
	static bool
	// features returns every feature matching datetime, in order, with
	// geometry still to be encoded.
	features func(ctx context.Context, s *Server, dt ogcTime) ([]ogcFeature, error)
	// one returns the feature id on datetime, without building the others;
	// nil and no error when there is none.
	one func(ctx context.Context, s *Server, id string, dt ogcTime) (*ogcFeature, error)
	// props are the features' properties, in the queryables' order.
	props []ogcProp
}

// ogcProp is one property of a collection's features: its name, its JSON
// Schema type and what it means. Queryable ones can be asked for by
// equality as query parameters of items (?status=occupied).
type ogcProp struct {
	name, typ, title string
	enum             []string
	nullable         bool
	queryable        bool
}

// ogcFeature is a feature before its geometry is encoded, so that a page
// encodes only its own.
type ogcFeature struct {
	id    string
	geom  orb.Geometry // nil for none
	props map[string]any
}

var ogcCollections = []ogcCollection{
	{id: "deposits", title: "Mineral deposits", temporal: true,
		description: "Ukrainian mineral deposits and sites with sourced coordinates (precision_km says how far the point may be off), commodities, development stage and sources, and their control status on `datetime` (default: the latest control snapshot): controlled, occupied or grey, the geodesic distance to hostile ground (to controlled ground if occupied or grey), and in-situ value (an upper bound). An interval uses its end.",
		features:    depositFeatures, one: depositFeature,
		props: []ogcProp{
			{name: "name", typ: "string", title: "English or transliterated name", queryable: true},
			{name: "name_uk", typ: "string", title: "Ukrainian name"},
			{name: "oblast", typ: "string", title: "Oblast, ISO 3166-2:UA code such as UA-14", queryable: true},
			{name: "oblast_name", typ: "string", title: "Oblast name"},
			{name: "precision_km", typ: "number", title: "How far the point may be from the deposit, km", nullable: true},
			{name: "commodities", typ: "string", title: "Commodity codes, ;-separated"},
			{name: "stage", typ: "string", title: "Development stage", queryable: true,
				enum: []string{"", "occurrence", "explored", "licensed", "tendered", "development", "producing", "closed"}},
			{name: "date", typ: "string", title: "The date of the status (datetime, or the latest snapshot)"},
			{name: "snapshot", typ: "string", title: "The control snapshot in force on that date"},
			{name: "status", typ: "string", title: "Control status on the date", queryable: true, enum: []string{"controlled", "occupied", "grey", "unknown"}},
			{name: "since", typ: "string", title: "Occupied since: 2022, or before 2022", nullable: true},
			{name: "distance_km", typ: "number", title: "Geodesic km to hostile ground (to controlled ground if occupied or grey)", nullable: true},
			{name: "uncertain", typ: "boolean", title: "The point's error could flip its status", queryable: true},
			{name: "in_situ_usd", typ: "number", title: "In-situ value in US dollars, an upper bound", nullable: true},
			{name: "coords_note", typ: "string", title: "Where the point comes from"},
			{name: "note", typ: "string", title: "Short facts"},
			{name: "sources", typ: "string", title: "Sources, | -separated, each with its date"},
		}},
	{id: "oblasts", title: "Oblasts", static: true,
		description: "Ukraine's 24 oblasts, Crimea, Kyiv and Sevastopol (ISO 3166-2:UA). © OpenStreetMap contributors (ODbL) via geoBoundaries (CC BY 4.0); simplified to 100 m.",
		features:    oblastFeatures, one: oblastFeature,
		props: []ogcProp{
			{name: "iso", typ: "string", title: "ISO 3166-2:UA code", queryable: true},
			{name: "name", typ: "string", title: "Name", queryable: true},
			{name: "area_km2", typ: "number", title: "Area, km² (equal-area)"},
			{name: "source", typ: "string", title: "Source"},
		}},
	{id: "control-areas", title: "Control areas", temporal: true,
		description: "Occupied (since 2022 and before 2022) and grey (contested) areas per control snapshot, with each area in km² (equal-area). `datetime` as an instant gives the snapshot in force on that date; as an interval, every snapshot in it; none, every snapshot. Source: DeepStateMap via the archives cited in each feature's source.",
		features:    controlFeatures, one: controlFeature,
		props: []ogcProp{
			{name: "date", typ: "string", title: "The snapshot's date"},
			{name: "status", typ: "string", title: "What the area is", queryable: true, enum: []string{geo.AreaOccupied, geo.AreaPre2022, geo.AreaGrey}},
			{name: "area_km2", typ: "number", title: "Area, km² (equal-area)"},
			{name: "grey_known", typ: "boolean", title: "Whether the snapshot's source has a grey zone", queryable: true},
			{name: "source", typ: "string", title: "Source"},
		}},
}

func findOGCCollection(id string) (*ogcCollection, error) {
	for i := range ogcCollections {
		if ogcCollections[i].id == id {
			return &ogcCollections[i], nil
		}
	}
	var ids []string
	for _, c := range ogcCollections {
		ids = append(ids, c.id)
	}
	return nil, nadra.Errorf(nadra.ENOTFOUND, "No collection %q; the collections are %s.", nadra.Truncate(id, 64), strings.Join(ids, ", "))
}

// prop returns a collection's property by name.
func (c *ogcCollection) prop(name string) (ogcProp, bool) {
	for _, p := range c.props {
		if p.name == name {
			return p, true
		}
	}
	return ogcProp{}, false
}

// propNames lists the collection's properties, for messages.
func (c *ogcCollection) propNames(queryable bool) string {
	var n []string
	for _, p := range c.props {
		if !queryable || p.queryable {
			n = append(n, p.name)
		}
	}
	return strings.Join(n, ", ")
}

// The items' own query parameters (Part 1, and sortby and properties).
var ogcItemsParams = []string{"f", "bbox", "datetime", "limit", "offset", "sortby", "properties"}

// ogcMaxLimit is the largest page: a larger limit is taken as this one,
// as Part 1 has it ("you might get up to 10000 (server-limited)").
const ogcMaxLimit = 1000

// ogcParams checks that a request to an OGC route names no query
// parameter the API does not define (Part 1, /req/core/query-param-unknown:
// a 400 naming it). Every OGC route accepts f and, for a client that
// repeats its connection URL's parameters on every request as GDAL does,
// the items' parameters (those of the collection in the path, or of any
// collection); only items applies them all, a feature its datetime and
// properties.
func ogcParams(r *http.Request, c *ogcCollection) error {
	if r.URL.RawQuery == "" {
		return nil
	}
	id := ""
	if c != nil {
		id = c.id
	}
	allowed := ogcAllowed()[id]
	var unknown []string
	for k := range r.URL.Query() {
		if !allowed[k] {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	sort.Strings(unknown)
	var known []string
	for k := range allowed {
		known = append(known, k)
	}
	sort.Strings(known)
	return nadra.Errorf(nadra.EINVALID, "%s: no such parameter here; the parameters are %s.", nadra.Truncate(unknown[0], 40), strings.Join(known, ", "))
}

// ogcAllowed is, by collection id ("" for any collection), the query
// parameters ogcParams lets through: made once, as every OGC request
// asks.
var ogcAllowed = sync.OnceValue(func() map[string]map[string]bool {
	out := map[string]map[string]bool{}
	for _, c := range append([]ogcCollection{{}}, ogcCollections...) {
		allowed := map[string]bool{}
		for _, p := range ogcItemsParams {
			allowed[p] = true
		}
		for _, col := range ogcCollections {
			if c.id != "" && col.id != c.id {
				continue
			}
			for _, p := range col.props {
				if p.queryable {
					allowed[p.name] = true
				}
			}
		}
		out[c.id] = allowed
	}
	return out
})

// ogcParamCheck is middleware for the OGC routes huma serves (landing,
// conformance, collections): unknown query parameters are a 400, as on
// items.
func (s *Server) ogcParamCheck(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == OGCPrefix || strings.HasPrefix(r.URL.Path, OGCPrefix+"/") {
			var c *ogcCollection
			rest := strings.TrimPrefix(r.URL.Path, OGCPrefix+"/collections/")
			if rest != r.URL.Path {
				id, _, _ := strings.Cut(rest, "/")
				c, _ = findOGCCollection(id)
			}
			if err := ogcParams(r, c); err != nil {
				s.Error(w, r, err)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// OGC inputs.
type (
	// OGCFormat is the f parameter every OGC route takes.
	OGCFormat struct {
		F string `query:"f" enum:"json,geojson" doc:"Response format; only JSON (GeoJSON for features) is offered."`
	}
	// OGCCollectionInput names a collection.
	OGCCollectionInput struct {
		OGCFormat
		CollectionID string `path:"collectionId" doc:"deposits, oblasts or control-areas; another is a 404." example:"deposits"`
	}
)

// OGC outputs.
type (
	OGCLandingOutput     struct{ Body *OGCLanding }
	OGCConformanceOutput struct{ Body *OGCConformance }
	OGCCollectionsOutput struct{ Body *OGCCollections }
	OGCCollectionOutput  struct{ Body *OGCCollection }
)

func (s *Server) registerOGCRoutes() {
	tags := []string{"OGC API - Features"}
	register(s, s.ogc, huma.Operation{OperationID: "getLandingPage", Method: http.MethodGet, Path: "/",
		Summary: "Landing page", Tags: tags}, s.handleOGCLanding)
	register(s, s.ogc, huma.Operation{OperationID: "getConformanceDeclaration", Method: http.MethodGet, Path: "/conformance",
		Summary: "Conformance classes", Tags: tags}, s.handleOGCConformance)
	register(s, s.ogc, huma.Operation{OperationID: "getCollections", Method: http.MethodGet, Path: "/collections",
		Summary: "Collections", Tags: tags}, s.handleOGCCollections)
	register(s, s.ogc, huma.Operation{OperationID: "describeCollection", Method: http.MethodGet, Path: "/collections/{collectionId}",
		Summary: "One collection", Tags: tags}, s.handleOGCCollection)
	// Items, a feature and the queryables are plain handlers, for the
	// response cache (compressed bytes and ETags); their operations are
	// written into the OpenAPI document by hand.
	s.handleOGC(s.ogcItemsOperation(tags), s.handleOGCItems)
	s.handleOGC(s.ogcItemOperation(tags), s.handleOGCItem)
	s.handleOGC(s.ogcQueryablesOperation(tags), s.handleOGCQueryables)
	s.handle("GET "+OGCPrefix+"/api", "ogc", s.handleOGCAPI)
	s.declarePassThrough()
}

// declarePassThrough declares, on every OGC operation, the items'
// parameters it does not use: accepted and ignored there, because a
// client may repeat its connection URL's parameters on every request
// (GDAL does), and a parameter the API definition does not declare is a
// 400 (ogcParams).
func (s *Server) declarePassThrough() {
	items := s.ogc.OpenAPI().Paths["/collections/{collectionId}/items"].Get
	for path, pi := range s.ogc.OpenAPI().Paths {
		op := pi.Get
		if op == nil || path == "/collections/{collectionId}/items" {
			continue
		}
		have := map[string]bool{}
		for _, p := range op.Parameters {
			have[p.Name] = true
		}
		for _, p := range items.Parameters {
			if p.In != "query" || have[p.Name] {
				continue
			}
			c := *p
			c.Description = "Accepted as on items, and ignored here (a client may repeat its connection URL's parameters on every request, as GDAL does)."
			op.Parameters = append(op.Parameters, &c)
		}
	}
}

// handleOGC mounts a plain handler for an OGC operation and adds the
// operation to the OGC OpenAPI document.
func (s *Server) handleOGC(op *huma.Operation, h http.HandlerFunc) {
	s.ogc.OpenAPI().AddOperation(op)
	pattern := OGCPrefix + op.Path
	s.routes = append(s.routes, Route{Method: op.Method, Path: pattern, API: "ogc"})
	s.mux.HandleFunc(op.Method+" "+pattern, h)
}

// ogcCommonParams are the parameters of the plain OGC operations.
func ogcCollectionParam() *huma.Param {
	return &huma.Param{Name: "collectionId", In: "path", Required: true, Description: "deposits, oblasts or control-areas; another is a 404.",
		Schema: &huma.Schema{Type: "string", Examples: []any{"deposits"}}}
}

func ogcFParam() *huma.Param {
	return &huma.Param{Name: "f", In: "query", Description: "Response format; only JSON (GeoJSON for features) is offered.",
		Schema: &huma.Schema{Type: "string", Enum: []any{"json", "geojson"}}}
}

// ogcQueryableParams are the queryables of every collection as query
// parameters (equality; a collection whose features lack one answers
// 400).
func ogcQueryableParams() []*huma.Param {
	seen := map[string]bool{}
	var out []*huma.Param
	for _, c := range ogcCollections {
		for _, p := range c.props {
			if !p.queryable || seen[p.name] {
				continue
			}
			seen[p.name] = true
			var in []string
			for _, c2 := range ogcCollections {
				if q, ok := c2.prop(p.name); ok && q.queryable {
					in = append(in, c2.id)
				}
			}
			out = append(out, &huma.Param{Name: p.name, In: "query", Schema: &huma.Schema{Type: "string"},
				Description: "Queryable of " + strings.Join(in, " and ") + ": only features whose " + p.name + " equals this (" + p.title + "). See /collections/{collectionId}/queryables."})
		}
	}
	return out
}

// ogcErrorResponses documents the errors of an OGC operation.
func (s *Server) ogcErrorResponses(codes ...string) map[string]*huma.Response {
	ref := s.ogc.OpenAPI().Components.Schemas.Schema(reflect.TypeOf(ErrorResponse{}), true, "")
	out := map[string]*huma.Response{}
	for _, c := range codes {
		d := map[string]string{"304": "Not modified: the If-None-Match header names the current ETag.",
			"400": "A query parameter is unknown or has a bad value; the message names it.",
			"404": "No such collection or feature."}[c]
		if c == "304" {
			out[c] = &huma.Response{Description: d}
			continue
		}
		out[c] = &huma.Response{Description: d, Content: map[string]*huma.MediaType{"application/json": {Schema: ref}}}
	}
	return out
}

func (s *Server) ogcItemsOperation(tags []string) *huma.Operation {
	reg := s.ogc.OpenAPI().Components.Schemas
	op := &huma.Operation{OperationID: "getFeatures", Method: http.MethodGet, Path: "/collections/{collectionId}/items",
		Summary: "Features of a collection", Tags: tags,
		Description: "Filtered by bbox, datetime and the collection's queryables (equality), sorted by sortby, with the properties chosen by properties, paged by limit and offset with next and prev links. Responses carry an ETag and are compressed with zstd or gzip when the client accepts it.",
		Parameters: append([]*huma.Param{ogcCollectionParam(), ogcFParam(),
			{Name: "bbox", In: "query", Description: "minLon,minLat,maxLon,maxLat (CRS84); features whose geometry's bounds intersect it.", Explode: new(bool), Style: "form",
				Schema: &huma.Schema{Type: "array", MinItems: new(4), MaxItems: new(6), Items: &huma.Schema{Type: "number"}}},
			{Name: "datetime", In: "query", Description: "RFC 3339 date or date-time, or an interval a/b with .. for an open end. deposits: the status on that date (an interval: its end); control-areas: the snapshot in force on that instant, or every snapshot in the interval.",
				Schema: &huma.Schema{Type: "string", Examples: []any{"2025-02-12"}}},
			{Name: "limit", In: "query", Description: "Features a page, 1 to 1000 (default 100); a larger limit is taken as 1000.",
				Schema: &huma.Schema{Type: "integer", Minimum: ptrf(1), Maximum: ptrf(ogcMaxLimit), Default: 100}},
			{Name: "offset", In: "query", Description: "Features to skip, 0 to 1,000,000.", Schema: &huma.Schema{Type: "integer", Minimum: ptrf(0), Maximum: ptrf(1_000_000), Default: 0}},
			{Name: "sortby", In: "query", Description: "Properties to sort by, comma-separated, each with - for descending (+ or nothing for ascending), such as -distance_km,name; unknown values (null) last. Default: the collection's order.",
				Schema: &huma.Schema{Type: "string", Examples: []any{"-in_situ_usd,name"}}},
			{Name: "properties", In: "query", Description: "The properties to include, comma-separated (the id and geometry always come); empty for none. Default: all.",
				Schema: &huma.Schema{Type: "string", Examples: []any{"name,status,distance_km"}}},
		}, ogcQueryableParams()...),
		Responses: s.ogcErrorResponses("304", "400", "404"),
	}
	op.Responses["200"] = &huma.Response{Description: "A page of features, as GeoJSON.", Headers: ogcCacheHeaders(),
		Content: map[string]*huma.MediaType{mediaGeoJSON: {Schema: reg.Schema(reflect.TypeOf(FeatureCollection{}), true, "")}}}
	return op
}

func (s *Server) ogcItemOperation(tags []string) *huma.Operation {
	reg := s.ogc.OpenAPI().Components.Schemas
	op := &huma.Operation{OperationID: "getFeature", Method: http.MethodGet, Path: "/collections/{collectionId}/items/{featureId}",
		Summary: "One feature", Tags: tags, Description: "Looked up directly, without building the others. Deposits: its status on datetime.",
		Parameters: []*huma.Param{ogcCollectionParam(),
			{Name: "featureId", In: "path", Required: true, Description: "A deposit's id, an oblast's ISO code, or a control area's DATE_STATUS such as 2025-02-01_occupied.",
				Schema: &huma.Schema{Type: "string", Examples: []any{"dobra"}}},
			ogcFParam(),
			{Name: "datetime", In: "query", Description: "For deposits: the date of the status.", Schema: &huma.Schema{Type: "string"}},
			{Name: "properties", In: "query", Description: "The properties to include, comma-separated.", Schema: &huma.Schema{Type: "string"}},
		},
		Responses: s.ogcErrorResponses("304", "400", "404"),
	}
	op.Responses["200"] = &huma.Response{Description: "The feature, as GeoJSON.", Headers: ogcCacheHeaders(),
		Content: map[string]*huma.MediaType{mediaGeoJSON: {Schema: reg.Schema(reflect.TypeOf(Feature{}), true, "")}}}
	return op
}

func (s *Server) ogcQueryablesOperation(tags []string) *huma.Operation {
	op := &huma.Operation{OperationID: "getQueryables", Method: http.MethodGet, Path: "/collections/{collectionId}/queryables",
		Summary: "Queryables of a collection", Tags: tags,
		Description: "The properties that items take as query parameters (equality), as a JSON Schema (OGC API - Features - Part 3).",
		Parameters:  []*huma.Param{ogcCollectionParam(), ogcFParam()},
		Responses:   s.ogcErrorResponses("304", "400", "404"),
	}
	op.Responses["200"] = &huma.Response{Description: "A JSON Schema of the queryable properties.", Headers: ogcCacheHeaders(),
		Content: map[string]*huma.MediaType{"application/schema+json": {Schema: &huma.Schema{Type: "object"}}}}
	return op
}

// ogcCacheHeaders documents the headers of a cached response.
func ogcCacheHeaders() map[string]*huma.Param {
	return map[string]*huma.Param{
		"ETag":             {Description: "The response's entity tag, for If-None-Match.", Schema: &huma.Schema{Type: "string"}},
		"Content-Encoding": {Description: "zstd or gzip when the request's Accept-Encoding allows it.", Schema: &huma.Schema{Type: "string"}},
	}
}

func ptrf(v float64) *float64 { return &v }

// baseURL is the scheme and host the client used, for absolute links:
// GDAL follows links as given.
func baseURL(ctx context.Context) string {
	return requestBase(requestFrom(ctx))
}

func requestBase(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// handleOGCLanding handles the "GET /ogc" route.
func (s *Server) handleOGCLanding(ctx context.Context, _ *OGCFormat) (*OGCLandingOutput, error) {
	b := baseURL(ctx) + OGCPrefix
	return &OGCLandingOutput{Body: &OGCLanding{
		Title:       "nadra: Ukraine's mineral deposits and the front line",
		Description: "Deposits with sourced coordinates and their control status over time, oblasts, and control areas per snapshot since 2022. Every row carries its source.",
		Links: []Link{
			{Href: b, Rel: "self", Type: "application/json", Title: "This document"},
			{Href: b + "/api", Rel: "service-desc", Type: "application/vnd.oai.openapi+json;version=3.0", Title: "The API definition"},
			{Href: baseURL(ctx) + "/api", Rel: "service-doc", Type: "text/html", Title: "The routes, for people (the dashboard's Data & API page)"},
			{Href: b + "/conformance", Rel: "conformance", Type: "application/json", Title: "Conformance classes"},
			{Href: b + "/collections", Rel: "data", Type: "application/json", Title: "Collections"},
		},
	}}, nil
}

// handleOGCConformance handles the "GET /ogc/conformance" route.
func (s *Server) handleOGCConformance(ctx context.Context, _ *OGCFormat) (*OGCConformanceOutput, error) {
	return &OGCConformanceOutput{Body: &OGCConformance{ConformsTo: ogcConformance}}, nil
}

// handleOGCAPI handles the "GET /ogc/api" route: the OpenAPI 3.0
// definition of /ogc, generated from the registered operations.
func (s *Server) handleOGCAPI(w http.ResponseWriter, r *http.Request) {
	if err := ogcParams(r, nil); err != nil {
		s.Error(w, r, err)
		return
	}
	b, err := s.ogc.OpenAPI().Downgrade()
	if err != nil {
		s.Error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/vnd.oai.openapi+json;version=3.0")
	w.Write(b)
}

// handleOGCCollections handles the "GET /ogc/collections" route.
func (s *Server) handleOGCCollections(ctx context.Context, _ *OGCFormat) (*OGCCollectionsOutput, error) {
	b := baseURL(ctx) + OGCPrefix
	out := &OGCCollections{Links: []Link{{Href: b + "/collections", Rel: "self", Type: "application/json"}}}
	for i := range ogcCollections {
		c, err := s.describeCollection(ctx, &ogcCollections[i])
		if err != nil {
			return nil, err
		}
		out.Collections = append(out.Collections, *c)
	}
	return &OGCCollectionsOutput{Body: out}, nil
}

// handleOGCCollection handles the "GET /ogc/collections/{collectionId}" route.
func (s *Server) handleOGCCollection(ctx context.Context, in *OGCCollectionInput) (*OGCCollectionOutput, error) {
	c, err := findOGCCollection(in.CollectionID)
	if err != nil {
		return nil, err
	}
	d, err := s.describeCollection(ctx, c)
	if err != nil {
		return nil, err
	}
	return &OGCCollectionOutput{Body: d}, nil
}

func (s *Server) describeCollection(ctx context.Context, c *ogcCollection) (*OGCCollection, error) {
	b := baseURL(ctx) + OGCPrefix + "/collections/" + c.id
	bound := s.Boundaries.Outline.Bound()
	d := &OGCCollection{
		ID: c.id, Title: c.title, Description: c.description, ItemType: "feature", CRS: []string{crs84},
		Links: []Link{
			{Href: b, Rel: "self", Type: "application/json", Title: "This collection"},
			{Href: b + "/items", Rel: "items", Type: mediaGeoJSON, Title: c.title},
			{Href: b + "/queryables", Rel: relQueryables, Type: "application/schema+json", Title: "The properties items can be filtered by"},
		},
		Extent: &OGCExtent{Spatial: &OGCSpatial{CRS: crs84, BBox: [][]float64{{round4(bound.Min[0]), round4(bound.Min[1]), round4(bound.Max[0]), round4(bound.Max[1])}}}},
	}
	if c.temporal {
		infos, err := s.Snapshots.FindSnapshots(ctx)
		if err != nil {
			return nil, err
		}
		if len(infos) > 0 {
			first, last := infos[0].Date+"T00:00:00Z", infos[len(infos)-1].Date+"T00:00:00Z"
			d.Extent.Temporal = &OGCTemporal{Interval: [][]*string{{&first, &last}}, TRS: "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"}
		}
	}
	return d, nil
}

// ogcTime is a parsed datetime: an instant (Start == End) or an interval;
// "" ends are open. Zero means none was given.
type ogcTime struct {
	Start, End string // YYYY-MM-DD
	Interval   bool
	Given      bool
}

// parseOGCTime parses datetime: a date or RFC 3339 date-time, or an
// interval "a/b" where either end may be ".." or empty.
func parseOGCTime(v string) (ogcTime, error) {
	if v == "" {
		return ogcTime{}, nil
	}
	bad := nadra.Errorf(nadra.EINVALID, "datetime: %q is not a date, date-time or interval; expected e.g. 2025-02-12, 2025-02-12T00:00:00Z or 2024-01-01/..", nadra.Truncate(v, 64))
	one := func(p string) (string, error) {
		if p == "" || p == ".." {
			return "", nil
		}
		if t, err := time.Parse(time.RFC3339, p); err == nil {
			return t.UTC().Format(nadra.DateLayout), nil
		}
		if _, err := time.Parse(nadra.DateLayout, p); err == nil {
			return p, nil
		}
		if pr := nadra.DateProblem(p); pr != "expected YYYY-MM-DD" {
			return "", nadra.Errorf(nadra.EINVALID, "datetime: %q is not a date: %s.", nadra.Truncate(p, 64), pr)
		}
		return "", bad
	}
	if a, b, ok := strings.Cut(v, "/"); ok {
		start, err := one(a)
		if err != nil {
			return ogcTime{}, err
		}
		end, err := one(b)
		if err != nil {
			return ogcTime{}, err
		}
		if start != "" && end != "" && start > end {
			return ogcTime{}, nadra.Errorf(nadra.EINVALID, "datetime: interval %q ends before it starts", nadra.Truncate(v, 64))
		}
		if (a == "" || a == "..") && (b == "" || b == "..") {
			return ogcTime{}, nadra.Errorf(nadra.EINVALID, "datetime: %q is open at both ends; give at least one date", v)
		}
		return ogcTime{Start: start, End: end, Interval: true, Given: true}, nil
	}
	d, err := one(v)
	if err != nil || d == "" {
		if err != nil {
			return ogcTime{}, err
		}
		return ogcTime{}, bad
	}
	return ogcTime{Start: d, End: d, Given: true}, nil
}

// ogcQuery is a parsed items or feature request.
type ogcQuery struct {
	c          *ogcCollection
	dt         ogcTime
	bbox       *orb.Bound
	limit      int
	offset     int
	sortby     []ogcSort
	properties []string // nil: all
	filters    map[string]string
}

type ogcSort struct {
	prop string
	desc bool
}

// parseOGCQuery reads and checks an items request's parameters: each bad
// one is a 400 naming it.
func parseOGCQuery(r *http.Request, c *ogcCollection, items bool) (*ogcQuery, error) {
	if err := ogcParams(r, c); err != nil {
		return nil, err
	}
	v := r.URL.Query()
	for k, vals := range v {
		for _, x := range vals[1:] {
			if x != vals[0] { // the same value twice is what GDAL sends; harmless
				return nil, nadra.Errorf(nadra.EINVALID, "%s: given %d times with different values; give it once.", k, len(vals))
			}
		}
	}
	q := &ogcQuery{c: c, limit: 100, filters: map[string]string{}}
	if f := v.Get("f"); f != "" && f != "json" && f != "geojson" {
		return nil, nadra.Errorf(nadra.EINVALID, "f: %q is not offered; expected json or geojson.", nadra.Truncate(f, 40))
	}
	var err error
	if q.dt, err = parseOGCTime(v.Get("datetime")); err != nil {
		return nil, err
	}
	if v.Has("properties") {
		q.properties = []string{}
		for _, p := range strings.Split(v.Get("properties"), ",") {
			if p = strings.TrimSpace(p); p == "" {
				continue
			}
			if _, ok := c.prop(p); !ok {
				return nil, nadra.Errorf(nadra.EINVALID, "properties: %s has no property %q; its properties are %s.", c.id, nadra.Truncate(p, 40), c.propNames(false))
			}
			q.properties = append(q.properties, p)
		}
	}
	if !items {
		return q, nil
	}
	if b := v.Get("bbox"); b != "" {
		bb, err := parseBBox("bbox", b)
		if err != nil {
			return nil, err
		}
		q.bbox = &bb
	}
	if l := v.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 {
			return nil, nadra.Errorf(nadra.EINVALID, "limit: %q is not a whole number from 1; larger than %d is taken as %d.", nadra.Truncate(l, 40), ogcMaxLimit, ogcMaxLimit)
		}
		q.limit = min(n, ogcMaxLimit)
	}
	if o := v.Get("offset"); o != "" {
		n, err := strconv.Atoi(o)
		if err != nil || n < 0 || n > 1_000_000 {
			return nil, nadra.Errorf(nadra.EINVALID, "offset: %q is not a whole number from 0 to 1000000.", nadra.Truncate(o, 40))
		}
		q.offset = n
	}
	if sb := v.Get("sortby"); sb != "" {
		for _, part := range strings.Split(sb, ",") {
			// "+" in a query string is a space once decoded: " name".
			part = strings.TrimSpace(part)
			srt := ogcSort{prop: strings.TrimPrefix(part, "+")}
			if strings.HasPrefix(part, "-") {
				srt = ogcSort{prop: part[1:], desc: true}
			}
			if _, ok := c.prop(srt.prop); !ok {
				return nil, nadra.Errorf(nadra.EINVALID, "sortby: %s has no property %q; its properties are %s.", c.id, nadra.Truncate(srt.prop, 40), c.propNames(false))
			}
			q.sortby = append(q.sortby, srt)
		}
	}
	for _, p := range c.props {
		if !p.queryable || !v.Has(p.name) {
			continue
		}
		val := v.Get(p.name)
		if p.typ == "boolean" && val != "true" && val != "false" {
			return nil, nadra.Errorf(nadra.EINVALID, "%s: %q is not true or false.", p.name, nadra.Truncate(val, 40))
		}
		if len(p.enum) > 0 && !contains(p.enum, val) {
			return nil, nadra.Errorf(nadra.EINVALID, "%s: %q is not one of %s.", p.name, nadra.Truncate(val, 40), strings.Join(p.enum, ", "))
		}
		q.filters[p.name] = val
	}
	return q, nil
}

// canonical is the query as a cache key: every parameter that changes
// the response, in a fixed order.
func (q *ogcQuery) canonical() string {
	var b strings.Builder
	b.WriteString(q.c.id + "|" + q.dt.Start + "/" + q.dt.End + "/" + strconv.FormatBool(q.dt.Interval) +
		"|" + strconv.Itoa(q.limit) + "|" + strconv.Itoa(q.offset))
	if q.bbox != nil {
		fmt.Fprintf(&b, "|bbox=%v", *q.bbox)
	}
	for _, s := range q.sortby {
		fmt.Fprintf(&b, "|sort=%s:%t", s.prop, s.desc)
	}
	if q.properties != nil {
		b.WriteString("|props=" + strings.Join(q.properties, ","))
	}
	keys := make([]string, 0, len(q.filters))
	for k := range q.filters {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		b.WriteString("|" + k + "=" + q.filters[k])
	}
	return b.String()
}

// dataKey is the version of the data a collection's responses rest on:
// the registry and the snapshot list (accessCache.state), or nothing for
// a static collection.
func (s *Server) dataKey(ctx context.Context, c *ogcCollection) (string, error) {
	if c.static {
		return "static", nil
	}
	_, _, key, err := s.access.state(ctx)
	return key, err
}

// handleOGCItems handles the "GET /ogc/collections/{collectionId}/items" route.
func (s *Server) handleOGCItems(w http.ResponseWriter, r *http.Request) {
	c, err := findOGCCollection(r.PathValue("collectionId"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	q, err := parseOGCQuery(r, c, true)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	ctx := r.Context()
	dk, err := s.dataKey(ctx, c)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	base := requestBase(r)
	s.serveCached(w, r, "ogc-items|"+base+"|"+dk+"|"+q.canonical(), mediaGeoJSON, func() ([]byte, error) {
		return s.ogcItems(context.WithoutCancel(ctx), base, q)
	})
}

// ogcItems builds a page of features.
func (s *Server) ogcItems(ctx context.Context, base string, q *ogcQuery) ([]byte, error) {
	c := q.c
	all, err := c.features(ctx, s, q.dt)
	if err != nil {
		return nil, err
	}
	matched := make([]ogcFeature, 0, len(all))
	for _, f := range all {
		if q.bbox != nil && (f.geom == nil || !q.bbox.Intersects(f.geom.Bound())) {
			continue
		}
		ok := true
		for k, want := range q.filters {
			if propString(f.props[k]) != want {
				ok = false
				break
			}
		}
		if ok {
			matched = append(matched, f)
		}
	}
	if len(q.sortby) > 0 {
		sort.SliceStable(matched, func(i, j int) bool {
			for _, sb := range q.sortby {
				if c := compareProps(matched[i].props[sb.prop], matched[j].props[sb.prop]); c != 0 {
					if isNull(matched[i].props[sb.prop]) || isNull(matched[j].props[sb.prop]) {
						return c < 0 // unknown last, either way
					}
					if sb.desc {
						return c > 0
					}
					return c < 0
				}
			}
			return false
		})
	}
	page := []ogcFeature{}
	if q.offset < len(matched) {
		page = matched[q.offset:min(len(matched), q.offset+q.limit)]
	}
	fc := &FeatureCollection{Type: "FeatureCollection", Features: make([]Feature, 0, len(page)),
		TimeStamp: time.Now().UTC().Format(time.RFC3339), NumberMatched: len(matched), NumberReturned: len(page)}
	for _, f := range page {
		fc.Features = append(fc.Features, encodeFeature(f, q.properties))
	}
	items := base + OGCPrefix + "/collections/" + c.id + "/items"
	link := func(offset int) string { return items + "?" + queryEncode(q.values(offset)) }
	fc.Links = []Link{
		{Href: link(q.offset), Rel: "self", Type: mediaGeoJSON, Title: "This page"},
		{Href: base + OGCPrefix + "/collections/" + c.id, Rel: "collection", Type: "application/json", Title: c.title},
	}
	if q.offset+q.limit < len(matched) {
		fc.Links = append(fc.Links, Link{Href: link(q.offset + q.limit), Rel: "next", Type: mediaGeoJSON, Title: "Next page"})
	}
	if q.offset > 0 {
		fc.Links = append(fc.Links, Link{Href: link(max(0, q.offset-q.limit)), Rel: "prev", Type: mediaGeoJSON, Title: "Previous page"})
	}
	return marshalJSON(fc)
}

// values is the query of a page's links: the request's parameters with
// another offset.
func (q *ogcQuery) values(offset int) url.Values {
	v := url.Values{}
	v.Set("limit", strconv.Itoa(q.limit))
	v.Set("offset", strconv.Itoa(offset))
	if q.bbox != nil {
		v.Set("bbox", fmt.Sprintf("%s,%s,%s,%s", ftoa(q.bbox.Min[0]), ftoa(q.bbox.Min[1]), ftoa(q.bbox.Max[0]), ftoa(q.bbox.Max[1])))
	}
	if q.dt.Given {
		switch {
		case !q.dt.Interval:
			v.Set("datetime", q.dt.Start)
		default:
			a, b := q.dt.Start, q.dt.End
			if a == "" {
				a = ".."
			}
			if b == "" {
				b = ".."
			}
			v.Set("datetime", a+"/"+b)
		}
	}
	var sb []string
	for _, s := range q.sortby {
		if s.desc {
			sb = append(sb, "-"+s.prop)
		} else {
			sb = append(sb, s.prop)
		}
	}
	if len(sb) > 0 {
		v.Set("sortby", strings.Join(sb, ","))
	}
	if q.properties != nil {
		v.Set("properties", strings.Join(q.properties, ","))
	}
	for k, val := range q.filters {
		v.Set(k, val)
	}
	return v
}

// queryEncode is url.Values.Encode, leaving the commas, slashes and
// colons a query may hold as they are (RFC 3986 allows them): links read
// as people write them (properties=name,status; datetime=a/b), and a
// client that appends its own copy of a parameter when the link lacks
// it, as GDAL does, finds it.
func queryEncode(v url.Values) string {
	return strings.NewReplacer("%2C", ",", "%2F", "/", "%3A", ":").Replace(v.Encode())
}

func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// propString is a property's value as a query parameter writes it.
func propString(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case *string:
		if x == nil {
			return ""
		}
		return *x
	case bool:
		return strconv.FormatBool(x)
	case nadra.Status:
		return string(x)
	}
	return fmt.Sprint(v)
}

func isNull(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case *float64:
		return x == nil
	case *string:
		return x == nil
	}
	return false
}

// compareProps orders two property values: numbers as numbers, the rest
// as text; null after everything.
func compareProps(a, b any) int {
	na, nb := isNull(a), isNull(b)
	switch {
	case na && nb:
		return 0
	case na:
		return 1
	case nb:
		return -1
	}
	fa, okA := number(a)
	fb, okB := number(b)
	if okA && okB {
		switch {
		case fa < fb:
			return -1
		case fa > fb:
			return 1
		}
		return 0
	}
	return strings.Compare(propString(a), propString(b))
}

func number(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case *float64:
		if x != nil {
			return *x, true
		}
	case int:
		return float64(x), true
	}
	return 0, false
}

// handleOGCItem handles the "GET /ogc/collections/{collectionId}/items/{featureId}" route.
func (s *Server) handleOGCItem(w http.ResponseWriter, r *http.Request) {
	c, err := findOGCCollection(r.PathValue("collectionId"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	q, err := parseOGCQuery(r, c, false)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	ctx := r.Context()
	dk, err := s.dataKey(ctx, c)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	id, base := r.PathValue("featureId"), requestBase(r)
	s.serveCached(w, r, "ogc-item|"+base+"|"+dk+"|"+id+"|"+q.canonical(), mediaGeoJSON, func() ([]byte, error) {
		f, err := c.one(context.WithoutCancel(ctx), s, id, q.dt)
		if err != nil {
			return nil, err
		}
		if f == nil {
			return nil, nadra.Errorf(nadra.ENOTFOUND, "No feature %q in %s.", nadra.Truncate(id, 64), c.id)
		}
		feat := encodeFeature(*f, q.properties)
		b := base + OGCPrefix + "/collections/" + c.id
		feat.Links = []Link{
			{Href: b + "/items/" + url.PathEscape(f.id), Rel: "self", Type: mediaGeoJSON},
			{Href: b, Rel: "collection", Type: "application/json", Title: c.title},
		}
		return marshalJSON(feat)
	})
}

// handleOGCQueryables handles the "GET /ogc/collections/{collectionId}/queryables"
// route: the queryable properties as a JSON Schema (Part 3).
func (s *Server) handleOGCQueryables(w http.ResponseWriter, r *http.Request) {
	c, err := findOGCCollection(r.PathValue("collectionId"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	if err := ogcParams(r, c); err != nil {
		s.Error(w, r, err)
		return
	}
	base := requestBase(r)
	s.serveCached(w, r, "ogc-queryables|"+base+"|"+c.id, "application/schema+json", func() ([]byte, error) {
		props := map[string]any{}
		for _, p := range c.props {
			if !p.queryable {
				continue
			}
			sch := map[string]any{"title": p.title, "type": p.typ}
			if len(p.enum) > 0 {
				sch["enum"] = p.enum
			}
			props[p.name] = sch
		}
		return marshalJSON(map[string]any{
			"$schema":              "https://json-schema.org/draft/2020-12/schema",
			"$id":                  base + OGCPrefix + "/collections/" + c.id + "/queryables",
			"type":                 "object",
			"title":                c.title,
			"description":          "The properties of " + c.id + " that items take as query parameters, by equality: ?name=value.",
			"properties":           props,
			"additionalProperties": false,
		})
	})
}

// marshalJSON encodes v as the API does: no HTML escaping, a final
// newline.
func marshalJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// encodeFeature encodes a feature's geometry, with only the properties
// named in props (nil: all).
func encodeFeature(f ogcFeature, props []string) Feature {
	p := f.props
	if props != nil {
		p = make(map[string]any, len(props))
		for _, k := range props {
			p[k] = f.props[k]
		}
	}
	out := Feature{Type: "Feature", ID: f.id, Properties: p, Geometry: json.RawMessage("null")}
	switch g := f.geom.(type) {
	case orb.Point:
		out.Geometry = json.RawMessage(`{"type":"Point","coordinates":` + geo.CoordinatesJSON(g) + `}`)
	case orb.MultiPolygon:
		out.Geometry = json.RawMessage(`{"type":"MultiPolygon","coordinates":` + geo.CoordinatesJSON(g) + `}`)
	}
	return out
}

func depositFeatures(ctx context.Context, s *Server, dt ogcTime) ([]ogcFeature, error) {
	v, err := s.accessAt(ctx, dt.End)
	if err != nil {
		if v, err = s.noControlView(ctx, dt.End, err); err != nil {
			return nil, err
		}
	}
	byID := accessByID(v.Report)
	out := make([]ogcFeature, 0, len(v.Registry.Deposits))
	for _, d := range v.Registry.Deposits {
		out = append(out, depositOGC(v, d, byID[d.ID]))
	}
	return out, nil
}

// depositFeature looks up one deposit, and its status, directly.
func depositFeature(ctx context.Context, s *Server, id string, dt ogcTime) (*ogcFeature, error) {
	v, err := s.accessAt(ctx, dt.End)
	if err != nil {
		if v, err = s.noControlView(ctx, dt.End, err); err != nil {
			return nil, err
		}
	}
	for _, d := range v.Registry.Deposits {
		if d.ID != id {
			continue
		}
		for i := range v.Report.Deposits {
			if v.Report.Deposits[i].ID == id {
				f := depositOGC(v, d, &v.Report.Deposits[i])
				return &f, nil
			}
		}
		f := depositOGC(v, d, nil)
		return &f, nil
	}
	return nil, nil
}

// depositOGC is a deposit as a feature, with its status in v.
func depositOGC(v *accessView, d *nadra.Deposit, a *nadra.DepositAccess) ogcFeature {
	if a == nil {
		a = &nadra.DepositAccess{Status: nadra.StatusUnknown}
	}
	f := ogcFeature{id: d.ID, props: map[string]any{
		"name": d.Name, "name_uk": d.NameUK, "oblast": d.Oblast, "oblast_name": nadra.Oblasts[d.Oblast],
		"precision_km": d.PrecisionKm, "commodities": strings.Join(d.Commodities, ";"), "stage": string(d.Stage),
		"date": v.Date, "snapshot": v.Info.Date, "status": string(a.Status), "since": a.Since,
		"distance_km": a.DistanceKm, "uncertain": a.Uncertain, "in_situ_usd": a.InSituUSD,
		"coords_note": d.CoordsNote, "note": d.Note, "sources": strings.Join(d.Sources, " | "),
	}}
	if d.HasLocation() {
		f.geom = orb.Point{*d.Lon, *d.Lat}
	}
	return f
}

var (
	oblastOnce  sync.Once
	oblastFeats []ogcFeature
	oblastByID  map[string]int
)

func oblastFeatures(_ context.Context, s *Server, _ ogcTime) ([]ogcFeature, error) {
	oblastOnce.Do(func() {
		var codes []string
		for code := range s.Boundaries.Oblasts {
			codes = append(codes, code)
		}
		sort.Strings(codes)
		oblastByID = map[string]int{}
		for i, code := range codes {
			mp := s.Boundaries.Oblasts[code]
			oblastFeats = append(oblastFeats, ogcFeature{id: code, geom: mp, props: map[string]any{
				"iso": code, "name": nadra.Oblasts[code], "area_km2": round1(geo.Ukraine.AreaKm2(mp)),
				"source": "geoBoundaries gbOpen UKR ADM1, © OpenStreetMap contributors (ODbL)",
			}})
			oblastByID[code] = i
		}
	})
	return oblastFeats, nil
}

func oblastFeature(ctx context.Context, s *Server, id string, dt ogcTime) (*ogcFeature, error) {
	all, _ := oblastFeatures(ctx, s, dt)
	if i, ok := oblastByID[id]; ok {
		return &all[i], nil
	}
	return nil, nil
}

func controlFeatures(ctx context.Context, s *Server, dt ogcTime) ([]ogcFeature, error) {
	_, infos, err := s.resolveSnapshot(ctx, "")
	if err != nil {
		return nil, err
	}
	var dates []nadra.SnapshotInfo
	switch {
	case !dt.Given:
		dates = infos
	case !dt.Interval:
		info, _, err := s.resolveSnapshot(ctx, dt.End)
		if err != nil {
			return nil, err
		}
		dates = []nadra.SnapshotInfo{info}
	default:
		for _, i := range infos {
			if (dt.Start == "" || i.Date >= dt.Start) && (dt.End == "" || i.Date <= dt.End) {
				dates = append(dates, i)
			}
		}
	}
	var out []ogcFeature
	for _, info := range dates {
		snap, err := s.snapshot(ctx, info)
		if err != nil {
			return nil, err
		}
		out = append(out, controlLayers(snap)...)
	}
	return out, nil
}

// controlLayers are a snapshot's areas as features, one per status it has.
func controlLayers(snap *nadra.Snapshot) []ogcFeature {
	var out []ogcFeature
	for _, l := range []struct {
		status string
		mp     orb.MultiPolygon
	}{{geo.AreaOccupied, snap.Occupied}, {geo.AreaPre2022, snap.Pre2022}, {geo.AreaGrey, snap.Grey}} {
		if len(l.mp) == 0 {
			continue
		}
		out = append(out, ogcFeature{id: snap.Date + "_" + l.status, geom: l.mp, props: map[string]any{
			"date": snap.Date, "status": l.status, "area_km2": round1(geo.Ukraine.AreaKm2(l.mp)),
			"grey_known": snap.GreyKnown, "source": snap.Source,
		}})
	}
	return out
}

// controlFeature looks up one control area, DATE_STATUS: the snapshot of
// exactly that date.
func controlFeature(ctx context.Context, s *Server, id string, _ ogcTime) (*ogcFeature, error) {
	date, _, _ := strings.Cut(id, "_")
	_, infos, err := s.resolveSnapshot(ctx, "")
	if err != nil {
		return nil, err
	}
	for _, info := range infos {
		if info.Date != date {
			continue
		}
		snap, err := s.snapshot(ctx, info)
		if err != nil {
			return nil, err
		}
		for _, f := range controlLayers(snap) {
			if f.id == id {
				return &f, nil
			}
		}
	}
	return nil, nadra.Errorf(nadra.ENOTFOUND, "No feature %q in control-areas; ids are DATE_STATUS such as %s_occupied, DATE a snapshot's date.", nadra.Truncate(id, 64), infos[len(infos)-1].Date)
}

func round1(v float64) float64 { return float64(int64(v*10+0.5)) / 10 }
func round4(v float64) float64 {
	f, _ := strconv.ParseFloat(fmt.Sprintf("%.4f", v), 64)
	return f
}
