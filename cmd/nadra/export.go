package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"nadra"
	"nadra/geo"
	"nadra/internal/export"
)

const exportHelp = `Usage: nadra export <deposits|estimates|control|access> [--format csv|geojson|xlsx] [--date D] [-o FILE]

  deposits   csv: nadra's import columns; with --date, each deposit's status
             on that date after them (oblast_name, date, snapshot, status,
             since, distance_km, uncertain, in_situ_usd), which import
             ignores. geojson: points for QGIS with those statuses. xlsx:
             a workbook of the deposits with statuses, the estimates and
             what they rest on. geojson and xlsx give the statuses on the
             latest snapshot unless --date says otherwise.
  estimates  csv, geojson (each figure at its deposit's point, null
             geometry if it has none) or xlsx: the published resource figures
  control    geojson: the control snapshot in force on --date (default the
             latest), in nadra's own format
  access     csv: the access report's commodity rows, as report access
             --csv; xlsx: the whole report, each deposit and what it rests on

The formats and the bytes are those of the API's GET /api/v1/exports/KIND
?format=F&date=D. The default format is csv, geojson for control.

Output goes to standard output unless -o names a file, which is written
whole or not at all (a temporary file in the same directory, synced, then
renamed). A new file gets mode 0666 less your umask; a file replaced keeps
its mode. -o replaces only a regular file you may write: it refuses a
directory, a device, a named pipe or a socket, a symbolic link (give the
file it points to), and the database itself or its -wal, -shm or -journal
file, by any name. An xlsx is not written to a terminal: give -o.`

func (m *Main) runExport(ctx context.Context, args []string) error {
	if ok, err := m.subcommandHelp("export", args, exportHelp, "what to export? (deposits, estimates, control or access)"); !ok {
		return err
	}
	kind := args[0]
	if export.Formats(kind) == nil {
		return usagef("unknown kind %q; expected %s", kind, strings.Join(export.Kinds, ", "))
	}
	fs := m.flags("export "+kind, exportHelp)
	format := fs.String("format", "", "`FORMAT`: "+strings.Join(export.Formats(kind), ", ")+" (default "+export.Formats(kind)[0]+")")
	out := fs.String("o", "", "write to `FILE` instead of standard output")
	date := fs.String("date", "", "date `YYYY-MM-DD` for statuses (deposits, access) or the snapshot (control); default the latest")
	pos, err := parse(fs, args[1:])
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	if *date != "" {
		if _, err := nadra.ParseDate(*date); err != nil {
			return usagef("--date: %s", nadra.ErrorMessage(err))
		}
	}
	if kind == "estimates" && *date != "" {
		return usagef("--date: estimates have no date; they are the published figures")
	}
	f, err := export.Format(kind, *format)
	if err != nil {
		return usagef("--format: %s", nadra.ErrorMessage(err))
	}
	if f == "xlsx" && (*out == "" || *out == "-") && m.IsTerminal(m.Stdout) {
		return usagef("an xlsx workbook is binary; give -o FILE (or redirect standard output)")
	}
	if err := m.open(ctx); err != nil {
		return err
	}
	if _, _, err := m.checkOutput(*out); err != nil {
		return err
	}
	var buf bytes.Buffer
	switch kind {
	case "deposits":
		err = m.exportDeposits(ctx, &buf, f, *date)
	case "estimates":
		err = m.exportEstimates(ctx, &buf, f)
	case "control":
		d := *date
		if d == "" {
			d = "9999-12-31"
		}
		var s *nadra.Snapshot
		if s, err = m.Snapshots.FindSnapshotAt(ctx, d); err == nil {
			err = geo.WriteSnapshotGeoJSON(&buf, s)
		}
	case "access":
		var st *export.Statuses
		if st, err = m.statuses(ctx, *date); err == nil {
			err = export.Access(&buf, f, st)
		}
	}
	if err != nil {
		return err
	}
	return m.writeOutput(*out, buf.Bytes())
}

// statuses returns the deposits' statuses on date ("" for the latest
// snapshot), with the snapshot they rest on.
func (m *Main) statuses(ctx context.Context, date string) (*export.Statuses, error) {
	rep, err := m.accessReport(ctx, date, "")
	if err != nil {
		return nil, err
	}
	infos, err := m.Snapshots.FindSnapshots(ctx)
	if err != nil {
		return nil, err
	}
	st := &export.Statuses{Report: rep}
	for _, i := range infos {
		if i.Date == rep.Snapshot {
			st.Snapshot = i
		}
	}
	return st, nil
}

// exportDeposits writes the deposits: with their statuses in geojson and
// xlsx, and in csv when date is given.
func (m *Main) exportDeposits(ctx context.Context, w io.Writer, format, date string) error {
	deps, _, err := m.Deposits.FindDeposits(ctx, nadra.DepositFilter{})
	if err != nil {
		return err
	}
	if format == "csv" && date == "" {
		return export.Deposits(w, format, deps, nil, nil)
	}
	ests, err := m.Deposits.FindEstimates(ctx, "")
	if err != nil {
		return err
	}
	st, err := m.statuses(ctx, date)
	if err != nil {
		return err
	}
	return export.Deposits(w, format, deps, ests, st)
}

// writeOutput writes data to standard output when path is "" or "-",
// else to the file path, whole or not at all: to a temporary file in the
// same directory, synced, then renamed over path. It replaces only a
// regular file, never the open database or its -wal, -shm and -journal
// files, and does not follow a symbolic link at path: it refuses it. A
// new file gets mode 0666 less the umask, like other programs' output; a
// replaced one keeps its mode.
func (m *Main) writeOutput(path string, data []byte) error {
	if path == "" || path == "-" {
		_, err := m.Stdout.Write(data)
		return err
	}
	if err := m.writeOutputFunc(path, func(w io.Writer) error { _, err := w.Write(data); return err }); err != nil {
		return err
	}
	fmt.Fprintf(m.Stderr, "wrote %s (%d bytes)\n", path, len(data))
	return nil
}

// writeOutputFunc is writeOutput for output too large to hold in memory:
// write streams it to the temporary file, which is then synced and
// renamed over path, with the same checks. path may not be "" or "-".
func (m *Main) writeOutputFunc(path string, write func(w io.Writer) error) error {
	perm, replace, err := m.checkOutput(path)
	if err != nil {
		return err
	}
	dir := filepath.Dir(path)
	tmp, err := createTemp(dir, "."+filepath.Base(path)+".tmp", perm)
	if err != nil {
		return writeError(path, err)
	}
	defer os.Remove(tmp.Name())
	if replace {
		err = tmp.Chmod(perm)
	}
	if err == nil {
		err = write(tmp)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		if nadra.ErrorCode(err) != nadra.EINTERNAL {
			return err
		}
		return writeError(path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return writeError(path, err)
	}
	syncDir(dir)
	return nil
}

// checkOutput returns an error if writeOutput may not write path, else
// the mode the file will get and whether it replaces one. Commands that
// work long before they write call it first, to refuse early.
func (m *Main) checkOutput(path string) (perm fs.FileMode, replace bool, err error) {
	if path == "" || path == "-" {
		return 0, false, nil
	}
	perm = 0o666 // less the umask, which the system applies
	st, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		st = nil
	case err != nil:
		return 0, false, writeError(path, err)
	case st.Mode()&fs.ModeSymlink != 0:
		target, _ := os.Readlink(path)
		return 0, false, nadra.Errorf(nadra.EINVALID, "%s is a symbolic link (to %s); give the file it points to, or another name", path, target)
	case st.IsDir():
		return 0, false, nadra.Errorf(nadra.EINVALID, "%s is a directory; give a file name", path)
	case !st.Mode().IsRegular():
		return 0, false, nadra.Errorf(nadra.EINVALID, "%s is %s, not a regular file; nadra replaces only regular files", path, fileType(st.Mode()))
	default:
		perm, replace = st.Mode().Perm(), true
	}
	if db := m.databaseFile(path, st); db != "" {
		return 0, false, nadra.Errorf(nadra.EINVALID, "%s is %s; choose another output file", path, db)
	}
	if replace {
		// Replace only what we may write: a read-only file stays.
		f, err := os.OpenFile(path, os.O_WRONLY|syscall.O_NONBLOCK, 0)
		if err != nil {
			return 0, false, writeError(path, err)
		}
		f.Close()
	}
	return perm, replace, nil
}

func writeError(path string, err error) error {
	var pe *fs.PathError
	var le *os.LinkError
	switch {
	case errors.As(err, &pe):
		err = pe.Err
	case errors.As(err, &le):
		err = le.Err
	}
	return nadra.Errorf(nadra.EINVALID, "cannot write %s: %v", path, err)
}

// createTemp creates a new file in dir named prefix and a random suffix,
// with mode perm less the umask (os.CreateTemp always uses 0600).
func createTemp(dir, prefix string, perm fs.FileMode) (*os.File, error) {
	for range 1000 {
		name := filepath.Join(dir, prefix+strconv.FormatUint(rand.Uint64(), 36))
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, perm)
		if !errors.Is(err, fs.ErrExist) {
			return f, err
		}
	}
	return nil, fmt.Errorf("no free temporary name in %s", dir)
}

// syncDir syncs a directory so that a rename in it survives a crash.
// Where directories cannot be synced (Windows), it does nothing.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// databaseFile describes path if it is the open database or one of its
// SQLite side files (-wal, -shm, -journal), by identity (st, from Lstat,
// nil if path does not exist: a hard link or another spelling of the
// same file) or by name in the same directory (a side file that does not
// exist now is created by SQLite later, and must not be planted). It
// returns "" otherwise.
func (m *Main) databaseFile(path string, st fs.FileInfo) string {
	if k, _ := storeKind(m.DBPath); m.DBPath == "" || k != storeSQLite {
		return ""
	}
	sameDir := false
	if a, err := os.Stat(filepath.Dir(path)); err == nil {
		if b, err := os.Stat(filepath.Dir(m.DBPath)); err == nil {
			sameDir = os.SameFile(a, b)
		}
	}
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		name := m.DBPath + suffix
		what := "nadra's database (--db " + m.DBPath + ")"
		if suffix != "" {
			what = "a file of nadra's database " + m.DBPath
		}
		if sameDir && filepath.Base(path) == filepath.Base(name) {
			return what
		}
		if st == nil {
			continue
		}
		if dst, err := os.Stat(name); err == nil && os.SameFile(st, dst) {
			return what
		}
	}
	return ""
}

func (m *Main) exportEstimates(ctx context.Context, w io.Writer, format string) error {
	ests, err := m.Deposits.FindEstimates(ctx, "")
	if err != nil {
		return err
	}
	deps, _, err := m.Deposits.FindDeposits(ctx, nadra.DepositFilter{})
	if err != nil {
		return err
	}
	return export.Estimates(w, format, ests, deps)
}
