//go:build unix

package main_test

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// fileSum returns a file's SHA-256, "" if it does not exist.
func fileSum(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return ""
	}
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%x", sha256.Sum256(b))
}

// TestE2E_ImportSignal sends SIGTERM or SIGINT to the binary while it
// reads standard input that never ends: it must stop, say so, exit 1 and
// leave the database as it was. The test writes 1 MB to the pipe, more
// than the pipe holds, so the write returns only once nadra is reading:
// the signal arrives mid-read, with no timing involved.
func TestE2E_ImportSignal(t *testing.T) {
	tests := []struct {
		kind string
		sig  syscall.Signal
	}{
		{"deposits", syscall.SIGTERM},
		{"deposits", syscall.SIGINT},
		{"control", syscall.SIGTERM},
	}
	for _, tt := range tests {
		t.Run(tt.kind+" "+tt.sig.String(), func(t *testing.T) {
			dir := t.TempDir()
			db := filepath.Join(dir, "nadra.db")
			if r := run(t, dir, "export", "estimates"); r.code != 0 { // seeds the database
				t.Fatalf("seed: exit %d: %s", r.code, r.stderr)
			}
			before := fileSum(t, db)
			cmd := exec.Command(binary, "import", tt.kind, "-")
			cmd.Env = []string{"NADRA_DB=" + db, "HOME=" + dir, "PATH=" + os.Getenv("PATH")}
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			w, err := cmd.StdinPipe()
			if err != nil {
				t.Fatal(err)
			}
			defer w.Close()
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			if _, err := w.Write(bytes.Repeat([]byte("a,b,c\n"), 1<<20/6)); err != nil {
				cmd.Wait()
				t.Fatalf("write: %v; stderr %s", err, &stderr)
			}
			if err := cmd.Process.Signal(tt.sig); err != nil {
				t.Fatal(err)
			}
			err = cmd.Wait()
			code := -1
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode() // -1 if a signal killed it
			} else if err == nil {
				code = 0
			}
			if code != 1 {
				t.Errorf("exit %d (%v), want 1", code, err)
			}
			if want := "nadra import: interrupted; nothing was imported\n"; stderr.String() != want {
				t.Errorf("stderr %q, want %q", &stderr, want)
			}
			if after := fileSum(t, db); after != before {
				t.Errorf("the database file changed")
			}
		})
	}
}

// runUmask runs the binary under a umask, in dir with its database there.
func runUmask(t *testing.T, dir, umask string, args ...string) result {
	t.Helper()
	cmd := exec.Command("sh", append([]string{"-c", `umask "$1"; shift; exec "$@"`, "sh", umask, binary}, args...)...)
	cmd.Env = []string{"NADRA_DB=" + filepath.Join(dir, "nadra.db"), "HOME=" + dir, "PATH=" + os.Getenv("PATH")}
	cmd.Dir = dir
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{code, out.String(), errb.String()}
}

// TestE2E_ExportRefuses checks that -o replaces nothing but a regular
// file: not the database (by any name), a symbolic link, a named pipe, a
// device or a directory. Each must be refused with a reason, exit 1, and
// be left as it was, with no temporary file left behind.
func TestE2E_ExportRefuses(t *testing.T) {
	seeded := t.TempDir()
	if r := run(t, seeded, "export", "estimates"); r.code != 0 {
		t.Fatalf("seed: exit %d: %s", r.code, r.stderr)
	}
	dbBytes, err := os.ReadFile(filepath.Join(seeded, "nadra.db"))
	if err != nil {
		t.Fatal(err)
	}
	// setup makes, in a fresh dir, the database and something at each
	// name the cases give -o. It reports whether it made a device node.
	setup := func(t *testing.T, dir string) bool {
		p := func(n string) string { return filepath.Join(dir, n) }
		for _, err := range []error{
			os.WriteFile(p("nadra.db"), dbBytes, 0o644),
			os.WriteFile(p("first.csv"), []byte("id\n"), 0o644),
			os.Link(p("nadra.db"), p("hard.db")),
			os.Symlink("nadra.db", p("sym.db")),
			os.Symlink("first.csv", p("link.csv")),
			os.Symlink("nowhere.csv", p("dangling.csv")),
			syscall.Mkfifo(p("fifo.csv"), 0o644),
			os.Mkdir(p("sub"), 0o755),
			os.Symlink("..", p("sub/up")),
		} {
			if err != nil {
				t.Fatal(err)
			}
		}
		return syscall.Mknod(p("null.csv"), syscall.S_IFCHR|0o666, 1<<8|3) == nil // root only: a copy of /dev/null
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"the database", []string{"export", "deposits", "-o", "nadra.db"}, "nadra.db is nadra's database"},
		{"the database, as ./", []string{"export", "estimates", "-o", "./nadra.db"}, "./nadra.db is nadra's database"},
		{"the database, by absolute path", []string{"export", "control", "-o", "$DIR/nadra.db"}, "/nadra.db is nadra's database"},
		{"the database, through a linked directory", []string{"export", "deposits", "-o", "sub/up/nadra.db"}, "sub/up/nadra.db is nadra's database"},
		{"the database, by a hard link", []string{"export", "deposits", "-o", "hard.db"}, "hard.db is nadra's database"},
		{"the database, by a symbolic link", []string{"export", "deposits", "-o", "sym.db"}, "sym.db is a symbolic link (to nadra.db)"},
		{"the database's WAL", []string{"export", "deposits", "-o", "nadra.db-wal"}, "nadra.db-wal is a file of nadra's database"},
		{"the database's journal, absent", []string{"export", "deposits", "-o", "nadra.db-journal"}, "nadra.db-journal is a file of nadra's database"},
		{"the database, by simulate --dump-inputs", []string{"simulate", "--dump-inputs", "nadra.db"}, "nadra.db is nadra's database"},
		{"a symbolic link to a file", []string{"export", "deposits", "-o", "link.csv"}, "link.csv is a symbolic link (to first.csv); give the file it points to"},
		{"a dangling symbolic link", []string{"export", "deposits", "-o", "dangling.csv"}, "dangling.csv is a symbolic link (to nowhere.csv)"},
		{"a named pipe", []string{"export", "deposits", "-o", "fifo.csv"}, "fifo.csv is a named pipe (FIFO), not a regular file"},
		{"a named pipe, by simulate --dump-inputs", []string{"simulate", "--dump-inputs", "fifo.csv"}, "fifo.csv is a named pipe (FIFO), not a regular file"},
		{"a device", []string{"export", "deposits", "-o", "null.csv"}, "null.csv is a device, not a regular file"},
		{"a directory", []string{"export", "deposits", "-o", "sub"}, "sub is a directory; give a file name"},
		{"the current directory", []string{"export", "deposits", "-o", "."}, ". is a directory"},
	}
	type state struct {
		mode   fs.FileMode
		target string
		sum    string
	}
	snapshot := func(t *testing.T, dir string) map[string]state {
		m := map[string]state{}
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			p := filepath.Join(dir, e.Name())
			st, err := os.Lstat(p)
			if err != nil {
				t.Fatal(err)
			}
			s := state{mode: st.Mode()}
			if st.Mode()&fs.ModeSymlink != 0 {
				s.target, _ = os.Readlink(p)
			} else if st.Mode().IsRegular() {
				s.sum = fileSum(t, p)
			}
			m[e.Name()] = s
		}
		return m
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if device := setup(t, dir); !device && strings.Contains(tt.name, "device") {
				t.Skip("making a device node needs root")
			}
			args := append([]string{}, tt.args...)
			for i := range args {
				args[i] = strings.ReplaceAll(args[i], "$DIR", dir)
			}
			before := snapshot(t, dir)
			r := run(t, dir, args...)
			if r.code != 1 || !strings.Contains(r.stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want 1, %q", r.code, r.stderr, tt.want)
			}
			after := snapshot(t, dir)
			for name, s := range before {
				if after[name] != s {
					t.Errorf("%s changed: %+v, was %+v", name, after[name], s)
				}
			}
			for name := range after {
				if _, ok := before[name]; !ok && !strings.HasPrefix(name, "nadra.db-") { // SQLite's side files come and go
					t.Errorf("%s left behind", name)
				}
			}
			if r := run(t, dir, "report", "access", "--json"); r.code != 0 {
				t.Errorf("the database no longer works: exit %d: %s", r.code, r.stderr)
			}
		})
	}
}

// TestE2E_ExportMode checks -o's file mode: 0666 less the umask for a new
// file, as other programs write, and the old mode for a replaced file.
func TestE2E_ExportMode(t *testing.T) {
	dir := t.TempDir()
	want := run(t, dir, "export", "deposits").stdout // seeds the database
	tests := []struct {
		name  string
		umask string
		old   fs.FileMode // 0: no file before
		want  fs.FileMode
	}{
		{"new, umask 022", "022", 0, 0o644},
		{"new, umask 027", "027", 0, 0o640},
		{"new, umask 077", "077", 0, 0o600},
		{"new, umask 002", "002", 0, 0o664},
		{"replacing 0600, umask 022", "022", 0o600, 0o600},
		{"replacing 0664, umask 022", "022", 0o664, 0o664},
		{"replacing 0644, umask 077", "077", 0o644, 0o644},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name := fmt.Sprintf("out%d.csv", i)
			if tt.old != 0 {
				if err := os.WriteFile(filepath.Join(dir, name), []byte("old\n"), 0o600); err != nil {
					t.Fatal(err)
				}
				if err := os.Chmod(filepath.Join(dir, name), tt.old); err != nil {
					t.Fatal(err)
				}
			}
			r := runUmask(t, dir, tt.umask, "export", "deposits", "-o", name)
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			st, err := os.Stat(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			if st.Mode() != tt.want {
				t.Errorf("mode %v, want %v", st.Mode(), tt.want)
			}
			f, _ := os.Open(filepath.Join(dir, name))
			got, _ := io.ReadAll(f)
			f.Close()
			if string(got) != want {
				t.Errorf("the file holds %d bytes, not the export's %d", len(got), len(want))
			}
		})
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp") {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
}
