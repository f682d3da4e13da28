package domain

import (
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/clientela/clientela/internal/country"
	"github.com/clientela/clientela/internal/taxid"
)

// Shop is the business itself: its name, tax id and address are printed on every receipt
// and invoice, its prefix starts every invoice number, and the till offers its VAT rates.
// Address.Country is the shop's country (the default_country setting).
type Shop struct {
	Name          string
	TaxID         string
	Address       Address
	InvoicePrefix string
	VATRates      []int64 // basis points, as offered at the till, highest first
	UpdatedAt     time.Time
	Version       int64
}

// Defaults of a shop nobody has set up yet.
var (
	DefaultVATRates      = []int64{2100, 1000, 400, 0}
	DefaultInvoicePrefix = "F"
)

// Bounds of the shop's details.
const (
	MaxShopNameLen      = 200
	MaxInvoicePrefixLen = 8
	MaxVATRates         = 10
)

// ReadyToInvoice reports whether the shop has what every invoice must show: its name and
// tax id.
func (s *Shop) ReadyToInvoice() bool { return s.Name != "" && s.TaxID != "" }

// ShopChanges are the fields an update sets.
type ShopChanges struct {
	Name          Opt[string]
	TaxID         Opt[string]
	Line1         Opt[string]
	Line2         Opt[string]
	PostalCode    Opt[string]
	City          Opt[string]
	Region        Opt[string]
	Country       Opt[string]
	InvoicePrefix Opt[string]
	VATRates      Opt[[]int64]
}

// Apply sets the given fields on s; call Prepare afterwards.
func (ch ShopChanges) Apply(s *Shop) {
	ch.Name.apply(&s.Name)
	ch.TaxID.apply(&s.TaxID)
	ch.Line1.apply(&s.Address.Line1)
	ch.Line2.apply(&s.Address.Line2)
	ch.PostalCode.apply(&s.Address.PostalCode)
	ch.City.apply(&s.Address.City)
	ch.Region.apply(&s.Address.Region)
	ch.Country.apply(&s.Address.Country)
	ch.InvoicePrefix.apply(&s.InvoicePrefix)
	if ch.VATRates.Set {
		s.VATRates = slices.Clone(ch.VATRates.Value)
	}
}

// Prepare normalises and checks the shop's details: the tax id as a customer's is checked
// (for the shop's country), the prefix letters and digits, the VAT rates distinct and
// between 0 and 100 %.
func (s *Shop) Prepare() error {
	var p Problems
	s.Name = strings.Join(strings.Fields(s.Name), " ")
	checkLine(&p, "name", s.Name, MaxShopNameLen)
	a := &s.Address
	a.Line1, a.Line2, a.PostalCode = clean(a.Line1), clean(a.Line2), clean(a.PostalCode)
	a.City, a.Region = clean(a.City), clean(a.Region)
	checkLine(&p, "address.line1", a.Line1, MaxAddressLineLen)
	checkLine(&p, "address.line2", a.Line2, MaxAddressLineLen)
	checkLine(&p, "address.postal_code", a.PostalCode, MaxPostalCodeLen)
	checkLine(&p, "address.city", a.City, MaxCityLen)
	checkLine(&p, "address.region", a.Region, MaxRegionLen)
	a.Country = country.Normalize(a.Country)
	if !country.Valid(a.Country) {
		p.Add("address.country", FieldInvalid, nil)
	}

	s.TaxID = clean(s.TaxID)
	if s.TaxID != "" && checkChars(&p, "tax_id", s.TaxID, false) {
		cleaned := taxid.Clean(s.TaxID)
		s.TaxID = taxid.Normalize(cleaned)
		_, err := taxid.Validate(cleaned, a.Country)
		switch {
		case errors.Is(err, taxid.ErrControl):
			p.Add("tax_id", FieldTaxIDControl, nil)
		case errors.Is(err, taxid.ErrVATFormat):
			prefix := taxid.VATPrefix(cleaned)
			p.Add("tax_id", FieldVATFormat, map[string]any{"country": prefix, "example": taxid.VATExample(prefix)})
		case err != nil:
			p.Add("tax_id", FieldInvalid, nil)
		case len(s.TaxID) > MaxTaxIDLen:
			p.Add("tax_id", FieldTooLong, map[string]any{"max": MaxTaxIDLen})
		}
	}

	s.InvoicePrefix = strings.ToUpper(clean(s.InvoicePrefix))
	switch {
	case s.InvoicePrefix == "":
		p.Add("invoice_prefix", FieldRequired, nil)
	case len(s.InvoicePrefix) > MaxInvoicePrefixLen:
		p.Add("invoice_prefix", FieldTooLong, map[string]any{"max": MaxInvoicePrefixLen})
	default:
		for i := 0; i < len(s.InvoicePrefix); i++ {
			if c := s.InvoicePrefix[i]; !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
				p.Add("invoice_prefix", FieldInvalid, map[string]any{"allowed": "A-Z, 0-9"})
				break
			}
		}
	}

	switch {
	case len(s.VATRates) == 0:
		p.Add("vat_rates_basis_points", FieldRequired, nil)
	case len(s.VATRates) > MaxVATRates:
		p.Add("vat_rates_basis_points", FieldOutOfRange, map[string]any{"min": 1, "max": MaxVATRates})
	default:
		for _, r := range s.VATRates {
			if r < 0 || r > MaxVATRate {
				p.Add("vat_rates_basis_points", FieldOutOfRange, map[string]any{"min": 0, "max": MaxVATRate})
				break
			}
		}
		slices.SortFunc(s.VATRates, func(a, b int64) int { return int(b - a) })
		if len(slices.Compact(slices.Clone(s.VATRates))) != len(s.VATRates) && !p.Has("vat_rates_basis_points") {
			p.Add("vat_rates_basis_points", FieldInvalid, map[string]any{"reason": "duplicate"})
		}
	}
	return p.Err()
}

// ShopChangedFields lists by API name the fields that differ.
func ShopChangedFields(before, after *Shop) []string {
	var out []string
	add := func(name string, differ bool) {
		if differ {
			out = append(out, name)
		}
	}
	add("name", before.Name != after.Name)
	add("tax_id", before.TaxID != after.TaxID)
	add("address.line1", before.Address.Line1 != after.Address.Line1)
	add("address.line2", before.Address.Line2 != after.Address.Line2)
	add("address.postal_code", before.Address.PostalCode != after.Address.PostalCode)
	add("address.city", before.Address.City != after.Address.City)
	add("address.region", before.Address.Region != after.Address.Region)
	add("address.country", before.Address.Country != after.Address.Country)
	add("invoice_prefix", before.InvoicePrefix != after.InvoicePrefix)
	add("vat_rates_basis_points", !slices.Equal(before.VATRates, after.VATRates))
	return out
}

// Issuer is the shop as an invoice keeps it.
func (s *Shop) Issuer() IssuerSnapshot {
	return IssuerSnapshot{Name: s.Name, TaxID: s.TaxID, Address: s.Address}
}

// CodeShopNotReady: the shop has no name or tax id yet, so no invoice can be issued
// (Details["settings_path"]: the page where they are set).
const CodeShopNotReady Code = "shop_not_ready"

// ShopSettingsPath is the backoffice page of the shop's details.
const ShopSettingsPath = "/settings/shop"

// Codes of the till's refusals.
const (
	// CodeTicketEmpty: a ticket without lines cannot be closed.
	CodeTicketEmpty Code = "ticket_empty"
	// CodeIdempotencyReused: an Idempotency-Key already used for another request.
	CodeIdempotencyReused Code = "idempotency_key_reused"
)
