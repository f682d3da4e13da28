package document

import (
	"strconv"
	"strings"
	"time"

	"github.com/clientela/clientela/internal/money"
)

// formatMoney formats cents as money in the language ("1.234,56 €", "€1,234.56").
func formatMoney(cents int64, l Lang) string { return money.FormatCents(cents, l.code()) }

// formatRate formats a VAT rate in basis points ("21 %", "5,5 %", en "21%").
func formatRate(bp int64, l Lang) string { return money.FormatPercent(bp, l.code()) }

// formatQuantity formats thousandths: whole quantities without decimals ("2"), others with
// the three decimals a scale prints ("0,350", en "0.350").
func formatQuantity(q int64, l Lang) string {
	neg := q < 0
	var mag uint64
	if neg {
		mag = uint64(-(q + 1)) + 1 // -MinInt64 does not fit in int64
	} else {
		mag = uint64(q)
	}
	whole, frac := mag/1000, mag%1000
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	b.WriteString(strconv.FormatUint(whole, 10))
	if frac != 0 {
		if l == English {
			b.WriteByte('.')
		} else {
			b.WriteByte(',')
		}
		s := strconv.FormatUint(frac, 10)
		b.WriteString(strings.Repeat("0", 3-len(s)) + s)
	}
	return b.String()
}

// formatDateTime prints the issue date and time as the shop's clock showed them: the
// caller passes IssuedAt in the shop's time zone.
func formatDateTime(t time.Time, l Lang) string {
	if l == English {
		return t.Format("2006-01-02 15:04")
	}
	return t.Format("02/01/2006 15:04")
}

// typeLabel names the invoice type.
func typeLabel(inv *Invoice, lb labels) string {
	if inv.IsRectifying() {
		return lb.get("type.R")
	}
	switch inv.Type {
	case TypeFull, TypeSimplified, "F3":
		return lb.get("type." + inv.Type)
	}
	return lb.get("type.F1")
}

// methodLabel names a payment method; an unknown one prints as stored.
func methodLabel(method string, lb labels) string {
	switch method {
	case MethodCash, MethodCard, MethodAccount, MethodCredit:
		return lb.get("method." + method)
	}
	return method
}

// partyName is how the customer is named on documents: a company by its name and legal
// form, a person by title, first and last name.
func partyName(p *Party, lb labels) string {
	if p.Kind == KindCompany {
		return clean(p.CompanyName + " " + p.LegalForm)
	}
	title := ""
	switch p.Title {
	case "mr", "mrs", "ms":
		title = lb.get("title." + p.Title)
	}
	return clean(title + " " + p.FirstName + " " + p.LastName)
}

// addressLines returns the address as printed lines: street lines, "postal code city",
// region, and the country code when it differs from home (the shop's country).
func addressLines(a Address, home string) []string {
	var out []string
	add := func(s string) {
		if s = clean(s); s != "" {
			out = append(out, s)
		}
	}
	add(a.Line1)
	add(a.Line2)
	add(a.PostalCode + " " + a.City)
	if !strings.EqualFold(clean(a.Region), clean(a.City)) { // "Madrid, Madrid" says it once
		add(a.Region)
	}
	if c := clean(a.Country); c != "" && !strings.EqualFold(c, clean(home)) {
		add(strings.ToUpper(c))
	}
	return out
}
