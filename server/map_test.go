package server_test

import (
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"testing"
	"time"
)

// TestMapSVG checks the map at every snapshot: well-formed, small enough to
// fetch on each slider move, and quick to draw once warm.
func TestMapSVG(t *testing.T) {
	s := MustOpenServer(t, nil)
	var snaps struct{ Snapshots []struct{ Date string } }
	s.Get(t, "/api/v1/snapshots").JSON(t, &snaps)
	largest, slowest := 0, time.Duration(0)
	prev := ""
	for i, sn := range snaps.Snapshots {
		if i%6 != 0 && i != len(snaps.Snapshots)-1 {
			continue // every sixth: each new snapshot costs an overlay
		}
		r := s.Get(t, "/map.svg?date="+sn.Date) // builds the snapshot's classifier
		if r.Status != 200 || r.Header.Get("Content-Type") != "image/svg+xml" {
			t.Fatalf("%s: %d %s", sn.Date, r.Status, r.Body)
		}
		dec := xml.NewDecoder(bytes.NewReader(r.Body))
		for {
			if _, err := dec.Token(); err == io.EOF {
				break
			} else if err != nil {
				t.Fatalf("%s: not well-formed XML: %v", sn.Date, err)
			}
		}
		if !bytes.Contains(r.Body, []byte(`data-snapshot="`+sn.Date+`"`)) {
			t.Fatalf("%s: wrong snapshot", sn.Date)
		}
		occ := occupiedPath(r.Body)
		if sn.Date == "2022-02-23" {
			// The line of the eve of the invasion: nothing occupied since
			// 2022, only the areas occupied before.
			if occ != "" || classPath(r.Body, "occupied-pre2022") == "" {
				t.Fatalf("%s: want an empty occupied layer and the pre-2022 areas", sn.Date)
			}
			continue
		}
		if occ == "" || occ == prev {
			t.Fatalf("%s: occupied area missing or unchanged", sn.Date)
		}
		prev = occ
		largest = max(largest, len(r.Body))
		start := time.Now()
		s.Get(t, "/map.svg?date="+sn.Date+"&commodity=lithium")
		slowest = max(slowest, time.Since(start))
	}
	t.Logf("largest map %d bytes; slowest warm request %v (loopback round trip included)", largest, slowest)
	if largest > 300_000 {
		t.Errorf("largest map is %d bytes, want under 300 KB", largest)
	}
	if slowest > 500*time.Millisecond { // a generous bound: the suite shares two cores; typically ~5 ms
		t.Errorf("slowest warm map request %v", slowest)
	}
	r := s.Get(t, "/map.svg?date=2025-02-12&download=1")
	if cd := r.Header.Get("Content-Disposition"); !strings.Contains(cd, "nadra-map-2025-02-12.svg") {
		t.Fatalf("Content-Disposition %q", cd)
	}
	s.Get(t, "/map.svg?commodity=unobtainium").Err(t, 400, "invalid", "commodity")
}

func occupiedPath(svg []byte) string { return classPath(svg, "occupied") }

func classPath(svg []byte, class string) string {
	i := bytes.Index(svg, []byte(`class="`+class+`"`))
	if i < 0 {
		return ""
	}
	rest := svg[i:]
	j := bytes.Index(rest, []byte(` d="`))
	k := bytes.IndexByte(rest[j+4:], '"')
	return string(rest[j+4 : j+4+k])
}
