// Package document renders an issued invoice as the documents a shop hands out: a plain-text
// receipt for 80 mm till printers (Receipt), an A4 PDF invoice (InvoicePDF), and the tax
// agency's QR code URL that both carry (QRCodeURL).
//
// The package does no I/O and knows nothing of storage or use cases: callers fill an Invoice
// (a read-only view of an issued invoice and its snapshots) and get text or bytes back. Money
// is int64 cents, rates int64 basis points (2100 = 21 %), quantities int64 thousandths
// (350 = 0.350), as everywhere in Clientela; nothing here goes through a float.
package document

import "time"

// Invoice types as the VERI*FACTU specification names them.
const (
	TypeFull                 = "F1" // full invoice (RD 1619/2012 art. 6)
	TypeSimplified           = "F2" // simplified invoice, the till's ticket (art. 7)
	TypeRectifying           = "R1" // rectifying invoice of a full invoice
	TypeRectifyingSimplified = "R5" // rectifying invoice of a simplified invoice
)

// Payment methods.
const (
	MethodCash    = "cash"
	MethodCard    = "card"
	MethodAccount = "account"
	MethodCredit  = "credit"
)

// Customer kinds.
const (
	KindPerson  = "person"
	KindCompany = "company"
)

// Address is a postal address, as a customer's or the shop's. Country is an ISO 3166-1
// alpha-2 code.
type Address struct {
	Line1      string
	Line2      string
	PostalCode string
	City       string
	Region     string
	Country    string
}

// Shop is the issuer as the invoice recorded it.
type Shop struct {
	Name    string
	TaxID   string
	Address Address
}

// Party is the invoice's snapshot of the customer; it outlives the customer record.
type Party struct {
	Kind        string // KindPerson or KindCompany
	Title       string // "mr", "mrs", "ms" or empty
	FirstName   string
	LastName    string
	CompanyName string
	LegalForm   string
	TaxID       string
	Address     Address
	Email       string
	Reference   string // loyalty card number
}

// Group is the invoice's snapshot of the customer's group.
type Group struct {
	Name                string
	DiscountBasisPoints int64
}

// Line is one invoice line. UnitPriceCents includes VAT; TotalCents is the line's amount
// after DiscountCents, VAT included.
type Line struct {
	Label              string
	Quantity           int64 // thousandths: 1000 = 1, 350 = 0.350
	UnitPriceCents     int64
	VATRateBasisPoints int64
	DiscountCents      int64
	TotalCents         int64
}

// VAT is the breakdown for one rate: BaseCents + VATCents is the total of the lines at that
// rate.
type VAT struct {
	RateBasisPoints int64
	BaseCents       int64
	VATCents        int64
}

// Payment is one tender.
type Payment struct {
	Method      string // MethodCash, MethodCard, MethodAccount or MethodCredit
	AmountCents int64
}

// Invoice is the view of an issued invoice that the documents print.
type Invoice struct {
	Number        string // series and number, e.g. "T2026-000123"
	Type          string // TypeFull, TypeSimplified, TypeRectifying…
	IssuedAt      time.Time
	Shop          Shop
	Customer      *Party // nil when no customer was attached
	Group         *Group // nil when the customer had no group
	Lines         []Line
	DiscountCents int64 // sum of the lines' discounts (the customer's saving)
	TotalCents    int64
	VAT           []VAT
	Payments      []Payment
	ChangeCents   int64
	Rectifies     string // number of the rectified invoice, for R1–R5
	Fingerprint   string // the record's SHA-256 fingerprint, 64 hex characters
	QRURL         string // see QRCodeURL
}

// IsRectifying reports whether the invoice corrects another one (types R1 to R5).
func (inv *Invoice) IsRectifying() bool {
	return len(inv.Type) == 2 && inv.Type[0] == 'R'
}
