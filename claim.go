package nadra

import (
	"regexp"
	"strings"
)

// ClaimKind says what a public claim states, and so how nadra tests it.
// Values are persisted and sent over the wire: append only.
type ClaimKind string

// Claim kinds.
const (
	// ClaimOccupiedShare: a share (0–1) of Ukraine's resources in Scope
	// that is occupied or out of reach.
	ClaimOccupiedShare ClaimKind = "occupied_share"
	// ClaimOccupiedValue: the value in USD of the resources in Scope that
	// lie in occupied territory.
	ClaimOccupiedValue ClaimKind = "occupied_value"
	// ClaimTotalValue: the value in USD of all of Ukraine's resources in
	// Scope.
	ClaimTotalValue ClaimKind = "total_value"
	// ClaimSupplyShare: a country's share (0–1) of world supply of one
	// commodity at one stage (Stage, Country).
	ClaimSupplyShare ClaimKind = "supply_share"
	// ClaimTarget: a drafted or demanded amount in USD, not a valuation.
	ClaimTarget ClaimKind = "target"
)

// ClaimKinds lists the kinds.
var ClaimKinds = []ClaimKind{ClaimOccupiedShare, ClaimOccupiedValue, ClaimTotalValue, ClaimSupplyShare, ClaimTarget}

// ClaimOp is how a claim states its number.
type ClaimOp string

// Claim operators: "about" (within Tolerance), "less than", "more than".
const (
	OpAbout    ClaimOp = "about"
	OpLess     ClaimOp = "lt"
	OpMore     ClaimOp = "gt"
	OpNoNumber ClaimOp = "" // only with ClaimTarget's context figures
)

// ClaimMethod is a way nadra measures a share or a value of the registry.
// Values are persisted and sent over the wire: append only.
type ClaimMethod string

// Methods.
const (
	MethodCount     ClaimMethod = "count"            // deposits
	MethodContained ClaimMethod = "contained"        // tonnes of one basis: one commodity only
	MethodInSitu    ClaimMethod = "in_situ_value"    // contained × price, an upper bound
	MethodNet       ClaimMethod = "net_value"        // recoverable product × (price − opex) − capex, from the deal model
	MethodSupply    ClaimMethod = "production_share" // world production tables
	MethodContext   ClaimMethod = "context"          // a figure for scale, not a test
)

// ClaimMethods lists the registry methods in order.
var ClaimMethods = []ClaimMethod{MethodCount, MethodContained, MethodInSitu, MethodNet}

// Pre-2022 readings of a claim: whether the areas occupied before 2022
// (Crimea, parts of Donetsk and Luhansk) count.
const (
	Pre2022Included = "included"
	Pre2022Excluded = "excluded"
	Pre2022Unstated = "" // both readings are tested
)

// Claim is one public quantitative claim, as published, with what nadra
// needs to test it.
type Claim struct {
	ID    string    `json:"id"`
	Date  string    `json:"date"` // YYYY-MM-DD of the statement
	Who   string    `json:"who"`
	Words string    `json:"words"` // the exact words, as published
	Basis string    `json:"basis"` // the basis the claim states, as published, or "not stated"
	Kind  ClaimKind `json:"kind"`
	// Scope is what the claim is about: "all", a commodity class
	// (metallic, energy, industrial), "critical" (on the US 2025 or the
	// EU 2023 list) or one commodity code.
	Scope     string   `json:"scope"`
	Op        ClaimOp  `json:"op"`
	Value     *float64 `json:"value"`     // a share 0–1 or USD
	Tolerance *float64 `json:"tolerance"` // for "about": share points, or a fraction of a USD value
	// Methods are the methods the stated basis fits; empty: every method
	// that fits the kind.
	Methods []ClaimMethod `json:"methods"`
	Pre2022 string        `json:"pre2022"`           // included, excluded or "" (unstated)
	Stage   string        `json:"stage,omitempty"`   // supply_share: mine or refining
	Country string        `json:"country,omitempty"` // supply_share: ISO code
	Note    string        `json:"note"`
	Sources []string      `json:"sources"`
}

var claimDateRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// Validate returns an EINVALID error "field: problem" for the first bad
// field.
func (c *Claim) Validate() error {
	switch {
	case len(c.ID) > MaxIDLen || !slugRE.MatchString(c.ID):
		return Errorf(EINVALID, "id: %q is not a slug of at most %d characters", c.ID, MaxIDLen)
	case !claimDateRE.MatchString(c.Date):
		return Errorf(EINVALID, "date: %q; expected YYYY-MM-DD", c.Date)
	case strings.TrimSpace(c.Who) == "":
		return Errorf(EINVALID, "who: required")
	case strings.TrimSpace(c.Words) == "":
		return Errorf(EINVALID, "words: required: the claim's exact words")
	case strings.TrimSpace(c.Basis) == "":
		return Errorf(EINVALID, "basis: required; write \"not stated\" when the claim states none")
	case c.Pre2022 != Pre2022Included && c.Pre2022 != Pre2022Excluded && c.Pre2022 != Pre2022Unstated:
		return Errorf(EINVALID, "pre2022: %q; expected included, excluded or empty", c.Pre2022)
	case strings.TrimSpace(c.Scope) == "":
		return Errorf(EINVALID, "scope: required")
	}
	if _, err := ParseDate(c.Date); err != nil {
		return Errorf(EINVALID, "date: %q is not a calendar date", c.Date)
	}
	known := false
	for _, k := range ClaimKinds {
		known = known || k == c.Kind
	}
	if !known {
		return Errorf(EINVALID, "kind: %q unknown; expected occupied_share, occupied_value, total_value, supply_share or target", c.Kind)
	}
	switch c.Op {
	case OpAbout, OpLess, OpMore:
		if c.Value == nil || !(*c.Value >= 0) {
			return Errorf(EINVALID, "value: a non-negative number is required with op %q", c.Op)
		}
	default:
		return Errorf(EINVALID, "op: %q unknown; expected about, lt or gt", c.Op)
	}
	share := c.Kind == ClaimOccupiedShare || c.Kind == ClaimSupplyShare
	if share && *c.Value > 1 {
		return Errorf(EINVALID, "value: %g; a share is a fraction from 0 to 1", *c.Value)
	}
	if c.Op == OpAbout && (c.Tolerance == nil || !(*c.Tolerance > 0 && *c.Tolerance < 1)) {
		return Errorf(EINVALID, "tolerance: required with op about: share points (0.05 = 5 points) or a fraction of a value (0.25 = ±25%%), between 0 and 1")
	}
	if c.Kind == ClaimSupplyShare && (c.Stage != StageMine && c.Stage != StageRefining || c.Country == "") {
		return Errorf(EINVALID, "stage: a supply_share claim needs stage (mine or refining) and country")
	}
	for _, m := range c.Methods {
		ok := false
		for _, x := range append(append([]ClaimMethod{}, ClaimMethods...), MethodSupply) {
			ok = ok || m == x
		}
		if !ok {
			return Errorf(EINVALID, "methods: %q unknown; expected count, contained, in_situ_value or net_value", m)
		}
	}
	for _, f := range []struct{ field, s string }{{"who", c.Who}, {"words", c.Words}, {"basis", c.Basis}, {"note", c.Note}} {
		if err := checkLen(f.field, f.s, MaxNoteLen); err != nil {
			return err
		}
	}
	return validateSources("sources", c.Sources)
}

// ClaimVerdict is nadra's reading of a claim against its data.
type ClaimVerdict string

// Verdicts.
const (
	VerdictConsistent    ClaimVerdict = "consistent"
	VerdictNotConsistent ClaimVerdict = "not consistent"
	VerdictNotTestable   ClaimVerdict = "not testable with this data"
)

// ClaimCoverage says what a figure rests on.
type ClaimCoverage struct {
	Deposits   int `json:"deposits"`    // in scope (for a share: in its universe)
	Located    int `json:"located"`     // with a control status
	WithFigure int `json:"with_figure"` // located and carrying the method's figure
	Valued     int `json:"valued"`      // located and carrying an in-situ value
}

// ClaimFigure is nadra's own figure for a claim under one method, on one
// line, with or without the areas occupied before 2022.
type ClaimFigure struct {
	Method   ClaimMethod `json:"method"`
	Line     string      `json:"line"`     // "claim date" or "latest"
	Snapshot string      `json:"snapshot"` // the snapshot used; "" for supply figures
	Pre2022  bool        `json:"pre2022"`  // areas occupied before 2022 included
	// Value is the share (0–1) or the USD figure; nil when it cannot be
	// computed.
	Value *float64 `json:"value"`
	// Part and Whole are the sums the share divides (deposits, tonnes or
	// USD), or for a value the figure itself as Part.
	Part     *float64      `json:"part"`
	Whole    *float64      `json:"whole"`
	Unit     string        `json:"unit"` // "deposits", "t LCE", "USD", "share of world"
	Coverage ClaimCoverage `json:"coverage"`
	// Deposits are the deposits behind Part: for a share, the inaccessible
	// ones carrying the method's figure; for a value, those valued.
	Deposits []string     `json:"deposits"`
	Verdict  ClaimVerdict `json:"verdict"`
	Why      string       `json:"why"`
}

// ClaimResult is a claim with nadra's figures and its verdict.
type ClaimResult struct {
	Claim   Claim         `json:"claim"`
	Figures []ClaimFigure `json:"figures"`
	// Verdict and Why sum up the figures on the claim's own date that fit
	// its stated basis: consistent if any testable one is, not consistent
	// if every testable one is not, otherwise not testable.
	Verdict ClaimVerdict `json:"verdict"`
	Why     string       `json:"why"`
}

// ClaimsReport is every claim's result.
type ClaimsReport struct {
	Latest string        `json:"latest"` // the latest snapshot's date
	Claims []ClaimResult `json:"claims"`
	Notes  []string      `json:"notes"`
}
