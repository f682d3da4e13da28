package web

import (
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"os"
	"time"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
)

type exportCustomersPage struct {
	Q, GroupID string
	Groups     []domain.Group
	Message    string
	Href       map[string]string // format → download link
}

// customerExport is the manager's page of the customers export: the register, a search or a
// group, as CSV, .xlsx or vCard.
func (s *Server) customerExport(w http.ResponseWriter, r *http.Request, rq *request) error {
	groups, err := s.app.GroupChoices(r.Context(), rq.p)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	page := exportCustomersPage{Q: q.Get("q"), GroupID: q.Get("group_id"), Groups: groups, Href: map[string]string{}}
	for _, f := range []string{"csv", "xlsx", "vcf"} {
		v := url.Values{"format": {f}}
		if page.Q != "" {
			v.Set("q", page.Q)
		}
		if page.GroupID != "" {
			v.Set("group_id", page.GroupID)
		}
		page.Href[f] = "/customers/export/file?" + v.Encode()
	}
	return s.render(w, r, rq, http.StatusOK, "customer_export", page)
}

var exportTypes = map[string]string{
	"csv":  "text/csv; charset=utf-8",
	"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"vcf":  "text/vcard; charset=utf-8",
}

// customerExportFile streams an export; id (repeatable) exports those customers only (a
// customer's vCard). Once sending has begun a failure cuts the connection.
func (s *Server) customerExportFile(w http.ResponseWriter, r *http.Request, rq *request) error {
	q := r.URL.Query()
	ce := app.CustomerExport{Format: q.Get("format"), Q: q.Get("q"), GroupID: q.Get("group_id"), IDs: q["id"], TmpDir: os.TempDir()}
	started := false
	_, err := s.app.ExportCustomers(r.Context(), rq.p, ce, func(name string) (io.Writer, error) {
		w.Header().Set("Content-Type", exportTypes[ce.Format])
		w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
		w.Header().Set("Cache-Control", "no-store")
		_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(30 * time.Minute))
		w.WriteHeader(http.StatusOK)
		started = true
		return w, nil
	})
	if err != nil && started {
		s.log.Warn("customers export cut short", slog.String("error", err.Error()))
		panic(http.ErrAbortHandler)
	}
	return err
}
