package document

import (
	"fmt"
	"testing"
)

func TestShowReceipt(t *testing.T) {
	fmt.Print(Receipt(sampleInvoice(), Spanish))
}
