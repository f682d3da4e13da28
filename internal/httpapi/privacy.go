package httpapi

import (
	"net/http"
	"time"

	"github.com/clientela/clientela/internal/domain"
)

// privacyExport answers a request for access (GDPR arts. 15, 20): the customer's package,
// whose JSON shape is app.PrivacyPackage's (version 1, docs/privacy.md).
func (s *Server) privacyExport(w http.ResponseWriter, r *http.Request, p domain.Principal) error {
	pkg, err := s.app.PrivacyExport(r.Context(), p, r.PathValue("id"))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, pkg)
	return nil
}

// eraseCustomer answers a request for erasure (GDPR art. 17).
func (s *Server) eraseCustomer(w http.ResponseWriter, r *http.Request, p domain.Principal) error {
	rep, err := s.app.EraseCustomer(r.Context(), p, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rep)
	return nil
}

// privacySettingsJSON is the retention setting with what a run would anonymise now.
type privacySettingsJSON struct {
	RetentionYears int        `json:"retention_years"`
	Before         string     `json:"before"`
	Invoices       int64      `json:"invoices_past_retention"`
	LedgerEntries  int64      `json:"ledger_entries_past_retention"`
	LastRun        *time.Time `json:"last_run"`
}

func (s *Server) writePrivacySettings(w http.ResponseWriter, r *http.Request, p domain.Principal) error {
	rep, err := s.app.RunRetention(r.Context(), p, true)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(int64(rep.Years)))
	writeJSON(w, http.StatusOK, privacySettingsJSON{RetentionYears: rep.Years, Before: rep.Before.Format(time.DateOnly),
		Invoices: rep.Invoices, LedgerEntries: rep.LedgerEntries, LastRun: rep.LastRun})
	return nil
}

func (s *Server) getPrivacySettings(w http.ResponseWriter, r *http.Request, p domain.Principal) error {
	return s.writePrivacySettings(w, r, p)
}

// updatePrivacySettings changes the retention period; the ETag is the period in force.
func (s *Server) updatePrivacySettings(w http.ResponseWriter, r *http.Request, p domain.Principal) error {
	match, err := ifMatch(r)
	if err != nil {
		return err
	}
	obj, err := readObject(w, r)
	if err != nil {
		return err
	}
	f := newFieldReader(obj, "")
	years := f.integer("retention_years")
	if err := f.done(); err != nil {
		return err
	}
	if years.Set {
		n := int(max(min(years.Value, 1000), -1000))
		if err := s.app.SetRetentionYears(r.Context(), p, match, n); err != nil {
			return err
		}
	} else if _, err := s.app.RetentionYears(r.Context(), p); err != nil {
		return err
	}
	return s.writePrivacySettings(w, r, p)
}
