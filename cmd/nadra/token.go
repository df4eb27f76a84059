package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"nadra"
)

const tokenHelp = `Usage: nadra token <create|list|revoke> [flags]

API tokens for a shared deployment (nadra serve). A client sends its token
as "Authorization: Bearer TOKEN". Each token has one role:

  viewer   reads (needed only when the server runs with --private)
  analyst  reads; saves scenarios and drawn areas
  editor   reads; imports over HTTP (POST /api/v1/import/KIND)
  party    reads; posts ledger entries and co-signatures for its own
           party (--party US or UA), each still signed by the party's key
  auditor  reads, the audit trail included; posts an auditor's
           co-signatures
  admin    what an editor does; lists and revokes tokens over HTTP

  create --user NAME --role ROLE [--party US|UA] [--expires 90d] [--json]
         prints the new token once: only its SHA-256 is kept, so it cannot
         be shown again. --expires is a number of days (90d), weeks (2w)
         or hours (12h), at most 366d.
  list [--json]
         every token (never the secret): id, user, role, party, when it
         was made and by whom, when it expires, whether it is revoked
  revoke ID
         revokes a token for good; requests with it get 401 at once

Tokens are made only here, by whoever can open the database: an admin
token over HTTP can revoke a token but not make one, so that a stolen
token cannot mint others.`

func (m *Main) runToken(ctx context.Context, args []string) error {
	if ok, err := m.subcommandHelp("token", args, tokenHelp, "which token command? (create, list or revoke)"); !ok {
		return err
	}
	switch args[0] {
	case "create":
		return m.runTokenCreate(ctx, args[1:])
	case "list":
		return m.runTokenList(ctx, args[1:])
	case "revoke":
		return m.runTokenRevoke(ctx, args[1:])
	}
	return usagef("unknown token command %q; expected create, list or revoke", args[0])
}

// cliUser names the person at the command line in the records: "cli:"
// and $USER.
func (m *Main) cliUser() string {
	u := m.Getenv("USER")
	if u == "" {
		u = m.Getenv("USERNAME")
	}
	if u == "" {
		u = "unknown"
	}
	return "cli:" + u
}

// parseLife reads a token's life: N followed by d (days), w (weeks) or h
// (hours).
func parseLife(s string) (time.Duration, error) {
	bad := nadra.Errorf(nadra.EINVALID, "--expires %q: expected a number of days, weeks or hours, e.g. 90d, 2w or 12h", s)
	if len(s) < 2 {
		return 0, bad
	}
	n, err := strconv.Atoi(s[:len(s)-1])
	if err != nil || n <= 0 || strings.ContainsAny(s[:len(s)-1], "+-_") {
		return 0, bad
	}
	var unit time.Duration
	switch s[len(s)-1] {
	case 'd':
		unit = 24 * time.Hour
	case 'w':
		unit = 7 * 24 * time.Hour
	case 'h':
		unit = time.Hour
	default:
		return 0, bad
	}
	if n > 366*24 {
		return 0, nadra.Errorf(nadra.EINVALID, "--expires %q: at most 366 days", s)
	}
	return time.Duration(n) * unit, nil
}

func (m *Main) runTokenCreate(ctx context.Context, args []string) error {
	fs := m.flags("token create", "Usage: nadra token create --user NAME --role ROLE [--party US|UA] [--expires 90d] [--json]\n\n"+tokenHelp)
	user := fs.String("user", "", "who the token is for (`NAME`)")
	role := fs.String("role", "", "viewer, analyst, editor, party, auditor or admin")
	party := fs.String("party", "", "the ledger party of a party token: US or UA")
	expires := fs.String("expires", "90d", "how long the token lasts: days (90d), weeks (2w) or hours (12h), at most 366d")
	asJSON := fs.Bool("json", false, "print the token and its record as JSON")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	switch {
	case len(pos) > 0:
		return usagef("unexpected argument %q\n%s", pos[0], oneLineHelp(fs))
	case *user == "":
		return usagef("--user is required\n%s", oneLineHelp(fs))
	case *role == "":
		return usagef("--role is required: one of %s\n%s", strings.Join(nadra.AccountRoles, ", "), oneLineHelp(fs))
	}
	life, err := parseLife(*expires)
	if err != nil {
		return err
	}
	if err := m.open(ctx); err != nil {
		return err
	}
	id, secret, err := nadra.NewTokenSecret()
	if err != nil {
		return err
	}
	now := m.Now().UTC().Truncate(time.Second)
	t := &nadra.Token{ID: id, User: *user, Role: strings.ToLower(*role), Party: strings.ToUpper(*party), CreatedBy: m.cliUser(),
		Created: now, Expires: now.Add(life)}
	if err := m.Tokens.CreateToken(ctx, t, nadra.HashToken(secret)); err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(m.Stdout, struct {
			Secret string `json:"token"`
			*nadra.Token
		}{secret, t})
	}
	fmt.Fprintln(m.Stdout, secret)
	fmt.Fprintf(m.Stderr, "nadra: token %s for %s (%s", t.ID, t.User, t.Role)
	if t.Party != "" {
		fmt.Fprintf(m.Stderr, " of %s", t.Party)
	}
	fmt.Fprintf(m.Stderr, "), expires %s; it is shown this once: only its hash is kept\n", t.Expires.Format(time.RFC3339))
	return nil
}

func (m *Main) runTokenList(ctx context.Context, args []string) error {
	fs := m.flags("token list", "Usage: nadra token list [--json]\n\n"+tokenHelp)
	asJSON := fs.Bool("json", false, "print the tokens as JSON")
	if pos, err := parse(fs, args); err != nil {
		return err
	} else if len(pos) > 0 {
		return usagef("unexpected argument %q\n%s", pos[0], oneLineHelp(fs))
	}
	if err := m.open(ctx); err != nil {
		return err
	}
	ts, err := m.Tokens.FindTokens(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		if ts == nil {
			ts = []*nadra.Token{}
		}
		return writeJSON(m.Stdout, ts)
	}
	if len(ts) == 0 {
		fmt.Fprintln(m.Stdout, "no tokens; make one with nadra token create --user NAME --role ROLE")
		return nil
	}
	now := m.Now()
	w := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tUSER\tROLE\tCREATED\tBY\tEXPIRES\tSTATE")
	for _, t := range ts {
		role := t.Role
		if t.Party != "" {
			role += ":" + t.Party
		}
		state := "active"
		switch {
		case t.Revoked != nil:
			state = "revoked " + t.Revoked.Format(time.RFC3339)
		case !t.Active(now):
			state = "expired"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.User, role, t.Created.Format(time.RFC3339), t.CreatedBy, t.Expires.Format(time.RFC3339), state)
	}
	return w.Flush()
}

func (m *Main) runTokenRevoke(ctx context.Context, args []string) error {
	fs := m.flags("token revoke", "Usage: nadra token revoke ID\n\n"+tokenHelp)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("expected one token ID (nadra token list shows them), got %d arguments\n%s", len(pos), oneLineHelp(fs))
	}
	if err := m.open(ctx); err != nil {
		return err
	}
	t, err := m.Tokens.RevokeToken(ctx, pos[0])
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "revoked %s (%s, %s) at %s\n", t.ID, t.User, t.Role, t.Revoked.Format(time.RFC3339))
	return nil
}
