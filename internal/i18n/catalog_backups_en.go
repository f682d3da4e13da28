package i18n

// englishBackups holds the texts of backups: the settings page and the banner of a failed
// copy, in English (issue 12).
func englishBackups() map[string]string {
	return map[string]string{
		"backups.title":         "Backups",
		"backups.intro":         "Every day at {at} a copy of the database is taken into {dir}, checked by opening it, and the newest {keep} are kept. Keep copies off this machine too: download them here.",
		"backups.postgres":      "The database is PostgreSQL: its backups are taken with pg_dump (see docs/backups.md). Clientela does not take them.",
		"backups.last_ok":       "Last backup succeeded: {when}.",
		"backups.last_failed":   "The last backup ({when}) FAILED:",
		"backups.now":           "Back up now",
		"backups.failed_now":    "The backup failed; the reason is shown above and in the server's log.",
		"backups.unavailable":   "This server does not take backups.",
		"backups.copies":        "Copies kept",
		"backups.none":          "No copies yet.",
		"backups.taken_at":      "Taken",
		"backups.size":          "Size",
		"backups.check":         "Check",
		"backups.check_ok":      "Passed",
		"backups.check_unknown": "Not checked",
		"backups.customers":     "Customers",
		"backups.invoices":      "Invoices",
		"backups.by":            "Taken by",
		"backups.by_schedule":   "Schedule",
		"backups.by_cli":        "Command line",
		"backups.download":      "Download",
		"backups.schedule":      "Schedule",
		"backups.at":            "Daily backup time",
		"backups.at_hint":       "The server's local time, HH:MM.",
		"backups.at_flag":       "The time given at start-up (--backup-at) is in force now.",
		"backups.keep":          "Copies kept",
		"backups.banner":        "The last backup ({when}) failed.",
		"backups.banner_link":   "See backups",

		"flash.backup_taken":          "Backup {file} taken and checked.",
		"flash.backup_settings_saved": "Backup schedule saved.",
	}
}
