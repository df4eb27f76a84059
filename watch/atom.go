package watch

import (
	"crypto/sha1"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"nadra"
)

// AtomNS is the Atom namespace (RFC 4287, section 2).
const AtomNS = "http://www.w3.org/2005/Atom"

// AtomMediaType is the media type of an Atom feed document.
const AtomMediaType = "application/atom+xml"

// Feed is an Atom feed of watch events.
type Feed struct {
	// ID identifies the feed for good: a urn:uuid: IRI (FeedID).
	ID    string
	Title string
	// Self is the feed's own absolute URL; Alternate a page that shows
	// the same; Base the URL the entries' links start from
	// ("http://host:port").
	Self, Alternate, Base string
	// Updated is the feed's time when it has no entry; otherwise the
	// newest entry's.
	Updated   time.Time
	Generator string // nadra's version
	Events    []nadra.WatchEvent
}

type atomFeed struct {
	XMLName   xml.Name    `xml:"feed"`
	NS        string      `xml:"xmlns,attr"`
	ID        string      `xml:"id"`
	Title     atomText    `xml:"title"`
	Subtitle  atomText    `xml:"subtitle"`
	Updated   string      `xml:"updated"`
	Author    atomPerson  `xml:"author"`
	Generator atomGen     `xml:"generator"`
	Links     []atomLink  `xml:"link"`
	Entries   []atomEntry `xml:"entry"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Text string `xml:",chardata"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomGen struct {
	Version string `xml:"version,attr,omitempty"`
	Text    string `xml:",chardata"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
}

type atomCategory struct {
	Term  string `xml:"term,attr"`
	Label string `xml:"label,attr,omitempty"`
}

type atomEntry struct {
	ID         string         `xml:"id"`
	Title      atomText       `xml:"title"`
	Updated    string         `xml:"updated"`
	Published  string         `xml:"published"`
	Links      []atomLink     `xml:"link"`
	Categories []atomCategory `xml:"category"`
	Summary    atomText       `xml:"summary"`
	Content    atomText       `xml:"content"`
}

// WriteAtom writes f as an Atom feed document (RFC 4287): the feed with
// its id, title, updated, author, generator and self and alternate links,
// and one entry per event, each with its id, title, updated and published
// times (when nadra recorded the event), a link to the deposit's page, a
// category per event kind, a summary and the message as text content.
func WriteAtom(w io.Writer, f Feed) error {
	updated := f.Updated
	for _, e := range f.Events {
		if e.CreatedAt.After(updated) {
			updated = e.CreatedAt
		}
	}
	af := atomFeed{NS: AtomNS, ID: f.ID,
		Title:     atomText{Type: "text", Text: f.Title},
		Subtitle:  atomText{Type: "text", Text: "Events of nadra's front-line watches: the front within a watch's radius of a deposit's uncertainty circle, a change of status, or an approach faster than a watch's rate, on a new control snapshot."},
		Updated:   atomTime(updated),
		Author:    atomPerson{Name: "nadra"},
		Generator: atomGen{Version: f.Generator, Text: "nadra"},
		Links:     []atomLink{{Href: f.Self, Rel: "self", Type: AtomMediaType}, {Href: f.Alternate, Rel: "alternate", Type: "text/html"}},
	}
	for _, e := range f.Events {
		t := atomTime(e.CreatedAt)
		af.Entries = append(af.Entries, atomEntry{
			ID:         EntryID(f.ID, e),
			Title:      atomText{Type: "text", Text: Title(e)},
			Updated:    t,
			Published:  t,
			Links:      []atomLink{{Href: strings.TrimRight(f.Base, "/") + "/deposits/" + e.DepositID + "?date=" + e.Date, Rel: "alternate", Type: "text/html"}},
			Categories: []atomCategory{{Term: e.Kind, Label: kindLabel(e.Kind)}},
			Summary:    atomText{Type: "text", Text: e.Message},
			Content:    atomText{Type: "text", Text: e.Message + " Watch " + strconv.FormatInt(e.WatchID, 10) + "; distances from the deposit's uncertainty circle (nadra report risk)."},
		})
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(af); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// Title is an event's headline.
func Title(e nadra.WatchEvent) string {
	who := e.Name
	if e.LicenceID != "" {
		who = e.LicenceID + " (" + e.Name + ")"
	}
	switch e.Kind {
	case nadra.EventWithin:
		return fmt.Sprintf("%s: the front within %s km (%s km), %s", who, km(*e.Threshold), km(e.DistanceKm), e.Date)
	case nadra.EventStatus:
		return fmt.Sprintf("%s: %s → %s, %s", who, e.PrevStatus, e.Status, e.Date)
	}
	return fmt.Sprintf("%s: the front approaching at %s km a month, %s", who, km(*e.ApproachKmPerMonth), e.Date)
}

func kindLabel(k string) string {
	switch k {
	case nadra.EventWithin:
		return "The front came within the watch's radius"
	case nadra.EventStatus:
		return "Status changed"
	}
	return "The front approached faster than the watch's rate"
}

// atomTime is an RFC 3339 date-time in UTC, as RFC 4287 section 3.3 asks.
func atomTime(t time.Time) string {
	if t.IsZero() {
		t = time.Unix(0, 0)
	}
	return t.UTC().Format(time.RFC3339)
}

// FeedID turns a database's feed key (hex, from its meta table) into a
// urn:uuid: IRI that names the feed for good.
func FeedID(key string) string { return "urn:uuid:" + uuid5(key) }

// EntryID names an event for good: a urn:uuid: derived from the feed's id
// and the event's natural key (watch, deposit, snapshot date, kind), so
// that the same event keeps its id whatever host the feed is read from.
func EntryID(feedID string, e nadra.WatchEvent) string {
	return "urn:uuid:" + uuid5(feedID+"\x00"+strconv.FormatInt(e.WatchID, 10)+"\x00"+e.DepositID+"\x00"+e.Date+"\x00"+e.Kind)
}

// uuid5 is a name-based UUID (RFC 4122 version 5 layout: SHA-1, variant
// bits set) of name.
func uuid5(name string) string {
	sum := sha1.Sum([]byte(name))
	b := sum[:16]
	b[6] = b[6]&0x0f | 0x50
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}
