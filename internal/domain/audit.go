package domain

import "time"

// AuditEntry records who did what to which record, and which fields changed. It never holds
// field values, so a deleted customer's personal data does not live on here.
type AuditEntry struct {
	ID         int64
	At         time.Time
	ActorID    string
	ActorName  string
	Action     string // "customer.create", "group.delete", …
	EntityType string // "customer", "group"
	EntityID   string
	Fields     []string
	Details    map[string]any // counts and ids only
}

// Audit actions.
const (
	ActionCustomerCreate   = "customer.create"
	ActionCustomerUpdate   = "customer.update"
	ActionCustomerDelete   = "customer.delete"
	ActionGroupCreate      = "group.create"
	ActionGroupUpdate      = "group.update"
	ActionGroupDelete      = "group.delete"
	ActionGroupMoveMembers = "group.move_members"
	ActionSettingsUpdate   = "settings.update"
	// Backups (issue 12): a copy taken (by a user, the CLI or the schedule), one downloaded.
	ActionBackupCreate   = "backup.create"
	ActionBackupDownload = "backup.download"
)

// Audit actions of imports and exports (issue 11).
const (
	ActionImportCustomers     = "import.customers"      // one entry per committed batch
	ActionImportCustomersDone = "import.customers.done" // the job's report, at its end
	ActionExportCustomers     = "export.customers"      // CSV, .xlsx or vCard of the register
)

// Field error codes of imports: a row that matches an existing customer under the policy
// "refuse", or several; a group named in the file that does not exist.
const (
	FieldExists    = "exists"
	FieldAmbiguous = "ambiguous"
	FieldDuplicate = "duplicate_in_file"
)
