package seed

import (
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/clientela/clientela/internal/country"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/taxid"
)

// groupIDs returns made-up ids for g's groups, in order.
func groupIDs(g *Generator) []string {
	ids := make([]string, len(g.Groups()))
	for k := range ids {
		ids[k] = fmt.Sprintf("group-%d", k)
	}
	return ids
}

func TestSameSeedSameCustomers(t *testing.T) {
	const n = 3000
	a, b, other := NewGenerator(42), NewGenerator(42), NewGenerator(43)
	if !reflect.DeepEqual(a.Groups(), b.Groups()) {
		t.Fatal("same seed, different groups")
	}
	ids := groupIDs(a)
	want := make([]domain.Customer, n)
	for i := range want {
		a.Customer(i, ids, &want[i])
	}
	// In reverse order, into a reused customer whose caller-owned fields must survive.
	created := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	var c domain.Customer
	for i := n - 1; i >= 0; i-- {
		c.ID, c.Seq, c.CreatedAt, c.UpdatedAt, c.Version = "id", 7, created, created, 3
		now := time.Now()
		c.MarketingConsentAt = &now
		b.Customer(i, ids, &c)
		if c.ID != "id" || c.Seq != 7 || !c.CreatedAt.Equal(created) || !c.UpdatedAt.Equal(created) || c.Version != 3 {
			t.Fatalf("customer %d: caller's fields changed: %+v", i, c)
		}
		if c.MarketingConsentAt != nil {
			t.Fatalf("customer %d: MarketingConsentAt not reset", i)
		}
		c.ID, c.Seq, c.CreatedAt, c.UpdatedAt, c.Version = "", 0, time.Time{}, time.Time{}, 0
		if !reflect.DeepEqual(c, want[i]) {
			t.Fatalf("customer %d differs:\n%+v\n%+v", i, c, want[i])
		}
	}
	same := 0
	for i := range want {
		other.Customer(i, ids, &c)
		if reflect.DeepEqual(c, want[i]) {
			same++
		}
	}
	if same > n/100 {
		t.Errorf("seeds 42 and 43 share %d of %d customers", same, n)
	}
}

func TestPrepareAcceptsUnchanged(t *testing.T) {
	const n = 5000
	var kinds = map[taxid.Kind]int{}
	for _, seed := range []uint64{1, 2} {
		g := NewGenerator(seed)
		for _, gr := range g.Groups() {
			before := gr
			if err := gr.Prepare(); err != nil || !reflect.DeepEqual(before, gr) {
				t.Errorf("group %+v: Prepare: %v, after %+v", before, err, gr)
			}
		}
		ids := groupIDs(g)
		var c domain.Customer
		for i := 0; i < n/2; i++ {
			g.Customer(i, ids, &c)
			before := c
			if err := c.Prepare("ES"); err != nil {
				t.Fatalf("seed %d customer %d: %v\n%+v", seed, i, err, before)
			}
			if !reflect.DeepEqual(before, c) {
				t.Fatalf("seed %d customer %d changed by Prepare (%v):\n%+v\n%+v", seed, i,
					domain.ChangedFields(&before, &c), before, c)
			}
			if c.TaxID != "" && (c.Address.Country == "" || c.Address.Country == "ES") {
				k, err := taxid.ValidateSpanish(c.TaxID)
				if err != nil {
					t.Fatalf("tax id %q: %v", c.TaxID, err)
				}
				kinds[k]++
			}
		}
	}
	if kinds[taxid.DNI] == 0 || kinds[taxid.NIE] == 0 || kinds[taxid.CIF] == 0 {
		t.Errorf("tax id kinds seen: %v", kinds)
	}
}

func TestPhonesValid(t *testing.T) {
	g := NewGenerator(7)
	var c domain.Customer
	prefixes := map[string]int{}
	for i := 0; i < 30000; i++ {
		g.Customer(i, nil, &c)
		if c.Phone == "" {
			continue
		}
		for _, region := range []string{"ES", ""} {
			if e164, ok := domain.NormalizePhone(c.Phone, region); !ok || e164 != c.Phone {
				t.Fatalf("customer %d: phone %q refused or changed (%q) with region %q", i, c.Phone, e164, region)
			}
		}
		prefixes[c.Phone[:5]]++
	}
	for _, p := range []string{"+3491", "+3493", "+3496", "+3495", "+3461", "+3471", "+3314", "+3361", "+3377", "+4474", "+4479"} {
		if prefixes[p] == 0 {
			t.Errorf("no phone starts with %s", p)
		}
	}
}

func TestIDs(t *testing.T) {
	// A known French VAT number: SIREN 303265045, key 40.
	if luhnCheck(30326504) != 5 {
		t.Errorf("luhnCheck(30326504) = %d, want 5", luhnCheck(30326504))
	}
	if got := (12 + 3*(303265045%97)) % 97; got != 40 {
		t.Errorf("French VAT key = %d, want 40", got)
	}
	// A known EAN-13: 4006381333931.
	if got := eanCheck([]byte("400638133393")); got != '1' {
		t.Errorf("eanCheck = %c, want 1", got)
	}
	g := NewGenerator(3)
	var c domain.Customer
	seen := map[string]bool{}
	for i := 0; i < 20000; i++ {
		g.Customer(i, nil, &c)
		switch id := c.TaxID; {
		case id == "":
		case strings.HasPrefix(id, "FR"):
			if c.Address.Country != "FR" || len(id) != 13 {
				t.Fatalf("French VAT %q in %q", id, c.Address.Country)
			}
			var siren uint64
			fmt.Sscan(id[4:], &siren)
			if luhnCheck(siren/10) != siren%10 || fmt.Sprintf("%02d", (12+3*(siren%97))%97) != id[2:4] {
				t.Fatalf("bad French VAT %q", id)
			}
			seen["FR"] = true
		case strings.HasPrefix(id, "GB"):
			if c.Address.Country != "GB" || len(id) != 11 {
				t.Fatalf("British VAT %q in %q", id, c.Address.Country)
			}
			sum := 0
			for k := 0; k < 7; k++ {
				sum += (8 - k) * int(id[2+k]-'0')
			}
			sum += 10*int(id[9]-'0') + int(id[10]-'0')
			if sum%97 != 0 {
				t.Fatalf("bad British VAT %q", id)
			}
			seen["GB"] = true
		default:
			if c.Address.Country != "" && c.Address.Country != "ES" {
				t.Fatalf("Spanish id %q in %q", id, c.Address.Country)
			}
			if _, err := taxid.ValidateSpanish(id); err != nil {
				t.Fatalf("tax id %q: %v", id, err)
			}
			if c.Kind == domain.KindCompany {
				if id[0] >= '0' && id[0] <= '9' || strings.IndexByte("XYZ", id[0]) >= 0 {
					t.Fatalf("company %q has a person's id %q", c.CompanyName, id)
				}
				if c.Address.PostalCode != "" && id[1:3] != c.Address.PostalCode[:2] {
					t.Fatalf("CIF %q not of the province of %q", id, c.Address.PostalCode)
				}
				seen[string(id[0])] = true
				if id[8] >= 'A' {
					seen["CIF letter"] = true
				}
			}
		}
		if c.AccountNumber != "" && (len(c.AccountNumber) != 8 || !strings.HasPrefix(c.AccountNumber, "430")) {
			t.Fatalf("account number %q", c.AccountNumber)
		}
	}
	for _, k := range []string{"FR", "GB", "A", "B", "E", "F", "P", "G", "CIF letter"} {
		if !seen[k] {
			t.Errorf("no tax id of kind %s", k)
		}
	}
}

func TestReferencesUnique(t *testing.T) {
	const n = 200_000
	g := NewGenerator(1)
	seen := make(map[string]int, n)
	var c domain.Customer
	for i := 0; i < n; i++ {
		g.Customer(i, nil, &c)
		if c.Reference == "" {
			continue
		}
		checkEAN13(t, c.Reference)
		if j, dup := seen[c.Reference]; dup {
			t.Fatalf("customers %d and %d share reference %s", j, i, c.Reference)
		}
		seen[c.Reference] = i
	}
	if r := float64(len(seen)) / n; math.Abs(r-0.70) > 0.01 {
		t.Errorf("%.3f of customers have a reference, want 0.70", r)
	}
	// Far-apart customers (a second seeding run continues at the count already there) and
	// other seeds never meet the references above.
	other := NewGenerator(99)
	for k := 0; k < 20000; k++ {
		i := n + k*4_999_999
		other.Customer(i, nil, &c)
		if c.Reference == "" {
			continue
		}
		checkEAN13(t, c.Reference)
		if j, dup := seen[c.Reference]; dup {
			t.Fatalf("customers %d and %d share reference %s", j, i, c.Reference)
		}
		seen[c.Reference] = i
	}
}

func checkEAN13(t *testing.T, ref string) {
	t.Helper()
	if len(ref) != 13 || ref[0] != '2' || strings.Trim(ref, "0123456789") != "" || eanCheck([]byte(ref[:12])) != ref[12] {
		t.Fatalf("reference %q is not an in-store EAN-13", ref)
	}
}

func TestDistribution(t *testing.T) {
	const n = 100_000
	g := NewGenerator(5)
	ids := groupIDs(g)
	var c domain.Customer
	var persons, companies, address, phone, email, ref, grouped, invoice, marketing, notes, account int
	var dni, nie, cif, credit, countryES, countryEmpty, fr, gb, britishInSpain, titled int
	perGroup := map[string]int{}
	emails := make(map[string]bool, n)
	var emailDup int
	for i := 0; i < n; i++ {
		g.Customer(i, ids, &c)
		switch c.Kind {
		case domain.KindPerson:
			persons++
			if c.CompanyName != "" || c.LegalForm != "" || c.FirstName == "" || c.LastName == "" {
				t.Fatalf("odd person %+v", c)
			}
			if c.Title != "" {
				titled++
			}
			if len(c.TaxID) == 9 && c.TaxID[0] <= '9' {
				dni++
			}
			if len(c.TaxID) == 9 && strings.IndexByte("XYZ", c.TaxID[0]) >= 0 {
				nie++
			}
		case domain.KindCompany:
			companies++
			if c.CompanyName == "" || c.Title != "" {
				t.Fatalf("odd company %+v", c)
			}
			if c.TaxID != "" && c.Address.Country != "FR" && c.Address.Country != "GB" {
				cif++
			}
			if c.CreditLimitCents > 0 {
				credit++
				if c.CreditLimitCents < 50000 || c.CreditLimitCents > 500000 {
					t.Fatalf("company credit limit %d", c.CreditLimitCents)
				}
			}
		default:
			t.Fatalf("kind %q", c.Kind)
		}
		if c.Address.City != "" {
			address++
			if c.Address.Line1 == "" || c.Address.PostalCode == "" {
				t.Fatalf("incomplete address %+v", c.Address)
			}
		}
		switch c.Address.Country {
		case "ES":
			countryES++
		case "":
			if c.Address.City != "" {
				countryEmpty++
			}
		case "FR":
			fr++
		case "GB":
			gb++
		default:
			t.Fatalf("country %q", c.Address.Country)
		}
		if c.Address.Country != "" && !country.Valid(c.Address.Country) {
			t.Fatalf("invalid country %q", c.Address.Country)
		}
		if c.Kind == domain.KindPerson && c.Address.City != "" && (c.Address.Country == "ES" || c.Address.Country == "") && g.isBritish(c.LastName) {
			britishInSpain++
		}
		if c.Phone != "" {
			phone++
		}
		if c.Email != "" {
			email++
			if emails[c.Email] {
				emailDup++
			}
			emails[c.Email] = true
			if strings.Trim(c.Email, "abcdefghijklmnopqrstuvwxyz0123456789.@_") != "" {
				t.Fatalf("e-mail %q is not plain ASCII", c.Email)
			}
		}
		if c.Reference != "" {
			ref++
		}
		if c.GroupID != "" {
			grouped++
			perGroup[c.GroupID]++
		}
		if c.InvoiceByEmail {
			invoice++
			if c.Email == "" {
				t.Fatalf("invoice by e-mail without an e-mail: %+v", c)
			}
		}
		if c.MarketingConsent {
			marketing++
		}
		if c.Notes != "" {
			notes++
		}
		if c.AccountNumber != "" {
			account++
		}
	}
	ratio := func(name string, got, of int, want, tol float64) {
		t.Helper()
		r := float64(got) / float64(of)
		t.Logf("%-28s %.3f (want %.2f)", name, r, want)
		if math.Abs(r-want) > tol {
			t.Errorf("%s: %.3f, want %.2f ± %.2f", name, r, want, tol)
		}
	}
	ratio("persons", persons, n, 0.85, 0.01)
	ratio("with address", address, n, 0.90, 0.01)
	ratio("with phone", phone, n, 0.80, 0.01)
	ratio("with e-mail", email, n, 0.60, 0.015)
	ratio("with reference", ref, n, 0.70, 0.01)
	ratio("in a group", grouped, n, 0.30, 0.01)
	ratio("invoice by e-mail | e-mail", invoice, email, 0.80, 0.01)
	ratio("marketing consent", marketing, n, 0.40, 0.01)
	ratio("with notes", notes, n, 0.05, 0.005)
	ratio("with account number", account, n, 0.10, 0.015)
	ratio("persons with a DNI", dni, persons, 0.50, 0.02)
	ratio("persons with a NIE", nie, persons, 0.05, 0.01)
	ratio("persons with a title", titled, persons, 0.65, 0.02)
	ratio("companies with a CIF", cif, companies-companies/10, 0.90, 0.05) // ~10 % are French or British
	ratio("companies with credit", credit, companies, 0.60, 0.02)
	ratio("Spanish address: ES", countryES, countryES+countryEmpty, 0.70, 0.01)
	ratio("in France", fr, n, 0.10, 0.01)
	ratio("in Britain", gb, n, 0.042, 0.01)
	ratio("English persons in Spain", britishInSpain, persons, 0.045, 0.01)
	ratio("duplicate e-mails", emailDup, email, 0, 0.02)

	vip := perGroup[ids[0]]
	for _, id := range ids[1:] {
		if perGroup[id] == 0 {
			t.Errorf("group %s has no members", id)
		}
	}
	if vip == 0 || vip > perGroup[ids[4]]/3 {
		t.Errorf("VIP members %d, Amigos del barrio %d: VIP should be rarer", vip, perGroup[ids[4]])
	}
}

// isBritish reports whether last is one of the English surnames (test helper).
func (g *Generator) isBritish(last string) bool {
	for _, w := range g.origins[originGB].surnames.list {
		if w.text == last {
			return true
		}
	}
	return false
}

func TestGroups(t *testing.T) {
	counts := map[int]bool{}
	for seed := uint64(0); seed < 50; seed++ {
		gs := NewGenerator(seed).Groups()
		counts[len(gs)] = true
		if len(gs) < 6 || len(gs) > 8 || gs[0].Name != "VIP" || gs[0].DiscountBasisPoints != 1000 {
			t.Fatalf("seed %d: groups %+v", seed, gs)
		}
		names := map[string]bool{}
		for _, gr := range gs {
			if gr.ID != "" || gr.Description == "" || names[gr.NameKey()] {
				t.Fatalf("seed %d: group %+v", seed, gr)
			}
			names[gr.NameKey()] = true
		}
	}
	if !counts[6] || !counts[7] || !counts[8] {
		t.Errorf("group counts seen: %v", counts)
	}
	// Groups returns a copy.
	g := NewGenerator(1)
	g.Groups()[0].Name = "changed"
	if g.Groups()[0].Name != "VIP" {
		t.Error("Groups exposes the generator's slice")
	}
}

func TestLists(t *testing.T) {
	g := NewGenerator(1)
	check := func(name string, list []word, min int) {
		t.Helper()
		if len(list) < min {
			t.Errorf("%s: %d entries, want at least %d", name, len(list), min)
		}
		seen := map[string]bool{}
		for _, w := range list {
			if seen[w.text] {
				t.Errorf("%s: %q twice", name, w.text)
			}
			seen[w.text] = true
			if w.fold == "" || strings.TrimSpace(w.text) != w.text {
				t.Errorf("%s: bad entry %q (fold %q)", name, w.text, w.fold)
			}
		}
	}
	es, fr, gb := &g.origins[originES], &g.origins[originFR], &g.origins[originGB]
	check("Spanish given names", append(append([]word{}, es.male.list...), es.female.list...), 150)
	check("Spanish surnames", es.surnames.list, 200)
	check("French given names", append(append([]word{}, fr.male.list...), fr.female.list...), 60)
	check("French surnames", fr.surnames.list, 80)
	check("English given names", append(append([]word{}, gb.male.list...), gb.female.list...), 60)
	check("English surnames", gb.surnames.list, 80)
	for o := range g.origins {
		p := &g.origins[o]
		check(fmt.Sprint("origin ", o, " male"), p.male.list, 10)
		check(fmt.Sprint("origin ", o, " female"), p.female.list, 10)
		check(fmt.Sprint("origin ", o, " surnames"), p.surnames.list, 20)
	}
	for _, l := range []*land{&g.es, &g.fr, &g.gb} {
		var places []word
		for _, pl := range l.places {
			places = append(places, pl.word)
			if pl.region == "" || (len(pl.codes) == 0) == (len(pl.outward) == 0) || (l.code != "GB") == (len(pl.phones) == 0) {
				t.Errorf("%s: place %+v", l.code, pl)
			}
		}
		min := 20
		if l.code == "ES" {
			min = 60
		}
		check(l.code+" places", places, min)
		if len(l.streets) < 20 || len(l.companies) < 10 || len(l.legal) < 3 || len(l.mailDomains) < 5 {
			t.Errorf("%s: short lists", l.code)
		}
	}
	if len(g.notes) < 20 {
		t.Errorf("%d notes", len(g.notes))
	}
	for _, note := range g.notes {
		if !strings.HasSuffix(note, ".") {
			t.Errorf("note %q", note)
		}
	}
}

func TestAlias(t *testing.T) {
	a := newAlias([]float64{1, 0, 3, 6}, nil)
	g := NewGenerator(1)
	g.reseed(0)
	var got [4]int
	const n = 200_000
	for k := 0; k < n; k++ {
		got[a.pick(g.r)]++
	}
	for k, want := range []float64{0.1, 0, 0.3, 0.6} {
		if r := float64(got[k]) / n; math.Abs(r-want) > 0.005 {
			t.Errorf("item %d drawn %.3f, want %.1f", k, r, want)
		}
	}
}

func TestAllocations(t *testing.T) {
	g := NewGenerator(1)
	ids := groupIDs(g)
	// The one allocation per customer is the string holding its text; a few customers have
	// no text of their own and need none. Count over a batch: AllocsPerRun and the benchmark
	// divide in integers, so 0.9997 per call shows as 0.
	cs := make([]domain.Customer, 10_000)
	i := 0
	allocs := testing.AllocsPerRun(1, func() {
		for k := range cs {
			g.Customer(i, ids, &cs[k])
			i++
		}
	}) / float64(len(cs))
	t.Logf("%.3f allocations per customer", allocs)
	if allocs > 1.01 {
		t.Errorf("%.3f allocations per customer, want at most 1", allocs)
	}
}

func BenchmarkCustomer(b *testing.B) {
	g := NewGenerator(1)
	ids := groupIDs(g)
	var c domain.Customer
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		g.Customer(i, ids, &c)
		i++
	}
}

func BenchmarkNewGenerator(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		NewGenerator(1)
	}
}
