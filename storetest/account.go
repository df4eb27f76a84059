package storetest

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"nadra"
)

// testTokenService: tokens are found by the hash of their secret while in
// force; an expired, revoked or unknown one is EUNAUTHORIZED, saying
// which; revocation is for good; a token is never deleted.
func testTokenService(t *testing.T, open Opener) {
	ctx := context.Background()
	db := mustOpen(t, open)
	s := db.Tokens
	if s == nil {
		t.Skip("this store has no token service")
	}
	day := 24 * time.Hour
	admin := &nadra.Token{ID: "tok_000000000001", User: "olena", Role: nadra.AccountAdmin, CreatedBy: "cli:root",
		Created: Now, Expires: Now.Add(90 * day)}
	party := &nadra.Token{ID: "tok_000000000002", User: "treasury", Role: nadra.AccountParty, Party: nadra.PartyUS, CreatedBy: "cli:root",
		Created: Now.Add(time.Second), Expires: Now.Add(30 * day)}
	// Made ten days ago for one day: expired nine days before Now.
	old := &nadra.Token{ID: "tok_000000000003", User: "olena", Role: nadra.AccountEditor, CreatedBy: "cli:root",
		Created: Now.Add(-10 * day), Expires: Now.Add(-9 * day)}
	secrets := map[*nadra.Token]string{admin: "nadra_admin", party: "nadra_party", old: "nadra_old"}
	for _, tok := range []*nadra.Token{admin, party, old} {
		if err := s.CreateToken(ctx, tok, nadra.HashToken(secrets[tok])); err != nil {
			t.Fatalf("create %s: %v", tok.ID, err)
		}
	}

	t.Run("Authenticate", func(t *testing.T) {
		got, err := s.Authenticate(ctx, nadra.HashToken("nadra_party"))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, party) {
			t.Fatalf("got %+v, want %+v", got, party)
		}
	})
	refused := []struct{ name, secret, want string }{
		{"Unknown", "nadra_nobody", "not known"},
		{"Expired", "nadra_old", "expired on " + Now.Add(-9*day).Format(time.RFC3339)},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.Authenticate(ctx, nadra.HashToken(tt.secret))
			if nadra.ErrorCode(err) != nadra.EUNAUTHORIZED || !strings.Contains(nadra.ErrorMessage(err), tt.want) {
				t.Fatalf("got %v (%s), want unauthorized saying %q", err, nadra.ErrorCode(err), tt.want)
			}
		})
	}
	t.Run("Invalid", func(t *testing.T) {
		bad := []struct {
			name  string
			tok   nadra.Token
			field string
		}{
			{"party without a party", nadra.Token{ID: "tok_b1", User: "x", Role: nadra.AccountParty, Created: Now, Expires: Now.Add(day)}, "party:"},
			{"party on a viewer", nadra.Token{ID: "tok_b2", User: "x", Role: nadra.AccountViewer, Party: "UA", Created: Now, Expires: Now.Add(day)}, "party:"},
			{"unknown role", nadra.Token{ID: "tok_b3", User: "x", Role: "root", Created: Now, Expires: Now.Add(day)}, "role:"},
			{"bad user", nadra.Token{ID: "tok_b4", User: "a b", Role: nadra.AccountViewer, Created: Now, Expires: Now.Add(day)}, "user:"},
			{"over a year", nadra.Token{ID: "tok_b5", User: "x", Role: nadra.AccountViewer, Created: Now, Expires: Now.Add(367 * day)}, "expires:"},
			{"expires at once", nadra.Token{ID: "tok_b6", User: "x", Role: nadra.AccountViewer, Created: Now, Expires: Now}, "expires:"},
		}
		for _, b := range bad {
			err := s.CreateToken(ctx, &b.tok, nadra.HashToken(b.name))
			if nadra.ErrorCode(err) != nadra.EINVALID || !strings.HasPrefix(nadra.ErrorMessage(err), b.field) {
				t.Errorf("%s: got %v, want invalid naming %s", b.name, err, b.field)
			}
		}
		dup := &nadra.Token{ID: "tok_000000000009", User: "x", Role: nadra.AccountViewer, Created: Now, Expires: Now.Add(day)}
		if err := s.CreateToken(ctx, dup, nadra.HashToken("nadra_admin")); nadra.ErrorCode(err) != nadra.ECONFLICT {
			t.Errorf("the same secret twice: got %v, want conflict", err)
		}
	})
	t.Run("Revoke", func(t *testing.T) {
		got, err := s.RevokeToken(ctx, admin.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Revoked == nil || !got.Revoked.Equal(Now) {
			t.Fatalf("revoked at %v, want %v", got.Revoked, Now)
		}
		_, err = s.Authenticate(ctx, nadra.HashToken("nadra_admin"))
		if nadra.ErrorCode(err) != nadra.EUNAUTHORIZED || !strings.Contains(nadra.ErrorMessage(err), "revoked") {
			t.Fatalf("a revoked token: got %v, want unauthorized saying revoked", err)
		}
		if _, err := s.RevokeToken(ctx, admin.ID); nadra.ErrorCode(err) != nadra.ECONFLICT {
			t.Fatalf("revoking twice: got %v, want conflict", err)
		}
		if _, err := s.RevokeToken(ctx, "tok_nope"); nadra.ErrorCode(err) != nadra.ENOTFOUND {
			t.Fatalf("revoking an unknown token: got %v, want not found", err)
		}
	})
	t.Run("FindTokens", func(t *testing.T) {
		got, err := s.FindTokens(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, tok := range got {
			ids = append(ids, tok.ID)
		}
		// Oldest first: old (Now-10d), admin (Now), party (Now+1s).
		want := []string{old.ID, admin.ID, party.ID}
		if !reflect.DeepEqual(ids, want) {
			t.Fatalf("got %v, want %v", ids, want)
		}
		if got[1].Revoked == nil || got[2].Revoked != nil {
			t.Fatalf("revoked: admin %v, party %v; want admin only", got[1].Revoked, got[2].Revoked)
		}
	})
	t.Run("NeverDeleted", func(t *testing.T) {
		if db.Exec == nil {
			t.Skip("no direct SQL")
		}
		if err := db.Exec(ctx, `DELETE FROM tokens`); err == nil {
			t.Fatal("DELETE FROM tokens succeeded; want it refused")
		}
	})
}
