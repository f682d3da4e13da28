package web

import (
	"net/http"
	"net/url"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
)

// customerPageSize is how many rows one page of the register shows; scrolling loads more.
const customerPageSize = 50

type customerListPage struct {
	Q         string
	GroupID   string
	GroupName string // when the list is narrowed to one group
	Rows      []customerRow
	NextURL   string // the next page, or empty on the last one
	Searching bool
}

type customerRow struct {
	ID        string
	Name      string
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
	text, groupID := q.Get("q"), q.Get("group_id")
	page := customerListPage{Q: text, GroupID: groupID, Searching: text != ""}
	res, err := s.app.Customers(r.Context(), rq.p, app.CustomerQuery{Q: text, GroupID: groupID, Cursor: q.Get("cursor"), Limit: customerPageSize})
	if err != nil {
		if domain.ErrorCode(err) != domain.CodeInvalid {
			return err
		}
		// A stale or edited cursor: show the first page rather than an error.
		res, err = s.app.Customers(r.Context(), rq.p, app.CustomerQuery{Q: text, GroupID: groupID, Limit: customerPageSize})
		if err != nil {
			return err
		}
	}
	names, err := s.groupNames(r, rq)
	if err != nil {
		return err
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
			ID: c.ID, Name: c.DisplayName(), Company: c.Kind == domain.KindCompany,
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
		page.NextURL = next
	}
	if q.Get("fragment") == "rows" {
		return s.renderTemplate(w, rq, http.StatusOK, "customers", "rows", view{User: rq.p, Data: page})
	}
	return s.render(w, r, rq, http.StatusOK, "customers", page)
}

// groupNames maps group ids to names for the list. A shop has a handful of groups, so they
// are read whole, page by page.
func (s *Server) groupNames(r *http.Request, rq *request) (map[string]string, error) {
	groups, err := s.allGroups(r, rq)
	if err != nil {
		return nil, err
	}
	names := make(map[string]string, len(groups))
	for _, g := range groups {
		names[g.ID] = g.Name
	}
	return names, nil
}

func (s *Server) allGroups(r *http.Request, rq *request) ([]domain.Group, error) {
	var all []domain.Group
	cursor := ""
	for {
		page, err := s.app.Groups(r.Context(), rq.p, app.MaxPageSize, cursor)
		if err != nil {
			return nil, err
		}
		all = append(all, page.Groups...)
		if page.NextCursor == "" {
			return all, nil
		}
		cursor = page.NextCursor
	}
}
