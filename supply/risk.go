package supply

// Variants of the supply-risk indicator.
const (
	// VariantFull is the EU formula with every input known.
	VariantFull = "full"
	// VariantGlobal is the global-supply variant: EU sourcing or import
	// reliance unknown, so the global governance-weighted HHI stands for
	// both terms of the formula.
	VariantGlobal = "global-supply"
)

// RiskSource cites the method.
const RiskSource = "G.A. Blengini et al., Methodology for establishing the EU list of critical raw materials: guidelines, " +
	"JRC / European Commission, EUR 28654, doi:10.2873/769526 (2017)"

// RiskInputs are the inputs of the EU supply-risk indicator beyond the
// global governance-weighted HHI. nil means unknown.
type RiskInputs struct {
	// EUSourcingHHIWGI is the governance-weighted HHI of the EU's actual
	// sourcing (domestic production plus imports), 0–10.
	EUSourcingHHIWGI *float64
	// ImportReliance is the EU's import reliance, 0–1.
	ImportReliance *float64
	// EoLRIR is the end-of-life recycling input rate, 0–1.
	EoLRIR *float64
	// SISR is the substitution index for supply risk, 0–1.
	SISR *float64
}

// Risk is an EU supply-risk value and how it was obtained.
type Risk struct {
	Value   float64 `json:"value"`
	Variant string  `json:"variant"` // VariantFull or VariantGlobal
	HHIWGI  float64 `json:"hhi_wgi"` // the global governance-weighted HHI used
	// EoLRIR and SISR are the values used (after defaults).
	EoLRIR float64 `json:"eol_rir"`
	SISR   float64 `json:"si_sr"`
	// Missing lists each missing input and what was done instead.
	Missing []string `json:"missing,omitempty"`
}

// NewRisk computes the EU supply-risk indicator (JRC 2017):
//
//	SR = [HHI_WGI(global) × IR/2 + HHI_WGI(EU sourcing) × (1 − IR/2)] × (1 − EoL_RIR) × SI_SR
//
// from the global governance-weighted HHI (0–10) and in. When the EU
// sourcing HHI or the import reliance is unknown it returns the
// global-supply variant, HHI_WGI(global) × (1 − EoL_RIR) × SI_SR, labelled
// as such. An unknown EoL_RIR is taken as 0 and an unknown SI_SR as 1 (no
// recycling, no substitutes: both raise the value, so the result is an
// upper bound in those inputs), and every missing input is listed. The
// trade adjustment of the WGI for export restrictions (the "t") is never
// applied and is always listed.
func NewRisk(globalHHIWGI float64, in RiskInputs) Risk {
	r := Risk{HHIWGI: globalHHIWGI, Variant: VariantFull, EoLRIR: 0, SISR: 1}
	if in.EoLRIR != nil {
		r.EoLRIR = *in.EoLRIR
	} else {
		r.Missing = append(r.Missing, "EoL-RIR (end-of-life recycling input rate): unknown, taken as 0")
	}
	if in.SISR != nil {
		r.SISR = *in.SISR
	} else {
		r.Missing = append(r.Missing, "SI(SR) (substitution index): unknown, taken as 1 (no substitutes)")
	}
	base := globalHHIWGI
	if in.EUSourcingHHIWGI != nil && in.ImportReliance != nil {
		ir := *in.ImportReliance
		base = globalHHIWGI*ir/2 + *in.EUSourcingHHIWGI*(1-ir/2)
	} else {
		r.Variant = VariantGlobal
		if in.EUSourcingHHIWGI == nil {
			r.Missing = append(r.Missing, "HHI_WGI of EU sourcing (EU production plus imports by country): unknown, global supply used instead")
		}
		if in.ImportReliance == nil {
			r.Missing = append(r.Missing, "IR (EU import reliance): unknown, not needed by the global-supply variant")
		}
	}
	r.Missing = append(r.Missing, "t (WGI trade adjustment for export restrictions): not applied")
	r.Value = base * (1 - r.EoLRIR) * r.SISR
	return r
}
