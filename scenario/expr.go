// Package scenario is the scenario language: expressions over named
// regions (occupied@DATE, grey@DATE, oblast:UA-xx, file:NAME) combined
// with |, & and -, parsed (Parse), bound to geometry (Bind, or an
// Evaluator that resolves regions from snapshots, boundaries and polygon
// files) and evaluated against the deposit registry: the access report
// under the scenario and what changes hands against a baseline
// (Evaluator.Evaluate). The geometry itself is package geo's; the
// shipped, named scenarios are dataset.Scenario.
package scenario

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	"nadra"
	"nadra/geo"

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
//
// Every step of the overlay costs tens of milliseconds, so expressions are
// bounded: Parse refuses one over MaxExprBytes, naming more than
// MaxExprRegions regions or nesting parentheses deeper than MaxExprDepth,
// and a file: region may have at most MaxVertices vertices.

// Limits of a scenario expression and its polygon files. A scenario that
// needs more is better drawn as one polygon (file:NAME).
const (
	// MaxExprBytes bounds an expression's length, shipped ids expanded.
	MaxExprBytes = 1024
	// MaxExprRegions bounds the regions an expression names, repeats
	// counted: each costs an overlay step.
	MaxExprRegions = 32
	// MaxExprDepth bounds the nesting of parentheses.
	MaxExprDepth = 16
	// MaxVertices bounds the vertices (positions, all rings of
	// all polygons) of a polygon file used as a region, or drawn.
	MaxVertices = 10_000
)

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

// tokenize splits s into tokens, refusing more than MaxExprRegions
// regions and parentheses nested deeper than MaxExprDepth at the column
// where the limit is passed, before anything recurses over them.
func tokenize(s string) ([]token, error) {
	var toks []token
	regions, depth := 0, 0
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n':
			i++
		case c == '(' || c == ')' || c == '|' || c == '&':
			switch c {
			case '(':
				if depth++; depth > MaxExprDepth {
					return nil, &ParseError{s, i + 1, fmt.Sprintf("parentheses nested more than %d deep; an expression may nest at most %d", MaxExprDepth, MaxExprDepth)}
				}
			case ')':
				depth--
			}
			toks = append(toks, token{c, string(c), i + 1})
			i++
		case c == '-' && (i+1 == len(s) || !isRegionChar(s[i+1]) || s[i+1] == '-'):
			toks = append(toks, token{'-', "-", i + 1})
			i++
		case c == '-':
			// A hyphen glued to a word: a difference needs spaces around it.
			return nil, &ParseError{s, i + 1, "put spaces around the - operator"}
		case isRegionChar(c):
			if regions++; regions > MaxExprRegions {
				return nil, &ParseError{s, i + 1, fmt.Sprintf("more than %d regions; an expression may name at most %d (draw one polygon for file: instead of many regions)", MaxExprRegions, MaxExprRegions)}
			}
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

// Parse parses an expression. Errors are *ParseError with the
// column, or an EINVALID error for an expression over MaxExprBytes (too
// long to show with a caret).
func Parse(s string) (*Expr, error) {
	if strings.TrimSpace(s) == "" {
		return nil, &ParseError{s, 1, "empty expression; expected a region such as occupied@latest"}
	}
	if len(s) > MaxExprBytes {
		return nil, nadra.Errorf(nadra.EINVALID, "the expression is %d bytes long; at most %d bytes are allowed", len(s), MaxExprBytes)
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
				msg := fmt.Sprintf("%q is not a date; expected YYYY-MM-DD or latest", arg)
				if p := nadra.DateProblem(arg); p != "expected YYYY-MM-DD" {
					msg = fmt.Sprintf("%q is not a date: %s", arg, p)
				}
				return Ref{}, &ParseError{src, t.col + len(kind) + 1, msg}
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

// Bound is an expression bound to geometry: a point test and, built on
// first use, the area it covers.
type Bound struct {
	Expr    *Expr
	Source  string
	regions map[Ref][]*geo.Region // a region may come in parts, e.g. occupied since and before 2022

	mu       sync.Mutex // guards the area
	areaDone bool
	area     orb.MultiPolygon
	areaErr  error
}

// Resolver returns the geometry of a region, in parts that may overlap
// (each part's own polygons must not). It returns an EINVALID error naming
// the known regions when one does not exist, and ctx's error when ctx
// ends.
type Resolver func(ctx context.Context, r Ref) ([]orb.MultiPolygon, error)

// Bind resolves every region of e. It stops with ctx's error when
// ctx ends.
func Bind(ctx context.Context, source string, e *Expr, resolve Resolver) (*Bound, error) {
	s := &Bound{Expr: e, Source: source, regions: map[Ref][]*geo.Region{}}
	for _, r := range e.Refs() {
		key := Ref{Kind: r.Kind, Arg: r.Arg}
		if _, ok := s.regions[key]; ok {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		parts, err := resolve(ctx, r)
		if err != nil {
			return nil, err
		}
		s.regions[key] = []*geo.Region{} // resolved, even if empty
		for _, mp := range parts {
			s.regions[key] = append(s.regions[key], geo.NewRegion(mp))
		}
	}
	return s, nil
}

// Contains reports whether p is occupied under the scenario, by
// point-level logic over the regions (a point on a region's edge is in it).
func (s *Bound) Contains(p orb.Point) bool { return s.contains(s.Expr, p) }

func (s *Bound) contains(e *Expr, p orb.Point) bool {
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

// Area returns the area the scenario covers, by polygon overlay, computed
// once. The overlay checks ctx between its steps (each one union,
// intersection or difference) and stops with ctx's error when ctx ends;
// that error is not kept, so a later call computes the area afresh.
func (s *Bound) Area(ctx context.Context) (orb.MultiPolygon, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.areaDone {
		return s.area, s.areaErr
	}
	area, err := s.overlay(ctx, s.Expr, map[Ref]orb.MultiPolygon{})
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return nil, err
	}
	s.area, s.areaErr, s.areaDone = area, err, true
	return area, err
}

// overlay computes e's area; leaves holds each region's union of parts,
// computed once however often the expression names the region.
func (s *Bound) overlay(ctx context.Context, e *Expr, leaves map[Ref]orb.MultiPolygon) (orb.MultiPolygon, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if e.op == 0 {
		key := Ref{Kind: e.ref.Kind, Arg: e.ref.Arg}
		if mp, ok := leaves[key]; ok {
			return mp, nil
		}
		var parts []orb.MultiPolygon
		for _, r := range s.regions[key] {
			parts = append(parts, r.MultiPolygon())
		}
		mp, err := geo.Union(parts...)
		if err != nil {
			return nil, err
		}
		leaves[key] = mp
		return mp, nil
	}
	l, err := s.overlay(ctx, e.left, leaves)
	if err != nil {
		return nil, err
	}
	r, err := s.overlay(ctx, e.right, leaves)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	switch e.op {
	case '|':
		return geo.Union(l, r)
	case '&':
		return geo.Intersection(l, r)
	}
	return geo.Difference(l, r)
}

// Situation is what a scenario says is occupied, as a Situation:
// occupied or controlled (a scenario has no grey zone). It measures
// distances on the scenario's overlay area.
type Situation struct {
	sc      *Bound
	pre     *geo.Region // areas occupied before 2022, for "since"
	borders *geo.Lines

	area       *geo.Region
	controlled *geo.Region
	label      string
}

// NewSituation returns the situation of sc. pre2022 is the latest
// snapshot's pre-2022 area: deposits in it are occupied "before 2022". It
// builds the scenario's area and the controlled ground around it by
// overlay, checking ctx between the steps: the error is the overlay's, or
// ctx's when ctx ends.
func NewSituation(ctx context.Context, sc *Bound, pre2022 orb.MultiPolygon, b *nadra.Boundaries) (*Situation, error) {
	s := &Situation{sc: sc, pre: geo.NewRegion(pre2022), label: "scenario: " + sc.Source, borders: geo.HostileBorders(b)}
	area, err := sc.Area(ctx)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.area = geo.NewRegion(area)
	if s.controlled, err = geo.ControlledGround(b, area); err != nil {
		return nil, err
	}
	return s, nil
}

// Status implements Situation.
func (s *Situation) Status(p orb.Point) (nadra.Status, string) {
	if !s.sc.Contains(p) {
		return nadra.StatusControlled, ""
	}
	if s.pre.Contains(p) {
		return nadra.StatusOccupied, nadra.SinceBefore
	}
	return nadra.StatusOccupied, ""
}

// HostileKm implements Situation.
func (s *Situation) HostileKm(p orb.Point) float64 {
	return geo.NearestKm(p, s.borders, s.area)
}

// ControlledKm implements Situation.
func (s *Situation) ControlledKm(p orb.Point) float64 {
	return geo.DistanceOrInf(s.controlled, p)
}

// Describe implements Situation.
func (s *Situation) Describe() (string, bool, []string) {
	return s.label, true, []string{"Under a scenario a deposit is occupied if the expression covers it, otherwise controlled; scenarios have no grey zone."}
}
