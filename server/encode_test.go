package server_test

import (
	"bytes"
	"context"
	"math"
	"net/http"
	"strings"
	"testing"

	"nadra"
	"nadra/mock"
	"nadra/server"
)

// TestServer_NonFiniteOutput checks that a response body that cannot be
// encoded as JSON (a NaN from a service) is a JSON 500 logged with the
// detail, never a 200 with "error marshaling response" (issue 9), for
// application/json and application/geo+json routes alike.
func TestServer_NonFiniteOutput(t *testing.T) {
	s := MustOpenServer(t, func(s *server.Server) {
		real := s.Commodities
		s.Commodities = &mock.CommodityService{FindCommoditiesFn: func(ctx context.Context) ([]*nadra.Commodity, error) {
			cs, err := real.FindCommodities(ctx)
			for _, c := range cs {
				if c.PriceUSDPerT != nil {
					nan := math.NaN()
					c.PriceUSDPerT = &nan
				}
			}
			return cs, err
		}}
	})
	for _, path := range []string{
		"/api/v1/commodities",                        // the service's value as is
		"/api/v1/access",                             // in-situ values computed from it
		"/ogc/collections/deposits/items?limit=1000", // GeoJSON
	} {
		t.Run(path, func(t *testing.T) {
			r := s.Get(t, path)
			r.Err(t, http.StatusInternalServerError, "internal", "Internal error.")
			if bytes.Contains(r.Body, []byte("marshal")) || bytes.Contains(r.Body, []byte("NaN")) {
				t.Fatalf("body %q", r.Body)
			}
		})
	}
	log := s.Log.String()
	if !strings.Contains(log, "cannot encode response") || !strings.Contains(log, "NaN") || !strings.Contains(log, "path=/api/v1/commodities") {
		t.Fatalf("log lacks the detail:\n%s", log)
	}
	// Routes that do not touch prices still answer.
	if r := s.Get(t, "/api/v1/snapshots"); r.Status != 200 {
		t.Fatalf("snapshots: %d %s", r.Status, r.Body)
	}
}
