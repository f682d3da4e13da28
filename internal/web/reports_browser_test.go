package web_test

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
)

// TestReportsInChromium: the debtors report of a seeded register on a desktop and on a
// phone — the ageing chart drawn with its four bars, nothing wider than the screen — and a
// customer's statement. Its screenshots are the README's (CLIENTELA_UPDATE_DOCS_SCREENSHOTS=1).
func TestReportsInChromium(t *testing.T) {
	ctx := chrome(t)
	e := newEnv(t, sqliteBackend(t))
	seedRegister(t, e, 300)
	listed, err := e.app.Customers(context.Background(), app.System(), app.CustomerQuery{Limit: 60})
	if err != nil {
		t.Fatal(err)
	}
	// Forty debtors with a few sales and payments over the last half year, five creditors.
	r := rand.New(rand.NewPCG(9, 9))
	now := time.Now()
	for i, c := range listed.Customers[:45] {
		if i >= 40 {
			e.bookEntry(c, domain.LedgerDeposit, -int64(1000+r.IntN(20000)), now.AddDate(0, 0, -r.IntN(60)))
			continue
		}
		days := 180
		for range 1 + r.IntN(4) {
			days -= r.IntN(60)
			e.bookEntry(c, domain.LedgerSale, int64(500+r.IntN(30000)), now.AddDate(0, 0, -max(days, 0)))
		}
		if r.IntN(3) == 0 {
			e.bookEntry(c, domain.LedgerPayment, -int64(100+r.IntN(500)), now.AddDate(0, 0, -max(days-1, 0)))
		}
	}
	p := &page{t: t, ctx: ctx, base: e.url, dir: t.ArtifactDir()}
	p.do(chromedp.EmulateViewport(1280, 800))
	p.login("manager")
	p.open("/reports/debtors")
	p.waitFor("document.querySelector('svg.chart-ageing') !== null")
	if n := eval[float64](p, "document.querySelectorAll('svg.chart-ageing rect.bar').length"); n != 4 {
		t.Errorf("%v bars", n)
	}
	if w := eval[float64](p, "document.querySelector('svg.chart-ageing').getBoundingClientRect().width"); w < 300 || w > 700 {
		t.Errorf("chart %v px wide", w)
	}
	if n := eval[float64](p, "document.querySelectorAll('table.debtors tbody tr').length"); n != 40 {
		t.Errorf("%v debtors", n)
	}
	if over := eval[bool](p, "document.documentElement.scrollWidth > innerWidth"); over {
		t.Error("the report is wider than the window")
	}
	p.viewportShot("debtors", "debtors.png")

	p.do(chromedp.EmulateViewport(360, 740))
	p.open("/reports/debtors")
	if over := eval[bool](p, "document.documentElement.scrollWidth > innerWidth"); over {
		t.Error("the report is wider than a phone")
	}
	p.viewportShot("debtors-phone", "debtors-phone.png")

	p.do(chromedp.EmulateViewport(1280, 800))
	p.open("/reports/creditors")
	if n := eval[float64](p, "document.querySelectorAll('table.creditors tbody tr').length"); n != 5 {
		t.Errorf("%v creditors", n)
	}
	p.screenshot("creditors")
	p.clickAndLoad("table.creditors tbody tr a.statement-link")
	p.waitFor("location.pathname.endsWith('/statement')")
	first := listed.Customers[0]
	p.open("/customers/" + first.ID + "/statement?from=" + now.AddDate(0, -6, -1).Format(time.DateOnly))
	if got := p.text("table.statement tfoot tr.closing"); got == "" {
		t.Error("no closing balance")
	}
	p.viewportShot("statement", "statement.png")
}
