package document

import (
	"fmt"
	"os"
	"testing"
)

func TestShowReceipt(t *testing.T) {
	fmt.Print(Receipt(sampleInvoice(), Spanish))
}

func TestShowPDF(t *testing.T) {
	b, err := InvoicePDF(sampleInvoice(), Spanish)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("/tmp/inv.pdf", b, 0o644); err != nil {
		t.Fatal(err)
	}
}
