package i18n

// englishDuplicates holds the texts of the duplicates page, in English (issue 11).
func englishDuplicates() map[string]string {
	return map[string]string{
		"customers.duplicates":      "Duplicates",
		"duplicates.title":          "Possible duplicates",
		"duplicates.intro":          "Pairs of customers who may be the same person or company: the same tax id, e-mail or phone, or a similar name (ignoring accents, word order and abbreviations such as Mª or Fco.) in the same postal code. The most likely first. The record with more data (or the older one) is proposed to stay.",
		"duplicates.none":           "No possible duplicates.",
		"duplicates.reason_tax_id":  "Same tax id",
		"duplicates.reason_email":   "Same e-mail",
		"duplicates.reason_phone":   "Same phone",
		"duplicates.reason_name":    "Similar name in the same postal code",
		"duplicates.field":          "Field",
		"duplicates.keep":           "Stays",
		"duplicates.other":          "Merged into the other",
		"duplicates.name":           "Name",
		"duplicates.tax_id":         "Tax id",
		"duplicates.email":          "E-mail",
		"duplicates.phone":          "Phone",
		"duplicates.postal_code":    "Postal code",
		"duplicates.group":          "Group",
		"duplicates.created":        "Registered",
		"duplicates.merge":          "Merge",
		"duplicates.dismiss":        "Not a duplicate",
		"duplicates.next":           "Next",
		"duplicates.clusters_title": "Values many customers share",
		"duplicates.clusters_intro": "A value more than 8 customers have (a company's switchboard, the shop's own e-mail) is not enough to pair them: it is shown once. Its customers appear above only if they match in something else too.",
		"duplicates.reason":         "Reason",
		"duplicates.value":          "Value",
		"duplicates.count":          "Customers",
		"duplicates.sample":         "For example",
		"flash.duplicate_dismissed": "Pair dismissed: it will not show again unless they come to share something more.",
	}
}
