package sqlstore_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/store/sqlstore"
	"github.com/clientela/clientela/internal/testdb"
)

// BenchmarkReadByReference measures a barcode lookup as the use case runs it: one Read with
// one statement, on a register of 1,000 customers (the statement's own cost hardly depends
// on the size; what Read adds around it is what this measures).
func BenchmarkReadByReference(b *testing.B) {
	for _, be := range testdb.Backends(b) {
		b.Run(be.Name, func(b *testing.B) {
			ctx := context.Background()
			db := testdb.Open(b, be)
			customers := make([]domain.Customer, 1000)
			for i := range customers {
				c := newCustomer(b, "Ana", fmt.Sprintf("García%d", i))
				c.Reference = fmt.Sprintf("20000%08d", i)
				if err := c.Prepare("ES"); err != nil {
					b.Fatal(err)
				}
				customers[i] = c
			}
			if err := db.BulkInsertCustomers(ctx, customers); err != nil {
				b.Fatal(err)
			}
			// The statement alone, prepared on the read pool, as Read ran it before it
			// began a transaction: the difference is what the transaction costs.
			b.Run("statement", func(b *testing.B) {
				q, _ := db.ByReferenceSQL("")
				st, err := db.ReadSQL().PrepareContext(ctx, q)
				if err != nil {
					b.Fatal(err)
				}
				defer st.Close()
				for i := 0; b.Loop(); i++ {
					_, args := db.ByReferenceSQL(customers[i%len(customers)].Reference)
					if _, err := sqlstore.ScanCustomer(st.QueryRowContext(ctx, args...)); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("readone", func(b *testing.B) {
				for i := 0; b.Loop(); i++ {
					ref := customers[i%len(customers)].Reference
					err := db.ReadOne(ctx, func(tx app.Tx) error {
						_, err := tx.CustomerByReference(ctx, ref)
						return err
					})
					if err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("read", func(b *testing.B) {
				for i := 0; b.Loop(); i++ {
					ref := customers[i%len(customers)].Reference
					err := db.Read(ctx, func(tx app.Tx) error {
						_, err := tx.CustomerByReference(ctx, ref)
						return err
					})
					if err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}
