package server

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/klauspost/compress/zstd"
)

// Compression. nadra's large answers are text: GeoJSON (the oblasts page
// is 469 KB), JSON, SVG maps and charts, HTML pages, CSV. A client that
// says so in Accept-Encoding gets them compressed with zstd or gzip;
// others get them as they are. Two paths:
//
//   - Responses that are the same for every client until the next import
//     (OGC items and features, the map SVG) go through serveCached, which
//     keeps their bytes, compressed once per encoding, with an ETag.
//   - Everything else is compressed as it is written, by compress, when
//     it is large enough to gain (minCompressBytes) and of a text type.

// Encodings nadra sends, in its order of preference.
const (
	encZstd     = "zstd"
	encGzip     = "gzip"
	encIdentity = ""
)

// minCompressBytes is the smallest body worth compressing: below it the
// encoding's framing costs about what it saves.
const minCompressBytes = 1024

// compressible reports whether a response of this media type is text that
// compresses well.
func compressible(contentType string) bool {
	mt, _, _ := strings.Cut(contentType, ";")
	mt = strings.TrimSpace(strings.ToLower(mt))
	switch {
	case strings.HasPrefix(mt, "text/"),
		strings.HasSuffix(mt, "+json"), strings.HasSuffix(mt, "+xml"), strings.HasSuffix(mt, "+yaml"),
		mt == "application/json", mt == "application/javascript", mt == "application/xml", mt == "application/yaml":
		return true // JSON, GeoJSON, JSON Schema, OpenAPI, SVG, Atom, HTML, CSV, CSS, scripts
	}
	return false
}

// acceptedEncoding picks the encoding for a request's Accept-Encoding:
// zstd, else gzip, else none. A coding with q=0 is refused; "*" stands for
// any coding not named.
func acceptedEncoding(header string) string {
	if header == "" {
		return encIdentity
	}
	q := map[string]float64{}
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		name = strings.ToLower(strings.TrimSpace(name))
		if name == "" {
			continue
		}
		v := 1.0
		for _, p := range strings.Split(params, ";") {
			k, val, ok := strings.Cut(strings.TrimSpace(p), "=")
			if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
				if f, err := strconv.ParseFloat(strings.TrimSpace(val), 64); err == nil {
					v = f
				}
			}
		}
		q[name] = v
	}
	for _, enc := range []string{encZstd, encGzip} {
		v, named := q[enc]
		if !named {
			v, named = q["*"]
		}
		if named && v > 0 {
			return enc
		}
	}
	return encIdentity
}

var (
	gzipWriters = sync.Pool{New: func() any { w, _ := gzip.NewWriterLevel(nil, gzip.DefaultCompression); return w }}
	// zstdEncoder encodes whole bodies (EncodeAll), safe for concurrent
	// use; zstdStream writers compress as a handler writes.
	zstdEncoder, _ = zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedBetterCompression), zstd.WithEncoderConcurrency(1))
	zstdStreams    = sync.Pool{New: func() any {
		w, _ := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedDefault), zstd.WithEncoderConcurrency(1), zstd.WithLowerEncoderMem(true))
		return w
	}}
)

// encodeAll compresses a whole body once, for the response cache: gzip at
// its best compression, zstd at its better level.
func encodeAll(enc string, b []byte) []byte {
	switch enc {
	case encGzip:
		var buf bytes.Buffer
		w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		w.Write(b)
		w.Close()
		return buf.Bytes()
	case encZstd:
		return zstdEncoder.EncodeAll(b, make([]byte, 0, len(b)/4))
	}
	return b
}

// compress compresses responses as they are written, for clients that
// accept it (see acceptedEncoding), when the response is a 200 of a
// compressible type, not already encoded, and not known to be smaller than
// minCompressBytes. Every compressible response says Vary: Accept-Encoding.
func (s *Server) compress(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		enc := acceptedEncoding(r.Header.Get("Accept-Encoding"))
		cw := &compressWriter{ResponseWriter: w, enc: enc, head: r.Method == http.MethodHead}
		defer cw.close()
		next.ServeHTTP(cw, r)
	})
}

// compressWriter decides at the status line whether to compress.
type compressWriter struct {
	http.ResponseWriter
	enc     string
	head    bool
	decided bool
	w       io.WriteCloser // the encoder, nil when not compressing
	gz      *gzip.Writer
	zs      *zstd.Encoder
}

func (c *compressWriter) WriteHeader(code int) {
	if code < 200 { // informational: pass on, decide later
		c.ResponseWriter.WriteHeader(code)
		return
	}
	if !c.decided {
		c.decide(code)
	}
	c.ResponseWriter.WriteHeader(code)
}

func (c *compressWriter) decide(code int) {
	c.decided = true
	h := c.Header()
	if !compressible(h.Get("Content-Type")) {
		return
	}
	if h.Get("Content-Encoding") != "" { // serveCached chose already
		return
	}
	addVary(h, "Accept-Encoding")
	if c.enc == encIdentity || code != http.StatusOK || c.head || h.Get("Content-Range") != "" {
		return
	}
	if n, err := strconv.Atoi(h.Get("Content-Length")); err == nil && n < minCompressBytes {
		return
	}
	h.Del("Content-Length")
	h.Set("Content-Encoding", c.enc)
	if et := h.Get("Etag"); et != "" && !strings.HasPrefix(et, "W/") {
		h.Set("Etag", "W/"+et) // the bytes differ from the identity's
	}
	switch c.enc {
	case encGzip:
		c.gz = gzipWriters.Get().(*gzip.Writer)
		c.gz.Reset(c.ResponseWriter)
		c.w = c.gz
	case encZstd:
		c.zs = zstdStreams.Get().(*zstd.Encoder)
		c.zs.Reset(c.ResponseWriter)
		c.w = c.zs
	}
}

func (c *compressWriter) Write(b []byte) (int, error) {
	if !c.decided {
		if c.Header().Get("Content-Type") == "" {
			c.Header().Set("Content-Type", http.DetectContentType(b))
		}
		c.WriteHeader(http.StatusOK)
	}
	if c.w != nil {
		return c.w.Write(b)
	}
	return c.ResponseWriter.Write(b)
}

// Flush sends what the encoder holds, then flushes the connection.
func (c *compressWriter) Flush() {
	if c.gz != nil {
		c.gz.Flush()
	}
	if c.zs != nil {
		c.zs.Flush()
	}
	if f, ok := c.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (c *compressWriter) Unwrap() http.ResponseWriter { return c.ResponseWriter }

// close ends the encoded stream and returns the encoder to its pool.
func (c *compressWriter) close() {
	if c.gz != nil {
		c.gz.Close()
		gzipWriters.Put(c.gz)
		c.gz = nil
	}
	if c.zs != nil {
		c.zs.Close()
		c.zs.Reset(nil)
		zstdStreams.Put(c.zs)
		c.zs = nil
	}
}

// addVary adds a header name to Vary, once.
func addVary(h http.Header, name string) {
	for _, v := range h.Values("Vary") {
		for _, f := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(f), name) {
				return
			}
		}
	}
	h.Add("Vary", name)
}
