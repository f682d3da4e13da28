package web

import (
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
)

// backupsPage is the admin's backups page (issue 12): the copies in the backups folder with
// their check, "back up now", a download link for each, the daily hour and how many to keep.
type backupsPage struct {
	form
	View    app.BackupsView
	Message string // why "back up now" failed
}

var backupFormFields = []formField{{"at", "backups.at", ""}, {"keep", "backups.keep", ""}}

// SizeText writes a size in the page's units ("1,8 MiB").
func (p backupsPage) SizeText(n int64) string { return sizeText(n) }

// Took writes how long a copy took in seconds with one decimal.
func (p backupsPage) Took(ms int64) string {
	return strconv.FormatInt(ms/1000, 10) + "." + strconv.FormatInt(ms%1000/100, 10) + " s"
}

func sizeText(n int64) string {
	units := []string{"B", "KiB", "MiB", "GiB", "TiB"}
	i, div := 0, int64(1)
	for n/div >= 1024 && i < len(units)-1 {
		div *= 1024
		i++
	}
	if i == 0 {
		return strconv.FormatInt(n, 10) + " B"
	}
	tenths := n * 10 / div
	return strconv.FormatInt(tenths/10, 10) + "," + strconv.FormatInt(tenths%10, 10) + " " + units[i]
}

func (s *Server) backupsList(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.renderBackups(w, r, rq, http.StatusOK, backupsPage{})
}

func (s *Server) renderBackups(w http.ResponseWriter, r *http.Request, rq *request, status int, page backupsPage) error {
	v, err := s.app.Backups(r.Context(), rq.p)
	if err != nil {
		return err
	}
	page.View = v
	if page.Values == nil {
		page.Values = map[string]string{"at": v.At, "keep": strconv.Itoa(v.Keep)}
	}
	s.summarize(rq, &page.form, backupFormFields)
	return s.render(w, r, rq, status, "backups", page)
}

// backupNow takes a copy at once; it runs in the request, which waits for the copy and its
// check (seconds for a small shop, about a minute for a million customers).
func (s *Server) backupNow(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(30 * time.Minute))
	res, err := s.app.BackupNow(r.Context(), rq.p, rq.p.Username)
	switch {
	case err == nil:
		s.setFlash(w, r, "flash.backup_taken", map[string]any{"file": res.Record.File})
		http.Redirect(w, r, "/settings/backups", http.StatusSeeOther)
		return nil
	case domain.ErrorCode(err) == domain.CodeForbidden || domain.ErrorCode(err) == domain.CodeUnauthenticated:
		return err
	case domain.ErrorCode(err) == domain.CodeConflict:
		return s.renderBackups(w, r, rq, http.StatusConflict, backupsPage{Message: s.msgs.T(rq.lang, "backups.unavailable", nil)})
	default: // logged by the use case, kept in the status the page shows
		return s.renderBackups(w, r, rq, http.StatusInternalServerError, backupsPage{Message: s.msgs.T(rq.lang, "backups.failed_now", nil)})
	}
}

func (s *Server) backupSettingsSave(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	values := map[string]string{"at": strings.TrimSpace(r.PostForm.Get("at")), "keep": strings.TrimSpace(r.PostForm.Get("keep"))}
	keep, perr := strconv.Atoi(values["keep"])
	if perr != nil {
		keep = -1
	}
	err := s.app.SetBackupSettings(r.Context(), rq.p, values["at"], keep)
	if err == nil {
		s.setFlash(w, r, "flash.backup_settings_saved", nil)
		http.Redirect(w, r, "/settings/backups", http.StatusSeeOther)
		return nil
	}
	problems := fieldProblems(err)
	if problems == nil {
		return err
	}
	page := backupsPage{form: form{Values: values, Errors: s.fieldMessages(rq, problems)}}
	return s.renderBackups(w, r, rq, problemStatus(problems), page)
}

// backupDownload sends one copy; the use case audits it.
func (s *Server) backupDownload(w http.ResponseWriter, r *http.Request, rq *request) error {
	f, rec, err := s.app.OpenBackup(r.Context(), rq.p, r.PathValue("name"))
	if err != nil {
		return err
	}
	defer f.Close()
	h := w.Header()
	h.Set("Content-Type", "application/vnd.sqlite3")
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": rec.File}))
	h.Set("Content-Length", strconv.FormatInt(rec.Size, 10))
	h.Set("Cache-Control", "no-store")
	_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(time.Hour))
	w.WriteHeader(http.StatusOK)
	_, _ = io.Copy(w, f) // an error here means the browser went away
	return nil
}
