package app_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/store/sqlstore"
	"github.com/clientela/clientela/internal/testdb"
	"github.com/clientela/clientela/internal/transfer"
)

// importText imports CSV text (header sniffed) with opts, the proposed mapping unless given.
func importText(t *testing.T, a *app.App, text string, opts app.ImportOptions) app.ImportReport {
	t.Helper()
	rep, err := tryImport(a, text, opts)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func tryImport(a *app.App, text string, opts app.ImportOptions) (app.ImportReport, error) {
	f := transfer.Sniff([]byte(text))
	rows := transfer.OpenCSV(strings.NewReader(text), f)
	_, header, err := rows.Next()
	if err != nil {
		return app.ImportReport{}, err
	}
	if opts.Mapping == nil {
		opts.Mapping = transfer.ProposeMapping(header)
	}
	return a.ImportCustomers(context.Background(), app.System(), rows, opts)
}

func counts(r app.ImportReport) string {
	return fmt.Sprintf("rows %d created %d updated %d unchanged %d skipped %d refused %d", r.Rows, r.Created, r.Updated, r.Unchanged, r.Skipped, r.Refused)
}

const shopFile = "Nombre;Apellidos;NIF;Razón social;E-mail;Teléfono;Código postal;Población;Tarjeta;Grupo;Límite de crédito\n" +
	"Ana;García;12345678Z;;ana@example.com;600111222;28001;Madrid;C-1;VIP;1.500,00\n" +
	";;B12345674;Talleres Pérez;taller@example.com;;36201;Vigo;C-2;;\n" +
	"Luis;;;;not-an-email;;;;C-3;;\n" + // line 4: e-mail refused
	";;;;;;;;C-4;;\n" + // line 5: no name
	"Eva;Gil;;;eva@example.com;;;;C-1;;\n" + // line 6: same card as line 2
	"Marta;Ruiz;;;marta@example.com;;;;C-6;Mayoristas;\n" // line 7: unknown group

func TestImportDryRunAndPolicies(t *testing.T) {
	for _, b := range testdb.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			a := app.New(app.Config{Store: testdb.Open(t, b), PasswordParams: &fast})
			ctx, sys := context.Background(), app.System()
			if _, err := a.CreateGroup(ctx, sys, domain.GroupChanges{Name: domain.Some("VIP")}); err != nil {
				t.Fatal(err)
			}
			dry := importText(t, a, shopFile, app.ImportOptions{DryRun: true, BatchSize: 2})
			if got, want := counts(dry), "rows 6 created 2 updated 0 unchanged 0 skipped 0 refused 4"; got != want {
				t.Errorf("dry run: %s, want %s", got, want)
			}
			var refusals []string
			for _, r := range dry.RefusedRows {
				refusals = append(refusals, fmt.Sprintf("%d %s", r.Line, r.Reason()))
			}
			if got, want := strings.Join(refusals, " | "), "4 email: invalid | 5 first_name: required; last_name: required | 6 reference: duplicate_in_file | 7 group: unknown_group"; got != want {
				t.Errorf("refusals %q, want %q", got, want)
			}
			page, _ := a.Customers(ctx, sys, app.CustomerQuery{})
			if len(page.Customers) != 0 {
				t.Fatalf("a dry run created %d customers", len(page.Customers))
			}

			// Refuse; groups created on request.
			var rejects []app.RefusedRow
			rep := importText(t, a, shopFile, app.ImportOptions{Existing: app.ExistingRefuse, CreateGroups: true, BatchSize: 2,
				OnRefused: func(r app.RefusedRow) error { rejects = append(rejects, r); return nil }})
			if got, want := counts(rep), "rows 6 created 3 updated 0 unchanged 0 skipped 0 refused 3"; got != want {
				t.Errorf("import: %s, want %s", got, want)
			}
			if len(rep.GroupsCreated) != 1 || rep.GroupsCreated[0] != "Mayoristas" {
				t.Errorf("groups created %v", rep.GroupsCreated)
			}
			if len(rejects) != 3 || rejects[2].Line != 6 || rejects[2].Problems[0].Code != domain.FieldDuplicate || rejects[2].Cells[0] != "Eva" {
				t.Errorf("rejects %+v", rejects)
			}
			ana, err := a.CustomerByReference(ctx, sys, "c-1")
			if err != nil {
				t.Fatal(err)
			}
			if ana.FirstName != "Ana" || ana.Phone != "+34600111222" || ana.CreditLimitCents != 150000 || ana.GroupID == "" || !ana.InvoiceByEmail {
				t.Errorf("Ana imported as %+v", ana)
			}
			taller, _ := a.CustomerByReference(ctx, sys, "C-2")
			if taller.Kind != domain.KindCompany || taller.CompanyName != "Talleres Pérez" {
				t.Errorf("company imported as %+v", taller)
			}

			// Again: nothing changes (skip and update alike).
			for _, policy := range []app.Existing{app.ExistingSkip, app.ExistingUpdate} {
				rep = importText(t, a, shopFile, app.ImportOptions{Existing: policy, CreateGroups: true})
				if rep.Created != 0 || rep.Updated != 0 {
					t.Errorf("%s again: %s", policy, counts(rep))
				}
			}
			again, _ := a.Customer(ctx, sys, ana.ID)
			if again.Version != ana.Version {
				t.Errorf("re-import changed Ana: version %d → %d", ana.Version, again.Version)
			}

			// Update by e-mail: a changed city is updated, by the key chosen.
			upd := "E-mail,Población\nana@example.com,Toledo\n"
			rep = importText(t, a, upd, app.ImportOptions{Key: app.KeyEmail, Existing: app.ExistingUpdate})
			if got, want := counts(rep), "rows 1 created 0 updated 1 unchanged 0 skipped 0 refused 0"; got != want {
				t.Errorf("update: %s, want %s", got, want)
			}
			again, _ = a.Customer(ctx, sys, ana.ID)
			if again.Address.City != "Toledo" || again.FirstName != "Ana" || again.Kind != domain.KindPerson {
				t.Errorf("after update %+v", again)
			}
			// Skip: nothing changes.
			rep = importText(t, a, "E-mail,Población\nana@example.com,Cuenca\n", app.ImportOptions{Key: app.KeyEmail})
			if rep.Skipped != 1 {
				t.Errorf("skip: %s", counts(rep))
			}
			// Refuse: the row names the customer it matches.
			rep = importText(t, a, "E-mail,Población\nana@example.com,Cuenca\n", app.ImportOptions{Key: app.KeyEmail, Existing: app.ExistingRefuse})
			if rep.Refused != 1 || rep.RefusedRows[0].Problems[0].Code != domain.FieldExists || rep.RefusedRows[0].Problems[0].Params["customer_id"] != ana.ID {
				t.Errorf("refuse: %s %+v", counts(rep), rep.RefusedRows)
			}

			// One audit entry per batch and one for the job.
			entries, err := auditActions(a)
			if err != nil {
				t.Fatal(err)
			}
			if entries[domain.ActionImportCustomers] == 0 || entries[domain.ActionImportCustomersDone] != 6 {
				t.Errorf("audit %v", entries)
			}
		})
	}
}

func auditActions(a *app.App) (map[string]int, error) {
	out := map[string]int{}
	page, err := a.AuditLog(context.Background(), app.System(), app.AuditQuery{Limit: 200})
	for _, e := range page.Entries {
		out[e.Action]++
	}
	return out, err
}

// TestImportNeedsManager: cashiers may not import; a file of which no column is mapped is
// refused; rows without any key are counted apart.
func TestImportNeedsManager(t *testing.T) {
	b := testdb.Backends(t)[0]
	a := app.New(app.Config{Store: testdb.Open(t, b), PasswordParams: &fast})
	_, err := a.ImportCustomers(context.Background(), domain.Principal{UserID: "x", Role: domain.RoleCashier},
		transfer.OpenCSV(strings.NewReader(""), transfer.CSVFormat{Delimiter: ','}), app.ImportOptions{Mapping: []transfer.Field{transfer.FieldFirstName}})
	if domain.ErrorCode(err) != domain.CodeForbidden {
		t.Errorf("cashier import: %v", err)
	}
	// Rows with no key: created, and counted apart (a second run creates them again).
	for range 2 {
		rep, err := tryImport(a, "Nombre;Población\nSolo;Soria\n", app.ImportOptions{})
		if err != nil || rep.Created != 1 || rep.CreatedWithoutKey != 1 {
			t.Errorf("row without a key: %s, %d without key, %v", counts(rep), rep.CreatedWithoutKey, err)
		}
	}
	_, err = tryImport(a, "Foo\nbar\n", app.ImportOptions{})
	if domain.ErrorCode(err) != domain.CodeInvalid {
		t.Errorf("no column mapped: %v", err)
	}
}

// TestExportRoundTrip: an export imported into an empty database gives the same customers,
// field by field, in each format that imports (CSV and .xlsx); a vCard export holds a card
// each.
func TestExportRoundTrip(t *testing.T) {
	for _, b := range testdb.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			ctx, sys := context.Background(), app.System()
			src := app.New(app.Config{Store: testdb.Open(t, b), PasswordParams: &fast})
			g, err := src.CreateGroup(ctx, sys, domain.GroupChanges{Name: domain.Some("Clientes VIP")})
			if err != nil {
				t.Fatal(err)
			}
			for _, ch := range []domain.CustomerChanges{
				{Kind: domain.Some(domain.KindPerson), Title: domain.Some(domain.TitleMrs), FirstName: domain.Some("María"), LastName: domain.Some("Núñez, \"Mari\""),
					TaxID: domain.Some("12345678Z"), Email: domain.Some("mari@example.com"), Phone: domain.Some("600 111 222 ext 12"),
					Line1: domain.Some("C/ Mayor; 1"), Line2: domain.Some("2º B"), PostalCode: domain.Some("01001"), City: domain.Some("Vitoria"),
					Region: domain.Some("Álava"), Reference: domain.Some("0042"), AccountNumber: domain.Some("4300042"), GroupID: domain.Some(g.ID),
					Notes: domain.Some("línea uno\nlínea dos"), MarketingConsent: domain.Some(true), CreditLimitCents: domain.Some(int64(1234567))},
				{Kind: domain.Some(domain.KindCompany), CompanyName: domain.Some("Talleres Pérez"), LegalForm: domain.Some("S.L."),
					TaxID: domain.Some("B12345674"), Email: domain.Some("t@example.com"), InvoiceByEmail: domain.Some(false), Country: domain.Some("PT")},
				// The company's e-mail too: registers hold such shares, and the round trip keeps them.
				{Kind: domain.Some(domain.KindPerson), LastName: domain.Some("Zurita"), Email: domain.Some("t@example.com")},
			} {
				if _, err := src.CreateCustomer(ctx, sys, ch); err != nil {
					t.Fatal(err)
				}
			}
			want, _ := src.Customers(ctx, sys, app.CustomerQuery{})
			for _, format := range []string{transfer.FormatCSV, transfer.FormatXLSX} {
				var buf bytes.Buffer
				n, err := src.ExportCustomers(ctx, sys, app.CustomerExport{Format: format, TmpDir: t.TempDir()},
					func(string) (io.Writer, error) { return &buf, nil })
				if err != nil || n != 3 {
					t.Fatalf("%s export: %d, %v", format, n, err)
				}
				dst := app.New(app.Config{Store: testdb.Open(t, b), PasswordParams: &fast})
				rows := openExported(t, format, buf.Bytes())
				_, header, _ := rows.Next()
				rep, err := dst.ImportCustomers(ctx, sys, rows, app.ImportOptions{Mapping: transfer.ProposeMapping(header), CreateGroups: true, BatchSize: 1})
				if err != nil || rep.Created != 3 || rep.Refused != 0 {
					t.Fatalf("%s import: %s %v %+v", format, counts(rep), err, rep.RefusedRows)
				}
				got, _ := dst.Customers(ctx, sys, app.CustomerQuery{})
				if len(got.Customers) != 3 {
					t.Fatalf("%d customers", len(got.Customers))
				}
				for i := range want.Customers {
					w, g := want.Customers[i], got.Customers[i]
					if g.GroupID != "" {
						grp, _ := dst.Group(ctx, sys, g.GroupID)
						if grp.Name != "Clientes VIP" {
							t.Errorf("group %q", grp.Name)
						}
					}
					// What the import sets anew: storage order, group id, times, version.
					g.Seq, g.GroupID, g.CreatedAt, g.UpdatedAt, g.MarketingConsentAt, g.Version = w.Seq, w.GroupID, w.CreatedAt, w.UpdatedAt, w.MarketingConsentAt, w.Version
					if g != w {
						t.Errorf("%s round trip\n got %+v\nwant %+v", format, g, w)
					}
				}
				// Importing the export again changes nothing.
				rows = openExported(t, format, buf.Bytes())
				_, header, _ = rows.Next()
				rep, err = dst.ImportCustomers(ctx, sys, rows, app.ImportOptions{Mapping: transfer.ProposeMapping(header), Existing: app.ExistingUpdate})
				if err != nil || rep.Unchanged != 3 {
					t.Errorf("%s again: %s %v", format, counts(rep), err)
				}
			}
			var vcf bytes.Buffer
			if _, err := src.ExportCustomers(ctx, sys, app.CustomerExport{Format: "vcard", IDs: []string{want.Customers[0].ID}},
				func(string) (io.Writer, error) { return &vcf, nil }); err != nil {
				t.Fatal(err)
			}
			if strings.Count(vcf.String(), "BEGIN:VCARD") != 1 {
				t.Errorf("vCard of one customer:\n%s", vcf.String())
			}
			acts, _ := auditActions(src)
			if acts[domain.ActionExportCustomers] != 3 {
				t.Errorf("exports audited %d times", acts[domain.ActionExportCustomers])
			}
			if _, err := src.ExportCustomers(ctx, domain.Principal{UserID: "x", Role: domain.RoleCashier}, app.CustomerExport{Format: "csv"},
				func(string) (io.Writer, error) { return &vcf, nil }); domain.ErrorCode(err) != domain.CodeForbidden {
				t.Errorf("cashier export: %v", err)
			}
		})
	}
}

func openExported(t *testing.T, format string, data []byte) transfer.Rows {
	t.Helper()
	if format == transfer.FormatCSV {
		return transfer.OpenCSV(bytes.NewReader(data), transfer.Sniff(data))
	}
	path := filepath.Join(t.TempDir(), "export.xlsx")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	rows, err := transfer.OpenXLSX(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rows.Close() })
	return rows
}

// TestVCardExportRoundTrip: the register exported as vCard and imported into an empty
// database gives the same customers in every field a vCard carries (names, title, tax id,
// e-mail, phone with its extension, address, reference, group, notes, id); importing it again
// changes nothing.
func TestVCardExportRoundTrip(t *testing.T) {
	for _, b := range testdb.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			ctx, sys := context.Background(), app.System()
			src := app.New(app.Config{Store: testdb.Open(t, b), PasswordParams: &fast})
			g, err := src.CreateGroup(ctx, sys, domain.GroupChanges{Name: domain.Some("Clientes, VIP")})
			if err != nil {
				t.Fatal(err)
			}
			for _, ch := range []domain.CustomerChanges{
				{Kind: domain.Some(domain.KindPerson), Title: domain.Some(domain.TitleMrs), FirstName: domain.Some("María José"), LastName: domain.Some("Núñez; \"Mari\""),
					TaxID: domain.Some("12345678Z"), Email: domain.Some("mari@example.com"), Phone: domain.Some("600 111 222 ext 12"),
					Line1: domain.Some("C/ Mayor, 1"), Line2: domain.Some("2º B"), PostalCode: domain.Some("01001"), City: domain.Some("Vitoria"),
					Region: domain.Some("Álava"), Reference: domain.Some("0042"), GroupID: domain.Some(g.ID), Notes: domain.Some("línea uno\nlínea dos\\")},
				{Kind: domain.Some(domain.KindCompany), CompanyName: domain.Some("Talleres Pérez, S.L."), TaxID: domain.Some("B12345674"),
					Email: domain.Some("t@example.com"), Country: domain.Some("PT")},
				{Kind: domain.Some(domain.KindPerson), LastName: domain.Some("Zurita")},
			} {
				if _, err := src.CreateCustomer(ctx, sys, ch); err != nil {
					t.Fatal(err)
				}
			}
			want, _ := src.Customers(ctx, sys, app.CustomerQuery{})
			var buf bytes.Buffer
			if _, err := src.ExportCustomers(ctx, sys, app.CustomerExport{Format: transfer.FormatVCard}, func(string) (io.Writer, error) { return &buf, nil }); err != nil {
				t.Fatal(err)
			}
			dst := app.New(app.Config{Store: testdb.Open(t, b), PasswordParams: &fast})
			for run := 1; run <= 2; run++ {
				rows := transfer.OpenVCard(bytes.NewReader(buf.Bytes()))
				_, header, _ := rows.Next()
				rep, err := dst.ImportCustomers(ctx, sys, rows, app.ImportOptions{Mapping: transfer.ProposeMapping(header), CreateGroups: true, Existing: app.ExistingUpdate})
				if err != nil || rep.Refused != 0 || run == 1 && rep.Created != 3 || run == 2 && rep.Unchanged != 3 {
					t.Fatalf("run %d: %s %v %+v", run, counts(rep), err, rep.RefusedRows)
				}
			}
			got, _ := dst.Customers(ctx, sys, app.CustomerQuery{})
			if len(got.Customers) != 3 {
				t.Fatalf("%d customers", len(got.Customers))
			}
			for i := range want.Customers {
				w, g := want.Customers[i], got.Customers[i]
				if g.GroupID != "" {
					if grp, _ := dst.Group(ctx, sys, g.GroupID); grp.Name != "Clientes, VIP" {
						t.Errorf("group %q", grp.Name)
					}
				}
				// What the import sets anew, and what a vCard does not carry.
				g.Seq, g.GroupID, g.CreatedAt, g.UpdatedAt, g.MarketingConsentAt, g.Version = w.Seq, w.GroupID, w.CreatedAt, w.UpdatedAt, w.MarketingConsentAt, w.Version
				if g != w {
					t.Errorf("vCard round trip\n got %+v\nwant %+v", g, w)
				}
			}
		})
	}
}

// TestBulkImportBuildsMatchingIndexesWhenNeeded: a bulk import drops the indexes of tax ids
// and e-mails; rows matched by id or reference never need them (built once at the end), and
// the first batch that matches by e-mail builds that index and finds the customers it names,
// registered before or created by an earlier batch. Afterwards every index is back.
func TestBulkImportBuildsMatchingIndexesWhenNeeded(t *testing.T) {
	for _, b := range testdb.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			ctx, sys := context.Background(), app.System()
			db := testdb.Open(t, b)
			a := app.New(app.Config{Store: db, PasswordParams: &fast})
			if _, err := a.CreateCustomer(ctx, sys, domain.CustomerChanges{Kind: domain.Some(domain.KindPerson), FirstName: domain.Some("Ana"),
				Email: domain.Some("ana@example.com")}); err != nil {
				t.Fatal(err)
			}
			mapping := []transfer.Field{transfer.FieldFirstName, transfer.FieldReference, transfer.FieldEmail, transfer.FieldCity}
			file := "Luis,R-1,luis@example.com,Vigo\nEva,R-2,eva@example.com,Vigo\n" + // by reference: no index needed
				"Ana,,ANA@example.com,Lugo\nLuis,,luis@example.com,Lugo\n" // by e-mail: the one registered, then Luis of batch 1
			rows := transfer.OpenCSV(strings.NewReader(file), transfer.CSVFormat{Delimiter: ',', Encoding: transfer.EncodingUTF8})
			rep, err := a.ImportCustomers(ctx, sys, rows, app.ImportOptions{Mapping: mapping, Existing: app.ExistingUpdate, BatchSize: 2, Bulk: true})
			if err != nil || rep.Created != 2 || rep.Updated != 2 || rep.Refused != 0 {
				t.Fatalf("%s %v %+v", counts(rep), err, rep.RefusedRows)
			}
			page, _ := a.Customers(ctx, sys, app.CustomerQuery{Q: "lugo"})
			if len(page.Customers) != 2 || page.Customers[0].FirstName != "Ana" || page.Customers[1].Email != "luis@example.com" { // (its empty reference cell cleared the card)
				t.Errorf("Ana and Luis not updated: %+v", page.Customers)
			}
			// Every index is back, once: a second bulk load starts and finishes cleanly.
			rows = transfer.OpenCSV(strings.NewReader("Marta,,marta@example.com,Vigo\n"), transfer.CSVFormat{Delimiter: ',', Encoding: transfer.EncodingUTF8})
			if rep, err := a.ImportCustomers(ctx, sys, rows, app.ImportOptions{Mapping: mapping, Bulk: true}); err != nil || rep.Created != 1 {
				t.Fatalf("second load: %s %v", counts(rep), err)
			}
			if n := indexCount(t, db, b.Name); n != 2 {
				t.Errorf("customers_tax_id and customers_email_key: %d", n)
			}
		})
	}
}

// indexCount counts the indexes customers_tax_id and customers_email_key.
func indexCount(t *testing.T, db *sqlstore.DB, backend string) int {
	t.Helper()
	q := "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name IN ('customers_tax_id', 'customers_email_key')"
	if backend != "sqlite" {
		q = "SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema() AND indexname IN ('customers_tax_id', 'customers_email_key')"
	}
	var n int
	if err := db.SQL().QueryRow(q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
