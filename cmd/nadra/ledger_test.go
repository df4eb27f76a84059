package main_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// mustRun runs the binary and fails the test unless it exits 0.
func mustRun(t *testing.T, dir string, args ...string) result {
	t.Helper()
	r := run(t, dir, args...)
	if r.code != 0 {
		t.Fatalf("nadra %s: exit %d\n%s", strings.Join(args, " "), r.code, r.stderr)
	}
	return r
}

// mustFail runs the binary and fails the test unless it exits 1 with want
// on standard error.
func mustFail(t *testing.T, dir, want string, args ...string) {
	t.Helper()
	r := run(t, dir, args...)
	if r.code != 1 || !strings.Contains(r.stderr, want) {
		t.Fatalf("nadra %s: exit %d, stderr %q; want exit 1 and %q", strings.Join(args, " "), r.code, r.stderr, want)
	}
}

func writeFile(t *testing.T, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func ledgerSize(t *testing.T, dir string) int {
	t.Helper()
	var recs []json.RawMessage
	if err := json.Unmarshal([]byte(mustRun(t, dir, "ledger", "entries", "--json").stdout), &recs); err != nil {
		t.Fatal(err)
	}
	return len(recs)
}

// TestE2E_Ledger is the README's worked example: two parties make keys,
// post their statements, the log checkpoints, both co-sign, and an export
// verifies offline; refused posts change nothing, and tampering with the
// export is named.
func TestE2E_Ledger(t *testing.T) {
	dir := t.TempDir()
	for _, p := range []string{"US", "UA"} {
		mustRun(t, dir, "ledger", "keygen", "--party", p, "--out", strings.ToLower(p)+".key")
		mustRun(t, dir, "ledger", "register", strings.ToLower(p)+".key.pub")
	}
	mustRun(t, dir, "ledger", "keygen", "--party", "eiti", "--role", "auditor", "--out", "eiti.key")
	mustRun(t, dir, "ledger", "register", "eiti.key.pub", "--role", "auditor")
	if st, err := os.Stat(filepath.Join(dir, "us.key")); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("private key mode: %v %v", st, err)
	}
	mustFail(t, dir, "never overwrites a key file", "ledger", "keygen", "--party", "US", "--out", "us.key")

	writeFile(t, filepath.Join(dir, "us.json"), `[
 {"id":"us-2025-09-commit","kind":"commitment","date":"2025-09-17","period":"2025","party":"US","from":"US","to":"fund",
  "amount":"75000000.00","currency":"USD","docs":["DFC press release (2025-09-17)"]},
 {"id":"us-2026-01-cash","kind":"contribution_cash","date":"2026-01-20","period":"2026-Q1","party":"US","from":"US","to":"fund",
  "amount":"25000000.00","currency":"USD","ref":"W-1","docs":["wire W-1 (2026-01-20)"]}]`)
	writeFile(t, filepath.Join(dir, "ua.csv"), "id,kind,date,period,party,from,to,stream,amount,currency,fx_rate,fx_source,licence,ref,docs,valuation,corrects,public,memo\n"+
		"ua-2026-01-cash,contribution_cash,2026-01-20,2026-Q1,UA,US,fund,,25000000.00,USD,,,,W-1,fund bank statement (2026-01-31),,,,the US wire as the fund's account received it\n"+
		"ua-2026-02-fee,receipt,2026-02-26,2026-Q1,UA,solartek-esko,UA,fee,31700000.00,UAH,41.5,NBU (2026-02-26),maidanska,,Ekonomichna Pravda (2026-02-26),,,true,\n")
	mustRun(t, dir, "ledger", "post", "us.json", "--key", "us.key")
	mustRun(t, dir, "ledger", "post", "ua.csv", "--key", "ua.key")
	if n := ledgerSize(t, dir); n != 4 {
		t.Fatalf("%d entries, want 4", n)
	}

	// Refused: a replay, an entry of the other party, a stranger's key.
	mustFail(t, dir, "a replay", "ledger", "post", "us.json", "--key", "us.key")
	mustFail(t, dir, "party US, but the key is UA's", "ledger", "post", "us.json", "--key", "ua.key")
	other := t.TempDir()
	mustRun(t, other, "ledger", "keygen", "--party", "US", "--out", "us.key")
	writeFile(t, filepath.Join(dir, "fake.json"), `{"id":"fake","kind":"distribution","date":"2026-03-01","period":"2026","party":"US","from":"fund","to":"US","amount":"1.00","currency":"USD","docs":["x (2026)"]}`)
	mustFail(t, dir, "unknown key US", "ledger", "post", "fake.json", "--key", filepath.Join(other, "us.key"))
	writeFile(t, filepath.Join(dir, "bad.json"), `{"id":"bad","kind":"contribution_cash","date":"2026-03-01","period":"2026","party":"US","from":"US","to":"fund","amount":"1.00","currency":"USD","docs":["x (2026)"],
	 "postings":[{"account":"fund:cash","debit":"1.00","credit":"0"},{"account":"us:capital","debit":"0","credit":"2.00"}]}`)
	mustFail(t, dir, "do not balance", "ledger", "post", "bad.json", "--key", "us.key")
	if n := ledgerSize(t, dir); n != 4 {
		t.Fatalf("refused posts changed the log: %d entries", n)
	}

	// Every write is also an audit record, a leaf of the same tree: the
	// three registrations are leaves 0 to 2 (the first made the log's
	// key, under the default name), the posts entries 3, 4 and 6, 7 with
	// their records at 5 and 8. The checkpoint covers those 9 leaves.
	mustRun(t, dir, "ledger", "checkpoint")
	mustFail(t, dir, "no such file", "ledger", "verify", "nowhere") // no export there: a clear error
	r := mustRun(t, dir, "ledger", "cosign", "--key", "us.key")
	if !strings.Contains(r.stdout, "recomputing the tree from all 9 leaves") {
		t.Errorf("first co-signature: %s", r.stdout)
	}
	mustRun(t, dir, "ledger", "cosign", "--key", "ua.key")

	// A correction, a second checkpoint, co-signed after a consistency
	// proof.
	writeFile(t, filepath.Join(dir, "fix.json"), `{"id":"us-2026-01-cash-fix","kind":"contribution_cash","date":"2026-01-20","period":"2026-Q1","party":"US","from":"US","to":"fund",
	 "amount":"24999000.00","currency":"USD","ref":"W-1","docs":["wire W-1, net of bank fees (2026-01-22)"],"corrects":"us-2026-01-cash"}`)
	mustRun(t, dir, "ledger", "post", "fix.json", "--key", "us.key")
	mustRun(t, dir, "ledger", "checkpoint")
	r = mustRun(t, dir, "ledger", "cosign", "--key", "us.key")
	// The checkpoint (9), the two co-signatures (10, 11), the correction
	// (12) and its record (13): the second checkpoint covers 14 leaves.
	if !strings.Contains(r.stdout, "consistency proof from size 9") {
		t.Errorf("second co-signature: %s", r.stdout)
	}
	mustRun(t, dir, "ledger", "cosign", "--key", "ua.key")
	mustRun(t, dir, "ledger", "cosign", "--key", "eiti.key")
	r = mustRun(t, dir, "ledger", "checkpoints")
	if !strings.Contains(r.stdout, "co-signed by US and UA") || strings.Contains(r.stdout, "waiting") {
		t.Errorf("checkpoints:\n%s", r.stdout)
	}
	r = mustRun(t, dir, "ledger", "prove", "ua-2026-02-fee", "--json")
	var proof struct {
		Index int64    `json:"index"`
		Size  int64    `json:"tree_size"`
		Proof []string `json:"proof"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &proof); err != nil || proof.Index != 7 || proof.Size != 14 || len(proof.Proof) == 0 {
		t.Errorf("prove: %+v %v", proof, err)
	}

	mustRun(t, dir, "ledger", "export", "--out", "exp")
	r = mustRun(t, dir, "ledger", "verify", "exp", "--json")
	var rep struct {
		Entries    int64    `json:"entries"`
		LatestSize int64    `json:"latest_size"`
		Signers    []string `json:"latest_signers"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil || rep.Entries != 5 || rep.LatestSize != 14 || strings.Join(rep.Signers, ",") != "nadra.local/ledger,UA,US,eiti" {
		t.Errorf("verify: %+v %v\n%s", rep, err, r.stdout)
	}
	mustFail(t, dir, "already holds an export", "ledger", "export", "--out", "exp")

	// Verification needs nothing else: a copy in another directory, with
	// no database, checks; a changed byte is named.
	copyDir := func(name string, change func(entries []byte) []byte) string {
		d := filepath.Join(t.TempDir(), name)
		os.Mkdir(d, 0o755)
		for _, f := range []string{"keys", "entries", "checkpoints"} {
			b, err := os.ReadFile(filepath.Join(dir, "exp", f))
			if err != nil {
				t.Fatal(err)
			}
			if f == "entries" && change != nil {
				b = change(b)
			}
			writeFile(t, filepath.Join(d, f), string(b))
		}
		return d
	}
	empty := t.TempDir()
	mustRun(t, empty, "ledger", "verify", copyDir("ok", nil))
	if _, err := os.Stat(filepath.Join(empty, "nadra.db")); err == nil {
		t.Errorf("ledger verify created a database")
	}
	mustFail(t, empty, "entry 7: signature: the signature by UA does not verify", "ledger", "verify",
		copyDir("changed", func(b []byte) []byte { return bytes.Replace(b, []byte("31700000.00"), []byte("31000000.00"), 1) }))
}

// TestE2E_LedgerCrash kills nadra with SIGKILL at random moments of posts
// and checkpoints, many times. After each kill the log must hold all of a
// post or none of it, and every checkpoint must verify against the entries:
// none covers an entry that was lost.
func TestE2E_LedgerCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping the kill -9 test")
	}
	dir := t.TempDir()
	mustRun(t, dir, "ledger", "keygen", "--party", "US", "--out", "us.key")
	mustRun(t, dir, "ledger", "register", "us.key.pub")
	rng := rand.New(rand.NewPCG(9, 9)) // explicit seed: the kill times are reproducible
	const perPost = 3000
	writePost := func(round int) string {
		var b strings.Builder
		b.WriteString("[")
		for i := 0; i < perPost; i++ {
			if i > 0 {
				b.WriteString(",\n")
			}
			fmt.Fprintf(&b, `{"id":"r%d-%d","kind":"expense","date":"2026-03-01","period":"2026-Q1","party":"US","from":"fund","to":"admin","amount":"%d.00","currency":"USD","docs":["invoice %d (2026-03-01)"]}`, round, i, 100+i, i)
		}
		b.WriteString("]")
		p := filepath.Join(dir, fmt.Sprintf("post-%d.json", round))
		writeFile(t, p, b.String())
		return p
	}
	env := []string{"NADRA_DB=" + filepath.Join(dir, "nadra.db"), "HOME=" + dir, "PATH=" + os.Getenv("PATH")}
	mustRun(t, dir, "ledger", "keys") // seed the database first
	kills, size := 0, 0
	for round := 0; round < 9; round++ {
		args := []string{"ledger", "post", writePost(round), "--key", "us.key"}
		if round%3 == 2 {
			args = []string{"ledger", "checkpoint"}
		}
		cmd := exec.Command(binary, args...)
		cmd.Env, cmd.Dir = env, dir
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(rng.IntN(1500)) * time.Millisecond)
		if cmd.Process.Signal(syscall.SIGKILL) == nil {
			kills++
		}
		cmd.Wait()
		n := ledgerSize(t, dir)
		if args[1] == "post" {
			if n != size && n != size+perPost {
				t.Fatalf("round %d: the log went from %d to %d entries: a partial post", round, size, n)
			}
		} else if n != size {
			t.Fatalf("round %d: a checkpoint changed the log's size from %d to %d", round, size, n)
		}
		size = n
		exp := filepath.Join(t.TempDir(), "exp")
		mustRun(t, dir, "ledger", "export", "--out", exp)
		mustRun(t, dir, "ledger", "verify", exp, "--need", "")
	}
	// Every checkpoint the log signed covers committed entries only, and
	// the last one still extends them.
	mustRun(t, dir, "ledger", "checkpoint")
	exp := filepath.Join(t.TempDir(), "final")
	mustRun(t, dir, "ledger", "export", "--out", exp)
	r := mustRun(t, dir, "ledger", "verify", exp, "--need", "", "--json")
	t.Logf("%d kills; %d entries; %s", kills, size, strings.TrimSpace(r.stdout[:min(len(r.stdout), 200)]))
}
