package server

import (
	"context"
	"encoding/json"
	"hash/fnv"
	"net/http"
	"strconv"
	"sync"
	"time"

	"nadra"
	"nadra/geo"

	"github.com/danielgtaylor/huma/v2"
)

// accessCache makes the access report cheap to ask for on every slider
// move. Building a snapshot's classifier and the controlled-ground overlay
// takes a few hundred milliseconds; the report over them a few more.
// Classifiers are kept per snapshot (date and import), reports per
// snapshot and registry content, so an import through the CLI is seen on
// the next request. Servers stay stateless over the database.
type accessCache struct {
	s           *Server
	mu          sync.Mutex
	classifiers map[string]*classifierEntry
	reports     map[string]*reportEntry

	// The registry and the snapshot list, re-read at most every
	// registryTTL: under load that saves four queries per request.
	regMu    sync.Mutex
	regAt    time.Time
	reg      geo.Registry
	regHash  string
	infos    []nadra.SnapshotInfo
	stateKey string // state's key for reg and infos, made when they are read

	snapshots *onceCache[*nadra.Snapshot] // by date and import
}

// registryTTL is how long the server reuses what it read of the registry
// and the snapshot list, so how long an import through the CLI takes to
// show. One second is below what a person notices.
const registryTTL = time.Second

type classifierEntry struct {
	once sync.Once
	c    *geo.Classifier
	err  error

	pathsOnce sync.Once
	paths     snapshotPaths // the map's layers, drawn once
}

type reportEntry struct {
	once sync.Once
	rep  *nadra.AccessReport
}

// maxCached bounds each map; past it the map starts over. The default data
// has 54 snapshots.
const maxCached = 256

func newAccessCache(s *Server) *accessCache {
	return &accessCache{s: s, classifiers: map[string]*classifierEntry{}, reports: map[string]*reportEntry{},
		snapshots: newOnceCache[*nadra.Snapshot](maxCached)}
}

// accessView is everything known about control on one date.
type accessView struct {
	Date       string // as asked, or the latest snapshot's
	Info       nadra.SnapshotInfo
	Snapshots  []nadra.SnapshotInfo // all, by date
	Report     *nadra.AccessReport
	Registry   geo.Registry
	Classifier *geo.Classifier
	entry      *classifierEntry
}

// resolveSnapshot returns the snapshot in force on date ("" for the
// latest) and the full list.
func (s *Server) resolveSnapshot(ctx context.Context, date string) (nadra.SnapshotInfo, []nadra.SnapshotInfo, error) {
	_, _, infos, err := s.access.load(ctx)
	if err != nil {
		return nadra.SnapshotInfo{}, nil, err
	}
	if len(infos) == 0 {
		return nadra.SnapshotInfo{}, nil, nadra.Errorf(nadra.ENOTFOUND, "No control snapshots in the database; import some with `nadra import control`.")
	}
	if date == "" {
		return infos[len(infos)-1], infos, nil
	}
	i := len(infos) - 1
	for i >= 0 && infos[i].Date > date {
		i--
	}
	if i < 0 {
		return nadra.SnapshotInfo{}, nil, nadra.Errorf(nadra.ENOTFOUND, "No control snapshot on or before %s; the first is %s.", date, infos[0].Date)
	}
	return infos[i], infos, nil
}

// accessAt returns the access report and what it rests on at date ("" for
// the latest snapshot). date must already be valid.
func (s *Server) accessAt(ctx context.Context, date string) (*accessView, error) {
	return s.accessAtClass(ctx, date, "")
}

// parseClass checks an optional commodity class parameter, naming it in
// the error.
func parseClass(param, v string) (nadra.CommodityClass, error) {
	if v == "" {
		return "", nil
	}
	c, err := nadra.ParseCommodityClass(v)
	if err != nil {
		return "", nadra.Errorf(nadra.EINVALID, "%s: %s.", param, nadra.ErrorMessage(err))
	}
	return c, nil
}

// accessAtClass is accessAt limited to one commodity class ("" for all):
// the report, and the registry it shows, are over the class's
// commodities only (geo.Registry.OfClass).
func (s *Server) accessAtClass(ctx context.Context, date string, class nadra.CommodityClass) (*accessView, error) {
	info, infos, err := s.resolveSnapshot(ctx, date)
	if err != nil {
		return nil, err
	}
	if date == "" {
		date = info.Date
	}
	reg, regHash, _, err := s.access.load(ctx)
	if err != nil {
		return nil, err
	}
	ckey := snapshotKey(info)
	c := s.access.classifier(ckey)
	c.once.Do(func() {
		// Not the request's context: the result is shared, and one
		// client leaving must not spoil it for the others.
		snap, err := s.snapshot(ctx, info)
		if err != nil {
			c.err = err
			return
		}
		c.c = geo.NewClassifier(snap, s.Boundaries)
	})
	if c.err != nil {
		s.access.forget(ckey)
		return nil, c.err
	}
	if class != "" {
		reg = reg.OfClass(class)
	}
	r := s.access.report(ckey + "#" + regHash + "#" + string(class))
	r.once.Do(func() {
		r.rep = geo.Access(info.Date, c.c, reg, geo.AccessOptions{})
		r.rep.Class = string(class)
	})
	rep := *r.rep // shallow: the slices are shared and read-only
	rep.Date = date
	return &accessView{Date: date, Info: info, Snapshots: infos, Report: &rep, Registry: reg, Classifier: c.c, entry: c}, nil
}

// snapshot returns a snapshot's geometry, read once per import.
func (s *Server) snapshot(ctx context.Context, info nadra.SnapshotInfo) (*nadra.Snapshot, error) {
	return s.access.snapshots.get(snapshotKey(info), func() (*nadra.Snapshot, error) {
		// Not the request's context: the result is shared.
		return s.Snapshots.FindSnapshotAt(context.WithoutCancel(ctx), info.Date)
	})
}

func snapshotKey(info nadra.SnapshotInfo) string {
	return info.Date + "#" + strconv.FormatInt(info.ImportID, 10)
}

// snapshotAt returns the snapshot in force on date: YYYY-MM-DD, or "" or
// "latest" for the latest.
func (s *Server) snapshotAt(ctx context.Context, date string) (*nadra.Snapshot, error) {
	if date == "latest" {
		date = ""
	}
	info, _, err := s.resolveSnapshot(ctx, date)
	if err != nil {
		return nil, err
	}
	return s.snapshot(ctx, info)
}

// state returns the registry, the snapshot list and a key that changes
// when either does: results derived from both (timelines, scenario
// evaluations) are cached under it.
func (a *accessCache) state(ctx context.Context) (geo.Registry, []nadra.SnapshotInfo, string, error) {
	reg, _, infos, key, err := a.loadKeyed(ctx)
	if err != nil {
		return geo.Registry{}, nil, "", err
	}
	return reg, infos, key, nil
}

// stateKey is state's key: the registry's hash and a hash of the snapshot
// list.
func stateKey(regHash string, infos []nadra.SnapshotInfo) string {
	h := fnv.New64a()
	for _, i := range infos {
		h.Write([]byte(snapshotKey(i) + ";"))
	}
	return regHash + "." + strconv.FormatUint(h.Sum64(), 36)
}

func (a *accessCache) classifier(key string) *classifierEntry {
	a.mu.Lock()
	defer a.mu.Unlock()
	e := a.classifiers[key]
	if e == nil {
		if len(a.classifiers) >= maxCached {
			a.classifiers = map[string]*classifierEntry{}
		}
		e = &classifierEntry{}
		a.classifiers[key] = e
	}
	return e
}

func (a *accessCache) forget(key string) {
	a.mu.Lock()
	delete(a.classifiers, key)
	a.mu.Unlock()
}

func (a *accessCache) report(key string) *reportEntry {
	a.mu.Lock()
	defer a.mu.Unlock()
	e := a.reports[key]
	if e == nil {
		if len(a.reports) >= maxCached {
			a.reports = map[string]*reportEntry{}
		}
		e = &reportEntry{}
		a.reports[key] = e
	}
	return e
}

// load returns the registry, its hash and the snapshot list, read again
// when older than registryTTL.
func (a *accessCache) load(ctx context.Context) (geo.Registry, string, []nadra.SnapshotInfo, error) {
	reg, h, infos, _, err := a.loadKeyed(ctx)
	return reg, h, infos, err
}

// loadKeyed is load, with state's key, made once per read rather than on
// every request (every OGC answer asks for it).
func (a *accessCache) loadKeyed(ctx context.Context) (geo.Registry, string, []nadra.SnapshotInfo, string, error) {
	a.regMu.Lock()
	defer a.regMu.Unlock()
	if a.infos != nil && time.Since(a.regAt) < a.s.cacheTTL() {
		return a.reg, a.regHash, a.infos, a.stateKey, nil
	}
	infos, err := a.s.Snapshots.FindSnapshots(ctx)
	if err != nil {
		return geo.Registry{}, "", nil, "", err
	}
	reg, h, err := a.s.registry(ctx)
	if err != nil {
		return geo.Registry{}, "", nil, "", err
	}
	if infos == nil {
		infos = []nadra.SnapshotInfo{}
	}
	a.reg, a.regHash, a.infos, a.regAt = reg, h, infos, time.Now()
	a.stateKey = stateKey(h, infos)
	return reg, h, infos, a.stateKey, nil
}

// registry reads the deposits, estimates and commodities, and a hash of
// their content that keys cached reports.
func (s *Server) registry(ctx context.Context) (geo.Registry, string, error) {
	deps, _, err := s.Deposits.FindDeposits(ctx, nadra.DepositFilter{})
	if err != nil {
		return geo.Registry{}, "", err
	}
	ests, err := s.Deposits.FindEstimates(ctx, "")
	if err != nil {
		return geo.Registry{}, "", err
	}
	comms, err := s.Commodities.FindCommodities(ctx)
	if err != nil {
		return geo.Registry{}, "", err
	}
	h := fnv.New64a()
	enc := json.NewEncoder(h)
	enc.Encode(deps)
	enc.Encode(ests)
	enc.Encode(comms)
	return geo.Registry{Deposits: deps, Estimates: ests, Commodities: comms}, strconv.FormatUint(h.Sum64(), 36), nil
}

// parseDate checks an optional date parameter, naming it in the error.
func parseDate(param, v string) (string, error) {
	if v == "" {
		return "", nil
	}
	if _, err := nadra.ParseDate(v); err != nil {
		if p := nadra.DateProblem(v); p != "expected YYYY-MM-DD" {
			return "", nadra.Errorf(nadra.EINVALID, "%s: %q is not a date: %s.", param, v, p)
		}
		return "", nadra.Errorf(nadra.EINVALID, "%s: %q is not a date; expected YYYY-MM-DD.", param, v)
	}
	return v, nil
}

// AccessInput is the access report's query.
type AccessInput struct {
	Date string `query:"date" doc:"Date YYYY-MM-DD; the latest control snapshot on or before it is used. Default: the latest snapshot." example:"2025-02-12"`
}

// AccessOutput is the access report.
type AccessOutput struct {
	Body *nadra.AccessReport
}

func (s *Server) registerAccessRoutes() {
	register(s, s.api, huma.Operation{
		OperationID: "get-access-report",
		Method:      http.MethodGet,
		Path:        "/access",
		Summary:     "Access report at a date",
		Description: "Each deposit's control status on the date, its geodesic distance to hostile ground (or, if occupied, to Ukrainian-controlled ground) and whether its position's own error could flip its status; then, per commodity and in total, the share inaccessible (occupied or grey) by count, contained quantity and in-situ value (an upper bound), each with its coverage. Unknown figures are null, never 0.",
		Tags:        []string{"access"},
	}, s.handleAccess)
}

// handleAccess handles the "GET /api/v1/access" route.
func (s *Server) handleAccess(ctx context.Context, in *AccessInput) (*AccessOutput, error) {
	date, err := parseDate("date", in.Date)
	if err != nil {
		return nil, err
	}
	v, err := s.accessAt(ctx, date)
	if err != nil {
		return nil, err
	}
	return &AccessOutput{Body: v.Report}, nil
}
