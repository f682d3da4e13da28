package web

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/i18n"
)

// TestEveryTextIsInTheCatalogs finds the message keys the templates and handlers name and
// checks both languages have them, so no page shows a bare key.
func TestEveryTextIsInTheCatalogs(t *testing.T) {
	msgs := i18n.New()
	literal := regexp.MustCompile(`\.T "([a-z_.]+)"|msgs\.T\(rq\.lang, "([a-z_.]*[a-z_])"|setFlash\(w, r, "([a-z_.]+)"|\bl\.T\("([a-z_.]+)"[,)]`)
	plural := regexp.MustCompile(`\.N "([a-z_.]+)"|PluralKey\("([a-z_.]+)"[,)]|\bl\.N\("([a-z_.]+)"[,)]`)
	check := func(file, key string) {
		for _, lang := range []i18n.Lang{i18n.Spanish, i18n.English} {
			if !msgs.Has(lang, key) {
				t.Errorf("%s: %q missing from the %s catalog", file, key, lang)
			}
		}
	}
	seen := 0
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || (filepath.Ext(path) != ".html" && filepath.Ext(path) != ".go") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range literal.FindAllStringSubmatch(string(b), -1) {
			for _, key := range m[1:] {
				if key != "" {
					check(path, key)
					seen++
				}
			}
		}
		for _, m := range plural.FindAllStringSubmatch(string(b), -1) {
			for _, key := range m[1:] {
				if key != "" {
					check(path, i18n.PluralKey(key, 1))
					check(path, i18n.PluralKey(key, 2))
					seen++
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if seen < 100 {
		t.Fatalf("found only %d keys: the patterns no longer match the code", seen)
	}
	// Keys built at run time.
	for _, key := range []string{"role.admin", "role.manager", "role.cashier", "web.user_refused_last_admin",
		"web.user_refused_self", "account.current_password", "account.new_password", "account.confirm_password",
		"field.mismatch", "field.wrong_password", "field.not_a_number", "field.too_many_decimals", "field.negative",
		"error.rate_limited", "field.invalid.email", "field.invalid.phone", "field.required.first_name",
		"field.required.last_name"} {
		check("(run time)", key)
	}
	for _, t := range []domain.InvoiceType{domain.InvoiceFull, domain.InvoiceSimplified, domain.InvoiceRectifying, domain.InvoiceRectifyingSimplified} {
		check("(run time)", "invoices.type."+string(t))
		check("(run time)", "invoices.kind."+string(t))
	}
	for _, m := range domain.TenderMethods {
		check("(run time)", "invoices.payment."+string(m))
	}
	for _, title := range []domain.Title{domain.TitleMr, domain.TitleMrs, domain.TitleMs} {
		check("(run time)", "title."+string(title))
	}
	for _, field := range []string{"tax_id", "email", "phone"} { // app.SharedField
		check("(run time)", i18n.PluralKey("web.shared."+field, 1))
		check("(run time)", i18n.PluralKey("web.shared."+field, 2))
	}
}
