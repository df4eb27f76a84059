package main_test

import (
	"bufio"
	"bytes"
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

// TestE2E_Serve starts "nadra serve" on a fresh database, as on a fresh
// clone, reads the URL it prints, asks it something, and stops it with
// SIGTERM.
func TestE2E_Serve(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command(binary, "serve", "--addr", "127.0.0.1:0")
	cmd.Env = []string{"NADRA_DB=" + filepath.Join(dir, "nadra.db"), "HOME=" + dir, "PATH=" + os.Getenv("PATH")}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	var url string
	select {
	case line := <-lines:
		m := regexp.MustCompile(`serving on (http://127\.0\.0\.1:\d+)/`).FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("first line %q does not give the URL", line)
		}
		url = m[1]
	case <-time.After(60 * time.Second):
		t.Fatalf("no URL printed; stderr: %s", stderr.String())
	}
	for _, p := range []string{"/healthz", "/api/v1/deposits?limit=1", "/map"} {
		resp, err := http.Get(url + p)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d", p, resp.StatusCode)
		}
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v; stderr: %s", err, stderr.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("still running 15 s after SIGTERM")
	}
	log := stderr.String()
	for _, want := range []string{"seeding", "path=/api/v1/deposits", "status=200", "msg=stopped"} {
		if !bytes.Contains([]byte(log), []byte(want)) {
			t.Errorf("stderr lacks %q:\n%s", want, log)
		}
	}
	if strings.Contains(log, "warning") {
		t.Errorf("a loopback server warns:\n%s", log)
	}

	// On every interface: the line says so and gives a URL that works
	// here, and standard error warns that other hosts can reach it.
	cmd = exec.Command(binary, "serve", "--addr", "0.0.0.0:0")
	cmd.Env = []string{"NADRA_DB=" + filepath.Join(dir, "nadra.db"), "HOME=" + dir, "PATH=" + os.Getenv("PATH")}
	stdout, err = cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr.Reset()
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	sc := bufio.NewScanner(stdout)
	if !sc.Scan() {
		t.Fatalf("no line; stderr: %s", stderr.String())
	}
	line := sc.Text()
	m := regexp.MustCompile(`serving on 0\.0\.0\.0:(\d+), every network interface: (http://127\.0\.0\.1:(\d+))/ on this machine`).FindStringSubmatch(line)
	if m == nil || m[1] != m[3] {
		t.Fatalf("line %q does not give the address and a URL", line)
	}
	resp, err := http.Get(m[2] + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("healthz: %d", resp.StatusCode)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	cmd.Wait()
	if w := stderr.String(); !strings.Contains(w, "nadra: warning: 0.0.0.0:"+m[1]+" is every network interface, reachable from other hosts") {
		t.Errorf("no warning on stderr:\n%s", w)
	}
}
