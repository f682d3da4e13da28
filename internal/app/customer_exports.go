package app

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/transfer"
)

// exportBatch is how many customers an export reads at a time: its memory, whatever the
// register's size.
const exportBatch = 1000

// maxExportIDs bounds a selection of customers named one by one.
const maxExportIDs = 1000

// CustomerExport asks for the register, a search (Q), a group, or a selection (IDs), in a
// format: transfer.FormatCSV, FormatXLSX or FormatVCard.
type CustomerExport struct {
	Format  string
	Q       string
	GroupID string
	IDs     []string
	TmpDir  string // where an .xlsx is built ("": the system's)
}

// CustomerExportName is the file name of an export.
func CustomerExportName(format string) string { return "clientes." + format }

// ExportCustomers writes customers (manager: exports.run) in the format asked, streaming a
// batch at a time within one read transaction (one snapshot): open is called once the query
// is checked, with the file name, and gives the writer. Every field is written, the group by
// name, so that the file imports back unchanged. At most MaxExports exports (of any kind) run
// at once. Audited with the format, the scope and the count (not the search text).
func (a *App) ExportCustomers(ctx context.Context, p domain.Principal, q CustomerExport, open func(name string) (io.Writer, error)) (int64, error) {
	var n int64
	if err := authorize(p, domain.PermExportsRun); err != nil {
		return n, err
	}
	if q.Format == "vcard" {
		q.Format = transfer.FormatVCard
	}
	var problems domain.Problems
	if !transfer.ValidFormat(q.Format) {
		problems.Add("format", domain.FieldInvalid, map[string]any{"allowed": "csv, xlsx, vcf"})
	}
	if q.GroupID != "" && !ValidID(q.GroupID) {
		problems.Add("group_id", domain.FieldInvalid, nil)
	}
	if len(q.IDs) > maxExportIDs {
		problems.Add("ids", domain.FieldOutOfRange, map[string]any{"max": maxExportIDs})
	}
	if err := problems.Err(); err != nil {
		return n, err
	}
	release, err := a.exportSlot(ctx)
	if err != nil {
		return n, err
	}
	defer release()
	err = a.store.Read(ctx, func(tx Tx) error {
		names, err := groupNames(ctx, tx)
		if err != nil {
			return err
		}
		w, err := open(CustomerExportName(q.Format))
		if err != nil {
			return err
		}
		out, err := transfer.NewWriter(w, q.Format, q.TmpDir)
		if err != nil {
			return err
		}
		emit := func(cs []domain.Customer) error {
			for i := range cs {
				if err := out.Write(&cs[i], names[cs[i].GroupID]); err != nil {
					return err
				}
				n++
			}
			return nil
		}
		if err := a.exportRows(ctx, tx, q, emit); err != nil {
			return err
		}
		return out.Close()
	})
	if err != nil {
		return n, err
	}
	err = a.store.Write(ctx, func(tx Tx) error {
		return a.audit(ctx, tx, p, domain.ActionExportCustomers, "export", "customers", nil, map[string]any{
			"format": q.Format, "search": strings.TrimSpace(q.Q) != "", "group_id": q.GroupID, "selection": len(q.IDs), "customers": n})
	})
	return n, err
}

// exportRows reads the customers an export asks for, a batch at a time.
func (a *App) exportRows(ctx context.Context, tx Tx, q CustomerExport, emit func([]domain.Customer) error) error {
	if len(q.IDs) > 0 {
		var cs []domain.Customer
		for _, id := range q.IDs {
			if !ValidID(id) {
				continue
			}
			c, err := tx.Customer(ctx, id)
			if domain.ErrorCode(err) == domain.CodeNotFound {
				continue
			}
			if err != nil {
				return err
			}
			cs = append(cs, c)
		}
		return emit(cs)
	}
	text := strings.TrimSpace(q.Q)
	var sq searchQuery
	if text != "" {
		sq = newSearchQuery(text, q.GroupID, BalanceAny)
	}
	var cur cursor
	for {
		var page CustomerPage
		var err error
		if text == "" {
			err = a.listPage(ctx, tx, ListFilter{GroupID: q.GroupID}, exportBatch, cur, &page)
		} else {
			err = a.searchPage(ctx, tx, sq, exportBatch, cur, &page)
		}
		if err != nil {
			return err
		}
		if err := emit(page.Customers); err != nil {
			return err
		}
		if page.NextCursor == "" {
			return nil
		}
		list := cursorCustomers
		if text != "" {
			list = cursorSearch
		}
		if cur, err = decodeCursor(page.NextCursor, list, sq.fingerprint); err != nil {
			return fmt.Errorf("export: %w", err)
		}
	}
}

// groupNames maps every group's id to its name.
func groupNames(ctx context.Context, tx Tx) (map[string]string, error) {
	names := map[string]string{}
	after := ""
	for {
		gs, err := tx.Groups(ctx, after, 500)
		if err != nil {
			return nil, err
		}
		for _, g := range gs {
			names[g.ID] = g.Name
		}
		if len(gs) < 500 {
			return names, nil
		}
		after = gs[len(gs)-1].NameKey()
	}
}
