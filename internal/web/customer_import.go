package web

import (
	"crypto/rand"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/transfer"
)

// MaxImportUpload bounds an uploaded import file: 256 MiB, about 1,500,000 rows of a
// shop's CSV. The upload goes to a temporary file (never held in memory) that the steps read
// again; files older than importFileAge are removed at the next upload.
const (
	MaxImportUpload = 256 << 20
	importFileAge   = 24 * time.Hour
	previewRows     = 10
)

// importDir holds the uploads, a file per upload named after its user and a random token.
func importDir() string { return filepath.Join(os.TempDir(), "clientela-imports") }

// importPath is the upload of token by the caller; "" when the token is malformed.
func importPath(rq *request, token string) string {
	if len(token) != 32 || strings.Trim(token, "0123456789abcdef") != "" || !app.ValidID(rq.p.UserID) {
		return ""
	}
	return filepath.Join(importDir(), rq.p.UserID+"-"+token)
}

type importPage struct {
	Step     int // 0 upload, 1 mapping, 2 dry run, 3 done
	Token    string
	Message  string
	FileKind string
	// Step 1: the format, the columns with their proposed fields, the first rows.
	Delimiter, Encoding, Header string
	Columns                     []importColumn
	Preview                     [][]string
	Fields                      []string
	// The options, carried from step to step.
	Key, Existing  string
	CreateGroups   bool
	Hidden         url.Values // the settings as form fields (steps 2 and 3)
	Keys, Policies []string
	Report         *app.ImportReport
	Refusals       []importRefusal // the report's refused rows, a line per problem
	RejectsHref    string
}

type importRefusal struct {
	Line          int
	Field, Reason string
}

type importColumn struct {
	Index  int
	Header string
	Field  string
}

// customerImport is step 0: the upload form.
func (s *Server) customerImport(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.render(w, r, rq, http.StatusOK, "customer_import", importPage{})
}

// customerImportUpload stores the uploaded file in a temporary file and goes to step 1.
func (s *Server) customerImportUpload(w http.ResponseWriter, r *http.Request, rq *request) error {
	// A file of up to 256 MiB takes longer to arrive than the server's read timeout allows.
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(30 * time.Minute))
	r.Body = http.MaxBytesReader(w, r.Body, MaxImportUpload+1<<20)
	mr, err := r.MultipartReader()
	if err != nil {
		return &formError{status: http.StatusBadRequest, key: "web.form_invalid"}
	}
	if err := os.MkdirAll(importDir(), 0o700); err != nil {
		return fmt.Errorf("import upload: %w", err)
	}
	cleanImports()
	var buf [16]byte
	if _, err := rand.Read(buf[:]); err != nil {
		return fmt.Errorf("import upload: %w", err)
	}
	token := hex.EncodeToString(buf[:])
	path := importPath(rq, token)
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return s.importFailed(w, r, rq, "web.form_too_large")
		}
		if part.FormName() != "file" {
			continue
		}
		f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if err != nil {
			return fmt.Errorf("import upload: %w", err)
		}
		n, err := io.Copy(f, io.LimitReader(part, MaxImportUpload+1))
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil || n > MaxImportUpload {
			os.Remove(path)
			return s.importFailed(w, r, rq, "import.too_large")
		}
		if n == 0 {
			os.Remove(path)
			return s.importFailed(w, r, rq, "import.empty")
		}
		http.Redirect(w, r, "/customers/import/files/"+token, http.StatusSeeOther)
		return nil
	}
	return s.importFailed(w, r, rq, "import.no_file")
}

func (s *Server) importFailed(w http.ResponseWriter, r *http.Request, rq *request, key string) error {
	return s.render(w, r, rq, http.StatusUnprocessableEntity, "customer_import", importPage{Message: s.msgs.T(rq.lang, key, nil)})
}

// cleanImports removes uploads older than importFileAge.
func cleanImports() {
	entries, _ := os.ReadDir(importDir())
	for _, e := range entries {
		if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > importFileAge {
			os.Remove(filepath.Join(importDir(), e.Name()))
		}
	}
}

// importSettings reads the format, the mapping and the options from a step's form (or query).
type importSettings struct {
	format  *transfer.CSVFormat
	header  *bool
	mapping map[int]transfer.Field
	opts    app.ImportOptions
}

func readImportSettings(v url.Values) importSettings {
	var st importSettings
	if d, e := v.Get("delimiter"), v.Get("encoding"); d != "" || e != "" {
		f := transfer.CSVFormat{Delimiter: ',', Encoding: transfer.EncodingUTF8}
		if d, ok := transfer.ParseDelimiter(d); ok {
			f.Delimiter = d
		}
		if transfer.ValidEncoding(transfer.Encoding(e)) {
			f.Encoding = transfer.Encoding(e)
		}
		st.format = &f
	}
	if h := v.Get("header"); h == "yes" || h == "no" {
		b := h == "yes"
		st.header = &b
		if st.format != nil {
			st.format.Header = b
		}
	}
	for k, vals := range v {
		if rest, ok := strings.CutPrefix(k, "map."); ok {
			if i, err := strconv.Atoi(rest); err == nil && i >= 0 && i < 1000 {
				if st.mapping == nil {
					st.mapping = map[int]transfer.Field{}
				}
				st.mapping[i] = transfer.Field(vals[0])
			}
		}
	}
	st.opts = app.ImportOptions{Key: app.ImportKey(v.Get("key")), Existing: app.Existing(v.Get("existing")),
		CreateGroups: v.Get("create_groups") == "on"}
	return st
}

// openImport opens the caller's upload under the settings, with its mapping.
func (s *Server) openImport(rq *request, token string, st importSettings) (*transfer.File, []transfer.Field, error) {
	path := importPath(rq, token)
	if path == "" {
		return nil, nil, domain.Errorf(domain.CodeNotFound)
	}
	if _, err := os.Stat(path); err != nil {
		return nil, nil, domain.Errorf(domain.CodeNotFound)
	}
	f, err := transfer.Open(path, st.format, st.header)
	if err != nil {
		return nil, nil, &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: "file", Code: domain.FieldInvalid}}, Cause: err}
	}
	mapping := transfer.ProposeMapping(f.Headers)
	if !f.Format.Header && f.Kind == transfer.KindCSV {
		mapping = make([]transfer.Field, len(f.Headers))
	}
	if st.mapping != nil {
		for i := range mapping {
			mapping[i] = st.mapping[i]
			if !transfer.ValidField(mapping[i]) {
				mapping[i] = transfer.FieldIgnore
			}
		}
	}
	return f, mapping, nil
}

// page fills the format, columns and options of a step.
func (s *Server) importPageOf(token string, f *transfer.File, mapping []transfer.Field, st importSettings) importPage {
	p := importPage{Token: token, FileKind: string(f.Kind), Key: string(st.opts.Key), Existing: string(st.opts.Existing),
		CreateGroups: st.opts.CreateGroups, Hidden: url.Values{},
		Keys:     []string{string(app.KeyReference), string(app.KeyTaxID), string(app.KeyEmail)},
		Policies: []string{string(app.ExistingSkip), string(app.ExistingUpdate), string(app.ExistingRefuse)}}
	if p.Key == "" {
		p.Key = string(app.KeyReference)
	}
	if p.Existing == "" {
		p.Existing = string(app.ExistingSkip)
	}
	p.Delimiter = transfer.DelimiterName(f.Format.Delimiter)
	p.Encoding = string(f.Format.Encoding)
	p.Header = "no"
	if f.Format.Header || f.Kind == transfer.KindXLSX {
		p.Header = "yes"
	}
	for _, fl := range transfer.ImportFields() {
		p.Fields = append(p.Fields, string(fl))
	}
	for i, h := range f.Headers {
		p.Columns = append(p.Columns, importColumn{Index: i, Header: h, Field: string(mapping[i])})
		p.Hidden.Set("map."+strconv.Itoa(i), string(mapping[i]))
	}
	if f.Kind == transfer.KindCSV {
		p.Hidden.Set("delimiter", p.Delimiter)
		p.Hidden.Set("encoding", p.Encoding)
	}
	p.Hidden.Set("header", p.Header)
	p.Hidden.Set("key", p.Key)
	p.Hidden.Set("existing", p.Existing)
	if p.CreateGroups {
		p.Hidden.Set("create_groups", "on")
	}
	return p
}

// customerImportMap is step 1: the format found (changeable), the first rows, and the
// proposed mapping of columns to fields (changeable), with the options.
func (s *Server) customerImportMap(w http.ResponseWriter, r *http.Request, rq *request) error {
	token := r.PathValue("token")
	st := readImportSettings(r.URL.Query())
	f, mapping, err := s.openImport(rq, token, st)
	if err != nil {
		return err
	}
	defer f.Close()
	page := s.importPageOf(token, f, mapping, st)
	page.Step = 1
	for len(page.Preview) < previewRows {
		_, cells, err := f.Rows.Next()
		if err != nil {
			break
		}
		row := make([]string, len(f.Headers))
		copy(row, cells)
		page.Preview = append(page.Preview, row)
	}
	return s.render(w, r, rq, http.StatusOK, "customer_import", page)
}

// customerImportCheck is step 2 (dry run) and customerImportRun step 3 (the import).
func (s *Server) customerImportCheck(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.customerImportDo(w, r, rq, true)
}

func (s *Server) customerImportRun(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.customerImportDo(w, r, rq, false)
}

func (s *Server) customerImportDo(w http.ResponseWriter, r *http.Request, rq *request, dry bool) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	token := r.PathValue("token")
	st := readImportSettings(r.PostForm)
	f, mapping, err := s.openImport(rq, token, st)
	if err != nil {
		return err
	}
	defer f.Close()
	page := s.importPageOf(token, f, mapping, st)
	page.Step = 3
	if dry {
		page.Step = 2
	}
	// The refused rows go to a file beside the upload, for the download.
	rejectsPath := importPath(rq, token) + ".rejects.csv"
	rf, err := os.Create(rejectsPath)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	defer rf.Close()
	if _, err := rf.Write([]byte{0xEF, 0xBB, 0xBF}); err != nil {
		return fmt.Errorf("import: %w", err)
	}
	cw := csv.NewWriter(rf)
	if f.Format.Header || f.Kind == transfer.KindXLSX {
		if err := cw.Write(append(append([]string{}, f.Headers...), "line", "reason")); err != nil {
			return fmt.Errorf("import: %w", err)
		}
	}
	opts := st.opts
	opts.Mapping, opts.DryRun, opts.FileName = mapping, dry, "web upload"
	opts.OnRefused = func(rr app.RefusedRow) error {
		cells := make([]string, len(f.Headers))
		copy(cells, rr.Cells)
		return cw.Write(append(cells, strconv.Itoa(rr.Line), rr.Reason()))
	}
	_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(30 * time.Minute))
	rep, err := s.app.ImportCustomers(r.Context(), rq.p, f.Rows, opts)
	cw.Flush()
	if err != nil {
		if problems := fieldProblems(err); problems != nil {
			page.Step = 1
			page.Message = s.msgs.T(rq.lang, "import.cannot_read", nil)
			var parts []string
			for _, p := range problems {
				parts = append(parts, p.Field+": "+s.msgs.T(rq.lang, "field."+p.Code, p.Params))
			}
			page.Message += " " + strings.Join(parts, "; ")
			return s.render(w, r, rq, http.StatusUnprocessableEntity, "customer_import", page)
		}
		return err
	}
	page.Report = &rep
	for _, rr := range rep.RefusedRows {
		for _, p := range rr.Problems {
			page.Refusals = append(page.Refusals, importRefusal{Line: rr.Line, Field: p.Field, Reason: s.msgs.T(rq.lang, "field."+p.Code, p.Params)})
		}
	}
	if rep.Refused > 0 {
		page.RejectsHref = "/customers/import/files/" + token + "/rejects.csv"
	}
	if !dry {
		s.log.Info("customers imported", slog.Int64("rows", rep.Rows), slog.Int64("created", rep.Created),
			slog.Int64("updated", rep.Updated), slog.Int64("refused", rep.Refused))
	}
	return s.render(w, r, rq, http.StatusOK, "customer_import", page)
}

// customerImportRejects downloads the refused rows of the last check or import of an upload.
func (s *Server) customerImportRejects(w http.ResponseWriter, r *http.Request, rq *request) error {
	path := importPath(rq, r.PathValue("token"))
	if path == "" {
		return domain.Errorf(domain.CodeNotFound)
	}
	f, err := os.Open(path + ".rejects.csv")
	if err != nil {
		return domain.Errorf(domain.CodeNotFound)
	}
	defer f.Close()
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": "rechazados.csv"}))
	w.Header().Set("Cache-Control", "no-store")
	_, err = io.Copy(w, f)
	return err
}
