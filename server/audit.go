package server

import (
	"context"
	"fmt"
	"net/http"
	"slices"

	"nadra"

	"github.com/danielgtaylor/huma/v2"
)

// audited runs a write made over HTTP and appends its audit record: who
// (the token's user), the route, the files it read, and the content
// hashes of the tables it may change (nadra.WriteTables[kind]) before and
// after. Without an audit store it only runs the write.
func (s *Server) audited(ctx context.Context, route, kind string, files []nadra.AuditFile, write func() error) error {
	tables := nadra.WriteTables[kind]
	if s.Audit == nil || len(tables) == 0 {
		return write()
	}
	if slices.Contains(tables, "ledger_keys") {
		if err := s.Audit.EnsureLogKey(ctx, ""); err != nil {
			return err
		}
	}
	before, err := s.Audit.TableHashes(ctx, tables)
	if err != nil {
		return err
	}
	if err := write(); err != nil {
		return err
	}
	after, err := s.Audit.TableHashes(ctx, tables)
	if err != nil {
		return err
	}
	r := nadra.AuditRecord{Route: route, Files: files}
	if t := tokenFrom(ctx); t != nil {
		r.Who = t.User
	} else {
		r.Who = "anonymous" // a server without tokens: serve --open on loopback
	}
	for i, b := range before {
		r.Changes = append(r.Changes, nadra.AuditChange{Table: b.Table, RowsBefore: b.Rows, RowsAfter: after[i].Rows, Before: b.Hash, After: after[i].Hash})
	}
	if _, err := s.Audit.AppendAudit(context.WithoutCancel(ctx), "", r); err != nil {
		return fmt.Errorf("the write succeeded, but its audit record could not be appended: %w", err)
	}
	return nil
}

// AuditList is the audit trail.
type AuditList struct {
	Records []nadra.AuditRecord `json:"records"`
}

func (s *Server) registerAudit(errs []int) {
	register(s, s.api, huma.Operation{
		OperationID: "list-audit", Method: http.MethodGet, Path: "/audit", Tags: []string{"audit"},
		Summary: "The audit trail (auditor, admin)",
		Description: "Every write to the registry, oldest first: the leaf of the ledger's tree it is, when, who (the token's user, or cli:$USER at the command line), " +
			"the command or route, each file's SHA-256, and the row counts and content hashes of the tables it may change, before and after. " +
			"Each record is signed by the log's key and covered by the checkpoints the parties co-sign. Needs an auditor or admin token.",
		Security:    bearerSecurity,
		Middlewares: huma.Middlewares{s.needRole(nadra.AccountAuditor, nadra.AccountAdmin)},
		Errors:      errs,
	}, s.handleAudit)
}

// handleAudit handles the "GET /api/v1/audit" route.
func (s *Server) handleAudit(ctx context.Context, _ *struct{}) (*struct{ Body AuditList }, error) {
	if _, err := requireRole(ctx, "GET "+APIPrefix+"/audit", nadra.AccountAuditor, nadra.AccountAdmin); err != nil {
		return nil, err
	}
	if s.Audit == nil {
		return nil, nadra.Errorf(nadra.ENOTFOUND, "this server keeps no audit trail")
	}
	recs, err := s.Audit.AuditRecords(ctx)
	if err != nil {
		return nil, err
	}
	if recs == nil {
		recs = []nadra.AuditRecord{}
	}
	return &struct{ Body AuditList }{AuditList{recs}}, nil
}
