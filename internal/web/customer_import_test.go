package web_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/transfer"
)

// upload sends a file the way the import page's form does.
func (b *browser) upload(path, name string, data []byte) answer {
	b.e.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		b.e.t.Fatal(err)
	}
	fw.Write(data)
	mw.Close()
	req, err := http.NewRequest(http.MethodPost, b.e.url+path, &body)
	if err != nil {
		b.e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", b.e.url)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return b.do(req)
}

// TestImportPages walks the import's three steps as a manager: the upload, the format and
// mapping proposed (and changed), the dry run with its refused rows and their download, the
// import; then the export page's CSV.
func TestImportPages(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		m := e.loggedIn(domain.RoleManager)
		wantStatus(t, m.get("/customers/import"), http.StatusOK)
		file := "Prénom;Nom;Courriel;Ville;Carte\nJosé;Núñez;jose@example.com;Lyon;K-1\nAna;Peña;pas-un-courriel;Lyon;K-2\n"
		a := m.upload("/customers/import", "clients.csv", []byte(file))
		wantStatus(t, a, http.StatusSeeOther)
		step1 := a.header.Get("Location")
		if !strings.HasPrefix(step1, "/customers/import/files/") {
			t.Fatalf("upload went to %q", step1)
		}
		token := strings.TrimPrefix(step1, "/customers/import/files/")
		t.Cleanup(func() { // the upload and its refused rows, in the system's temporary folder
			files, _ := filepath.Glob(filepath.Join(os.TempDir(), "clientela-imports", "*-"+token+"*"))
			for _, f := range files {
				os.Remove(f)
			}
		})
		a = m.get(step1)
		wantStatus(t, a, http.StatusOK)
		wantContains(t, a, `<option value=";" selected>`, `<option value="utf-8" selected>`, "<th scope=\"col\">Prénom</th>",
			`name="map.0"`, `<option value="first_name" selected>`, `<option value="last_name" selected>`, `<option value="city" selected>`, "José")
		// The user ignores the city column.
		form := url.Values{"delimiter": {";"}, "encoding": {"utf-8"}, "header": {"yes"}, "map.0": {"first_name"}, "map.1": {"last_name"},
			"map.2": {"email"}, "map.3": {""}, "map.4": {"reference"}, "key": {"reference"}, "existing": {"skip"}}
		a = m.post(step1+"/check", form)
		wantStatus(t, a, http.StatusOK)
		wantContains(t, a, `<dd id="count-rows">2</dd>`, `<dd id="count-created">1</dd>`, `<dd id="count-refused">1</dd>`,
			"<td>3</td><td>email</td>", step1+"/rejects.csv", `name="map.3" value=""`)
		rejects := m.get(step1 + "/rejects.csv")
		wantStatus(t, rejects, http.StatusOK)
		if !strings.Contains(rejects.body, "Ana,Peña,pas-un-courriel,Lyon,K-2,3,email: invalid") {
			t.Errorf("rejects file:\n%s", rejects.body)
		}
		if page, _ := e.app.Customers(t.Context(), app.System(), app.CustomerQuery{}); len(page.Customers) != 0 {
			t.Fatalf("the dry run created customers")
		}
		a = m.post(step1+"/run", form)
		wantStatus(t, a, http.StatusOK)
		wantContains(t, a, `<dd id="count-created">1</dd>`)
		c, err := e.app.CustomerByReference(t.Context(), app.System(), "K-1")
		if err != nil || c.FirstName != "José" || c.Address.City != "" {
			t.Fatalf("imported %+v %v", c, err)
		}
		// Another user cannot read the upload.
		other := e.loggedIn(domain.RoleAdmin)
		wantStatus(t, other.get(step1), http.StatusNotFound)

		ex := m.get("/customers/export/file?format=csv")
		wantStatus(t, ex, http.StatusOK)
		if !strings.Contains(ex.body, ",José,Núñez,") || ex.header.Get("Content-Disposition") != `attachment; filename=clientes.csv` {
			t.Errorf("export: %v\n%s", ex.header, ex.body)
		}
		wantContains(t, m.get("/customers/export"), "/customers/export/file?format=xlsx")
		// A cashier may do neither.
		wantStatus(t, e.loggedIn(domain.RoleCashier).get("/customers/import"), http.StatusForbidden)
	})
}

// TestImportPagesVCard: a phone's contacts go through the same steps, in the vCard's fixed
// columns (shown, and changeable), a refused card listed with its BEGIN line.
func TestImportPagesVCard(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "transfer", "testdata", "iphone-3.0.vcf"))
	if err != nil {
		t.Fatal(err)
	}
	eachBackend(t, func(t *testing.T, e *env) {
		m := e.loggedIn(domain.RoleManager)
		a := m.upload("/customers/import", "contactos.vcf", data)
		wantStatus(t, a, http.StatusSeeOther)
		step1 := a.header.Get("Location")
		token := strings.TrimPrefix(step1, "/customers/import/files/")
		t.Cleanup(func() {
			files, _ := filepath.Glob(filepath.Join(os.TempDir(), "clientela-imports", "*-"+token+"*"))
			for _, f := range files {
				os.Remove(f)
			}
		})
		a = m.get(step1)
		wantStatus(t, a, http.StatusOK)
		wantContains(t, a, "Fichero vCard (contactos)", `<th scope="col">first_name</th>`, `<option value="phone" selected>`, "María José", "Talleres Hermanos Pérez S.L.")
		form := url.Values{"header": {"yes"}, "key": {"reference"}, "existing": {"skip"}}
		for i, f := range transferColumns() {
			form.Set("map."+strconv.Itoa(i), f)
		}
		a = m.post(step1+"/run", form)
		wantStatus(t, a, http.StatusOK)
		wantContains(t, a, `<dd id="count-created">3</dd>`, `<dd id="count-refused">1</dd>`, "<td>84</td><td>email</td>")
	})
}

func transferColumns() []string {
	var out []string
	for _, f := range transfer.VCardColumns() {
		out = append(out, string(f))
	}
	return out
}
