package domain

import (
	"reflect"
	"slices"
	"testing"
)

// TestTaxIDFitsTheKind: a person holds a person's Spanish id, a company a company's; the
// error says which fits.
func TestTaxIDFitsTheKind(t *testing.T) {
	tests := []struct {
		name    string
		base    func() Customer
		taxID   string
		country string // of the address; the shop's is ES
		want    []string
	}{
		{"company with a DNI", validCompany, "12345678Z", "", []string{"tax_id:taxid_for_persons"}},
		{"company with a NIE", validCompany, "X2482300W", "", []string{"tax_id:taxid_for_persons"}},
		{"company with a K/L/M NIF", validCompany, "L1111111G", "", []string{"tax_id:taxid_for_persons"}},
		{"company with a DNI as a VAT number", validCompany, "ES12345678Z", "", []string{"tax_id:taxid_for_persons"}},
		{"company with a Spanish VAT number abroad", validCompany, "ES12345678Z", "FR", []string{"tax_id:taxid_for_persons"}},
		{"person with a CIF", validPerson, "B12345674", "", []string{"tax_id:taxid_for_companies"}},
		{"person with a CIF as a VAT number", validPerson, "ESB12345674", "", []string{"tax_id:taxid_for_companies"}},
		{"company with a CIF", validCompany, "B12345674", "", nil},
		{"company with a CIF with a letter control", validCompany, "P1234567D", "", nil},
		{"person with a DNI", validPerson, "12345678Z", "", nil},
		{"person with a NIE", validPerson, "X2482300W", "", nil},
		{"person with a K/L/M NIF", validPerson, "L1111111G", "", nil},
		// Other countries' numbers fit either kind: sole traders have VAT numbers too.
		{"person with a French VAT number", validPerson, "FR40303265045", "FR", nil},
		{"company with a French VAT number in a Spanish shop", validCompany, "FR40303265045", "", nil},
		// A wrong control character is reported as such, not as a mismatch.
		{"company with a wrong DNI", validCompany, "12345678A", "", []string{"tax_id:invalid_control_character_taxid"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.base()
			c.TaxID, c.Address.Country = tt.taxID, tt.country
			if got := problems(t, c.Prepare("ES")); !slices.Equal(got, tt.want) {
				t.Errorf("problems = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestEUVATNumbers: a VAT number is a country prefix and that country's format, wherever
// the customer lives in the EU; it is stored as taxid.Normalize gives it.
func TestEUVATNumbers(t *testing.T) {
	tests := []struct {
		taxID, country string
		stored         string
		want           []string
		params         map[string]any
	}{
		{"fr 40 303 265 045", "FR", "FR40303265045", nil, nil},
		{"DE 123 456 789", "", "DE123456789", nil, nil},
		{"atu-12345678", "AT", "ATU12345678", nil, nil},
		{"NL123456789B01", "ES", "NL123456789B01", nil, nil},
		{"ES B58378431", "DE", "B58378431", nil, nil},
		{"DE 12345678", "", "", []string{"tax_id:invalid_vat_number"}, map[string]any{"country": "DE", "example": "DE123456789"}},
		{"ATU1234567", "AT", "", []string{"tax_id:invalid_vat_number"}, map[string]any{"country": "AT", "example": "ATU12345678"}},
		{"EL12345678", "GR", "", []string{"tax_id:invalid_vat_number"}, map[string]any{"country": "EL", "example": "EL123456789"}},
		// Outside the EU, ids are free.
		{"DE 1", "US", "DE1", nil, nil},
		{"GB 123 4567 89", "GB", "GB123456789", nil, nil},
	}
	for _, tt := range tests {
		c := validCompany()
		c.TaxID, c.Address.Country = tt.taxID, tt.country
		err := c.Prepare("ES")
		if got := problems(t, err); !slices.Equal(got, tt.want) {
			t.Errorf("%q in %q: problems = %q, want %q", tt.taxID, tt.country, got, tt.want)
			continue
		}
		if tt.want == nil && c.TaxID != tt.stored {
			t.Errorf("%q in %q: stored %q, want %q", tt.taxID, tt.country, c.TaxID, tt.stored)
		}
		if tt.params != nil {
			if fe, _ := fieldError(t, err, "tax_id"); !reflect.DeepEqual(fe.Params, tt.params) {
				t.Errorf("%q: params %v, want %v", tt.taxID, fe.Params, tt.params)
			}
		}
	}
}

// TestKindRule: a change clears the other kind's fields it leaves out, and Prepare refuses
// the ones it sets.
func TestKindRule(t *testing.T) {
	// The city shows that what is no name is kept.
	maria := Customer{Kind: KindPerson, Title: TitleMrs, FirstName: "María", LastName: "García", Address: Address{City: "Madrid"}}
	garcia := Customer{Kind: KindCompany, CompanyName: "Garcia", LegalForm: "S.L."}
	tests := []struct {
		name  string
		from  Customer
		ch    CustomerChanges
		want  Customer
		probs []string
	}{
		{"person becomes a company: names go",
			maria, CustomerChanges{Kind: Some(KindCompany), CompanyName: Some("Garcia"), LegalForm: Some("S.L.")},
			Customer{Kind: KindCompany, CompanyName: "Garcia", LegalForm: "S.L.", Address: maria.Address}, nil},
		{"person becomes a company, names cleared by the same request",
			maria, CustomerChanges{Kind: Some(KindCompany), CompanyName: Some("Garcia"), FirstName: Some(""), Title: Some(TitleNone)},
			Customer{Kind: KindCompany, CompanyName: "Garcia", Address: maria.Address}, nil},
		{"person becomes a company that keeps a name: refused",
			maria, CustomerChanges{Kind: Some(KindCompany), CompanyName: Some("Garcia"), FirstName: Some("María")},
			Customer{}, []string{"first_name:not_allowed"}},
		{"company becomes a person: company fields go",
			garcia, CustomerChanges{Kind: Some(KindPerson), FirstName: Some("Pedro")},
			Customer{Kind: KindPerson, FirstName: "Pedro"}, nil},
		{"company becomes a person with a legal form: refused",
			garcia, CustomerChanges{Kind: Some(KindPerson), FirstName: Some("Pedro"), LegalForm: Some("S.L.")},
			Customer{}, []string{"legal_form:not_allowed"}},
		{"a company is given a last name: refused",
			garcia, CustomerChanges{LastName: Some("García")},
			Customer{}, []string{"last_name:not_allowed"}},
		{"a company is given a title: refused",
			garcia, CustomerChanges{Title: Some(TitleMr)},
			Customer{}, []string{"title:not_allowed"}},
		{"a person is given a company name: refused",
			maria, CustomerChanges{CompanyName: Some("Garcia")},
			Customer{}, []string{"company_name:not_allowed"}},
		{"a company holding hidden names from before loses them on its next change",
			Customer{Kind: KindCompany, CompanyName: "Garcia", FirstName: "María", LastName: "García", Title: TitleMrs},
			CustomerChanges{Notes: Some("x")},
			Customer{Kind: KindCompany, CompanyName: "Garcia", Notes: "x"}, nil},
		{"a new company with a contact name: refused",
			Customer{}, CustomerChanges{Kind: Some(KindCompany), CompanyName: Some("Garcia"), FirstName: Some("María"), LastName: Some("García")},
			Customer{}, []string{"first_name:not_allowed", "last_name:not_allowed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.from
			tt.ch.Apply(&c)
			err := c.Prepare("ES")
			if got := problems(t, err); !slices.Equal(got, tt.probs) {
				t.Fatalf("problems = %q, want %q", got, tt.probs)
			}
			if err == nil && !reflect.DeepEqual(c, tt.want) {
				t.Errorf("got\n%+v\nwant\n%+v", c, tt.want)
			}
		})
	}
}

// TestInvoiceByEmailRule: invoices by e-mail follow the e-mail unless the change says
// otherwise; the rule is the same on create (from an empty customer) and on update.
func TestInvoiceByEmailRule(t *testing.T) {
	none := validPerson()
	withEmail := validPerson()
	withEmail.Email, withEmail.InvoiceByEmail = "ana@example.com", true
	optedOut := withEmail
	optedOut.InvoiceByEmail = false
	tests := []struct {
		name  string
		from  Customer
		ch    CustomerChanges
		want  bool
		probs []string
	}{
		{"create with an e-mail", none, CustomerChanges{Email: Some("ana@example.com")}, true, nil},
		{"create with an e-mail, told no", none, CustomerChanges{Email: Some("ana@example.com"), InvoiceByEmail: Some(false)}, false, nil},
		{"create without an e-mail", none, CustomerChanges{}, false, nil},
		{"create with only white space as e-mail", none, CustomerChanges{Email: Some("  ")}, false, nil},
		{"asked for without an e-mail", none, CustomerChanges{InvoiceByEmail: Some(true)}, false, []string{"invoice_by_email:requires_email"}},
		{"e-mail removed", withEmail, CustomerChanges{Email: Some("")}, false, nil},
		{"e-mail changed keeps it on", withEmail, CustomerChanges{Email: Some("ana@example.org")}, true, nil},
		{"e-mail changed keeps it off", optedOut, CustomerChanges{Email: Some("ana@example.org")}, false, nil},
		{"something else changed keeps it off", optedOut, CustomerChanges{Notes: Some("x")}, false, nil},
		{"turned off by hand", withEmail, CustomerChanges{InvoiceByEmail: Some(false)}, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.from
			tt.ch.Apply(&c)
			err := c.Prepare("ES")
			if got := problems(t, err); !slices.Equal(got, tt.probs) {
				t.Fatalf("problems = %q, want %q", got, tt.probs)
			}
			if err == nil && c.InvoiceByEmail != tt.want {
				t.Errorf("invoice_by_email = %v, want %v", c.InvoiceByEmail, tt.want)
			}
		})
	}
}
