package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/seed"
	"github.com/clientela/clientela/internal/testdb"
)

// BenchmarkBulkInsert measures loading prepared customers, 10,000 a transaction.
func BenchmarkBulkInsert(b *testing.B) {
	for _, be := range testdb.Backends(b) {
		b.Run(be.Name, func(b *testing.B) {
			db := testdb.Open(b, be)
			gen := seed.NewGenerator(1)
			now := time.Now().UTC()
			batch := make([]domain.Customer, 10000)
			b.ResetTimer()
			if err := db.StartBulkLoad(context.Background()); err != nil {
				b.Fatal(err)
			}
			for i := 0; i < b.N; i += len(batch) {
				n := min(len(batch), b.N-i)
				for j := 0; j < n; j++ {
					c := &batch[j]
					gen.Customer(i+j, nil, c)
					c.ID, c.CreatedAt, c.UpdatedAt, c.Version = uuid.Must(uuid.NewV7()).String(), now, now, 1
				}
				if err := db.BulkInsertCustomers(context.Background(), batch[:n]); err != nil {
					b.Fatal(err)
				}
			}
			if err := db.FinishBulkLoad(context.Background()); err != nil {
				b.Fatal(err)
			}
		})
	}
}
