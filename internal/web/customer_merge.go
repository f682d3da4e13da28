package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
)

// The merge page (issue 11): /customers/{id}/merge?absorb={otherID}. Without absorb it offers
// a search for the other customer and lists the merges this one absorbed before (with what
// each absorbed record held); with it, both records side by side, a choice per differing
// field, the merged customer, its group and what moves. The form carries both versions as
// they were read: a record edited in between makes the merge a conflict, shown again.

type mergePage struct {
	S    domain.Customer
	Name string
	// Without absorb: the search and its results (the survivor left out), and the history.
	Q        string
	Found    []domain.Customer
	Searched bool
	History  []mergeHistoryRow
	// With absorb: the worked-out merge.
	Plan      *app.MergeResult
	Rows      []mergeRow
	Versions  []mergeVersion
	Problems  []string // field errors, as sentences
	Conflict  string   // a record changed since the page was read (the name of which)
	GroupName string   // the merged customer's group, "" for none
	Consent   string   // why the consent kept is the one it is
}

// mergeRow is one field of the comparison.
type mergeRow struct {
	Field    string
	Label    string
	Survivor string
	Absorbed string
	Differ   bool
	Absorb   bool // the absorbed record's value is chosen
}

type mergeVersion struct {
	ID      string
	Version int64
}

// mergeHistoryRow is one past merge into this customer, from the audit log.
type mergeHistoryRow struct {
	Entry    domain.AuditEntry
	Name     string
	Absorbed []mergeRow // the absorbed record's fields (Survivor holds the value)
	Moved    string     // what moved, in a sentence
}

// customerMergePage is GET /customers/{id}/merge.
func (s *Server) customerMergePage(w http.ResponseWriter, r *http.Request, rq *request) error {
	absorb := r.URL.Query().Get("absorb")
	if absorb == "" {
		return s.customerMergePick(w, r, rq)
	}
	return s.customerMergeShow(w, r, rq, app.MergeRequest{AbsorbedID: absorb, Preview: true}, http.StatusOK, nil)
}

// customerMergePick: the search for the other customer, and the merges before.
func (s *Server) customerMergePick(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx := r.Context()
	c, err := s.app.Customer(ctx, rq.p, r.PathValue("id"))
	if err != nil {
		return err
	}
	page := mergePage{S: c, Name: c.DisplayName(), Q: strings.TrimSpace(r.URL.Query().Get("q"))}
	if page.Q != "" {
		res, err := s.app.Customers(ctx, rq.p, app.CustomerQuery{Q: page.Q, Limit: 20})
		if err != nil {
			return err
		}
		page.Searched = true
		for _, f := range res.Customers {
			if f.ID != c.ID {
				page.Found = append(page.Found, f)
			}
		}
	}
	hist, err := s.app.MergeHistory(ctx, rq.p, c.ID)
	if err != nil {
		return err
	}
	l := loc{b: s.msgs, Lang: rq.lang}
	for _, e := range hist {
		row := mergeHistoryRow{Entry: e}
		abs, _ := e.Details["absorbed"].(map[string]any)
		row.Name, _ = abs["display_name"].(string)
		moved, _ := e.Details["moved_records"].(map[string]any)
		count := func(k string) string { n, _ := moved[k].(float64); return l.Int(int64(n)) }
		row.Moved = l.T("merge.history_moved", "invoices", count("invoices"), "entries", count("ledger_entries"), "messages", count("messages"))
		for _, f := range domain.MergeFields {
			v := historyValue(abs, f)
			if v != "" {
				row.Absorbed = append(row.Absorbed, mergeRow{Field: f, Label: mergeLabel(l, f), Survivor: v})
			}
		}
		page.History = append(page.History, row)
	}
	return s.render(w, r, rq, http.StatusOK, "customer_merge", page)
}

// historyValue is a field of an absorbed record as the audit keeps it, as text.
func historyValue(abs map[string]any, field string) string {
	if field == "address" {
		a, _ := abs["address"].(map[string]any)
		var parts []string
		for _, k := range []string{"line1", "line2", "postal_code", "city", "region", "country"} {
			if v, _ := a[k].(string); v != "" {
				parts = append(parts, v)
			}
		}
		return strings.Join(parts, ", ")
	}
	switch v := abs[field].(type) {
	case string:
		return v
	case bool:
		if v {
			return "✓"
		}
		return ""
	case float64:
		if v == 0 {
			return ""
		}
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return ""
}

// customerMergeShow works out the merge req asks for and shows it, with status and, when
// a merge was refused, why.
func (s *Server) customerMergeShow(w http.ResponseWriter, r *http.Request, rq *request, req app.MergeRequest, status int, refused error) error {
	ctx := r.Context()
	l := loc{b: s.msgs, Lang: rq.lang}
	page := mergePage{}
	if refused != nil {
		var de *domain.Error
		if errors.As(refused, &de) {
			if de.Code == domain.CodeConflict {
				// Read both again: the page shows them as they are now, with their new versions.
				req.Versions = nil
				if id, _ := de.Details["customer_id"].(string); id != "" {
					page.Conflict = id
				}
			} else {
				page.Problems = s.fieldProblems(rq, de)
			}
		}
	}
	req.Preview = true
	plan, err := s.app.MergeCustomers(ctx, rq.p, r.PathValue("id"), req)
	var de *domain.Error
	if errors.As(err, &de) && de.Code == domain.CodeInvalid && plan.Absorbed.ID == "" {
		// The other customer is unknown or the same: back to the search, saying so.
		if refused == nil {
			page.Problems = s.fieldProblems(rq, de)
		}
		c, cerr := s.app.Customer(ctx, rq.p, r.PathValue("id"))
		if cerr != nil {
			return cerr
		}
		page.S, page.Name = c, c.DisplayName()
		return s.render(w, r, rq, http.StatusUnprocessableEntity, "customer_merge", page)
	}
	if errors.As(err, &de) && de.Code == domain.CodeInvalid {
		// The chosen values do not make a valid customer: shown with the choices kept.
		if refused == nil {
			page.Problems = s.fieldProblems(rq, de)
		}
		status = http.StatusUnprocessableEntity
	} else if err != nil {
		return err
	}
	page.S, page.Name, page.Plan = plan.Survivor, plan.Survivor.DisplayName(), &plan
	if page.Conflict != "" {
		c := plan.Survivor
		if page.Conflict == plan.Absorbed.ID {
			c = plan.Absorbed
		}
		page.Conflict = c.DisplayName()
	}
	versions := req.Versions
	if versions == nil {
		versions = app.MergeVersions(&plan.Survivor, &plan.Absorbed)
	}
	page.Versions = []mergeVersion{{plan.Survivor.ID, versions[plan.Survivor.ID]}, {plan.Absorbed.ID, versions[plan.Absorbed.ID]}}
	shop, err := s.app.ShopCountry(ctx)
	if err != nil {
		return err
	}
	for _, f := range plan.Fields {
		if !f.Differ && f.Survivor == "" {
			continue // blank on both: nothing to choose nor to see
		}
		page.Rows = append(page.Rows, mergeRow{Field: f.Field, Label: mergeLabel(l, f.Field),
			Survivor: mergeShown(l, &plan, &plan.Survivor, f.Field, shop), Absorbed: mergeShown(l, &plan, &plan.Absorbed, f.Field, shop),
			Differ: f.Differ, Absorb: f.Side == domain.MergeAbsorbed})
	}
	if plan.Group != nil {
		page.GroupName = plan.Group.Name
	}
	winner, other := plan.AbsorbedConsent, plan.SurvivorConsent
	if plan.ConsentSide == domain.MergeSurvivor {
		winner, other = plan.SurvivorConsent, plan.AbsorbedConsent
	}
	switch {
	case winner.At == nil:
		page.Consent = l.T("merge.consent_none")
	case other.At == nil:
		page.Consent = l.T("merge.consent_only", "date", l.Date(*winner.At))
	default:
		page.Consent = l.T("merge.consent_latest", "date", l.Date(*winner.At))
	}
	return s.render(w, r, rq, status, "customer_merge", page)
}

// fieldProblems are the field errors of de as sentences naming their fields.
func (s *Server) fieldProblems(rq *request, de *domain.Error) []string {
	var out []string
	for _, f := range de.Fields {
		out = append(out, s.fieldProblem(rq, f))
	}
	return out
}

// fieldProblem is a field error as a sentence naming the field.
func (s *Server) fieldProblem(rq *request, f domain.FieldError) string {
	l := loc{b: s.msgs, Lang: rq.lang}
	name := f.Field
	key, _, _ := strings.Cut(strings.TrimPrefix(f.Field, "fields."), ".")
	if label := mergeLabel(l, key); label != "" {
		name = label
	}
	return name + ": " + s.msgs.T(rq.lang, "field."+f.Code, f.Params)
}

// mergeLabel is a field's label on the page.
func mergeLabel(l loc, field string) string {
	switch field {
	case "kind":
		return l.T("customer.kind")
	case "title":
		return l.T("customer.title")
	case "first_name":
		return l.T("customer.first_name")
	case "last_name":
		return l.T("customer.last_name")
	case "company_name":
		return l.T("customer.company_name")
	case "legal_form":
		return l.T("customer.legal_form")
	case "tax_id":
		return l.T("customer.tax_id")
	case "email":
		return l.T("customer.email")
	case "phone":
		return l.T("customer.phone")
	case "address":
		return l.T("customer.section_address")
	case "reference":
		return l.T("customer.reference")
	case "account_number":
		return l.T("customer.account_number")
	case "group_id":
		return l.T("customer.group")
	case "notes":
		return l.T("customer.notes")
	case "invoice_by_email":
		return l.T("customer.invoice_by_email")
	case "credit_limit_cents":
		return l.T("customer.credit_limit")
	case "absorb_id":
		return l.T("merge.other")
	case "versions":
		return l.T("merge.versions")
	}
	return ""
}

// mergeShown is a field's value of c as the page shows it.
func mergeShown(l loc, plan *app.MergeResult, c *domain.Customer, field, shop string) string {
	switch field {
	case "kind":
		if c.Kind == domain.KindCompany {
			return l.T("kind.company")
		}
		return l.T("kind.person")
	case "title":
		switch c.Title {
		case domain.TitleMr:
			return l.T("title.mr")
		case domain.TitleMrs:
			return l.T("title.mrs")
		case domain.TitleMs:
			return l.T("title.ms")
		}
		return ""
	case "phone":
		if c.Phone == "" {
			return ""
		}
		return domain.PhoneDisplay(c.Phone, shop)
	case "group_id":
		return plan.GroupNames[c.GroupID]
	case "invoice_by_email":
		if c.InvoiceByEmail {
			return l.T("merge.yes")
		}
		return l.T("merge.no")
	case "credit_limit_cents":
		return l.Money(c.CreditLimitCents)
	}
	return domain.MergeValue(c, field)
}

// customerMerge is POST /customers/{id}/merge: "Fusionar" merges; "Ver cómo queda" shows
// the merge again with the choices made.
func (s *Server) customerMerge(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	req := app.MergeRequest{AbsorbedID: r.PostForm.Get("absorb"), Fields: map[string]string{}, Versions: map[string]int64{}}
	for _, f := range domain.MergeFields {
		if v := r.PostForm.Get("f_" + f); v != "" {
			req.Fields[f] = v
		}
	}
	for key, vals := range r.PostForm {
		id, ok := strings.CutPrefix(key, "v_")
		if !ok || len(vals) == 0 {
			continue
		}
		n, err := strconv.ParseInt(vals[0], 10, 64)
		if err != nil {
			n = 0 // refused by the use case as out of range
		}
		req.Versions[id] = n
	}
	if r.PostForm.Get("action") == "preview" {
		return s.customerMergeShow(w, r, rq, req, http.StatusOK, nil)
	}
	res, err := s.app.MergeCustomers(r.Context(), rq.p, r.PathValue("id"), req)
	switch domain.ErrorCode(err) {
	case domain.CodeConflict:
		return s.customerMergeShow(w, r, rq, req, http.StatusConflict, err)
	case domain.CodeInvalid:
		return s.customerMergeShow(w, r, rq, req, http.StatusUnprocessableEntity, err)
	}
	if err != nil {
		return err
	}
	// The flash names nobody: the absorbed record is gone, and flashes travel in a cookie.
	s.setFlash(w, r, "flash.customer_merged", map[string]any{"invoices": res.Moves.Invoices, "entries": res.Moves.LedgerEntries})
	http.Redirect(w, r, "/customers/"+res.Merged.ID, http.StatusSeeOther)
	return nil
}
