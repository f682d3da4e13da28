package domain

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// PlanAccount is one account of the plan: its number and the label accounting shows.
type PlanAccount struct {
	Number string
	Label  string
}

// RateAccount is the account of one VAT rate (sales or output VAT).
type RateAccount struct {
	RateBasisPoints int64
	PlanAccount
}

// AccountPlan maps what the till and the customer accounts move to the accounts of the
// shop's accounting (Spanish PGC by default): it is what the accounting export writes.
// Every account of the plan has exactly Length digits. Customers with their own
// account_number use it instead of DefaultCustomer (see CustomerAccount).
type AccountPlan struct {
	Length          int
	DefaultCustomer PlanAccount   // 430… "Clientes varios"
	Sales           []RateAccount // 700… per VAT rate, highest rate first
	GeneralSales    PlanAccount   // a rate without its own sales account
	OutputVAT       []RateAccount // 477… per VAT rate (none for 0 %)
	GeneralVAT      PlanAccount   // VAT of a rate without its own account
	Cash            PlanAccount   // 570…
	Card            PlanAccount   // 572… card settlements
	Bank            PlanAccount   // 572… transfers
	CustomerCredit  PlanAccount   // 438… what customers left with us (deposits, credit)
	Adjustments     PlanAccount   // 659… manual corrections of customer accounts
	UpdatedAt       time.Time
	Version         int64 // 0: never saved (the defaults)
}

// Bounds of the account plan.
const (
	DefaultAccountLength = 8
	MinAccountLength     = 4
	MaxAccountLength     = 12
	MaxAccountLabelLen   = 100
)

// DefaultAccountPlan is the plan of a shop that has not set one, for the VAT rates it
// offers: 8-digit sub-accounts of the Spanish chart, a sales and an output VAT account per
// whole-percent rate ("700000" + the rate in two digits: 70000021 for 21 %), the general
// accounts for any other rate.
func DefaultAccountPlan(rates []int64) AccountPlan {
	p := AccountPlan{
		Length:          DefaultAccountLength,
		DefaultCustomer: PlanAccount{"43000000", "Clientes varios"},
		GeneralSales:    PlanAccount{"70000000", "Ventas de mercaderías"},
		GeneralVAT:      PlanAccount{"47700000", "H.P. IVA repercutido"},
		Cash:            PlanAccount{"57000000", "Caja"},
		Card:            PlanAccount{"57200000", "Bancos (tarjeta)"},
		Bank:            PlanAccount{"57200000", "Bancos"},
		CustomerCredit:  PlanAccount{"43800000", "Anticipos de clientes"},
		Adjustments:     PlanAccount{"65900000", "Ajustes de cuentas de clientes"},
	}
	p.AddDefaultRates(rates)
	return p
}

// AddDefaultRates gives each rate without a sales (or output VAT) account the default one,
// when the rate is a whole percent and the plan has 8 digits; other rates use the general
// accounts.
func (p *AccountPlan) AddDefaultRates(rates []int64) {
	for _, r := range rates {
		if r%100 != 0 || r < 0 || r >= 10000 || p.Length != DefaultAccountLength {
			continue
		}
		pct := fmt.Sprintf("%d %%", r/100)
		if _, ok := rateAccount(p.Sales, r); !ok {
			p.Sales = append(p.Sales, RateAccount{r, PlanAccount{fmt.Sprintf("700000%02d", r/100), "Ventas de mercaderías " + pct}})
		}
		if _, ok := rateAccount(p.OutputVAT, r); !ok && r != 0 {
			p.OutputVAT = append(p.OutputVAT, RateAccount{r, PlanAccount{fmt.Sprintf("477000%02d", r/100), "H.P. IVA repercutido " + pct}})
		}
	}
	sortRates(p.Sales)
	sortRates(p.OutputVAT)
}

func sortRates(rs []RateAccount) {
	slices.SortFunc(rs, func(a, b RateAccount) int { return int(b.RateBasisPoints - a.RateBasisPoints) })
}

func rateAccount(rs []RateAccount, rate int64) (PlanAccount, bool) {
	for _, r := range rs {
		if r.RateBasisPoints == rate {
			return r.PlanAccount, true
		}
	}
	return PlanAccount{}, false
}

// SalesAccount is the account the bases at a rate are credited to.
func (p *AccountPlan) SalesAccount(rate int64) PlanAccount {
	if a, ok := rateAccount(p.Sales, rate); ok {
		return a
	}
	return p.GeneralSales
}

// VATAccount is the account the output VAT at a rate is credited to.
func (p *AccountPlan) VATAccount(rate int64) PlanAccount {
	if a, ok := rateAccount(p.OutputVAT, rate); ok {
		return a
	}
	return p.GeneralVAT
}

// MethodAccount is the account money taken by a method goes to: cash, card, or the bank
// (transfers). ok is false for the methods that move no money (account, credit).
func (p *AccountPlan) MethodAccount(m TenderMethod) (PlanAccount, bool) {
	switch m {
	case TenderCash:
		return p.Cash, true
	case TenderCard:
		return p.Card, true
	case TenderTransfer:
		return p.Bank, true
	}
	return PlanAccount{}, false
}

// CustomerAccount is the account of a customer: their own account number (expanded to the
// plan's length) labelled with their name, or the default customer account with its label
// when they have none (or there is no customer).
func (p *AccountPlan) CustomerAccount(own, name string) PlanAccount {
	if own == "" {
		return p.DefaultCustomer
	}
	if name == "" {
		name = p.DefaultCustomer.Label
	}
	return PlanAccount{ExpandAccount(own, p.Length), name}
}

// ExpandAccount widens an account number shorter than length the way accounting software
// does: its first three digits, zeros, then the rest ("4301" → "43000001" at 8 digits). A
// number as long or longer is kept as it is.
func ExpandAccount(n string, length int) string {
	if len(n) >= length {
		return n
	}
	head := n[:min(3, len(n))]
	return head + strings.Repeat("0", length-len(n)) + n[len(head):]
}

// AccountPlanChanges are the fields an update sets.
type AccountPlanChanges struct {
	Length          Opt[int]
	DefaultCustomer Opt[PlanAccount]
	Sales           Opt[[]RateAccount]
	GeneralSales    Opt[PlanAccount]
	OutputVAT       Opt[[]RateAccount]
	GeneralVAT      Opt[PlanAccount]
	Cash            Opt[PlanAccount]
	Card            Opt[PlanAccount]
	Bank            Opt[PlanAccount]
	CustomerCredit  Opt[PlanAccount]
	Adjustments     Opt[PlanAccount]
}

// Apply sets the given fields on p; call Prepare afterwards.
func (ch AccountPlanChanges) Apply(p *AccountPlan) {
	ch.Length.apply(&p.Length)
	ch.DefaultCustomer.apply(&p.DefaultCustomer)
	if ch.Sales.Set {
		p.Sales = slices.Clone(ch.Sales.Value)
	}
	ch.GeneralSales.apply(&p.GeneralSales)
	if ch.OutputVAT.Set {
		p.OutputVAT = slices.Clone(ch.OutputVAT.Value)
	}
	ch.GeneralVAT.apply(&p.GeneralVAT)
	ch.Cash.apply(&p.Cash)
	ch.Card.apply(&p.Card)
	ch.Bank.apply(&p.Bank)
	ch.CustomerCredit.apply(&p.CustomerCredit)
	ch.Adjustments.apply(&p.Adjustments)
}

// FieldAccountLength: an account number that has not the plan's number of digits
// (Params "length").
const FieldAccountLength = "account_length"

// Prepare trims and checks the plan: the length within bounds, every account exactly that
// many digits with a label, the rates distinct and valid, sorted highest first.
func (p *AccountPlan) Prepare() error {
	var pr Problems
	if p.Length < MinAccountLength || p.Length > MaxAccountLength {
		pr.Add("account_number_length", FieldOutOfRange, map[string]any{"min": MinAccountLength, "max": MaxAccountLength})
	}
	check := func(field string, a *PlanAccount) {
		a.Number, a.Label = clean(a.Number), strings.Join(strings.Fields(a.Label), " ")
		switch {
		case a.Number == "":
			pr.Add(field+".number", FieldRequired, nil)
		case !isDigits(a.Number):
			pr.Add(field+".number", FieldNotDigits, nil)
		case len(a.Number) != p.Length && !pr.Has("account_number_length"):
			pr.Add(field+".number", FieldAccountLength, map[string]any{"length": p.Length})
		}
		if a.Label == "" {
			pr.Add(field+".label", FieldRequired, nil)
		} else {
			checkLine(&pr, field+".label", a.Label, MaxAccountLabelLen)
		}
	}
	check("default_customer", &p.DefaultCustomer)
	check("general_sales", &p.GeneralSales)
	check("general_output_vat", &p.GeneralVAT)
	check("cash", &p.Cash)
	check("card", &p.Card)
	check("bank", &p.Bank)
	check("customer_credit", &p.CustomerCredit)
	check("adjustments", &p.Adjustments)
	checkRates := func(field string, rs []RateAccount) {
		if len(rs) > MaxVATRates*2 {
			pr.Add(field, FieldOutOfRange, map[string]any{"min": 0, "max": MaxVATRates * 2})
			return
		}
		seen := map[int64]bool{}
		for i := range rs {
			f := fmt.Sprintf("%s[%d]", field, i)
			r := rs[i].RateBasisPoints
			if r < 0 || r > MaxVATRate {
				pr.Add(f+".rate_basis_points", FieldOutOfRange, map[string]any{"min": 0, "max": MaxVATRate})
			} else if seen[r] {
				pr.Add(f+".rate_basis_points", FieldInvalid, map[string]any{"reason": "duplicate"})
			}
			seen[r] = true
			check(f, &rs[i].PlanAccount)
		}
	}
	checkRates("sales", p.Sales)
	checkRates("output_vat", p.OutputVAT)
	if err := pr.Err(); err != nil {
		return err
	}
	sortRates(p.Sales)
	sortRates(p.OutputVAT)
	return nil
}

// AccountPlanChangedFields lists by API name the fields that differ.
func AccountPlanChangedFields(before, after *AccountPlan) []string {
	var out []string
	add := func(name string, differ bool) {
		if differ {
			out = append(out, name)
		}
	}
	add("account_number_length", before.Length != after.Length)
	add("default_customer", before.DefaultCustomer != after.DefaultCustomer)
	add("sales", !slices.Equal(before.Sales, after.Sales))
	add("general_sales", before.GeneralSales != after.GeneralSales)
	add("output_vat", !slices.Equal(before.OutputVAT, after.OutputVAT))
	add("general_output_vat", before.GeneralVAT != after.GeneralVAT)
	add("cash", before.Cash != after.Cash)
	add("card", before.Card != after.Card)
	add("bank", before.Bank != after.Bank)
	add("customer_credit", before.CustomerCredit != after.CustomerCredit)
	add("adjustments", before.Adjustments != after.Adjustments)
	return out
}
