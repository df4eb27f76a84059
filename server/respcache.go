package server

import (
	"container/list"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// respCache keeps whole responses that are the same for every client
// until the data changes: their bytes, each encoding's bytes made once on
// first demand, and an entity tag. Keys carry what the response depends
// on (the route, the canonical query, the base URL its links use, and the
// data's version, accessCache.state), so an import makes new keys and the
// old entries age out. It holds at most maxBytes, least recently used
// out first.
type respCache struct {
	mu       sync.Mutex
	maxBytes int
	bytes    int
	m        map[string]*list.Element // of *cachedResponse
	order    *list.List               // most recent first
	group    map[string]*buildCall    // builds in flight, by key
}

// buildCall is one build of a response that requests for the same key
// wait for.
type buildCall struct {
	done chan struct{}
	resp *cachedResponse
	err  error
}

// cachedResponse is one response: its media type, its bytes, and its
// encodings, made once.
type cachedResponse struct {
	key         string
	contentType string
	etag        string
	body        []byte

	cache *respCache // counts the encodings' bytes; nil when never kept (set before the response is shared)
	encMu sync.Mutex
	enc   map[string][]byte
}

// defaultRespCacheBytes bounds the response cache: every OGC page and map
// of the default data several times over.
const defaultRespCacheBytes = 64 << 20

func newRespCache(maxBytes int) *respCache {
	return &respCache{maxBytes: maxBytes, m: map[string]*list.Element{}, order: list.New(), group: map[string]*buildCall{}}
}

// get returns key's response, building it with build the first time (one
// build however many ask at once; a failed build is not kept).
func (c *respCache) get(key, contentType string, build func() ([]byte, error)) (*cachedResponse, error) {
	c.mu.Lock()
	if e, ok := c.m[key]; ok {
		c.order.MoveToFront(e)
		c.mu.Unlock()
		return e.Value.(*cachedResponse), nil
	}
	if call, ok := c.group[key]; ok {
		c.mu.Unlock()
		<-call.done
		return call.resp, call.err
	}
	call := &buildCall{done: make(chan struct{})}
	c.group[key] = call
	c.mu.Unlock()

	body, err := build()
	if err == nil {
		sum := sha256.Sum256(body)
		call.resp = &cachedResponse{key: key, contentType: contentType, body: body,
			etag: `W/"` + hex.EncodeToString(sum[:12]) + `"`, enc: map[string][]byte{}}
	}
	call.err = err
	c.mu.Lock()
	delete(c.group, key)
	if err == nil && len(body) <= c.maxBytes/4 {
		call.resp.cache = c
		c.m[key] = c.order.PushFront(call.resp)
		c.bytes += len(body)
		c.evict()
	}
	c.mu.Unlock()
	close(call.done)
	return call.resp, err
}

// evict drops the least recently used responses while the cache holds
// more than maxBytes. c.mu is held.
func (c *respCache) evict() {
	for c.bytes > c.maxBytes && c.order.Len() > 1 {
		last := c.order.Back()
		r := c.order.Remove(last).(*cachedResponse)
		delete(c.m, r.key)
		c.bytes -= r.size()
	}
}

// grow counts an encoding made for r, if r is still kept.
func (c *respCache) grow(r *cachedResponse, n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.m[r.key]; ok && e.Value.(*cachedResponse) == r {
		c.bytes += n
		c.evict()
	}
}

// size is what the response holds in memory, encodings included (as far
// as made when it is counted).
func (r *cachedResponse) size() int {
	r.encMu.Lock()
	defer r.encMu.Unlock()
	n := len(r.body)
	for _, b := range r.enc {
		n += len(b)
	}
	return n
}

// encoded returns the body in an encoding, compressing it the first time.
func (r *cachedResponse) encoded(enc string) []byte {
	if enc == encIdentity {
		return r.body
	}
	r.encMu.Lock()
	if b, ok := r.enc[enc]; ok {
		r.encMu.Unlock()
		return b
	}
	b := encodeAll(enc, r.body)
	r.enc[enc] = b
	c := r.cache
	r.encMu.Unlock()
	if c != nil {
		c.grow(r, len(b))
	}
	return b
}

// serveCached answers from the response cache: 304 Not Modified when the
// request's If-None-Match names the response's entity tag, else the body
// in the best encoding the client accepts (compressed once, then kept),
// with its ETag. Large text only is compressed. Errors from build go
// through the error funnel and are not kept.
func (s *Server) serveCached(w http.ResponseWriter, r *http.Request, key, contentType string, build func() ([]byte, error)) {
	resp, err := s.responses.get(key, contentType, build)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Etag", resp.etag)
	h.Set("Cache-Control", "no-cache") // keep it, but ask each time: an import changes it
	if compressible(contentType) {
		addVary(h, "Accept-Encoding")
	}
	if etagMatch(r.Header.Get("If-None-Match"), resp.etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	enc := acceptedEncoding(r.Header.Get("Accept-Encoding"))
	if !compressible(contentType) || len(resp.body) < minCompressBytes {
		enc = encIdentity
	}
	body := resp.encoded(enc)
	h.Set("Content-Type", contentType)
	if enc != encIdentity {
		h.Set("Content-Encoding", enc)
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// etagMatch reports whether an If-None-Match header names etag, by weak
// comparison (RFC 9110, 13.1.2): "*", or a tag whose opaque part equals
// etag's.
func etagMatch(header, etag string) bool {
	if header == "" {
		return false
	}
	want := strings.TrimPrefix(etag, "W/")
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == want {
			return true
		}
	}
	return false
}
