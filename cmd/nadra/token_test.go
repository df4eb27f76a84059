package main_test

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestE2E_Token: create prints a token of the stated shape once, list
// never shows it, revoke marks it, and mistakes name the flag.
func TestE2E_Token(t *testing.T) {
	dir := t.TempDir()
	r := run(t, dir, "token", "create", "--user", "olena", "--role", "admin", "--expires", "2w")
	if r.code != 0 {
		t.Fatalf("create: exit %d: %s", r.code, r.stderr)
	}
	secret := strings.TrimSpace(r.stdout)
	// "nadra_" and 32 bytes in unpadded base64url: ceil(32*8/6) = 43 characters.
	if !regexp.MustCompile(`^nadra_[A-Za-z0-9_-]{43}$`).MatchString(secret) {
		t.Fatalf("token %q: want nadra_ and 43 base64url characters", secret)
	}
	r = run(t, dir, "token", "create", "--user", "kyiv", "--role", "party", "--party", "ua", "--json")
	var made struct{ Token, ID, Role, Party string }
	if err := json.Unmarshal([]byte(r.stdout), &made); err != nil || made.Party != "UA" || made.Role != "party" || made.Token == secret {
		t.Fatalf("create --json: %v: %s", err, r.stdout)
	}
	r = run(t, dir, "token", "list", "--json")
	var list []struct {
		ID, User, Role, Party string
		CreatedBy             string     `json:"created_by"`
		Created               time.Time  `json:"created_at"`
		Expires               time.Time  `json:"expires_at"`
		Revoked               *time.Time `json:"revoked_at"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &list); err != nil || len(list) != 2 {
		t.Fatalf("list: %v: %s", err, r.stdout)
	}
	if strings.Contains(r.stdout, secret) || strings.Contains(r.stdout, made.Token) {
		t.Fatalf("list shows a secret: %s", r.stdout)
	}
	for _, tok := range list {
		// --expires 2w: 14 days after it was made; the default 90 days.
		want := map[string]time.Duration{"olena": 14 * 24 * time.Hour, "kyiv": 90 * 24 * time.Hour}[tok.User]
		if d := tok.Expires.Sub(tok.Created); d != want || tok.CreatedBy == "" {
			t.Fatalf("%s's token lives %v, want %v (made by %q)", tok.User, d, want, tok.CreatedBy)
		}
	}
	r = run(t, dir, "token", "revoke", made.ID)
	if r.code != 0 || !strings.Contains(r.stdout, "revoked "+made.ID) {
		t.Fatalf("revoke: exit %d: %s%s", r.code, r.stdout, r.stderr)
	}
	r = run(t, dir, "token", "revoke", made.ID)
	if r.code != 1 || !strings.Contains(r.stderr, "already revoked") {
		t.Fatalf("revoke twice: exit %d: %s", r.code, r.stderr)
	}
	bad := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"token", "create", "--role", "admin"}, 2, "--user is required"},
		{[]string{"token", "create", "--user", "x"}, 2, "--role is required"},
		{[]string{"token", "create", "--user", "x", "--role", "root"}, 1, `role: "root" unknown`},
		{[]string{"token", "create", "--user", "x", "--role", "party"}, 1, "party:"},
		{[]string{"token", "create", "--user", "x", "--role", "viewer", "--expires", "400d"}, 1, "at most 366 days"},
		{[]string{"token", "create", "--user", "x", "--role", "viewer", "--expires", "0x10d"}, 1, "--expires"},
		{[]string{"token", "revoke", "tok_nope"}, 1, `no token with id "tok_nope"`},
	}
	for _, b := range bad {
		r := run(t, dir, b.args...)
		if r.code != b.code || !strings.Contains(r.stderr, b.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d saying %q", b.args, r.code, r.stderr, b.code, b.want)
		}
	}
}
