package main

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"

	"nadra"
	"nadra/ledger"

	"golang.org/x/mod/sumdb/tlog"
)

const ledgerHelp = `Usage: nadra ledger <subcommand> [flags]

What has flowed under the deal, as a tamper-evident log: each party posts
its own statements of the flows (its books, in double entry), each entry
signed with the party's Ed25519 key; every entry is a leaf of an RFC 6962
Merkle tree; checkpoints of the tree are signed by the log and co-signed by
both parties; an export verifies offline with nothing but nadra.

Keys:
  keygen --party NAME --out FILE   make a key pair: FILE (private, mode 0600)
                                   and FILE.pub; NAME is US, UA or an
                                   auditor's name (--role auditor)
  register FILE.pub [--role R]     register a public key with the log (R:
                                   party, the default, or auditor)
  keys                             the registered keys

The log:
  post FILE --key KEYFILE          sign the entries in FILE (JSON or CSV; see
                                   dataset/FORMAT.md, "Ledger entries") with the
                                   party's key and append them, all or none
  sign FILE --key KEYFILE -o OUT   sign them offline, without a database, for
                                   POST /api/v1/ledger/entries on a server
  entries [--from N] [--to N]      the entries
  checkpoint                       sign the tree as it is with the log's key
  cosign --key KEYFILE             co-sign the latest checkpoint, after
                                   checking it extends the last one this key
                                   signed (kept in KEYFILE.witness)
  checkpoints                      every checkpoint and who signed it
  prove ID|INDEX [--size N]        the inclusion proof of an entry
  export --out DIR                 entries, checkpoints and public keys
  verify DIR                       check an export offline: every signature,
                                   the tree, every checkpoint and the
                                   consistency between them

The accounting views (on the log, the public journal shipped with nadra,
or an entries file: --journal log|public|FILE):
  balance [--party P] [--as-of DATE|--period P]
                                   each party's books, per account, as of
                                   each period's end and in total
  due [--period P] [--deal TERMS]  what Ukraine owes the fund against what
                                   was transferred; capital against the
                                   terms' schedules
  reconcile [--period P] [--rel R] [--floor USD]
                                   the US statements against UA's, the EITI
                                   way: matched, discrepancies, one-sided
  export-flows [--format csv|xlsx] -o FILE
                                   every entry, corrections included

Each takes --json where it reports, and the views --csv. Entries are never
updated or deleted: a correction is a new entry whose "corrects" names the
entry it replaces.`

func (m *Main) runLedger(ctx context.Context, args []string) error {
	if ok, err := m.subcommandHelp("ledger", args, ledgerHelp, "which subcommand? (keygen, register, keys, post, sign, entries, checkpoint, cosign, checkpoints, prove, export, verify, balance, due, reconcile, export-flows)"); !ok {
		return err
	}
	subs := map[string]func(*Main, context.Context, []string) error{
		"keygen": (*Main).runLedgerKeygen, "register": (*Main).runLedgerRegister, "keys": (*Main).runLedgerKeys,
		"post": (*Main).runLedgerPost, "sign": (*Main).runLedgerSign, "entries": (*Main).runLedgerEntries, "checkpoint": (*Main).runLedgerCheckpoint,
		"cosign": (*Main).runLedgerCosign, "checkpoints": (*Main).runLedgerCheckpoints, "prove": (*Main).runLedgerProve,
		"export": (*Main).runLedgerExport, "verify": (*Main).runLedgerVerify,
		"balance": (*Main).runLedgerBalance, "due": (*Main).runLedgerDue, "reconcile": (*Main).runLedgerReconcile, "export-flows": (*Main).runLedgerExportFlows,
	}
	run, ok := subs[args[0]]
	if !ok {
		return usagef("unknown subcommand %q; see nadra ledger --help", args[0])
	}
	return run(m, ctx, args[1:])
}

// verifyGCPercent is the garbage collector's target during ledger verify.
const verifyGCPercent = 400

// kindKey is a ledger key file.
var kindKey = fileKind{"a key file", 4 << 10, false}

// readKey reads a private key file.
func (m *Main) readKey(ctx context.Context, path string) (string, error) {
	b, err := readFile(ctx, path, nil, kindKey)
	if err != nil {
		return "", err
	}
	k := strings.TrimSpace(string(b))
	if !strings.HasPrefix(k, "PRIVATE+KEY+") {
		return "", nadra.Errorf(nadra.EINVALID, "%s: not a private key (made by nadra ledger keygen)", path)
	}
	if _, err := ledger.VerifierKey(k); err != nil {
		return "", nadra.Errorf(nadra.EINVALID, "%s: %s", path, nadra.ErrorMessage(err))
	}
	return k, nil
}

// writeNew writes a new file with mode perm, refusing to replace one: a
// key is never overwritten.
func writeNew(path string, data []byte, perm fs.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if errors.Is(err, fs.ErrExist) {
		return nadra.Errorf(nadra.EINVALID, "%s already exists; nadra never overwrites a key file", path)
	}
	if err != nil {
		return writeError(path, err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(path)
		return writeError(path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return writeError(path, err)
	}
	return f.Close()
}

func (m *Main) runLedgerKeygen(ctx context.Context, args []string) error {
	fs := m.flags("ledger keygen", "Usage: nadra ledger keygen --party NAME --out FILE [--role party|auditor]\n\nMakes an Ed25519 key pair in the note format (golang.org/x/mod/sumdb/note):\nFILE holds the private key (mode 0600), FILE.pub the public key. Give\nFILE.pub to the log's operator to register; keep FILE to yourself.")
	party := fs.String("party", "", "the key's `NAME`: US or UA for a party, any name for an auditor")
	role := fs.String("role", nadra.RoleParty, "party or auditor")
	out := fs.String("out", "", "private key `FILE`; the public key goes to FILE.pub")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *party == "" || *out == "" {
		return usagef("--party and --out are required")
	}
	if *role != nadra.RoleParty && *role != nadra.RoleAuditor {
		return usagef("--role %q: expected party or auditor", *role)
	}
	if *role == nadra.RoleParty && *party != nadra.PartyUS && *party != nadra.PartyUA {
		return usagef("--party %q: a party is US or UA (an auditor: --role auditor)", *party)
	}
	skey, vkey, err := ledger.GenerateKey(nil, *party)
	if err != nil {
		return err
	}
	if err := writeNew(*out, []byte(skey+"\n"), 0o600); err != nil {
		return err
	}
	if err := writeNew(*out+".pub", []byte(vkey+"\n"), 0o644); err != nil {
		os.Remove(*out)
		return err
	}
	fmt.Fprintf(m.Stdout, "%s key pair for %s: %s (private) and %s.pub\npublic key: %s\n", *role, *party, *out, *out, vkey)
	return nil
}

func (m *Main) runLedgerRegister(ctx context.Context, args []string) error {
	fs := m.flags("ledger register", "Usage: nadra ledger register FILE.pub [--role party|auditor]\n\nRegisters a public key with the log. A name is registered once and never\nreplaced; entries and co-signatures by unregistered keys are refused.")
	role := fs.String("role", nadra.RoleParty, "party or auditor")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("expected one public key file")
	}
	b, err := readFile(ctx, pos[0], nil, kindKey)
	if err != nil {
		return err
	}
	vkey := strings.TrimSpace(string(b))
	if strings.HasPrefix(vkey, "PRIVATE+KEY+") {
		return nadra.Errorf(nadra.EINVALID, "%s is a private key; register the public one (FILE.pub), and keep this one to yourself", pos[0])
	}
	if err := m.open(ctx); err != nil {
		return err
	}
	k := nadra.LedgerKey{Name: ledger.KeyName(vkey), Role: *role, Key: vkey}
	if err := m.Ledger.RegisterKey(ctx, k); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "registered the %s key %s\n", k.Role, k.Name)
	return nil
}

func (m *Main) runLedgerKeys(ctx context.Context, args []string) error {
	fs := m.flags("ledger keys", "Usage: nadra ledger keys [--json]\n\nThe registered public keys.")
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if err := m.open(ctx); err != nil {
		return err
	}
	keys, err := m.Ledger.Keys(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		if keys == nil {
			keys = []nadra.LedgerKey{}
		}
		return writeJSON(m.Stdout, keys)
	}
	tw := newTab(m.Stdout)
	fmt.Fprintln(tw, "ROLE\tNAME\tKEY")
	for _, k := range keys {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", k.Role, k.Name, k.Key)
	}
	return tw.Flush()
}

// kindEntries is an entries file to post.
var kindEntries = fileKind{"an entries file", ledger.MaxEntriesFile, true}

func (m *Main) runLedgerPost(ctx context.Context, args []string) error {
	fs := m.flags("ledger post", "Usage: nadra ledger post FILE --key KEYFILE [--json]\n\nSigns each entry of FILE (JSON: one entry, an array, or one per line; or\nCSV) with the party's key and appends them to the log in one transaction:\nall or none. The entries' party must be the key's. An entry whose id is in\nthe log already is refused (a replay), and so is the whole file.")
	keyFile := fs.String("key", "", "the party's private key `FILE`")
	asJSON := fs.Bool("json", false, "print the appended records as JSON")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || *keyFile == "" {
		return usagef("expected one FILE and --key KEYFILE")
	}
	skey, err := m.readKey(ctx, *keyFile)
	if err != nil {
		return err
	}
	data, err := readFile(ctx, pos[0], m.Stdin, kindEntries)
	if err != nil {
		return interruptedImport(ctx, err)
	}
	m.noteData(pos[0], data)
	entries, err := ledger.ParseEntries(pos[0], data)
	if err != nil {
		return err
	}
	signer, err := ledger.NewEntrySigner(skey)
	if err != nil {
		return err
	}
	notes := make([][]byte, len(entries))
	for i, e := range entries {
		if notes[i], err = signer.Sign(e); err != nil {
			return nadra.Errorf(nadra.EINVALID, "%s: entry %d: %s", pos[0], i+1, nadra.ErrorMessage(err))
		}
	}
	if err := m.open(ctx); err != nil {
		return err
	}
	recs, err := m.Ledger.Append(ctx, notes)
	if err != nil {
		if ctx.Err() != nil {
			return &interruptedError{"interrupted; nothing was posted"}
		}
		return nadra.Errorf(nadra.ErrorCode(err), "%s: %s", pos[0], nadra.ErrorMessage(err))
	}
	if *asJSON {
		return writeJSON(m.Stdout, recs)
	}
	fmt.Fprintf(m.Stdout, "posted %d entries from %s as %s: entries %d to %d\n", len(recs), pos[0], recs[0].Signer, recs[0].Index, recs[len(recs)-1].Index)
	return nil
}

func (m *Main) runLedgerEntries(ctx context.Context, args []string) error {
	fs := m.flags("ledger entries", "Usage: nadra ledger entries [--from N] [--to N] [--json]\n\nThe entries with index in [from, to), each verified against its party's key.")
	from := fs.Int64("from", 0, "first index")
	to := fs.Int64("to", -1, "index after the last (default: the end)")
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if err := m.open(ctx); err != nil {
		return err
	}
	if *to < 0 {
		n, err := m.Ledger.Size(ctx)
		if err != nil {
			return err
		}
		*to = n
	}
	recs, err := m.Ledger.Records(ctx, *from, *to)
	if err != nil {
		return err
	}
	if *asJSON {
		if recs == nil {
			recs = []nadra.LedgerRecord{}
		}
		return writeJSON(m.Stdout, recs)
	}
	tw := newTab(m.Stdout)
	fmt.Fprintln(tw, "INDEX\tID\tPARTY\tKIND\tDATE\tPERIOD\tFROM → TO\tAMOUNT\tCORRECTS")
	for _, r := range recs {
		e := r.Entry
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s → %s\t%s %s\t%s\n", r.Index, e.ID, e.Party, e.Kind, e.Date, e.Period, e.From, e.To, e.Amount, e.Currency, e.Corrects)
	}
	return tw.Flush()
}

func (m *Main) runLedgerCheckpoint(ctx context.Context, args []string) error {
	fs := m.flags("ledger checkpoint", "Usage: nadra ledger checkpoint [--origin NAME] [--json]\n\nSigns the tree of every entry so far with the log's key (made on first use,\nnamed by --origin) as a C2SP tlog-checkpoint. The parties then co-sign it\nwith nadra ledger cosign.")
	origin := fs.String("origin", "", "the log's name, on first use (default "+defaultOrigin+")")
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if err := m.open(ctx); err != nil {
		return err
	}
	o := *origin
	if o == "" {
		o = defaultOrigin
	}
	c, made, err := m.Ledger.Checkpoint(ctx, o)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(m.Stdout, checkpointJSON(c))
	}
	if !made {
		fmt.Fprintf(m.Stdout, "checkpoint %d already covers all %d entries\n", c.ID, c.Size)
	} else {
		fmt.Fprintf(m.Stdout, "checkpoint %d: %d entries, root %s, signed by %s; the parties co-sign it with nadra ledger cosign\n", c.ID, c.Size, c.Root, c.Origin)
	}
	m.Stdout.Write(c.Note)
	return nil
}

// defaultOrigin names the log when --origin is not given.
const defaultOrigin = nadra.DefaultLedgerOrigin

type checkpointOut struct {
	*nadra.LedgerCheckpoint
	NoteText string `json:"note"`
}

func checkpointJSON(c *nadra.LedgerCheckpoint) checkpointOut {
	return checkpointOut{c, string(c.Note)}
}

func (m *Main) runLedgerCheckpoints(ctx context.Context, args []string) error {
	fs := m.flags("ledger checkpoints", "Usage: nadra ledger checkpoints [--json]\n\nEvery checkpoint, oldest first, and whose signatures on it verify.")
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if err := m.open(ctx); err != nil {
		return err
	}
	cs, err := m.Ledger.Checkpoints(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		out := []checkpointOut{}
		for _, c := range cs {
			out = append(out, checkpointJSON(c))
		}
		return writeJSON(m.Stdout, out)
	}
	tw := newTab(m.Stdout)
	fmt.Fprintln(tw, "ID\tSIZE\tROOT\tSIGNED BY\tSTATUS\tCREATED")
	for _, c := range cs {
		status := "co-signed by US and UA"
		if missing := ledger.DefaultPolicy.Missing(&ledger.Checkpoint{Signers: c.SignedBy}); len(missing) > 0 {
			status = "waiting for " + strings.Join(missing, " and ")
		}
		fmt.Fprintf(tw, "%d\t%d\t%s\t%s\t%s\t%s\n", c.ID, c.Size, c.Root, strings.Join(c.SignedBy, ", "), status, c.Created)
	}
	return tw.Flush()
}

func (m *Main) runLedgerCosign(ctx context.Context, args []string) error {
	fs := m.flags("ledger cosign", `Usage: nadra ledger cosign --key KEYFILE [--state FILE] [--json]

Co-signs the latest checkpoint as a witness, with a party's or an auditor's
key, only after checking that its tree extends the last checkpoint this key
co-signed: by a consistency proof from that checkpoint (kept in the state
file, KEYFILE.witness by default), or, the first time, by recomputing the
tree from every entry and checking every entry's signature.`)
	keyFile := fs.String("key", "", "the private key `FILE`")
	state := fs.String("state", "", "the witness state `FILE` (default KEYFILE.witness)")
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *keyFile == "" {
		return usagef("--key is required")
	}
	if *state == "" {
		*state = *keyFile + ".witness"
	}
	skey, err := m.readKey(ctx, *keyFile)
	if err != nil {
		return err
	}
	name := ledger.KeyName(skey)
	if err := m.open(ctx); err != nil {
		return err
	}
	keys, err := m.Ledger.Keys(ctx)
	if err != nil {
		return err
	}
	ring, err := ledger.NewKeyring(keys)
	if err != nil {
		return err
	}
	vkey, _ := ledger.VerifierKey(skey)
	registered := false
	for _, k := range keys {
		if k.Name == name && k.Key == vkey && k.Role != nadra.RoleLog {
			registered = true
		}
	}
	if !registered {
		return nadra.Errorf(nadra.EINVALID, "%s: the key %s is not registered with this log; register %s.pub first", *keyFile, name, *keyFile)
	}
	cs, err := m.Ledger.Checkpoints(ctx)
	if err != nil {
		return err
	}
	if len(cs) == 0 {
		return nadra.Errorf(nadra.ENOTFOUND, "no checkpoint to co-sign; make one with nadra ledger checkpoint")
	}
	latest, err := ring.OpenCheckpoint(cs[len(cs)-1].Note)
	if err != nil {
		return fmt.Errorf("the latest checkpoint: %w", err)
	}
	for _, s := range latest.Signers {
		if s == name {
			fmt.Fprintf(m.Stdout, "%s has already co-signed the latest checkpoint (size %d)\n", name, latest.Size)
			return nil
		}
	}
	how, err := m.witnessCheck(ctx, ring, *state, latest)
	if err != nil {
		return nadra.Errorf(nadra.EINVALID, "not co-signing the checkpoint of size %d: %s", latest.Size, nadra.ErrorMessage(err))
	}
	msg, err := ring.Cosign(latest.Note, skey)
	if err != nil {
		return err
	}
	c, err := m.Ledger.AddCosignature(ctx, msg)
	if err != nil {
		return err
	}
	if err := m.writeWitness(*state, c.Note); err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(m.Stdout, checkpointJSON(c))
	}
	fmt.Fprintf(m.Stdout, "%s co-signed checkpoint %d (size %d, root %s) after %s; now signed by %s\n", name, c.ID, c.Size, c.Root, how, strings.Join(c.SignedBy, ", "))
	return nil
}

// witnessCheck checks that checkpoint c extends the last one this
// witness signed, and says how it checked.
func (m *Main) witnessCheck(ctx context.Context, ring *ledger.Keyring, state string, c *ledger.Checkpoint) (string, error) {
	b, err := os.ReadFile(state)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return m.auditTree(ctx, ring, c)
	case err != nil:
		return "", nadra.Errorf(nadra.EINVALID, "%s: %v", state, err)
	}
	prev, err := ring.OpenCheckpoint(b)
	if err != nil {
		return "", nadra.Errorf(nadra.EINVALID, "%s: the checkpoint this key last signed does not verify: %s", state, nadra.ErrorMessage(err))
	}
	if prev.Origin != c.Origin {
		return "", nadra.Errorf(nadra.EINVALID, "%s is for the log %s, this is %s", state, prev.Origin, c.Origin)
	}
	if prev.Size == c.Size {
		if prev.Root != c.Root {
			return "", nadra.Errorf(nadra.EINVALID, "a fork: this key signed size %d with root %s, the log now shows root %s", c.Size, prev.Root, c.Root)
		}
		return "the same tree as before", nil
	}
	proof, newRoot, oldRoot, err := m.Ledger.ProveConsistency(ctx, c.Size, prev.Size)
	if err != nil {
		return "", err
	}
	if newRoot != c.Root || oldRoot != prev.Root {
		return "", nadra.Errorf(nadra.EINVALID, "the log's tree does not match: size %d has root %s (checkpoint: %s), size %d has root %s (signed before: %s)", c.Size, newRoot, c.Root, prev.Size, oldRoot, prev.Root)
	}
	if err := tlog.CheckTree(proof, c.Size, c.Root, prev.Size, prev.Root); err != nil {
		return "", nadra.Errorf(nadra.EINVALID, "the consistency proof from size %d to %d does not check: the log was rewritten", prev.Size, c.Size)
	}
	return fmt.Sprintf("checking a consistency proof from size %d", prev.Size), nil
}

// auditTree recomputes the tree from every leaf, checking each entry's
// and audit record's signature, and compares its root with the
// checkpoint's.
func (m *Main) auditTree(ctx context.Context, ring *ledger.Keyring, c *ledger.Checkpoint) (string, error) {
	h := &ledger.Hashes{}
	err := m.Ledger.Notes(ctx, 0, c.Size, func(i int64, note []byte) error {
		if ledger.IsAudit(note) {
			if _, err := ring.OpenAudit(note, i); err != nil {
				return nadra.Errorf(nadra.EINVALID, "leaf %d: %s", i, nadra.ErrorMessage(err))
			}
		} else if _, _, err := ring.OpenEntry(note); err != nil {
			return nadra.Errorf(nadra.EINVALID, "entry %d: %s", i, nadra.ErrorMessage(err))
		}
		_, err := h.Append(note)
		return err
	})
	if err != nil {
		return "", err
	}
	if h.Size() != c.Size {
		return "", nadra.Errorf(nadra.EINVALID, "the log has %d entries; the checkpoint covers %d", h.Size(), c.Size)
	}
	root, err := h.Root(c.Size)
	if err != nil {
		return "", err
	}
	if root != c.Root {
		return "", nadra.Errorf(nadra.EINVALID, "the root of the entries, %s, is not the checkpoint's, %s", root, c.Root)
	}
	return fmt.Sprintf("recomputing the tree from all %d leaves (entries and audit records)", c.Size), nil
}

// writeWitness records the checkpoint a key last co-signed.
func (m *Main) writeWitness(path string, note []byte) error {
	return m.writeOutputFunc(path, func(w io.Writer) error { _, err := w.Write(note); return err })
}

func (m *Main) runLedgerProve(ctx context.Context, args []string) error {
	fs := m.flags("ledger prove", "Usage: nadra ledger prove ID|INDEX [--size N] [--json]\n\nThe inclusion proof of an entry in the tree of the latest checkpoint (or\nof size N), checked before it is printed.")
	sz := fs.Int64("size", 0, "tree size (default: the latest checkpoint's)")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("expected one entry id or index")
	}
	if err := m.open(ctx); err != nil {
		return err
	}
	idx, err := strconv.ParseInt(pos[0], 10, 64)
	if err != nil {
		if idx, err = m.Ledger.IDIndex(ctx, pos[0]); err != nil {
			return err
		}
	}
	var cpNote []byte
	size := *sz
	if size == 0 {
		cs, err := m.Ledger.Checkpoints(ctx)
		if err != nil {
			return err
		}
		if len(cs) == 0 {
			return nadra.Errorf(nadra.ENOTFOUND, "no checkpoint yet; give --size or run nadra ledger checkpoint")
		}
		size, cpNote = cs[len(cs)-1].Size, cs[len(cs)-1].Note
		if idx >= size {
			return nadra.Errorf(nadra.ENOTFOUND, "entry %d is not in the latest checkpoint (size %d) yet; run nadra ledger checkpoint", idx, size)
		}
	}
	proof, root, err := m.Ledger.Prove(ctx, idx, size)
	if err != nil {
		return err
	}
	recs, err := m.Ledger.Records(ctx, idx, idx+1)
	if err != nil || len(recs) != 1 {
		return fmt.Errorf("entry %d: %v", idx, err)
	}
	leaf := ledger.LeafHash(recs[0].Note)
	if err := tlog.CheckRecord(proof, size, root, idx, leaf); err != nil {
		return fmt.Errorf("the proof of entry %d does not check: %w", idx, err)
	}
	out := struct {
		Index      int64    `json:"index"`
		ID         string   `json:"id"`
		Leaf       string   `json:"leaf_hash"`
		Size       int64    `json:"tree_size"`
		Root       string   `json:"root"`
		Proof      []string `json:"proof"`
		Checkpoint string   `json:"checkpoint,omitempty"`
		Entry      string   `json:"entry_note"`
	}{idx, recs[0].Entry.ID, leaf.String(), size, root.String(), []string{}, string(cpNote), string(recs[0].Note)}
	for _, h := range proof {
		out.Proof = append(out.Proof, base64.StdEncoding.EncodeToString(h[:]))
	}
	if *asJSON {
		return writeJSON(m.Stdout, out)
	}
	fmt.Fprintf(m.Stdout, "entry %d (%s) is in the tree of size %d, root %s\nleaf hash %s\nproof (%d hashes, RFC 6962):\n", idx, out.ID, size, out.Root, out.Leaf, len(out.Proof))
	for _, h := range out.Proof {
		fmt.Fprintf(m.Stdout, "  %s\n", h)
	}
	return nil
}

func (m *Main) runLedgerExport(ctx context.Context, args []string) error {
	fs := m.flags("ledger export", "Usage: nadra ledger export --out DIR\n\nWrites the log to DIR (created if missing; it must not hold an export\nalready): keys, entries and checkpoints, which nadra ledger verify checks\noffline.")
	out := fs.String("out", "", "the export `DIR`")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return usagef("--out DIR is required")
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return writeError(*out, err)
	}
	for _, f := range []string{ledger.KeysFile, ledger.EntriesFile, ledger.CheckpointsFile} {
		if _, err := os.Lstat(filepath.Join(*out, f)); err == nil {
			return nadra.Errorf(nadra.EINVALID, "%s already holds an export (%s); give a new directory", *out, f)
		}
	}
	if err := m.open(ctx); err != nil {
		return err
	}
	keys, err := m.Ledger.Keys(ctx)
	if err != nil {
		return err
	}
	cs, err := m.Ledger.Checkpoints(ctx)
	if err != nil {
		return err
	}
	// Entries up to the latest checkpoint's size at least; every entry
	// committed when the export reads them.
	n, err := m.Ledger.Size(ctx)
	if err != nil {
		return err
	}
	if err := m.writeOutputFunc(filepath.Join(*out, ledger.EntriesFile), func(w io.Writer) error {
		rw := ledger.NewRecordWriter(w)
		if err := m.Ledger.Notes(ctx, 0, n, func(_ int64, note []byte) error { return rw.Write(note) }); err != nil {
			return err
		}
		return rw.Flush()
	}); err != nil {
		return err
	}
	var notes [][]byte
	for _, c := range cs {
		notes = append(notes, c.Note)
	}
	if err := m.writeOutputFunc(filepath.Join(*out, ledger.CheckpointsFile), func(w io.Writer) error { return ledger.WriteCheckpoints(w, notes) }); err != nil {
		return err
	}
	if err := m.writeOutputFunc(filepath.Join(*out, ledger.KeysFile), func(w io.Writer) error { return ledger.WriteKeys(w, keys) }); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "exported %d entries, %d checkpoints and %d keys to %s; check it with: nadra ledger verify %s\n", n, len(cs), len(keys), *out, *out)
	return nil
}

func (m *Main) runLedgerVerify(ctx context.Context, args []string) error {
	fs := m.flags("ledger verify", "Usage: nadra ledger verify DIR [--json]\n\nChecks an export with nothing else: every entry's signature by its party,\nthat entries run 0, 1, 2 … without a gap, unique ids and corrections; every\ncheckpoint's signatures (the log's, and both parties', 2 of 2), that no two\ncheckpoints of one size differ (a fork), that each checkpoint's root is the\nroot of the entries it covers, and that each extends the one before. Exit\nstatus 1 names the first problem. It opens no database. --need changes the\npolicy, e.g. --need US,UA,auditor.")
	asJSON := fs.Bool("json", false, "print JSON")
	need := fs.String("need", "US,UA", "the co-signers every checkpoint needs besides the log, comma-separated (\"\": the log's signature alone)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("expected one export directory")
	}
	policy := ledger.Policy{}
	for _, p := range strings.Split(*need, ",") {
		if p = strings.TrimSpace(p); p != "" {
			policy.Parties = append(policy.Parties, p)
		}
	}
	dir := pos[0]
	open := func(name string, k fileKind) (*os.File, error) { return openRegular(filepath.Join(dir, name), k) }
	kf, err := open(ledger.KeysFile, fileKind{"an export's keys", 1 << 20, false})
	if err != nil {
		return err
	}
	defer kf.Close()
	ef, err := open(ledger.EntriesFile, fileKind{"an export's entries", 1 << 40, false})
	if err != nil {
		return err
	}
	defer ef.Close()
	cf, err := open(ledger.CheckpointsFile, fileKind{"an export's checkpoints", 256 << 20, false})
	if err != nil {
		return err
	}
	defer cf.Close()
	// Verification allocates a little per entry and keeps the tree and the
	// ids: with the collector's default target it spends most of a large
	// export's time collecting. A higher target costs memory (about 0.5 GB
	// at a million entries) and saves two thirds of the time.
	defer debug.SetGCPercent(debug.SetGCPercent(verifyGCPercent))
	rep, err := interruptible(ctx, func() (*ledger.Report, error) {
		return ledger.Verify(ledger.Export{Keys: kf, Entries: ef, Checkpoints: cf}, policy)
	})
	if err != nil {
		if ctx.Err() != nil {
			return &interruptedError{"interrupted; the export was not fully checked"}
		}
		return nadra.Errorf(nadra.EINVALID, "%s: %s", dir, nadra.ErrorMessage(err))
	}
	if *asJSON {
		return writeJSON(m.Stdout, rep)
	}
	fmt.Fprintln(m.Stdout, rep.String())
	return nil
}
