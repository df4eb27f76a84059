package nadra

import (
	"context"
	"math"
	"regexp"
	"sort"
	"strings"
)

// Commodity is a mineral commodity with the basis its price is quoted in.
type Commodity struct {
	Code           string   `json:"code"`
	Name           string   `json:"name"`
	Basis          string   `json:"basis"`           // price basis, a Bases key
	PriceUSDPerT   *float64 `json:"price_usd_per_t"` // nominal USD per tonne of Basis; nil when unknown
	PriceYear      *int     `json:"price_year"`
	PriceSource    string   `json:"price_source"`
	USCritical2025 bool     `json:"us_critical_2025"`
	EUCritical2023 bool     `json:"eu_critical_2023"`
	ListsSource    string   `json:"lists_source"`
	// Class is the commodity's class: metallic, energy or industrial
	// (ClassSource).
	Class CommodityClass `json:"class"`
}

// CommodityClass groups commodities as the geological surveys do.
// Values are persisted and sent over the wire: append only.
type CommodityClass string

// Commodity classes, after USGS usage: metals (ores mined for a metal,
// including lithium, titanium, zirconium, the rare earths and uranium's
// neighbours such as vanadium), energy minerals (coal and uranium, which
// USGS's Energy Resources Program covers rather than its nonfuel Mineral
// Resources Program) and industrial minerals (the nonmetallic nonfuel
// minerals: graphite, phosphate, fluorspar, salt, limestone).
const (
	ClassMetallic   CommodityClass = "metallic"
	ClassEnergy     CommodityClass = "energy"
	ClassIndustrial CommodityClass = "industrial"
)

// CommodityClasses lists the classes in display order.
var CommodityClasses = []CommodityClass{ClassMetallic, ClassEnergy, ClassIndustrial}

// ClassSource cites the classification behind CommodityClass.
const ClassSource = "USGS Minerals Yearbook, Volume I, Metals and Minerals: chapters on metals (aluminum … zirconium) and on " +
	"industrial minerals (fluorspar, graphite, phosphate rock, salt, stone), https://www.usgs.gov/centers/national-minerals-information-center/minerals-yearbook-metals-and-minerals (n.d.) | " +
	"USGS, Mineral Resources Program: \"non-fuel mineral resources\", https://www.usgs.gov/energy-and-minerals/mineral-resources-program (n.d.) | " +
	"USGS, Energy Resources Program: coal and uranium among the energy resources it assesses, https://www.usgs.gov/programs/energy-resources-program (n.d.) | " +
	"BGS, World Mineral Production: commodities grouped as metals, industrial minerals and mineral fuels, https://www.bgs.ac.uk/mineralsuk/statistics/world-mineral-statistics/ (n.d.)"

// ParseCommodityClass returns the class named s, or EINVALID.
func ParseCommodityClass(s string) (CommodityClass, error) {
	for _, c := range CommodityClasses {
		if string(c) == s {
			return c, nil
		}
	}
	return "", Errorf(EINVALID, "class %q unknown; expected metallic, energy or industrial", s)
}

var commodityCode = regexp.MustCompile(`^[a-z][a-z_]*$`)

// Validate returns an EINVALID error for the first bad field.
func (c *Commodity) Validate() error {
	switch {
	case !commodityCode.MatchString(c.Code):
		return Errorf(EINVALID, "code %q: expected lowercase letters and _", c.Code)
	case c.Name == "":
		return Errorf(EINVALID, "name required")
	case Bases[c.Basis].Code == "":
		return Errorf(EINVALID, "basis %q unknown; expected one of %s", c.Basis, strings.Join(BasisCodes(), ", "))
	case c.PriceUSDPerT != nil && !(*c.PriceUSDPerT > 0 && *c.PriceUSDPerT <= math.MaxFloat64):
		return Errorf(EINVALID, "price_usd_per_t must be a positive, finite number")
	case c.PriceUSDPerT != nil && (c.PriceYear == nil || c.PriceSource == ""):
		return Errorf(EINVALID, "a price needs price_year and price_source")
	case c.ListsSource == "":
		return Errorf(EINVALID, "lists_source required")
	}
	if _, err := ParseCommodityClass(string(c.Class)); err != nil {
		return err
	}
	return nil
}

// Basis is a quantity basis: what a tonne of "contained" counts.
type Basis struct {
	Code string
	Name string
	// Molar is the molar mass in g/mol of the counted species for
	// stoichiometric bases, 0 for bases such as ore or concentrate.
	Molar float64
	// Element and Atoms give the element counted and how many of its atoms
	// one formula unit holds, for conversion between bases of one element.
	Element string
	Atoms   float64
}

// Standard atomic weights (IUPAC 2021, abridged to 4–5 significant digits).
const atomicWeightsSource = "IUPAC Commission on Isotopic Abundances and Atomic Weights, Standard Atomic Weights, https://iupac.qmul.ac.uk/AtWt/ (2021)"

const (
	wLi = 6.94
	wO  = 15.999
	wC  = 12.011
	wTi = 47.867
	wZr = 91.224
	wSi = 28.085
	wNb = 92.906
	wTa = 180.95
	wBe = 9.0122
	wU  = 238.03
	wP  = 30.974
	wV  = 50.942
	wSc = 44.956
	wAl = 26.982
	wCa = 40.078
	wF  = 18.998
	wNa = 22.990
	wCl = 35.45
	wW  = 183.84
	wFe = 55.845
)

// Bases lists every basis nadra accepts. Conversions between two bases of
// the same element are stoichiometric (see BasisSource); ore, concentrate
// and REO bases do not convert. Iron is priced per tonne of Fe content,
// which crude ore and usable ore have in common.
var Bases = map[string]Basis{
	"Li":   {"Li", "lithium metal", wLi, "Li", 1},
	"Li2O": {"Li2O", "lithium oxide", 2*wLi + wO, "Li", 2},
	"LCE":  {"LCE", "lithium carbonate equivalent (Li2CO3)", 2*wLi + wC + 3*wO, "Li", 2},
	"TREO": {"TREO", "total rare-earth oxides (TR2O3, REO)", 0, "", 0},
	"TiO2": {"TiO2", "titanium dioxide", wTi + 2*wO, "Ti", 1},
	// Ilmenite is counted as pure FeTiO3 (52.7% TiO2); real concentrates
	// run about 45–65% TiO2, so conversions to and from TiO2 are approximate.
	"ilmenite": {"ilmenite", "ilmenite (FeTiO3)", wFe + wTi + 3*wO, "Ti", 1},
	"ZrO2":     {"ZrO2", "zirconium dioxide", wZr + 2*wO, "Zr", 1},
	"zircon":   {"zircon", "zircon (ZrSiO4)", wZr + wSi + 4*wO, "Zr", 1},
	"Nb":       {"Nb", "niobium metal", wNb, "Nb", 1},
	"Nb2O5":    {"Nb2O5", "niobium pentoxide", 2*wNb + 5*wO, "Nb", 2},
	"Ta2O5":    {"Ta2O5", "tantalum pentoxide", 2*wTa + 5*wO, "Ta", 2},
	"Be":       {"Be", "beryllium metal", wBe, "Be", 1},
	"BeO":      {"BeO", "beryllium oxide", wBe + wO, "Be", 1},
	"U":        {"U", "uranium metal", wU, "U", 1},
	"U3O8":     {"U3O8", "triuranium octoxide", 3*wU + 8*wO, "U", 3},
	"C":        {"C", "graphitic carbon", wC, "C", 1},
	"Mn":       {"Mn", "manganese content", 0, "", 0},
	"Mn_ore":   {"Mn_ore", "manganese ore", 0, "", 0},
	"Ni":       {"Ni", "nickel content", 0, "", 0},
	"Co":       {"Co", "cobalt content", 0, "", 0},
	"Au":       {"Au", "gold", 0, "", 0},
	"Ag":       {"Ag", "silver", 0, "", 0},
	"Cu":       {"Cu", "copper content", 0, "", 0},
	"Fe_ore":   {"Fe_ore", "iron ore", 0, "", 0},
	"Fe":       {"Fe", "iron content", wFe, "Fe", 1},
	"P2O5":     {"P2O5", "phosphorus pentoxide", 2*wP + 5*wO, "P", 2},
	"V2O5":     {"V2O5", "vanadium pentoxide", 2*wV + 5*wO, "V", 2},
	"Sc2O3":    {"Sc2O3", "scandium oxide", 2*wSc + 3*wO, "Sc", 2},
	"Al2O3":    {"Al2O3", "aluminium oxide", 2*wAl + 3*wO, "Al", 2},
	"CaF2":     {"CaF2", "fluorspar (calcium fluoride)", wCa + 2*wF, "", 0},
	"NaCl":     {"NaCl", "rock salt", wNa + wCl, "", 0},
	"Mo":       {"Mo", "molybdenum content", 0, "", 0},
	"Sn":       {"Sn", "tin content", 0, "", 0},
	"Hg":       {"Hg", "mercury", 0, "", 0},
	"W":        {"W", "tungsten metal", wW, "W", 1},
	"WO3":      {"WO3", "tungsten trioxide", wW + 3*wO, "W", 1},
	"Cs":       {"Cs", "caesium content", 0, "", 0},
	"Rb":       {"Rb", "rubidium content", 0, "", 0},
	"Bi":       {"Bi", "bismuth content", 0, "", 0},
	"Pb":       {"Pb", "lead content", 0, "", 0},
	"Zn":       {"Zn", "zinc content", 0, "", 0},
	"ore":      {"ore", "ore of unstated composition", 0, "", 0},
}

// BasisSource cites the atomic weights behind stoichiometric conversions.
const BasisSource = atomicWeightsSource

// BasisCodes returns the accepted basis codes, sorted.
func BasisCodes() []string {
	codes := make([]string, 0, len(Bases))
	for c := range Bases {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	return codes
}

// ConvertBasis converts a quantity in tonnes of basis from to tonnes of
// basis to. It reports false when the two bases do not convert
// stoichiometrically (different elements, or an ore or concentrate basis).
// For example 1 t Li2O is 2.473 t LCE.
func ConvertBasis(q float64, from, to string) (float64, bool) {
	if from == to {
		return q, true
	}
	a, b := Bases[from], Bases[to]
	if a.Element == "" || a.Element != b.Element || a.Molar == 0 || b.Molar == 0 {
		return 0, false
	}
	// moles of element = q/a.Molar*a.Atoms; tonnes of b = moles/b.Atoms*b.Molar
	return q / a.Molar * a.Atoms / b.Atoms * b.Molar, true
}

// CommodityService reads commodities.
type CommodityService interface {
	// FindCommodities returns all commodities ordered by code.
	FindCommodities(ctx context.Context) ([]*Commodity, error)
}
