package main_test

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// readmeCommand is one command line of README.md.
type readmeCommand struct {
	line    int
	args    []string // after "nadra" or "go run ./cmd/nadra"
	comment string   // the trailing comment, without "#"
	block   int      // the code block it is in: a block is one session
	// output holds the lines shown under a "$ nadra …" command up to the
	// block's end, but those with "..." (elided parts).
	output []string
	raw    string
}

// readmeCommands returns the command lines of README.md: lines of its
// indented or fenced code blocks that start with "nadra ",
// "go run ./cmd/nadra " or "$ nadra " and a command name.
func readmeCommands(t *testing.T) []readmeCommand {
	t.Helper()
	f, err := os.Open("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []readmeCommand
	sc := bufio.NewScanner(f)
	n, block, inCode, fenced, prevBlank := 0, 0, false, false, true
	comment := regexp.MustCompile(`\s+#\s.*$`)
	for sc.Scan() {
		n++
		l := sc.Text()
		switch {
		case strings.HasPrefix(strings.TrimSpace(l), "```"):
			fenced = !fenced
			block++
			continue
		case !fenced && strings.HasPrefix(l, "    ") && (inCode || prevBlank):
			if !inCode {
				block++
			}
			inCode = true
		case !fenced && strings.TrimSpace(l) != "":
			inCode = false
		}
		prevBlank = strings.TrimSpace(l) == ""
		if !inCode && !fenced {
			continue
		}
		if len(out) > 0 && out[len(out)-1].block == block && strings.HasPrefix(strings.TrimSpace(out[len(out)-1].raw), "$ ") &&
			!strings.HasPrefix(strings.TrimSpace(l), "$ ") {
			if o := strings.TrimSpace(l); o != "" && !strings.Contains(o, "...") {
				out[len(out)-1].output = append(out[len(out)-1].output, o)
			}
			continue
		}
		s := strings.TrimPrefix(strings.TrimSpace(l), "$ ") // "$ nadra …" before its output
		var rest string
		switch {
		case strings.HasPrefix(s, "go run ./cmd/nadra "):
			rest = strings.TrimPrefix(s, "go run ./cmd/nadra ")
		case strings.HasPrefix(s, "nadra "):
			rest = strings.TrimPrefix(s, "nadra ")
		default:
			continue
		}
		if rest == "" || rest[0] < 'a' || rest[0] > 'z' {
			continue // "nadra (root)   domain types" in Layout: not a command
		}
		c := readmeCommand{line: n, block: block, raw: l}
		if m := comment.FindString(rest); m != "" {
			c.comment = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(m), "#"))
			rest = strings.TrimSuffix(rest, m)
		}
		rest = strings.TrimSuffix(strings.TrimSpace(rest), "&")
		c.args = strings.Fields(rest)
		if strings.HasPrefix(s, "go run ") {
			// An example that stands alone: a session of its own.
			c.block = -n
		}
		out = append(out, c)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestREADME_Commands runs every command of README.md through the built
// binary, block by block: the `nadra …` lines of one code block are one
// session, run in order (the ledger's worked example), and each `go run
// ./cmd/nadra …` line stands alone. Each session runs in its own
// directory holding the files the examples name (testdata/readme) and a
// copy of one seeded database; the blocks run in parallel. A command is
//   - a synopsis (with [OPTIONAL] or A|B): its command's --help must work;
//   - marked "(needs network)" or "(needs PostgreSQL)" in its comment: the
//     same, since the test has neither;
//   - serve: started on a free local port, checked to print its URL, and
//     stopped;
//   - simulate: run with --paths 500 --tornado-paths 0, to stay fast;
//   - any other: run as written, and must exit 0.
//
// A comment `prints "TEXT"` makes the test check that the output holds
// TEXT, and the lines shown under a "$ nadra …" command must be in its
// output (but those with "...", elided): that is how the README quotes
// figures.
func TestREADME_Commands(t *testing.T) {
	t.Parallel() // runs only the binary, in its own directories
	cmds := readmeCommands(t)
	if len(cmds) < 40 {
		t.Fatalf("found %d commands in README.md, want every one (40 or more)", len(cmds))
	}
	// One seeded database, copied for each block.
	tmpl := t.TempDir()
	r := run(t, tmpl, "migrate")
	if r.code != 0 {
		t.Fatalf("migrate: %s", r.stderr)
	}
	checkDatasetFigures(t, tmpl, r.stderr)
	dbBytes, err := os.ReadFile(filepath.Join(tmpl, "nadra.db"))
	if err != nil {
		t.Fatal(err)
	}
	fixtures, err := os.ReadDir("testdata/readme")
	if err != nil {
		t.Fatal(err)
	}
	blocks := map[int][]readmeCommand{}
	var order []int
	for _, c := range cmds {
		if _, ok := blocks[c.block]; !ok {
			order = append(order, c.block)
		}
		blocks[c.block] = append(blocks[c.block], c)
	}
	for _, b := range order {
		b := blocks[b]
		t.Run("line"+strconv.Itoa(b[0].line), func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "nadra.db"), dbBytes, 0o644); err != nil {
				t.Fatal(err)
			}
			for _, f := range fixtures {
				data, err := os.ReadFile(filepath.Join("testdata/readme", f.Name()))
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, f.Name()), data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			for _, c := range b {
				runReadmeCommand(t, dir, c)
			}
		})
	}
}

var printsRE = regexp.MustCompile(`prints "([^"]+)"`)

func runReadmeCommand(t *testing.T, dir string, c readmeCommand) {
	t.Helper()
	where := "README.md:" + strconv.Itoa(c.line) + ": nadra " + strings.Join(c.args, " ")
	words := commandWords(c.args)
	synopsis := strings.ContainsAny(strings.Join(c.args, " "), "[|")
	switch {
	case synopsis, strings.Contains(c.comment, "(needs network)"), strings.Contains(c.comment, "(needs PostgreSQL)"):
		why := "a synopsis"
		if !synopsis {
			why = c.comment[strings.LastIndex(c.comment, "(needs"):]
		}
		r := run(t, dir, append(words, "--help")...)
		if r.code != 0 {
			t.Fatalf("%s (%s): its --help exits %d: %s", where, why, r.code, r.stderr)
		}
		t.Logf("%s: %s; checked that `nadra %s --help` works", where, why, strings.Join(words, " "))
		return
	case words[0] == "serve":
		serveOnce(t, dir, c.args, where)
		return
	}
	args := c.args
	if words[0] == "simulate" {
		args = append(append([]string{}, args...), "--paths", "500", "--tornado-paths", "0")
	}
	if words[0] == "ledger" && len(words) > 1 && words[1] == "sign" {
		// The signer's key, made as the worked example does.
		if r := run(t, dir, "ledger", "keygen", "--party", "US", "--out", "us.key"); r.code != 0 {
			t.Fatalf("%s: keygen: %s", where, r.stderr)
		}
	}
	r := run(t, dir, args...)
	if r.code != 0 {
		t.Fatalf("%s: exit %d\nstdout: %s\nstderr: %s", where, r.code, r.stdout, r.stderr)
	}
	if len(c.output) > 0 && words[0] == "simulate" {
		t.Logf("%s: run with 500 paths, so its output shown in README.md (from more paths) is not compared", where)
	} else {
		got := strings.Join(strings.Fields(r.stdout), " ")
		for _, o := range c.output {
			if !strings.Contains(got, strings.Join(strings.Fields(o), " ")) {
				t.Fatalf("%s: README.md shows the line %q in its output; the binary printed:\n%s", where, o, r.stdout)
			}
		}
	}
	for _, m := range printsRE.FindAllStringSubmatch(c.comment, -1) {
		if !strings.Contains(r.stdout+r.stderr, m[1]) {
			t.Fatalf("%s: the README says it prints %q; it printed:\n%s%s", where, m[1], r.stdout, r.stderr)
		}
	}
}

// commandWords returns the command and subcommand of args: the words
// before the first flag or argument that is not a lowercase word.
func commandWords(args []string) []string {
	var w []string
	for _, a := range args {
		if len(w) == 2 || !regexp.MustCompile(`^[a-z][a-z-]*$`).MatchString(a) {
			break
		}
		w = append(w, a)
	}
	switch w[0] {
	case "report", "import", "export", "deal", "ledger", "watch", "scenario", "dataset":
		return w
	}
	return w[:1]
}

// serveOnce starts nadra serve with args on a free local port, waits for
// it to print its URL, and stops it with SIGTERM.
func serveOnce(t *testing.T, dir string, args []string, where string) {
	t.Helper()
	var rest []string
	for i := 0; i < len(args); i++ {
		if args[i] == "--addr" && i+1 < len(args) {
			i++
			continue
		}
		rest = append(rest, args[i])
	}
	cmd := exec.Command(binary, append(rest, "--addr", "127.0.0.1:0")...)
	cmd.Env = []string{"NADRA_DB=" + filepath.Join(dir, "nadra.db"), "HOME=" + dir, "PATH=" + os.Getenv("PATH")}
	cmd.Dir = dir
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	first := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		if sc.Scan() {
			first <- sc.Text()
		}
		close(first)
		for sc.Scan() {
		}
	}()
	select {
	case l := <-first:
		if !strings.Contains(l, "serving on http://127.0.0.1:") {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("%s: first line %q, want the URL", where, l)
		}
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("%s: no URL within 60 s", where)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("%s: after SIGTERM: %v\n%s", where, err, stderr.String())
	}
}

// checkDatasetFigures checks the dataset's counts in README.md's opening
// against what the binary said when it seeded the database in dir
// (seedLog, migrate's standard error).
func checkDatasetFigures(t *testing.T, dir, seedLog string) {
	t.Helper()
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := strings.Join(strings.Fields(string(b)), " ")
	// "(91 deposits, 49 estimates, 19 licences, 55 snapshots, 438 production rows)"
	seed := regexp.MustCompile(`\((\d+) deposits, (\d+) estimates, (\d+) licences, (\d+) snapshots`).FindStringSubmatch(seedLog)
	if seed == nil {
		t.Fatalf("migrate does not give the seed's counts: %s", seedLog)
	}
	for i, pat := range []string{`(\d+) Ukrainian deposits`, `(\d+) published resource figures`, `(\d+) licences \(special permits`, `(\d+) control snapshots of the front line`} {
		m := regexp.MustCompile(pat).FindStringSubmatch(readme)
		if m == nil {
			t.Fatalf("README.md: %q not found", pat)
		}
		if m[1] != seed[i+1] {
			t.Fatalf("README.md says %q; the binary seeds %s", m[0], seed[i+1])
		}
	}
	// Commodities: those an unknown commodity's refusal lists.
	m := regexp.MustCompile(`(\d+) commodities with prices`).FindStringSubmatch(readme)
	if m == nil {
		t.Fatalf("README.md: the commodity count not found")
	}
	bad := run(t, dir, "report", "timeline", "--commodity", "nosuch")
	known := regexp.MustCompile(`known: (.*)`).FindStringSubmatch(bad.stderr)
	if known == nil {
		t.Fatalf("report timeline --commodity nosuch: %s", bad.stderr)
	}
	if n := len(strings.Split(strings.TrimSpace(known[1]), ", ")); strconv.Itoa(n) != m[1] {
		t.Fatalf("README.md says %q; the binary knows %d commodities: %s", m[0], n, known[1])
	}
}
