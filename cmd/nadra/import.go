package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"

	"nadra"
	"nadra/dataset"
	"nadra/geo"
	"nadra/scenario"
	"nadra/server"
)

const importHelp = `Usage: nadra import <deposits|estimates|licences|control|production|terms|scenarios> FILE [flags]

  deposits   CSV in nadra's columns (dataset/FORMAT.md) or GeoJSON points;
             rows with a known id update it, others are added
  estimates  CSV of published resource figures
  licences   CSV of special permits and PSAs (dataset/FORMAT.md,
             "licences.csv"), each linked to a registry deposit or to none;
             a row with a known id updates it
  control    one control snapshot as GeoJSON: nadra's own format (property
             "status"), a DeepState raw layer (classified by "fill"), any
             FeatureCollection with --status-field and --map, or an
             occupied-only union with --occupied-union
  production CSV of world production rows (dataset/FORMAT.md, "Supply
             tables"): commodity, stage, product, country, year, quantity
             or share_pct, estimated, note, source; a row with an existing
             key replaces it; refused if the shares of one commodity, stage
             and year would exceed 100%
  terms      one deal's terms as YAML (dataset/FORMAT.md, "Deal terms");
             terms with a known id replace them (at most 1 MB)
  scenarios  CSV of named scenarios: id, name, expression, source, note
             (dataset/FORMAT.md, "Scenarios"); a row with a known id
             replaces it, a new one goes after the others (at most 4 MB)

Each import is one transaction: every row lands or none does. A bad file
is refused with the file, line (or feature), field and what was expected,
and the database is left as it was. Importing the same file twice changes
nothing. FILE "-" reads standard input; any other FILE must be a regular
file (devices, named pipes and directories are refused). A file larger
than 32 MB (64 MB for a control snapshot) is refused unread. Ctrl-C or
SIGTERM stops an import and leaves the database as it was.`

func (m *Main) runImport(ctx context.Context, args []string) error {
	if ok, err := m.subcommandHelp("import", args, importHelp, "what to import? (deposits, estimates, licences, control, production, terms or scenarios)"); !ok {
		return err
	}
	kind := args[0]
	switch kind {
	case "deposits", "estimates", "licences", "control", "production", "terms", "scenarios":
	default:
		return usagef("unknown kind %q; expected deposits, estimates, licences, control, production, terms or scenarios", kind)
	}
	if kind == "control" {
		return m.runImportControl(ctx, args[1:])
	}
	fs := m.flags("import "+kind, importHelp)
	format := fs.String("format", "", "input format: csv or geojson (default: from the file name)")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	pos, err := parse(fs, args[1:])
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("expected one FILE, got %d arguments", len(pos))
	}
	file := pos[0]
	res, err := m.importTable(ctx, kind, file, *format)
	if err != nil {
		return interruptedImport(ctx, err)
	}
	if *asJSON {
		return writeJSON(m.Stdout, res)
	}
	fmt.Fprintf(m.Stdout, "imported %s from %s: %d added, %d updated, %d unchanged", kind, file, res.Inserted, res.Updated, res.Unchanged)
	if res.ImportID != 0 {
		fmt.Fprintf(m.Stdout, " (import %d)", res.ImportID)
	}
	fmt.Fprintln(m.Stdout)
	return nil
}

// importTable imports one deposits, estimates, licences or production file: read
// through kindTable's limit, parsed (abandoned if ctx is done), then
// stored in one transaction under ctx.
func (m *Main) importTable(ctx context.Context, kind, file, format string) (nadra.ImportResult, error) {
	fk := kindTable
	switch kind {
	case "terms":
		fk = kindTerms
	case "scenarios":
		fk = kindScenarios
	}
	data, err := readFile(ctx, file, m.Stdin, fk)
	if err != nil {
		return nadra.ImportResult{}, err
	}
	if err := m.open(ctx); err != nil {
		return nadra.ImportResult{}, err
	}
	sum := sha256.Sum256(data)
	imp := nadra.Import{Kind: kind, File: file, SHA256: hex.EncodeToString(sum[:])}
	m.noteFile(file, imp.SHA256)
	switch kind {
	case "deposits":
		return m.importDeposits(ctx, imp, data, format)
	case "estimates":
		return m.importEstimates(ctx, imp, data)
	case "production":
		return m.importProduction(ctx, imp, data)
	case "licences":
		return m.importLicences(ctx, imp, data, format)
	case "terms":
		return m.importTerms(ctx, imp, data)
	case "scenarios":
		return m.importScenarios(ctx, imp, data)
	}
	return nadra.ImportResult{}, fmt.Errorf("import %s: unknown kind", kind)
}

// importTerms imports one deal terms file, checked as the shipped ones
// are (dataset.ParseTerms) against the database's commodities.
func (m *Main) importTerms(ctx context.Context, imp nadra.Import, data []byte) (nadra.ImportResult, error) {
	known, err := m.knownCommodities(ctx)
	if err != nil {
		return nadra.ImportResult{}, err
	}
	d, err := dataset.ParseTerms(imp.File, data, known)
	if err != nil {
		return nadra.ImportResult{}, err
	}
	if err := d.Validate(); err != nil {
		return nadra.ImportResult{}, &nadra.InputError{File: imp.File, Feature: -1, Field: "terms", Problem: nadra.ErrorMessage(err)}
	}
	return m.Catalog.ImportDeals(ctx, imp, []*nadra.DealTerms{d})
}

// importScenarios imports a scenarios file; each expression must parse in
// the scenario language, a stored named scenario's id standing for its
// expression.
func (m *Main) importScenarios(ctx context.Context, imp nadra.Import, data []byte) (nadra.ImportResult, error) {
	stored, err := m.Catalog.FindScenarios(ctx)
	if err != nil {
		return nadra.ImportResult{}, err
	}
	named := map[string]string{}
	for _, s := range stored {
		named[s.ID] = s.Expression
	}
	ev := &scenario.Evaluator{Named: named}
	ss, err := dataset.ParseScenariosCSV(imp.File, bytes.NewReader(data), func(expr string) error {
		x, _ := ev.Expand(expr)
		_, err := scenario.Parse(x)
		var pe *scenario.ParseError
		if errors.As(err, &pe) {
			return fmt.Errorf("column %d: %s", pe.Col, pe.Msg)
		}
		return err
	})
	if err != nil {
		return nadra.ImportResult{}, err
	}
	return m.Catalog.ImportScenarios(ctx, imp, ss)
}

func (m *Main) knownCommodities(ctx context.Context) (map[string]bool, error) {
	cs, err := m.Commodities.FindCommodities(ctx)
	if err != nil {
		return nil, err
	}
	return dataset.CommodityCodes(cs), nil
}

func isGeoJSON(file string, data []byte, format string) (bool, error) {
	switch strings.ToLower(format) {
	case "csv":
		return false, nil
	case "geojson", "json":
		return true, nil
	case "":
	default:
		return false, usagef("--format %q: expected csv or geojson", format)
	}
	switch strings.ToLower(filepath.Ext(file)) {
	case ".csv":
		return false, nil
	case ".geojson", ".json":
		return true, nil
	}
	return bytes.HasPrefix(bytes.TrimSpace(data), []byte("{")), nil
}

func (m *Main) importDeposits(ctx context.Context, imp nadra.Import, data []byte, format string) (nadra.ImportResult, error) {
	known, err := m.knownCommodities(ctx)
	if err != nil {
		return nadra.ImportResult{}, err
	}
	gj, err := isGeoJSON(imp.File, data, format)
	if err != nil {
		return nadra.ImportResult{}, err
	}
	deps, err := interruptible(ctx, func() ([]*nadra.Deposit, error) {
		if gj {
			return dataset.ParseDepositsGeoJSON(imp.File, bytes.NewReader(data), known)
		}
		return dataset.ParseDepositsCSV(imp.File, bytes.NewReader(data), known)
	})
	if err != nil {
		return nadra.ImportResult{}, err
	}
	return m.Deposits.ImportDeposits(ctx, imp, deps)
}

func (m *Main) importEstimates(ctx context.Context, imp nadra.Import, data []byte) (nadra.ImportResult, error) {
	known, err := m.knownCommodities(ctx)
	if err != nil {
		return nadra.ImportResult{}, err
	}
	deps, _, err := m.Deposits.FindDeposits(ctx, nadra.DepositFilter{})
	if err != nil {
		return nadra.ImportResult{}, err
	}
	ids := map[string]bool{}
	for _, d := range deps {
		ids[d.ID] = true
	}
	ests, err := interruptible(ctx, func() ([]*nadra.Estimate, error) {
		return dataset.ParseEstimatesCSV(imp.File, bytes.NewReader(data), known, ids)
	})
	if err != nil {
		return nadra.ImportResult{}, err
	}
	return m.Deposits.ImportEstimates(ctx, imp, ests)
}

func (m *Main) importProduction(ctx context.Context, imp nadra.Import, data []byte) (nadra.ImportResult, error) {
	d, err := m.Supply.FindSupplyData(ctx)
	if err != nil {
		return nadra.ImportResult{}, err
	}
	refs := dataset.ProductionRefs{Series: d.SeriesMap(), Countries: dataset.CountryCodes(d.Countries), LastYear: m.Now().Year()}
	rows, err := interruptible(ctx, func() ([]*nadra.Production, error) {
		return dataset.ParseProductionCSV(imp.File, bytes.NewReader(data), refs)
	})
	if err != nil {
		return nadra.ImportResult{}, err
	}
	return m.Supply.ImportProduction(ctx, imp, rows)
}

// latestFullSnapshot returns the latest snapshot that has a grey zone and
// so its own pre-2022 split, or nil if there is none. Areas occupied
// before 2022 do not move, so an occupied-only layer borrows its split.
func (m *Main) latestFullSnapshot(ctx context.Context) (*nadra.Snapshot, error) {
	infos, err := m.Snapshots.FindSnapshots(ctx)
	if err != nil {
		return nil, err
	}
	for i := len(infos) - 1; i >= 0; i-- {
		if infos[i].GreyKnown {
			return m.Snapshots.FindSnapshotAt(ctx, infos[i].Date)
		}
	}
	return nil, nil
}

// multiFlag collects repeated --map flags.
type multiFlag []string

func (f *multiFlag) String() string     { return strings.Join(*f, " ") }
func (f *multiFlag) Set(v string) error { *f = append(*f, v); return nil }

func (f multiFlag) statusMap() (map[string]string, error) {
	m := map[string]string{}
	for _, kv := range f {
		k, vals, ok := strings.Cut(kv, "=")
		if !ok || vals == "" {
			return nil, usagef("--map %q: expected status=value[,value...]", kv)
		}
		switch k {
		case geo.AreaOccupied, geo.AreaPre2022, geo.AreaGrey:
		case "ignore":
			k = ""
		default:
			return nil, usagef("--map %q: status must be occupied, occupied_pre2022, grey or ignore", kv)
		}
		for _, v := range strings.Split(vals, ",") {
			m[v] = k
		}
	}
	return m, nil
}

// httpImports serialises the imports of nadra serve's import route: they
// share m, as the CLI's one import does.
var httpImports sync.Mutex

// importHTTP runs an import the server received (POST /api/v1/import/KIND)
// through the CLI's code: the same parsers, checks and transaction.
func (m *Main) importHTTP(ctx context.Context, req server.ImportRequest) (nadra.ImportResult, error) {
	httpImports.Lock()
	defer httpImports.Unlock()
	imp := nadra.Import{Kind: req.Kind, File: req.File, SHA256: req.SHA256}
	switch req.Kind {
	case "deposits":
		return m.importDeposits(ctx, imp, req.Data, req.Format)
	case "estimates":
		return m.importEstimates(ctx, imp, req.Data)
	case "production":
		return m.importProduction(ctx, imp, req.Data)
	case "licences":
		return m.importLicences(ctx, imp, req.Data, req.Format)
	case "terms":
		return m.importTerms(ctx, imp, req.Data)
	case "scenarios":
		return m.importScenarios(ctx, imp, req.Data)
	case "control":
		if req.Date != "" {
			if _, err := nadra.ParseDate(req.Date); err != nil {
				return nadra.ImportResult{}, nadra.Errorf(nadra.EINVALID, "date: %s", nadra.ErrorMessage(err))
			}
		}
		b, err := dataset.Boundaries()
		if err != nil {
			return nadra.ImportResult{}, err
		}
		data := req.Data
		job := controlJob{name: req.File, fetch: func(context.Context) ([]byte, error) { return data, nil }}
		var r controlResult
		if err := m.importControlJob(ctx, job, dataset.SnapshotFormat{Date: req.Date}, b.Outline, &r); err != nil {
			return nadra.ImportResult{}, err
		}
		if r.Inserted+r.Updated > 0 {
			m.afterImport(ctx)
		}
		return r.ImportResult, nil
	}
	return nadra.ImportResult{}, nadra.Errorf(nadra.EINVALID, "kind: %q cannot be imported", req.Kind)
}
