package deepstate

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"time"

	"nadra"
)

// Client reads DeepStateMap's public history API: the list of snapshots
// (/api/history/public) and each snapshot's raw layer
// (/api/history/ID/geojson).
type Client struct {
	BaseURL   string       // e.g. https://deepstatemap.live; a trailing / is ignored
	HTTP      *http.Client // nil for http.DefaultClient
	UserAgent string
	// Read reads a response body; it is where callers bound its size and
	// time. nil reads it whole. name is "GET URL".
	Read func(ctx context.Context, name string, r io.Reader) ([]byte, error)
}

// Snapshot is one snapshot DeepState lists: its id (the Unix time it was
// published), the UTC day of that time, and the URL of its raw layer.
type Snapshot struct {
	ID  int64
	Day string // YYYY-MM-DD
	URL string
}

// entry is one row of /api/history/public.
type entry struct {
	ID       int64  `json:"id"`
	Datetime string `json:"datetime"`
}

// Days lists DeepState's snapshots from from to to (YYYY-MM-DD; "" leaves
// an end open), the last of each UTC day, in date order, and how many
// the API listed in all. Errors are EINVALID and name the URL.
func (c *Client) Days(ctx context.Context, from, to string) ([]Snapshot, int, error) {
	base := strings.TrimRight(c.BaseURL, "/")
	body, err := c.Get(ctx, base+"/api/history/public")
	if err != nil {
		return nil, 0, err
	}
	var list []entry
	if err := json.Unmarshal(body, &list); err != nil {
		return nil, 0, nadra.Errorf(nadra.EINVALID, "%s/api/history/public: not the expected JSON list: %v", base, err)
	}
	// The last snapshot of each UTC day: snapshots are kept per date.
	byDay := map[string]entry{}
	for _, e := range list {
		day := time.Unix(e.ID, 0).UTC().Format(nadra.DateLayout)
		if from != "" && day < from || to != "" && day > to {
			continue
		}
		if old, ok := byDay[day]; !ok || e.ID > old.ID {
			byDay[day] = e
		}
	}
	days := make([]string, 0, len(byDay))
	for d := range byDay {
		days = append(days, d)
	}
	sort.Strings(days)
	out := make([]Snapshot, 0, len(days))
	for _, d := range days {
		e := byDay[d]
		out = append(out, Snapshot{ID: e.ID, Day: d, URL: fmt.Sprintf("%s/api/history/%d/geojson", base, e.ID)})
	}
	return out, len(list), nil
}

// Get fetches url and returns its body. A transport error or a status
// other than 200 is EINVALID naming the URL.
func (c *Client) Get(ctx context.Context, url string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	if c.UserAgent != "" {
		req.Header.Set("User-Agent", c.UserAgent)
	}
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, nadra.Errorf(nadra.EINVALID, "GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, nadra.Errorf(nadra.EINVALID, "GET %s: %s", url, resp.Status)
	}
	if c.Read == nil {
		return io.ReadAll(resp.Body)
	}
	return c.Read(ctx, "GET "+url, resp.Body)
}
