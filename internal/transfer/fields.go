// Package transfer reads and writes customer files: CSV (delimiter, encoding and header
// sniffed), Excel .xlsx and vCard 4.0. It turns a file's rows into domain.CustomerChanges and
// customers into rows, and holds no rule of the register: validation is domain.Customer.Prepare.
// It does no I/O beyond the readers and writers it is given.
package transfer

import (
	"strconv"
	"strings"
	"unicode"

	"github.com/clientela/clientela/internal/search"
)

// Field is what a column holds: a customer field by the name exports use as header.
// The empty Field means the column is ignored.
type Field string

// The fields a file's columns can hold. FieldGroup is the group's name (matched by name);
// FieldCreditLimit is in euros ("1500.00", "1.500,00"); the timestamps are exported only.
const (
	FieldIgnore           Field = ""
	FieldID               Field = "id"
	FieldKind             Field = "kind"
	FieldTitle            Field = "title"
	FieldFirstName        Field = "first_name"
	FieldLastName         Field = "last_name"
	FieldCompanyName      Field = "company_name"
	FieldLegalForm        Field = "legal_form"
	FieldTaxID            Field = "tax_id"
	FieldEmail            Field = "email"
	FieldPhone            Field = "phone"
	FieldLine1            Field = "address_line1"
	FieldLine2            Field = "address_line2"
	FieldPostalCode       Field = "postal_code"
	FieldCity             Field = "city"
	FieldRegion           Field = "region"
	FieldCountry          Field = "country"
	FieldReference        Field = "reference"
	FieldAccountNumber    Field = "account_number"
	FieldGroup            Field = "group"
	FieldNotes            Field = "notes"
	FieldInvoiceByEmail   Field = "invoice_by_email"
	FieldMarketingConsent Field = "marketing_consent"
	FieldCreditLimit      Field = "credit_limit"
	FieldCreatedAt        Field = "created_at"
	FieldUpdatedAt        Field = "updated_at"
)

// ImportFields are the fields an import can fill, in the order exports write them.
var importFields = []Field{FieldID, FieldKind, FieldTitle, FieldFirstName, FieldLastName, FieldCompanyName,
	FieldLegalForm, FieldTaxID, FieldEmail, FieldPhone, FieldLine1, FieldLine2, FieldPostalCode, FieldCity,
	FieldRegion, FieldCountry, FieldReference, FieldAccountNumber, FieldGroup, FieldNotes, FieldInvoiceByEmail,
	FieldMarketingConsent, FieldCreditLimit}

// ImportFields returns the fields a column can be mapped to (a copy).
func ImportFields() []Field { return append([]Field(nil), importFields...) }

// ExportFields are the columns of a CSV or .xlsx export, in order: every importable field
// and the timestamps.
func ExportFields() []Field { return append(ImportFields(), FieldCreatedAt, FieldUpdatedAt) }

// ValidField reports whether f is a field a column can be mapped to (or ignored).
func ValidField(f Field) bool {
	if f == FieldIgnore {
		return true
	}
	for _, g := range importFields {
		if g == f {
			return true
		}
	}
	return false
}

// headerAliases are the headers recognised, folded (lower case, no accents, letters and digits
// only), in Spanish, English and French, and the export's own names.
var headerAliases = map[string]Field{}

func init() {
	for f, names := range map[Field][]string{
		FieldID:               {"id", "uuid", "identificador", "identifiant"},
		FieldKind:             {"kind", "tipo", "tipo de cliente", "type", "customer type", "type de client", "personalidad"},
		FieldTitle:            {"title", "tratamiento", "titulo", "civilite", "salutation"},
		FieldFirstName:        {"first_name", "nombre", "first name", "firstname", "given name", "name", "prenom", "nombre de pila"},
		FieldLastName:         {"last_name", "apellidos", "apellido", "apellido 1", "last name", "lastname", "surname", "family name", "nom", "nom de famille"},
		FieldCompanyName:      {"company_name", "razon social", "empresa", "company", "company name", "organization", "organisation", "societe", "raison sociale", "entreprise", "nombre fiscal"},
		FieldLegalForm:        {"legal_form", "forma juridica", "legal form", "forme juridique"},
		FieldTaxID:            {"tax_id", "nif", "cif", "nie", "dni", "nif cif", "cif nif", "nif/cif", "tax id", "vat", "vat number", "vat id", "numero de tva", "tva intracommunautaire", "n tva"},
		FieldEmail:            {"email", "e-mail", "e mail", "mail", "correo", "correo electronico", "email address", "courriel", "adresse email", "adresse e-mail"},
		FieldPhone:            {"phone", "telefono", "tel", "tlf", "movil", "mobile", "phone number", "telephone", "celular", "portable", "telefono movil"},
		FieldLine1:            {"address_line1", "direccion", "domicilio", "calle", "address", "address line 1", "street", "adresse", "rue"},
		FieldLine2:            {"address_line2", "direccion 2", "address line 2", "address 2", "adresse 2", "complemento", "complement d adresse"},
		FieldPostalCode:       {"postal_code", "codigo postal", "cp", "c p", "cod postal", "postal code", "zip", "zip code", "postcode", "code postal"},
		FieldCity:             {"city", "poblacion", "ciudad", "localidad", "municipio", "town", "ville", "commune"},
		FieldRegion:           {"region", "provincia", "state", "county", "departement"},
		FieldCountry:          {"country", "pais", "pays"},
		FieldReference:        {"reference", "referencia", "ref", "tarjeta", "tarjeta de fidelizacion", "card", "loyalty card", "barcode", "codigo de barras", "carte", "carte de fidelite"},
		FieldAccountNumber:    {"account_number", "cuenta", "cuenta contable", "account", "account number", "compte", "compte comptable"},
		FieldGroup:            {"group", "grupo", "groupe", "customer group", "grupo de clientes"},
		FieldNotes:            {"notes", "notas", "observaciones", "comentarios", "comments", "remarques", "note"},
		FieldInvoiceByEmail:   {"invoice_by_email", "factura por email", "factura por e-mail", "factura electronica", "invoice by email", "facture par email", "facture par e-mail"},
		FieldMarketingConsent: {"marketing_consent", "consentimiento", "publicidad", "marketing", "marketing consent", "newsletter", "consentement", "acepta publicidad"},
		FieldCreditLimit:      {"credit_limit", "limite de credito", "limite credito", "riesgo", "credit limit", "limite de credit", "encours autorise"},
		FieldCreatedAt:        {"created_at", "fecha de alta", "alta", "created", "date de creation"},
		FieldUpdatedAt:        {"updated_at", "modificado", "updated", "date de modification"},
	} {
		for _, n := range names {
			headerAliases[headerKey(n)] = f
		}
	}
}

// headerKey folds a header for matching: lower case, no accents, only letters and digits.
func headerKey(h string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return -1
	}, search.Fold(h))
}

// RecogniseHeader returns the field a header names, FieldIgnore when it names none (and for
// the exported timestamps, which an import does not set).
func RecogniseHeader(h string) Field {
	f := headerAliases[headerKey(h)]
	if f == FieldCreatedAt || f == FieldUpdatedAt {
		return FieldIgnore
	}
	return f
}

// knownHeader reports whether h names a field or an exported timestamp.
func knownHeader(h string) bool {
	_, ok := headerAliases[headerKey(h)]
	return ok
}

// ProposeMapping maps each header to the field it names; a field is proposed once, for its
// first column.
func ProposeMapping(headers []string) []Field {
	out := make([]Field, len(headers))
	used := map[Field]bool{}
	for i, h := range headers {
		f := RecogniseHeader(h)
		if f != FieldIgnore && !used[f] {
			out[i], used[f] = f, true
		}
	}
	return out
}

// ColumnIndex finds a column by its header (case and surrounding spaces ignored) or by its
// number from 1; -1 when the file has no such column.
func ColumnIndex(headers []string, col string) int {
	for i, h := range headers {
		if h == col || strings.EqualFold(strings.TrimSpace(h), strings.TrimSpace(col)) {
			return i
		}
	}
	if n, err := strconv.Atoi(strings.TrimSpace(col)); err == nil && n >= 1 && n <= len(headers) {
		return n - 1
	}
	return -1
}
