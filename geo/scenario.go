package geo

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"nadra"

	"github.com/paulmach/orb"
)

// A scenario is an expression over named regions that decides what is
// occupied: for example
//
//	occupied@2025-02-12 | oblast:UA-14 | oblast:UA-09
//	(occupied@latest - file:swap-area) | file:other-side
//
// Regions:
//
//	occupied@DATE   occupied ground (since 2022 and before) in the snapshot in force on DATE
//	grey@DATE       the grey zone in that snapshot (empty where it is unknown)
//	oblast:UA-xx    an oblast, by ISO 3166-2 code
//	file:NAME       a GeoJSON polygon file a user drew (or a shipped one)
//
// DATE is YYYY-MM-DD or "latest". Operators are | (union), & (intersection)
// and - (difference); & binds tighter than | and -, which associate left.
// Parentheses group. Put spaces around - : dates and codes contain hyphens.
//
// Classification is point-level logic over the named regions (no polygon
// clipping); areas and distances use the regions' overlay.

// Ref is a region named in an expression.
type Ref struct {
	Kind string // "occupied", "grey", "oblast" or "file"
	Arg  string // the date, ISO code or file name
	Col  int    // 1-based column in the expression
}

// String returns the region as written.
func (r Ref) String() string {
	if r.Kind == "occupied" || r.Kind == "grey" {
		return r.Kind + "@" + r.Arg
	}
	return r.Kind + ":" + r.Arg
}

// Expr is a parsed scenario expression.
type Expr struct {
	op          byte // 0 for a region; '|', '&' or '-'
	ref         Ref
	left, right *Expr
}

// Refs returns the regions the expression names, in order of appearance.
func (e *Expr) Refs() []Ref {
	if e.op == 0 {
		return []Ref{e.ref}
	}
	return append(e.left.Refs(), e.right.Refs()...)
}

// String returns the expression fully parenthesised.
func (e *Expr) String() string {
	if e.op == 0 {
		return e.ref.String()
	}
	return "(" + e.left.String() + " " + string(e.op) + " " + e.right.String() + ")"
}

// ParseError is a syntax error at a column of the expression.
type ParseError struct {
	Expr string
	Col  int // 1-based
	Msg  string
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("scenario, column %d: %s\n  %s\n  %s^", e.Col, e.Msg, e.Expr, strings.Repeat(" ", e.Col-1))
}

type token struct {
	kind byte // 'r' region, '(', ')', '|', '&', '-', 0 end
	text string
	col  int
}

func isRegionChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '_' || c == '.' || c == ':' || c == '@' || c == '/' || c == '-'
}

func tokenize(s string) ([]token, error) {
	var toks []token
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n':
			i++
		case c == '(' || c == ')' || c == '|' || c == '&':
			toks = append(toks, token{c, string(c), i + 1})
			i++
		case c == '-' && (i+1 == len(s) || !isRegionChar(s[i+1]) || s[i+1] == '-'):
			toks = append(toks, token{'-', "-", i + 1})
			i++
		case c == '-':
			// A hyphen glued to a word: a difference needs spaces around it.
			return nil, &ParseError{s, i + 1, "put spaces around the - operator"}
		case isRegionChar(c):
			j := i
			for j < len(s) && isRegionChar(s[j]) {
				j++
			}
			toks = append(toks, token{'r', s[i:j], i + 1})
			i = j
		default:
			return nil, &ParseError{s, i + 1, fmt.Sprintf("unexpected character %q", c)}
		}
	}
	return append(toks, token{0, "", len(s) + 1}), nil
}

// ParseScenario parses an expression. Errors are *ParseError with the
// column, or EINVALID errors naming an unknown kind of region.
func ParseScenario(s string) (*Expr, error) {
	if strings.TrimSpace(s) == "" {
		return nil, &ParseError{s, 1, "empty expression; expected a region such as occupied@latest"}
	}
	toks, err := tokenize(s)
	if err != nil {
		return nil, err
	}
	p := &parser{src: s, toks: toks}
	e, err := p.expr()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != 0 {
		return nil, &ParseError{s, t.col, fmt.Sprintf("unexpected %q; expected an operator (| & -) or the end", t.text)}
	}
	return e, nil
}

type parser struct {
	src  string
	toks []token
	pos  int
}

func (p *parser) peek() token { return p.toks[p.pos] }
func (p *parser) next() token { t := p.toks[p.pos]; p.pos++; return t }

func (p *parser) expr() (*Expr, error) {
	left, err := p.term()
	if err != nil {
		return nil, err
	}
	for p.peek().kind == '|' || p.peek().kind == '-' {
		op := p.next().kind
		right, err := p.term()
		if err != nil {
			return nil, err
		}
		left = &Expr{op: op, left: left, right: right}
	}
	return left, nil
}

func (p *parser) term() (*Expr, error) {
	left, err := p.factor()
	if err != nil {
		return nil, err
	}
	for p.peek().kind == '&' {
		p.next()
		right, err := p.factor()
		if err != nil {
			return nil, err
		}
		left = &Expr{op: '&', left: left, right: right}
	}
	return left, nil
}

func (p *parser) factor() (*Expr, error) {
	t := p.next()
	switch t.kind {
	case '(':
		e, err := p.expr()
		if err != nil {
			return nil, err
		}
		if c := p.next(); c.kind != ')' {
			return nil, &ParseError{p.src, c.col, fmt.Sprintf("expected ) to close the ( at column %d", t.col)}
		}
		return e, nil
	case 'r':
		ref, err := parseRef(p.src, t)
		if err != nil {
			return nil, err
		}
		return &Expr{ref: ref}, nil
	case 0:
		return nil, &ParseError{p.src, t.col, "unexpected end; expected a region or ("}
	}
	return nil, &ParseError{p.src, t.col, fmt.Sprintf("unexpected %q; expected a region or (", t.text)}
}

// RegionHelp lists the kinds of region an expression may name.
const RegionHelp = "occupied@DATE, grey@DATE (DATE is YYYY-MM-DD or latest), oblast:UA-xx, file:NAME"

func parseRef(src string, t token) (Ref, error) {
	if kind, arg, ok := strings.Cut(t.text, "@"); ok && (kind == "occupied" || kind == "grey") {
		if arg != "latest" {
			if _, err := nadra.ParseDate(arg); err != nil {
				return Ref{}, &ParseError{src, t.col + len(kind) + 1, fmt.Sprintf("%q is not a date; expected YYYY-MM-DD or latest", arg)}
			}
		}
		return Ref{kind, arg, t.col}, nil
	}
	if kind, arg, ok := strings.Cut(t.text, ":"); ok && (kind == "oblast" || kind == "file") && arg != "" {
		if kind == "oblast" && nadra.Oblasts[arg] == "" {
			var codes []string
			for c := range nadra.Oblasts {
				codes = append(codes, c)
			}
			sort.Strings(codes)
			return Ref{}, &ParseError{src, t.col + len(kind) + 1, fmt.Sprintf("unknown oblast %q; known: %s", arg, strings.Join(codes, " "))}
		}
		return Ref{kind, arg, t.col}, nil
	}
	return Ref{}, &ParseError{src, t.col, fmt.Sprintf("unknown region %q; known regions: %s", t.text, RegionHelp)}
}

// Scenario is an expression bound to geometry: a point test and, built on
// first use, the area it covers.
type Scenario struct {
	Expr    *Expr
	Source  string
	regions map[Ref][]*Region // a region may come in parts, e.g. occupied since and before 2022
	once    sync.Once
	area    orb.MultiPolygon
	areaErr error
}

// Resolver returns the geometry of a region, in parts that may overlap
// (each part's own polygons must not). It returns an EINVALID error naming
// the known regions when one does not exist.
type Resolver func(Ref) ([]orb.MultiPolygon, error)

// BindScenario resolves every region of e.
func BindScenario(source string, e *Expr, resolve Resolver) (*Scenario, error) {
	s := &Scenario{Expr: e, Source: source, regions: map[Ref][]*Region{}}
	for _, r := range e.Refs() {
		key := Ref{Kind: r.Kind, Arg: r.Arg}
		if _, ok := s.regions[key]; ok {
			continue
		}
		parts, err := resolve(r)
		if err != nil {
			return nil, err
		}
		for _, mp := range parts {
			s.regions[key] = append(s.regions[key], NewRegion(mp))
		}
	}
	return s, nil
}

// Contains reports whether p is occupied under the scenario, by
// point-level logic over the regions (a point on a region's edge is in it).
func (s *Scenario) Contains(p orb.Point) bool { return s.contains(s.Expr, p) }

func (s *Scenario) contains(e *Expr, p orb.Point) bool {
	switch e.op {
	case '|':
		return s.contains(e.left, p) || s.contains(e.right, p)
	case '&':
		return s.contains(e.left, p) && s.contains(e.right, p)
	case '-':
		return s.contains(e.left, p) && !s.contains(e.right, p)
	}
	for _, r := range s.regions[Ref{Kind: e.ref.Kind, Arg: e.ref.Arg}] {
		if r.Contains(p) {
			return true
		}
	}
	return false
}

// Area returns the area the scenario covers, by polygon overlay.
func (s *Scenario) Area() (orb.MultiPolygon, error) {
	s.once.Do(func() { s.area, s.areaErr = s.overlay(s.Expr) })
	return s.area, s.areaErr
}

func (s *Scenario) overlay(e *Expr) (orb.MultiPolygon, error) {
	if e.op == 0 {
		var parts []orb.MultiPolygon
		for _, r := range s.regions[Ref{Kind: e.ref.Kind, Arg: e.ref.Arg}] {
			parts = append(parts, r.MultiPolygon())
		}
		return Union(parts...)
	}
	l, err := s.overlay(e.left)
	if err != nil {
		return nil, err
	}
	r, err := s.overlay(e.right)
	if err != nil {
		return nil, err
	}
	switch e.op {
	case '|':
		return Union(l, r)
	case '&':
		return Intersection(l, r)
	}
	return Difference(l, r)
}

// ScenarioSituation is what a scenario says is occupied, as a Situation:
// occupied or controlled (a scenario has no grey zone). It measures
// distances on the scenario's overlay area.
type ScenarioSituation struct {
	sc      *Scenario
	pre     *Region // areas occupied before 2022, for "since"
	bounds  *nadra.Boundaries
	borders orb.MultiLineString

	once       sync.Once
	area       *Region
	controlled *Region
	err        error
	label      string
}

// NewScenarioSituation returns the situation of sc. pre2022 is the latest
// snapshot's pre-2022 area: deposits in it are occupied "before 2022".
func NewScenarioSituation(sc *Scenario, pre2022 orb.MultiPolygon, b *nadra.Boundaries) *ScenarioSituation {
	s := &ScenarioSituation{sc: sc, pre: NewRegion(pre2022), bounds: b, label: "scenario: " + sc.Source}
	for _, k := range []string{"RU", "BY"} {
		s.borders = append(s.borders, b.Borders[k]...)
	}
	return s
}

// Status implements Situation.
func (s *ScenarioSituation) Status(p orb.Point) (nadra.Status, string) {
	if !s.sc.Contains(p) {
		return nadra.StatusControlled, ""
	}
	if s.pre.Contains(p) {
		return nadra.StatusOccupied, nadra.SinceBefore
	}
	return nadra.StatusOccupied, ""
}

func (s *ScenarioSituation) build() {
	area, err := s.sc.Area()
	if err != nil {
		s.err = err
		return
	}
	s.area = NewRegion(area)
	s.controlled, s.err = controlledGround(s.bounds, area)
}

// Err returns the overlay error, if building the scenario's area failed.
func (s *ScenarioSituation) Err() error { s.once.Do(s.build); return s.err }

// HostileKm implements Situation.
func (s *ScenarioSituation) HostileKm(p orb.Point) float64 {
	s.once.Do(s.build)
	if s.area == nil {
		return hostileKm(p, s.borders)
	}
	return hostileKm(p, s.borders, s.area)
}

// ControlledKm implements Situation.
func (s *ScenarioSituation) ControlledKm(p orb.Point) float64 {
	s.once.Do(s.build)
	return distanceOrInf(s.controlled, p)
}

// Describe implements Situation.
func (s *ScenarioSituation) Describe() (string, bool, []string) {
	return s.label, true, []string{"Under a scenario a deposit is occupied if the expression covers it, otherwise controlled; scenarios have no grey zone."}
}
