package web

import (
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/draw"
	"github.com/clientela/clientela/internal/i18n"
)

// customerProfilePage is a customer's profile: who they are and how to reach them, read at a
// glance, with the form behind "Editar".
type customerProfilePage struct {
	C         domain.Customer
	Name      string
	Initials  string
	Group     *domain.Group // nil: no group
	Phone     string        // as people write it
	PhoneHref template.URL  // tel: link, empty without a phone
	Address   []string      // the postal address's lines as printed on an envelope
	Barcode   template.HTML // the reference as a barcode a till's scanner reads, when it can be drawn
	CanEdit   bool
	CanDelete bool

	// What the customer bought, for those who may read invoices.
	CanInvoices bool
	Sales       app.CustomerSales
	Invoices    []invoiceRow  // the last few, newest first
	Months      []monthRow    // the last 12 months, oldest first
	Chart       template.HTML // the months drawn as bars (internal/draw)

	// The account, for those who may read it (nil otherwise): balance and last entries.
	Account *app.AccountPage
	// Mails are the last e-mails sent (or to be sent) to the customer, newest first;
	// CanWrite: the user may write to them (/messages/new).
	Mails    []domain.OutboxMessage
	CanWrite bool
	// CanPrivacy: the user answers privacy requests (admins): the "Privacidad" card.
	CanPrivacy bool
}

// profileMails is how many of the customer's last e-mails the profile lists.
const profileMails = 10

// profileEntries is how many of the account's last entries the profile lists.
const profileEntries = 5

// profileInvoices is how many of the customer's last invoices the profile lists.
const profileInvoices = 5

// monthRow is one month of the spending chart's text alternative.
type monthRow struct {
	Label      string // "noviembre de 2026"
	TotalCents int64
}

// customerProfile is GET /customers/{id}.
func (s *Server) customerProfile(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx := r.Context()
	c, err := s.app.Customer(ctx, rq.p, r.PathValue("id"))
	if err != nil {
		return err
	}
	shop, err := s.app.ShopCountry(ctx)
	if err != nil {
		return err
	}
	page := customerProfilePage{
		C: c, Name: c.DisplayName(), Initials: initials(c.DisplayName()),
		CanEdit:   rq.p.Role.Can(domain.PermCustomersUpdate),
		CanDelete: rq.p.Role.Can(domain.PermCustomersDelete),
		CanWrite:  rq.p.Role.Can(domain.PermMessagesSend),
		Address:   s.addressLines(c.Address, rq.lang, shop),
	}
	page.CanPrivacy = rq.p.Role.Can(domain.PermPrivacy)
	if c.GroupID != "" {
		// From the choice of groups, which counts no members: app.Group counts the group's,
		// a walk of its index that a profile has no use for.
		groups, err := s.allGroups(r, rq)
		if err != nil {
			return err
		}
		// Missing: a group is deleted only once empty, so this is a race with a move of its
		// members; the customer is shown without it.
		if i := slices.IndexFunc(groups, func(g domain.Group) bool { return g.ID == c.GroupID }); i >= 0 {
			page.Group = &groups[i]
		}
	}
	if c.Phone != "" {
		// As the register shows it: dialled from the shop, so a foreign number keeps its
		// country code.
		page.Phone = domain.PhoneDisplay(c.Phone, shop)
		page.PhoneHref = telURL(c.Phone)
	}
	if c.Reference != "" {
		// A reference Code 128 cannot encode (letters beyond ASCII) is shown as text only.
		if svg, err := draw.Barcode(c.Reference); err == nil {
			page.Barcode = svg
		}
	}
	if rq.p.Role.Can(domain.PermInvoicesRead) {
		if err := s.profileSales(r, rq, &page); err != nil {
			return err
		}
	}
	if page.Account, err = s.accountSummary(r, rq, c.ID, profileEntries); err != nil {
		return err
	}
	if page.Mails, err = s.app.MailHistory(ctx, rq.p, app.OutboxFilter{CustomerID: c.ID, Limit: profileMails}); err != nil {
		return err
	}
	return s.render(w, r, rq, http.StatusOK, "customer_profile", page)
}

// profileSales fills the key figures, the last invoices and the months' totals.
func (s *Server) profileSales(r *http.Request, rq *request, page *customerProfilePage) error {
	ctx := r.Context()
	sales, err := s.app.CustomerSales(ctx, rq.p, page.C.ID)
	if err != nil {
		return err
	}
	last, err := s.app.Invoices(ctx, rq.p, app.InvoiceQuery{CustomerID: page.C.ID, Limit: profileInvoices})
	if err != nil {
		return err
	}
	page.CanInvoices, page.Sales = true, sales
	for i := range last.Invoices {
		page.Invoices = append(page.Invoices, rowOf(&last.Invoices[i]))
	}
	months := monthNames(s.msgs.T(rq.lang, "profile.months", nil))
	var points []draw.MonthTotal
	for _, m := range sales.Months {
		page.Months = append(page.Months, monthRow{
			Label:      s.msgs.T(rq.lang, "profile.month_year", map[string]any{"month": months(m.Month), "year": m.Year}),
			TotalCents: m.TotalCents,
		})
		points = append(points, draw.MonthTotal{Month: time.Date(m.Year, m.Month, 1, 0, 0, 0, 0, time.UTC), Cents: m.TotalCents})
	}
	if len(points) == 0 {
		return nil
	}
	// The drawing's accessible name says what it shows (the total and the highest month); the
	// table under it has every month.
	var total int64
	top := 0
	for i, m := range sales.Months {
		total += m.TotalCents
		if m.TotalCents > sales.Months[top].TotalCents {
			top = i
		}
	}
	if total == 0 && sales.Months[top].TotalCents == 0 {
		return nil // no bars to draw: the page says so in words
	}
	l := loc{b: s.msgs, Lang: rq.lang}
	chart, err := draw.MonthlyBars(points, draw.Options{
		Title: l.T("profile.chart_title", "name", page.Name, "total", l.Money(total),
			"max_month", page.Months[top].Label, "max", l.Money(sales.Months[top].TotalCents)),
		Money: l.Money, MonthName: monthNames(s.msgs.T(rq.lang, "profile.months_short", nil)),
		Last: points[len(points)-1].Month, Months: len(points),
		// Narrower than the default 480, so the labels stay legible on a 360 px phone; the
		// page's CSS caps the width on a desktop.
		Width: 400, Height: 220,
	})
	if err != nil {
		return fmt.Errorf("draw the spending chart: %w", err)
	}
	page.Chart = chart.SVG
	return nil
}

// monthNames reads a catalog's comma-separated month names into a lookup.
func monthNames(list string) func(time.Month) string {
	names := strings.Split(list, ",")
	return func(m time.Month) string {
		if int(m) >= 1 && int(m) <= len(names) {
			return names[m-1]
		}
		return fmt.Sprint(int(m))
	}
}

// addressLines prints an address as on an envelope: the street lines, the postal code with
// the city, the region, and the country when it is not the shop's own.
func (s *Server) addressLines(a domain.Address, lang i18n.Lang, shopCountry string) []string {
	var lines []string
	add := func(parts ...string) {
		var kept []string
		for _, p := range parts {
			if p = strings.TrimSpace(p); p != "" {
				kept = append(kept, p)
			}
		}
		if len(kept) > 0 {
			lines = append(lines, strings.Join(kept, " "))
		}
	}
	add(a.Line1)
	add(a.Line2)
	add(a.PostalCode, a.City)
	add(a.Region)
	if a.Country != "" && a.Country != shopCountry {
		add(s.countryName(lang, a.Country))
	}
	return lines
}

// countryName is a country's name in lang, or its code when unknown.
func (s *Server) countryName(lang i18n.Lang, code string) string {
	for _, o := range s.countries[lang] {
		if o.Value == code {
			return o.Label
		}
	}
	return code
}

// telURL is the tel: link of a stored phone (E.164, then ";ext=" and digits), which
// html/template would otherwise refuse as an unknown scheme. Only the characters a stored
// phone has pass, so nothing else can ride along.
func telURL(stored string) template.URL {
	var b strings.Builder
	for _, r := range stored {
		if r < utf8.RuneSelf && (unicode.IsDigit(r) || strings.ContainsRune("+;=ext", r)) {
			b.WriteRune(r)
		}
	}
	return template.URL("tel:" + b.String()) //nolint:gosec // digits, '+', and ";ext=" only
}

// initials are the first letters of a name's first two words, for the profile's badge.
func initials(name string) string {
	var out []rune
	for _, w := range strings.Fields(name) {
		r, _ := utf8.DecodeRuneInString(w)
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			out = append(out, unicode.ToUpper(r))
		}
		if len(out) == 2 {
			break
		}
	}
	return string(out)
}
