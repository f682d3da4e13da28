package httpapi_test

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/clientela/clientela/internal/domain"
)

// post creates a customer as a manager and returns the answer, whatever it is.
func (e *apiEnv) post(t testing.TB, body any) response {
	t.Helper()
	return e.do(t, "POST /api/v1/customers", req{method: "POST", path: "/api/v1/customers", role: domain.RoleManager, body: body})
}

// patch changes a customer at a version as a manager.
func (e *apiEnv) patch(t testing.TB, id, version string, body any) response {
	t.Helper()
	return e.do(t, "PATCH /api/v1/customers/{id}", req{method: "PATCH", path: "/api/v1/customers/" + id, role: domain.RoleManager,
		body: body, header: map[string]string{"If-Match": `"` + version + `"`}})
}

// wantRefused checks that an answer is status with the field error want among its errors.
func wantRefused(t *testing.T, r response, status int, want string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
	if fields := r.errorFields(t); !slices.Contains(fields, want) {
		t.Errorf("errors %v lack %q", fields, want)
	}
}

// TestTextThatSpoofsIsRefused (issue 7 item 4): text-direction and invisible characters in
// one-line fields, escaped lone surrogates and members given twice are refused, naming the
// field, and nothing is stored.
func TestTextThatSpoofsIsRefused(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *apiEnv) {
		for _, tc := range []struct {
			name   string
			body   any
			status int
			want   string
		}{
			{"right-to-left override in a name", map[string]any{"kind": "person", "first_name": "Ana\u202Egnp.exe"}, 422, "first_name:invisible_character"},
			{"isolate in a company name", map[string]any{"kind": "company", "company_name": "Bar \u2067Pepe\u2069"}, 422, "company_name:invisible_character"},
			{"zero-width space in a reference", map[string]any{"kind": "person", "first_name": "A", "reference": "CARD\u200B1"}, 422, "reference:invisible_character"},
			{"word joiner in an e-mail", map[string]any{"kind": "person", "first_name": "A", "email": "ana\u2060@example.com"}, 422, "email:invisible_character"},
			{"byte order mark in a city", map[string]any{"kind": "person", "first_name": "A", "address": map[string]any{"city": "\uFEFFMadrid"}}, 422, "address.city:invisible_character"},
			{"override in notes", map[string]any{"kind": "person", "first_name": "A", "notes": "pagado\u202E 0001"}, 422, "notes:invisible_character"},
			{"lone surrogate", `{"kind":"person","first_name":"Ana\ud800"}`, 400, "first_name:invalid_utf8"},
			{"lone low surrogate in the address", `{"kind":"person","first_name":"Ana","address":{"city":"\udfff"}}`, 400, "address.city:invalid_utf8"},
			{"duplicate member", `{"kind":"person","first_name":"Ana","first_name":"Eve"}`, 400, "first_name:duplicate_key"},
			{"duplicate member spelled otherwise", `{"kind":"person","first_name":"Ana","first_n\u0061me":"Eve"}`, 400, "first_name:duplicate_key"},
			{"duplicate member in the address", `{"kind":"person","first_name":"Ana","address":{"city":"Madrid","city":"Sevilla"}}`, 400, "address.city:duplicate_key"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				wantRefused(t, e.post(t, tc.body), tc.status, tc.want)
			})
		}
		if n := e.countCustomers(t); n != 0 {
			t.Errorf("refused input stored %d customers", n)
		}

		// What other scripts, emoji and prose need stays allowed.
		c := e.createCustomer(t, map[string]any{"kind": "person", "first_name": "علی\u200Cرضا", "last_name": "Tehrani",
			"notes": "Habla \u200Fעברית\u200F y español.\nTaller 👩\u200D💻", "phone": "+34 612 34 56 78"})
		if c["first_name"] != "علی\u200Cرضا" || !strings.Contains(c["notes"].(string), "\u200F") {
			t.Errorf("stored %v %q", c["first_name"], c["notes"])
		}
		// A surrogate pair is one character, not a lone surrogate.
		r := e.post(t, `{"kind":"company","company_name":"Bar \ud83c\udf7a"}`)
		if r.status != http.StatusCreated || r.obj(t)["company_name"] != "Bar 🍺" {
			t.Errorf("surrogate pair: %d %s", r.status, r.body)
		}
		// A PATCH is held to the same rules.
		id := c["id"].(string)
		wantRefused(t, e.patch(t, id, "1", `{"last_name":"A","last_name":"B"}`), 400, "last_name:duplicate_key")
		wantRefused(t, e.patch(t, id, "1", map[string]any{"last_name": "\u202ETehrani"}), 422, "last_name:invisible_character")
	})
}

// TestStrayClosingBracketIsRefused: found by fuzzing the decoder, a body with a "}" or "]"
// after the object was read as the object alone.
func TestStrayClosingBracketIsRefused(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *apiEnv) {
		for _, body := range []string{`{"kind":"person","first_name":"Ana"}}`, `{"kind":"person","first_name":"Ana"}]`, "{\"kind\":\"person\",\"first_name\":\"Ana\"}\n}"} {
			wantRefused(t, e.post(t, body), 400, ":invalid_json")
		}
		if n := e.countCustomers(t); n != 0 {
			t.Errorf("refused input stored %d customers", n)
		}
	})
}

// TestPhoneExtensionIsKept (issue 7 item 5): an extension is stored as RFC 3966 writes it,
// the number is still found by its digits, and sending the number back changes nothing.
func TestPhoneExtensionIsKept(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *apiEnv) {
		c := e.createCustomer(t, map[string]any{"kind": "company", "company_name": "Talleres Ruiz", "phone": "612345678 ext 5"})
		if c["phone"] != "+34612345678;ext=5" {
			t.Fatalf("phone stored as %v", c["phone"])
		}
		for _, q := range []string{"612345678", "612 34 56 78", "+34612345678", "5678"} {
			if names, _ := e.list(t, "q="+url.QueryEscape(q)); !slices.Equal(names, []string{"Talleres Ruiz"}) {
				t.Errorf("q=%s found %v", q, names)
			}
		}
		id := c["id"].(string)
		// The stored form and the form people read both come back as the same number.
		for _, phone := range []string{"+34612345678;ext=5", "612 34 56 78 ext. 5"} {
			r := e.patch(t, id, "1", map[string]any{"phone": phone})
			if r.status != 200 || r.obj(t)["version"] != float64(1) {
				t.Errorf("PATCH phone %q: %d %s (want unchanged, version 1)", phone, r.status, r.body)
			}
		}
		r := e.patch(t, id, "1", map[string]any{"phone": "91 234 56 78 x 25"})
		if r.status != 200 || r.obj(t)["phone"] != "+34912345678;ext=25" {
			t.Errorf("new extension: %d %s", r.status, r.body)
		}
	})
}

// TestTaxIDMustFitTheKind (issue 7 item 6): a person's id on a company and a company's on a
// person are refused, saying which fits; EU VAT numbers have their country's format.
func TestTaxIDMustFitTheKind(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *apiEnv) {
		for _, tc := range []struct {
			name string
			body map[string]any
			want string
		}{
			{"company with a DNI", map[string]any{"kind": "company", "company_name": "Garcia", "tax_id": "12345678Z"}, "tax_id:taxid_for_persons"},
			{"company with a K NIF", map[string]any{"kind": "company", "company_name": "Garcia", "tax_id": "L1111111G"}, "tax_id:taxid_for_persons"},
			{"person with a CIF", map[string]any{"kind": "person", "first_name": "Ana", "tax_id": "B12345674"}, "tax_id:taxid_for_companies"},
			{"person with a CIF as a VAT number", map[string]any{"kind": "person", "first_name": "Ana", "tax_id": "ES B12345674"}, "tax_id:taxid_for_companies"},
			{"German VAT number one digit short", map[string]any{"kind": "company", "company_name": "GmbH", "tax_id": "DE 12345678"}, "tax_id:invalid_vat_number"},
			{"Austrian VAT number without its U", map[string]any{"kind": "company", "company_name": "GmbH", "tax_id": "AT12345678", "address": map[string]any{"country": "AT"}}, "tax_id:invalid_vat_number"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				wantRefused(t, e.post(t, tc.body), 422, tc.want)
			})
		}
		// The message says which number fits.
		r := e.do(t, "POST /api/v1/customers", req{method: "POST", path: "/api/v1/customers", role: domain.RoleManager,
			body: map[string]any{"kind": "company", "company_name": "Garcia", "tax_id": "DE12345678"}, header: map[string]string{"Accept-Language": "en"}})
		if !strings.Contains(string(r.body), "DE123456789") {
			t.Errorf("the VAT format error does not show the format: %s", r.body)
		}
		r = e.post(t, map[string]any{"kind": "company", "company_name": "Garcia", "tax_id": "12345678Z"})
		if !strings.Contains(string(r.body), "CIF") {
			t.Errorf("the kind error does not name the CIF: %s", r.body)
		}

		// A person becoming a company keeps a DNI only by giving a CIF.
		id := e.createCustomer(t, map[string]any{"kind": "person", "first_name": "Ana", "tax_id": "12345678Z"})["id"].(string)
		wantRefused(t, e.patch(t, id, "1", map[string]any{"kind": "company", "company_name": "Ana SL"}), 422, "tax_id:taxid_for_persons")
		if r := e.patch(t, id, "1", map[string]any{"kind": "company", "company_name": "Ana SL", "tax_id": "B12345674"}); r.status != 200 {
			t.Errorf("kind and tax id changed together: %d %s", r.status, r.body)
		}

		// VAT numbers: stored upper case without separators, a Spanish one as its NIF; found
		// first (exact hit) as typed, with or without the "ES" prefix, and by the words of the
		// number without any prefix.
		fr := e.createCustomer(t, map[string]any{"kind": "company", "company_name": "Boulangerie Martin", "tax_id": "fr 40 303 265 045"})
		es := e.createCustomer(t, map[string]any{"kind": "company", "company_name": "Talleres Gómez", "tax_id": "ES-A58818501"})
		if fr["tax_id"] != "FR40303265045" || es["tax_id"] != "A58818501" {
			t.Errorf("stored %v and %v", fr["tax_id"], es["tax_id"])
		}
		for q, want := range map[string]string{
			"FR40303265045": "Boulangerie Martin", "fr 40303265045": "Boulangerie Martin",
			"A58818501": "Talleres Gómez", "ESA58818501": "Talleres Gómez", "es-a-58818501": "Talleres Gómez",
			"40303265045": "Boulangerie Martin", "58818501": "Talleres Gómez",
		} {
			if names, _ := e.list(t, "q="+url.QueryEscape(q)); len(names) == 0 || names[0] != want {
				t.Errorf("q=%s found %v, want %s first", q, names, want)
			}
		}
	})
}

// TestKindRuleInTheAPI (issue 7 item 7, issue 13 item 7): the API stores only what the pages
// would: changing the kind drops the other kind's fields, so search no longer finds a company
// by a former person's name; setting one of them is refused.
func TestKindRuleInTheAPI(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *apiEnv) {
		id := e.createCustomer(t, map[string]any{"kind": "person", "title": "mrs", "first_name": "María", "last_name": "Garcia"})["id"].(string)
		r := e.patch(t, id, "1", map[string]any{"kind": "company", "company_name": "Garcia", "legal_form": "SL"})
		if r.status != 200 {
			t.Fatalf("person to company: %d %s", r.status, r.body)
		}
		c := r.obj(t)
		if c["first_name"] != "" || c["last_name"] != "" || c["title"] != nil || c["display_name"] != "Garcia SL" {
			t.Errorf("the company kept person fields: %v", c)
		}
		if names, _ := e.list(t, "q=maria"); len(names) != 0 {
			t.Errorf("q=maria finds %v", names)
		}
		if names, _ := e.list(t, "q=garcia"); !slices.Equal(names, []string{"Garcia SL"}) {
			t.Errorf("q=garcia finds %v", names)
		}

		// Setting a field of the other kind is refused, naming it, and changes nothing.
		wantRefused(t, e.patch(t, id, "2", map[string]any{"first_name": "María"}), 422, "first_name:not_allowed")
		wantRefused(t, e.patch(t, id, "2", map[string]any{"title": "mrs"}), 422, "title:not_allowed")
		wantRefused(t, e.post(t, map[string]any{"kind": "company", "company_name": "Bar Pepe", "last_name": "Pérez"}), 422, "last_name:not_allowed")
		wantRefused(t, e.post(t, map[string]any{"kind": "person", "first_name": "Pepe", "company_name": "Bar Pepe"}), 422, "company_name:not_allowed")
		// Clearing them is fine, and so is null.
		if r := e.patch(t, id, "2", map[string]any{"first_name": "", "last_name": nil, "title": nil}); r.status != 200 || r.obj(t)["version"] != float64(2) {
			t.Errorf("clearing the absent names: %d %s", r.status, r.body)
		}

		// Back to a person: the company fields go.
		r = e.patch(t, id, "2", map[string]any{"kind": "person", "first_name": "María", "last_name": "Garcia"})
		if c := r.obj(t); r.status != 200 || c["company_name"] != "" || c["legal_form"] != "" {
			t.Errorf("company to person: %d %v", r.status, c)
		}
		if n := e.countCustomers(t); n != 1 {
			t.Errorf("%d customers, want 1", n)
		}
	})
}

// TestInvoiceByEmailRuleInTheAPI (issue 13 item 7): the one rule, as the pages follow it: an
// e-mail turns invoicing by e-mail on unless the request says otherwise; without an e-mail it
// is off, and an error only comes when the request asks for it.
func TestInvoiceByEmailRuleInTheAPI(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *apiEnv) {
		if c := e.createCustomer(t, map[string]any{"kind": "person", "first_name": "Ana", "email": "ana@example.com"}); c["invoice_by_email"] != true {
			t.Errorf("with an e-mail: %v", c["invoice_by_email"])
		}
		if c := e.createCustomer(t, map[string]any{"kind": "person", "first_name": "Eva", "email": "eva@example.com", "invoice_by_email": false}); c["invoice_by_email"] != false {
			t.Errorf("with an e-mail, told no: %v", c["invoice_by_email"])
		}
		c := e.createCustomer(t, map[string]any{"kind": "person", "first_name": "Rosa"})
		if c["invoice_by_email"] != false {
			t.Errorf("without an e-mail: %v", c["invoice_by_email"])
		}
		wantRefused(t, e.post(t, map[string]any{"kind": "person", "first_name": "Luz", "invoice_by_email": true}), 422, "invoice_by_email:requires_email")

		id := c["id"].(string)
		steps := []struct {
			body any
			want bool
		}{
			{map[string]any{"email": "rosa@example.com"}, true},           // an e-mail given: on
			{map[string]any{"email": "rosa@example.org"}, true},           // another e-mail: still on
			{map[string]any{"invoice_by_email": false}, false},            // turned off by hand
			{map[string]any{"email": "rosa@example.net"}, false},          // and it stays off
			{map[string]any{"email": nil}, false},                         // no e-mail, no error
			{map[string]any{"email": "rosa@example.com"}, true},           // back: on again
			{map[string]any{"email": "", "invoice_by_email": nil}, false}, // both cleared
		}
		for i, s := range steps {
			r := e.patch(t, id, strconv.Itoa(i+1), s.body)
			if r.status != 200 || r.obj(t)["invoice_by_email"] != s.want {
				t.Fatalf("step %d %v: %d %s, want invoice_by_email %v", i+1, s.body, r.status, r.body, s.want)
			}
		}
	})
}
