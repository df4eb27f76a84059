// Command ledger times nadra's ledger at scale: durable appends of signed
// entries to a real SQLite file through sqlite.LedgerService (batched
// commits), an inclusion proof at the full size, and offline verification
// of the export with ledger.Verify; and it checks the tree's root against
// a second implementation (transparency-dev/merkle's compact ranges).
// bench/ledger.sh runs it. Timing is never part of the tests.
//
//	go run ./bench/ledger -n 1000000 -batch 10000 -dir /tmp/ledgerbench
package main

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"sync"
	"time"

	"nadra"
	"nadra/ledger"
	"nadra/sqlite"

	"github.com/transparency-dev/merkle/compact"
	"github.com/transparency-dev/merkle/rfc6962"
	"golang.org/x/mod/sumdb/tlog"
)

// seeded is a deterministic byte stream for the keys.
type seeded struct{ r *rand.ChaCha8 }

func (s seeded) Read(p []byte) (int, error) { return s.r.Read(p) }

func key(seed byte, name string) (string, string) {
	var k [32]byte
	k[0] = seed
	skey, vkey, err := ledger.GenerateKey(seeded{rand.NewChaCha8(k)}, name)
	if err != nil {
		panic(err)
	}
	return skey, vkey
}

func main() {
	n := flag.Int("n", 1_000_000, "entries")
	batch := flag.Int("batch", 10_000, "entries per append (one transaction each)")
	dir := flag.String("dir", "", "working directory (default: a temporary one, removed)")
	proofs := flag.Int("proofs", 1000, "inclusion proofs to time")
	prof := flag.String("cpuprofile", "", "write a CPU profile of the append and verify phases to `FILE`")
	flag.Parse()
	if *prof != "" {
		f, err := os.Create(*prof)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		profile = f
	}
	if err := run(*n, *batch, *proofs, *dir); err != nil {
		fmt.Fprintln(os.Stderr, "bench/ledger:", err)
		os.Exit(1)
	}
}

// profile, when set, receives a CPU profile of the timed phases.
var profile *os.File

func run(n, batch, nproofs int, dir string) error {
	ctx := context.Background()
	if dir == "" {
		d, err := os.MkdirTemp("", "nadra-ledger-bench")
		if err != nil {
			return err
		}
		defer os.RemoveAll(d)
		dir = d
	}
	db := sqlite.NewDB(filepath.Join(dir, "ledger.db"))
	if err := db.Open(); err != nil {
		return err
	}
	defer db.Close()
	s := sqlite.NewLedgerService(db)
	usKey, usPub := key(2, nadra.PartyUS)
	uaKey, uaPub := key(3, nadra.PartyUA)
	for _, k := range []nadra.LedgerKey{{Name: "US", Role: nadra.RoleParty, Key: usPub}, {Name: "UA", Role: nadra.RoleParty, Key: uaPub}} {
		if err := s.RegisterKey(ctx, k); err != nil {
			return err
		}
	}
	fmt.Printf("nadra ledger benchmark: %d entries, %d per append, %d CPUs, %s\n", n, batch, runtime.GOMAXPROCS(0), runtime.Version())

	// Sign, in parallel, before timing the appends: signing is the
	// parties' work, not the log's.
	t0 := time.Now()
	notes := make([][]byte, n)
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			us, _ := ledger.NewEntrySigner(usKey)
			ua, _ := ledger.NewEntrySigner(uaKey)
			for i := w; i < n; i += workers {
				party, k := nadra.PartyUS, us
				if i%2 == 1 {
					party, k = nadra.PartyUA, ua
				}
				e := &nadra.Entry{ID: fmt.Sprintf("e%07d", i), Kind: nadra.KindExpense, Date: "2026-03-01", Period: "2026-Q1",
					Party: party, From: nadra.FundName, To: "admin", Amount: nadra.Money(10000 + i%997),
					Currency: nadra.CurrencyUSD, Ref: fmt.Sprintf("INV-%d", i), Docs: []string{"invoice (2026-03-01)"}}
				e.Postings = e.StandardPostings()
				msg, err := k.Sign(e)
				if err != nil {
					panic(err)
				}
				notes[i] = msg
			}
		}(w)
	}
	wg.Wait()
	sign := time.Since(t0)
	var bytesTotal int
	for _, m := range notes {
		bytesTotal += len(m)
	}
	fmt.Printf("signed %d entries (%.0f bytes each on average) in %.2f s (%.0f/s; not part of the append figure)\n",
		n, float64(bytesTotal)/float64(n), sign.Seconds(), float64(n)/sign.Seconds())

	if profile != nil {
		pprof.StartCPUProfile(profile)
		defer pprof.StopCPUProfile()
	}
	t0 = time.Now()
	for i := 0; i < n; i += batch {
		if _, err := s.Append(ctx, notes[i:min(i+batch, n)]); err != nil {
			return fmt.Errorf("append at %d: %w", i, err)
		}
	}
	app := time.Since(t0)
	fmt.Printf("append: %d entries in %.2f s = %.0f entries/s (verified, durable: one synchronous commit per %d)\n",
		n, app.Seconds(), float64(n)/app.Seconds(), batch)

	cp, _, err := s.Checkpoint(ctx, "nadra.bench/ledger")
	if err != nil {
		return err
	}

	// Second implementation: the root by transparency-dev/merkle.
	rf := compact.RangeFactory{Hash: rfc6962.DefaultHasher.HashChildren}
	r := rf.NewEmptyRange(0)
	for _, m := range notes {
		if err := r.Append(rfc6962.DefaultHasher.HashLeaf(m), nil); err != nil {
			return err
		}
	}
	want, err := r.GetRootHash(nil)
	if err != nil {
		return err
	}
	root, err := tlog.ParseHash(cp.Root)
	if err != nil {
		return err
	}
	if !bytes.Equal(root[:], want) {
		return fmt.Errorf("the stored tree's root %s differs from transparency-dev/merkle's %x", cp.Root, want)
	}
	fmt.Printf("root at %d: %s, equal to transparency-dev/merkle's\n", cp.Size, cp.Root)

	// Inclusion proofs at full size, from the database.
	rng := rand.New(rand.NewPCG(1, 2))
	t0 = time.Now()
	for i := 0; i < nproofs; i++ {
		idx := rng.Int64N(int64(n))
		p, rt, err := s.Prove(ctx, idx, int64(n))
		if err != nil {
			return err
		}
		if err := tlog.CheckRecord(p, int64(n), rt, idx, ledger.LeafHash(notes[idx])); err != nil {
			return err
		}
	}
	prove := time.Since(t0)
	fmt.Printf("inclusion proof at %d entries: %.3f ms each (mean of %d, read from the database and checked)\n",
		n, prove.Seconds()*1000/float64(nproofs), nproofs)

	// Export and verify offline.
	ex := filepath.Join(dir, "export")
	os.MkdirAll(ex, 0o755)
	write := func(name string, fn func(*bufio.Writer) error) error {
		f, err := os.Create(filepath.Join(ex, name))
		if err != nil {
			return err
		}
		w := bufio.NewWriterSize(f, 1<<20)
		if err := fn(w); err != nil {
			return err
		}
		if err := w.Flush(); err != nil {
			return err
		}
		return f.Close()
	}
	keys, _ := s.Keys(ctx)
	cps, _ := s.Checkpoints(ctx)
	if err := write(ledger.EntriesFile, func(w *bufio.Writer) error {
		rw := ledger.NewRecordWriter(w)
		if err := s.Notes(ctx, 0, int64(n), func(_ int64, note []byte) error { return rw.Write(note) }); err != nil {
			return err
		}
		return rw.Flush()
	}); err != nil {
		return err
	}
	if err := write(ledger.KeysFile, func(w *bufio.Writer) error { return ledger.WriteKeys(w, keys) }); err != nil {
		return err
	}
	if err := write(ledger.CheckpointsFile, func(w *bufio.Writer) error {
		return ledger.WriteCheckpoints(w, [][]byte{cps[0].Note})
	}); err != nil {
		return err
	}
	open := func(name string) *os.File {
		f, err := os.Open(filepath.Join(ex, name))
		if err != nil {
			panic(err)
		}
		return f
	}
	kf, ef, cf := open(ledger.KeysFile), open(ledger.EntriesFile), open(ledger.CheckpointsFile)
	defer kf.Close()
	defer ef.Close()
	defer cf.Close()
	// As nadra ledger verify does (cmd/nadra/ledger.go, verifyGCPercent).
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	t0 = time.Now()
	rep, err := ledger.Verify(ledger.Export{Keys: kf, Entries: ef, Checkpoints: cf}, ledger.Policy{})
	if err != nil {
		return err
	}
	ver := time.Since(t0)
	fmt.Printf("verify: the export of %d entries (%.0f MB) in %.2f s (%.0f entries/s); %s\n",
		rep.Entries, float64(bytesTotal)/1e6, ver.Seconds(), float64(rep.Entries)/ver.Seconds(), rep)
	return nil
}
