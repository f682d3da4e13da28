package web

import (
	"encoding/csv"
	"fmt"
	"html/template"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/draw"
)

// reportPageSize is how many customers one page of a report lists.
const reportPageSize = 50

// ageKeys are the catalog keys of the ageing buckets, in domain.Age0To30… order.
var ageKeys = [domain.AgeBuckets]string{"reports.age_0_30", "reports.age_31_60", "reports.age_61_90", "reports.age_over_90"}

// debtorsPage is Informes > Deudores: who owes what, aged, with the ages drawn as bars.
type debtorsPage struct {
	Report   app.DebtorsReport
	Ages     []ageView
	Chart    template.HTML
	NextURL  string
	FirstURL string
}

// ageView is one bucket's label and total.
type ageView struct {
	Label string
	Cents int64
}

// debtorsReport is GET /reports/debtors. A stale cursor shows the first page.
func (s *Server) debtorsReport(w http.ResponseWriter, r *http.Request, rq *request) error {
	l := loc{b: s.msgs, Lang: rq.lang}
	q := app.ReportQuery{Limit: reportPageSize, Cursor: r.URL.Query().Get("cursor")}
	rep, err := s.app.Debtors(r.Context(), rq.p, q)
	if err != nil && q.Cursor != "" && onlyCursorProblem(err) {
		q.Cursor = ""
		rep, err = s.app.Debtors(r.Context(), rq.p, q)
	}
	if err != nil {
		return err
	}
	page := debtorsPage{Report: rep}
	buckets := make([]draw.Bucket, domain.AgeBuckets)
	for i, key := range ageKeys {
		page.Ages = append(page.Ages, ageView{Label: l.T(key), Cents: rep.Aged[i]})
		buckets[i] = draw.Bucket{Label: l.T(key), Cents: rep.Aged[i]}
	}
	if rep.Count > 0 {
		chart, err := draw.AgeingBars(buckets, draw.Options{Title: l.T("reports.chart_title"), Money: l.Money})
		if err != nil {
			return fmt.Errorf("draw the ageing: %w", err)
		}
		page.Chart = chart.SVG
	}
	if rep.NextCursor != "" {
		page.NextURL = "/reports/debtors?cursor=" + url.QueryEscape(rep.NextCursor)
	}
	if q.Cursor != "" {
		page.FirstURL = "/reports/debtors"
	}
	return s.render(w, r, rq, http.StatusOK, "reports_debtors", page)
}

// creditorsPage is Informes > Acreedores: who holds credit with us.
type creditorsPage struct {
	Report   app.CreditorsReport
	NextURL  string
	FirstURL string
}

// creditorsReport is GET /reports/creditors.
func (s *Server) creditorsReport(w http.ResponseWriter, r *http.Request, rq *request) error {
	q := app.ReportQuery{Limit: reportPageSize, Cursor: r.URL.Query().Get("cursor")}
	rep, err := s.app.Creditors(r.Context(), rq.p, q)
	if err != nil && q.Cursor != "" && onlyCursorProblem(err) {
		q.Cursor = ""
		rep, err = s.app.Creditors(r.Context(), rq.p, q)
	}
	if err != nil {
		return err
	}
	page := creditorsPage{Report: rep}
	if rep.NextCursor != "" {
		page.NextURL = "/reports/creditors?cursor=" + url.QueryEscape(rep.NextCursor)
	}
	if q.Cursor != "" {
		page.FirstURL = "/reports/creditors"
	}
	return s.render(w, r, rq, http.StatusOK, "reports_creditors", page)
}

// debtorsCSV is GET /reports/debtors.csv: every debtor, in UTF-8, amounts in euros with a
// decimal point, so that a spreadsheet or an accounting program reads them as numbers.
func (s *Server) debtorsCSV(w http.ResponseWriter, r *http.Request, rq *request) error {
	rep, err := s.app.Debtors(r.Context(), rq.p, app.ReportQuery{All: true})
	if err != nil {
		return err
	}
	rows := [][]string{{"customer_id", "name", "reference", "account_number", "balance", "days_0_30", "days_31_60", "days_61_90", "days_over_90"}}
	for _, d := range rep.Rows {
		c := &d.Customer
		row := []string{c.ID, csvText(c.DisplayName()), csvText(c.Reference), csvText(c.AccountNumber), decimalCents(d.BalanceCents)}
		for _, v := range d.Aged {
			row = append(row, decimalCents(v))
		}
		rows = append(rows, row)
	}
	return writeCSV(w, "debtors-"+rep.Today.Format(time.DateOnly)+".csv", rows)
}

// creditorsCSV is GET /reports/creditors.csv, as debtorsCSV: credit is what we owe (> 0).
func (s *Server) creditorsCSV(w http.ResponseWriter, r *http.Request, rq *request) error {
	rep, err := s.app.Creditors(r.Context(), rq.p, app.ReportQuery{All: true})
	if err != nil {
		return err
	}
	rows := [][]string{{"customer_id", "name", "reference", "account_number", "credit"}}
	for _, d := range rep.Rows {
		c := &d.Customer
		rows = append(rows, []string{c.ID, csvText(c.DisplayName()), csvText(c.Reference), csvText(c.AccountNumber), decimalCents(d.CreditCents)})
	}
	return writeCSV(w, "creditors.csv", rows)
}

func writeCSV(w http.ResponseWriter, name string, rows [][]string) error {
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	cw := csv.NewWriter(w)
	_ = cw.WriteAll(rows) // a client gone away is not our error
	return nil
}

// csvText keeps a text cell from being read as a formula by a spreadsheet: one that starts
// with = + - @ or a control character gets a leading apostrophe (OWASP's advice).
func csvText(s string) string {
	if s != "" {
		switch s[0] {
		case '=', '+', '-', '@', '\t', '\r':
			return "'" + s
		}
	}
	return s
}

// decimalCents writes cents as euros with a point and two decimals: -1234 → "-12.34".
func decimalCents(c int64) string {
	sign := ""
	u := uint64(c)
	if c < 0 {
		sign, u = "-", -u
	}
	return sign + strconv.FormatUint(u/100, 10) + fmt.Sprintf(".%02d", u%100)
}
