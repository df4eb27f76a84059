package server

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"path"
	"regexp"
	"strings"

	"nadra"

	"github.com/danielgtaylor/huma/v2"
)

// Import routes: an editor imports over HTTP what the CLI imports from
// files, through the same code (Server.Import, set by cmd/nadra): one
// transaction, all rows or none; an error names the file, the line or
// feature, the field and what was expected; the same file twice changes
// nothing.

// Size bounds of an import's body, as the CLI's for files.
const (
	MaxImportBytes         = 32 << 20 // deposits, estimates, licences, production
	MaxControlImportBytes  = 64 << 20 // a control snapshot
	MaxTermsImportBytes    = 1 << 20  // a deal terms file (YAML)
	MaxScenarioImportBytes = 4 << 20  // a scenarios file (CSV)
)

// importKinds are what may be imported over HTTP: the CLI's import kinds.
var importKinds = []string{"deposits", "estimates", "licences", "control", "production", "terms", "scenarios"}

// ImportRequest is one import over HTTP, as Server.Import receives it.
type ImportRequest struct {
	Kind   string // one of importKinds
	File   string // the file's name, for errors and the import's record
	Format string // csv or geojson for deposits; "" from the name
	Date   string // control: the snapshot's date, when the file does not say
	Data   []byte
	SHA256 string // of Data, hex
	// User is who imports: the token's user.
	User string
}

// ImportInput is the request of POST /api/v1/import/{kind}.
type ImportInput struct {
	Kind        string `path:"kind" enum:"deposits,estimates,licences,control,production,terms,scenarios" doc:"What to import: the same kinds and formats as nadra import (dataset/FORMAT.md)."`
	File        string `query:"file" maxLength:"200" doc:"The file's name, as errors and the import's record name it (default upload.csv, or upload.geojson for control). A multipart upload's file name is used when this is empty."`
	Format      string `query:"format" enum:"csv,geojson" doc:"deposits: csv or geojson; by default from the file name."`
	Date        string `query:"date" doc:"control: the snapshot's date (YYYY-MM-DD) when the file does not say."`
	ContentType string `header:"Content-Type" doc:"The raw file (text/csv, application/geo+json, application/json, application/octet-stream), or multipart/form-data with the file in the part named file."`
	RawBody     []byte
}

// ImportOutput is the answer of an import.
type ImportOutput struct {
	Body struct {
		Kind   string `json:"kind"`
		File   string `json:"file"`
		SHA256 string `json:"sha256" doc:"SHA-256 of the file as received, hex."`
		nadra.ImportResult
	}
}

var importFileRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._ -]{0,199}$`)

// registerImportRoutes registers POST /api/v1/import/{kind}.
func (s *Server) registerImportRoutes() {
	oa := s.api.OpenAPI()
	oa.Tags = append(oa.Tags, &huma.Tag{Name: "import", Description: "Imports for editors: the same kinds, formats and rules as nadra import."})
	register(s, s.api, huma.Operation{
		OperationID: "import", Method: http.MethodPost, Path: "/import/{kind}", Tags: []string{"import"},
		Summary: "Import a file (editor)",
		Description: "Imports one file as nadra import KIND FILE does, through the same code: one transaction, every row or none; a bad file is a 400 naming the file, " +
			"the line (or feature), the field and what was expected, and nothing changes; the same file twice changes nothing. " +
			"The body is the file itself, or multipart/form-data with the file in the part named file. " +
			fmt.Sprintf("At most %d MB (%d MB for a control snapshot, %d MB for scenarios, %d MB for deal terms; 413 past it). ", MaxImportBytes>>20, MaxControlImportBytes>>20, MaxScenarioImportBytes>>20, MaxTermsImportBytes>>20) +
			"Needs a token with the role editor (or admin): 401 without one, 403 with another role. " +
			"Example: curl -H 'Authorization: Bearer TOKEN' -H 'Content-Type: text/csv' --data-binary @deposits.csv URL/api/v1/import/deposits?file=deposits.csv",
		Security:     bearerSecurity,
		Middlewares:  huma.Middlewares{s.needRole(nadra.AccountEditor)},
		MaxBodyBytes: MaxControlImportBytes,
		Errors:       []int{http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden, http.StatusConflict, http.StatusRequestEntityTooLarge, http.StatusTooManyRequests},
		// Every body is read raw (RawBody): its schemas are binary strings,
		// so that huma decodes none of them.
		RequestBody: &huma.RequestBody{Description: "The file, or a multipart form whose part named file is the file.", Content: map[string]*huma.MediaType{
			"text/csv":             {Schema: &huma.Schema{Type: "string", Format: "binary"}},
			"application/geo+json": {Schema: &huma.Schema{Type: "string", Format: "binary"}},
			"application/yaml":     {Schema: &huma.Schema{Type: "string", Format: "binary", Description: "Deal terms."}},
			"multipart/form-data":  {Schema: &huma.Schema{Type: "string", Format: "binary", Description: "A form with the file in the part named file."}},
		}},
	}, s.handleImport)
}

// handleImport handles the "POST /api/v1/import/{kind}" route.
func (s *Server) handleImport(ctx context.Context, in *ImportInput) (*ImportOutput, error) {
	tok, err := requireRole(ctx, "POST "+APIPrefix+"/import/"+in.Kind, nadra.AccountEditor)
	if err != nil {
		return nil, err
	}
	if s.Import == nil {
		return nil, nadra.Errorf(nadra.ENOTFOUND, "This server takes no imports.")
	}
	data, name, err := importBody(in)
	if err != nil {
		return nil, err
	}
	file := in.File
	if file == "" {
		file = name
	}
	if file == "" {
		file = "upload.csv"
		switch in.Kind {
		case "control":
			file = "upload.geojson"
		case "terms":
			file = "upload.yaml"
		}
	}
	if !importFileRE.MatchString(file) {
		return nil, nadra.Errorf(nadra.EINVALID, "file: %q: expected a file name of letters, digits, spaces and . _ -, without a folder", file)
	}
	limit := MaxImportBytes
	switch in.Kind {
	case "control":
		limit = MaxControlImportBytes
	case "terms":
		limit = MaxTermsImportBytes
	case "scenarios":
		limit = MaxScenarioImportBytes
	}
	if len(data) > limit {
		return nil, &http.MaxBytesError{Limit: int64(limit)}
	}
	if len(data) == 0 {
		return nil, nadra.Errorf(nadra.EINVALID, "%s: the file is empty", file)
	}
	sum := sha256.Sum256(data)
	req := ImportRequest{Kind: in.Kind, File: file, Format: in.Format, Date: in.Date, Data: data, SHA256: hex.EncodeToString(sum[:]), User: tok.User}
	var res nadra.ImportResult
	err = s.audited(ctx, "POST "+APIPrefix+"/import/"+in.Kind, "import "+in.Kind, []nadra.AuditFile{{Name: file, SHA256: req.SHA256}}, func() error {
		var err error
		res, err = s.Import(ctx, req)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.invalidate()
	out := &ImportOutput{}
	out.Body.Kind, out.Body.File, out.Body.SHA256, out.Body.ImportResult = in.Kind, file, req.SHA256, res
	return out, nil
}

// importBody returns the file a request carries: the body, or the part
// named file of a multipart form, with that part's file name.
func importBody(in *ImportInput) ([]byte, string, error) {
	mt, params, err := mime.ParseMediaType(in.ContentType)
	if err != nil || mt != "multipart/form-data" {
		// huma reuses the body's buffer after the handler; the request
		// keeps its own copy.
		return bytes.Clone(in.RawBody), "", nil
	}
	mr := multipart.NewReader(bytes.NewReader(in.RawBody), params["boundary"])
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil, "", nadra.Errorf(nadra.EINVALID, "body: the multipart form has no part named file")
		}
		if err != nil {
			return nil, "", nadra.Errorf(nadra.EINVALID, "body: not a multipart form: %v", err)
		}
		if p.FormName() != "file" {
			continue
		}
		data, err := io.ReadAll(p)
		if err != nil {
			return nil, "", nadra.Errorf(nadra.EINVALID, "body: the part named file does not read: %v", err)
		}
		name := p.FileName()
		if name != "" {
			name = path.Base(strings.ReplaceAll(name, "\\", "/"))
		}
		return data, name, nil
	}
}
