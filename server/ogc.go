package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
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
}

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
	// features returns every feature matching datetime, in order, with
	// geometry still to be encoded.
	features func(ctx context.Context, s *Server, dt ogcTime) ([]ogcFeature, error)
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
		features:    depositFeatures},
	{id: "oblasts", title: "Oblasts",
		description: "Ukraine's 24 oblasts, Crimea, Kyiv and Sevastopol (ISO 3166-2:UA). © OpenStreetMap contributors (ODbL) via geoBoundaries (CC BY 4.0); simplified to 100 m.",
		features:    oblastFeatures},
	{id: "control-areas", title: "Control areas", temporal: true,
		description: "Occupied (since 2022 and before 2022) and grey (contested) areas per control snapshot, with each area in km² (equal-area). `datetime` as an instant gives the snapshot in force on that date; as an interval, every snapshot in it; none, every snapshot. Source: DeepStateMap via the archives cited in each feature's source.",
		features:    controlFeatures},
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
	return nil, nadra.Errorf(nadra.ENOTFOUND, "No collection %q; the collections are %s.", id, strings.Join(ids, ", "))
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
		CollectionID string `path:"collectionId" enum:"deposits,oblasts,control-areas"`
	}
	// OGCItemsInput is a query for features.
	OGCItemsInput struct {
		OGCCollectionInput
		BBox     string `query:"bbox" doc:"minLon,minLat,maxLon,maxLat (CRS84)." example:"36,47,38,48.5"`
		Datetime string `query:"datetime" doc:"RFC 3339 date or date-time, or an interval a/b with .. for an open end." example:"2025-02-12"`
		Limit    int    `query:"limit" default:"100" minimum:"1" maximum:"1000"`
		Offset   int    `query:"offset" default:"0" minimum:"0" maximum:"1000000"`
	}
	// OGCItemInput names one feature.
	OGCItemInput struct {
		OGCCollectionInput
		FeatureID string `path:"featureId"`
		Datetime  string `query:"datetime" doc:"For deposits: the date of the status."`
	}
)

// OGC outputs.
type (
	OGCLandingOutput     struct{ Body *OGCLanding }
	OGCConformanceOutput struct{ Body *OGCConformance }
	OGCCollectionsOutput struct{ Body *OGCCollections }
	OGCCollectionOutput  struct{ Body *OGCCollection }
	OGCItemsOutput       struct{ Body *FeatureCollection }
	OGCItemOutput        struct{ Body *Feature }
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
	register(s, s.ogc, huma.Operation{OperationID: "getFeatures", Method: http.MethodGet, Path: "/collections/{collectionId}/items",
		Summary: "Features of a collection", Description: "Filtered by bbox and datetime, paged by limit and offset with next and prev links.", Tags: tags}, s.handleOGCItems)
	register(s, s.ogc, huma.Operation{OperationID: "getFeature", Method: http.MethodGet, Path: "/collections/{collectionId}/items/{featureId}",
		Summary: "One feature", Tags: tags}, s.handleOGCItem)
	s.handle("GET "+OGCPrefix+"/api", "ogc", s.handleOGCAPI)
}

// baseURL is the scheme and host the client used, for absolute links:
// GDAL follows links as given.
func baseURL(ctx context.Context) string {
	r := requestFrom(ctx)
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
		Description: "Deposits with sourced coordinates and their control status over time, oblasts, and control areas per snapshot since April 2022. Every row carries its source.",
		Links: []Link{
			{Href: b, Rel: "self", Type: "application/json", Title: "This document"},
			{Href: b + "/api", Rel: "service-desc", Type: "application/vnd.oai.openapi+json;version=3.0", Title: "The API definition"},
			{Href: baseURL(ctx) + "/", Rel: "service-doc", Type: "text/html", Title: "The nadra dashboard"},
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
	bad := nadra.Errorf(nadra.EINVALID, "datetime: %q is not a date, date-time or interval; expected e.g. 2025-02-12, 2025-02-12T00:00:00Z or 2024-01-01/..", v)
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
			return ogcTime{}, nadra.Errorf(nadra.EINVALID, "datetime: interval %q ends before it starts", v)
		}
		return ogcTime{Start: start, End: end, Interval: true, Given: true}, nil
	}
	d, err := one(v)
	if err != nil || d == "" {
		return ogcTime{}, bad
	}
	return ogcTime{Start: d, End: d, Given: true}, nil
}

// handleOGCItems handles the "GET /ogc/collections/{collectionId}/items" route.
func (s *Server) handleOGCItems(ctx context.Context, in *OGCItemsInput) (*OGCItemsOutput, error) {
	c, err := findOGCCollection(in.CollectionID)
	if err != nil {
		return nil, err
	}
	dt, err := parseOGCTime(in.Datetime)
	if err != nil {
		return nil, err
	}
	var bbox *orb.Bound
	if in.BBox != "" {
		b, err := parseBBox("bbox", in.BBox)
		if err != nil {
			return nil, err
		}
		bbox = &b
	}
	all, err := c.features(ctx, s, dt)
	if err != nil {
		return nil, err
	}
	var matched []ogcFeature
	for _, f := range all {
		if bbox != nil && (f.geom == nil || !bbox.Intersects(f.geom.Bound())) {
			continue
		}
		matched = append(matched, f)
	}
	page := []ogcFeature{}
	if in.Offset < len(matched) {
		page = matched[in.Offset:min(len(matched), in.Offset+in.Limit)]
	}
	fc := &FeatureCollection{Type: "FeatureCollection", Features: make([]Feature, 0, len(page)),
		TimeStamp: time.Now().UTC().Format(time.RFC3339), NumberMatched: len(matched), NumberReturned: len(page)}
	for _, f := range page {
		fc.Features = append(fc.Features, encodeFeature(f))
	}
	base := baseURL(ctx) + OGCPrefix + "/collections/" + c.id + "/items"
	link := func(offset int) string {
		q := url.Values{}
		q.Set("limit", strconv.Itoa(in.Limit))
		q.Set("offset", strconv.Itoa(offset))
		if in.BBox != "" {
			q.Set("bbox", in.BBox)
		}
		if in.Datetime != "" {
			q.Set("datetime", in.Datetime)
		}
		return base + "?" + q.Encode()
	}
	fc.Links = []Link{
		{Href: link(in.Offset), Rel: "self", Type: mediaGeoJSON, Title: "This page"},
		{Href: baseURL(ctx) + OGCPrefix + "/collections/" + c.id, Rel: "collection", Type: "application/json", Title: c.title},
	}
	if in.Offset+in.Limit < len(matched) {
		fc.Links = append(fc.Links, Link{Href: link(in.Offset + in.Limit), Rel: "next", Type: mediaGeoJSON, Title: "Next page"})
	}
	if in.Offset > 0 {
		fc.Links = append(fc.Links, Link{Href: link(max(0, in.Offset-in.Limit)), Rel: "prev", Type: mediaGeoJSON, Title: "Previous page"})
	}
	return &OGCItemsOutput{Body: fc}, nil
}

// handleOGCItem handles the "GET /ogc/collections/{collectionId}/items/{featureId}" route.
func (s *Server) handleOGCItem(ctx context.Context, in *OGCItemInput) (*OGCItemOutput, error) {
	c, err := findOGCCollection(in.CollectionID)
	if err != nil {
		return nil, err
	}
	dt, err := parseOGCTime(in.Datetime)
	if err != nil {
		return nil, err
	}
	if c.id == "control-areas" {
		// The id names the snapshot: DATE_STATUS.
		date, _, _ := strings.Cut(in.FeatureID, "_")
		if _, err := nadra.ParseDate(date); err != nil {
			return nil, nadra.Errorf(nadra.ENOTFOUND, "No feature %q in control-areas; ids are DATE_STATUS such as 2025-02-01_occupied.", in.FeatureID)
		}
		dt = ogcTime{Start: date, End: date, Interval: true, Given: true}
	}
	all, err := c.features(ctx, s, dt)
	if err != nil {
		return nil, err
	}
	for _, f := range all {
		if f.id == in.FeatureID {
			feat := encodeFeature(f)
			b := baseURL(ctx) + OGCPrefix + "/collections/" + c.id
			feat.Links = []Link{
				{Href: b + "/items/" + url.PathEscape(f.id), Rel: "self", Type: mediaGeoJSON},
				{Href: b, Rel: "collection", Type: "application/json", Title: c.title},
			}
			return &OGCItemOutput{Body: &feat}, nil
		}
	}
	return nil, nadra.Errorf(nadra.ENOTFOUND, "No feature %q in %s.", in.FeatureID, c.id)
}

func encodeFeature(f ogcFeature) Feature {
	out := Feature{Type: "Feature", ID: f.id, Properties: f.props, Geometry: json.RawMessage("null")}
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
		return nil, err
	}
	byID := accessByID(v.Report)
	out := make([]ogcFeature, 0, len(v.Registry.Deposits))
	for _, d := range v.Registry.Deposits {
		a := byID[d.ID]
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
		out = append(out, f)
	}
	return out, nil
}

var (
	oblastOnce  sync.Once
	oblastFeats []ogcFeature
)

func oblastFeatures(_ context.Context, s *Server, _ ogcTime) ([]ogcFeature, error) {
	oblastOnce.Do(func() {
		var codes []string
		for code := range s.Boundaries.Oblasts {
			codes = append(codes, code)
		}
		sort.Strings(codes)
		for _, code := range codes {
			mp := s.Boundaries.Oblasts[code]
			oblastFeats = append(oblastFeats, ogcFeature{id: code, geom: mp, props: map[string]any{
				"iso": code, "name": nadra.Oblasts[code], "area_km2": round1(geo.Ukraine.AreaKm2(mp)),
				"source": "geoBoundaries gbOpen UKR ADM1, © OpenStreetMap contributors (ODbL)",
			}})
		}
	})
	return oblastFeats, nil
}

func controlFeatures(ctx context.Context, s *Server, dt ogcTime) ([]ogcFeature, error) {
	infos, err := s.Snapshots.FindSnapshots(ctx)
	if err != nil {
		return nil, err
	}
	var dates []string
	switch {
	case !dt.Given:
		for _, i := range infos {
			dates = append(dates, i.Date)
		}
	case !dt.Interval:
		info, _, err := s.resolveSnapshot(ctx, dt.End)
		if err != nil {
			return nil, err
		}
		dates = []string{info.Date}
	default:
		for _, i := range infos {
			if (dt.Start == "" || i.Date >= dt.Start) && (dt.End == "" || i.Date <= dt.End) {
				dates = append(dates, i.Date)
			}
		}
	}
	var out []ogcFeature
	for _, date := range dates {
		snap, err := s.Snapshots.FindSnapshotAt(ctx, date)
		if err != nil {
			return nil, err
		}
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
	}
	return out, nil
}

func round1(v float64) float64 { return float64(int64(v*10+0.5)) / 10 }
func round4(v float64) float64 {
	f, _ := strconv.ParseFloat(fmt.Sprintf("%.4f", v), 64)
	return f
}
