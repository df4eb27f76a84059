package dataset

import (
	"io/fs"
	"nadra/internal/notice"
)

// compilation is the licence of the tables nadra's authors compiled: the
// facts are their sources' (each row cites one); the selection, keys and
// notes are nadra's, under the code's licence.
const compilation = "Apache-2.0 (nadra's compilation; each row cites its source)"

var parts = []notice.Part{
	{Files: "deposits.csv", What: "deposits and sites: names, oblast, point, commodities, stage",
		Licence:     compilation + "; points from GeoNames CC-BY-4.0 and Wikipedia CC-BY-SA, as coords_note says",
		Attribution: "GeoNames (CC BY 4.0); Wikipedia contributors (CC BY-SA), the article named in coords_note"},
	{Files: "estimates.csv licences.csv claims.csv scenarios/*", What: "resource estimates, the licence register, public claims, named scenarios",
		Licence: compilation, Attribution: "the source in each row"},
	{Files: "commodities.csv", What: "commodity codes, indicative prices, US and EU critical-list flags",
		Licence:     compilation + "; USGS and EIA figures US public domain; EU list © European Union, reuse allowed (Decision 2011/833/EU)",
		Attribution: "U.S. Geological Survey, Mineral Commodity Summaries 2026; U.S. EIA; Regulation (EU) 2024/1252"},
	{Files: "geo/outline.geojson geo/oblasts.geojson geo/borders.geojson", What: "Ukraine's outline, oblasts, Russian and Belarusian borders",
		Licence: "ODbL-1.0 (OpenStreetMap) via geoBoundaries (CC-BY-4.0)", Attribution: "© OpenStreetMap contributors; geoBoundaries (Runfola et al. 2020)"},
	{Files: "geo/sea.geojson", What: "the sea inside the outline: the outline less Natural Earth 1:10m land",
		Licence: "ODbL-1.0 (the outline); Natural Earth public domain", Attribution: "© OpenStreetMap contributors; geoBoundaries; Made with Natural Earth"},
	{Files: "snapshots/2022-*.geojson snapshots/2023-*.geojson snapshots/2024-*.geojson snapshots/2025-0[1-8]-*.geojson",
		What:        "control snapshots 2022-02-23 to 2025-08-01 (the raw DeepStateMap layer, monthly, via github DanielRose2310/deepstatemaps-history)",
		Licence:     "© DeepStateMap: non-commercial and defence use only",
		Attribution: "DeepStateMap (deepstatemap.live)", Restricted: true},
	{Files: "snapshots/2025-09-*.geojson snapshots/2025-1*.geojson snapshots/2026-*.geojson",
		What:        "control snapshots 2025-09-01 to 2026-08-22 (occupied-only layer of github cyterat/deepstate-map-data)",
		Licence:     "GPL-3.0 (cyterat/deepstate-map-data), derived from DeepStateMap",
		Attribution: "cyterat/deepstate-map-data; DeepStateMap", Restricted: true},
	{Files: "snapshots.csv", What: "per snapshot: its source and the areas nadra measured",
		Licence: compilation, Attribution: "the source in each row"},
	{Files: "supply/production.csv supply/reserves.csv supply/import_reliance.csv supply/national.csv",
		What:        "world production, reserves, US import reliance, Ukrainian figures",
		Licence:     compilation + "; USGS figures US public domain; WNA, GMK Center and Interfax figures re-keyed facts, cited",
		Attribution: "U.S. Geological Survey, Mineral Commodity Summaries 2024/2025/2026; World Nuclear Association; the source in each row"},
	{Files: "supply/wgi.csv", What: "Worldwide Governance Indicators 2023",
		Licence: "CC-BY-4.0", Attribution: "World Bank, Worldwide Governance Indicators (2024 update)"},
	{Files: "supply/eu_crm.csv", What: "EU CRM 2023: recycling input rates and major suppliers",
		Licence: "© European Union, reuse allowed (Decision 2011/833/EU)", Attribution: "European Commission, Study on the Critical Raw Materials for the EU 2023"},
	{Files: "supply/series.csv supply/countries.csv", What: "what each production series counts; country names",
		Licence: compilation, Attribution: "nadra"},
	{Files: "deals/*.yaml", What: "deal terms: the signed agreement and the February and March 2025 US drafts",
		Licence: compilation, Attribution: "the sources of each term"},
	{Files: "model/*.csv", What: "the deal model's parameters, products, projects, studies, prices; the hazard nadra fitted from the snapshots (statistics, not the map)",
		Licence: compilation, Attribution: "the source in each row"},
	{Files: "ledger/*.csv", What: "the public journal: flows public statements give a figure for, and those without",
		Licence: compilation, Attribution: "the sources of each entry"},
}

// Parts returns the parts this build embeds: built with -tags nosnapshots,
// the restricted control snapshots are not among them.
func Parts() []notice.Part {
	var out []notice.Part
	for _, p := range parts {
		if p.Restricted && !SnapshotsEmbedded {
			continue
		}
		out = append(out, p)
	}
	return out
}

// embeddedFiles lists every file the build embeds, relative to dataset/.
func embeddedFiles() ([]string, error) {
	var names []string
	for _, fsys := range []fs.FS{files, snapshotFiles, dealFiles, ledgerFiles} {
		err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				names = append(names, p)
			}
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	return names, nil
}

// NoSnapshotsNote is what nadra says where control data would be, in a
// build without the embedded snapshots.
const NoSnapshotsNote = "no control data is loaded: this nadra was built with -tags nosnapshots, without the embedded DeepStateMap snapshots; " +
	"load your own licensed source with `nadra import control FILE|DIR` (or `nadra import control --deepstate`, under DeepState's terms)"
