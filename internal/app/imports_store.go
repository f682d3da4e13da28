package app

import (
	"context"

	"github.com/clientela/clientela/internal/domain"
)

// ImportKey is what an import matches existing customers by.
type ImportKey string

// Import keys.
const (
	KeyReference ImportKey = "reference"
	KeyTaxID     ImportKey = "tax_id"
	KeyEmail     ImportKey = "email"
	// KeyID is the id column of an export; CustomersByKeys only (rows with an id are matched
	// by it alone).
	KeyID ImportKey = "id"
)

// ImportReads are the reads an import makes a batch at a time (sqlstore/imports.go).
type ImportReads interface {
	// CustomersByKeys returns the customers whose key (domain.ReferenceKey, the normalised
	// tax id, or domain.EmailKey) is one of keys.
	CustomersByKeys(ctx context.Context, key ImportKey, keys []string) ([]domain.Customer, error)
	// GroupByNameKey returns the group with this name key (domain.Group.NameKey); CodeNotFound.
	GroupByNameKey(ctx context.Context, nameKey string) (domain.Group, error)
}

// BulkCreator is a Tx that creates many customers faster than one CreateCustomer each. docs,
// when not nil, holds each customer's search document made ahead by the store's
// CustomerDocumenter ("" for one it must make).
type BulkCreator interface {
	CreateCustomers(ctx context.Context, cs []domain.Customer, docs []string) error
}

// CustomerDocumenter is a Store that can make a customer's search document outside any
// transaction: an import makes them while the batch before is written.
type CustomerDocumenter interface {
	CustomerDocument(c *domain.Customer) string
}

// BulkLoader is a Store that can make a long series of creates faster (sqlstore.DB's bulk
// load: secondary indexes dropped and rebuilt at the end). keep names the indexes to keep.
type BulkLoader interface {
	StartBulkLoadKeeping(ctx context.Context, keep ...string) error
	FinishBulkLoad(ctx context.Context) error
}
