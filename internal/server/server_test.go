package server_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/auth"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/i18n"
	"github.com/clientela/clientela/internal/server"
	"github.com/clientela/clientela/internal/testdb"
)

// TestRequestLogNamesTheRouteNotTheURL: each request is logged with its route pattern and
// the user's id, never the query string (it carries customers' names and phones).
func TestRequestLogNamesTheRouteNotTheURL(t *testing.T) {
	db := testdb.Open(t, testdb.Backend{Name: "sqlite"})
	fast := auth.Params{MemoryKiB: 1024, Time: 1, Threads: 1}
	a := app.New(app.Config{Store: db, PasswordParams: &fast})
	var logs bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	h, err := server.Handler(a, i18n.New(), log, server.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	u, err := a.AddUser(context.Background(), app.System(), "ana", domain.RoleCashier, "a long enough password")
	if err != nil {
		t.Fatal(err)
	}
	token, err := a.CreateAPIToken(context.Background(), app.System(), "ana", "till")
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/v1/customers?q=maria+garcia+612345678", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	res, err = http.Get(srv.URL + "/customers?q=maria")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	out := logs.String()
	for _, want := range []string{`"route":"GET /api/v1/customers"`, `"user_id":"` + u.ID + `"`, `"status":200`, `"route":"GET /customers"`} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %s:\n%s", want, out)
		}
	}
	for _, secret := range []string{"maria", "garcia", "612345678", token} {
		if strings.Contains(out, secret) {
			t.Errorf("log contains %q:\n%s", secret, out)
		}
	}
}
