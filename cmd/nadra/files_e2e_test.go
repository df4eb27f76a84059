//go:build unix

package main_test

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
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
