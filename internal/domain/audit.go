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
