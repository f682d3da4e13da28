package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/transfer"
)

// MaxImportBytes bounds the file of POST /api/v1/imports (the same 256 MiB as the page's
// upload); the form's other fields may add maxImportFieldBytes each.
const (
	MaxImportBytes      = 256 << 20
	maxImportFieldBytes = 64 << 10
	maxImportFormBytes  = MaxImportBytes + 1<<20
	importWriteTime     = 30 * time.Minute
)

// The refusals particular to an import's form (their texts: catalog_import).
const (
	fieldEmptyFile     = "empty_file"
	fieldBadMultipart  = "invalid_multipart"
	fieldDuplicatePart = "duplicate_part"
	fieldNotImportable = "not_importable"
	fieldNoSuchColumn  = "no_such_column"
)

// importForm is the multipart form of an import, as read.
type importForm struct {
	fileName string
	path     string // the uploaded file, in a temporary file
	size     int64
	values   map[string]string
	maps     []string // map=HEADER=field, repeatable
}

// importFormFields are the fields the form may hold besides file and map.
var importFormFields = map[string]bool{"mapping": true, "key": true, "existing": true, "create_groups": true,
	"dry_run": true, "delimiter": true, "encoding": true, "header": true}

// importCustomers reads an uploaded CSV, .xlsx or vCard file into the register with
// app.ImportCustomers, as the page and the CLI do, and answers the report (docs/import-export.md).
func (s *Server) importCustomers(w http.ResponseWriter, r *http.Request, p domain.Principal) error {
	// A file of up to 256 MiB takes longer to arrive than the server's read timeout allows a
	// request, and its import longer than the write timeout.
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Now().Add(importWriteTime))
	_ = rc.SetWriteDeadline(time.Now().Add(importWriteTime))
	form, err := readImportForm(w, r)
	if form.path != "" {
		defer os.Remove(form.path)
	}
	if err != nil {
		return err
	}
	st, err := form.settings()
	if err != nil {
		return err
	}
	if form.path == "" {
		return fieldInvalid("file", domain.FieldRequired, nil)
	}
	if form.size == 0 {
		return fieldInvalid("file", fieldEmptyFile, nil)
	}
	f, err := transfer.Open(form.path, st.format, st.header)
	if err != nil {
		return &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: "file", Code: domain.FieldInvalid}}, Cause: err}
	}
	defer f.Close()
	mapping, err := form.mapping(f)
	if err != nil {
		return err
	}
	opts := st.opts
	opts.Mapping, opts.FileName = mapping, form.fileName
	rep, err := s.app.ImportCustomers(r.Context(), p, f.Rows, opts)
	if err != nil {
		return err
	}
	if !rep.DryRun {
		s.log.Info("customers imported", slog.Int64("rows", rep.Rows), slog.Int64("created", rep.Created),
			slog.Int64("updated", rep.Updated), slog.Int64("refused", rep.Refused))
	}
	lang := s.msgs.Pick(r.Header.Get("Accept-Language"))
	out := importReportJSON{DryRun: rep.DryRun, File: importFileJSON{Name: form.fileName, Kind: string(f.Kind), Header: f.Format.Header},
		Columns: []importColumnJSON{}, Rows: rep.Rows, Created: rep.Created, Updated: rep.Updated, Unchanged: rep.Unchanged,
		Skipped: rep.Skipped, Refused: rep.Refused, CreatedWithoutKey: rep.CreatedWithoutKey, Batches: rep.Batches,
		BatchSize: rep.BatchSize, GroupsCreated: append([]string{}, rep.GroupsCreated...), RefusedRows: []refusedRowJSON{},
		RefusedRowsTruncated: int64(len(rep.RefusedRows)) < rep.Refused}
	if f.Kind == transfer.KindCSV {
		out.File.Delimiter, out.File.Encoding = transfer.DelimiterName(f.Format.Delimiter), string(f.Format.Encoding)
	} else {
		out.File.Header = true
	}
	for i, h := range f.Headers {
		out.Columns = append(out.Columns, importColumnJSON{Index: i + 1, Header: h, Field: string(mapping[i])})
	}
	for _, rr := range rep.RefusedRows {
		cells := make([]string, len(f.Headers))
		copy(cells, rr.Cells)
		out.RefusedRows = append(out.RefusedRows, refusedRowJSON{Line: rr.Line, Cells: cells, Problems: s.fieldErrors(lang, rr.Problems)})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

type importReportJSON struct {
	DryRun               bool               `json:"dry_run"`
	File                 importFileJSON     `json:"file"`
	Columns              []importColumnJSON `json:"columns"`
	Rows                 int64              `json:"rows"`
	Created              int64              `json:"created"`
	Updated              int64              `json:"updated"`
	Unchanged            int64              `json:"unchanged"`
	Skipped              int64              `json:"skipped"`
	Refused              int64              `json:"refused"`
	CreatedWithoutKey    int64              `json:"created_without_key"`
	Batches              int64              `json:"batches"`
	BatchSize            int                `json:"batch_size"`
	GroupsCreated        []string           `json:"groups_created"`
	RefusedRows          []refusedRowJSON   `json:"refused_rows"`
	RefusedRowsTruncated bool               `json:"refused_rows_truncated"`
}

type importFileJSON struct {
	Name      string `json:"name"`
	Kind      string `json:"kind"`
	Delimiter string `json:"delimiter,omitempty"`
	Encoding  string `json:"encoding,omitempty"`
	Header    bool   `json:"header"`
}

type importColumnJSON struct {
	Index  int    `json:"index"`
	Header string `json:"header"`
	Field  string `json:"field"`
}

type refusedRowJSON struct {
	Line     int              `json:"line"`
	Cells    []string         `json:"cells"`
	Problems []fieldErrorJSON `json:"problems"`
}

// fieldInvalid is a 422 naming one field.
func fieldInvalid(field, code string, params map[string]any) error {
	return &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: field, Code: code, Params: params}}}
}

// readImportForm streams the multipart form: the file to a temporary file, the other fields
// (at most maxImportFieldBytes each) into values. A field the form does not know, or given
// twice, is refused as a malformed request.
func readImportForm(w http.ResponseWriter, r *http.Request) (importForm, error) {
	form := importForm{values: map[string]string{}}
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" || params["boundary"] == "" {
		return form, &requestError{status: http.StatusUnsupportedMediaType, code: "unsupported_media"}
	}
	tooLarge := &requestError{status: http.StatusRequestEntityTooLarge, code: "body_too_large", params: map[string]any{"max": MaxImportBytes}}
	if r.ContentLength > maxImportFormBytes {
		return form, tooLarge
	}
	mr := multipart.NewReader(http.MaxBytesReader(w, r.Body, maxImportFormBytes), params["boundary"])
	malformed := func(err error) error {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return tooLarge
		}
		return badField("", fieldBadMultipart, nil)
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return form, nil
		}
		if err != nil {
			return form, malformed(err)
		}
		name := part.FormName()
		switch {
		case name == "file":
			if form.path != "" {
				return form, badField("file", fieldDuplicatePart, nil)
			}
			tmp, err := transfer.TempFile("", "clientela-api-import-*")
			if err != nil {
				return form, err
			}
			form.path, form.fileName = tmp.Name(), filepath.Base(part.FileName())
			n, err := io.Copy(tmp, io.LimitReader(part, MaxImportBytes+1))
			form.size = n
			if cerr := tmp.Close(); err == nil && cerr != nil {
				return form, fmt.Errorf("import upload: %w", cerr)
			}
			if err != nil {
				return form, malformed(err)
			}
			if n > MaxImportBytes {
				return form, tooLarge
			}
		case name == "map" || importFormFields[name]:
			b, err := io.ReadAll(io.LimitReader(part, maxImportFieldBytes+1))
			if err != nil {
				return form, malformed(err)
			}
			if len(b) > maxImportFieldBytes {
				return form, badField(name, domain.FieldTooLong, map[string]any{"max": maxImportFieldBytes})
			}
			if !utf8.Valid(b) {
				return form, badField(name, domain.FieldBadEncoding, nil)
			}
			if name == "map" {
				form.maps = append(form.maps, string(b))
				continue
			}
			if _, dup := form.values[name]; dup {
				return form, badField(name, fieldDuplicatePart, nil)
			}
			form.values[name] = strings.TrimSpace(string(b))
		default:
			field := name
			if !utf8.ValidString(field) {
				field = strings.ToValidUTF8(field, "?")
			}
			return form, badField(field, domain.FieldUnknown, nil)
		}
	}
}

// importSettings are the form's options, checked.
type importSettings struct {
	format *transfer.CSVFormat
	header *bool
	opts   app.ImportOptions
}

// settings reads the options: booleans of the wrong type are a malformed request (400), values
// out of their range a validation error (422), each naming its field.
func (f *importForm) settings() (importSettings, error) {
	var st importSettings
	var wrong []domain.FieldError
	boolean := func(name string) bool {
		switch strings.ToLower(f.values[name]) {
		case "", "false", "0", "no", "off":
			return false
		case "true", "1", "yes", "on":
			return true
		}
		wrong = append(wrong, domain.FieldError{Field: name, Code: domain.FieldWrongType, Params: map[string]any{"expected": "boolean"}})
		return false
	}
	st.opts = app.ImportOptions{Key: app.ImportKey(f.values["key"]), Existing: app.Existing(f.values["existing"]),
		CreateGroups: boolean("create_groups"), DryRun: boolean("dry_run")}
	if len(wrong) > 0 {
		return st, &requestError{status: http.StatusBadRequest, code: "invalid_request", fields: wrong}
	}
	var p domain.Problems
	d, e := f.values["delimiter"], f.values["encoding"]
	if d != "" || e != "" {
		format := transfer.CSVFormat{Delimiter: ',', Encoding: transfer.EncodingUTF8, Header: true}
		if d != "" {
			if r, ok := transfer.ParseDelimiter(d); ok {
				format.Delimiter = r
			} else {
				p.Add("delimiter", domain.FieldInvalid, map[string]any{"allowed": ", ; tab"})
			}
		}
		if e != "" {
			format.Encoding = transfer.Encoding(e)
			if !transfer.ValidEncoding(format.Encoding) {
				p.Add("encoding", domain.FieldInvalid, map[string]any{"allowed": "utf-8, utf-8-bom, windows-1252"})
			}
		}
		st.format = &format
	}
	switch h := f.values["header"]; h {
	case "", "auto":
	case "yes", "no":
		b := h == "yes"
		st.header = &b
		if st.format != nil {
			st.format.Header = b
		}
	default:
		p.Add("header", domain.FieldInvalid, map[string]any{"allowed": "yes, no, auto"})
	}
	return st, p.Err()
}

// mapping is the proposed mapping of the file's columns (none for a CSV file without a
// header), changed by the form's mapping (a JSON object, column → field) and map fields
// (HEADER=field); a column is named by its header or its number from 1.
func (f *importForm) mapping(file *transfer.File) ([]transfer.Field, error) {
	mapping := transfer.ProposeMapping(file.Headers)
	if !file.Format.Header && file.Kind == transfer.KindCSV {
		mapping = make([]transfer.Field, len(file.Headers))
	}
	type pair struct{ col, field, from string }
	var pairs []pair
	if raw, ok := f.values["mapping"]; ok && raw != "" {
		var m map[string]string
		if err := json.Unmarshal([]byte(raw), &m); err != nil {
			return nil, badField("mapping", domain.FieldWrongType, map[string]any{"expected": "object"})
		}
		for col, field := range m {
			pairs = append(pairs, pair{col, field, "mapping"})
		}
	}
	for _, m := range f.maps {
		col, field, ok := strings.Cut(m, "=")
		if !ok {
			return nil, fieldInvalid("map", domain.FieldInvalid, map[string]any{"allowed": "HEADER=field"})
		}
		pairs = append(pairs, pair{col, field, "map"})
	}
	var p domain.Problems
	for _, pr := range pairs {
		if !transfer.ValidField(transfer.Field(pr.field)) {
			p.Add(pr.from, fieldNotImportable, map[string]any{"field": pr.field})
			continue
		}
		i := transfer.ColumnIndex(file.Headers, pr.col)
		if i < 0 {
			p.Add(pr.from, fieldNoSuchColumn, map[string]any{"column": pr.col})
			continue
		}
		mapping[i] = transfer.Field(pr.field)
	}
	return mapping, p.Err()
}
