package seed

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/clientela/clientela/internal/domain"
)

// IsDuplicate reports whether customer i is, in a register with percent % of customers
// registered twice, a second registration of customer i-1 (see Duplicate). It depends on
// the seed and i only.
func (g *Generator) IsDuplicate(i, percent int) bool {
	if i == 0 || percent <= 0 {
		return false
	}
	return int(mix64(uint64(i)^mix64(g.seed+0x5851f42d4c957f2d))%100) < percent
}

// Duplicate fills c with customer src registered a second time, as a till would: the same
// person or company with the name typed differently (accents left out, the surnames the
// other way round, "Mª" for María, "Fco." for Francisco, capitals), in the same postal code,
// with some of the tax id, e-mail and phone and without the loyalty card. ID, Seq, CreatedAt,
// UpdatedAt and Version are left as they are for the caller.
func (g *Generator) Duplicate(i int, src *domain.Customer, c *domain.Customer) {
	g.reseed(i ^ 0x2545f491)
	keep := domain.Customer{ID: c.ID, Seq: c.Seq, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt, Version: c.Version}
	*c = *src
	c.ID, c.Seq, c.CreatedAt, c.UpdatedAt, c.Version = keep.ID, keep.Seq, keep.CreatedAt, keep.UpdatedAt, keep.Version
	c.Reference, c.Notes, c.AccountNumber, c.MarketingConsent, c.MarketingConsentAt, c.CreditLimitCents = "", "", "", false, nil, 0
	if c.Kind == domain.KindPerson {
		if g.percent(50) {
			c.FirstName = abbreviateFirst(c.FirstName)
		}
		if f := strings.Fields(c.LastName); len(f) == 2 && g.percent(60) {
			c.LastName = f[1] + " " + f[0]
		}
		if g.percent(50) {
			c.FirstName, c.LastName = stripAccents(c.FirstName), stripAccents(c.LastName)
		}
		if g.percent(15) {
			c.FirstName, c.LastName = strings.ToUpper(c.FirstName), strings.ToUpper(c.LastName)
		}
	} else if g.percent(60) {
		c.CompanyName = strings.ToUpper(stripAccents(c.CompanyName))
	}
	if !g.percent(60) {
		c.TaxID = ""
	}
	if !g.percent(50) {
		c.Email = ""
	}
	if !g.percent(50) {
		c.Phone = ""
	}
	c.InvoiceByEmail = c.InvoiceByEmail && c.Email != ""
	if c.Kind == domain.KindPerson && g.percent(30) {
		c.Title = ""
	}
}

// abbreviateFirst writes a given name the short way a hurried till does.
func abbreviateFirst(s string) string {
	for long, short := range map[string]string{"María": "Mª", "Francisco": "Fco.", "José": "Jose", "Fernando": "Fdo.", "Antonio": "Ant."} {
		if strings.HasPrefix(s, long) {
			return short + s[len(long):]
		}
	}
	return s
}

// stripAccents leaves accents out, keeping the case: "Núñez" → "Nunez".
func stripAccents(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
		}
	}
	return norm.NFC.String(b.String())
}
