package transfer

import (
	"strings"

	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/money"
	"github.com/clientela/clientela/internal/search"
)

// Parsed is one row read into a change of the register.
type Parsed struct {
	ID       string // the id column, when mapped and set (an export's); "" otherwise
	Changes  domain.CustomerChanges
	Group    string // the group's name, when the group column is mapped
	HasGroup bool
}

// Convert reads a row's cells under mapping (one field per column; extra cells ignored,
// missing ones empty) into changes. Every mapped field is set, empty cells included (an
// update with them clears the field). The kind, when not mapped or empty, follows the names:
// a row with a company name and no person's name is a company. Problems are the values it
// cannot read (a kind, title, yes/no or amount); the rest is domain.Customer.Prepare's job.
func Convert(cells []string, mapping []Field) (Parsed, []domain.FieldError) {
	var out Parsed
	var p domain.Problems
	ch := &out.Changes
	var kindText string
	for i, f := range mapping {
		v := ""
		if i < len(cells) {
			v = strings.TrimSpace(cells[i])
		}
		switch f {
		case FieldID:
			out.ID = v
		case FieldKind:
			kindText = v
		case FieldTitle:
			t, ok := parseTitle(v)
			if !ok {
				p.Add("title", domain.FieldInvalid, map[string]any{"allowed": "mr, mrs, ms"})
			}
			ch.Title = domain.Some(t)
		case FieldFirstName:
			ch.FirstName = domain.Some(v)
		case FieldLastName:
			ch.LastName = domain.Some(v)
		case FieldCompanyName:
			ch.CompanyName = domain.Some(v)
		case FieldLegalForm:
			ch.LegalForm = domain.Some(v)
		case FieldTaxID:
			ch.TaxID = domain.Some(v)
		case FieldEmail:
			ch.Email = domain.Some(v)
		case FieldPhone:
			ch.Phone = domain.Some(v)
		case FieldLine1:
			ch.Line1 = domain.Some(v)
		case FieldLine2:
			ch.Line2 = domain.Some(v)
		case FieldPostalCode:
			ch.PostalCode = domain.Some(v)
		case FieldCity:
			ch.City = domain.Some(v)
		case FieldRegion:
			ch.Region = domain.Some(v)
		case FieldCountry:
			ch.Country = domain.Some(v)
		case FieldReference:
			ch.Reference = domain.Some(v)
		case FieldAccountNumber:
			ch.AccountNumber = domain.Some(v)
		case FieldGroup:
			out.Group, out.HasGroup = v, true
		case FieldNotes:
			ch.Notes = domain.Some(cells[i]) // kept as written: Prepare trims
		case FieldInvoiceByEmail, FieldMarketingConsent:
			name := string(f)
			if v == "" {
				continue // left to the rules: invoices by e-mail follow the e-mail
			}
			b, ok := parseBool(v)
			if !ok {
				p.Add(name, domain.FieldInvalid, map[string]any{"allowed": "yes, no"})
			}
			if f == FieldInvoiceByEmail {
				ch.InvoiceByEmail = domain.Some(b)
			} else {
				ch.MarketingConsent = domain.Some(b)
			}
		case FieldCreditLimit:
			if v == "" {
				ch.CreditLimitCents = domain.Some(int64(0))
				continue
			}
			cents, err := money.ParseAmount(v, "es", false)
			if err != nil {
				p.Add("credit_limit", domain.FieldInvalid, nil)
			}
			ch.CreditLimitCents = domain.Some(cents)
		}
	}
	kind, ok := parseKind(kindText)
	if !ok {
		p.Add("kind", domain.FieldInvalid, map[string]any{"allowed": "person, company"})
	}
	if kind == "" {
		kind = domain.KindPerson
		if ch.CompanyName.Value != "" && ch.FirstName.Value == "" && ch.LastName.Value == "" {
			kind = domain.KindCompany
		}
	}
	// Without a kind column an update of other fields keeps the kind; names decide it otherwise.
	if kindText != "" || ch.FirstName.Set || ch.LastName.Set || ch.CompanyName.Set {
		ch.Kind = domain.Some(kind)
	}
	return out, p
}

// parseKind reads a kind in Spanish, English or French; "" when empty.
func parseKind(v string) (domain.Kind, bool) {
	switch search.Key(v) {
	case "":
		return "", true
	case "person", "persona", "persona fisica", "fisica", "particular", "individual", "personne", "personne physique", "particulier", "p", "f":
		return domain.KindPerson, true
	case "company", "empresa", "persona juridica", "juridica", "sociedad", "business", "societe", "entreprise", "personne morale", "c", "e", "j":
		return domain.KindCompany, true
	}
	return "", false
}

func parseTitle(v string) (domain.Title, bool) {
	switch strings.TrimSuffix(search.Key(v), ".") {
	case "":
		return domain.TitleNone, true
	case "mr", "sr", "d", "don", "senor", "m", "monsieur":
		return domain.TitleMr, true
	case "mrs", "sra", "dna", "dona", "senora", "mme", "madame":
		return domain.TitleMrs, true
	case "ms", "srta", "senorita", "mlle", "mademoiselle":
		return domain.TitleMs, true
	}
	return "", false
}

func parseBool(v string) (bool, bool) {
	switch search.Key(v) {
	case "1", "true", "yes", "y", "si", "s", "x", "verdadero", "oui", "vrai", "o":
		return true, true
	case "0", "false", "no", "n", "falso", "non", "faux", "":
		return false, true
	}
	return false, false
}
