package app

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/clientela/clientela/internal/accounting"
	"github.com/clientela/clientela/internal/auth"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/taxid"
	"github.com/clientela/clientela/internal/verifactu"
)

// DefaultMaxExports is how many accounting exports run at once by default: each holds a
// read transaction and keeps a core busy while it streams.
const DefaultMaxExports = 2

// journalBatch is how many invoices (or ledger entries) the export reads at a time: the
// memory an export takes is a batch of each, whatever the period.
const journalBatch = 1000

// Accounting export formats.
const (
	FormatCSV = "csv"
	FormatFEC = "fec"
)

// AccountingQuery asks for the journal of a period: From and To are days (YYYY-MM-DD) in
// the shop's time zone, both included.
type AccountingQuery struct {
	From, To string
	Format   string // FormatCSV or FormatFEC; not needed for the totals
}

// period reads the query's days into the instants [start, end) in Madrid.
func (q AccountingQuery) period(needFormat bool) (start, end time.Time, err error) {
	var p domain.Problems
	loc := verifactu.Madrid()
	day := func(field, s string) time.Time {
		if s == "" {
			p.Add(field, domain.FieldRequired, nil)
			return time.Time{}
		}
		t, err := time.ParseInLocation(time.DateOnly, s, loc)
		if err != nil {
			p.Add(field, domain.FieldInvalid, map[string]any{"format": "YYYY-MM-DD"})
		}
		return t
	}
	start, last := day("from", q.From), day("to", q.To)
	if !p.Has("from") && !p.Has("to") && last.Before(start) {
		p.Add("to", domain.FieldInvalid, map[string]any{"reason": "before_from"})
	}
	if needFormat && q.Format != FormatCSV && q.Format != FormatFEC {
		p.Add("format", domain.FieldInvalid, map[string]any{"allowed": "csv, fec"})
	}
	if err := p.Err(); err != nil {
		return start, end, err
	}
	return start, last.AddDate(0, 0, 1), nil
}

// ExportSummary is what an export (or the totals of a period) counted.
type ExportSummary struct {
	Invoices      int64 // invoices read
	LedgerEntries int64 // payments, deposits and adjustments read
	Entries       int64 // journal entries written
	Lines         int64
	DebitCents    int64
	CreditCents   int64
	Accounts      []accounting.AccountTotal // Σ per account (AccountingTotals only)
}

// AccountingExportName is the file name of an export: "diario-<from>-<to>.csv", or for the
// FEC "<SIREN or tax id>FEC<closing day AAAAMMJJ>.txt".
func AccountingExportName(shopTaxID string, q AccountingQuery) string {
	if q.Format == FormatFEC {
		id := taxid.Clean(shopTaxID)
		if id == "" {
			id = "000000000"
		}
		return id + "FEC" + strings.ReplaceAll(q.To, "-", "") + ".txt"
	}
	return "diario-" + q.From + "-" + q.To + ".csv"
}

// ExportAccounting writes the journal of a period (manager, audited with the period, the
// format and the counts) in the format asked, streaming: open is called once the query is
// checked, with the file name, and gives the writer; progress, when not nil, hears after each
// batch how many invoices and ledger entries of the period are done. At most MaxExports run
// at once.
func (a *App) ExportAccounting(ctx context.Context, p domain.Principal, q AccountingQuery,
	open func(name string) (io.Writer, error), progress func(done, total int64)) (ExportSummary, error) {
	var sum ExportSummary
	if err := authorize(p, domain.PermExportsRun); err != nil {
		return sum, err
	}
	from, to, err := q.period(true)
	if err != nil {
		return sum, err
	}
	release, err := a.exportSlot(ctx)
	if err != nil {
		return sum, err
	}
	defer release()
	labels := accounting.SpanishLabels()
	err = a.store.Read(ctx, func(tx Tx) error {
		shop, err := tx.Shop(ctx)
		if err != nil {
			return err
		}
		plan, err := a.accountPlan(ctx, tx)
		if err != nil {
			return err
		}
		w, err := open(AccountingExportName(shop.TaxID, q))
		if err != nil {
			return err
		}
		var out accounting.Writer
		if q.Format == FormatFEC {
			out = accounting.NewFECWriter(w, labels.JournalNames)
		} else {
			out = accounting.NewCSVWriter(w)
		}
		totals := accounting.NewTotals()
		both := func(e *accounting.Entry) error {
			if err := totals.WriteEntry(e); err != nil {
				return err
			}
			return out.WriteEntry(e)
		}
		if err := journal(ctx, tx, plan, labels, from, to, both, &sum, progress); err != nil {
			return err
		}
		sum.Entries, sum.Lines, sum.DebitCents, sum.CreditCents = totals.Entries, totals.Lines, totals.DebitCents, totals.CreditCents
		if err := out.Flush(); err != nil {
			return fmt.Errorf("write the journal: %w", err)
		}
		return nil
	})
	if err != nil {
		return sum, err
	}
	err = a.store.Write(ctx, func(tx Tx) error {
		return a.audit(ctx, tx, p, domain.ActionExportAccounting, "export", "accounting", nil, map[string]any{
			"from": q.From, "to": q.To, "format": q.Format, "invoices": sum.Invoices, "ledger_entries": sum.LedgerEntries,
			"entries": sum.Entries})
	})
	return sum, err
}

// AccountingTotals counts a period's journal without writing it (manager): entries, and Σ
// debit and credit per account, for the page that offers the download.
func (a *App) AccountingTotals(ctx context.Context, p domain.Principal, q AccountingQuery) (ExportSummary, error) {
	var sum ExportSummary
	if err := authorize(p, domain.PermExportsRun); err != nil {
		return sum, err
	}
	from, to, err := q.period(false)
	if err != nil {
		return sum, err
	}
	release, err := a.exportSlot(ctx)
	if err != nil {
		return sum, err
	}
	defer release()
	err = a.store.Read(ctx, func(tx Tx) error {
		plan, err := a.accountPlan(ctx, tx)
		if err != nil {
			return err
		}
		totals := accounting.NewTotals()
		if err := journal(ctx, tx, plan, accounting.SpanishLabels(), from, to, totals.WriteEntry, &sum, nil); err != nil {
			return err
		}
		sum.Entries, sum.Lines, sum.DebitCents, sum.CreditCents = totals.Entries, totals.Lines, totals.DebitCents, totals.CreditCents
		sum.Accounts = totals.Accounts()
		return nil
	})
	return sum, err
}

// exportSlot takes one of the export slots, waiting at most auth.DefaultWait.
func (a *App) exportSlot(ctx context.Context) (func(), error) {
	release := func() { <-a.exports }
	select {
	case a.exports <- struct{}{}:
		return release, nil
	default:
	}
	timer := time.NewTimer(auth.DefaultWait)
	defer timer.Stop()
	select {
	case a.exports <- struct{}{}:
		return release, nil
	case <-timer.C:
		return nil, &domain.Error{Code: domain.CodeBusy, Details: map[string]any{"retry_after_seconds": int64(busyRetrySeconds), "reason": "exports"}}
	case <-ctx.Done():
		return nil, fmt.Errorf("wait for an export slot: %w", ctx.Err())
	}
}

// journal builds the period's entries in chronological order into emit: invoices and ledger
// entries are read a batch at a time from two ordered cursors and merged (an invoice before a
// ledger entry of the same instant).
func journal(ctx context.Context, tx Tx, plan domain.AccountPlan, labels accounting.Labels, from, to time.Time,
	emit func(*accounting.Entry) error, sum *ExportSummary, progress func(done, total int64)) error {
	var total int64
	if progress != nil {
		ni, nl, err := tx.JournalCounts(ctx, from, to)
		if err != nil {
			return err
		}
		total = ni + nl
		progress(0, total)
	}
	b := accounting.NewBuilder(plan, verifactu.Madrid(), labels)
	var mu sync.Mutex
	invs := pager[domain.Invoice]{mu: &mu, fetch: func(at time.Time, seq int64) ([]domain.Invoice, error) {
		return tx.JournalInvoices(ctx, JournalFilter{From: from, To: to, AfterAt: at, AfterSeq: seq, Limit: journalBatch})
	}, key: func(i *domain.Invoice) (time.Time, int64) { return i.IssuedAt, i.Seq }}
	les := pager[domain.LedgerEntry]{mu: &mu, fetch: func(at time.Time, seq int64) ([]domain.LedgerEntry, error) {
		return tx.JournalLedgerEntries(ctx, JournalFilter{From: from, To: to, AfterAt: at, AfterSeq: seq, Limit: journalBatch})
	}, key: func(e *domain.LedgerEntry) (time.Time, int64) { return e.CreatedAt, e.Seq }}
	defer les.wait()
	defer invs.wait()
	for {
		inv, err := invs.peek()
		if err != nil {
			return err
		}
		le, err := les.peek()
		if err != nil {
			return err
		}
		switch {
		case inv == nil && le == nil:
			if progress != nil {
				progress(sum.Invoices+sum.LedgerEntries, total)
			}
			return nil
		case le == nil || inv != nil && !inv.IssuedAt.After(le.CreatedAt):
			err = b.Invoice(inv, emit)
			invs.next()
			sum.Invoices++
		default:
			err = b.Ledger(le, emit)
			les.next()
			sum.LedgerEntries++
		}
		if err != nil {
			return fmt.Errorf("write the journal: %w", err)
		}
		if done := sum.Invoices + sum.LedgerEntries; progress != nil && done%journalBatch == 0 {
			progress(done, total)
		}
	}
}

// pager walks rows a batch at a time, by (time, seq). While the rows of one batch are
// turned into entries, the next batch is read in the background (the machine's other core
// does SQLite's part meanwhile); mu makes the pagers of one transaction take turns on it.
type pager[T any] struct {
	fetch   func(afterAt time.Time, afterSeq int64) ([]T, error)
	key     func(*T) (time.Time, int64)
	mu      *sync.Mutex
	buf     []T
	i       int
	done    bool
	pending chan pageResult[T] // the next batch, being read
}

type pageResult[T any] struct {
	rows []T
	err  error
}

// peek returns the current row, nil at the end.
func (p *pager[T]) peek() (*T, error) {
	if p.i < len(p.buf) {
		return &p.buf[p.i], nil
	}
	if p.done {
		return nil, nil
	}
	var r pageResult[T]
	if p.pending != nil {
		r = <-p.pending
		p.pending = nil
	} else {
		var at time.Time
		var seq int64
		if len(p.buf) > 0 {
			at, seq = p.key(&p.buf[len(p.buf)-1])
		}
		p.mu.Lock()
		r.rows, r.err = p.fetch(at, seq)
		p.mu.Unlock()
	}
	if r.err != nil {
		p.done = true
		return nil, r.err
	}
	p.buf, p.i = r.rows, 0
	if len(r.rows) < journalBatch {
		p.done = true
	} else {
		at, seq := p.key(&r.rows[len(r.rows)-1])
		p.pending = make(chan pageResult[T], 1)
		go func(ch chan<- pageResult[T]) {
			p.mu.Lock()
			defer p.mu.Unlock()
			rows, err := p.fetch(at, seq)
			ch <- pageResult[T]{rows, err}
		}(p.pending)
	}
	if len(r.rows) == 0 {
		return nil, nil
	}
	return &p.buf[0], nil
}

func (p *pager[T]) next() { p.i++ }

// wait lets a read in the background finish: the transaction must not end under it.
func (p *pager[T]) wait() {
	if p.pending != nil {
		<-p.pending
		p.pending = nil
	}
}
