package web_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/auth"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/i18n"
	"github.com/clientela/clientela/internal/server"
	"github.com/clientela/clientela/internal/testdb"
)

// newBackupEnv is newEnv with serve's backups folder.
func newBackupEnv(t *testing.T, b testdb.Backend, dir string) *env {
	t.Helper()
	db := testdb.Open(t, b)
	fast := auth.Params{MemoryKiB: 1024, Time: 1, Threads: 1}
	a := app.New(app.Config{Store: db, PasswordParams: &fast, Backups: app.BackupConfig{Dir: dir}})
	h, err := server.Handler(a, i18n.New(), slog.New(slog.DiscardHandler), server.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	e := &env{t: t, url: srv.URL, app: a, db: db, ids: map[domain.Role]string{}}
	for _, role := range []domain.Role{domain.RoleAdmin, domain.RoleManager, domain.RoleCashier} {
		u, err := a.AddUser(context.Background(), app.System(), string(role), role, testPassword)
		if err != nil {
			t.Fatalf("add user: %v", err)
		}
		e.ids[role] = u.ID
	}
	return e
}

func (e *env) auditCount(action string) int {
	e.t.Helper()
	var n int
	if err := e.db.SQL().QueryRow(e.db.Rebind("SELECT count(*) FROM audit_log WHERE action = ?"), action).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// TestBackupsPage: an admin takes a copy now, sees it with its check, downloads it (audited);
// other roles cannot; a failed copy puts a banner on every admin page until one succeeds; the
// schedule keeps the newest N and one process takes a day's copy.
func TestBackupsPage(t *testing.T) {
	for _, b := range testdb.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(t.TempDir(), "backups")
			e := newBackupEnv(t, b, dir)
			admin := e.loggedIn(domain.RoleAdmin)
			for _, role := range []domain.Role{domain.RoleManager, domain.RoleCashier} {
				other := e.loggedIn(role)
				wantStatus(t, other.get("/settings/backups"), http.StatusForbidden)
				wantStatus(t, other.post("/settings/backups/now", url.Values{}), http.StatusForbidden)
				wantStatus(t, other.post("/settings/backups", url.Values{"at": {"04:00"}, "keep": {"3"}}), http.StatusForbidden)
			}
			if b.Name != "sqlite" {
				page := admin.get("/settings/backups")
				wantStatus(t, page, http.StatusOK)
				wantContains(t, page, `data-backups="postgres"`, "pg_dump")
				return
			}
			page := admin.get("/settings/backups")
			wantStatus(t, page, http.StatusOK)
			wantContains(t, page, "Todavía no hay copias", "03:00", dir)

			e.mustCreateCustomer(domain.CustomerChanges{Kind: domain.Some(domain.KindPerson), FirstName: domain.Some("Ana"), LastName: domain.Some("Pérez")})
			res := admin.post("/settings/backups/now", url.Values{})
			wantStatus(t, res, http.StatusSeeOther)
			page = admin.get("/settings/backups")
			wantContains(t, page, "hecha y comprobada", `data-check="ok"`, `data-backup-status="ok"`)
			m := regexp.MustCompile(`data-backup="(clientela-[^"]+\.db)"`).FindStringSubmatch(page.body)
			if m == nil {
				t.Fatalf("no copy listed:\n%s", page.body)
			}
			name := m[1]

			// Download: the SQLite file, audited; others and other paths are refused.
			for _, role := range []domain.Role{domain.RoleManager, domain.RoleCashier} {
				wantStatus(t, e.loggedIn(role).get("/settings/backups/"+name), http.StatusForbidden)
			}
			if n := e.auditCount(domain.ActionBackupDownload); n != 0 {
				t.Fatalf("downloads audited before any: %d", n)
			}
			dl := admin.get("/settings/backups/" + name)
			wantStatus(t, dl, http.StatusOK)
			if !strings.HasPrefix(dl.body, "SQLite format 3\x00") || !strings.Contains(dl.header.Get("Content-Disposition"), name) {
				t.Fatalf("download: %q %q", dl.header.Get("Content-Disposition"), dl.body[:16])
			}
			if n := e.auditCount(domain.ActionBackupDownload); n != 1 {
				t.Fatalf("download audited %d times", n)
			}
			wantStatus(t, admin.get("/settings/backups/"+name+".json"), http.StatusNotFound)
			wantStatus(t, admin.get("/settings/backups/..%2Fclientela.db"), http.StatusNotFound)
			wantStatus(t, admin.get("/settings/backups/clientela-nothing.db"), http.StatusNotFound)

			// The schedule's settings: bad input names the field; then keep 2.
			res = admin.post("/settings/backups", url.Values{"at": {"25:00"}, "keep": {"0"}})
			wantStatus(t, res, http.StatusUnprocessableEntity)
			wantContains(t, res, `id="e-at"`, `id="e-keep"`)
			wantStatus(t, admin.post("/settings/backups", url.Values{"at": {"04:30"}, "keep": {"2"}}), http.StatusSeeOther)
			wantContains(t, admin.get("/settings/backups"), `value="04:30"`)

			// The daily copy: one process claims the day; a second asking for it takes none.
			ctx := context.Background()
			day := time.Date(2030, 1, 2, 4, 30, 0, 0, time.Local)
			if taken, err := e.app.DailyBackup(ctx, day); err != nil || !taken {
				t.Fatalf("daily backup: %v %v", taken, err)
			}
			other := app.New(app.Config{Store: e.db, Backups: app.BackupConfig{Dir: dir}})
			if taken, err := other.DailyBackup(ctx, day); err != nil || taken {
				t.Fatalf("a second process took the same day's copy: %v %v", taken, err)
			}
			if taken, err := other.DailyBackup(ctx, day.AddDate(0, 0, 1)); err != nil || !taken {
				t.Fatalf("next day: %v %v", taken, err)
			}
			v, err := e.app.Backups(ctx, app.System())
			if err != nil || len(v.Copies) != 2 {
				t.Fatalf("kept %d copies, want 2 (%v)", len(v.Copies), err)
			}
			if _, err := os.Stat(filepath.Join(dir, name)); !os.IsNotExist(err) {
				t.Fatalf("the oldest copy was not removed: %v", err)
			}

			// A failure: the folder cannot be written. The banner shows on every admin page.
			if err := os.RemoveAll(dir); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(dir, []byte("not a folder"), 0o600); err != nil {
				t.Fatal(err)
			}
			if _, err := e.app.DailyBackup(ctx, day.AddDate(0, 0, 2)); err == nil {
				t.Fatal("a backup into a file that is not a folder succeeded")
			}
			for _, path := range []string{"/customers", "/settings/account", "/settings/backups"} {
				wantContains(t, admin.get(path), "data-backup-alert", "ha fallado")
			}
			wantNotContains(t, e.loggedIn(domain.RoleManager).get("/customers"), "data-backup-alert")
			en := e.loggedIn(domain.RoleAdmin)
			en.lang = "en"
			wantContains(t, en.get("/customers"), "The last backup", "failed")

			// Until one succeeds.
			if err := os.Remove(dir); err != nil {
				t.Fatal(err)
			}
			wantStatus(t, admin.post("/settings/backups/now", url.Values{}), http.StatusSeeOther)
			wantNotContains(t, admin.get("/customers"), "data-backup-alert")
		})
	}
}
