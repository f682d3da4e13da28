package main_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"github.com/clientela/clientela/internal/testdb"
)

// TestImportAndExportCustomers runs clientela import customers on a CSV saved by Excel on a
// Spanish Windows (Windows-1252, ";", decimal commas): the dry run, the import with a
// refused-rows file, that file fixed and imported again, a second run that changes nothing;
// then clientela export customers in each format, the CSV imported into an empty database.
func TestImportAndExportCustomers(t *testing.T) {
	for _, b := range testdb.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			orig := b
			b = migrated(t, b)
			dir := t.TempDir()
			text := "Nombre;Apellidos;NIF;Correo electrónico;Teléfono;Código postal;Población;Tarjeta;Límite de crédito;Grupo\r\n" +
				"José;Núñez;12345678Z;jose@example.com;600 111 222;28001;Madrid;T-1;1.500,50;Mayoristas\r\n" +
				"Ana;Peña;;ana@example;;;Cádiz;T-2;;\r\n" +
				"Lucía;Gómez;;;;;;T-3;0;\r\n"
			data, err := charmap.Windows1252.NewEncoder().Bytes([]byte(text))
			if err != nil {
				t.Fatal(err)
			}
			file := filepath.Join(dir, "clientes.csv")
			if err := os.WriteFile(file, data, 0o600); err != nil {
				t.Fatal(err)
			}
			imp := func(extra ...string) (string, string, int) {
				args := append(append([]string{"import", "customers", file}, storageArgs(b)...), extra...)
				return run(t, "", args...)
			}
			out, errOut, code := imp("--dry-run")
			if code != 1 || !strings.Contains(out, "Dry run, nothing changed: 3 rows: 1 created, 0 updated, 0 unchanged, 0 skipped, 2 refused") ||
				!strings.Contains(out, "line 2: group:") || !strings.Contains(out, "line 3: email:") ||
				!strings.Contains(errOut, "delimiter ;, encoding windows-1252") || !strings.Contains(errOut, "Correo electrónico") {
				t.Fatalf("dry run: %d\n%s\n%s", code, out, errOut)
			}
			rejects := filepath.Join(dir, "rechazados.csv")
			out, _, code = imp("--rejects", rejects)
			if code != 1 || !strings.Contains(out, "Imported: 3 rows: 1 created, 0 updated, 0 unchanged, 0 skipped, 2 refused") {
				t.Fatalf("import: %d\n%s", code, out)
			}
			refused, err := os.ReadFile(rejects)
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimSpace(strings.TrimPrefix(string(refused), "\uFEFF")), "\n")
			if len(lines) != 3 || !strings.HasSuffix(lines[0], ",line,reason") || !strings.HasPrefix(lines[1], "José,Núñez,") ||
				!strings.HasSuffix(lines[1], ",2,group: unknown_group") || !strings.HasSuffix(lines[2], ",3,email: invalid") {
				t.Fatalf("rejects file:\n%s", refused)
			}
			// Fixed: the e-mail corrected, the group created on request.
			fixed := strings.Replace(string(refused), "ana@example,", "ana@example.com,", 1)
			if err := os.WriteFile(rejects, []byte(fixed), 0o600); err != nil {
				t.Fatal(err)
			}
			out, _, code = run(t, "", append(append([]string{"import", "customers", rejects}, storageArgs(b)...), "--create-groups")...)
			if code != 0 || !strings.Contains(out, "2 created") || !strings.Contains(out, "Groups created: Mayoristas") {
				t.Fatalf("fixed rows: %d\n%s", code, out)
			}
			// The whole file again: nothing changes (Ana's bad e-mail is refused again).
			out, _, code = imp("--existing", "update")
			if code != 1 || !strings.Contains(out, "0 created, 0 updated, 2 unchanged, 0 skipped, 1 refused") {
				t.Fatalf("again: %d\n%s", code, out)
			}

			for _, format := range []string{"csv", "xlsx", "vcf"} {
				dest := filepath.Join(dir, "export."+format)
				_, errOut, code := run(t, "", append([]string{"export", "customers", "--format", format, "--out", dest}, storageArgs(b)...)...)
				if code != 0 || !strings.Contains(errOut, "Exported 3 customers") {
					t.Fatalf("export %s: %d %s", format, code, errOut)
				}
			}
			_, errOut, code = run(t, "", append([]string{"export", "customers", "--group", "mayoristas", "--q", "jose"}, storageArgs(b)...)...)
			if code != 0 || !strings.Contains(errOut, "Exported 1 customers") {
				t.Fatalf("export of a group: %d %s", code, errOut)
			}
			empty := migrated(t, orig)
			out, _, code = run(t, "", append([]string{"import", "customers", filepath.Join(dir, "export.xlsx"), "--create-groups"}, storageArgs(empty)...)...)
			if code != 0 || !strings.Contains(out, "3 created") {
				t.Fatalf("export imported into an empty database: %d\n%s", code, out)
			}
		})
	}
}

// TestImportProgressOnATerminal: on a terminal (script(1) gives the command one) the import
// draws its progress bar on stderr, over the file's bytes.
func TestImportProgressOnATerminal(t *testing.T) {
	scriptPath, err := exec.LookPath("script")
	if err != nil {
		t.Skip("script(1) is not installed")
	}
	b := migrated(t, testdb.Backend{Name: "sqlite"})
	file := filepath.Join(t.TempDir(), "clientes.csv")
	var text strings.Builder
	text.WriteString("Nombre,Apellidos,Tarjeta\n")
	for i := range 50 {
		fmt.Fprintf(&text, "Ana,García %d,T-%d\n", i, i)
	}
	if err := os.WriteFile(file, []byte(text.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	command := strings.Join([]string{binary, "import", "customers", file, "--batch", "10", "--data-dir", b.DataDir}, " ")
	out, err := exec.Command(scriptPath, "-qec", command, "/dev/null").CombinedOutput()
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	size := fmt.Sprint(text.Len())
	if !strings.Contains(string(out), "\rimporting (bytes) [##############################] 100% "+size+"/"+size) || !strings.Contains(string(out), "50 created") {
		t.Fatalf("no progress bar on the terminal: %q", out)
	}
}

// TestImportVCardsFromPhones runs clientela import customers on the contacts an iPhone
// (vCard 3.0) and an Android phone (2.1, quoted-printable) export: each refused card is
// reported with the line of its BEGIN:VCARD, the refused-rows file (CSV, the vCard's fixed
// columns) imports again once fixed, and a second run of a file changes nothing.
func TestImportVCardsFromPhones(t *testing.T) {
	b := migrated(t, testdb.Backend{Name: "sqlite"})
	dir := t.TempDir()
	fixture := func(name string) string { return filepath.Join("..", "..", "internal", "transfer", "testdata", name) }
	rejects := filepath.Join(dir, "rechazados.csv")
	imp := func(file string, extra ...string) (string, string, int) {
		return run(t, "", append(append([]string{"import", "customers", file}, storageArgs(b)...), extra...)...)
	}
	out, errOut, code := imp(fixture("iphone-3.0.vcf"), "--rejects", rejects)
	if code != 1 || !strings.Contains(out, "4 rows: 3 created, 0 updated, 0 unchanged, 0 skipped, 1 refused") || !strings.Contains(out, "line 84: email:") ||
		!strings.Contains(errOut, "Format: vCard") {
		t.Fatalf("iPhone: %d\n%s\n%s", code, out, errOut)
	}
	out, _, code = imp(fixture("android-2.1.vcf"))
	if code != 1 || !strings.Contains(out, "4 rows: 3 created") || !strings.Contains(out, "line 23: phone:") {
		t.Fatalf("Android: %d\n%s", code, out)
	}
	refused, err := os.ReadFile(rejects)
	if err != nil {
		t.Fatal(err)
	}
	fixed := strings.Replace(string(refused), "pepe(at)correo", "pepe@correo.example", 1)
	if err := os.WriteFile(rejects, []byte(fixed), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, _, code = imp(rejects); code != 0 || !strings.Contains(out, "1 created") {
		t.Fatalf("fixed card: %d\n%s", code, out)
	}
	out, _, code = imp(fixture("android-2.1.vcf"), "--existing", "update")
	if code != 1 || !strings.Contains(out, "0 created, 0 updated, 3 unchanged") {
		t.Fatalf("Android again: %d\n%s", code, out)
	}
	out, _, _ = run(t, "", append([]string{"export", "customers", "--format", "csv", "--q", "muñoz"}, storageArgs(b)...)...)
	if !strings.Contains(out, "José Luis,Muñoz") || !strings.Contains(out, "+34699887766") || !strings.Contains(out, "Avenida de la Constitución 7") {
		t.Errorf("José Luis Muñoz as exported:\n%s", out)
	}
}
