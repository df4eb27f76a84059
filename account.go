package nadra

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"regexp"
	"strings"
	"time"
)

// Accounts are API tokens: a shared deployment gives each person or
// system a token with one role. A token is a random secret shown once when
// it is made; the store keeps only its SHA-256, so whoever reads the
// database cannot use the tokens in it. (A token has 256 random bits, so a
// plain hash is enough: there is nothing to guess that a slow hash would
// protect.)

// Account roles. Persisted and sent over the wire: append only, never
// rename.
const (
	AccountViewer  = "viewer"  // reads (needed only when the server is --private)
	AccountAnalyst = "analyst" // reads; saves scenarios and drawn areas
	AccountEditor  = "editor"  // reads; imports over HTTP (and what an analyst does)
	AccountParty   = "party"   // reads; posts ledger entries and co-signatures for its own party
	AccountAuditor = "auditor" // reads everything, the audit trail included; co-signs as auditor
	AccountAdmin   = "admin"   // manages accounts; reads the audit trail; what an editor does
)

// AccountRoles lists the roles, least powerful first.
var AccountRoles = []string{AccountViewer, AccountAnalyst, AccountEditor, AccountParty, AccountAuditor, AccountAdmin}

// grants says which roles a role includes besides itself. A party or an
// auditor holds no editor rights: their tokens are for the ledger.
var grants = map[string][]string{
	AccountViewer:  {},
	AccountAnalyst: {AccountViewer},
	AccountEditor:  {AccountViewer, AccountAnalyst},
	AccountParty:   {AccountViewer},
	AccountAuditor: {AccountViewer},
	AccountAdmin:   {AccountViewer, AccountAnalyst, AccountEditor},
}

// ValidRole reports whether role is one of AccountRoles.
func ValidRole(role string) bool {
	_, ok := grants[role]
	return ok
}

// RoleAllows reports whether a token with role may do what needs role
// need: the same role, or one that includes it (an editor may do what an
// analyst and a viewer may).
func RoleAllows(role, need string) bool {
	if role == need {
		return true
	}
	for _, r := range grants[role] {
		if r == need {
			return true
		}
	}
	return false
}

// TokenPrefix starts every token, so that a leaked one is easy to
// recognise (and to search for in logs and repositories).
const TokenPrefix = "nadra_"

// MaxTokenLife bounds a token's life: a token expires at most this long
// after it is made.
const MaxTokenLife = 366 * 24 * time.Hour

// DefaultTokenLife is a token's life when none is given.
const DefaultTokenLife = 90 * 24 * time.Hour

// Token is an API token as the store keeps it: everything but the secret.
type Token struct {
	ID   string `json:"id"`   // "tok_" and 12 hex digits: how lists and revocation name it
	User string `json:"user"` // the person or system it is for
	Role string `json:"role"` // one of AccountRoles
	// Party is the ledger party (US or UA) a party token posts for; ""
	// for every other role.
	Party     string     `json:"party,omitempty"`
	CreatedBy string     `json:"created_by"` // who made it: "cli:$USER" or a user
	Created   time.Time  `json:"created_at"`
	Expires   time.Time  `json:"expires_at"`
	Revoked   *time.Time `json:"revoked_at,omitempty"`
}

// Active reports whether the token may be used at t: not revoked and not
// expired.
func (t *Token) Active(now time.Time) bool {
	return t.Revoked == nil && now.Before(t.Expires)
}

var userRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}$`)

// Validate returns an EINVALID error naming the first bad field.
func (t *Token) Validate() error {
	switch {
	case !userRE.MatchString(t.User):
		return Errorf(EINVALID, "user: %q: expected 1 to 64 letters, digits and . _ @ + -, starting with a letter or digit", t.User)
	case !ValidRole(t.Role):
		return Errorf(EINVALID, "role: %q unknown; expected one of %s", t.Role, strings.Join(AccountRoles, ", "))
	case t.Role == AccountParty && t.Party != PartyUS && t.Party != PartyUA:
		return Errorf(EINVALID, "party: a party token posts for one ledger party; expected US or UA, got %q", t.Party)
	case t.Role != AccountParty && t.Party != "":
		return Errorf(EINVALID, "party: only a party token names a party (this one is %s)", t.Role)
	case !t.Expires.After(t.Created):
		return Errorf(EINVALID, "expires: the token would expire when it is made, or before")
	case t.Expires.Sub(t.Created) > MaxTokenLife:
		return Errorf(EINVALID, "expires: at most %d days after it is made", int(MaxTokenLife.Hours()/24))
	}
	return nil
}

// NewTokenSecret returns a new token's id and secret: the secret is
// TokenPrefix and 32 random bytes in unpadded base64url; the id is
// random too, so that it tells nothing about the secret.
func NewTokenSecret() (id, secret string, err error) {
	var b [32 + 6]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", "", err
	}
	return "tok_" + hex.EncodeToString(b[32:]), TokenPrefix + base64.RawURLEncoding.EncodeToString(b[:32]), nil
}

// HashToken returns the SHA-256 of a token's secret: what the store
// keeps and looks tokens up by.
func HashToken(secret string) []byte {
	h := sha256.Sum256([]byte(secret))
	return h[:]
}

// LooksLikeToken reports whether s has a token's shape, so that a
// malformed credential is refused before any lookup.
func LooksLikeToken(s string) bool {
	rest, ok := strings.CutPrefix(s, TokenPrefix)
	if !ok || len(rest) != 43 {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(rest)
	return err == nil
}

// TokenService keeps API tokens. Implemented by sqlite and postgres.
type TokenService interface {
	// CreateToken stores a token (validated) with the SHA-256 of its
	// secret. EINVALID for a bad token; ECONFLICT for an id or a hash
	// already stored.
	CreateToken(ctx context.Context, t *Token, hash []byte) error
	// Authenticate returns the token whose secret has hash. EUNAUTHORIZED
	// when none has, or it is revoked or expired (the message says which).
	Authenticate(ctx context.Context, hash []byte) (*Token, error)
	// FindTokens returns every token, oldest first.
	FindTokens(ctx context.Context) ([]*Token, error)
	// RevokeToken revokes a token for good. ENOTFOUND for an unknown id;
	// ECONFLICT when it is already revoked.
	RevokeToken(ctx context.Context, id string) (*Token, error)
}
