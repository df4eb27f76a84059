package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"nadra"
	"nadra/dataset"
	"nadra/deepstate"

	"github.com/paulmach/orb"
)

const importControlHelp = `Usage: nadra import control FILE|DIR... [flags]
       nadra import control --deepstate [--from D] [--to D] [flags]

Imports control snapshots. Each file is one snapshot and one transaction.
Formats, recognised per file:

  - nadra's own snapshot GeoJSON (features with "status": occupied,
    occupied_pre2022 or grey; "date" member), as 'nadra export control' writes
  - a DeepState raw layer: areas classified by "fill"; positions [lon,lat,0];
    GeometryCollections and holes accepted; areas abroad dropped by clipping
    to Ukraine's outline
  - an occupied-only union (one MultiPolygon of occupied ground, as in
    cyterat/deepstate-map-data), split into since-2022 and pre-2022 areas
    with the latest full snapshot; its grey zone is unknown (--occupied-union,
    or detected when features have no properties)
  - any FeatureCollection with --status-field F --map occupied=v1,v2 ...

The date comes from --date, the file's "date" member, a YYYY-MM-DD or
YYYYMMDD date in its name, or a name that is a DeepState history id (Unix
seconds). FILE "-" reads one snapshot from standard input. Each file must
be a regular file of at most 64 MB. Positions must be [longitude, latitude]
in WGS84 degrees, rings closed and holes inside their polygon. A file whose
areas all lie outside Ukraine's outline once clipped (lat and lon swapped,
another country) is refused, and so is a snapshot whose occupied area
differs from the stored snapshot just before or after its date by more
than 20,000 km² plus 300 km² a day between them (more before 2022-04-03),
unless --force. Rules: dataset/FORMAT.md, "Control snapshots".

A directory imports every .geojson and .json file in it, in name order;
files whose content was imported before are skipped; a bad file is
reported with its reason and the others still import (exit status 1 if any
failed). Ctrl-C or SIGTERM stops the import: nothing of the file being
imported lands; files before it stay. A progress bar is shown on standard
error when it is a terminal.

--deepstate fetches the list of snapshots from DeepState's public history
API (GET /api/history/public) and each missing one (GET
/api/history/<id>/geojson), the last of each day, for users with internet.
DeepState's data is free for non-commercial and defence use.`

func (m *Main) runImportControl(ctx context.Context, args []string) error {
	fs := m.flags("import control", importControlHelp)
	date := fs.String("date", "", "snapshot date `YYYY-MM-DD` (one file only)")
	statusField := fs.String("status-field", "", "property that holds each area's status")
	var maps multiFlag
	fs.Var(&maps, "map", "`status=value[,value...]` for --status-field; status is occupied, occupied_pre2022, grey or ignore (repeatable)")
	union := fs.Bool("occupied-union", false, "the files are occupied-only unions (occupied and pre-2022 together)")
	deepstate := fs.Bool("deepstate", false, "fetch missing snapshots from DeepState's public history API")
	baseURL := fs.String("deepstate-url", "https://deepstatemap.live", "DeepState API base `URL`")
	from := fs.String("from", "", "--deepstate: first date `YYYY-MM-DD`")
	to := fs.String("to", "", "--deepstate: last date `YYYY-MM-DD`")
	replace := fs.Bool("replace", false, "let an occupied-only layer replace a snapshot of the same date that has a grey zone")
	force := fs.Bool("force", false, "import a snapshot whose occupied area is implausible beside its stored neighbours")
	asJSON := fs.Bool("json", false, "print the results as JSON")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	f := dataset.SnapshotFormat{Date: *date, StatusField: *statusField, OccupiedUnion: *union}
	if f.Map, err = maps.statusMap(); err != nil {
		return err
	}
	if len(f.Map) > 0 && f.StatusField == "" {
		return usagef("--map needs --status-field")
	}
	if f.StatusField != "" && len(f.Map) == 0 {
		return usagef("--status-field needs at least one --map status=value")
	}
	for _, d := range []string{*date, *from, *to} {
		if d != "" {
			if _, err := nadra.ParseDate(d); err != nil {
				return usagef("%s", nadra.ErrorMessage(err))
			}
		}
	}
	var jobs []controlJob
	switch {
	case *deepstate && len(pos) > 0:
		return usagef("--deepstate takes no FILE")
	case *deepstate:
		if err := m.open(ctx); err != nil {
			return interruptedImport(ctx, err)
		}
		var listed int
		if jobs, listed, err = m.deepstateJobs(ctx, &http.Client{Timeout: 60 * time.Second}, *baseURL, *from, *to); err != nil {
			return interruptedImport(ctx, err)
		}
		fmt.Fprintf(m.Stderr, "DeepState lists %d snapshots; %d days to fetch\n", listed, len(jobs))
	case len(pos) == 0:
		return usagef("expected FILE or DIR (or --deepstate)")
	default:
		if jobs, err = m.listControlFiles(pos); err != nil {
			return err
		}
		if *date != "" && len(jobs) > 1 {
			return usagef("--date applies to one file; %d given", len(jobs))
		}
		if err := m.open(ctx); err != nil {
			return interruptedImport(ctx, err)
		}
	}
	m.replaceFull, m.forceJump = *replace, *force
	results := m.importControlJobs(ctx, jobs, f)
	failed, imported, interrupted, firstErr := 0, 0, false, ""
	for _, r := range results {
		switch {
		case r.interrupted:
			interrupted = true
		case r.Error != "":
			if failed == 0 {
				firstErr = r.Error
				if !strings.HasPrefix(firstErr, r.File) {
					firstErr = r.File + ": " + firstErr
				}
			}
			failed++
		case !r.Skipped:
			imported++
		}
	}
	if imported > 0 && !interrupted {
		m.afterImport(ctx)
	}
	if *asJSON {
		if err := writeJSON(m.Stdout, results); err != nil {
			return err
		}
	} else {
		for _, r := range results {
			switch {
			case r.Error != "" && strings.HasPrefix(r.Error, r.File):
				fmt.Fprintf(m.Stdout, "FAILED   %s\n", r.Error)
			case r.Error != "":
				fmt.Fprintf(m.Stdout, "FAILED   %s: %s\n", r.File, r.Error)
			case r.Skipped:
				fmt.Fprintf(m.Stdout, "skipped  %s: imported before\n", r.File)
			default:
				fmt.Fprintf(m.Stdout, "imported %s: snapshot %s, %d added, %d updated, %d unchanged\n", r.File, r.Date, r.Inserted, r.Updated, r.Unchanged)
			}
		}
	}
	switch {
	case interrupted && imported == 0:
		return errInterrupted
	case interrupted:
		msg := "interrupted; nothing was imported from " + results[len(results)-1].File
		if rest := len(jobs) - len(results); rest > 0 {
			msg += fmt.Sprintf(" or the %d files after it", rest)
		}
		if imported == 1 {
			msg += "; the file imported before it is kept"
		} else {
			msg += fmt.Sprintf("; the %d files imported before it are kept", imported)
		}
		return &interruptedError{msg}
	case failed > 0 && len(results) == 1:
		// The reason goes to standard error too, so that a script sees
		// why without parsing the report.
		return nadra.Errorf(nadra.EINVALID, "%s; nothing imported", firstErr)
	case failed > 0:
		return nadra.Errorf(nadra.EINVALID, "%d of %d control files failed, the others were imported; the first: %s", failed, len(results), firstErr)
	}
	return nil
}

// controlJob is one file to import, read from disk or fetched.
type controlJob struct {
	name   string
	source string // URL it was fetched from, "" for a file
	date   string // from the API listing, "" if unknown
	fetch  func(ctx context.Context) ([]byte, error)
}

// controlResult is one file's outcome.
type controlResult struct {
	File    string `json:"file"`
	Date    string `json:"date,omitempty"`
	Skipped bool   `json:"skipped,omitempty"`
	Error   string `json:"error,omitempty"`
	nadra.ImportResult
	interrupted bool // stopped by Ctrl-C or SIGTERM: nothing of it imported
}

// listControlFiles lists the files to import: each FILE, each .geojson
// and .json file in each DIR, and standard input for "-" (once).
func (m *Main) listControlFiles(paths []string) ([]controlJob, error) {
	var jobs []controlJob
	add := func(p string) {
		jobs = append(jobs, controlJob{name: p, fetch: func(ctx context.Context) ([]byte, error) { return readFile(ctx, p, nil, kindControl) }})
	}
	stdin := false
	for _, p := range paths {
		if p == "-" {
			if stdin {
				return nil, usagef("standard input (-) can be read once")
			}
			stdin = true
			jobs = append(jobs, controlJob{name: "standard input", fetch: func(ctx context.Context) ([]byte, error) { return readFile(ctx, p, m.Stdin, kindControl) }})
			continue
		}
		st, err := os.Stat(p)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return nil, nadra.Errorf(nadra.EINVALID, "%s: no such file or directory", p)
		case err != nil:
			return nil, pathError(p, err)
		}
		if !st.IsDir() {
			add(p)
			continue
		}
		entries, err := os.ReadDir(p)
		if err != nil {
			return nil, nadra.Errorf(nadra.EINVALID, "%s: %v", p, err)
		}
		var names []string
		for _, e := range entries {
			ext := strings.ToLower(filepath.Ext(e.Name()))
			if !e.IsDir() && (ext == ".geojson" || ext == ".json") {
				names = append(names, e.Name())
			}
		}
		sort.Strings(names)
		if len(names) == 0 {
			return nil, nadra.Errorf(nadra.EINVALID, "%s: no .geojson or .json files", p)
		}
		for _, n := range names {
			add(filepath.Join(p, n))
		}
	}
	return jobs, nil
}

func (m *Main) importControlJobs(ctx context.Context, jobs []controlJob, f dataset.SnapshotFormat) []controlResult {
	b, err := dataset.Boundaries()
	if err != nil {
		return []controlResult{{File: "boundaries", Error: err.Error()}}
	}
	bar := m.progressBar(len(jobs), "importing control snapshots")
	defer bar.Done()
	var out []controlResult
	for i, j := range jobs {
		bar.Set(int64(i))
		bar.Describe(shortName(j.name))
		r := controlResult{File: j.name}
		err := ctx.Err()
		if err == nil {
			err = m.importControlJob(ctx, j, f, b.Outline, &r)
		}
		if err != nil && ctx.Err() != nil {
			// The file's transaction did not commit (a commit that
			// succeeded returns no error); the files after it are not tried.
			r.Error, r.interrupted = "interrupted; nothing was imported from it", true
			r.ImportResult = nadra.ImportResult{}
			out = append(out, r)
			break
		}
		if err != nil {
			r.Error = oneLine(nadra.ErrorMessage(err))
		}
		out = append(out, r)
	}
	return out
}

func (m *Main) importControlJob(ctx context.Context, j controlJob, f dataset.SnapshotFormat, outline orb.MultiPolygon, r *controlResult) error {
	data, err := j.fetch(ctx)
	if err != nil {
		return err // it names the file or URL
	}
	// The key is the content's hash, and the options that change how it
	// reads, so a file re-read with another --date or --map is not skipped.
	h := sha256.New()
	h.Write(data)
	if f.Date != "" || f.StatusField != "" || f.OccupiedUnion {
		keys := make([]string, 0, len(f.Map))
		for k, v := range f.Map {
			keys = append(keys, k+"="+v)
		}
		sort.Strings(keys)
		fmt.Fprintf(h, "\x00date=%s field=%s union=%t map=%s", f.Date, f.StatusField, f.OccupiedUnion, strings.Join(keys, ","))
	}
	sha := hex.EncodeToString(h.Sum(nil))
	seen, err := m.DB.ControlFileSeen(ctx, sha, j.source)
	if err != nil {
		return err
	}
	if seen {
		r.Skipped = true
		return nil
	}
	if f.Date == "" && j.date != "" {
		f.Date = j.date
	}
	if f.Date == "" {
		f.Date = dateFromHistoryID(filepath.Base(j.name))
	}
	if !f.OccupiedUnion && f.StatusField == "" {
		union, err := interruptible(ctx, func() (bool, error) { return looksLikeUnion(data), nil })
		if err != nil {
			return err
		}
		f.OccupiedUnion = union
	}
	var ref *nadra.Snapshot
	if f.OccupiedUnion {
		if ref, err = m.latestFullSnapshot(ctx); err != nil {
			return err
		}
	}
	var refPre orb.MultiPolygon
	if ref != nil {
		refPre = ref.Pre2022
	}
	today := m.Now().UTC()
	snap, err := interruptible(ctx, func() (*nadra.Snapshot, error) {
		return dataset.ParseSnapshot(j.name, bytes.NewReader(data), f, outline, refPre, today)
	})
	if err != nil {
		return err
	}
	if j.source != "" {
		snap.Source = j.source
	}
	if f.OccupiedUnion && !m.replaceFull {
		if old, err := m.Snapshots.FindSnapshotAt(ctx, snap.Date); err == nil && old.Date == snap.Date && old.GreyKnown {
			return nadra.Errorf(nadra.ECONFLICT, "%s: the snapshot of %s has a grey zone and the pre-2022 split; this occupied-only layer would lose them (use --replace to overwrite)", j.name, snap.Date)
		}
	}
	if ref != nil {
		snap.Source += fmt.Sprintf("; pre-2022 areas from the snapshot of %s", ref.Date)
	}
	r.Date = snap.Date
	var check nadra.SnapshotCheck
	if !m.forceJump {
		check = func(s nadra.SnapshotInfo, prev, next *nadra.SnapshotInfo) error {
			if err := nadra.CheckOccupiedChange(s, prev, next); err != nil {
				return nadra.Errorf(nadra.EINVALID, "%s: %s; if it is right, import it with --force", j.name, nadra.ErrorMessage(err))
			}
			return nil
		}
	}
	m.noteFile(j.name, sha)
	res, err := m.DB.ImportControlFile(ctx, nadra.Import{Kind: "control", File: j.name, SHA256: sha}, j.source, snap, check)
	r.ImportResult = res
	return err
}

// dateFromHistoryID reads a DeepState history id (Unix seconds, as in
// DeepState's archive file names "1754077960.geojson") as a UTC date.
func dateFromHistoryID(name string) string {
	base := strings.TrimSuffix(strings.TrimSuffix(name, ".geojson"), ".json")
	if len(base) < 9 || len(base) > 11 {
		return ""
	}
	sec, err := strconv.ParseInt(base, 10, 64)
	if err != nil {
		return ""
	}
	return time.Unix(sec, 0).UTC().Format(nadra.DateLayout)
}

// looksLikeUnion reports whether a FeatureCollection's polygon features all
// have empty properties: an occupied-only union carries no status.
func looksLikeUnion(data []byte) bool {
	var fc struct {
		Features []struct {
			Properties map[string]any `json:"properties"`
		} `json:"features"`
	}
	if json.Unmarshal(data, &fc) != nil || len(fc.Features) == 0 {
		return false
	}
	for _, f := range fc.Features {
		if len(f.Properties) > 0 {
			return false
		}
	}
	return true
}

// deepstateJobs lists DeepState's snapshots from from to to ("" leaves
// an end open), the last of each day, and returns a job for each that was
// not fetched before, and how many the API listed.
func (m *Main) deepstateJobs(ctx context.Context, client *http.Client, base, from, to string) ([]controlJob, int, error) {
	c := &deepstate.Client{BaseURL: base, HTTP: client, UserAgent: "nadra/" + Version + " (+https://github.com/nadra)",
		Read: func(ctx context.Context, name string, r io.Reader) ([]byte, error) {
			return readLimited(ctx, name, r, kindControl)
		}}
	snaps, listed, err := c.Days(ctx, from, to)
	if err != nil {
		return nil, 0, err
	}
	var jobs []controlJob
	for _, sn := range snaps {
		seen, err := m.DB.ControlFileSeen(ctx, "", sn.URL)
		if err != nil {
			return nil, 0, err
		}
		if seen {
			continue
		}
		url := sn.URL
		jobs = append(jobs, controlJob{name: fmt.Sprintf("deepstate %d (%s)", sn.ID, sn.Day), source: url, date: sn.Day,
			fetch: func(ctx context.Context) ([]byte, error) { return c.Get(ctx, url) }})
	}
	return jobs, listed, nil
}

// shortName keeps the end of a long file name, for the progress bar.
func shortName(name string) string {
	if r := []rune(name); len(r) > 40 {
		return "…" + string(r[len(r)-39:])
	}
	return name
}
