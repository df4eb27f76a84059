package nadra

import (
	"errors"
	"fmt"
)

// Application error codes. They are sent over the wire and persisted in
// logs: append only, never rename.
const (
	EINVALID  = "invalid"
	ENOTFOUND = "not_found"
	ECONFLICT = "conflict"
	EINTERNAL = "internal"
	// EUNAUTHORIZED: a signature by no registered key, or one that does
	// not verify (the ledger's writes are authenticated by signatures);
	// a missing, unknown, expired or revoked API token.
	EUNAUTHORIZED = "unauthorized"
	// EFORBIDDEN: a registered key signing what it may not, such as a
	// party signing the other party's entry; a token whose role does not
	// allow the request.
	EFORBIDDEN = "forbidden"
)

// Error is an application error: a machine-readable code and a message for
// users. Messages are complete sentences or one-line phrases that name what
// was wrong and what was expected.
type Error struct {
	Code    string
	Message string
}

// Error implements the error interface.
func (e *Error) Error() string { return e.Message }

// Errorf returns an *Error with the given code and formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, "" for a
// nil error and EINTERNAL for any other error.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	default:
		return EINTERNAL
	}
}

// ErrorMessage returns the message of the first *Error in err's chain, or
// "Internal error." for any other error, so internals never reach users.
func ErrorMessage(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Message
	default:
		return "Internal error."
	}
}

// InputError describes bad input in a file: which file, where in it (a CSV
// line or a GeoJSON feature index), which field, and what was expected.
// It is an EINVALID error.
type InputError struct {
	File    string // file name as the user gave it
	Line    int    // 1-based CSV line, 0 if not applicable
	Feature int    // 0-based GeoJSON feature index, -1 if not applicable
	Field   string // column or property name, "" if the record as a whole
	Problem string // what is wrong and what was expected
}

// Error implements the error interface. The text is one line.
func (e *InputError) Error() string {
	s := e.File
	switch {
	case e.Line > 0:
		s += fmt.Sprintf(":%d", e.Line)
	case e.Feature >= 0:
		s += fmt.Sprintf(": feature %d", e.Feature)
	}
	if e.Field != "" {
		s += ": " + e.Field
	}
	return s + ": " + e.Problem
}

// Unwrap lets errors.As find the EINVALID code.
func (e *InputError) Unwrap() error { return &Error{Code: EINVALID, Message: e.Error()} }
