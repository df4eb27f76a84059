package main_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestE2E_NoSnapshots builds nadra with -tags nosnapshots, the build for
// users DeepStateMap's terms do not allow, and checks that it carries no
// control snapshot, says so in the CLI and on the dashboard, that the rest
// works, and that the user's own snapshot, once imported, is used.
func TestE2E_NoSnapshots(t *testing.T) {
	t.Parallel() // runs only the binary, in its own directories
	dir := t.TempDir()
	bin := filepath.Join(dir, "nadra-nosnapshots")
	if out, err := exec.Command("go", "build", "-tags", "nosnapshots", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build -tags nosnapshots: %v\n%s", err, out)
	}
	runNS := func(args ...string) result {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Env = []string{"NADRA_DB=" + filepath.Join(dir, "nadra.db"), "HOME=" + dir, "PATH=" + os.Getenv("PATH")}
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
	const note = "no control data is loaded"

	r := runNS("version", "--licences")
	if r.code != 0 || !strings.Contains(r.stdout, "Control snapshots: not in this build.") {
		t.Fatalf("version --licences: exit %d, stdout %q; want 'Control snapshots: not in this build.'", r.code, r.stdout)
	}
	if strings.Contains(r.stdout, "snapshots/20") || strings.Contains(r.stdout, "unknown:") {
		t.Fatalf("version --licences lists a snapshot part or an unknown licence:\n%s", r.stdout)
	}

	// The seed carries no snapshot; every command that opens the store says so.
	r = runNS("report", "access")
	if r.code != 1 || !strings.Contains(r.stderr, "0 snapshots") || !strings.Contains(r.stderr, note) || !strings.Contains(r.stderr, "nadra import control") {
		t.Fatalf("report access: exit %d, stderr %q; want exit 1, the seed's 0 snapshots and %q with the way to import", r.code, r.stderr, note)
	}
	// What needs no control data works.
	for _, args := range [][]string{
		{"report", "supply", "--commodity", "lithium", "--year", "2024"},
		{"export", "deposits"},
		{"licences"},
	} {
		r = runNS(args...)
		if r.code != 0 || r.stdout == "" || !strings.Contains(r.stderr, note) {
			t.Fatalf("%s: exit %d, stdout %d bytes, stderr %q; want exit 0, output, and the note", strings.Join(args, " "), r.code, len(r.stdout), r.stderr)
		}
	}

	// The dashboard says it on every page, and the Data & API page lists
	// the licences without the snapshots.
	url, stop := startServeBin(t, bin, dir)
	for _, p := range []string{"/supply", "/api", "/deposits"} {
		body := getAny(t, url+p)
		if !strings.Contains(body, "No control data is loaded.") || !strings.Contains(body, "-tags nosnapshots") {
			t.Fatalf("%s: the page does not say that no control data is loaded", p)
		}
	}
	if body := getAny(t, url+"/api"); !strings.Contains(body, "Control snapshots: not in this build.") || strings.Contains(body, "non-commercial and defence use only") {
		t.Fatalf("/api: want the licences without the DeepStateMap part")
	}
	// The deposits stay readable, every status unknown: the list, the
	// Deposits page and the OGC collection.
	var list struct {
		Total    int
		Deposits []struct{ ID, Status string }
	}
	if err := json.Unmarshal([]byte(getAny(t, url+"/api/v1/deposits?limit=1000")), &list); err != nil || list.Total == 0 || len(list.Deposits) != list.Total {
		t.Fatalf("/api/v1/deposits without control data: %v, %+v", err, list)
	}
	for _, d := range list.Deposits {
		if d.Status != "unknown" {
			t.Fatalf("deposit %s: status %q without control data, want unknown", d.ID, d.Status)
		}
	}
	if body := getAny(t, url+"/deposits?status=unknown"); !strings.Contains(body, "every status is unknown") || !strings.Contains(body, fmt.Sprintf(">%d deposits<", list.Total)) {
		t.Fatalf("/deposits without control data does not list the deposits as unknown")
	}
	var fc struct{ NumberMatched int }
	if err := json.Unmarshal([]byte(getAny(t, url+"/ogc/collections/deposits/items?limit=1")), &fc); err != nil || fc.NumberMatched != list.Total {
		t.Fatalf("OGC deposits without control data: %v, %d features, want %d", err, fc.NumberMatched, list.Total)
	}
	stop()

	// The user's own snapshot, from their licensed source: here the one
	// the full build has in force on 2025-02-12, that of 2025-02-01.
	snap := filepath.Join(dir, "user-snapshot.geojson")
	full := run(t, t.TempDir(), "export", "control", "--date", "2025-02-12", "-o", snap)
	if full.code != 0 {
		t.Fatalf("full build: export control: exit %d: %s", full.code, full.stderr)
	}
	if r = runNS("import", "control", snap); r.code != 0 {
		t.Fatalf("import control: exit %d: %s", r.code, r.stderr)
	}
	r = runNS("report", "access")
	if r.code != 0 || strings.Contains(r.stderr, note) || !strings.Contains(r.stdout, "control snapshot of 2025-02-01") {
		t.Fatalf("report access after the import: exit %d, stdout %q, stderr %q; want the imported snapshot and no note", r.code, r.stdout, r.stderr)
	}
}

// startServeBin starts bin serve on a free port with the database in dir
// and returns its URL and a function that stops it.
func startServeBin(t *testing.T, bin, dir string) (string, func()) {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0")
	cmd.Env = []string{"NADRA_DB=" + filepath.Join(dir, "nadra.db"), "HOME=" + dir, "PATH=" + os.Getenv("PATH")}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	stopped := false
	stop := func() {
		if !stopped {
			stopped = true
			cmd.Process.Signal(syscall.SIGTERM)
			cmd.Wait()
		}
	}
	t.Cleanup(stop)
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	select {
	case line := <-lines:
		m := regexp.MustCompile(`serving on (http://127\.0\.0\.1:\d+)/`).FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("first line %q does not give the URL", line)
		}
		return m[1], stop
	case <-time.After(60 * time.Second):
		t.Fatalf("no URL printed")
	}
	return "", stop
}

// getAny returns the body whatever the status: some pages need control data.
func getAny(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
