package sqlstore_test

import (
	"context"
	"strings"
	"testing"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/store/sqlstore"
)

// TestReportQueriesUseIndexes: the debtors and creditors are read along the partial index
// of the accounts whose balance is not zero, never by walking every account; each debtor's
// entries along ledger_entries_customer, never by walking the ledger. On PostgreSQL
// sequential scans are switched off for the check, since on a tiny table the planner rightly
// prefers one.
func TestReportQueriesUseIndexes(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		searches := func(plan, alias, index string) bool {
			if db.Backend() == "postgres" {
				return strings.Contains(plan, index)
			}
			return strings.Contains(plan, "SEARCH "+alias+" USING INDEX "+index+" (") ||
				strings.Contains(plan, "SEARCH "+alias+" USING COVERING INDEX "+index+" (")
		}
		for _, f := range []app.HolderFilter{
			{Side: app.BalanceDebtors, Limit: 500},
			{Side: app.BalanceDebtors, AfterBalance: 1000, AfterID: "01900000-0000-7000-8000-000000000000", Limit: 500},
			{Side: app.BalanceCreditors, AfterBalance: -1000, AfterID: "01900000-0000-7000-8000-000000000000", Limit: 50},
		} {
			q, args, err := db.HoldersSQL(f)
			if err != nil {
				t.Fatal(err)
			}
			if plan := explain(t, ctx, db, q, args); !searches(plan, "a", "customer_accounts_debtors") {
				t.Errorf("%+v does not search customer_accounts_debtors:\n%s", f, plan)
			}
		}
		ids := []any{"01900000-0000-7000-8000-000000000001", "01900000-0000-7000-8000-000000000002", "01900000-0000-7000-8000-000000000003"}
		if plan := explain(t, ctx, db, db.DebtEntriesSQL(len(ids)), ids); !searches(plan, "e", "ledger_entries_customer") {
			t.Errorf("debt entries do not search ledger_entries_customer:\n%s", plan)
		}
		if _, _, err := db.HoldersSQL(app.HolderFilter{Side: app.BalanceAny}); err == nil {
			t.Error("no side accepted")
		}
	})
}
