package app

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"slices"
	"strings"
	"unicode/utf8"

	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/mail"
)

// ErasureReport says what an erasure removed or blanked (counts only).
type ErasureReport struct {
	CustomerID string `json:"customer_id"`
	// FullInvoicesKept: full invoices (F1, R1) that keep the name, tax id and address the
	// law requires, until the retention period ends; their e-mail and reference are gone.
	FullInvoicesKept int64 `json:"full_invoices_kept"`
	// InvoicesChanged: invoices whose snapshot was blanked, wholly (simplified) or in part.
	InvoicesChanged int64 `json:"invoices_changed"`
	// LedgerEntriesAnonymised: entries whose customer name was blanked.
	LedgerEntriesAnonymised int64 `json:"ledger_entries_anonymised"`
	MessagesErased          int64 `json:"messages_erased"`
	UnsubscribesDeleted     int64 `json:"unsubscribes_deleted"`
	CampaignsChanged        int64 `json:"campaigns_changed"`
	AuditEntriesScrubbed    int64 `json:"audit_entries_scrubbed"`
}

// EraseCustomer answers a request for erasure (GDPR art. 17; admin), in one transaction:
// refused while the customer's balance is not zero (CodeBalanceNotZero with balance_cents);
// otherwise the customer's record goes (with the search index's words, as a delete), their
// messages keep no address, subject nor body (and their .eml files leave the mail folder), their opt-outs go, messages written to them
// alone lose their subject, campaigns searched by their name lose the search text, earlier
// audit entries about them lose the values they held, and the idempotency keys of their
// account's movements go. Invoices keep only what the law requires (docs/privacy.md): a full
// invoice its recipient's name, tax id and address, a simplified one nothing; the ledger
// keeps the name only beside a full invoice that keeps it. The retention run blanks what is
// kept once the period ends. The audit records that an erasure happened, by whom, and the id.
func (a *App) EraseCustomer(ctx context.Context, p domain.Principal, id string) (ErasureReport, error) {
	rep := ErasureReport{CustomerID: id}
	if err := authorize(p, domain.PermPrivacy); err != nil {
		return rep, err
	}
	if !ValidID(id) {
		return rep, domain.Errorf(domain.CodeNotFound)
	}
	// The audit log is searched for the customer's values before the erasure's transaction,
	// which then looks again only at the entries found and those added since: a scan of a
	// long log does not hold the database's writer (the tills) meanwhile.
	var found AuditSearch
	err := a.store.Read(ctx, func(tx Tx) error {
		c, err := tx.Customer(ctx, id)
		if err != nil {
			return err
		}
		if found.AfterID, err = tx.LastAuditID(ctx); err != nil {
			return err
		}
		entries, err := tx.AuditEntriesAbout(ctx, AuditSearch{ID: id, Needles: personalNeedles(&c)})
		for _, e := range entries {
			found.IDs = append(found.IDs, e.ID)
		}
		return err
	})
	if err != nil {
		return rep, err
	}
	if len(found.IDs) > maxAuditIDs { // too many to name in one statement: scan again
		found = AuditSearch{}
	}
	var files []string // the messages' .eml files, when no SMTP server took them
	err = a.writeCustomers(ctx, func(tx Tx) error {
		rep = ErasureReport{CustomerID: id}
		c, err := tx.Customer(ctx, id)
		if err != nil {
			return err
		}
		// As a delete: the account is held, so no till books on it meanwhile.
		balance, err := tx.LockAccount(ctx, id, a.now())
		if err != nil {
			return err
		}
		if balance != 0 {
			return &domain.Error{Code: domain.CodeBalanceNotZero, Details: map[string]any{"balance_cents": balance}}
		}
		if rep.FullInvoicesKept, rep.InvoicesChanged, err = tx.EraseInvoiceSnapshots(ctx, id); err != nil {
			return err
		}
		if rep.FullInvoicesKept == 0 {
			if rep.LedgerEntriesAnonymised, err = tx.EraseLedgerNames(ctx, id); err != nil {
				return err
			}
		}
		if err := tx.DeleteCustomer(ctx, id); err != nil {
			return err
		}
		if err := tx.DeleteAccount(ctx, id); err != nil {
			return err
		}
		if rep.MessagesErased, err = tx.EraseCustomerMail(ctx, id, a.now()); err != nil {
			return err
		}
		if rep.UnsubscribesDeleted, err = tx.DeleteUnsubscribes(ctx, id); err != nil {
			return err
		}
		mails, err := tx.CustomerMail(ctx, id)
		if err != nil {
			return err
		}
		files = files[:0]
		for _, m := range mails {
			files = append(files, mail.FolderFile(m.MessageID))
		}
		needles := personalNeedles(&c)
		if rep.CampaignsChanged, err = tx.EraseCampaigns(ctx, id, needles); err != nil {
			return err
		}
		entries, err := tx.AuditEntriesAbout(ctx, AuditSearch{ID: id, Needles: needles, IDs: found.IDs, AfterID: found.AfterID})
		if err != nil {
			return err
		}
		for _, e := range entries {
			details, changed := scrubDetails(e.Details, e.EntityID == id, needles)
			if !changed {
				continue
			}
			if err := tx.SetAuditDetails(ctx, e.ID, details); err != nil {
				return err
			}
			rep.AuditEntriesScrubbed++
		}
		if _, err := tx.DeleteIdempotencyKeys(ctx, idempotencyAccount, id+"|"); err != nil {
			return err
		}
		return a.audit(ctx, tx, p, domain.ActionCustomerErase, "customer", id, nil, map[string]any{
			"full_invoices_kept": rep.FullInvoicesKept, "invoices_changed": rep.InvoicesChanged,
			"ledger_entries_anonymised": rep.LedgerEntriesAnonymised, "messages_erased": rep.MessagesErased,
			"audit_entries_scrubbed": rep.AuditEntriesScrubbed})
	})
	if err != nil {
		return ErasureReport{CustomerID: id}, err
	}
	if dir := a.mailCfg.Folder; dir != "" {
		for _, f := range files {
			if err := os.Remove(filepath.Join(dir, f)); err != nil && !errors.Is(err, fs.ErrNotExist) {
				a.log.ErrorContext(ctx, "erasure: a message file of the mail folder could not be removed", "customer_id", id, "file", f, "err", err)
			}
		}
	}
	a.log.InfoContext(ctx, "customer erased", "customer_id", id)
	return rep, nil
}

// maxAuditIDs bounds the audit entries an erasure names in one statement (the databases
// bound a statement's parameters).
const maxAuditIDs = 10000

// minNeedle is the shortest value looked for in other records' text: shorter ones ("Ana")
// would match too much that is not about the customer.
const minNeedle = 4

// personalNeedles are the customer's values, lower case, as other records' text may hold
// them: names, e-mail address, phone numbers (each stored and typed form), tax id, reference.
func personalNeedles(c *domain.Customer) []string {
	var out []string
	add := func(s string) {
		s = strings.ToLower(strings.TrimSpace(s))
		if utf8.RuneCountInString(s) >= minNeedle && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	add(c.DisplayName())
	add(c.FirstName + " " + c.LastName)
	add(c.FirstName)
	add(c.LastName)
	add(c.CompanyName)
	add(c.Email)
	add(c.TaxID)
	add(c.Reference)
	for _, ph := range strings.Split(c.Phone, ";") {
		if !strings.HasPrefix(ph, "+") {
			continue
		}
		add(ph)
		for _, f := range domain.PhoneForms(ph) {
			add(f)
		}
	}
	return out
}

// scrubDetails returns details without the customer's values. In an entry about the
// customer (about) every text that is not an id, a date or a short code goes; elsewhere only
// texts that hold one of needles. Numbers and booleans stay.
func scrubDetails(details map[string]any, about bool, needles []string) (map[string]any, bool) {
	changed := false
	var walk func(v any) (any, bool)
	walk = func(v any) (any, bool) {
		switch x := v.(type) {
		case string:
			if about && !harmlessText(x) || holdsNeedle(x, needles) {
				changed = true
				return nil, false
			}
			return x, true
		case map[string]any:
			out := map[string]any{}
			for k, e := range x {
				if w, keep := walk(e); keep {
					out[k] = w
				}
			}
			return out, true
		case []any:
			out := []any{}
			for _, e := range x {
				if w, keep := walk(e); keep {
					out = append(out, w)
				}
			}
			return out, true
		default:
			return v, true
		}
	}
	out, _ := walk(details)
	m, _ := out.(map[string]any)
	if changed {
		m[domain.ErasedAuditDetailKey] = true
	}
	return m, changed
}

// harmlessText reports whether s is an id, a date or a short lower-case code ("cash",
// "customer"): what audit details hold besides counts. Anything else in an entry about an
// erased customer is dropped.
func harmlessText(s string) bool {
	if ValidID(s) {
		return true
	}
	if len(s) == 10 && s[4] == '-' && s[7] == '-' {
		return true
	}
	if len(s) > 12 {
		return false
	}
	for _, r := range s {
		if (r < 'a' || r > 'z') && r != '_' {
			return false
		}
	}
	return true
}

func holdsNeedle(s string, needles []string) bool {
	l := strings.ToLower(s)
	for _, n := range needles {
		if strings.Contains(l, n) {
			return true
		}
	}
	return false
}
