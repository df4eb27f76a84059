package server

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"nadra"

	"github.com/danielgtaylor/huma/v2"
)

// Error codes the HTTP layer adds to nadra's. Sent over the wire: append
// only, never rename.
const (
	ETOOLARGE         = "too_large"              // 413: the request body is over the limit
	EMETHODNOTALLOWED = "method_not_allowed"     // 405
	ENOTACCEPTABLE    = "not_acceptable"         // 406
	ETIMEOUT          = "timeout"                // 503: a computation went past its time budget
	ECANCELED         = "canceled"               // 499: the client went away; only the log sees it
	EMEDIATYPE        = "unsupported_media_type" // 415: a body that is not JSON
	ETOOMANY          = "too_many_requests"      // 429: too many failed authentications
)

// statusClientClosed is nginx's 499, "client closed request", for the log
// line of a request whose client went away.
const statusClientClosed = 499

// codes maps an error code to its HTTP status. Every error response goes
// through this one table.
var codes = map[string]int{
	nadra.EINVALID:    http.StatusBadRequest,
	nadra.ENOTFOUND:   http.StatusNotFound,
	nadra.ECONFLICT:   http.StatusConflict,
	nadra.EINTERNAL:   http.StatusInternalServerError,
	ETOOLARGE:         http.StatusRequestEntityTooLarge,
	EMETHODNOTALLOWED: http.StatusMethodNotAllowed,
	ENOTACCEPTABLE:    http.StatusNotAcceptable,
	ETIMEOUT:          http.StatusServiceUnavailable,
	ECANCELED:         statusClientClosed,
	EMEDIATYPE:        http.StatusUnsupportedMediaType,
	ETOOMANY:          http.StatusTooManyRequests,
}

// ErrorResponse is the body of every error: a machine-readable code and a
// message for people. A 500 never carries internals.
type ErrorResponse struct {
	Code    string `json:"code" enum:"invalid,not_found,conflict,internal,unauthorized,forbidden,too_large,method_not_allowed,not_acceptable,timeout,canceled,unsupported_media_type,too_many_requests" doc:"Machine-readable error code."`
	Message string `json:"message" doc:"What was wrong, naming the parameter for a 400."`

	status     int
	retryAfter time.Duration // sent as Retry-After when over 0: a 503 or 429 worth retrying
	// authenticate is the WWW-Authenticate of a 401 for a token; ""
	// names the ledger's signatures.
	authenticate string
}

// Error implements the error interface.
func (e *ErrorResponse) Error() string { return e.Message }

// GetStatus implements huma.StatusError.
func (e *ErrorResponse) GetStatus() int { return e.status }

// GetHeaders implements huma.HeadersError: Retry-After, in whole seconds,
// when the request is worth retrying later; WWW-Authenticate with a 401,
// naming the scheme: bearer tokens, or the ledger's signatures.
func (e *ErrorResponse) GetHeaders() http.Header {
	switch {
	case e.retryAfter > 0:
		return http.Header{"Retry-After": {strconv.Itoa(int(math.Ceil(e.retryAfter.Seconds())))}}
	case e.status == http.StatusUnauthorized && e.authenticate != "":
		return http.Header{"Www-Authenticate": {e.authenticate}}
	case e.status == http.StatusUnauthorized:
		return http.Header{"Www-Authenticate": {signatureScheme + ` realm="nadra ledger"`}}
	}
	return nil
}

// errorFor turns any error into the response users see: its nadra code and
// message, or "Internal error." for an error that is not a *nadra.Error.
func errorFor(err error) *ErrorResponse {
	var mbe *http.MaxBytesError
	var er *ErrorResponse
	switch {
	case errors.As(err, &er):
		return er
	case errors.As(err, &mbe):
		return &ErrorResponse{Code: ETOOLARGE, Message: fmt.Sprintf("Request body is over the limit of %d bytes.", mbe.Limit), status: http.StatusRequestEntityTooLarge}
	}
	code := nadra.ErrorCode(err)
	status, ok := codes[code]
	if !ok {
		code, status = nadra.EINTERNAL, http.StatusInternalServerError
	}
	msg := nadra.ErrorMessage(err)
	if code == nadra.EINTERNAL {
		msg = "Internal error."
	}
	return &ErrorResponse{Code: code, Message: msg, status: status}
}

// Error is the funnel every error response of the plain handlers goes
// through: it writes {code, message} with the status from the code table
// and logs internal errors with the request, so users never see internals.
func (s *Server) Error(w http.ResponseWriter, r *http.Request, err error) {
	e := errorFor(err)
	for k, v := range e.GetHeaders() {
		w.Header()[k] = v
	}
	s.logError(r, e, err)
	s.writeJSON(w, r, e.status, e)
}

// apiError is the same funnel for the huma handlers, which return errors
// instead of writing them.
func (s *Server) apiError(r *http.Request, err error) error {
	e := errorFor(err)
	s.logError(r, e, err)
	return e
}

func (s *Server) logError(r *http.Request, e *ErrorResponse, err error) {
	if e.status >= 500 {
		s.Logger.Error("internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	}
}

// statusCode maps a status that huma produces itself to a code.
func statusCode(status int) string {
	for code, st := range codes {
		if st == status && code != nadra.EINTERNAL {
			return code
		}
	}
	if status == http.StatusUnprocessableEntity {
		return nadra.EINVALID
	}
	return nadra.EINTERNAL
}

// humaError replaces huma's RFC 9457 problem details so that errors huma
// raises itself (a query parameter that does not parse, a body over the
// limit) have the same {code, message} shape and name the parameter.
// Validation errors, 422 in huma, are 400 here.
func humaError(status int, msg string, errs ...error) huma.StatusError {
	if status == http.StatusUnprocessableEntity {
		status = http.StatusBadRequest
	}
	var parts []string
	for _, e := range errs {
		if e == nil {
			continue
		}
		var d *huma.ErrorDetail
		if errors.As(e, &d) {
			loc := d.Location
			for _, p := range []string{"query.", "path.", "header.", "body."} {
				if strings.HasPrefix(loc, p) {
					loc = strings.TrimPrefix(loc, p)
					if p != "body." {
						loc = strings.TrimSuffix(p, ".") + " parameter " + loc
					}
				}
			}
			if loc != "" {
				parts = append(parts, loc+": "+d.Message)
			} else {
				parts = append(parts, d.Message)
			}
			continue
		}
		if status < 500 {
			parts = append(parts, e.Error())
		}
	}
	code := statusCode(status)
	switch {
	case status >= 500:
		msg = "Internal error."
	case len(parts) > 0:
		msg = strings.Join(parts, "; ")
	case msg != "":
		msg = strings.ToUpper(msg[:1]) + msg[1:]
	default:
		msg = http.StatusText(status)
	}
	if status == http.StatusRequestEntityTooLarge {
		code = ETOOLARGE
	}
	if status == http.StatusUnsupportedMediaType {
		msg += "; send the body as JSON with Content-Type: application/json"
	}
	return &ErrorResponse{Code: code, Message: msg, status: status}
}

func init() {
	// huma's error constructor is a package variable; nadra is its only
	// user in this binary.
	huma.NewError = humaError
	huma.NewErrorWithContext = func(_ huma.Context, status int, msg string, errs ...error) huma.StatusError {
		return humaError(status, msg, errs...)
	}
}

var (
	_ huma.StatusError  = (*ErrorResponse)(nil)
	_ huma.HeadersError = (*ErrorResponse)(nil)
)
