package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"golang.org/x/text/encoding/charmap"

	"github.com/clientela/clientela/internal/app"
)

// TestImportInChromium: a shop's CSV as Excel saves it (Windows-1252, ";", a column the
// mapping does not know) goes through the three steps: the file read and a mapping proposed,
// which the manager corrects; a dry run that changes nothing and names the refused row by its
// line; the import.
func TestImportInChromium(t *testing.T) {
	ctx := chrome(t)
	e := newEnv(t, sqliteBackend(t))
	csv := "Nombre;Apellidos;NIF;Correo electrónico;Tlf. casa;Código postal;Población\r\n" +
		"José;Núñez Peña;12345678Z;jose@example.com;612345678;28004;Madrid\r\n" +
		"Begoña;Ibáñez;;no-es-un-correo;;08001;Barcelona\r\n" +
		"Iñaki;Etxeberria;;inaki@example.com;943123456;20001;Donostia\r\n"
	encoded, err := charmap.Windows1252.NewEncoder().String(csv)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "clientes.csv")
	if err := os.WriteFile(file, []byte(encoded), 0o600); err != nil {
		t.Fatal(err)
	}
	p := &page{t: t, ctx: ctx, base: e.url, dir: t.ArtifactDir()}
	p.login("manager")

	// Step 1: upload; the format is detected and shown, the columns mapped from their headers.
	p.open("/customers/import")
	p.do(chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{file}))
	p.clickAndLoad(`form.import-upload button[type=submit]`)
	p.screenshot("import-mapping")
	if got := eval[string](p, `document.querySelector("#delimiter").value + " " + document.querySelector("#encoding").value`); got != "; windows-1252" {
		t.Errorf("detected format %q, want \"; windows-1252\"", got)
	}
	if got := p.text("table.import-preview tbody"); !strings.Contains(got, "Núñez Peña") || !strings.Contains(got, "Ibáñez") {
		t.Errorf("the preview does not read the accents back: %q", got)
	}
	// "Tlf. casa" is not a header the mapping knows: the manager maps it to the phone.
	phoneSelect := `#map-4` // "Tlf. casa", the fifth column
	if got := eval[string](p, `document.querySelector('`+phoneSelect+`').value`); got == "phone" {
		t.Log("the phone column was recognised already")
	}
	p.do(chromedp.SetValue(chromedp.CSS(phoneSelect), "phone"))

	// Step 2: the dry run counts and names the refused row by its line in the file.
	p.clickAndLoad(`form.import-map button[type=submit]`)
	p.screenshot("import-dry-run")
	if got := p.text("#count-created") + "/" + p.text("#count-refused"); got != "2/1" {
		t.Errorf("dry run created/refused %q, want 2/1", got)
	}
	if got := p.text("table.import-refused tbody"); !strings.Contains(got, "3") || !strings.Contains(strings.ToLower(got), "email") && !strings.Contains(strings.ToLower(got), "correo") {
		t.Errorf("the refused row reads %q, want line 3 and the e-mail", got)
	}
	page, err := e.app.Customers(context.Background(), app.System(), app.CustomerQuery{Q: "Núñez"})
	if err != nil || len(page.Customers) != 0 {
		t.Fatalf("the dry run registered someone: %+v %v", page.Customers, err)
	}

	// Step 3: import.
	p.clickAndLoad(`form[action$="/run"] button[type=submit]`)
	p.screenshot("import-done")
	if got := p.text("#count-created"); got != "2" {
		t.Errorf("imported %q customers, want 2", got)
	}
	page, err = e.app.Customers(context.Background(), app.System(), app.CustomerQuery{Q: "Etxeberria"})
	if err != nil || len(page.Customers) != 1 || page.Customers[0].Phone == "" || page.Customers[0].Address.City != "Donostia" {
		t.Fatalf("after the import: %+v %v", page.Customers, err)
	}
}
