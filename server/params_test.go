package server_test

import (
	"bytes"
	"net/http"
	"testing"
)

// TestServer_BadNumbers checks that non-finite and absurd numbers are
// refused with a 400 naming the parameter, on every route that takes
// numbers (issue 9: add=UA:1e308,CN:1e308 gave 200 "error marshaling
// response", bbox=NaN,NaN,NaN,NaN gave 200).
func TestServer_BadNumbers(t *testing.T) {
	s := MustOpenServer(t, nil)
	for _, tt := range []struct{ path, want string }{
		{"/api/v1/supply/lithium?add=UA:1e308,CN:1e308", "add: "},
		{"/api/v1/supply/lithium?add=UA:1e308&add=CN:1e308", "100 times world production"},
		{"/api/v1/supply/lithium?add=UA:3e7", "100 times world production"},
		{"/api/v1/supply/lithium?add=UA:NaN", "add: "},
		{"/api/v1/supply/lithium?add=UA:-Inf", "add: "},
		{"/api/v1/supply/lithium?recovery=NaN", "recovery"},
		{"/api/v1/supply/lithium?recovery=Inf", "recovery"},
		{"/api/v1/supply/lithium?year=99999999999", "year"},
		{"/api/v1/supply?year=100000", "year"},
		{"/api/v1/deposits?bbox=NaN,NaN,NaN,NaN", "bbox: \"NaN\""},
		{"/api/v1/deposits?bbox=-Inf,-90,Inf,90", "bbox"},
		{"/api/v1/deposits?bbox=0x1p5,47,38,48", "bbox: \"0x1p5\""},
		{"/api/v1/deposits?bbox=36,47,38,1e999", "bbox"},
		{"/api/v1/deposits?bbox=38,47,36,48", "minLon ≤ maxLon"},
		{"/api/v1/deposits?bbox=36,47,38,91", "bbox"},
		{"/api/v1/deposits?bbox=36,47,NaN,38,48,NaN", "bbox"},
		{"/api/v1/deposits?offset=9223372036854775807", "offset"},
		{"/api/v1/deposits?offset=1e3", "offset"},
		{"/ogc/collections/deposits/items?bbox=NaN,NaN,NaN,NaN", "bbox"},
		{"/ogc/collections/control-areas/items?bbox=30,40,20,50", "bbox"},
		{"/ogc/collections/deposits/items?offset=9223372036854775807", "offset"},
		{"/ogc/collections/deposits/items?limit=0", "limit"},
		{"/ogc/collections/deposits/items?datetime=2025-02-30", "datetime"},
		{"/deal/results?discount=NaN", "discount"},
		{"/deal/results?aid_usd_per_year=1e300", "aid_usd_per_year"},
	} {
		t.Run(tt.path, func(t *testing.T) {
			s.Get(t, tt.path).Err(t, http.StatusBadRequest, "invalid", tt.want)
		})
	}
	// The same limit on the supply page, which shows the error at its form.
	r := s.Get(t, "/supply?commodity=lithium&add_country=UA&add_qty=1e308")
	if r.Status != http.StatusBadRequest || !bytes.Contains(r.Body, []byte("100 times world production")) {
		t.Fatalf("supply page: %d", r.Status)
	}
	// In range, the numbers still work.
	if r := s.Get(t, "/api/v1/deposits?bbox=36,47,38,48.5"); r.Status != 200 {
		t.Fatalf("bbox in range: %d %s", r.Status, r.Body)
	}
	if r := s.Get(t, "/api/v1/supply/lithium?add=UA:4e4"); r.Status != 200 {
		t.Fatalf("add=UA:4e4: %d %s", r.Status, r.Body)
	}
}
