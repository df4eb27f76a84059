package dataset

import (
	"bytes"
	"io"

	"nadra"
)

// ClaimColumns are the columns of claims.csv. See FORMAT.md.
var ClaimColumns = []string{"id", "date", "who", "words", "basis", "kind", "scope", "op", "value", "tolerance",
	"methods", "pre2022", "stage", "country", "note", "sources"}

// ParseClaimsCSV reads the claims register. scopes is the set of valid
// scopes besides "all", "critical" and the commodity classes: the
// commodity codes.
func ParseClaimsCSV(file string, r io.Reader, commodities map[string]bool) ([]*nadra.Claim, error) {
	return parseRows(file, r, ClaimColumns, func(t *table) (*nadra.Claim, string, error) {
		c := &nadra.Claim{ID: t.str("id"), Date: t.str("date"), Who: t.str("who"), Words: t.str("words"),
			Basis: t.str("basis"), Kind: nadra.ClaimKind(t.str("kind")), Scope: t.str("scope"), Op: nadra.ClaimOp(t.str("op")),
			Pre2022: t.str("pre2022"), Stage: t.str("stage"), Country: t.str("country"), Note: t.str("note"),
			Sources: splitSources(t.str("sources")), Methods: []nadra.ClaimMethod{}}
		var err error
		if c.Value, err = t.float("value"); err != nil {
			return nil, "", err
		}
		if c.Tolerance, err = t.float("tolerance"); err != nil {
			return nil, "", err
		}
		for _, m := range splitList(t.str("methods")) {
			c.Methods = append(c.Methods, nadra.ClaimMethod(m))
		}
		if err := c.Validate(); err != nil {
			return nil, "", t.fieldErr(err)
		}
		if !validScope(c, commodities) {
			return nil, "", t.errf("scope", "%q: expected all, critical, metallic, energy, industrial or a commodity code", c.Scope)
		}
		return c, c.ID, nil
	}, func(t *table, id string, first int) error {
		return t.errf("id", "%q already appears on line %d", id, first)
	})
}

func validScope(c *nadra.Claim, commodities map[string]bool) bool {
	if c.Kind == nadra.ClaimSupplyShare {
		return c.Scope != "" // a supply series' commodity, checked when tested
	}
	switch c.Scope {
	case "all", "critical":
		return true
	}
	for _, k := range nadra.CommodityClasses {
		if string(k) == c.Scope {
			return true
		}
	}
	return commodities[c.Scope]
}

// Claims returns the embedded claims register (claims.csv).
func Claims() ([]*nadra.Claim, error) {
	ds, err := Default()
	if err != nil {
		return nil, err
	}
	data, err := files.ReadFile("claims.csv")
	if err != nil {
		return nil, err
	}
	return ParseClaimsCSV("dataset/claims.csv", bytes.NewReader(data), CommodityCodes(ds.Commodities))
}
