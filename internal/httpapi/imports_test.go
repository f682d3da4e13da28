package httpapi_test

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"github.com/clientela/clientela/internal/domain"
)

// importReport is the answer of POST /api/v1/imports, as the tests read it.
type importReport struct {
	DryRun bool `json:"dry_run"`
	File   struct {
		Name, Kind, Delimiter, Encoding string
		Header                          bool
	} `json:"file"`
	Columns []struct {
		Index         int
		Header, Field string
	} `json:"columns"`
	Rows, Created, Updated, Unchanged, Skipped, Refused int64
	GroupsCreated                                       []string `json:"groups_created"`
	RefusedRows                                         []struct {
		Line     int
		Cells    []string
		Problems []struct{ Field, Code, Message string }
	} `json:"refused_rows"`
}

func (e *apiEnv) postImport(t *testing.T, role domain.Role, name string, file []byte, fields ...string) (response, importReport) {
	t.Helper()
	r := e.do(t, "POST /api/v1/imports", req{method: "POST", path: "/api/v1/imports", role: role, body: multipartForm(t, name, file, fields...)})
	var rep importReport
	if r.status == http.StatusOK {
		r.json(t, &rep)
	}
	return r, rep
}

// A shop's CSV as Excel saves it on a Spanish Windows: Windows-1252, semicolons, decimal
// commas. Dry run, import, the same file again (nothing changes), then an update.
func TestImportAPIWindows1252(t *testing.T) {
	text := "Nombre;Apellidos;NIF;E-mail;Teléfono;Código postal;Población;Límite de crédito;Tarjeta\r\n" +
		"María;Núñez Gil;12345678Z;maria@example.com;600 11 22 33;28001;Madrid;1.500,50;IMP-001\r\n" +
		"José;Peña;;jose@example;611223344;08001;Barcelona;0,00;IMP-002\r\n" +
		"Íñigo;Arregui;;inigo@example.com;;48001;Bilbao;;IMP-003\r\n"
	win, err := charmap.Windows1252.NewEncoder().Bytes([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	eachBackend(t, func(t *testing.T, e *apiEnv) {
		r, rep := e.postImport(t, domain.RoleManager, "clientes.csv", win, "dry_run", "true")
		if r.status != http.StatusOK {
			t.Fatalf("dry run: %d %s", r.status, r.body)
		}
		if !rep.DryRun || rep.File.Encoding != "windows-1252" || rep.File.Delimiter != ";" || !rep.File.Header || rep.Rows != 3 || rep.Created != 2 || rep.Refused != 1 {
			t.Fatalf("dry run report: %s", r.body)
		}
		if rep.Columns[4].Header != "Teléfono" || rep.Columns[4].Field != "phone" || rep.Columns[7].Field != "credit_limit" {
			t.Errorf("mapping: %+v", rep.Columns)
		}
		if rr := rep.RefusedRows[0]; rr.Line != 3 || rr.Problems[0].Field != "email" || rr.Problems[0].Message == "" || rr.Cells[0] != "José" {
			t.Errorf("refused row: %+v", rr)
		}
		if r := e.do(t, "GET /api/v1/customers", req{method: "GET", path: "/api/v1/customers?q=Núñez", role: domain.RoleManager}); strings.Contains(string(r.body), "María") {
			t.Fatal("a dry run created a customer")
		}

		r, rep = e.postImport(t, domain.RoleAdmin, "clientes.csv", win)
		if r.status != http.StatusOK || rep.DryRun || rep.Created != 2 || rep.Refused != 1 {
			t.Fatalf("import: %d %s", r.status, r.body)
		}
		r = e.do(t, "GET /api/v1/customers/by-reference/{reference}", req{method: "GET", path: "/api/v1/customers/by-reference/IMP-001", role: domain.RoleCashier})
		c := r.obj(t)
		if c["first_name"] != "María" || c["last_name"] != "Núñez Gil" || c["phone"] != "+34600112233" || c["credit_limit_cents"] != float64(150050) {
			t.Errorf("imported: %s", r.body)
		}

		// The same file again: every row matched by its card, nothing changes.
		_, rep = e.postImport(t, domain.RoleManager, "clientes.csv", win, "existing", "update")
		if rep.Created != 0 || rep.Updated != 0 || rep.Unchanged != 2 || rep.Refused != 1 {
			t.Errorf("second run: %+v", rep)
		}
		// A changed city, mapped by column number through a JSON mapping; the NIF ignored.
		changed := strings.Replace(text, "Madrid", "Alcalá", 1)
		win2, _ := charmap.Windows1252.NewEncoder().Bytes([]byte(changed))
		r, rep = e.postImport(t, domain.RoleManager, "clientes.csv", win2, "existing", "update", "mapping", `{"7":"city","NIF":""}`)
		if rep.Updated != 1 || rep.Unchanged != 1 || rep.Columns[2].Field != "" {
			t.Errorf("update: %s", r.body)
		}
		r = e.do(t, "GET /api/v1/customers/by-reference/{reference}", req{method: "GET", path: "/api/v1/customers/by-reference/IMP-001", role: domain.RoleCashier})
		if c := r.obj(t); c["address"].(map[string]any)["city"] != "Alcalá" || c["tax_id"] != "12345678Z" || c["version"] != float64(2) {
			t.Errorf("after the update: %s", r.body)
		}
		// existing=refuse: the matched rows are refused with the field that matched.
		_, rep = e.postImport(t, domain.RoleManager, "clientes.csv", win, "existing", "refuse", "dry_run", "true")
		if rep.Refused != 3 || rep.RefusedRows[0].Problems[0].Field != "reference" || rep.RefusedRows[0].Problems[0].Code != "exists" {
			t.Errorf("refuse: %+v", rep)
		}
	})
}

// A file without a header, mapped by column number; errors name their field.
func TestImportAPIMappingAndErrors(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *apiEnv) {
		file := []byte("Ana,García,ana.g@example.com\nLuis,Pérez,luis.p@example.com\n")
		r, rep := e.postImport(t, domain.RoleManager, "sin-cabecera.csv", file, "map", "1=first_name", "map", "2=last_name", "map", "3=email")
		if r.status != http.StatusOK || rep.File.Header || rep.Created != 2 || rep.Columns[0].Header != "1" {
			t.Fatalf("headerless: %d %s", r.status, r.body)
		}
		for _, tc := range []struct {
			fields []string
			status int
			field  string
		}{
			{[]string{"map", "9=email"}, 422, "map"},
			{[]string{"map", "1=shoe_size"}, 422, "map"},
			{[]string{"map", "1"}, 422, "map"},
			{[]string{"mapping", `["email"]`}, 400, "mapping"},
			{[]string{"key", "phone"}, 422, "key"},
			{[]string{"delimiter", "|"}, 422, "delimiter"},
			{[]string{"encoding", "latin-9"}, 422, "encoding"},
			{[]string{"header", "maybe"}, 422, "header"},
			{[]string{"create_groups", "si"}, 400, "create_groups"},
			{[]string{"dry_run", "true", "dry_run", "false"}, 400, "dry_run"},
			{[]string{"sheet", "2"}, 400, "sheet"},
			{[]string{"header", "no", "mapping", `{}`}, 422, "mapping"}, // nothing mapped
		} {
			r, _ := e.postImport(t, domain.RoleManager, "x.csv", file, tc.fields...)
			if fields := r.errorFields(t); r.status != tc.status || len(fields) == 0 || !strings.HasPrefix(fields[0], tc.field+":") {
				t.Errorf("%v: %d %s, want %d naming %s", tc.fields, r.status, r.body, tc.status, tc.field)
			}
		}
		// The file: missing, empty, twice, unreadable.
		r, _ = e.postImport(t, domain.RoleManager, "", nil, "dry_run", "true")
		if r.status != 422 || !strings.HasPrefix(r.errorFields(t)[0], "file:") {
			t.Errorf("no file: %d %s", r.status, r.body)
		}
		r, _ = e.postImport(t, domain.RoleManager, "vacío.csv", []byte{})
		if r.status != 422 || !strings.HasPrefix(r.errorFields(t)[0], "file:") {
			t.Errorf("empty file: %d %s", r.status, r.body)
		}
		r, _ = e.postImport(t, domain.RoleManager, "blank.csv", []byte("\n\n"))
		if r.status != 422 || !strings.HasPrefix(r.errorFields(t)[0], "file:") {
			t.Errorf("a file of blank lines: %d %s", r.status, r.body)
		}
		// Nothing of the refused requests was imported.
		r = e.do(t, "GET /api/v1/customers", req{method: "GET", path: "/api/v1/customers?q=garcia", role: domain.RoleManager})
		if n := strings.Count(string(r.body), `"first_name":"Ana"`); n != 1 {
			t.Errorf("Ana García %d times: %s", n, r.body)
		}
		// A cashier may not import; a manager may not create groups without groups.write? (a
		// manager has it: the group is created).
		r, _ = e.postImport(t, domain.RoleCashier, "x.csv", file, "dry_run", "true")
		if r.status != http.StatusForbidden {
			t.Errorf("cashier: %d", r.status)
		}
		r, rep = e.postImport(t, domain.RoleManager, "g.csv", []byte("Nombre,Grupo\nEva,Mayoristas API\n"), "create_groups", "true")
		if r.status != 200 || len(rep.GroupsCreated) != 1 || rep.GroupsCreated[0] != "Mayoristas API" {
			t.Errorf("groups: %d %s", r.status, r.body)
		}
	})
}

// A phone's contacts (vCard): the fixed columns, a refused card with its BEGIN line.
func TestImportAPIVCard(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "transfer", "testdata", "android-2.1.vcf"))
	if err != nil {
		t.Fatal(err)
	}
	eachBackend(t, func(t *testing.T, e *apiEnv) {
		r, rep := e.postImport(t, domain.RoleManager, "contactos.vcf", data)
		if r.status != http.StatusOK || rep.File.Kind != "vcf" || !rep.File.Header || rep.Rows != 4 || rep.Created != 3 || rep.Refused != 1 {
			t.Fatalf("vCard: %d %s", r.status, r.body)
		}
		if rep.Columns[3].Header != "first_name" || rep.Columns[3].Field != "first_name" || rep.File.Delimiter != "" {
			t.Errorf("columns: %+v", rep.Columns)
		}
		if rr := rep.RefusedRows[0]; rr.Line != 23 || rr.Problems[0].Field != "phone" || rr.Cells[3] != "Ángela" {
			t.Errorf("refused card: %+v", rr)
		}
		r = e.do(t, "GET /api/v1/customers", req{method: "GET", path: "/api/v1/customers?q=ferreteria", role: domain.RoleCashier})
		if !strings.Contains(string(r.body), `"company_name":"Ferretería La Llave"`) || !strings.Contains(string(r.body), `"phone":"+34963112233"`) {
			t.Errorf("the company: %s", r.body)
		}
	})
}
