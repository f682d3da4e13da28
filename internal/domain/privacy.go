package domain

// PermPrivacy lets a user answer privacy requests: hand a customer everything held about
// them, erase them, and run or set the retention of invoice snapshots (admins only; see
// Role.Can, under which an admin may do everything).
const PermPrivacy Permission = "privacy.manage"

// Audit actions of privacy requests (issue 11, docs/privacy.md). An erasure's entry keeps
// who, when and the customer's id, never what was erased.
const (
	ActionPrivacyExport  = "customer.privacy_export"
	ActionCustomerErase  = "customer.erase"
	ActionRetentionRun   = "retention.run"
	ActionRetentionSet   = "retention.settings"
	ErasedAuditDetailKey = "erased"
)
