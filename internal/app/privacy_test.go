package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/testdb"
)

// privacyFixture is a customer with a history: simplified invoices (one on account, paid
// since), ledger entries, an invoice by e-mail, a message written to her alone and a
// campaign she unsubscribed from, consent changes, and an audit entry holding her values (as
// a merge's does); beside her a company with a full invoice.
type privacyFixture struct {
	zoraida, talleres domain.Customer
	simplified, full  domain.Invoice
	unsubToken        string
}

// Zoraida's values as they would be found: as typed, as stored, as search indexes them.
var zoraidaTraces = []string{"Zoraida", "Quesada", "zqmail", "zoraida.quesada", "655432109", "34655432109", "90123455643", "ZQ-7731"}

func newPrivacyFixture(t *testing.T, e *env) privacyFixture {
	t.Helper()
	ctx := context.Background()
	e.setUpShop(t)
	boss, manu, till := e.as("boss"), e.as("manu"), e.as("till")
	var f privacyFixture
	var err error
	f.zoraida, err = e.app.CreateCustomer(ctx, manu, domain.CustomerChanges{Kind: domain.Some(domain.KindPerson),
		Title: domain.Some(domain.TitleMrs), FirstName: domain.Some("Zoraida"), LastName: domain.Some("Quesada"),
		Email: domain.Some("zoraida.quesada@zqmail.es"), Phone: domain.Some("655 43 21 09"), Reference: domain.Some("ZQ-7731"),
		Line1: domain.Some("Calle Zurbarán 3"), City: domain.Some("Sevilla"), InvoiceByEmail: domain.Some(true),
		MarketingConsent: domain.Some(true), CreditLimitCents: domain.Some(int64(10000)), Notes: domain.Some("Prefiere Zoraida")})
	if err != nil {
		t.Fatal(err)
	}
	// Consent withdrawn and given again on the form.
	for i, v := range []bool{false, true} {
		if f.zoraida, err = e.app.UpdateCustomer(ctx, manu, f.zoraida.ID, domain.IfVersion(int64(i+1)),
			domain.CustomerChanges{MarketingConsent: domain.Some(v)}); err != nil {
			t.Fatal(err)
		}
	}
	f.talleres, err = e.app.CreateCustomer(ctx, manu, domain.CustomerChanges{Kind: domain.Some(domain.KindCompany),
		CompanyName: domain.Some("Talleres Yébenes"), LegalForm: domain.Some("S.L."), TaxID: domain.Some("A13585625"),
		Email: domain.Some("taller@yebenesmail.es"), Phone: domain.Some("+34 911 22 33 44"),
		Line1: domain.Some("Polígono Sur 8"), PostalCode: domain.Some("41001"), City: domain.Some("Sevilla")})
	if err != nil {
		t.Fatal(err)
	}
	// A simplified invoice, half on account; the payment that settles it.
	tk := e.ticketFor(t, till, f.zoraida, 4000)
	f.simplified, err = e.app.CloseTicket(ctx, till, tk.ID, tenders(domain.Tender{Method: domain.TenderCash, AmountCents: 2000},
		domain.Tender{Method: domain.TenderAccount, AmountCents: 2000}), "")
	if err != nil || f.simplified.Type != domain.InvoiceSimplified {
		t.Fatalf("close: %v %+v", err, f.simplified.Type)
	}
	tk = e.ticketFor(t, till, f.talleres, 12100)
	if f.full, err = e.app.CloseTicket(ctx, till, tk.ID, cash(12100), ""); err != nil || f.full.Type != domain.InvoiceFull {
		t.Fatalf("close full: %v %+v", err, f.full.Type)
	}
	if _, err := e.app.SendInvoiceMail(ctx, manu, f.full.ID); err != nil {
		t.Fatal(err)
	}
	// A message to her alone, with her name in the subject, and a campaign by search.
	if _, err := e.app.SendMessage(ctx, manu, app.MessageDraft{Audience: domain.AudienceCustomer, CustomerID: f.zoraida.ID,
		Subject: "Zoraida, su pedido", Body: "{{.Name}}, su pedido ha llegado."}); err != nil {
		t.Fatal(err)
	}
	camp, err := e.app.SendMessage(ctx, manu, app.MessageDraft{Audience: domain.AudienceSearch, Query: "quesada",
		Subject: "Ofertas", Body: "Hola {{.FirstName}}"})
	if err != nil {
		t.Fatal(err)
	}
	msgs, err := e.app.MailHistory(ctx, manu, app.OutboxFilter{CampaignID: camp.ID})
	if err != nil || len(msgs) != 1 {
		t.Fatalf("campaign messages %v %+v", err, msgs)
	}
	raw := rawOf(t, e, msgs[0].ID)
	i := bytes.Index(raw, []byte("/unsubscribe/"))
	if i < 0 {
		t.Fatalf("no unsubscribe link in %s", raw)
	}
	f.unsubToken = string(raw[i+len("/unsubscribe/") : i+len("/unsubscribe/")+bytes.IndexAny(raw[i+len("/unsubscribe/"):], ">\r\n")])
	if err := e.app.Unsubscribe(ctx, f.unsubToken); err != nil {
		t.Fatal(err)
	}
	// An audit entry with her values in its details, as a merge keeps the absorbed record,
	// and one about something else that names her e-mail address.
	err = e.db.Write(ctx, func(tx app.Tx) error {
		if err := tx.AppendAudit(ctx, &domain.AuditEntry{At: time.Now(), ActorID: boss.UserID, ActorName: "boss", Action: "customer.merge",
			EntityType: "customer", EntityID: f.zoraida.ID, Details: map[string]any{"absorbed": map[string]any{
				"id": "0190a000-0000-7000-8000-000000000001", "first_name": "Zoraida", "phone": "+34655432109", "versions": 3}}}); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, &domain.AuditEntry{At: time.Now(), ActorID: boss.UserID, ActorName: "boss", Action: "note",
			EntityType: "settings", EntityID: "x", Details: map[string]any{"note": "bounce from zoraida.quesada@zqmail.es", "n": 1}})
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestPrivacyExport(t *testing.T) {
	eachBackend(t, app.Config{Mail: app.MailConfig{PublicURL: "https://tienda.example/"}}, func(t *testing.T, e *env) {
		ctx := context.Background()
		f := newPrivacyFixture(t, e)
		for _, who := range []string{"manu", "till"} {
			_, err := e.app.PrivacyExport(ctx, e.as(who), f.zoraida.ID)
			wantCode(t, who+" exports", err, domain.CodeForbidden)
		}
		_, err := e.app.PrivacyExport(ctx, e.as("boss"), "0190a000-0000-7000-8000-00000000dead")
		wantCode(t, "unknown customer", err, domain.CodeNotFound)

		pkg, err := e.app.PrivacyExport(ctx, e.as("boss"), f.zoraida.ID)
		if err != nil {
			t.Fatal(err)
		}
		c := pkg.Customer
		if pkg.Version != 1 || c.Email != "zoraida.quesada@zqmail.es" || c.Phone != "+34655432109" || c.Address.City != "Sevilla" ||
			c.Notes != "Prefiere Zoraida" || c.BalanceCents != 2000 || c.MarketingConsent {
			t.Errorf("customer %+v", c)
		}
		if len(pkg.Invoices) != 1 || pkg.Invoices[0].Number != f.simplified.Number || pkg.Invoices[0].Customer.FirstName != "Zoraida" ||
			len(pkg.Invoices[0].Lines) != 1 || pkg.Invoices[0].TotalCents != 4000 {
			t.Errorf("invoices %+v", pkg.Invoices)
		}
		if len(pkg.Ledger) != 1 || pkg.Ledger[0].Kind != "sale" || pkg.Ledger[0].AmountCents != 2000 {
			t.Errorf("ledger %+v", pkg.Ledger)
		}
		// The invoice by e-mail, the message to her, the campaign's.
		if len(pkg.Messages) != 3 || pkg.Messages[0].Kind != "invoice" || pkg.Messages[1].Subject != "Zoraida, su pedido" ||
			pkg.Messages[2].CampaignID == "" || pkg.Messages[2].Recipient != "zoraida.quesada@zqmail.es" {
			t.Errorf("messages %+v", pkg.Messages)
		}
		if len(pkg.Unsubscribes) != 1 || pkg.Unsubscribes[0].CampaignID != pkg.Messages[2].CampaignID {
			t.Errorf("unsubscribes %+v", pkg.Unsubscribes)
		}
		// Given at creation, withdrawn, given again, withdrawn through the link.
		var consent []string
		for _, ev := range pkg.Consent {
			consent = append(consent, ev.Via+"="+map[bool]string{true: "yes", false: "no"}[ev.Consent])
		}
		if strings.Join(consent, " ") != "create=yes update=no update=yes unsubscribe=no" {
			t.Errorf("consent history %v", consent)
		}
		if len(pkg.History) < 5 || pkg.History[0].Action != domain.ActionCustomerCreate {
			t.Errorf("history %+v", pkg.History)
		}
		js, err := json.Marshal(pkg)
		if err != nil {
			t.Fatal(err)
		}
		for _, key := range []string{`"version":1`, `"consent_history":[`, `"ledger_entries":[`, `"unsubscribes":[`, `"display_name":"Zoraida Quesada"`} {
			if !strings.Contains(string(js), key) {
				t.Errorf("JSON lacks %s: %s", key, js)
			}
		}
		// Audited, without the data.
		entries := auditOf(t, e, domain.ActionPrivacyExport)
		if len(entries) != 1 || entries[0].EntityID != f.zoraida.ID || entries[0].ActorName != "boss" {
			t.Fatalf("audit %+v", entries)
		}
		// The other customer's package holds nothing of hers.
		other, err := e.app.PrivacyExport(ctx, e.as("boss"), f.talleres.ID)
		if err != nil || len(other.Invoices) != 1 || other.Invoices[0].Type != "F1" || len(other.Messages) != 2 || len(other.Ledger) != 0 {
			t.Fatalf("other %v %+v", err, other)
		}
		if js, _ := json.Marshal(other); strings.Contains(string(js), "Zoraida") {
			t.Errorf("her name in another's package")
		}
	})
}

func TestEraseCustomer(t *testing.T) {
	eachBackend(t, app.Config{Mail: app.MailConfig{PublicURL: "https://tienda.example/"}}, func(t *testing.T, e *env) {
		ctx := context.Background()
		f := newPrivacyFixture(t, e)
		boss := e.as("boss")
		_, err := e.app.EraseCustomer(ctx, e.as("manu"), f.zoraida.ID)
		wantCode(t, "manager erases", err, domain.CodeForbidden)
		// Refused while she owes the 20 € of the sale on account.
		_, err = e.app.EraseCustomer(ctx, boss, f.zoraida.ID)
		if de := wantCode(t, "erase with a balance", err, domain.CodeBalanceNotZero); de.Details["balance_cents"] != int64(2000) {
			t.Errorf("details %v", de.Details)
		}
		if _, err := e.app.Customer(ctx, boss, f.zoraida.ID); err != nil {
			t.Fatalf("a refused erasure changed something: %v", err)
		}
		if _, err := e.app.PostAccountMovement(ctx, e.as("till"), f.zoraida.ID, domain.AccountMovement{Kind: domain.LedgerPayment,
			AmountCents: 2000, Method: domain.TenderCard}, "pay-zq-1"); err != nil {
			t.Fatal(err)
		}
		// No SMTP server: the messages are written to a folder as .eml files.
		folder := t.TempDir()
		fa := app.New(app.Config{Store: e.db, Clock: e.clock.Now, PasswordParams: &fast,
			Mail: app.MailConfig{Folder: folder, PublicURL: "https://tienda.example/"}})
		if n, err := fa.DeliverMail(ctx); err != nil || n != 5 {
			t.Fatalf("deliver: %d %v", n, err)
		}
		emlWith := func(s string) (n int) {
			files, _ := filepath.Glob(filepath.Join(folder, "*.eml"))
			for _, f := range files {
				if b, _ := os.ReadFile(f); bytes.Contains(b, []byte(s)) {
					n++
				}
			}
			return n
		}
		if n := emlWith("zqmail"); n != 3 {
			t.Fatalf("%d of her messages in the folder, want 3", n)
		}
		if found := testdb.Traces(t, e.db, zoraidaTraces); len(found) != len(zoraidaTraces) {
			t.Fatalf("before the erasure the scan finds only %v", found)
		}

		rep, err := fa.EraseCustomer(ctx, boss, f.zoraida.ID)
		if err != nil {
			t.Fatal(err)
		}
		if rep.FullInvoicesKept != 0 || rep.InvoicesChanged != 1 || rep.LedgerEntriesAnonymised != 2 || rep.MessagesErased != 3 || rep.AuditEntriesScrubbed != 2 || rep.UnsubscribesDeleted != 1 {
			t.Errorf("report %+v", rep)
		}
		_, err = e.app.EraseCustomer(ctx, boss, f.zoraida.ID)
		wantCode(t, "erased twice", err, domain.CodeNotFound)
		if n := emlWith("zqmail"); n != 0 || emlWith("yebenesmail") != 2 {
			t.Errorf("after the erasure %d of her messages are still in the mail folder (and %d of the company's)", n, emlWith("yebenesmail"))
		}

		if found := testdb.Traces(t, e.db, zoraidaTraces); len(found) != 0 {
			t.Errorf("after the erasure her values are still in %v", found)
		}
		// What stays: the invoice with its amounts, the ledger with its amounts, the audit's
		// record of the erasure with the id.
		inv, err := e.app.Invoice(ctx, boss, f.simplified.ID)
		if err != nil || inv.TotalCents != 4000 || inv.Customer == nil || inv.Customer.Name() != "" || inv.Customer.Email != "" {
			t.Errorf("invoice after erasure %v %+v", err, inv.Customer)
		}
		if _, _, err := e.app.InvoicePDF(ctx, boss, f.simplified.ID, "es"); err != nil {
			t.Errorf("the invoice no longer prints: %v", err)
		}
		entries := auditOf(t, e, domain.ActionCustomerErase)
		if len(entries) != 1 || entries[0].EntityID != f.zoraida.ID || entries[0].ActorName != "boss" {
			t.Fatalf("audit %+v", entries)
		}
		if r, err := e.app.VerifyChain(ctx, boss); err != nil || r.Break != nil {
			t.Errorf("the invoice chain after the erasure: %v %+v", err, r)
		}
		// Her link no longer finds anyone.
		if err := e.app.Unsubscribe(ctx, f.unsubToken); domain.ErrorCode(err) != domain.CodeNotFound {
			t.Errorf("unsubscribe after erasure: %v", err)
		}

		// The company: the full invoice keeps its name, tax id and address and still prints;
		// its e-mail address and phone are gone everywhere.
		if _, err := e.app.EraseCustomer(ctx, boss, f.talleres.ID); err != nil {
			t.Fatal(err)
		}
		inv, err = e.app.Invoice(ctx, boss, f.full.ID)
		if err != nil || inv.Customer.Name() != "Talleres Yébenes S.L." || inv.Customer.TaxID != "A13585625" ||
			inv.Customer.Address.Line1 != "Polígono Sur 8" || inv.Customer.Email != "" {
			t.Errorf("full invoice after erasure %v %+v", err, inv.Customer)
		}
		if pdf, _, err := e.app.InvoicePDF(ctx, boss, f.full.ID, "es"); err != nil || len(pdf) == 0 {
			t.Errorf("the full invoice no longer prints: %v", err)
		}
		if found := testdb.Traces(t, e.db, []string{"yebenesmail", "911223344", "34911223344"}); len(found) != 0 {
			t.Errorf("the company's e-mail or phone is still in %v", found)
		}
	})
}

func TestRetention(t *testing.T) {
	eachBackend(t, app.Config{}, func(t *testing.T, e *env) {
		ctx := context.Background()
		e.setUpShop(t)
		boss, till := e.as("boss"), e.as("till")
		c := e.customerWithLimit(t, "RET1", 10000)
		tk := e.ticketFor(t, till, c, 1500)
		inv, err := e.app.CloseTicket(ctx, till, tk.ID, tenders(domain.Tender{Method: domain.TenderAccount, AmountCents: 1500}), "")
		if err != nil {
			t.Fatal(err)
		}
		if y, err := e.app.RetentionYears(ctx, boss); err != nil || y != 6 {
			t.Fatalf("default years %d %v", y, err)
		}
		_, err = e.app.RunRetention(ctx, e.as("manu"), true)
		wantCode(t, "manager runs retention", err, domain.CodeForbidden)
		wantField(t, e.app.SetRetentionYears(ctx, boss, domain.IfAnyVersion(), 2), "retention_years", domain.FieldOutOfRange)
		wantCode(t, "stale years", e.app.SetRetentionYears(ctx, boss, domain.IfVersion(5), 4), domain.CodePreconditionFailed)
		if err := e.app.SetRetentionYears(ctx, boss, domain.IfVersion(6), 4); err != nil {
			t.Fatal(err)
		}
		// Within the period: nothing to do.
		rep, err := e.app.RunRetention(ctx, boss, false)
		if err != nil || rep.Invoices != 0 || rep.LedgerEntries != 0 || rep.Years != 4 {
			t.Fatalf("within the period %v %+v", err, rep)
		}
		// 2026's invoice is kept until the end of 2030; on 1 January 2031 it is past.
		e.clock.Advance(time.Date(2030, 12, 31, 12, 0, 0, 0, time.UTC).Sub(e.clock.Now()))
		if rep, err = e.app.RunRetention(ctx, boss, true); err != nil || rep.Invoices != 0 {
			t.Fatalf("last day %v %+v", err, rep)
		}
		e.clock.Advance(24 * time.Hour)
		rep, err = e.app.RunRetention(ctx, boss, true)
		if err != nil || !rep.DryRun || rep.Invoices != 1 || rep.LedgerEntries != 1 || rep.Before.Year() != 2027 {
			t.Fatalf("dry run %v %+v", err, rep)
		}
		if got, _ := e.app.Invoice(ctx, boss, inv.ID); got.Customer.LastName == "" {
			t.Fatal("the dry run changed the invoice")
		}
		// Two processes at the day's hour: one runs it.
		other := app.New(app.Config{Store: e.db, Clock: e.clock.Now, PasswordParams: &fast})
		ran1, rep1, err1 := e.app.DailyRetention(ctx, e.clock.Now())
		ran2, _, err2 := other.DailyRetention(ctx, e.clock.Now())
		if err1 != nil || err2 != nil || !ran1 || ran2 || rep1.Invoices != 1 || rep1.LedgerEntries != 1 {
			t.Fatalf("daily runs %v %v %v %v %+v", ran1, ran2, err1, err2, rep1)
		}
		got, err := e.app.Invoice(ctx, boss, inv.ID)
		if err != nil || got.Customer.Name() != "" || got.Customer.Reference != "" || got.TotalCents != 1500 {
			t.Errorf("after retention %v %+v", err, got.Customer)
		}
		page, err := e.app.Account(ctx, boss, c.ID, "", 0)
		if err != nil || len(page.Entries) != 1 || page.Entries[0].CustomerName != "" || page.Account.BalanceCents != 1500 {
			t.Errorf("ledger after retention %v %+v", err, page)
		}
		// The register's record is not the retention's: the customer is still there.
		if cust, err := e.app.Customer(ctx, boss, c.ID); err != nil || cust.FirstName != "Rosa" {
			t.Errorf("customer after retention %v %+v", err, cust)
		}
		if rep, err = e.app.RunRetention(ctx, boss, true); err != nil || rep.Invoices != 0 || rep.LedgerEntries != 0 || rep.LastRun == nil {
			t.Errorf("after the run %v %+v", err, rep)
		}
		entries := auditOf(t, e, domain.ActionRetentionRun)
		if len(entries) != 1 || entries[0].ActorName != "system" || entries[0].Details["invoices"] != float64(1) {
			t.Errorf("audit %+v", entries)
		}
	})
}

// TestEraseAfterMerge: the audit entry of a merge keeps the whole absorbed record (so an
// admin can see what was merged); erasing the survivor later removes those values too, and
// the absorbed record's e-mail and phone are found nowhere in the database.
func TestEraseAfterMerge(t *testing.T) {
	eachBackend(t, app.Config{}, func(t *testing.T, e *env) {
		ctx := context.Background()
		boss := e.as("boss")
		s, err := e.app.CreateCustomer(ctx, boss, domain.CustomerChanges{Kind: domain.Some(domain.KindPerson),
			FirstName: domain.Some("Remedios"), LastName: domain.Some("Quintanilla"), Email: domain.Some("remequinta@example.com")})
		if err != nil {
			t.Fatal(err)
		}
		a, err := e.app.CreateCustomer(ctx, boss, domain.CustomerChanges{Kind: domain.Some(domain.KindPerson),
			FirstName: domain.Some("Reme"), LastName: domain.Some("Quintanilla Oyarzábal"), Email: domain.Some("oyarzabalreme@example.com"),
			Phone: domain.Some("+34 655 443 322"), Notes: domain.Some("Prefiere que la llamen por la tarde")})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.app.MergeCustomers(ctx, boss, s.ID, app.MergeRequest{AbsorbedID: a.ID,
			Versions: map[string]int64{s.ID: s.Version, a.ID: a.Version}}); err != nil {
			t.Fatal(err)
		}
		absorbed := []string{"oyarzabalreme", "Oyarzábal", "655443322", "llamen por la tarde"}
		if found := testdb.Traces(t, e.db, absorbed); len(found) == 0 {
			t.Fatal("the merge kept nothing of the absorbed record: the test would prove nothing")
		}
		if _, err := e.app.EraseCustomer(ctx, boss, s.ID); err != nil {
			t.Fatal(err)
		}
		if found := testdb.Traces(t, e.db, append(absorbed, "remequinta", "Remedios")); len(found) != 0 {
			t.Errorf("after erasing the survivor, the merged person's values are still in %v", found)
		}
	})
}
