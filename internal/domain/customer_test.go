package domain

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

// problems returns the field errors of a validation error as sorted "field:code" strings; nil
// for a nil error. Any other kind of error fails the test.
func problems(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not a *domain.Error", err, err)
	}
	if e.Code != CodeInvalid {
		t.Fatalf("error code = %q, want %q", e.Code, CodeInvalid)
	}
	var out []string
	for _, f := range e.Fields {
		out = append(out, f.Field+":"+f.Code)
	}
	slices.Sort(out)
	return out
}

// fieldError returns the first field error of err for field.
func fieldError(t *testing.T, err error, field string) (FieldError, bool) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		return FieldError{}, false
	}
	for _, f := range e.Fields {
		if f.Field == field {
			return f, true
		}
	}
	return FieldError{}, false
}

func sortedCopy(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return out
}

func validPerson() Customer {
	return Customer{Kind: KindPerson, FirstName: "Ana", LastName: "García"}
}

func validCompany() Customer {
	return Customer{Kind: KindCompany, CompanyName: "Talleres Ruiz", LegalForm: "S.L."}
}

func TestCustomerPrepareRules(t *testing.T) {
	tests := []struct {
		name    string
		base    func() Customer
		edit    func(c *Customer)
		country string // shop's default country; "ES" when empty, unless noDef
		noDef   bool   // call Prepare with no default country at all
		want    []string
	}{
		// Kind.
		{name: "valid person", base: validPerson, edit: func(c *Customer) {}},
		{name: "valid company", base: validCompany, edit: func(c *Customer) {}},
		{name: "kind missing", base: validPerson, edit: func(c *Customer) { c.Kind = "" }, want: []string{"kind:required"}},
		{name: "kind unknown", base: validPerson, edit: func(c *Customer) { c.Kind = "persona" }, want: []string{"kind:invalid"}},
		{name: "kind wrong case", base: validPerson, edit: func(c *Customer) { c.Kind = "Company" }, want: []string{"kind:invalid"}},

		// Persons.
		{name: "person without names", base: validPerson, edit: func(c *Customer) { c.FirstName, c.LastName = "", "" },
			want: []string{"first_name:required", "last_name:required"}},
		{name: "person with blank names", base: validPerson, edit: func(c *Customer) { c.FirstName, c.LastName = "  ", "\t\u00a0" },
			want: []string{"first_name:required", "last_name:required"}},
		{name: "person first name only", base: validPerson, edit: func(c *Customer) { c.LastName = "" }},
		{name: "person last name only", base: validPerson, edit: func(c *Customer) { c.FirstName = "" }},
		{name: "person with company name", base: validPerson, edit: func(c *Customer) { c.CompanyName = "Acme" }, want: []string{"company_name:not_allowed"}},
		{name: "person with legal form", base: validPerson, edit: func(c *Customer) { c.LegalForm = "S.L." }, want: []string{"legal_form:not_allowed"}},
		{name: "person with blank legal form", base: validPerson, edit: func(c *Customer) { c.LegalForm = "   " }},
		{name: "person title none", base: validPerson, edit: func(c *Customer) { c.Title = TitleNone }},
		{name: "person title mr", base: validPerson, edit: func(c *Customer) { c.Title = TitleMr }},
		{name: "person title mrs", base: validPerson, edit: func(c *Customer) { c.Title = TitleMrs }},
		{name: "person title ms", base: validPerson, edit: func(c *Customer) { c.Title = TitleMs }},
		{name: "person title dr", base: validPerson, edit: func(c *Customer) { c.Title = "dr" }, want: []string{"title:invalid"}},
		{name: "person title upper case", base: validPerson, edit: func(c *Customer) { c.Title = "MR" }, want: []string{"title:invalid"}},
		{name: "person title spanish", base: validPerson, edit: func(c *Customer) { c.Title = "sr" }, want: []string{"title:invalid"}},

		// Companies.
		{name: "company without name", base: validCompany, edit: func(c *Customer) { c.CompanyName = "" }, want: []string{"company_name:required"}},
		{name: "company with blank name", base: validCompany, edit: func(c *Customer) { c.CompanyName = " \t " }, want: []string{"company_name:required"}},
		{name: "company without legal form", base: validCompany, edit: func(c *Customer) { c.LegalForm = "" }},
		{name: "company with title mr", base: validCompany, edit: func(c *Customer) { c.Title = TitleMr }, want: []string{"title:not_allowed"}},
		{name: "company with unknown title", base: validCompany, edit: func(c *Customer) { c.Title = "dr" }, want: []string{"title:not_allowed"}},

		// Spanish tax ids, checked when the effective country is Spain.
		{name: "DNI valid", base: validPerson, edit: func(c *Customer) { c.TaxID = "12345678Z" }},
		{name: "DNI with separators and prefix", base: validPerson, edit: func(c *Customer) { c.TaxID = "es-12.345.678-z" }},
		{name: "DNI wrong letter", base: validPerson, edit: func(c *Customer) { c.TaxID = "12345678A" }, want: []string{"tax_id:invalid_control_character_taxid"}},
		{name: "DNI too short", base: validPerson, edit: func(c *Customer) { c.TaxID = "1234567Z" }, want: []string{"tax_id:invalid"}},
		{name: "DNI without letter", base: validPerson, edit: func(c *Customer) { c.TaxID = "123456789" }, want: []string{"tax_id:invalid_control_character_taxid"}},
		{name: "NIE valid", base: validPerson, edit: func(c *Customer) { c.TaxID = "X2482300W" }},
		{name: "NIE wrong letter", base: validPerson, edit: func(c *Customer) { c.TaxID = "X2482300A" }, want: []string{"tax_id:invalid_control_character_taxid"}},
		{name: "special NIF valid", base: validPerson, edit: func(c *Customer) { c.TaxID = "L1111111G" }},
		{name: "CIF valid B", base: validCompany, edit: func(c *Customer) { c.TaxID = "B58378431" }},
		{name: "CIF valid A", base: validCompany, edit: func(c *Customer) { c.TaxID = "A13585625" }},
		{name: "CIF wrong digit", base: validCompany, edit: func(c *Customer) { c.TaxID = "B58378432" }, want: []string{"tax_id:invalid_control_character_taxid"}},
		{name: "CIF letter where a digit is required", base: validCompany, edit: func(c *Customer) { c.TaxID = "B5837843A" }, want: []string{"tax_id:invalid_control_character_taxid"}},
		{name: "tax id garbage in Spain", base: validCompany, edit: func(c *Customer) { c.TaxID = "hello" }, want: []string{"tax_id:invalid"}},
		{name: "tax id with letters not allowed in Spain", base: validCompany, edit: func(c *Customer) { c.TaxID = "Ñ2345678Z" }, want: []string{"tax_id:invalid"}},
		{name: "Spanish check with address country es", base: validPerson, edit: func(c *Customer) { c.TaxID, c.Address.Country = "12345678A", "es" },
			country: "FR", want: []string{"tax_id:invalid_control_character_taxid"}},
		{name: "Spanish check with empty country and default ES", base: validPerson, edit: func(c *Customer) { c.TaxID = "12345678A" },
			country: "ES", want: []string{"tax_id:invalid_control_character_taxid"}},
		{name: "no Spanish check with address country FR", base: validPerson, edit: func(c *Customer) { c.TaxID, c.Address.Country = "12345678A", "FR" }},
		{name: "no Spanish check with address country PT", base: validPerson, edit: func(c *Customer) { c.TaxID, c.Address.Country = "hello", "PT" }},
		{name: "no Spanish check with empty country and default FR", base: validPerson, edit: func(c *Customer) { c.TaxID = "12345678A" }, country: "FR"},
		{name: "no Spanish check with no country at all", base: validPerson, edit: func(c *Customer) { c.TaxID = "12345678A" }, noDef: true},

		// Other countries' tax ids: letters, digits and separators.
		{name: "foreign tax id with symbol", base: validCompany, edit: func(c *Customer) { c.TaxID, c.Address.Country = "12#45", "FR" }, want: []string{"tax_id:invalid"}},
		{name: "foreign tax id with non-ASCII letter", base: validCompany, edit: func(c *Customer) { c.TaxID, c.Address.Country = "ÑAB123", "FR" }, want: []string{"tax_id:invalid"}},
		{name: "foreign tax id with line break", base: validCompany, edit: func(c *Customer) { c.TaxID, c.Address.Country = "AB12\n345", "FR" }, want: []string{"tax_id:invalid_control_character"}},
		{name: "foreign tax id only separators", base: validCompany, edit: func(c *Customer) { c.TaxID, c.Address.Country = "-./-", "FR" }, want: []string{"tax_id:invalid"}},
		{name: "foreign tax id at bound", base: validCompany, edit: func(c *Customer) { c.TaxID, c.Address.Country = strings.Repeat("A", MaxTaxIDLen), "FR" }},
		{name: "foreign tax id at bound with separators", base: validCompany, edit: func(c *Customer) { c.TaxID, c.Address.Country = strings.Repeat("A-", MaxTaxIDLen), "FR" }},
		{name: "foreign tax id over bound", base: validCompany, edit: func(c *Customer) { c.TaxID, c.Address.Country = strings.Repeat("A", MaxTaxIDLen+1), "FR" }, want: []string{"tax_id:too_long"}},

		// Country.
		{name: "country lower case", base: validPerson, edit: func(c *Customer) { c.Address.Country = " fr " }},
		{name: "country unknown code", base: validPerson, edit: func(c *Customer) { c.Address.Country = "XX" }, want: []string{"address.country:invalid"}},
		{name: "country three letters", base: validPerson, edit: func(c *Customer) { c.Address.Country = "ESP" }, want: []string{"address.country:invalid"}},
		{name: "country name", base: validPerson, edit: func(c *Customer) { c.Address.Country = "España" }, want: []string{"address.country:invalid"}},

		// E-mail.
		{name: "email plain", base: validPerson, edit: func(c *Customer) { c.Email = "ana@example.com" }},
		{name: "email with plus and subdomain", base: validPerson, edit: func(c *Customer) { c.Email = "ana+shop@mail.example.co.uk" }},
		{name: "email with display name", base: validPerson, edit: func(c *Customer) { c.Email = "Ana <ana@example.com>" }, want: []string{"email:invalid"}},
		{name: "email in angle brackets", base: validPerson, edit: func(c *Customer) { c.Email = "<ana@example.com>" }, want: []string{"email:invalid"}},
		{name: "email without at", base: validPerson, edit: func(c *Customer) { c.Email = "ana.example.com" }, want: []string{"email:invalid"}},
		{name: "email without domain dot", base: validPerson, edit: func(c *Customer) { c.Email = "ana@localhost" }, want: []string{"email:invalid"}},
		{name: "email domain leading dot", base: validPerson, edit: func(c *Customer) { c.Email = "ana@.example.com" }, want: []string{"email:invalid"}},
		{name: "email domain trailing dot", base: validPerson, edit: func(c *Customer) { c.Email = "ana@example.com." }, want: []string{"email:invalid"}},
		{name: "email domain double dot", base: validPerson, edit: func(c *Customer) { c.Email = "ana@example..com" }, want: []string{"email:invalid"}},
		{name: "email domain literal", base: validPerson, edit: func(c *Customer) { c.Email = "ana@[192.0.2.1]" }, want: []string{"email:invalid"}},
		{name: "email list", base: validPerson, edit: func(c *Customer) { c.Email = "ana@example.com, bob@example.com" }, want: []string{"email:invalid"}},
		{name: "email with space", base: validPerson, edit: func(c *Customer) { c.Email = "ana garcia@example.com" }, want: []string{"email:invalid"}},
		{name: "email header injection", base: validPerson, edit: func(c *Customer) { c.Email = "ana@example.com\r\nBcc: eve@example.com" },
			want: []string{"email:invalid_control_character"}},
		{name: "email with NUL", base: validPerson, edit: func(c *Customer) { c.Email = "ana@exam\x00ple.com" }, want: []string{"email:invalid_control_character"}},
		{name: "email invalid UTF-8", base: validPerson, edit: func(c *Customer) { c.Email = "an\xffa@example.com" }, want: []string{"email:invalid_utf8"}},

		// Phone.
		{name: "phone Spanish national", base: validPerson, edit: func(c *Customer) { c.Phone = "612 34 56 78" }},
		{name: "phone too short", base: validPerson, edit: func(c *Customer) { c.Phone = "12" }, want: []string{"phone:invalid"}},
		{name: "phone letters", base: validPerson, edit: func(c *Customer) { c.Phone = "call me" }, want: []string{"phone:invalid"}},
		{name: "phone national without any country", base: validPerson, edit: func(c *Customer) { c.Phone = "612345678" }, noDef: true, want: []string{"phone:invalid"}},
		{name: "phone international without any country", base: validPerson, edit: func(c *Customer) { c.Phone = "+34 612 34 56 78" }, noDef: true},
		{name: "phone French national read as Spanish", base: validPerson, edit: func(c *Customer) { c.Phone = "06 12 34 56 78" }, want: []string{"phone:invalid"}},
		{name: "phone French national read in address country", base: validPerson, edit: func(c *Customer) { c.Phone, c.Address.Country = "06 12 34 56 78", "FR" }},
		{name: "phone with line break", base: validPerson, edit: func(c *Customer) { c.Phone = "+34 612\n345 678" }, want: []string{"phone:invalid_control_character"}},
		{name: "phone invalid UTF-8", base: validPerson, edit: func(c *Customer) { c.Phone = "612\xff345678" }, want: []string{"phone:invalid_utf8"}},
		{name: "phone at bound", base: validPerson, edit: func(c *Customer) { c.Phone = "+34" + strings.Repeat(" ", MaxPhoneLen-12) + "612345678" }},
		{name: "phone over bound", base: validPerson, edit: func(c *Customer) { c.Phone = "+34" + strings.Repeat(" ", MaxPhoneLen-11) + "612345678" }, want: []string{"phone:too_long"}},

		// Account number.
		{name: "account digits", base: validPerson, edit: func(c *Customer) { c.AccountNumber = "43000001" }},
		{name: "account with dash", base: validPerson, edit: func(c *Customer) { c.AccountNumber = "4300-0001" }, want: []string{"account_number:digits_only"}},
		{name: "account with letter", base: validPerson, edit: func(c *Customer) { c.AccountNumber = "4300A" }, want: []string{"account_number:digits_only"}},
		{name: "account full-width digits", base: validPerson, edit: func(c *Customer) { c.AccountNumber = "４３０" }, want: []string{"account_number:digits_only"}},
		{name: "account at bound", base: validPerson, edit: func(c *Customer) { c.AccountNumber = strings.Repeat("4", MaxAccountLen) }},
		{name: "account over bound", base: validPerson, edit: func(c *Customer) { c.AccountNumber = strings.Repeat("4", MaxAccountLen+1) }, want: []string{"account_number:too_long"}},

		// Credit limit.
		{name: "credit limit zero", base: validPerson, edit: func(c *Customer) { c.CreditLimitCents = 0 }},
		{name: "credit limit max", base: validPerson, edit: func(c *Customer) { c.CreditLimitCents = MaxCreditLimit }},
		{name: "credit limit negative", base: validPerson, edit: func(c *Customer) { c.CreditLimitCents = -1 }, want: []string{"credit_limit_cents:out_of_range"}},
		{name: "credit limit over max", base: validPerson, edit: func(c *Customer) { c.CreditLimitCents = MaxCreditLimit + 1 }, want: []string{"credit_limit_cents:out_of_range"}},

		// Invoice by e-mail.
		{name: "invoice by email with email", base: validPerson, edit: func(c *Customer) { c.InvoiceByEmail, c.Email = true, "ana@example.com" }},
		{name: "invoice by email without email", base: validPerson, edit: func(c *Customer) { c.InvoiceByEmail = true }, want: []string{"invoice_by_email:requires_email"}},
		{name: "invoice by email with blank email", base: validPerson, edit: func(c *Customer) { c.InvoiceByEmail, c.Email = true, "   " }, want: []string{"invoice_by_email:requires_email"}},
		{name: "invoice by email with invalid email", base: validPerson, edit: func(c *Customer) { c.InvoiceByEmail, c.Email = true, "ana" }, want: []string{"email:invalid"}},

		// Several faults at once are all reported.
		{name: "several faults", base: validPerson, edit: func(c *Customer) {
			c.FirstName, c.LastName, c.Email, c.Phone, c.CreditLimitCents = "", "", "x", "1", -5
		}, want: []string{"credit_limit_cents:out_of_range", "email:invalid", "first_name:required", "last_name:required", "phone:invalid"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.base()
			tt.edit(&c)
			def := tt.country
			if def == "" && !tt.noDef {
				def = "ES"
			}
			got := problems(t, c.Prepare(def))
			if !slices.Equal(got, sortedCopy(tt.want)) {
				t.Errorf("Prepare(%q) problems = %q, want %q", def, got, sortedCopy(tt.want))
			}
		})
	}
}

func TestCustomerPrepareNormalises(t *testing.T) {
	consentAt := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	tests := []struct {
		name    string
		in      Customer
		country string
		want    Customer
	}{
		{
			name: "surrounding white space trimmed",
			in: Customer{Kind: KindPerson, FirstName: "  Ana ", LastName: "\tGarcía\u00a0", Reference: " REF-1 ",
				AccountNumber: " 43000001 ", GroupID: " g1 ", Email: "  ana@example.com\n",
				Address: Address{Line1: " Calle Mayor 1 ", Line2: " 2º B ", PostalCode: " 28013 ", City: " Madrid ", Region: " Madrid ", Country: " es "}},
			country: "ES",
			want: Customer{Kind: KindPerson, FirstName: "Ana", LastName: "García", Reference: "REF-1",
				AccountNumber: "43000001", GroupID: "g1", Email: "ana@example.com",
				Address: Address{Line1: "Calle Mayor 1", Line2: "2º B", PostalCode: "28013", City: "Madrid", Region: "Madrid", Country: "ES"}},
		},
		{
			name:    "company names trimmed",
			in:      Customer{Kind: KindCompany, CompanyName: " Talleres Ruiz ", LegalForm: " S.L. "},
			country: "ES",
			want:    Customer{Kind: KindCompany, CompanyName: "Talleres Ruiz", LegalForm: "S.L."},
		},
		{
			name:    "inner spaces kept",
			in:      Customer{Kind: KindPerson, FirstName: "María  José"},
			country: "ES",
			want:    Customer{Kind: KindPerson, FirstName: "María  José"},
		},
		{
			name:    "notes keep inner line breaks and tabs, lose trailing white space",
			in:      Customer{Kind: KindPerson, FirstName: "Ana", Notes: "line one\r\n\tline two\n\n \t"},
			country: "ES",
			want:    Customer{Kind: KindPerson, FirstName: "Ana", Notes: "line one\r\n\tline two"},
		},
		{
			name:    "Spanish tax id normalised",
			in:      Customer{Kind: KindPerson, FirstName: "Ana", TaxID: "es-12.345.678-z"},
			country: "ES",
			want:    Customer{Kind: KindPerson, FirstName: "Ana", TaxID: "12345678Z"},
		},
		{
			name:    "NIE normalised",
			in:      Customer{Kind: KindPerson, FirstName: "Ana", TaxID: " x-2482300-w "},
			country: "ES",
			want:    Customer{Kind: KindPerson, FirstName: "Ana", TaxID: "X2482300W"},
		},
		{
			name:    "CIF normalised",
			in:      Customer{Kind: KindCompany, CompanyName: "Acme", TaxID: "ES B-58.378.431"},
			country: "ES",
			want:    Customer{Kind: KindCompany, CompanyName: "Acme", TaxID: "B58378431"},
		},
		{
			name:    "French tax id upper-cased, separators removed",
			in:      Customer{Kind: KindCompany, CompanyName: "Acme", TaxID: "fr 40.303-265/045", Address: Address{Country: "fr"}},
			country: "ES",
			want:    Customer{Kind: KindCompany, CompanyName: "Acme", TaxID: "FR40303265045", Address: Address{Country: "FR"}},
		},
		{
			// Abroad, "ES" and a NIF is a Spanish VAT number: checked, and stored as its NIF.
			name:    "Spanish VAT number abroad stored as its NIF",
			in:      Customer{Kind: KindPerson, FirstName: "Ana", TaxID: "es12345678z"},
			country: "FR",
			want:    Customer{Kind: KindPerson, FirstName: "Ana", TaxID: "12345678Z"},
		},
		{
			// Every other text field that is only white space becomes empty; the tax id
			// should too.
			name:    "blank tax id cleared",
			in:      Customer{Kind: KindPerson, FirstName: "Ana", TaxID: "   "},
			country: "ES",
			want:    Customer{Kind: KindPerson, FirstName: "Ana"},
		},
		{
			name:    "email domain lower-cased, local part kept",
			in:      Customer{Kind: KindPerson, FirstName: "Ana", Email: "Ana.Garcia@Example.COM"},
			country: "ES",
			want:    Customer{Kind: KindPerson, FirstName: "Ana", Email: "Ana.Garcia@example.com"},
		},
		{
			name:    "phone Spanish national to E.164",
			in:      Customer{Kind: KindPerson, FirstName: "Ana", Phone: "612 34 56 78"},
			country: "ES",
			want:    Customer{Kind: KindPerson, FirstName: "Ana", Phone: "+34612345678"},
		},
		{
			name:    "phone French national with trunk 0 read in the address country",
			in:      Customer{Kind: KindPerson, FirstName: "Ana", Phone: "06 12 34 56 78", Address: Address{Country: "FR"}},
			country: "ES",
			want:    Customer{Kind: KindPerson, FirstName: "Ana", Phone: "+33612345678", Address: Address{Country: "FR"}},
		},
		{
			name:    "phone French national read in the default country",
			in:      Customer{Kind: KindPerson, FirstName: "Ana", Phone: "06.12.34.56.78"},
			country: "FR",
			want:    Customer{Kind: KindPerson, FirstName: "Ana", Phone: "+33612345678"},
		},
		{
			name:    "phone international with 00 prefix from Spain",
			in:      Customer{Kind: KindPerson, FirstName: "Ana", Phone: "0033 6 12 34 56 78"},
			country: "ES",
			want:    Customer{Kind: KindPerson, FirstName: "Ana", Phone: "+33612345678"},
		},
		{
			name:    "phone international with plus",
			in:      Customer{Kind: KindPerson, FirstName: "Ana", Phone: "+44 7911 123456"},
			country: "ES",
			want:    Customer{Kind: KindPerson, FirstName: "Ana", Phone: "+447911123456"},
		},
		{
			name:    "blank phone cleared",
			in:      Customer{Kind: KindPerson, FirstName: "Ana", Phone: " \t "},
			country: "ES",
			want:    Customer{Kind: KindPerson, FirstName: "Ana"},
		},
		{
			name:    "consent date cleared without consent",
			in:      Customer{Kind: KindPerson, FirstName: "Ana", MarketingConsent: false, MarketingConsentAt: &consentAt},
			country: "ES",
			want:    Customer{Kind: KindPerson, FirstName: "Ana"},
		},
		{
			name:    "consent date kept with consent",
			in:      Customer{Kind: KindPerson, FirstName: "Ana", MarketingConsent: true, MarketingConsentAt: &consentAt},
			country: "ES",
			want:    Customer{Kind: KindPerson, FirstName: "Ana", MarketingConsent: true, MarketingConsentAt: &consentAt},
		},
		{
			name: "fields Prepare does not own are left alone",
			in: Customer{ID: "id-1", Seq: 7, Kind: KindPerson, FirstName: "Ana", InvoiceByEmail: true, Email: "a@example.com",
				CreditLimitCents: 5000, CreatedAt: consentAt, UpdatedAt: consentAt, Version: 3},
			country: "ES",
			want: Customer{ID: "id-1", Seq: 7, Kind: KindPerson, FirstName: "Ana", InvoiceByEmail: true, Email: "a@example.com",
				CreditLimitCents: 5000, CreatedAt: consentAt, UpdatedAt: consentAt, Version: 3},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.in
			if err := c.Prepare(tt.country); err != nil {
				t.Fatalf("Prepare: %v", err)
			}
			if !reflect.DeepEqual(c, tt.want) {
				t.Errorf("Prepare(%q) =\n%+v\nwant\n%+v", tt.country, c, tt.want)
			}
		})
	}
}

// textField names one bounded text field and how to set it.
type textField struct {
	name      string
	max       int
	company   bool // set on a company rather than a person
	multiline bool
	set       func(c *Customer, v string)
	// value builds a valid value of n characters from filler (default: n times filler).
	value func(n int, filler string) string
}

func textFields() []textField {
	email := func(n int, filler string) string {
		const domain = "@example.com"
		return strings.Repeat(filler, n-len(domain)) + domain
	}
	return []textField{
		{name: "first_name", max: MaxNameLen, set: func(c *Customer, v string) { c.FirstName = v }},
		{name: "last_name", max: MaxNameLen, set: func(c *Customer, v string) { c.LastName = v }},
		{name: "company_name", max: MaxCompanyNameLen, company: true, set: func(c *Customer, v string) { c.CompanyName = v }},
		{name: "legal_form", max: MaxLegalFormLen, company: true, set: func(c *Customer, v string) { c.LegalForm = v }},
		{name: "address.line1", max: MaxAddressLineLen, set: func(c *Customer, v string) { c.Address.Line1 = v }},
		{name: "address.line2", max: MaxAddressLineLen, set: func(c *Customer, v string) { c.Address.Line2 = v }},
		{name: "address.postal_code", max: MaxPostalCodeLen, set: func(c *Customer, v string) { c.Address.PostalCode = v }},
		{name: "address.city", max: MaxCityLen, set: func(c *Customer, v string) { c.Address.City = v }},
		{name: "address.region", max: MaxRegionLen, set: func(c *Customer, v string) { c.Address.Region = v }},
		{name: "reference", max: MaxReferenceLen, set: func(c *Customer, v string) { c.Reference = v }},
		{name: "email", max: MaxEmailLen, set: func(c *Customer, v string) { c.Email = v }, value: email},
		{name: "notes", max: MaxNotesLen, multiline: true, set: func(c *Customer, v string) { c.Notes = v }},
	}
}

func (f textField) base() Customer {
	if f.company {
		return validCompany()
	}
	return validPerson()
}

func (f textField) make(n int, filler string) string {
	if f.value != nil {
		return f.value(n, filler)
	}
	return strings.Repeat(filler, n)
}

func TestCustomerPrepareTextBounds(t *testing.T) {
	for _, f := range textFields() {
		for _, filler := range []string{"a", "é"} {
			t.Run(f.name+"/"+filler+"/at max", func(t *testing.T) {
				c := f.base()
				v := f.make(f.max, filler)
				f.set(&c, v)
				if err := c.Prepare("ES"); err != nil {
					t.Fatalf("%d characters (%d bytes): %v", utf8.RuneCountInString(v), len(v), err)
				}
			})
			t.Run(f.name+"/"+filler+"/over max", func(t *testing.T) {
				c := f.base()
				f.set(&c, f.make(f.max+1, filler))
				err := c.Prepare("ES")
				if got, want := problems(t, err), []string{f.name + ":too_long"}; !slices.Equal(got, want) {
					t.Fatalf("problems = %q, want %q", got, want)
				}
				fe, _ := fieldError(t, err, f.name)
				if fe.Params["max"] != f.max {
					t.Errorf("params = %v, want max %d", fe.Params, f.max)
				}
			})
		}
		t.Run(f.name+"/surrounding spaces not counted", func(t *testing.T) {
			c := f.base()
			v := " \t" + f.make(f.max, "é") + " \t"
			if f.multiline {
				v = f.make(f.max, "é") + " \n\t\r\n" // notes keep their leading white space (indentation)
			}
			f.set(&c, v)
			if err := c.Prepare("ES"); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestCustomerPrepareControlCharacters(t *testing.T) {
	inputs := []struct {
		name  string
		v     string
		multi bool // allowed in multi-line fields
	}{
		{"line feed", "a\nb", true},
		{"carriage return", "a\rb", true},
		{"CRLF", "a\r\nb", true},
		{"tab", "a\tb", true},
		{"NUL", "a\x00b", false},
		{"escape", "a\x1bb", false},
		{"delete", "a\x7fb", false},
		{"C1 next line", "a\u0085b", false},
		{"line separator", "a\u2028b", false},
		{"paragraph separator", "a\u2029b", false},
	}
	for _, f := range textFields() {
		if f.name == "email" {
			continue // covered in TestCustomerPrepareRules
		}
		for _, in := range inputs {
			t.Run(f.name+"/"+in.name, func(t *testing.T) {
				c := f.base()
				f.set(&c, in.v)
				got := problems(t, c.Prepare("ES"))
				var want []string
				if !(f.multiline && in.multi) {
					want = []string{f.name + ":invalid_control_character"}
				}
				if !slices.Equal(got, want) {
					t.Errorf("problems = %q, want %q", got, want)
				}
			})
		}
	}
}

func TestCustomerPrepareInvalidUTF8(t *testing.T) {
	for _, f := range textFields() {
		for _, v := range []string{"ab\xffcd", "\xc3", "a\xed\xa0\x80b"} {
			t.Run(f.name+"/"+strings.ToValidUTF8(v, "?"), func(t *testing.T) {
				c := f.base()
				f.set(&c, v)
				if got, want := problems(t, c.Prepare("ES")), []string{f.name + ":invalid_utf8"}; !slices.Equal(got, want) {
					t.Errorf("problems = %q, want %q", got, want)
				}
			})
		}
	}
	t.Run("phone", func(t *testing.T) {
		c := validPerson()
		c.Phone = "+34 612\xff"
		if got, want := problems(t, c.Prepare("ES")), []string{"phone:invalid_utf8"}; !slices.Equal(got, want) {
			t.Errorf("problems = %q, want %q", got, want)
		}
	})
}

func validCustomers() map[string]Customer {
	at := time.Date(2023, 1, 2, 3, 4, 5, 0, time.UTC)
	return map[string]Customer{
		"minimal person":  {Kind: KindPerson, LastName: "Núñez"},
		"minimal company": {Kind: KindCompany, CompanyName: "Acme"},
		"full person": {Kind: KindPerson, Title: TitleMrs, FirstName: " María José ", LastName: "García-Pérez ",
			TaxID: "es-12.345.678-z", Email: "Maria@Example.ES", Phone: "612 34 56 78", Reference: " 8412345678905 ",
			AccountNumber: "43000001", GroupID: "0190c3c0-0000-7000-8000-000000000000", Notes: "Prefers mornings.\n\tCall first.\n",
			InvoiceByEmail: true, MarketingConsent: true, MarketingConsentAt: &at, CreditLimitCents: 50000,
			Address: Address{Line1: "Calle Mayor 1", Line2: "3º izq.", PostalCode: "28013", City: "Madrid", Region: "Madrid", Country: "es"}},
		"full company": {Kind: KindCompany, CompanyName: "Talleres Ruiz", LegalForm: "S.L.", TaxID: "b58378431",
			Email: "facturas@talleres-ruiz.es", Phone: "+34 912 34 56 78", CreditLimitCents: MaxCreditLimit},
		"French person": {Kind: KindPerson, Title: TitleMs, FirstName: "Françoise", LastName: "Lefèvre", TaxID: "fr 12 345 678 901",
			Phone: "06 12 34 56 78", Address: Address{City: "Lyon", Country: "FR"}},
		"British company": {Kind: KindCompany, CompanyName: "Smith & Sons", LegalForm: "Ltd", TaxID: "GB-123.456.789",
			Phone: "+44 7911 123456", Address: Address{Country: "gb"}},
		"consent withdrawn": {Kind: KindPerson, FirstName: "Ana", MarketingConsentAt: &at},
		"blank optional fields": {Kind: KindPerson, FirstName: "Ana", Phone: "  ", Email: " ", Reference: "\t",
			Notes: "\n\n"},
		"limits": {Kind: KindPerson, FirstName: strings.Repeat("é", MaxNameLen), LastName: strings.Repeat("ñ", MaxNameLen),
			Notes: strings.Repeat("ü\n", MaxNotesLen/2), AccountNumber: strings.Repeat("9", MaxAccountLen)},
	}
}

func TestCustomerPrepareIdempotent(t *testing.T) {
	for name, in := range validCustomers() {
		for _, def := range []string{"ES", "FR"} {
			t.Run(name+"/"+def, func(t *testing.T) {
				once := in
				if err := once.Prepare(def); err != nil {
					t.Fatalf("first Prepare: %v", err)
				}
				twice := once
				if err := twice.Prepare(def); err != nil {
					t.Fatalf("second Prepare: %v", err)
				}
				if !reflect.DeepEqual(once, twice) {
					t.Errorf("second Prepare changed the customer:\n%+v\n%+v", once, twice)
				}
				if fields := ChangedFields(&once, &twice); len(fields) != 0 {
					t.Errorf("ChangedFields after second Prepare = %q", fields)
				}
			})
		}
	}
}

// allFieldNames is every field ChangedFields may report, in its order.
var allFieldNames = []string{
	"kind", "title", "first_name", "last_name", "company_name", "legal_form", "tax_id", "email",
	"phone", "address.line1", "address.line2", "address.postal_code", "address.city",
	"address.region", "address.country", "reference", "account_number", "group_id", "notes",
	"invoice_by_email", "marketing_consent", "credit_limit_cents",
}

func TestChangedFields(t *testing.T) {
	base := func() Customer {
		c := validCustomers()["full person"]
		if err := c.Prepare("ES"); err != nil {
			t.Fatal(err)
		}
		return c
	}
	later := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		edit func(c *Customer)
		want []string
	}{
		{"equal", func(c *Customer) {}, nil},
		{"kind", func(c *Customer) { c.Kind = KindCompany }, []string{"kind"}},
		{"title", func(c *Customer) { c.Title = TitleMr }, []string{"title"}},
		{"first name", func(c *Customer) { c.FirstName = "Ana" }, []string{"first_name"}},
		{"last name", func(c *Customer) { c.LastName = "" }, []string{"last_name"}},
		{"company name", func(c *Customer) { c.CompanyName = "Acme" }, []string{"company_name"}},
		{"legal form", func(c *Customer) { c.LegalForm = "S.A." }, []string{"legal_form"}},
		{"tax id", func(c *Customer) { c.TaxID = "X2482300W" }, []string{"tax_id"}},
		{"email", func(c *Customer) { c.Email = "other@example.com" }, []string{"email"}},
		{"phone", func(c *Customer) { c.Phone = "" }, []string{"phone"}},
		{"line1", func(c *Customer) { c.Address.Line1 = "x" }, []string{"address.line1"}},
		{"line2", func(c *Customer) { c.Address.Line2 = "x" }, []string{"address.line2"}},
		{"postal code", func(c *Customer) { c.Address.PostalCode = "x" }, []string{"address.postal_code"}},
		{"city", func(c *Customer) { c.Address.City = "x" }, []string{"address.city"}},
		{"region", func(c *Customer) { c.Address.Region = "x" }, []string{"address.region"}},
		{"country", func(c *Customer) { c.Address.Country = "FR" }, []string{"address.country"}},
		{"reference", func(c *Customer) { c.Reference = "x" }, []string{"reference"}},
		{"account number", func(c *Customer) { c.AccountNumber = "1" }, []string{"account_number"}},
		{"group", func(c *Customer) { c.GroupID = "" }, []string{"group_id"}},
		{"notes", func(c *Customer) { c.Notes = "" }, []string{"notes"}},
		{"invoice by email", func(c *Customer) { c.InvoiceByEmail = false }, []string{"invoice_by_email"}},
		{"marketing consent", func(c *Customer) { c.MarketingConsent = false }, []string{"marketing_consent"}},
		{"credit limit", func(c *Customer) { c.CreditLimitCents++ }, []string{"credit_limit_cents"}},
		{"case only", func(c *Customer) { c.FirstName = strings.ToUpper(c.FirstName) }, []string{"first_name"}},
		{"bookkeeping fields not reported", func(c *Customer) {
			c.ID, c.Seq, c.Version = "other", c.Seq+1, c.Version+1
			c.CreatedAt, c.UpdatedAt, c.MarketingConsentAt = later, later, &later
		}, nil},
		{"several, in API order", func(c *Customer) {
			c.CreditLimitCents, c.Email, c.Kind, c.Address.City = 1, "x@example.com", KindCompany, "Sevilla"
		}, []string{"kind", "email", "address.city", "credit_limit_cents"}},
		{"everything", func(c *Customer) {
			*c = Customer{Kind: KindCompany, Title: TitleMr, FirstName: "1", LastName: "2", CompanyName: "3",
				LegalForm: "4", TaxID: "5", Email: "6", Phone: "7",
				Address:   Address{Line1: "8", Line2: "9", PostalCode: "10", City: "11", Region: "12", Country: "PT"},
				Reference: "13", AccountNumber: "14", GroupID: "15", Notes: "16", CreditLimitCents: 17}
		}, allFieldNames},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, after := base(), base()
			tt.edit(&after)
			got := ChangedFields(&before, &after)
			if !slices.Equal(got, tt.want) {
				t.Errorf("ChangedFields = %q, want %q", got, tt.want)
			}
			// Symmetric: the same names whichever way round.
			if back := ChangedFields(&after, &before); !slices.Equal(back, tt.want) {
				t.Errorf("ChangedFields reversed = %q, want %q", back, tt.want)
			}
		})
	}
}

func TestCustomerChangesApply(t *testing.T) {
	full := CustomerChanges{
		Kind: Some(KindCompany), Title: Some(TitleMs), FirstName: Some("f"), LastName: Some("l"),
		CompanyName: Some("c"), LegalForm: Some("lf"), TaxID: Some("t"), Email: Some("e"), Phone: Some("p"),
		Line1: Some("l1"), Line2: Some("l2"), PostalCode: Some("pc"), City: Some("ci"), Region: Some("r"),
		Country: Some("co"), Reference: Some("ref"), AccountNumber: Some("a"), GroupID: Some("g"),
		Notes: Some("n"), InvoiceByEmail: Some(true), MarketingConsent: Some(true), CreditLimitCents: Some(int64(9)),
	}
	fullWant := Customer{Kind: KindCompany, Title: TitleMs, FirstName: "f", LastName: "l", CompanyName: "c",
		LegalForm: "lf", TaxID: "t", Email: "e", Phone: "p",
		Address:   Address{Line1: "l1", Line2: "l2", PostalCode: "pc", City: "ci", Region: "r", Country: "co"},
		Reference: "ref", AccountNumber: "a", GroupID: "g", Notes: "n", InvoiceByEmail: true, MarketingConsent: true,
		CreditLimitCents: 9}
	start := Customer{ID: "id", Kind: KindPerson, FirstName: "Ana", Email: "ana@example.com", InvoiceByEmail: true,
		Address: Address{City: "Madrid"}, CreditLimitCents: 100}

	tests := []struct {
		name string
		from Customer
		ch   CustomerChanges
		want Customer
	}{
		{"nothing set leaves all", start, CustomerChanges{}, start},
		{"one field", start, CustomerChanges{LastName: Some("García")},
			Customer{ID: "id", Kind: KindPerson, FirstName: "Ana", LastName: "García", Email: "ana@example.com", InvoiceByEmail: true,
				Address: Address{City: "Madrid"}, CreditLimitCents: 100}},
		{"set to zero values clears", start, CustomerChanges{Email: Some(""), InvoiceByEmail: Some(false), City: Some(""), CreditLimitCents: Some(int64(0))},
			Customer{ID: "id", Kind: KindPerson, FirstName: "Ana"}},
		{"unset value ignored", start, CustomerChanges{FirstName: Opt[string]{Set: false, Value: "ignored"}}, start},
		{"every field", Customer{}, full, fullWant},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.from
			tt.ch.Apply(&c)
			if !reflect.DeepEqual(c, tt.want) {
				t.Errorf("Apply =\n%+v\nwant\n%+v", c, tt.want)
			}
		})
	}
	t.Run("every field reported changed", func(t *testing.T) {
		var c Customer
		full.Apply(&c)
		if got := ChangedFields(&Customer{}, &c); !slices.Equal(got, allFieldNames) {
			t.Errorf("ChangedFields = %q, want %q", got, allFieldNames)
		}
	})
}

func TestCustomerDisplayNameAndSortKey(t *testing.T) {
	tests := []struct {
		name        string
		c           Customer
		wantDisplay string
		wantSort    string
	}{
		{"person both names", Customer{Kind: KindPerson, FirstName: "Ana", LastName: "García"}, "Ana García", "garcia ana"},
		{"person accents and case folded", Customer{Kind: KindPerson, FirstName: "JOSÉ", LastName: "Muñoz Peña"}, "JOSÉ Muñoz Peña", "munoz pena jose"},
		{"person first name only", Customer{Kind: KindPerson, FirstName: "Ana"}, "Ana", "ana"},
		{"person last name only", Customer{Kind: KindPerson, LastName: "Núñez"}, "Núñez", "nunez"},
		{"person title not shown", Customer{Kind: KindPerson, Title: TitleMr, FirstName: "Luis", LastName: "Gómez"}, "Luis Gómez", "gomez luis"},
		{"person company fields ignored", Customer{Kind: KindPerson, FirstName: "Ana", CompanyName: "Acme"}, "Ana", "ana"},
		{"person special letters", Customer{Kind: KindPerson, FirstName: "Søren", LastName: "Straße"}, "Søren Straße", "strasse soren"},
		{"company with legal form", Customer{Kind: KindCompany, CompanyName: "Élite Café", LegalForm: "S.L."}, "Élite Café S.L.", "elite cafe"},
		{"company without legal form", Customer{Kind: KindCompany, CompanyName: "ACME"}, "ACME", "acme"},
		{"company person fields ignored", Customer{Kind: KindCompany, CompanyName: "Acme", FirstName: "Ana", LastName: "Zapata"}, "Acme", "acme"},
		{"company inner spaces collapsed in sort key", Customer{Kind: KindCompany, CompanyName: "Bar  Pepe"}, "Bar  Pepe", "bar pepe"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.c.DisplayName(); got != tt.wantDisplay {
				t.Errorf("DisplayName = %q, want %q", got, tt.wantDisplay)
			}
			if got := tt.c.SortKey(); got != tt.wantSort {
				t.Errorf("SortKey = %q, want %q", got, tt.wantSort)
			}
		})
	}
	t.Run("order", func(t *testing.T) {
		// Persons sort by last name, so "Ábalos" comes before "Zapata" whatever the first names.
		a := Customer{Kind: KindPerson, FirstName: "Zoe", LastName: "Ábalos"}
		z := Customer{Kind: KindPerson, FirstName: "Ana", LastName: "Zapata"}
		if !(a.SortKey() < z.SortKey()) {
			t.Errorf("SortKey(%q) = %q not before SortKey(%q) = %q", a.LastName, a.SortKey(), z.LastName, z.SortKey())
		}
	})
}

func TestCustomerSearchDocument(t *testing.T) {
	c := Customer{Kind: KindPerson, FirstName: "José", LastName: "Muñoz", Email: "jose.munoz84@example.com",
		Phone: "+33612345678", Reference: "REF-77", TaxID: "X2482300W", Address: Address{City: "Málaga"}, Notes: "secretword"}
	tokens := strings.Fields(c.SearchDocument())
	for _, want := range []string{"¶jose", "¶munoz", "84", "example", "com", "ref", "77", "x", "2482300", "w", "malaga",
		"33612345678", "612345678", "0612345678", "§87654321633"} {
		if !slices.Contains(tokens, want) {
			t.Errorf("SearchDocument tokens %q lack %q", tokens, want)
		}
	}
	if slices.Contains(tokens, "secretword") {
		t.Errorf("SearchDocument indexes notes: %q", tokens)
	}
}

// FuzzCustomerPrepare checks that Prepare never panics and that whatever it accepts is clean
// and stable.
func FuzzCustomerPrepare(f *testing.F) {
	f.Add(false, "Ana", "ana@example.com", "612 34 56 78", "es-12.345.678-z", "", "REF-1")
	f.Add(true, "Talleres Ruiz", "Facturas@Talleres.ES", "+34 912 34 56 78", "B-58378431", "es", "8412345678905")
	f.Add(false, "Françoise", "f@exemple.fr", "06 12 34 56 78", "fr 123 456 789", "FR", "")
	f.Add(false, " José\u00a0", "\"a b\"@example.com", "0033612345678", "X2482300W", " gb ", " r ")
	f.Add(true, "Acme\r\n", "a@b.c\r\nBcc: x@y.z", "+1 202 555 0143 ext 9", "12345678\tZ", "US", "\x00")
	f.Add(false, "\xff", "é@é.é", "+", "ÑÑ", "XX", strings.Repeat("é", 65))
	f.Add(true, "Bar\u202E", "a\u200B@b.es", "612345678 ext 5", "12345678Z", "", "\uFEFFR")
	f.Add(false, "علی\u200Cرضا", "a@b.es", "+34 912 34 56 78 ext. ٢٥", "B12345674", "FR", "R\u2066")
	f.Add(true, "Acme", "", "", "fr 40 303 265 045", "DE", "")
	f.Fuzz(func(t *testing.T, company bool, name, email, phone, taxID, country, reference string) {
		c := Customer{Kind: KindPerson, FirstName: name, Email: email, Phone: phone, TaxID: taxID,
			Reference: reference, Address: Address{Country: country}}
		if company {
			c = Customer{Kind: KindCompany, CompanyName: name, Email: email, Phone: phone, TaxID: taxID,
				Reference: reference, Address: Address{Country: country}}
		}
		if err := c.Prepare("ES"); err != nil {
			if ErrorCode(err) != CodeInvalid {
				t.Fatalf("Prepare returned %v, not a validation error", err)
			}
			return
		}
		again := c
		if err := again.Prepare("ES"); err != nil {
			t.Fatalf("second Prepare of %+v: %v", c, err)
		}
		if !reflect.DeepEqual(c, again) {
			t.Fatalf("second Prepare changed the customer:\n%+v\n%+v", c, again)
		}
		for _, fld := range []struct {
			name string
			v    string
			max  int
		}{
			{"first_name", c.FirstName, MaxNameLen},
			{"last_name", c.LastName, MaxNameLen},
			{"company_name", c.CompanyName, MaxCompanyNameLen},
			{"legal_form", c.LegalForm, MaxLegalFormLen},
			{"tax_id", c.TaxID, MaxTaxIDLen},
			{"email", c.Email, MaxEmailLen},
			{"phone", c.Phone, MaxPhoneLen},
			{"address.line1", c.Address.Line1, MaxAddressLineLen},
			{"address.line2", c.Address.Line2, MaxAddressLineLen},
			{"address.postal_code", c.Address.PostalCode, MaxPostalCodeLen},
			{"address.city", c.Address.City, MaxCityLen},
			{"address.region", c.Address.Region, MaxRegionLen},
			{"address.country", c.Address.Country, 2},
			{"reference", c.Reference, MaxReferenceLen},
			{"account_number", c.AccountNumber, MaxAccountLen},
		} {
			if !utf8.ValidString(fld.v) {
				t.Errorf("%s = %q is not valid UTF-8", fld.name, fld.v)
			}
			if strings.IndexFunc(fld.v, func(r rune) bool { return unicode.IsControl(r) || r == '\u2028' || r == '\u2029' }) >= 0 {
				t.Errorf("%s = %q has a control character", fld.name, fld.v)
			}
			if n := utf8.RuneCountInString(fld.v); n > fld.max {
				t.Errorf("%s = %q has %d characters, more than %d", fld.name, fld.v, n, fld.max)
			}
			if fld.v != strings.TrimSpace(fld.v) {
				t.Errorf("%s = %q has surrounding white space", fld.name, fld.v)
			}
			// Format characters are only let through as joiners between non-Latin letters.
			if strings.IndexFunc(fld.v, func(r rune) bool {
				return (unicode.Is(unicode.Cf, r) && r != '\u200C' && r != '\u200D') || r == '\u3164'
			}) >= 0 {
				t.Errorf("%s = %q has an invisible or text-direction character", fld.name, fld.v)
			}
		}
		// A Spanish id fits the kind: a company's CIF starts with a letter that is not
		// X, Y, Z, K, L or M; a person's id does not.
		if c.Address.Country == "" || c.Address.Country == "ES" {
			if len(c.TaxID) == 9 && c.TaxID[1] >= '0' && c.TaxID[1] <= '9' {
				personal := strings.IndexByte("0123456789XYZKLM", c.TaxID[0]) >= 0
				if company == personal {
					t.Errorf("tax id %q accepted for a company=%v", c.TaxID, company)
				}
			}
		}
		if e164, ext, _ := strings.Cut(c.Phone, ExtensionMark); c.Phone != "" && (!strings.HasPrefix(e164, "+") || strings.Trim(e164[1:]+ext, "0123456789") != "") {
			t.Errorf("Phone = %q is not E.164 with an optional extension", c.Phone)
		}
		if strings.IndexFunc(c.TaxID, func(r rune) bool { return unicode.IsLower(r) || unicode.IsSpace(r) }) >= 0 {
			t.Errorf("TaxID = %q has lower-case letters or spaces", c.TaxID)
		}
		if company && c.CompanyName == "" || !company && c.FirstName == "" {
			t.Errorf("accepted without a name: %+v", c)
		}
	})
}
