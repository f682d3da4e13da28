package web

import (
	"net/http"
	"net/url"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/money"
)

// customerPageSize is how many rows one page of the register shows; scrolling loads more.
const customerPageSize = 50

type customerListPage struct {
	Q         string
	GroupID   string
	Balance   string   // "debtors" or "creditors" when the list is narrowed to one side
	Balances  []option // the balance filter's choices
	GroupName string   // when the list is narrowed to one group
	Groups    []option
	// Count is how many customers the register (or the group) holds, counted up to a bound
	// on full page loads only: the rows that live search fetches on each key stroke count
	// nothing.
	Count     app.RegisterCount
	Rows      []customerRow
	NextURL   string // the next page, or empty on the last one
	Searching bool
}

type customerRow struct {
	ID        string
	Name      string // as the list is sorted: "García López, María"
	FullName  string // as people say it: "María García López"
	Company   bool
	Group     string
	Email     string
	Phone     string
	Reference string
}

// customerList is Clientes > Registro: the register in name order, or the matches of the
// search field. With ?fragment=rows it answers only the rows and the link to the next page,
// which the page's script swaps in as the user types or scrolls.
func (s *Server) customerList(w http.ResponseWriter, r *http.Request, rq *request) error {
	q := r.URL.Query()
	text, groupID, balance := q.Get("q"), q.Get("group_id"), q.Get("balance")
	if !app.ValidBalanceSide(balance) {
		balance = "" // an edited address: the whole register
	}
	fragment := q.Get("fragment") == "rows"
	page := customerListPage{Q: text, GroupID: groupID, Balance: balance, Searching: text != ""}
	query := app.CustomerQuery{Q: text, GroupID: groupID, Balance: app.BalanceSide(balance), Cursor: q.Get("cursor"), Limit: customerPageSize}
	res, err := s.app.Customers(r.Context(), rq.p, query)
	if err != nil {
		if domain.ErrorCode(err) != domain.CodeInvalid {
			return err
		}
		// A stale or edited cursor: show the first page rather than an error.
		query.Cursor = ""
		res, err = s.app.Customers(r.Context(), rq.p, query)
		if err != nil {
			return err
		}
	}
	groups, err := s.allGroups(r, rq)
	if err != nil {
		return err
	}
	names := make(map[string]string, len(groups))
	for _, g := range groups {
		names[g.ID] = g.Name
	}
	if groupID != "" {
		name, ok := names[groupID]
		if !ok {
			return domain.Errorf(domain.CodeNotFound)
		}
		page.GroupName = name
	}
	region, err := s.app.ShopCountry(r.Context())
	if err != nil {
		return err
	}
	for _, c := range res.Customers {
		page.Rows = append(page.Rows, customerRow{
			ID: c.ID, Name: listName(&c), FullName: c.DisplayName(), Company: c.Kind == domain.KindCompany,
			Group: names[c.GroupID], Email: c.Email, Phone: domain.PhoneDisplay(c.Phone, region),
			Reference: c.Reference,
		})
	}
	if res.NextCursor != "" {
		next := "/customers?cursor=" + url.QueryEscape(res.NextCursor)
		if text != "" {
			next += "&q=" + url.QueryEscape(text)
		}
		if groupID != "" {
			next += "&group_id=" + url.QueryEscape(groupID)
		}
		if balance != "" {
			next += "&balance=" + balance
		}
		page.NextURL = next
	}
	if fragment {
		return s.renderTemplate(w, rq, http.StatusOK, "customers", "rows", view{User: rq.p, Data: page})
	}
	l := loc{b: s.msgs, Lang: rq.lang}
	page.Balances = []option{{Value: "", Label: l.T("register.balance_all")},
		{Value: string(app.BalanceDebtors), Label: l.T("register.balance_debtors")},
		{Value: string(app.BalanceCreditors), Label: l.T("register.balance_creditors")}}
	if balance == "" { // one side is not counted: the summary names it instead
		if page.Count, err = s.app.CountCustomers(r.Context(), rq.p, groupID); err != nil {
			return err
		}
	}
	page.Groups = append(page.Groups, option{Value: "", Label: s.msgs.T(rq.lang, "customers.all_groups", nil)})
	for _, g := range groups {
		page.Groups = append(page.Groups, option{Value: g.ID, Label: groupLabel(g, string(rq.lang))})
	}
	return s.render(w, r, rq, http.StatusOK, "customers", page)
}

// listName is a customer's name as the register sorts it: a person by surnames, then first
// name ("García López, María"), so that the order of the list can be seen; a company by name.
func listName(c *domain.Customer) string {
	if c.Kind == domain.KindCompany || c.FirstName == "" || c.LastName == "" {
		return c.DisplayName()
	}
	return c.LastName + ", " + c.FirstName
}

// groupLabel names a group with its discount, as choices of a group show it: "VIP (−10 %)".
func groupLabel(g domain.Group, lang string) string {
	if g.DiscountBasisPoints == 0 {
		return g.Name
	}
	return g.Name + " (−" + money.FormatPercent(g.DiscountBasisPoints, lang) + ")"
}

// CountText says how many customers the list holds: "2.000 clientes", "más de 10.000
// clientes", "12 clientes del grupo «VIP»".
func (p customerListPage) CountText(l loc) string {
	key := "customers.count"
	if p.Count.More {
		key = "customers.count_more"
	}
	if p.GroupName != "" {
		key += "_in_group"
	}
	return l.N(key, p.Count.N, "name", p.GroupName)
}

// Summary says what the list shows and in which order; with a search, that the count is of
// the customers searched, not of the matches (counting matches would cost a search of its
// own on every key stroke).
func (p customerListPage) Summary(l loc) string {
	if p.Searching {
		return p.SearchSummary(l, p.Q)
	}
	if p.Balance != "" {
		return p.sideSummary(l)
	}
	return l.T("customers.summary_list", "count", p.CountText(l))
}

// sideSummary says the list is of debtors or of creditors (of a group).
func (p customerListPage) sideSummary(l loc) string {
	key := "register.summary_" + p.Balance
	if p.GroupName != "" {
		return l.T(key+"_in_group", "name", p.GroupName)
	}
	return l.T(key)
}

// SearchSummary is Summary for a search of q; the page's script fills in what is typed.
func (p customerListPage) SearchSummary(l loc, q string) string {
	if p.Balance != "" {
		key := "register.search_" + p.Balance
		if p.GroupName != "" {
			key += "_in_group"
		}
		return l.T(key, "q", q, "name", p.GroupName)
	}
	return l.T("customers.summary_search", "count", p.CountText(l), "q", q)
}

// allGroups reads every group, without member counts, for a filter or a picker.
func (s *Server) allGroups(r *http.Request, rq *request) ([]domain.Group, error) {
	return s.app.GroupChoices(r.Context(), rq.p)
}
