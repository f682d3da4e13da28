package i18n

// englishAccounting holds the texts of the account plan and the accounting export, in English (issue 9).
func englishAccounting() map[string]string {
	return map[string]string{}
}
