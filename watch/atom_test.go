package watch_test

import (
	"bytes"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"nadra"
	"nadra/watch"
)

// testFeed has two events, one with characters XML must escape.
func testFeed() watch.Feed {
	at := time.Date(2026, 9, 2, 6, 0, 0, 0, time.UTC)
	return watch.Feed{ID: watch.FeedID("00112233445566778899aabbccddeeff"), Title: "nadra watch events",
		Self: "http://127.0.0.1:8080/feed.atom", Alternate: "http://127.0.0.1:8080/map", Base: "http://127.0.0.1:8080",
		Updated: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Generator: "test",
		Events: []nadra.WatchEvent{
			{ID: 2, WatchID: 1, Kind: nadra.EventWithin, DepositID: "dobra", Name: "Dobra <&> \"x\"", Date: "2026-09-01", Prev: "2026-08-22",
				Status: nadra.StatusControlled, DistanceKm: 8, PrevDistanceKm: 30, Threshold: f(10), Message: "The front is 8 km from Dobra <&>.", CreatedAt: at},
			{ID: 1, WatchID: 2, Kind: nadra.EventStatus, DepositID: "shev", Name: "Shevchenkivske", Date: "2025-07-01", Prev: "2025-06-01",
				Status: nadra.StatusOccupied, PrevStatus: nadra.StatusControlled, Message: "Shevchenkivske: controlled → occupied.", CreatedAt: at.Add(-time.Hour)},
		}}
}

// TestWriteAtom_RequiredElements parses the feed back and checks what
// RFC 4287 requires: on the feed, one id, title and updated, an author
// (section 4.1.1: required unless every entry has one) and a self link
// (recommended, 4.1.1); on each entry, one id, title and updated, and an
// alternate link or content (4.1.2); ids that are IRIs and unique;
// dates in RFC 3339 (3.3).
func TestWriteAtom_RequiredElements(t *testing.T) {
	var buf bytes.Buffer
	if err := watch.WriteAtom(&buf, testFeed()); err != nil {
		t.Fatal(err)
	}
	type link struct {
		Href string `xml:"href,attr"`
		Rel  string `xml:"rel,attr"`
	}
	type entry struct {
		ID      []string `xml:"id"`
		Title   []string `xml:"title"`
		Updated []string `xml:"updated"`
		Links   []link   `xml:"link"`
		Content []string `xml:"content"`
	}
	var feed struct {
		XMLName xml.Name
		ID      []string `xml:"id"`
		Title   []string `xml:"title"`
		Updated []string `xml:"updated"`
		Author  []struct {
			Name string `xml:"name"`
		} `xml:"author"`
		Links   []link  `xml:"link"`
		Entries []entry `xml:"entry"`
	}
	if err := xml.Unmarshal(buf.Bytes(), &feed); err != nil {
		t.Fatalf("not XML: %v\n%s", err, buf.String())
	}
	if feed.XMLName.Space != watch.AtomNS || feed.XMLName.Local != "feed" {
		t.Fatalf("root %v, want {%s}feed", feed.XMLName, watch.AtomNS)
	}
	one := func(what string, v []string) string {
		t.Helper()
		if len(v) != 1 || strings.TrimSpace(v[0]) == "" {
			t.Fatalf("%s: %d elements %q, want exactly one, not empty", what, len(v), v)
		}
		return v[0]
	}
	date := func(what, s string) time.Time {
		t.Helper()
		d, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatalf("%s %q is not an RFC 3339 date-time", what, s)
		}
		return d
	}
	iri := func(what, s string) {
		t.Helper()
		if !strings.HasPrefix(s, "urn:uuid:") || len(s) != len("urn:uuid:")+36 {
			t.Fatalf("%s %q is not a urn:uuid IRI", what, s)
		}
	}
	iri("feed id", one("feed id", feed.ID))
	one("feed title", feed.Title)
	// The feed's updated is its newest entry's.
	if got := date("feed updated", one("feed updated", feed.Updated)); !got.Equal(time.Date(2026, 9, 2, 6, 0, 0, 0, time.UTC)) {
		t.Errorf("feed updated %v, want the newest entry's 2026-09-02T06:00:00Z", got)
	}
	if len(feed.Author) == 0 || feed.Author[0].Name == "" {
		t.Fatalf("the feed has no author, and its entries have none")
	}
	rels := map[string]string{}
	for _, l := range feed.Links {
		rels[l.Rel] = l.Href
	}
	if rels["self"] != "http://127.0.0.1:8080/feed.atom" {
		t.Errorf("self link %q", rels["self"])
	}
	if len(feed.Entries) != 2 {
		t.Fatalf("%d entries, want 2", len(feed.Entries))
	}
	ids := map[string]bool{}
	for i, e := range feed.Entries {
		id := one("entry id", e.ID)
		iri("entry id", id)
		if ids[id] {
			t.Fatalf("entry id %s twice", id)
		}
		ids[id] = true
		one("entry title", e.Title)
		date("entry updated", one("entry updated", e.Updated))
		alt := ""
		for _, l := range e.Links {
			if l.Rel == "alternate" || l.Rel == "" {
				alt = l.Href
			}
		}
		if alt == "" && len(e.Content) == 0 {
			t.Fatalf("entry %d has neither an alternate link nor content", i)
		}
	}
	if !strings.Contains(feed.Entries[0].Title[0], "Dobra <&> \"x\"") || feed.Entries[0].Links[0].Href != "http://127.0.0.1:8080/deposits/dobra?date=2026-09-01" {
		t.Errorf("first entry: %+v", feed.Entries[0])
	}
	// Ids do not depend on the event's row id, only its natural key.
	e := testFeed().Events[0]
	id1 := watch.EntryID(testFeed().ID, e)
	e.ID = 99
	if watch.EntryID(testFeed().ID, e) != id1 {
		t.Errorf("the entry id changed with the row id")
	}
}

// TestWriteAtom_Validator validates feeds against RFC 4287's RELAX NG
// schema (testdata/atom.rnc) with jing, a real validator.
func TestWriteAtom_Validator(t *testing.T) {
	jing, err := exec.LookPath("jing")
	if err != nil {
		t.Skip("jing not found: install it (apt-get install -y jing) to validate the feed against RFC 4287's schema")
	}
	dir := t.TempDir()
	empty := testFeed()
	empty.Events = nil
	for name, f := range map[string]watch.Feed{"events": testFeed(), "empty": empty} {
		var buf bytes.Buffer
		if err := watch.WriteAtom(&buf, f); err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, name+".xml")
		os.WriteFile(p, buf.Bytes(), 0o644)
		out, err := exec.Command(jing, "-c", "testdata/atom.rnc", p).CombinedOutput()
		if err != nil {
			t.Fatalf("%s: jing: %v\n%s\n%s", name, err, out, buf.String())
		}
	}
	// And jing does refuse what is not Atom: a feed without its id.
	var buf bytes.Buffer
	watch.WriteAtom(&buf, testFeed())
	bad := strings.Replace(buf.String(), "<id>"+testFeed().ID+"</id>", "", 1)
	p := filepath.Join(dir, "bad.xml")
	os.WriteFile(p, []byte(bad), 0o644)
	if out, err := exec.Command(jing, "-c", "testdata/atom.rnc", p).CombinedOutput(); err == nil {
		t.Fatalf("jing accepted a feed without an id: %s", out)
	}
}
