// Command nadra answers questions about minerals-for-security deals: what
// is in the ground, how much of it lies behind the front line, what it
// would change in dependence on China, what a deal is worth, and what has
// flowed. Run "nadra help" for the commands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"nadra"
	"nadra/dataset"
	"nadra/internal/notice"
	"nadra/internal/progress"
)

// Version is set at build time with -ldflags "-X main.Version=...".
var Version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m := NewMain()
	os.Exit(m.Run(ctx, os.Args[1:]))
}

// Main is the program: its configuration, its streams and its services.
// Tests build one with NewMain and call Run.
type Main struct {
	Stdout, Stderr io.Writer
	Stdin          io.Reader
	Getenv         func(string) string
	Now            func() time.Time
	// IsTerminal tells whether a stream is a terminal: progress bars are
	// drawn on standard error only then (progressBar).
	IsTerminal func(io.Writer) bool

	DBPath      string
	DB          database // sqlite.DB or postgres.DB, by DBPath (store.go)
	Deposits    nadra.DepositService
	Snapshots   nadra.SnapshotService
	Commodities nadra.CommodityService
	Supply      nadra.SupplyService
	Licences    nadra.LicenceService
	Ledger      nadra.LedgerStore
	Watches     watchStore // watches, their events and deliveries, fetch runs
	Tokens      nadra.TokenService
	Catalog     nadra.CatalogService
	Audit       nadra.AuditStore

	// DatasetVersion and Dataset give the embedded dataset's version and
	// content; tests replace them to play an upgrade.
	DatasetVersion func() (string, error)
	Dataset        func() (nadra.Seed, error)

	snapCache   map[string]*nadra.Snapshot // by date asked, for one command's life
	migrated    []string                   // the migrations open applied
	replaceFull bool                       // import control --replace
	forceJump   bool                       // import control --force
	quiet       bool                       // no progress bars: nadra serve logs
	audit       *auditWrite                // the write this command records (audit.go)
}

// NewMain returns a Main on the process's streams and environment.
func NewMain() *Main {
	return &Main{Stdout: os.Stdout, Stderr: os.Stderr, Stdin: os.Stdin, Getenv: os.Getenv, Now: time.Now,
		IsTerminal: progress.IsTerminal, DatasetVersion: dataset.Version, Dataset: dataset.Seed}
}

// progressBar returns the one progress bar of long work (simulate, imports
// of many snapshots, the DeepState fetch) with steps steps: drawn on
// standard error when it is a terminal, never in nadra serve (m.quiet),
// and otherwise a bar that prints nothing.
func (m *Main) progressBar(steps int, desc string) *progress.Bar {
	isTerm := m.IsTerminal
	if isTerm == nil {
		isTerm = progress.IsTerminal
	}
	on := progress.Show(m.Stderr, m.quiet, isTerm, int64(steps))
	return progress.New(m.Stderr, on, int64(steps), desc)
}

// Exit statuses.
const (
	exitOK    = 0
	exitError = 1 // a user error: bad input, not found
	exitUsage = 2 // a usage error: unknown command or flag
)

// usageError is a mistake in how nadra was called.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

// oneLineHelp is the line of help printed under a usage error: the
// command's synopsis and where the rest is.
func oneLineHelp(fs *flag.FlagSet) string {
	if v, ok := usageLines.Load(fs); ok && v.(string) != "" {
		return fmt.Sprintf("usage: %s (nadra %s --help for every flag)", v.(string), fs.Name())
	}
	return fmt.Sprintf("run 'nadra %s --help' for every flag", fs.Name())
}

// subcommandHelp handles a command's help and its missing subcommand:
// with no argument it returns a usage error naming the choices, with one
// line of help (on standard error, like every mistake); with --help it
// prints the help to standard output. It reports whether args[0] is a
// subcommand to run.
func (m *Main) subcommandHelp(cmd string, args []string, help, missing string) (bool, error) {
	if len(args) == 0 {
		return false, usagef("%s\nrun 'nadra %s --help' for what each does", missing, cmd)
	}
	switch args[0] {
	case "--help", "-h", "-help", "help":
		fmt.Fprintln(m.Stdout, help)
		return false, nil
	}
	return true, nil
}

type command struct {
	summary string
	run     func(m *Main, ctx context.Context, args []string) error
}

var commands map[string]command

func init() {
	commands = map[string]command{
		"report":   {"reports: access (share of deposits behind the front line), timeline (that share over every snapshot), supply (dependence on China), risk (how close the front has come)", (*Main).runReport},
		"import":   {"import deposits, estimates, licences, control snapshots or production from files", (*Main).runImport},
		"export":   {"export deposits or estimates as CSV or GeoJSON", (*Main).runExport},
		"version":  {"print the version and the embedded dataset's version", (*Main).runVersion},
		"scenario": {"scenarios: what a ceasefire line or a territorial exchange would change", (*Main).runScenario},
		"serve":    {"serve the dashboard, the JSON API and OGC API - Features", (*Main).runServe},
		"deal":     {"deal terms: list, show (with sources)", (*Main).runDeal},
		"simulate": {"value a deal for each party by Monte Carlo, with sensitivity", (*Main).runSimulate},
		"ledger":   {"what has flowed: signed entries, checkpoints co-signed by both parties, offline verification", (*Main).runLedger},
		"dataset":  {"the embedded dataset against your data: status, diff, accept, keep", (*Main).runDataset},
		"watch":    {"front-line watches: events when the front comes near a deposit, licence, commodity or oblast; webhooks", (*Main).runWatch},
		"licences": {"the licence register: each licence, its deposit's status on the front, and whether it counts under deal terms", (*Main).runLicences},
		"migrate":  {"create or upgrade the database (SQLite file or PostgreSQL) and seed it; every command does so on first use", (*Main).runMigrate},
		"token":    {"API tokens for nadra serve: create (shown once), list, revoke; roles viewer, analyst, editor, party, auditor, admin", (*Main).runToken},
		"audit":    {"the audit trail: every write, who, when, what changed; verify it against the log and the tables", (*Main).runAudit},
		"claims":   {"public claims (\"40% of metallic resources occupied\" …) tested against the data, with coverage and a verdict", (*Main).runClaims},
	}
}

const mainHelp = `nadra: minerals-for-security deals, with sources.

Usage:
  nadra <command> [subcommand] [flags]

Commands:
%s
Every command takes --help, and --db (or the NADRA_DB environment
variable) to choose the database: a file path for SQLite, or a
postgres://USER@HOST:5432/DATABASE URL for PostgreSQL with PostGIS. By
default the database is a SQLite file in your data directory. Either is
created (migrated) and seeded from the embedded default dataset on first
use.

Examples:
  nadra serve                      # then open http://127.0.0.1:8080/
  nadra report access
  nadra report access --date 2025-02-12 --json
  nadra report supply
  nadra report supply --commodity lithium --deposits dobra,polokhivske
  nadra export deposits --format geojson -o deposits.geojson
  nadra import deposits my-deposits.csv
  nadra deal show urif-2025
  nadra simulate --vs draft-2025-02
`

func (m *Main) help(w io.Writer) {
	var names []string
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		fmt.Fprintf(&b, "  %-9s %s\n", n, commands[n].summary)
	}
	fmt.Fprintf(w, mainHelp, b.String())
}

// Run runs one command line and returns the exit status.
func (m *Main) Run(ctx context.Context, args []string) int {
	defer m.Close()
	if len(args) == 0 {
		m.help(m.Stderr)
		return exitUsage
	}
	name := args[0]
	switch name {
	case "help", "-h", "-help", "--help":
		if len(args) > 1 {
			if _, ok := commands[args[1]]; ok {
				return m.Run(ctx, []string{args[1], "--help"})
			}
		}
		m.help(m.Stdout)
		return exitOK
	case "--version", "-version", "-V":
		name, args = "version", append([]string{"version"}, args[1:]...)
	}
	cmd, ok := commands[name]
	if !ok {
		fmt.Fprintf(m.Stderr, "nadra: unknown command %q\nusage: nadra <command> [subcommand] [flags] (nadra help lists the commands)\n", name)
		return exitUsage
	}
	m.audit = cliWrite(args)
	err := cmd.run(m, ctx, args[1:])
	if err == nil {
		err = m.recordWrite(ctx)
	}
	var ue *usageError
	var ie *interruptedError
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.As(err, &ue):
		fmt.Fprintf(m.Stderr, "nadra %s: %s\n", name, ue.msg)
		return exitUsage
	case errors.As(err, &ie):
		fmt.Fprintf(m.Stderr, "nadra %s: %s\n", name, ie.msg)
		return exitError
	case ctx.Err() != nil:
		// Ctrl-C or SIGTERM: whatever failed failed because of it.
		fmt.Fprintf(m.Stderr, "nadra %s: interrupted\n", name)
		return exitError
	default:
		msg := nadra.ErrorMessage(err)
		if se := (*syntaxError)(nil); !errors.As(err, &se) {
			msg = oneLine(msg) // a syntax error keeps its caret on a line of its own
		}
		fmt.Fprintf(m.Stderr, "nadra %s: %s\n", name, msg)
		if nadra.ErrorCode(err) == nadra.EINTERNAL {
			fmt.Fprintf(m.Stderr, "nadra %s: detail: %v\n", name, err)
		}
		return exitError
	}
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// Close closes the database if it was opened.
func (m *Main) Close() error {
	if m.DB != nil {
		err := m.DB.Close()
		m.DB = nil
		return err
	}
	return nil
}

// flags returns a flag set for a command with --db registered and help
// text printed to standard output on --help. On a mistake (an unknown
// flag, a bad value) nothing is printed here: parse returns a usage error
// with one line of help, which Run prints to standard error.
func (m *Main) flags(name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	// The flag package prints a mistake to the output before it calls
	// Usage; flagOutput notes it, so that Usage stays quiet then.
	out := &flagOutput{}
	fs.SetOutput(out)
	fs.StringVar(&m.DBPath, "db", "", "database: a SQLite file `path` or a postgres:// URL (default: $NADRA_DB, else a file in the user data directory)")
	fs.Usage = func() {
		if out.mistake {
			out.mistake = false
			return
		}
		fmt.Fprintf(m.Stdout, "%s\n\nFlags:\n", strings.TrimSpace(usage))
		fs.SetOutput(m.Stdout)
		printDefaults(fs)
		fs.SetOutput(out)
	}
	usageLines.Store(fs, firstUsageLine(usage))
	return fs
}

// flagOutput is a flag set's output between helps: it discards what the
// flag package writes and remembers that it wrote, which it does only
// for a mistake.
type flagOutput struct{ mistake bool }

func (o *flagOutput) Write(p []byte) (int, error) {
	o.mistake = true
	return len(p), nil
}

// usageLines holds each flag set's one line of help: the first line of
// its usage text ("Usage: nadra report access [--date YYYY-MM-DD] ...").
var usageLines sync.Map // *flag.FlagSet → string

// firstUsageLine returns the usage text's first line, without "Usage: ".
func firstUsageLine(usage string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(usage), "\n")
	return strings.TrimSpace(strings.TrimPrefix(line, "Usage:"))
}

// printDefaults is fs.PrintDefaults, except that a default that only
// means "not given" (-1, 0, an empty string, false) is not printed: the
// help text says what the default is.
func printDefaults(fs *flag.FlagSet) {
	w := fs.Output()
	fs.VisitAll(func(f *flag.Flag) {
		name, help := flag.UnquoteUsage(f)
		line := "  --" + f.Name
		if name != "" {
			line += " " + name
		}
		if len(line) <= 6 { // a short flag: help on the same line
			line += "\t"
		} else {
			line += "\n    \t"
		}
		line += strings.ReplaceAll(help, "\n", "\n    \t")
		switch f.DefValue {
		case "", "0", "-1", "false", "[]":
		default:
			if strings.Contains(help, "default") {
				break
			}
			if fmt.Sprintf("%T", f.Value) == "*flag.stringValue" {
				line += fmt.Sprintf(" (default %q)", f.DefValue)
			} else {
				line += fmt.Sprintf(" (default %s)", f.DefValue)
			}
		}
		fmt.Fprintln(w, line)
	})
}

// parse parses flags, allowing flags after positional arguments, and
// turns flag errors into usage errors that carry one line of help.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err // the usage is printed
			}
			return nil, usagef("%v\n%s", err, oneLineHelp(fs))
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// DefaultDBPath returns where the database lives when --db and NADRA_DB
// are not given: the user's data directory.
func DefaultDBPath(getenv func(string) string) (string, error) {
	if d := getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "nadra", "nadra.db"), nil
	}
	switch runtime.GOOS {
	case "windows":
		if d := getenv("LocalAppData"); d != "" {
			return filepath.Join(d, "nadra", "nadra.db"), nil
		}
	case "darwin":
		if h := getenv("HOME"); h != "" {
			return filepath.Join(h, "Library", "Application Support", "nadra", "nadra.db"), nil
		}
	}
	h := getenv("HOME")
	if h == "" {
		return "", nadra.Errorf(nadra.EINVALID, "cannot find a data directory: set --db, NADRA_DB or HOME")
	}
	return filepath.Join(h, ".local", "share", "nadra", "nadra.db"), nil
}

// open opens the database, creating and seeding it from the embedded
// dataset on first use, or when the embedded dataset has changed.
func (m *Main) open(ctx context.Context) error {
	if m.DB != nil {
		return nil
	}
	path := m.DBPath
	if path == "" {
		path = m.Getenv("NADRA_DB")
	}
	if path == "" {
		var err error
		if path, err = DefaultDBPath(m.Getenv); err != nil {
			return err
		}
	}
	applied, err := m.openStore(path)
	if err != nil {
		return err
	}
	m.migrated = applied
	if err := m.seed(ctx); err != nil {
		return err
	}
	if err := m.beforeWrite(ctx); err != nil {
		return err
	}
	return m.noteNoControl(ctx)
}

// noteNoControl says on standard error, in a build without the embedded
// snapshots (-tags nosnapshots), that no control data is loaded until the
// user imports some, so that no report is read as if the front were known.
func (m *Main) noteNoControl(ctx context.Context) error {
	if dataset.SnapshotsEmbedded {
		return nil
	}
	infos, err := m.Snapshots.FindSnapshots(ctx)
	if err != nil {
		return err
	}
	if len(infos) == 0 {
		fmt.Fprintf(m.Stderr, "nadra: %s\n", dataset.NoSnapshotsNote)
	}
	return nil
}

// seed imports the embedded dataset when the database has not seen its
// version: on first use, and after an upgrade. It never overwrites a row
// the user imported or changed (nadra.SeedService); it says what it
// kept, and where the dataset and the user's data now disagree.
func (m *Main) seed(ctx context.Context) error {
	want, err := m.DatasetVersion()
	if err != nil {
		return err
	}
	have, err := m.DB.SeedVersion(ctx)
	if err != nil {
		return err
	}
	if have == want {
		return nil
	}
	sd, err := m.Dataset()
	if err != nil {
		return err
	}
	verb := "seeding"
	if have != "" {
		verb = "updating"
	}
	production := 0
	if sd.Supply != nil {
		production = len(sd.Supply.Production)
	}
	fmt.Fprintf(m.Stderr, "nadra: %s %s from the embedded dataset %s (%d deposits, %d estimates, %d licences, %d snapshots, %d production rows)\n",
		verb, m.dbName(), want, len(sd.Deposits), len(sd.Estimates), len(sd.Licences), len(sd.Snapshots), production)
	res, err := m.DB.ImportSeed(ctx, sd)
	if err != nil {
		return err
	}
	if have == "" {
		return nil
	}
	fmt.Fprintf(m.Stderr, "nadra: from the dataset: %d rows added, %d updated, %d removed, %d unchanged\n", res.Inserted, res.Updated, res.Removed, res.Unchanged)
	m.afterImport(ctx) // the dataset's new snapshots fire watches too
	if n := len(res.Kept); n > 0 {
		conflicts := len(res.Conflicts())
		fmt.Fprintf(m.Stderr, "nadra: kept %d rows you imported or changed where the dataset differs (%d conflicts: the dataset changed them too); `nadra dataset diff` shows both values, `nadra dataset accept` or `keep` settles them\n", n, conflicts)
	}
	return nil
}

func (m *Main) runVersion(ctx context.Context, args []string) error {
	fs := m.flags("version", `Usage: nadra version [--licences [--json]]

Prints nadra's version and the embedded dataset's version. With
--licences, also the licence of everything this binary carries: nadra's
code (Apache-2.0), Go's library, every Go module compiled in, and each
part of the embedded dataset, and whether the DeepStateMap control
snapshots are in this build (-tags nosnapshots leaves them out).`)
	licences := fs.Bool("licences", false, "list the licence of the code, each Go module compiled in and each embedded dataset part")
	asJSON := fs.Bool("json", false, "with --licences: print them as JSON")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *asJSON && !*licences {
		return usagef("--json goes with --licences")
	}
	v, err := m.DatasetVersion()
	if err != nil {
		return err
	}
	if !*licences {
		fmt.Fprintf(m.Stdout, "nadra %s (%s), embedded dataset %s\n", Version, runtime.Version(), v)
		return nil
	}
	n, err := notice.Build(Version, dataset.Parts(), dataset.SnapshotsEmbedded)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(m.Stdout, n)
	}
	w := m.Stdout
	fprintf(w, "nadra %s (%s), embedded dataset %s\n\n", Version, runtime.Version(), v)
	fprintf(w, "Code\n")
	tw := newTab(w)
	for _, c := range n.Code {
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", c.Path, c.Version, c.Licence)
	}
	tw.Flush()
	fprintf(w, "  (LICENSE and NOTICE in the source)\n\nGo modules compiled in (%d)\n", len(n.Modules))
	tw = newTab(w)
	for _, mod := range n.Modules {
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", mod.Path, mod.Version, mod.Licence)
	}
	tw.Flush()
	fprintf(w, "\nEmbedded dataset (dataset/README.md, \"Licences in one place\")\n")
	for _, p := range n.Data {
		fprintf(w, "  %s\n    %s\n    licence: %s\n    attribution: %s\n", p.Files, p.What, p.Licence, p.Attribution)
	}
	if n.Snapshots {
		fprintf(w, "\nControl snapshots: embedded.\n")
	} else {
		fprintf(w, "\nControl snapshots: not in this build.\n")
	}
	fprintf(w, "%s\n", wrap(n.Note, 76, ""))
	return nil
}
