package main

import (
	"io"
	"path/filepath"
	"strings"
	"testing"
)

// TestProgress_OnlyOnATerminal runs simulate twice on one database: once
// with standard error a buffer, as a pipe or a file is, and once with
// IsTerminal faked to say it is a terminal. Only the second draws the bar;
// standard output is the same in both.
func TestProgress_OnlyOnATerminal(t *testing.T) {
	db := filepath.Join(t.TempDir(), "nadra.db")
	args := []string{"simulate", "--paths", "400", "--tornado-paths", "0", "--workers", "1"}

	// Seeding prints to standard error once; do it before comparing.
	runMain(t, db, nil, "migrate")

	plainOut, plainErr := runMain(t, db, nil, args...)
	if strings.Contains(plainErr, "simulating paths") || strings.Contains(plainErr, "\r") {
		t.Fatalf("not a terminal: standard error got %q, want no progress bar", plainErr)
	}
	if plainErr != "" {
		t.Fatalf("not a terminal: standard error got %q, want nothing", plainErr)
	}

	termOut, termErr := runMain(t, db, func(m *Main) {
		m.IsTerminal = func(w io.Writer) bool { return w == m.Stderr }
	}, args...)
	if !strings.Contains(termErr, "simulating paths") || !strings.Contains(termErr, "/400") {
		t.Fatalf("terminal: standard error got %q, want a bar labelled 'simulating paths' counting to 400", termErr)
	}
	if !strings.HasSuffix(termErr, "\r") {
		t.Fatalf("terminal: standard error ends %q, want the bar erased (a carriage return last)", termErr[max(0, len(termErr)-20):])
	}
	// The run time line differs between runs; the rest must not.
	if stripTiming(termOut) != stripTiming(plainOut) {
		t.Fatalf("standard output differs with a terminal:\n%s\nwithout:\n%s", termOut, plainOut)
	}
}

// TestProgress_ServeIsQuiet: nadra serve sets quiet; its control imports
// (the background DeepState fetch) draw no bar even on a terminal.
func TestProgress_ServeIsQuiet(t *testing.T) {
	m, _, errb := newTestMain(filepath.Join(t.TempDir(), "nadra.db"))
	m.IsTerminal = func(io.Writer) bool { return true }
	m.quiet = true
	bar := m.progressBar(10, "importing control snapshots")
	bar.Set(5)
	bar.Done()
	if errb.Len() != 0 {
		t.Fatalf("quiet: standard error got %q, want nothing", errb.String())
	}
	m.quiet = false
	bar = m.progressBar(10, "importing control snapshots")
	bar.Done()
	if !strings.Contains(errb.String(), "importing control snapshots") {
		t.Fatalf("not quiet, terminal: standard error got %q, want the bar", errb.String())
	}
}

func stripTiming(s string) string {
	var keep []string
	for _, l := range strings.Split(s, "\n") {
		if !strings.HasPrefix(l, "Computed in ") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}
