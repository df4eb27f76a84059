package dataset

import (
	"bytes"
	"embed"
	"fmt"
	"io"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"nadra"
	"nadra/deal"
	"nadra/internal/decimal"

	"gopkg.in/yaml.v3"
)

// termKind is how a term's value is written and checked.
type termKind int

const (
	kindShare termKind = iota // a number from 0 to 1
	kindRate                  // a yearly rate, 0 to 1
	kindUSD                   // a non-negative amount of US dollars
	kindYear                  // a calendar year
	kindCount                 // a non-negative whole number
	kindBool
	kindEnum        // one of a fixed set of words
	kindStreams     // a list of revenue streams
	kindCommodities // a list of commodity codes, or the word all
	kindFlows       // a list of {year, usd}
	kindText        // prose, shown but not modelled
	kindDate        // a calendar date YYYY-MM-DD
)

// termSpec describes one key a terms file may use under terms:.
type termSpec struct {
	key      string
	kind     termKind
	enum     []string
	required bool
	help     string
}

// TermSpecs lists every key of a terms file's terms: mapping in the order
// FORMAT.md documents them. Unknown keys are an error.
var termSpecs = []termSpec{
	{"fund_start_year", kindYear, nil, true, "first calendar year of the fund's flows"},
	{"ukraine_share", kindShare, nil, true, "share of the state's receipts in the base paid into the fund (0–1)"},
	{"revenue_base", kindEnum, []string{nadra.BaseNew, nadra.BaseAll}, true, "new: receipts from new licences and PSAs only; all: existing production too"},
	{"licensed_undeveloped", kindBool, nil, false, "deposits licensed before the start but not yet developed count as new"},
	{"in_force", kindDate, nil, false, "the day the agreement came into force (YYYY-MM-DD): licences granted since are new"},
	{"renewals_count", kindBool, nil, false, "renewals and extensions of earlier licences count as new licences"},
	{"revenue_streams", kindStreams, nil, true, "which state receipts: rent, psa_share, permits"},
	{"commodities", kindCommodities, nil, true, "commodity codes in scope, or all"},
	{"us_cash", kindFlows, nil, true, "US cash contributions by year"},
	{"ukraine_cash", kindFlows, nil, true, "Ukrainian cash contributions by year, beyond the revenue share"},
	{"us_inkind_aid_counts", kindBool, nil, true, "new US in-kind (military) aid counts as US capital at its assessed value"},
	{"prior_us_aid_usd", kindUSD, nil, false, "aid already given that counts as US capital at the start"},
	{"reinvest_years", kindCount, nil, true, "years from the start during which nothing is distributed"},
	{"waterfall", kindEnum, []string{nadra.WaterfallProRata, nadra.WaterfallPriority, nadra.WaterfallFixed}, true, "how distributions are split"},
	{"priority_return_rate", kindRate, nil, false, "yearly return the US recovers first, for priority_return"},
	{"us_share", kindShare, nil, false, "US financial interest, for fixed_shares"},
	{"target_usd", kindUSD, nil, false, "a stated target for Ukraine's contributions"},
	{"governance", kindText, nil, false, "board and decision rules (not modelled)"},
	{"offtake", kindText, nil, false, "offtake rights (not modelled)"},
	{"first_refusal", kindText, nil, false, "rights of first refusal (not modelled)"},
	{"duration", kindText, nil, false, "term of the agreement (not modelled)"},
}

// TermKeys returns the keys a terms file may use, in documented order.
func TermKeys() []string {
	var k []string
	for _, s := range termSpecs {
		k = append(k, s.key)
	}
	return k
}

var dealStatuses = []string{"signed", "draft", "user"}

// ParseTerms reads a deal terms file (FORMAT.md, "Deal terms"). It is
// strict: an unknown key, a share outside [0, 1], a negative amount or
// rate, a missing source or a source without a date is an
// *nadra.InputError naming the file, the line and the key. commodities is
// the set of known commodity codes.
func ParseTerms(file string, data []byte, commodities map[string]bool) (*nadra.DealTerms, error) {
	data, err := readAll(file, bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	p := &termParser{file: file, commodities: commodities}
	var doc, next yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		if err == io.EOF {
			return nil, p.errf(1, "", "the file is empty")
		}
		return nil, p.yamlErr(err)
	}
	if len(doc.Content) == 0 {
		return nil, p.errf(1, "", "the file is empty")
	}
	// yaml.Unmarshal would read the first document and ignore the rest.
	switch err := dec.Decode(&next); {
	case err == io.EOF:
	case err != nil:
		return nil, p.yamlErr(err)
	default:
		line := next.Line
		if len(next.Content) > 0 {
			line = next.Content[0].Line
		}
		return nil, p.errf(line, "", "a second YAML document (after ---); a terms file holds one document")
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, p.errf(root.Line, "", "expected a mapping of id, name, status, date, summary, sources and terms")
	}
	d := &nadra.DealTerms{File: file}
	seen := map[string]bool{}
	var terms *yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if seen[k.Value] {
			return nil, p.errf(k.Line, k.Value, "repeated key")
		}
		seen[k.Value] = true
		switch k.Value {
		case "id":
			if d.ID, err = p.str(v, k.Value); err != nil {
				return nil, err
			}
			if len(d.ID) > nadra.MaxIDLen {
				return nil, p.errf(v.Line, k.Value, "%d characters; at most %d allowed", len(d.ID), nadra.MaxIDLen)
			}
			if !slugRE.MatchString(d.ID) {
				return nil, p.errf(v.Line, k.Value, "%q is not a slug; expected lowercase letters, digits and single hyphens", d.ID)
			}
		case "name":
			if d.Name, err = p.text(v, k.Value, nadra.MaxNameLen); err != nil {
				return nil, err
			}
		case "status":
			if d.Status, err = p.enum(v, k.Value, dealStatuses); err != nil {
				return nil, err
			}
		case "date":
			// YAML reads 2025-04-30 as a timestamp; take it as written.
			if v.Kind != yaml.ScalarNode || (v.Tag != "!!str" && v.Tag != "!!timestamp" && v.Tag != "!!int") {
				return nil, p.errf(v.Line, k.Value, "expected a date YYYY, YYYY-MM or YYYY-MM-DD")
			}
			d.Date = strings.TrimSpace(v.Value)
			if !dateRE.MatchString(d.Date) {
				return nil, p.errf(v.Line, k.Value, "%q is not a date; expected YYYY, YYYY-MM or YYYY-MM-DD", nadra.Truncate(d.Date, 40))
			}
			if err := nadra.ValidatePartialDate(d.Date); err != nil {
				return nil, p.errf(v.Line, k.Value, "%s", nadra.ErrorMessage(err))
			}
		case "summary":
			if d.Summary, err = p.text(v, k.Value, nadra.MaxNoteLen); err != nil {
				return nil, err
			}
		case "sources":
			if d.Sources, err = p.sources(v, k.Value); err != nil {
				return nil, err
			}
		case "terms":
			terms = v
		default:
			return nil, p.errf(k.Line, k.Value, "unknown key; expected id, name, status, date, summary, sources, terms")
		}
	}
	for _, req := range []string{"id", "name", "status", "date", "sources", "terms"} {
		if !seen[req] {
			return nil, p.errf(root.Line, req, "required")
		}
	}
	if terms.Kind != yaml.MappingNode {
		return nil, p.errf(terms.Line, "terms", "expected a mapping of term keys, each with value and source")
	}
	specs := map[string]termSpec{}
	for _, s := range termSpecs {
		specs[s.key] = s
	}
	got := map[string]bool{}
	for i := 0; i+1 < len(terms.Content); i += 2 {
		k, v := terms.Content[i], terms.Content[i+1]
		spec, ok := specs[k.Value]
		if !ok {
			return nil, p.errf(k.Line, "terms."+k.Value, "unknown term; expected one of %s", strings.Join(TermKeys(), ", "))
		}
		if got[k.Value] {
			return nil, p.errf(k.Line, "terms."+k.Value, "repeated term")
		}
		got[k.Value] = true
		t, err := p.term(k, v, spec)
		if err != nil {
			return nil, err
		}
		d.Terms = append(d.Terms, t)
		setTerm(d, t)
	}
	for _, s := range termSpecs {
		if s.required && !got[s.key] {
			return nil, p.errf(terms.Line, "terms."+s.key, "required term missing (%s)", s.help)
		}
	}
	if err := d.Validate(); err != nil {
		return nil, p.errf(terms.Line, "terms.waterfall", "%s", nadra.ErrorMessage(err))
	}
	return d, nil
}

type termParser struct {
	file        string
	commodities map[string]bool
}

func (p *termParser) errf(line int, field, format string, args ...any) error {
	return &nadra.InputError{File: p.file, Line: line, Feature: -1, Field: nadra.Truncate(field, 80), Problem: fmt.Sprintf(format, args...)}
}

var (
	yamlLineRE = regexp.MustCompile(`line (\d+): (.*)`)
	slugRE     = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	dateRE     = regexp.MustCompile(`^(19|20)\d\d(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$`)
)

// dealFiles holds the shipped deal terms and model parameters. They are
// not part of the seeded database, so Version does not hash them.
//
//go:embed deals/*.yaml model/*.csv
var dealFiles embed.FS

func (p *termParser) yamlErr(err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		return p.errf(n, "", "not valid YAML: %s", m[2])
	}
	return p.errf(1, "", "not valid YAML: %s", msg)
}

func (p *termParser) str(v *yaml.Node, field string) (string, error) {
	if v.Kind != yaml.ScalarNode || v.Tag != "!!str" {
		return "", p.errf(v.Line, field, "expected text")
	}
	if strings.TrimSpace(v.Value) == "" {
		return "", p.errf(v.Line, field, "empty")
	}
	return strings.TrimSpace(v.Value), nil
}

// text reads a non-empty string of at most max characters.
func (p *termParser) text(v *yaml.Node, field string, max int) (string, error) {
	s, err := p.str(v, field)
	if err != nil {
		return "", err
	}
	if n := utf8.RuneCountInString(s); n > max {
		return "", p.errf(v.Line, field, "%d characters; at most %d allowed", n, max)
	}
	return s, nil
}

func (p *termParser) enum(v *yaml.Node, field string, allowed []string) (string, error) {
	s, err := p.str(v, field)
	if err != nil {
		return "", err
	}
	for _, a := range allowed {
		if s == a {
			return s, nil
		}
	}
	return "", p.errf(v.Line, field, "%q unknown; expected one of %s", s, strings.Join(allowed, ", "))
}

// sources reads one source or a list of them, each with a date.
func (p *termParser) sources(v *yaml.Node, field string) ([]string, error) {
	var nodes []*yaml.Node
	switch v.Kind {
	case yaml.ScalarNode:
		nodes = []*yaml.Node{v}
	case yaml.SequenceNode:
		nodes = v.Content
	default:
		return nil, p.errf(v.Line, field, "expected a source or a list of sources")
	}
	if len(nodes) == 0 {
		return nil, p.errf(v.Line, field, "at least one source required")
	}
	if len(nodes) > nadra.MaxSources {
		return nil, p.errf(v.Line, field, "%d sources; at most %d allowed", len(nodes), nadra.MaxSources)
	}
	var out []string
	for _, n := range nodes {
		s, err := p.str(n, field)
		if err != nil {
			return nil, err
		}
		if err := nadra.ValidateSource(s); err != nil {
			return nil, p.errf(n.Line, field, "%s", nadra.ErrorMessage(err))
		}
		out = append(out, s)
	}
	return out, nil
}

// number reads a decimal number (decimal.Parse). YAML would also take
// 0x10, 0o17, 1_000, .inf and .nan; nadra does not.
func (p *termParser) number(v *yaml.Node, field string) (float64, error) {
	if v.Kind != yaml.ScalarNode || (v.Tag != "!!int" && v.Tag != "!!float") {
		return 0, p.errf(v.Line, field, "expected a number")
	}
	f, ok := decimal.Parse(v.Value)
	if !ok {
		return 0, p.errf(v.Line, field, "%q is not a decimal number; write numbers such as 0.04 or 75000000", nadra.Truncate(v.Value, 40))
	}
	return f, nil
}

func (p *termParser) integer(v *yaml.Node, field string) (int, error) {
	if v.Kind != yaml.ScalarNode || v.Tag != "!!int" {
		return 0, p.errf(v.Line, field, "expected a whole number")
	}
	n, ok := decimal.Whole(v.Value)
	if !ok {
		return 0, p.errf(v.Line, field, "%q is not a whole number", nadra.Truncate(v.Value, 40))
	}
	return n, nil
}

// term reads one term mapping {value, source, note}.
func (p *termParser) term(k, v *yaml.Node, spec termSpec) (nadra.Term, error) {
	name := "terms." + spec.key
	t := nadra.Term{Key: spec.key, Line: k.Line}
	if v.Kind != yaml.MappingNode {
		return t, p.errf(v.Line, name, "expected a mapping with value and source")
	}
	var value *yaml.Node
	seen := map[string]bool{}
	for i := 0; i+1 < len(v.Content); i += 2 {
		kk, vv := v.Content[i], v.Content[i+1]
		if seen[kk.Value] {
			return t, p.errf(kk.Line, name+"."+kk.Value, "repeated key")
		}
		seen[kk.Value] = true
		var err error
		switch kk.Value {
		case "value":
			value = vv
		case "source":
			if t.Source, err = p.sources(vv, name+".source"); err != nil {
				return t, err
			}
		case "note":
			if t.Note, err = p.text(vv, name+".note", nadra.MaxNoteLen); err != nil {
				return t, err
			}
		default:
			return t, p.errf(kk.Line, name+"."+kk.Value, "unknown key; expected value, source and note")
		}
	}
	if value == nil {
		return t, p.errf(k.Line, name+".value", "required")
	}
	if t.Source == nil {
		return t, p.errf(k.Line, name+".source", "required: every term needs a source (a URL or document with its date in parentheses)")
	}
	field := name + ".value"
	var err error
	switch spec.kind {
	case kindShare:
		var f float64
		if f, err = p.number(value, field); err == nil && (f < 0 || f > 1) {
			err = p.errf(value.Line, field, "share %g outside [0, 1]", f)
		}
		t.Value = f
	case kindRate:
		var f float64
		if f, err = p.number(value, field); err == nil && f < 0 {
			err = p.errf(value.Line, field, "negative rate %g; expected 0 to 1 a year", f)
		} else if err == nil && f > 1 {
			err = p.errf(value.Line, field, "rate %g is over 100%% a year; write rates as fractions (0.04 for 4%%)", f)
		}
		t.Value = f
	case kindUSD:
		var f float64
		if f, err = p.number(value, field); err == nil && f < 0 {
			err = p.errf(value.Line, field, "negative amount %g", f)
		}
		t.Value = f
	case kindYear:
		var n int
		if n, err = p.integer(value, field); err == nil && (n < 1990 || n > 2100) {
			err = p.errf(value.Line, field, "year %d out of range 1990–2100", n)
		}
		t.Value = n
	case kindCount:
		var n int
		if n, err = p.integer(value, field); err == nil && (n < 0 || n > 100) {
			err = p.errf(value.Line, field, "%d out of range 0–100", n)
		}
		t.Value = n
	case kindBool:
		if value.Kind != yaml.ScalarNode || value.Tag != "!!bool" {
			err = p.errf(value.Line, field, "expected true or false")
		}
		t.Value = value.Value == "true"
	case kindEnum:
		t.Value, err = p.enum(value, field, spec.enum)
	case kindStreams:
		t.Value, err = p.list(value, field, func(n *yaml.Node, s string) error {
			switch s {
			case nadra.StreamRent, nadra.StreamPSAShare, nadra.StreamPermits:
				return nil
			}
			return p.errf(n.Line, field, "%q unknown; expected rent, psa_share or permits", s)
		})
	case kindCommodities:
		var l []string
		l, err = p.list(value, field, func(n *yaml.Node, s string) error {
			if s == "all" || p.commodities == nil || p.commodities[s] {
				return nil
			}
			return p.errf(n.Line, field, "unknown commodity %q; expected codes from commodities.csv or all", s)
		})
		if err == nil && len(l) == 1 && l[0] == "all" {
			l = []string{"all"}
		} else if err == nil {
			for _, s := range l {
				if s == "all" {
					err = p.errf(value.Line, field, "all cannot be mixed with commodity codes")
				}
			}
		}
		t.Value = l
	case kindFlows:
		t.Value, err = p.flows(value, field)
	case kindText:
		t.Value, err = p.text(value, field, nadra.MaxNoteLen)
	case kindDate:
		// YAML reads 2025-05-23 as a timestamp; take it as written.
		if value.Kind != yaml.ScalarNode || (value.Tag != "!!str" && value.Tag != "!!timestamp") {
			err = p.errf(value.Line, field, "expected a date YYYY-MM-DD")
			break
		}
		s := strings.TrimSpace(value.Value)
		if _, perr := nadra.ParseDate(s); perr != nil || len(s) != 10 {
			err = p.errf(value.Line, field, "%q is not a calendar date YYYY-MM-DD", nadra.Truncate(s, 40))
		}
		t.Value = s
	}
	return t, err
}

func (p *termParser) list(v *yaml.Node, field string, check func(*yaml.Node, string) error) ([]string, error) {
	if v.Kind != yaml.SequenceNode {
		return nil, p.errf(v.Line, field, "expected a list")
	}
	out := []string{}
	seen := map[string]bool{}
	for _, n := range v.Content {
		s, err := p.str(n, field)
		if err != nil {
			return nil, err
		}
		if err := check(n, s); err != nil {
			return nil, err
		}
		if seen[s] {
			return nil, p.errf(n.Line, field, "%q listed twice", s)
		}
		seen[s] = true
		out = append(out, s)
	}
	return out, nil
}

func (p *termParser) flows(v *yaml.Node, field string) ([]nadra.Flow, error) {
	if v.Kind != yaml.SequenceNode {
		return nil, p.errf(v.Line, field, "expected a list of {year, usd}")
	}
	out := []nadra.Flow{}
	for _, n := range v.Content {
		if n.Kind != yaml.MappingNode {
			return nil, p.errf(n.Line, field, "expected {year, usd}")
		}
		var f nadra.Flow
		var hasYear, hasUSD bool
		for i := 0; i+1 < len(n.Content); i += 2 {
			kk, vv := n.Content[i], n.Content[i+1]
			var err error
			switch kk.Value {
			case "year":
				if f.Year, err = p.integer(vv, field+".year"); err == nil && (f.Year < 1990 || f.Year > 2100) {
					err = p.errf(vv.Line, field+".year", "year %d out of range 1990–2100", f.Year)
				}
				hasYear = true
			case "usd":
				if f.USD, err = p.number(vv, field+".usd"); err == nil && f.USD < 0 {
					err = p.errf(vv.Line, field+".usd", "negative amount %g", f.USD)
				}
				hasUSD = true
			default:
				err = p.errf(kk.Line, field+"."+kk.Value, "unknown key; expected year and usd")
			}
			if err != nil {
				return nil, err
			}
		}
		if !hasYear || !hasUSD {
			return nil, p.errf(n.Line, field, "each flow needs year and usd")
		}
		out = append(out, f)
	}
	return out, nil
}

// setTerm copies a checked term into its typed field.
func setTerm(d *nadra.DealTerms, t nadra.Term) {
	switch t.Key {
	case "fund_start_year":
		d.FundStartYear = t.Value.(int)
	case "ukraine_share":
		d.UkraineShare = t.Value.(float64)
	case "revenue_base":
		d.RevenueBase = t.Value.(string)
	case "licensed_undeveloped":
		d.LicensedUndeveloped = t.Value.(bool)
	case "in_force":
		d.InForce = t.Value.(string)
	case "renewals_count":
		d.RenewalsCount = t.Value.(bool)
	case "revenue_streams":
		d.Streams = t.Value.([]string)
	case "commodities":
		if l := t.Value.([]string); !(len(l) == 1 && l[0] == "all") {
			d.Commodities = l
		}
	case "us_cash":
		d.USCash = t.Value.([]nadra.Flow)
	case "ukraine_cash":
		d.UkraineCash = t.Value.([]nadra.Flow)
	case "us_inkind_aid_counts":
		d.InKindAidCounts = t.Value.(bool)
	case "prior_us_aid_usd":
		d.PriorUSAidUSD = t.Value.(float64)
	case "reinvest_years":
		d.ReinvestYears = t.Value.(int)
	case "waterfall":
		d.Waterfall = t.Value.(string)
	case "priority_return_rate":
		d.PriorityReturnRate = t.Value.(float64)
	case "us_share":
		d.USShare = t.Value.(float64)
	case "target_usd":
		d.TargetUSD = t.Value.(float64)
	}
}

// Deals returns the deal terms nadra ships in dataset/deals, ordered by
// id. They are parsed once per process.
func Deals() ([]*nadra.DealTerms, error) {
	dealsOnce.Do(func() { dealsList, dealsErr = loadDeals() })
	return dealsList, dealsErr
}

// Deal returns the shipped terms with the given id, or ENOTFOUND.
func Deal(id string) (*nadra.DealTerms, error) {
	all, err := Deals()
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, d := range all {
		if d.ID == id {
			return d, nil
		}
		ids = append(ids, d.ID)
	}
	return nil, nadra.Errorf(nadra.ENOTFOUND, "no deal terms %q; shipped terms are %s, or give a path to a terms file", id, strings.Join(ids, ", "))
}

var (
	dealsOnce sync.Once
	dealsList []*nadra.DealTerms
	dealsErr  error
)

func loadDeals() ([]*nadra.DealTerms, error) {
	ds, err := Default()
	if err != nil {
		return nil, err
	}
	known := CommodityCodes(ds.Commodities)
	names, _ := fs.Glob(dealFiles, "deals/*.yaml")
	sort.Strings(names)
	var out []*nadra.DealTerms
	for _, name := range names {
		b, _ := dealFiles.ReadFile(name)
		d, err := ParseTerms("dataset/"+name, b, known)
		if err != nil {
			return nil, err
		}
		if want := strings.TrimSuffix(path.Base(name), ".yaml"); d.ID != want {
			return nil, fmt.Errorf("dataset/%s: id %q does not match the file name", name, d.ID)
		}
		out = append(out, d)
	}
	return out, nil
}

// Yardstick is what the plain-sentence summary of a simulation compares
// the fund's receipts with: the February 2025 draft's $500 bn target. It
// is zero when the draft's file gives no target.
func Yardstick() deal.Yardstick {
	d, err := Deal("draft-2025-02")
	if err != nil {
		return deal.Yardstick{}
	}
	return deal.Yardstick{USD: d.TargetUSD, Where: "the February draft"}
}
