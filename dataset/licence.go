package dataset

import (
	"io"
	"strings"

	"nadra"
	"nadra/internal/csvfmt"
)

// LicenceColumns are the columns of licences.csv, in the order nadra
// writes them. See FORMAT.md.
var LicenceColumns = []string{"id", "kind", "holder", "deposit_id", "minerals", "granted", "term_years", "status",
	"ended", "renewal", "developed_at_entry", "note", "sources"}

// LicenceRefs is what a licences file is checked against.
type LicenceRefs struct {
	Commodities map[string]bool // known commodity codes
	Deposits    map[string]bool // registry deposit ids
	// Today (YYYY-MM-DD) is the latest date a licence may be granted or
	// end; "" skips the check.
	Today string
}

// ParseLicencesCSV reads licences in nadra's CSV format. Every row is
// validated (nadra.Licence.Validate), its deposit must be in refs and
// its dates not after refs.Today; ids must be unique in the file. The
// first problem is returned as a *nadra.InputError naming the file, line
// and field.
func ParseLicencesCSV(file string, r io.Reader, refs LicenceRefs) ([]*nadra.Licence, error) {
	return parseRows(file, r, LicenceColumns, func(t *table) (*nadra.Licence, string, error) {
		l := &nadra.Licence{
			ID: t.str("id"), Kind: t.str("kind"), Holder: t.str("holder"), DepositID: t.str("deposit_id"),
			Minerals: splitList(t.str("minerals")), Granted: t.str("granted"), Status: t.str("status"),
			Ended: t.str("ended"), Note: t.str("note"), Sources: splitSources(t.str("sources")),
		}
		var err error
		if l.TermYears, err = t.integer("term_years"); err != nil {
			return nil, "", err
		}
		if l.Renewal, err = t.boolean("renewal"); err != nil {
			return nil, "", err
		}
		switch s := strings.ToLower(t.str("developed_at_entry")); s {
		case "":
		case "true", "false":
			v := s == "true"
			l.DevelopedAtEntry = &v
		default:
			return nil, "", t.errf("developed_at_entry", "%q: expected true, false, or empty when not known", nadra.Truncate(t.str("developed_at_entry"), 40))
		}
		if err := l.Validate(refs.Commodities); err != nil {
			return nil, "", t.fieldErr(err)
		}
		for _, d := range []struct{ field, s string }{{"granted", l.Granted}, {"ended", l.Ended}} {
			if d.s == "" {
				continue
			}
			if err := nadra.ValidateLicenceDate(d.field, d.s, refs.Today); err != nil {
				return nil, "", t.fieldErr(err)
			}
		}
		if l.DepositID != "" && !refs.Deposits[l.DepositID] {
			return nil, "", t.errf("deposit_id", "%q is not a deposit in the registry; import the deposit first, or leave deposit_id empty when the site is not in the registry", l.DepositID)
		}
		return l, l.ID, nil
	}, func(t *table, id string, first int) error {
		return t.errf("id", "%q already appears on line %d; ids must be unique in a file", id, first)
	})
}

// WriteLicencesCSV writes licences in nadra's CSV format, which
// ParseLicencesCSV reads back unchanged.
func WriteLicencesCSV(w io.Writer, licences []*nadra.Licence) error {
	cw := csvfmt.NewWriter(w)
	cw.Write(LicenceColumns)
	for _, l := range licences {
		dev := ""
		if l.DevelopedAtEntry != nil {
			dev = fmtBool(*l.DevelopedAtEntry)
		}
		cw.Write([]string{l.ID, l.Kind, l.Holder, l.DepositID, strings.Join(l.Minerals, ";"), l.Granted, csvfmt.Int(l.TermYears),
			l.Status, l.Ended, fmtBool(l.Renewal), dev, l.Note, strings.Join(l.Sources, csvfmt.SourceSep)})
	}
	cw.Flush()
	return cw.Error()
}

func fmtBool(b bool) string {
	if b {
		return "true"
	}
	return "false"
}
