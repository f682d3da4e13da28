package seed

import (
	"fmt"
	"testing"

	"github.com/clientela/clientela/internal/domain"
)

func TestPeek(t *testing.T) {
	g := NewGenerator(1)
	ids := []string{"g1", "g2", "g3", "g4", "g5", "g6", "g7", "g8"}[:len(g.Groups())]
	var c domain.Customer
	for i := 0; i < 40; i++ {
		g.Customer(i, ids, &c)
		fmt.Printf("%s|%s|%s|%s|%s|%s|tax=%s|%s|%s|%+v|ref=%s|acc=%s|grp=%s|inv=%v mk=%v cl=%d %q\n", c.Kind, c.Title, c.FirstName, c.LastName, c.CompanyName, c.LegalForm, c.TaxID, c.Email, c.Phone, c.Address, c.Reference, c.AccountNumber, c.GroupID, c.InvoiceByEmail, c.MarketingConsent, c.CreditLimitCents, c.Notes)
	}
	for _, gr := range g.Groups() {
		fmt.Printf("%+v\n", gr)
	}
}
