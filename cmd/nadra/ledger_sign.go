package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"nadra"
	"nadra/ledger"
)

// signedEntries is what nadra ledger sign writes: the body of
// POST /api/v1/ledger/entries.
type signedEntries struct {
	Entries []string `json:"entries"`
}

func (m *Main) runLedgerSign(ctx context.Context, args []string) error {
	fs := m.flags("ledger sign", `Usage: nadra ledger sign FILE --key KEYFILE [-o OUT]

Signs each entry of FILE (JSON or CSV, as for nadra ledger post) with the
party's key, offline: it opens no database. OUT (default standard output)
is the body of POST /api/v1/ledger/entries, {"entries": [signed notes]}:

  curl -H 'Content-Type: application/json' --data-binary @OUT \
       http://HOST:PORT/api/v1/ledger/entries

The server appends them all or none, if the key is registered there.`)
	keyFile := fs.String("key", "", "the party's private key `FILE`")
	out := fs.String("o", "", "write to `OUT` instead of standard output")
	fs.StringVar(out, "out", "", "the same as -o")
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
		return err
	}
	entries, err := ledger.ParseEntries(pos[0], data)
	if err != nil {
		return err
	}
	if len(entries) > maxSignBatch {
		return nadra.Errorf(nadra.EINVALID, "%s: %d entries; a server takes at most %d in one POST: split the file", pos[0], len(entries), maxSignBatch)
	}
	signer, err := ledger.NewEntrySigner(skey)
	if err != nil {
		return err
	}
	body := signedEntries{Entries: make([]string, len(entries))}
	for i, e := range entries {
		msg, err := signer.Sign(e)
		if err != nil {
			return nadra.Errorf(nadra.EINVALID, "%s: entry %d: %s", pos[0], i+1, nadra.ErrorMessage(err))
		}
		body.Entries[i] = string(msg)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(body); err != nil {
		return err
	}
	if err := m.writeOutput(*out, buf.Bytes()); err != nil {
		return err
	}
	fmt.Fprintf(m.Stderr, "signed %d entries as %s\n", len(entries), ledger.KeyName(skey))
	return nil
}

// maxSignBatch is the most entries a server takes in one POST
// (server.MaxLedgerPost).
const maxSignBatch = 1000
