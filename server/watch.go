package server

import (
	"bytes"
	"context"
	"net/http"
	"strconv"

	"nadra"
	"nadra/internal/decimal"
	"nadra/watch"

	"github.com/danielgtaylor/huma/v2"
)

// EventsInput is the watch events' query.
type EventsInput struct {
	Watch  string `query:"watch" maxLength:"20" doc:"Only the events of this watch id."`
	Limit  int    `query:"limit" default:"100" minimum:"1" maximum:"1000"`
	Offset int    `query:"offset" default:"0" minimum:"0" maximum:"1000000"`
}

// EventList is a page of watch events, newest first.
type EventList struct {
	Total  int                `json:"total" doc:"Matches before paging."`
	Offset int                `json:"offset"`
	Limit  int                `json:"limit"`
	Events []nadra.WatchEvent `json:"events"`
}

// EventsOutput is the watch events.
type EventsOutput struct{ Body *EventList }

// maxFeedEntries is how many events the Atom feed carries, newest first.
const maxFeedEntries = 100

func (s *Server) registerWatchRoutes() {
	register(s, s.api, huma.Operation{
		OperationID: "list-watch-events",
		Method:      http.MethodGet,
		Path:        "/watch/events",
		Summary:     "The events of the front-line watches",
		Description: "Events that new control snapshots fired for the watches (`nadra watch add`), newest first: the front within a watch's radius of a deposit's uncertainty circle, a change of status, or an approach faster than a watch's rate. Each carries its webhook delivery's state; never the webhook's URL or secret. The same as /feed.atom.",
		Tags:        []string{"watch"},
	}, s.handleEvents)
	s.handle("GET /feed.atom", "", s.handleFeed)
}

// parseWatchID reads an optional watch id parameter.
func parseWatchID(param, v string) (int64, error) {
	if v == "" {
		return 0, nil
	}
	n, ok := decimal.Whole(v)
	if !ok || n < 1 || len(v) > 19 || v[0] == '+' {
		return 0, nadra.Errorf(nadra.EINVALID, "%s: %q is not a watch id; expected a whole number from 1.", param, nadra.Truncate(v, 40))
	}
	return int64(n), nil
}

func (s *Server) watches() (nadra.WatchService, error) {
	if s.Watches == nil {
		return nil, nadra.Errorf(nadra.ENOTFOUND, "This server keeps no watches.")
	}
	return s.Watches, nil
}

// handleEvents handles the "GET /api/v1/watch/events" route.
func (s *Server) handleEvents(ctx context.Context, in *EventsInput) (*EventsOutput, error) {
	id, err := parseWatchID("watch", in.Watch)
	if err != nil {
		return nil, err
	}
	ws, err := s.watches()
	if err != nil {
		return nil, err
	}
	evs, total, err := ws.FindEvents(ctx, nadra.EventFilter{WatchID: id, Limit: in.Limit, Offset: in.Offset})
	if err != nil {
		return nil, err
	}
	return &EventsOutput{Body: &EventList{Total: total, Offset: in.Offset, Limit: in.Limit, Events: evs}}, nil
}

// handleFeed handles the "GET /feed.atom" route: the newest watch events
// (of ?watch=ID, or all) as an Atom feed (RFC 4287).
func (s *Server) handleFeed(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	for k := range q {
		if k != "watch" {
			s.Error(w, r, nadra.Errorf(nadra.EINVALID, "%s: unknown parameter; /feed.atom takes only watch.", nadra.Truncate(k, 40)))
			return
		}
	}
	id, err := parseWatchID("watch", q.Get("watch"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	ws, err := s.watches()
	if err != nil {
		s.Error(w, r, err)
		return
	}
	evs, _, err := ws.FindEvents(r.Context(), nadra.EventFilter{WatchID: id, Limit: maxFeedEntries})
	if err != nil {
		s.Error(w, r, err)
		return
	}
	base := feedBase(r)
	self := base + "/feed.atom"
	title := "nadra: front-line watch events"
	feedID := watch.FeedID(s.FeedKey)
	if id != 0 {
		self += "?watch=" + strconv.FormatInt(id, 10)
		title += ", watch " + strconv.FormatInt(id, 10)
		feedID = watch.FeedID(s.FeedKey + "/watch/" + strconv.FormatInt(id, 10))
	}
	var buf bytes.Buffer
	err = watch.WriteAtom(&buf, watch.Feed{ID: feedID, Title: title, Self: self, Alternate: base + "/map", Base: base,
		Updated: s.started, Generator: s.Version, Events: evs})
	if err != nil {
		s.Error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", watch.AtomMediaType+"; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(buf.Bytes())
}

// feedBase is the scheme and host the request reached the server by, for
// the feed's absolute links; a Host header that is not a plain host name
// or address gives "localhost".
func feedBase(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	host := r.Host
	if host == "" || !validHost(host) {
		host = "localhost"
	}
	return scheme + "://" + host
}

// validHost accepts a Host header of letters, digits, dots, hyphens,
// colons and brackets (an IPv6 literal), nothing else.
func validHost(h string) bool {
	if len(h) > 255 {
		return false
	}
	for _, c := range h {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '.', c == '-', c == ':', c == '[', c == ']':
		default:
			return false
		}
	}
	return true
}
