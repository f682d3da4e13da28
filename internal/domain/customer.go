package domain

import (
	"errors"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/clientela/clientela/internal/country"
	"github.com/clientela/clientela/internal/search"
	"github.com/clientela/clientela/internal/taxid"
)

// Kind tells a natural person ("persona física") from a legal person ("persona jurídica").
type Kind string

// Kinds of customer.
const (
	KindPerson  Kind = "person"
	KindCompany Kind = "company"
)

// Title is the form of address of a person.
type Title string

// Titles; the empty title means none.
const (
	TitleNone Title = ""
	TitleMr   Title = "mr"
	TitleMrs  Title = "mrs"
	TitleMs   Title = "ms"
)

// Address is a postal address. Country is an ISO 3166-1 alpha-2 code; empty means the shop's
// default country.
type Address struct {
	Line1      string
	Line2      string
	PostalCode string
	City       string
	Region     string
	Country    string
}

// Customer is one entry of the register.
type Customer struct {
	ID                 string
	Seq                int64 // storage order; used for cursors, never shown
	Kind               Kind
	Title              Title
	FirstName          string
	LastName           string
	CompanyName        string
	LegalForm          string
	TaxID              string // taxid.Normalize's form: upper case, no separators, no "ES" prefix
	Email              string
	Phone              string // E.164, then ";ext=" and the extension when there is one
	Address            Address
	Reference          string // loyalty card barcode; unique ignoring case when set
	AccountNumber      string // accounting account; empty: the default "Clientes varios"
	GroupID            string // empty: no group
	Notes              string
	InvoiceByEmail     bool
	MarketingConsent   bool
	MarketingConsentAt *time.Time
	CreditLimitCents   int64
	CreatedAt          time.Time
	UpdatedAt          time.Time
	Version            int64
}

// DisplayName is how the customer is named on lists, receipts and invoices.
func (c *Customer) DisplayName() string {
	if c.Kind == KindCompany {
		return strings.TrimSpace(c.CompanyName + " " + c.LegalForm)
	}
	return strings.TrimSpace(c.FirstName + " " + c.LastName)
}

// SortKey orders the register: persons by last then first name, companies by name, ignoring
// case and accents.
func (c *Customer) SortKey() string {
	if c.Kind == KindCompany {
		return search.Key(c.CompanyName)
	}
	return search.Key(c.LastName + " " + c.FirstName)
}

// ReferenceKey is the form under which references are unique and looked up.
func ReferenceKey(ref string) string { return strings.ToLower(strings.TrimSpace(ref)) }

// EmailKey is the form under which e-mail addresses are compared.
func EmailKey(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// SearchDocument is the text the storage indexes for search.
func (c *Customer) SearchDocument() string {
	return search.Document(search.Fields{
		Name:   []string{c.FirstName, c.LastName, c.CompanyName},
		Text:   []string{c.Email, c.Reference, c.TaxID, c.Address.City},
		Phones: PhoneForms(c.Phone),
	})
}

// CustomerChanges are the fields a create or an update sets; unset fields are left alone.
type CustomerChanges struct {
	Kind             Opt[Kind]
	Title            Opt[Title]
	FirstName        Opt[string]
	LastName         Opt[string]
	CompanyName      Opt[string]
	LegalForm        Opt[string]
	TaxID            Opt[string]
	Email            Opt[string]
	Phone            Opt[string]
	Line1            Opt[string]
	Line2            Opt[string]
	PostalCode       Opt[string]
	City             Opt[string]
	Region           Opt[string]
	Country          Opt[string]
	Reference        Opt[string]
	AccountNumber    Opt[string]
	GroupID          Opt[string]
	Notes            Opt[string]
	InvoiceByEmail   Opt[bool]
	MarketingConsent Opt[bool]
	CreditLimitCents Opt[int64]
}

// Apply sets the given fields on c and completes the change with the rules that follow from
// it, so that every face (API, pages, CLI) gets the same record from the same request:
//   - A person holds no company name nor legal form, a company no title nor person names: the
//     other kind's fields the change leaves out are cleared, so changing the kind drops them
//     (and search no longer finds a company by a former person's name). Set to something,
//     Prepare refuses them (FieldNotAllowed).
//   - Invoices by e-mail follow the e-mail unless the change says otherwise: giving an e-mail
//     to a customer who had none turns them on, removing it turns them off.
//
// It does not validate: call Prepare afterwards.
func (ch CustomerChanges) Apply(c *Customer) {
	hadEmail := strings.TrimSpace(c.Email) != ""
	ch.Kind.apply(&c.Kind)
	ch.Title.apply(&c.Title)
	ch.FirstName.apply(&c.FirstName)
	ch.LastName.apply(&c.LastName)
	ch.CompanyName.apply(&c.CompanyName)
	ch.LegalForm.apply(&c.LegalForm)
	ch.TaxID.apply(&c.TaxID)
	ch.Email.apply(&c.Email)
	ch.Phone.apply(&c.Phone)
	ch.Line1.apply(&c.Address.Line1)
	ch.Line2.apply(&c.Address.Line2)
	ch.PostalCode.apply(&c.Address.PostalCode)
	ch.City.apply(&c.Address.City)
	ch.Region.apply(&c.Address.Region)
	ch.Country.apply(&c.Address.Country)
	ch.Reference.apply(&c.Reference)
	ch.AccountNumber.apply(&c.AccountNumber)
	ch.GroupID.apply(&c.GroupID)
	ch.Notes.apply(&c.Notes)
	ch.InvoiceByEmail.apply(&c.InvoiceByEmail)
	ch.MarketingConsent.apply(&c.MarketingConsent)
	ch.CreditLimitCents.apply(&c.CreditLimitCents)

	switch c.Kind {
	case KindPerson:
		clearUnset(ch.CompanyName, &c.CompanyName)
		clearUnset(ch.LegalForm, &c.LegalForm)
	case KindCompany:
		clearUnset(ch.Title, &c.Title)
		clearUnset(ch.FirstName, &c.FirstName)
		clearUnset(ch.LastName, &c.LastName)
	}
	if hasEmail := strings.TrimSpace(c.Email) != ""; !ch.InvoiceByEmail.Set && hasEmail != hadEmail {
		c.InvoiceByEmail = hasEmail
	}
}

// clearUnset empties a field of the other kind that a change leaves out.
func clearUnset[T comparable](o Opt[T], dst *T) {
	if !o.Set {
		var zero T
		*dst = zero
	}
}

// Prepare normalises c in place (trims text, normalises the tax id, phone and country) and
// checks every rule, returning a validation Error that lists each faulty field.
// defaultCountry is the shop's country, used where the address has none.
func (c *Customer) Prepare(defaultCountry string) error {
	var p Problems

	c.FirstName, c.LastName = clean(c.FirstName), clean(c.LastName)
	c.CompanyName, c.LegalForm = clean(c.CompanyName), clean(c.LegalForm)
	c.Email, c.Reference, c.Notes = clean(c.Email), clean(c.Reference), clean(c.Notes)
	c.TaxID = clean(c.TaxID)
	defaultCountry = country.Normalize(defaultCountry)
	c.AccountNumber, c.GroupID = clean(c.AccountNumber), clean(c.GroupID)
	a := &c.Address
	a.Line1, a.Line2, a.PostalCode = clean(a.Line1), clean(a.Line2), clean(a.PostalCode)
	a.City, a.Region = clean(a.City), clean(a.Region)

	checkLine(&p, "first_name", c.FirstName, MaxNameLen)
	checkLine(&p, "last_name", c.LastName, MaxNameLen)
	checkLine(&p, "company_name", c.CompanyName, MaxCompanyNameLen)
	checkLine(&p, "legal_form", c.LegalForm, MaxLegalFormLen)
	checkLine(&p, "address.line1", a.Line1, MaxAddressLineLen)
	checkLine(&p, "address.line2", a.Line2, MaxAddressLineLen)
	checkLine(&p, "address.postal_code", a.PostalCode, MaxPostalCodeLen)
	checkLine(&p, "address.city", a.City, MaxCityLen)
	checkLine(&p, "address.region", a.Region, MaxRegionLen)
	checkLine(&p, "reference", c.Reference, MaxReferenceLen)
	checkText(&p, "notes", c.Notes, MaxNotesLen, true)

	// Each kind has its own name fields; the other kind's must be empty (see Apply).
	notAllowed := func(field, v string) {
		if v != "" && !p.Has(field) {
			p.Add(field, FieldNotAllowed, nil)
		}
	}
	switch c.Kind {
	case KindPerson:
		if c.FirstName == "" && c.LastName == "" {
			p.Add("first_name", FieldRequired, nil)
			p.Add("last_name", FieldRequired, nil)
		}
		notAllowed("company_name", c.CompanyName)
		notAllowed("legal_form", c.LegalForm)
		switch c.Title {
		case TitleNone, TitleMr, TitleMrs, TitleMs:
		default:
			p.Add("title", FieldInvalid, map[string]any{"allowed": "mr, mrs, ms"})
		}
	case KindCompany:
		if c.CompanyName == "" {
			p.Add("company_name", FieldRequired, nil)
		}
		notAllowed("title", string(c.Title))
		notAllowed("first_name", c.FirstName)
		notAllowed("last_name", c.LastName)
	case "":
		p.Add("kind", FieldRequired, nil)
	default:
		p.Add("kind", FieldInvalid, map[string]any{"allowed": "person, company"})
	}

	a.Country = country.Normalize(a.Country)
	if a.Country != "" && !country.Valid(a.Country) {
		p.Add("address.country", FieldInvalid, nil)
	}
	effectiveCountry := a.Country
	if effectiveCountry == "" {
		effectiveCountry = defaultCountry
	}

	c.prepareTaxID(&p, effectiveCountry)
	c.prepareEmail(&p)
	c.preparePhone(&p, effectiveCountry)

	if c.AccountNumber != "" {
		if !isDigits(c.AccountNumber) {
			p.Add("account_number", FieldNotDigits, nil)
		} else if len(c.AccountNumber) > MaxAccountLen {
			p.Add("account_number", FieldTooLong, map[string]any{"max": MaxAccountLen})
		}
	}
	if c.InvoiceByEmail && c.Email == "" && !p.Has("email") {
		p.Add("invoice_by_email", FieldNeedsEmail, nil)
	}
	if c.CreditLimitCents < 0 || c.CreditLimitCents > MaxCreditLimit {
		p.Add("credit_limit_cents", FieldOutOfRange, map[string]any{"min": 0, "max": MaxCreditLimit})
	}
	if !c.MarketingConsent {
		c.MarketingConsentAt = nil
	}
	return p.Err()
}

// prepareTaxID checks the tax id for the customer's country (see taxid.Validate) and kind,
// and stores it in taxid.Normalize's form, the one the exact tax-id search looks for: a
// Spanish id without an "ES" prefix, an other EU VAT number with its prefix.
func (c *Customer) prepareTaxID(p *Problems, effectiveCountry string) {
	if c.TaxID == "" {
		return
	}
	if !checkChars(p, "tax_id", c.TaxID, false) {
		return
	}
	cleaned := taxid.Clean(c.TaxID)
	c.TaxID = taxid.Normalize(cleaned)
	kind, err := taxid.Validate(cleaned, effectiveCountry)
	switch {
	case errors.Is(err, taxid.ErrControl):
		p.Add("tax_id", FieldTaxIDControl, nil)
	case errors.Is(err, taxid.ErrVATFormat):
		prefix := taxid.VATPrefix(cleaned)
		p.Add("tax_id", FieldVATFormat, map[string]any{"country": prefix, "example": taxid.VATExample(prefix)})
	case err != nil:
		p.Add("tax_id", FieldInvalid, nil)
	case utf8.RuneCountInString(c.TaxID) > MaxTaxIDLen:
		p.Add("tax_id", FieldTooLong, map[string]any{"max": MaxTaxIDLen})
	case c.Kind == KindCompany && kind.ForPersons():
		p.Add("tax_id", FieldTaxIDForPersons, nil)
	case c.Kind == KindPerson && kind == taxid.CIF:
		p.Add("tax_id", FieldTaxIDForCompanies, nil)
	}
}

func (c *Customer) prepareEmail(p *Problems) {
	if c.Email == "" {
		return
	}
	checkLine(p, "email", c.Email, MaxEmailLen)
	if p.Has("email") {
		return
	}
	addr, err := mail.ParseAddress(c.Email)
	if err != nil || addr.Name != "" || addr.Address != c.Email {
		p.Add("email", FieldInvalid, nil)
		return
	}
	at := strings.LastIndexByte(c.Email, '@')
	domainPart := strings.ToLower(c.Email[at+1:])
	if !strings.Contains(domainPart, ".") || strings.HasPrefix(domainPart, ".") || strings.HasSuffix(domainPart, ".") || strings.Contains(domainPart, "..") || strings.ContainsAny(domainPart, "[]") {
		p.Add("email", FieldInvalid, nil)
		return
	}
	c.Email = c.Email[:at+1] + domainPart
}

func (c *Customer) preparePhone(p *Problems, effectiveCountry string) {
	if strings.TrimSpace(c.Phone) == "" {
		c.Phone = ""
		return
	}
	checkLine(p, "phone", c.Phone, MaxPhoneLen)
	if p.Has("phone") {
		return
	}
	e164, ok := NormalizePhone(c.Phone, effectiveCountry)
	if !ok {
		p.Add("phone", FieldInvalid, nil)
		return
	}
	c.Phone = e164
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// ChangedFields lists, by API name, the fields that differ between two versions of a customer.
// The audit log records these names, never the values.
func ChangedFields(before, after *Customer) []string {
	var out []string
	add := func(name string, differ bool) {
		if differ {
			out = append(out, name)
		}
	}
	add("kind", before.Kind != after.Kind)
	add("title", before.Title != after.Title)
	add("first_name", before.FirstName != after.FirstName)
	add("last_name", before.LastName != after.LastName)
	add("company_name", before.CompanyName != after.CompanyName)
	add("legal_form", before.LegalForm != after.LegalForm)
	add("tax_id", before.TaxID != after.TaxID)
	add("email", before.Email != after.Email)
	add("phone", before.Phone != after.Phone)
	add("address.line1", before.Address.Line1 != after.Address.Line1)
	add("address.line2", before.Address.Line2 != after.Address.Line2)
	add("address.postal_code", before.Address.PostalCode != after.Address.PostalCode)
	add("address.city", before.Address.City != after.Address.City)
	add("address.region", before.Address.Region != after.Address.Region)
	add("address.country", before.Address.Country != after.Address.Country)
	add("reference", before.Reference != after.Reference)
	add("account_number", before.AccountNumber != after.AccountNumber)
	add("group_id", before.GroupID != after.GroupID)
	add("notes", before.Notes != after.Notes)
	add("invoice_by_email", before.InvoiceByEmail != after.InvoiceByEmail)
	add("marketing_consent", before.MarketingConsent != after.MarketingConsent)
	add("credit_limit_cents", before.CreditLimitCents != after.CreditLimitCents)
	return out
}

// DuplicateNameKey is the blocking key of duplicate detection: customers with a similar name
// (search.NameTokens) in the same postal code share it. Empty when either is missing.
func (c *Customer) DuplicateNameKey() string {
	name := c.CompanyName
	if c.Kind != KindCompany {
		name = c.FirstName + " " + c.LastName
	}
	return search.DuplicateNameKey(name, c.Address.PostalCode)
}
