package postgres

import (
	"context"
	"errors"
	"time"

	"nadra"

	"github.com/jackc/pgx/v5"
)

// TokenService implements nadra.TokenService: API tokens, kept as the
// SHA-256 of their secrets.
type TokenService struct{ db *DB }

// NewTokenService returns a token service on db.
func NewTokenService(db *DB) *TokenService { return &TokenService{db: db} }

var _ nadra.TokenService = (*TokenService)(nil)

const tokenColumns = `id, "user", role, party, created_by, created_at, expires_at, revoked_at`

func scanToken(sc interface{ Scan(...any) error }) (*nadra.Token, error) {
	t := &nadra.Token{}
	var revoked *time.Time
	if err := sc.Scan(&t.ID, &t.User, &t.Role, &t.Party, &t.CreatedBy, &t.Created, &t.Expires, &revoked); err != nil {
		return nil, err
	}
	t.Created, t.Expires = t.Created.UTC(), t.Expires.UTC()
	if revoked != nil {
		r := revoked.UTC()
		t.Revoked = &r
	}
	return t, nil
}

// CreateToken stores a token with the hash of its secret.
func (s *TokenService) CreateToken(ctx context.Context, t *nadra.Token, hash []byte) error {
	if err := t.Validate(); err != nil {
		return err
	}
	if len(hash) != 32 {
		return nadra.Errorf(nadra.EINVALID, "hash: expected the 32-byte SHA-256 of the secret")
	}
	_, err := s.db.pool.Exec(ctx, `INSERT INTO tokens (id, "user", role, party, hash, created_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		t.ID, t.User, t.Role, t.Party, hash, t.CreatedBy, t.Created.UTC().Truncate(time.Second), t.Expires.UTC().Truncate(time.Second))
	return formatError(err)
}

// Authenticate returns the token in force whose secret has hash.
func (s *TokenService) Authenticate(ctx context.Context, hash []byte) (*nadra.Token, error) {
	t, err := scanToken(s.db.pool.QueryRow(ctx, `SELECT `+tokenColumns+` FROM tokens WHERE hash = $1`, hash))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nadra.Errorf(nadra.EUNAUTHORIZED, "the token is not known to this server")
	}
	if err != nil {
		return nil, formatError(err)
	}
	return t, tokenInForce(t, s.db.Now())
}

// tokenInForce returns EUNAUTHORIZED for a revoked or expired token.
func tokenInForce(t *nadra.Token, now time.Time) error {
	switch {
	case t.Revoked != nil:
		return nadra.Errorf(nadra.EUNAUTHORIZED, "the token %s was revoked on %s", t.ID, t.Revoked.UTC().Format(time.RFC3339))
	case !now.Before(t.Expires):
		return nadra.Errorf(nadra.EUNAUTHORIZED, "the token %s expired on %s; ask an admin for a new one", t.ID, t.Expires.UTC().Format(time.RFC3339))
	}
	return nil
}

// FindTokens returns every token, oldest first.
func (s *TokenService) FindTokens(ctx context.Context) ([]*nadra.Token, error) {
	var out []*nadra.Token
	err := scanRows(ctx, s.db.pool, `SELECT `+tokenColumns+` FROM tokens ORDER BY created_at, id`, func(r pgx.Rows) error {
		t, err := scanToken(r)
		if err != nil {
			return err
		}
		out = append(out, t)
		return nil
	})
	return out, err
}

// RevokeToken revokes a token for good.
func (s *TokenService) RevokeToken(ctx context.Context, id string) (*nadra.Token, error) {
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.rollback()
	t, err := scanToken(tx.QueryRow(ctx, `SELECT `+tokenColumns+` FROM tokens WHERE id = $1`, id))
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return nil, nadra.Errorf(nadra.ENOTFOUND, "no token with id %q", id)
	case err != nil:
		return nil, formatError(err)
	case t.Revoked != nil:
		return nil, nadra.Errorf(nadra.ECONFLICT, "the token %s was already revoked on %s", id, t.Revoked.UTC().Format(time.RFC3339))
	}
	now := tx.now
	if _, err := tx.Exec(ctx, `UPDATE tokens SET revoked_at = $1 WHERE id = $2`, now, id); err != nil {
		return nil, formatError(err)
	}
	t.Revoked = &now
	return t, tx.commit(ctx)
}
