package domain

import (
	"strings"
	"testing"
)

func TestExpandAccount(t *testing.T) {
	for _, tc := range []struct {
		in   string
		n    int
		want string
	}{
		{"4301", 8, "43000001"}, {"430", 8, "43000000"}, {"43", 8, "43000000"}, {"43000123", 8, "43000123"},
		{"4300012345", 8, "4300012345"}, {"43012", 10, "4300000012"},
	} {
		if got := ExpandAccount(tc.in, tc.n); got != tc.want {
			t.Errorf("ExpandAccount(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
		}
	}
}

func TestDefaultAccountPlan(t *testing.T) {
	p := DefaultAccountPlan(DefaultVATRates)
	if err := p.Prepare(); err != nil {
		t.Fatalf("the default plan does not hold: %v", err)
	}
	for rate, want := range map[int64]string{2100: "70000021", 1000: "70000010", 400: "70000004", 0: "70000000", 550: "70000000"} {
		if got := p.SalesAccount(rate).Number; got != want {
			t.Errorf("sales at %d: %s, want %s", rate, got, want)
		}
	}
	for rate, want := range map[int64]string{2100: "47700021", 1000: "47700010", 400: "47700004", 550: "47700000"} {
		if got := p.VATAccount(rate).Number; got != want {
			t.Errorf("VAT at %d: %s, want %s", rate, got, want)
		}
	}
	if a := p.CustomerAccount("", "Ana"); a != (PlanAccount{"43000000", "Clientes varios"}) {
		t.Errorf("default customer account %v", a)
	}
	if a := p.CustomerAccount("4301", "Talleres Ruiz"); a != (PlanAccount{"43000001", "Talleres Ruiz"}) {
		t.Errorf("own customer account %v", a)
	}
}

func TestAccountPlanPrepare(t *testing.T) {
	p := DefaultAccountPlan(DefaultVATRates)
	p.Cash.Number = "5700000"
	p.Card.Number = "57a00000"
	p.Bank.Label = "  "
	p.Sales = append(p.Sales, RateAccount{2100, PlanAccount{"70000099", "Otra"}})
	var got []string
	for _, f := range fieldsOf(p.Prepare()) {
		got = append(got, f.Field+":"+f.Code)
	}
	want := "cash.number:account_length card.number:digits_only bank.label:required sales[4].rate_basis_points:invalid"
	if strings.Join(got, " ") != want {
		t.Fatalf("problems %q, want %q", strings.Join(got, " "), want)
	}
	p = DefaultAccountPlan(DefaultVATRates)
	p.Length = 3
	if err := p.Prepare(); err == nil || fieldsOf(err)[0].Field != "account_number_length" {
		t.Fatalf("length 3: %v", err)
	}
}

func fieldsOf(err error) []FieldError {
	if e, ok := err.(*Error); ok {
		return e.Fields
	}
	return nil
}
