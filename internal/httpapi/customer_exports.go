package httpapi

import (
	"io"
	"log/slog"
	"mime"
	"net/http"
	"time"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
)

var customerExportTypes = map[string]string{
	"csv":  "text/csv; charset=utf-8",
	"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"vcf":  "text/vcard; charset=utf-8",
}

// exportCustomers streams the register, a search (q), a group (group_id) or a selection (id,
// repeated) as CSV, .xlsx or vCard (docs/import-export.md).
func (s *Server) exportCustomers(w http.ResponseWriter, r *http.Request, p domain.Principal) error {
	q := r.URL.Query()
	ce := app.CustomerExport{Format: q.Get("format"), Q: q.Get("q"), GroupID: q.Get("group_id"), IDs: q["id"]}
	if ce.Format == "" {
		ce.Format = "csv"
	}
	started := false
	_, err := s.app.ExportCustomers(r.Context(), p, ce, func(name string) (io.Writer, error) {
		w.Header().Set("Content-Type", customerExportTypes[ce.Format])
		w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
		w.Header().Set("Cache-Control", "no-store")
		_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(exportWriteTime))
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
