package server

import (
	"context"
	"net/http"

	"nadra"

	"github.com/danielgtaylor/huma/v2"
)

// Token routes for admins: list the tokens and revoke one. There is no
// route that makes a token: tokens are made with nadra token create on
// the server's machine, so that a stolen admin token cannot mint others.

// TokenList is every token, never a secret.
type TokenList struct {
	Tokens []*nadra.Token `json:"tokens"`
}

// registerTokenRoutes registers GET /api/v1/tokens and DELETE
// /api/v1/tokens/{id}.
func (s *Server) registerTokenRoutes() {
	oa := s.api.OpenAPI()
	oa.Tags = append(oa.Tags, &huma.Tag{Name: "tokens", Description: "API tokens, for admins: list and revoke. Tokens are made with nadra token create only."})
	errs := []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusTooManyRequests}
	register(s, s.api, huma.Operation{
		OperationID: "list-tokens", Method: http.MethodGet, Path: "/tokens", Tags: []string{"tokens"},
		Summary:     "Every token (admin)",
		Description: "Every token, oldest first: id, user, role, party, who made it and when, when it expires, when it was revoked. Never a secret: only their SHA-256 is kept. Needs an admin token.",
		Security:    bearerSecurity,
		Middlewares: huma.Middlewares{s.needRole(nadra.AccountAdmin)},
		Errors:      errs,
	}, s.handleTokens)
	register(s, s.api, huma.Operation{
		OperationID: "revoke-token", Method: http.MethodDelete, Path: "/tokens/{id}", Tags: []string{"tokens"},
		Summary:     "Revoke a token (admin)",
		Description: "Revokes a token for good: requests with it are refused (401) at once, on every server of the deployment. The token stays in the list, revoked. 404 for an unknown id, 409 when it is already revoked. Needs an admin token.",
		Security:    bearerSecurity,
		Middlewares: huma.Middlewares{s.needRole(nadra.AccountAdmin)},
		Errors:      append(errs, http.StatusNotFound, http.StatusConflict),
	}, s.handleRevokeToken)
}

// handleTokens handles the "GET /api/v1/tokens" route.
func (s *Server) handleTokens(ctx context.Context, _ *struct{}) (*struct{ Body TokenList }, error) {
	if _, err := requireRole(ctx, "GET "+APIPrefix+"/tokens", nadra.AccountAdmin); err != nil {
		return nil, err
	}
	ts, err := s.Tokens.FindTokens(ctx)
	if err != nil {
		return nil, err
	}
	if ts == nil {
		ts = []*nadra.Token{}
	}
	return &struct{ Body TokenList }{TokenList{ts}}, nil
}

// RevokeTokenInput names the token to revoke.
type RevokeTokenInput struct {
	ID string `path:"id" maxLength:"40" doc:"The token's id (tok_…), as the list shows it."`
}

// handleRevokeToken handles the "DELETE /api/v1/tokens/{id}" route.
func (s *Server) handleRevokeToken(ctx context.Context, in *RevokeTokenInput) (*struct{ Body *nadra.Token }, error) {
	if _, err := requireRole(ctx, "DELETE "+APIPrefix+"/tokens/{id}", nadra.AccountAdmin); err != nil {
		return nil, err
	}
	var t *nadra.Token
	err := s.audited(ctx, "DELETE "+APIPrefix+"/tokens/"+in.ID, "token revoke", nil, func() error {
		var err error
		t, err = s.Tokens.RevokeToken(ctx, in.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &struct{ Body *nadra.Token }{t}, nil
}
