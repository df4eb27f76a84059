package progress

import (
	"bytes"
	"io"
	"os"
	"strings"
	"testing"
)

func TestShow(t *testing.T) {
	yes := func(io.Writer) bool { return true }
	no := func(io.Writer) bool { return false }
	tests := []struct {
		name   string
		quiet  bool
		isTerm func(io.Writer) bool
		steps  int64
		want   bool
	}{
		{"terminal, many steps", false, yes, 100, true},
		{"not a terminal", false, no, 100, false},
		{"quiet (nadra serve)", true, yes, 100, false},
		{"one step", false, yes, 1, false},
		{"no steps", false, yes, 0, false},
	}
	for _, tt := range tests {
		if got := Show(&bytes.Buffer{}, tt.quiet, tt.isTerm, tt.steps); got != tt.want {
			t.Fatalf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestIsTerminal(t *testing.T) {
	if IsTerminal(&bytes.Buffer{}) {
		t.Fatalf("a buffer: got terminal, want not")
	}
	f, err := os.CreateTemp(t.TempDir(), "out")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if IsTerminal(f) {
		t.Fatalf("a regular file: got terminal, want not")
	}
}

func TestBarOff(t *testing.T) {
	var buf bytes.Buffer
	b := New(&buf, false, 10, "work")
	for i := int64(1); i <= 10; i++ {
		b.Set(i)
	}
	b.Describe("other")
	b.Done()
	if buf.Len() != 0 {
		t.Fatalf("bar off wrote %q, want nothing", buf.String())
	}
	var nilBar *Bar
	nilBar.Set(1)
	nilBar.Done()
}

func TestBarOn(t *testing.T) {
	var buf bytes.Buffer
	b := New(&buf, true, 4, "importing")
	b.Set(2)
	out := buf.String()
	// The blank state is drawn at once; later draws are throttled, so only
	// the first is sure to be there.
	if !strings.Contains(out, "importing") || !strings.Contains(out, "0/4") {
		t.Fatalf("bar on drew %q, want the label and 0/4", out)
	}
	b.Done()
	out = buf.String()
	if !strings.HasSuffix(out, "\r") {
		t.Fatalf("after Done the output ends %q, want a carriage return that leaves a clean line", out[max(0, len(out)-10):])
	}
	n := buf.Len()
	b.Set(3)
	if buf.Len() != n {
		t.Fatalf("bar drew after Done: %q", buf.String()[n:])
	}
}
