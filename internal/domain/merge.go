package domain

import (
	"strconv"
	"time"
)

// Merging two customers (issue 11, item 4): a survivor S absorbs a duplicate A. For each
// field the user chooses whose value stays; marketing consent is not chosen: the most recent
// choice of the two wins (MergeConsent).

// MergeSide names the record a merged field's value comes from.
type MergeSide string

// Sides of a merge.
const (
	MergeSurvivor MergeSide = "survivor"
	MergeAbsorbed MergeSide = "absorbed"
)

// MergeFields are the fields a merge chooses, by API name, in the order forms show them.
// "address" is the whole postal address (lines, postal code, city, region, country): an
// address is kept or replaced as one, never stitched from two.
var MergeFields = []string{
	"kind", "title", "first_name", "last_name", "company_name", "legal_form",
	"tax_id", "email", "phone", "address", "reference", "account_number", "group_id",
	"notes", "invoice_by_email", "credit_limit_cents",
}

// Audit actions of a merge: on the survivor (with the absorbed record whole and what moved),
// and on the absorbed id (naming the survivor), so either id leads to the merge.
const (
	ActionCustomerMerge    = "customer.merge"
	ActionCustomerMergedTo = "customer.merged_into"
)

// Field error codes of a merge.
const (
	// FieldSameCustomer: a customer cannot absorb itself.
	FieldSameCustomer = "same_customer"
	// FieldNoSuchCustomer: absorb_id names no customer.
	FieldNoSuchCustomer = "no_such_customer"
	// FieldStaleVersion: the record changed since the user saw it (Params "current").
	FieldStaleVersion = "stale_version"
)

// ReasonStaleVersion is the reason (Details["reason"]) of a merge refused with
// CodeConflict because a record changed since the preview; Details["customer_id"] names it.
const ReasonStaleVersion = "stale_version"

// MergeValue is a field's value as a merge page shows it (text; the group as its id).
func MergeValue(c *Customer, field string) string {
	switch field {
	case "kind":
		return string(c.Kind)
	case "title":
		return string(c.Title)
	case "first_name":
		return c.FirstName
	case "last_name":
		return c.LastName
	case "company_name":
		return c.CompanyName
	case "legal_form":
		return c.LegalForm
	case "tax_id":
		return c.TaxID
	case "email":
		return c.Email
	case "phone":
		return c.Phone
	case "address":
		a := c.Address
		return joinNonEmpty(", ", a.Line1, a.Line2, joinNonEmpty(" ", a.PostalCode, a.City), a.Region, a.Country)
	case "reference":
		return c.Reference
	case "account_number":
		return c.AccountNumber
	case "group_id":
		return c.GroupID
	case "notes":
		return c.Notes
	case "invoice_by_email":
		return strconv.FormatBool(c.InvoiceByEmail)
	case "credit_limit_cents":
		return strconv.FormatInt(c.CreditLimitCents, 10)
	}
	return ""
}

func joinNonEmpty(sep string, parts ...string) string {
	out := ""
	for _, p := range parts {
		if p == "" {
			continue
		}
		if out != "" {
			out += sep
		}
		out += p
	}
	return out
}

// DefaultMergeSide is the side a field takes when the user does not choose: the survivor's
// value, unless it is blank and the absorbed record's is not (a merge fills blanks). The
// kind, the invoices-by-e-mail flag and the credit limit are never blank.
func DefaultMergeSide(s, a *Customer, field string) MergeSide {
	switch field {
	case "kind", "invoice_by_email", "credit_limit_cents":
		return MergeSurvivor // never blank: the survivor's stands
	}
	if MergeValue(s, field) == "" && MergeValue(a, field) != "" {
		return MergeAbsorbed
	}
	return MergeSurvivor
}

// ConsentChoice is one record's last marketing-consent choice: what it was and when it was
// made (nil At: never chosen, the default of a new record).
type ConsentChoice struct {
	Consent bool
	At      *time.Time
}

// MergeConsent picks the consent the merged customer keeps: the most recent choice wins; a
// record that never chose loses to one that did; of two that never chose, the survivor's
// default stands. It returns the winning side.
func MergeConsent(s, a ConsentChoice) MergeSide {
	switch {
	case a.At == nil:
		return MergeSurvivor
	case s.At == nil, a.At.After(*s.At):
		return MergeAbsorbed
	}
	return MergeSurvivor
}

// MergedCustomer is S with each field in choose taken from the side chosen (S's when a field
// is not in choose) and the consent of consentSide. It keeps S's id, creation time and
// version; it does not validate: call Prepare afterwards. A kind chosen drops the other
// kind's fields, as an edit does (see CustomerChanges.Apply).
func MergedCustomer(s, a *Customer, choose map[string]MergeSide, consentSide MergeSide) Customer {
	m := *s
	from := func(field string) *Customer {
		if choose[field] == MergeAbsorbed {
			return a
		}
		return s
	}
	m.Kind = from("kind").Kind
	m.Title = from("title").Title
	m.FirstName = from("first_name").FirstName
	m.LastName = from("last_name").LastName
	m.CompanyName = from("company_name").CompanyName
	m.LegalForm = from("legal_form").LegalForm
	m.TaxID = from("tax_id").TaxID
	m.Email = from("email").Email
	m.Phone = from("phone").Phone
	m.Address = from("address").Address
	m.Reference = from("reference").Reference
	m.AccountNumber = from("account_number").AccountNumber
	m.GroupID = from("group_id").GroupID
	m.Notes = from("notes").Notes
	m.InvoiceByEmail = from("invoice_by_email").InvoiceByEmail
	m.CreditLimitCents = from("credit_limit_cents").CreditLimitCents
	switch m.Kind {
	case KindPerson:
		m.CompanyName, m.LegalForm = "", ""
	case KindCompany:
		m.Title, m.FirstName, m.LastName = TitleNone, "", ""
	}
	c := s
	if consentSide == MergeAbsorbed {
		c = a
	}
	m.MarketingConsent = c.MarketingConsent
	m.MarketingConsentAt = nil
	if c.MarketingConsentAt != nil {
		at := *c.MarketingConsentAt
		m.MarketingConsentAt = &at
	}
	return m
}
