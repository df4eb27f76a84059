package nadra

import (
	"sort"
	"strings"
)

// Class is a CRIRSCO-style confidence class (JORC, NI 43-101, PERC …).
// Values are persisted and sent over the wire: append only.
type Class string

// Classes of the crosswalk, from most to least confident.
const (
	ClassMeasured    Class = "measured"
	ClassIndicated   Class = "indicated"
	ClassInferred    Class = "inferred"
	ClassPotential   Class = "exploration_potential" // not a resource in CRIRSCO terms
	ClassUnspecified Class = "unspecified"
)

// CategoryAtom is one published category, as it is written in the source:
// a Soviet/GKZ/DKZ letter category (A, B, C1, C2, P1–P3), a CRIRSCO class
// (measured, indicated, inferred), a CRIRSCO reserve (proved, probable) or
// "unspecified" when the source gives none.
type CategoryAtom struct {
	Code   string // as written in estimates.csv
	System string // "soviet", "crirsco" or ""
	Class  Class  // CRIRSCO equivalent by the crosswalk
	// Spread is the relative half-width used for grade and tonnage
	// uncertainty in models: widest for inferred and potential.
	Spread float64
}

// CrosswalkSource cites the mapping from Soviet to CRIRSCO categories.
const CrosswalkSource = "S. Henley, \"The Russian system of resource/reserves classification\", Silicon Dale column, " +
	"http://www.vmine.net/resourcescomputing/silicon5.htm (n.d.): \"consider categories A and B as equivalent to measured " +
	"resources, and category C1 as an indicated resource. C2 is then an inferred resource … The 'P' categories … have no " +
	"equivalent\" | S. Henley, \"New guidelines for international reporting of Russian mineral resources and reserves\", " +
	"CIM Magazine, https://MRMR.CIM.org/en/library/magazine-articles/new-guidelines-for-international-reporting-of-russian-mineral-resources-and-reserves/ (2010-11)"

// Crosswalk maps every category atom nadra accepts to its CRIRSCO
// equivalent: A+B ≈ measured, C1 ≈ indicated, C2 ≈ inferred,
// P1–P3 ≈ exploration potential (not a resource). It is the one table of
// its kind in nadra; see CrosswalkSource. The spreads are nadra's modelling
// assumption, not part of the crosswalk's source.
var Crosswalk = map[string]CategoryAtom{
	"A":           {"A", "soviet", ClassMeasured, 0.10},
	"B":           {"B", "soviet", ClassMeasured, 0.10},
	"C1":          {"C1", "soviet", ClassIndicated, 0.20},
	"C2":          {"C2", "soviet", ClassInferred, 0.40},
	"P1":          {"P1", "soviet", ClassPotential, 0.60},
	"P2":          {"P2", "soviet", ClassPotential, 0.70},
	"P3":          {"P3", "soviet", ClassPotential, 0.80},
	"proved":      {"proved", "crirsco", ClassMeasured, 0.10},
	"probable":    {"probable", "crirsco", ClassIndicated, 0.20},
	"measured":    {"measured", "crirsco", ClassMeasured, 0.10},
	"indicated":   {"indicated", "crirsco", ClassIndicated, 0.20},
	"inferred":    {"inferred", "crirsco", ClassInferred, 0.40},
	"unspecified": {"unspecified", "", ClassUnspecified, 0.50},
}

// CategoryCodes returns the accepted category atoms, sorted.
func CategoryCodes() []string {
	codes := make([]string, 0, len(Crosswalk))
	for c := range Crosswalk {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	return codes
}

// ParseCategory splits a published category such as "B+C1+C2" into its
// atoms. It returns an EINVALID error naming the first unknown atom.
func ParseCategory(s string) ([]CategoryAtom, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, Errorf(EINVALID, "empty category; expected one of %s, joined with +", strings.Join(CategoryCodes(), ", "))
	}
	var atoms []CategoryAtom
	seen := map[string]bool{}
	for _, part := range strings.Split(s, "+") {
		part = strings.TrimSpace(part)
		a, ok := Crosswalk[part]
		if !ok {
			return nil, Errorf(EINVALID, "unknown category %q; expected one of %s, joined with +", part, strings.Join(CategoryCodes(), ", "))
		}
		if seen[part] {
			return nil, Errorf(EINVALID, "category %q repeats %q", s, part)
		}
		seen[part] = true
		atoms = append(atoms, a)
	}
	if len(atoms) > 1 && seen["unspecified"] {
		return nil, Errorf(EINVALID, "category %q mixes unspecified with named categories", s)
	}
	return atoms, nil
}

// LeastConfidentClass returns the least confident class among atoms,
// which is what a combined figure such as B+C1+C2 can be relied on for.
func LeastConfidentClass(atoms []CategoryAtom) Class {
	order := map[Class]int{ClassMeasured: 0, ClassIndicated: 1, ClassInferred: 2, ClassPotential: 3, ClassUnspecified: 4}
	worst := ClassMeasured
	for _, a := range atoms {
		if order[a.Class] > order[worst] {
			worst = a.Class
		}
	}
	return worst
}
