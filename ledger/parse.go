package ledger

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"nadra"
)

// EntryColumns are the columns of an entries CSV file. Postings are not a
// column: each kind's standard postings apply (nadra.Entry.StandardPostings);
// for other postings, use JSON.
var EntryColumns = []string{"id", "kind", "date", "period", "party", "from", "to", "stream", "amount", "currency",
	"fx_rate", "fx_source", "licence", "ref", "docs", "valuation", "corrects", "public", "memo"}

// MaxEntriesFile bounds an entries file.
const MaxEntriesFile = 64 << 20

// ParseEntries reads entries from a JSON file (one entry, an array of
// entries, or one entry per line) or a CSV file with EntryColumns. Entries
// without postings get their kind's standard postings. Every entry is
// validated; the first problem is a *nadra.InputError naming the file, the
// entry (its line in CSV, its position in JSON), the field and what was
// expected.
func ParseEntries(file string, data []byte) ([]*nadra.Entry, error) {
	if len(data) > MaxEntriesFile {
		return nil, &nadra.InputError{File: file, Feature: -1, Problem: fmt.Sprintf("larger than %d MB", MaxEntriesFile>>20)}
	}
	if !utf8.Valid(data) {
		return nil, &nadra.InputError{File: file, Feature: -1, Problem: "not UTF-8 text"}
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	t := bytes.TrimSpace(data)
	if len(t) == 0 {
		return nil, &nadra.InputError{File: file, Feature: -1, Problem: "the file is empty"}
	}
	var out []*nadra.Entry
	var err error
	if t[0] == '{' || t[0] == '[' {
		out, err = parseJSONEntries(file, t)
	} else {
		out, err = parseCSVEntries(file, data)
	}
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, &nadra.InputError{File: file, Feature: -1, Problem: "no entries"}
	}
	return out, nil
}

func parseJSONEntries(file string, data []byte) ([]*nadra.Entry, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var out []*nadra.Entry
	ferr := func(i int, field, format string, args ...any) error {
		return &nadra.InputError{File: file, Feature: i, Field: field, Problem: fmt.Sprintf(format, args...)}
	}
	decodeOne := func(i int, raw json.RawMessage) error {
		var e nadra.Entry
		d := json.NewDecoder(bytes.NewReader(raw))
		d.DisallowUnknownFields()
		if err := d.Decode(&e); err != nil {
			return ferr(i, jsonField(err), "%s", jsonProblem(err))
		}
		if len(e.Postings) == 0 {
			e.Postings = e.StandardPostings()
		}
		if err := e.Validate(); err != nil {
			field, problem, _ := strings.Cut(nadra.ErrorMessage(err), ": ")
			return ferr(i, field, "%s (entry %s)", problem, e.ID)
		}
		out = append(out, &e)
		return nil
	}
	if data[0] == '[' {
		var raws []json.RawMessage
		if err := dec.Decode(&raws); err != nil {
			return nil, ferr(-1, "", "not a JSON array of entries: %v", err)
		}
		for i, r := range raws {
			if err := decodeOne(i, r); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	for i := 0; ; i++ {
		var raw json.RawMessage
		err := dec.Decode(&raw)
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, ferr(i, "", "not JSON: %v", err)
		}
		if err := decodeOne(i, raw); err != nil {
			return nil, err
		}
	}
}

// jsonField names the field a decoding error is about, if it says.
func jsonField(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return te.Field
	}
	msg := err.Error()
	if f, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
		return strings.Trim(f, `"`)
	}
	return ""
}

func jsonProblem(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("expected a %s, got a JSON %s", te.Type, te.Value)
	}
	var ne *nadra.Error
	if errors.As(err, &ne) {
		return ne.Message
	}
	if strings.HasPrefix(err.Error(), "json: unknown field") {
		return "unknown field; expected " + strings.Join(append(EntryColumns, "postings"), ", ")
	}
	return err.Error()
}

func parseCSVEntries(file string, data []byte) ([]*nadra.Entry, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return nil, &nadra.InputError{File: file, Line: 1, Feature: -1, Problem: "not CSV: " + err.Error()}
	}
	col := map[string]int{}
	known := map[string]bool{}
	for _, c := range EntryColumns {
		known[c] = true
	}
	for i, h := range header {
		h = strings.TrimSpace(h)
		if !known[h] {
			return nil, &nadra.InputError{File: file, Line: 1, Feature: -1, Field: truncate(h, 40), Problem: "unknown column; expected " + strings.Join(EntryColumns, ", ")}
		}
		if _, dup := col[h]; dup {
			return nil, &nadra.InputError{File: file, Line: 1, Feature: -1, Field: h, Problem: "column appears twice"}
		}
		col[h] = i
	}
	for _, c := range EntryColumns {
		if _, ok := col[c]; !ok {
			return nil, &nadra.InputError{File: file, Line: 1, Feature: -1, Field: c, Problem: "missing column"}
		}
	}
	var out []*nadra.Entry
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.Line
			}
			return nil, &nadra.InputError{File: file, Line: line, Feature: -1, Problem: "malformed CSV: " + err.Error()}
		}
		line, _ := r.FieldPos(0)
		if len(rec) != len(header) {
			return nil, &nadra.InputError{File: file, Line: line, Feature: -1, Problem: fmt.Sprintf("has %d fields; the header has %d", len(rec), len(header))}
		}
		get := func(c string) string { return strings.TrimSpace(rec[col[c]]) }
		lerr := func(field, format string, args ...any) error {
			return &nadra.InputError{File: file, Line: line, Feature: -1, Field: field, Problem: fmt.Sprintf(format, args...)}
		}
		e := &nadra.Entry{ID: get("id"), Kind: get("kind"), Date: get("date"), Period: get("period"), Party: get("party"),
			From: get("from"), To: get("to"), Stream: get("stream"), Currency: get("currency"), FXRate: get("fx_rate"),
			FXSource: get("fx_source"), Licence: get("licence"), Ref: get("ref"), Valuation: get("valuation"),
			Corrects: get("corrects"), Memo: get("memo")}
		if e.Amount, err = nadra.ParseMoney(get("amount")); err != nil {
			return nil, lerr("amount", "%s", nadra.ErrorMessage(err))
		}
		for _, d := range strings.Split(get("docs"), " | ") {
			if d = strings.TrimSpace(d); d != "" {
				e.Docs = append(e.Docs, d)
			}
		}
		switch strings.ToLower(get("public")) {
		case "", "false":
		case "true":
			e.Public = true
		default:
			return nil, lerr("public", "%q: expected true or false", get("public"))
		}
		e.Postings = e.StandardPostings()
		if err := e.Validate(); err != nil {
			field, problem, _ := strings.Cut(nadra.ErrorMessage(err), ": ")
			return nil, lerr(field, "%s", problem)
		}
		out = append(out, e)
	}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
