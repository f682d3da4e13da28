// Package seed generates realistic customers for demonstrations, load tests and search
// benchmarks: the register of a Spanish shop, with Spanish, some French and English customers,
// persons and companies, addresses, phones, e-mails, tax ids and loyalty cards as they are
// typed in real life, accents included.
//
// Generation is deterministic and fast: customer i of a seed is always the same, whatever
// order the customers are asked for in, and costs well under a microsecond and one
// allocation. Values come out already in the form domain.Customer.Prepare would give them
// (E.164 phones, normalised tax ids with valid control characters, valid EAN-13 references),
// so callers may store them without preparing each one; the tests prove Prepare accepts them
// unchanged.
package seed

import (
	"math/rand/v2"

	"github.com/clientela/clientela/internal/domain"
)

// Generator makes customers from a seed; the same seed gives the same customers.
//
// A Generator is not safe for concurrent use; give each goroutine its own (they are cheap
// compared with the customers they make, and generators with the same seed agree).
type Generator struct {
	seed uint64
	src  *rand.PCG
	r    *rand.Rand

	es, fr, gb land
	origins    [originCount]people
	originW    alias // of persons
	companyW   alias // of companies' origins
	catStreets stringSet
	expatLine2 stringSet
	bizLine2   stringSet
	floors     [2]stringSet // Spanish, Catalan
	doors      [2]stringSet
	notes      stringSet

	groups []domain.Group
	groupW alias

	buf      []byte // the text of the customer being made, converted to a string once
	hasEmail bool   // the customer being made has an e-mail (c.Email is set only at the end)
	fold     []byte // scratch: a company name's e-mail form
	pending  []pendingField

	contact domain.Customer // scratch: a company's contact person, drawn but not kept
}

// pendingField is a field whose text is buf[lo:hi], assigned when the customer is done.
type pendingField struct {
	dst    *string
	lo, hi int
}

// Origins of names.
const (
	originES = iota
	originFR
	originGB
	originCA // Catalan
	originEU // Basque
	originGL // Galician
	originPT // Portuguese
	originCount
)

// NewGenerator parses the word lists and returns a generator for seed.
func NewGenerator(seed uint64) *Generator {
	g := &Generator{seed: seed, src: rand.NewPCG(0, 0)}
	g.r = rand.New(g.src)

	g.es = newLand("ES", spanishCities, spanishStreets, spanishLine2, spanishMailDomains, spanishMailboxes,
		spanishCompanies, spanishFancy, spanishWhere, spanishCompass, spanishNicknames, spanishLegalForms)
	g.fr = newLand("FR", frenchCities, frenchStreets, frenchLine2, frenchMailDomains, frenchMailboxes,
		frenchCompanies, frenchFancy, frenchWhere, "", frenchMale+", "+frenchFemale, frenchLegalForms)
	g.gb = newLand("GB", britishCities, britishStreets, britishLine2, britishMailDomains, britishMailboxes,
		britishCompanies, britishFancy, "", "", englishMale+", "+englishFemale, britishLegalForms)
	expat := make([]float64, len(g.es.places))
	for k, pl := range g.es.places {
		expat[k] = pl.expat
	}
	g.es.expatW = newAlias(expat, nil)

	g.origins[originES] = newPeople(spanishMale, spanishFemale, spanishSurnames, true, &g.es, "")
	g.origins[originFR] = newPeople(frenchMale, frenchFemale, frenchSurnames, false, &g.fr, "")
	g.origins[originGB] = newPeople(englishMale, englishFemale, englishSurnames, false, &g.gb, "")
	g.origins[originCA] = newPeople(catalanMale, catalanFemale, catalanSurnames, true, &g.es, "Cataluña")
	g.origins[originEU] = newPeople(basqueMale, basqueFemale, basqueSurnames, true, &g.es, "País Vasco")
	g.origins[originGL] = newPeople(galicianMale, galicianFemale, galicianSurnames, true, &g.es, "Galicia")
	g.origins[originPT] = newPeople(portugueseMale, portugueseFemale, portugueseSurnames, true, &g.es, "Galicia")
	// Persons: 75 % Spanish, 12 % French, 10 % English, 3 % Catalan, Basque, Galician, Portuguese.
	g.originW = newAlias([]float64{750, 120, 100, 12, 8, 5, 5}, nil)
	// Companies: 88 % Spanish, 7 % French, 5 % British.
	g.companyW = newAlias([]float64{88, 7, 5}, nil)

	g.catStreets = stringSet(splitList(catalanStreets, ','))
	g.expatLine2 = stringSet(splitList(expatLine2, ';'))
	g.bizLine2 = stringSet(splitList(businessLine2, ';'))
	g.floors = [2]stringSet{splitList(spanishFloors, ','), splitList(catalanFloors, ',')}
	g.doors = [2]stringSet{splitList(spanishDoors, ','), splitList(catalanDoors, ',')}
	g.notes = stringSet(splitList(customerNotes, '\n'))

	g.groups, g.groupW = pickGroups(seed)
	return g
}

func newLand(code, cities, streets, line2, domains, mailboxes, companies, fancy, where, compass, nick, legal string) land {
	l := land{code: code}
	l.places, l.placeW = parsePlaces(cities)
	l.streets = splitList(streets, ',')
	l.line2 = splitList(line2, ';')
	l.mailDomains, l.mailW = weightedStrings(domains)
	l.mailboxes = splitList(mailboxes, ',')
	l.companies, l.companyW = parsePatterns(companies)
	l.fancy = newWordSet(fancy, 1e9) // uniform
	if where != "" {
		l.where = newWordSet(where, 1e9)
	}
	if compass != "" {
		l.compass = newWordSet(compass, 1e9)
	}
	l.nick = newWordSet(nick, 1e9)
	l.legal, l.legalW = parseLegalForms(legal)
	return l
}

// pickGroups returns the groups of the shop seeded with seed: six that every shop has and up
// to two more, with their membership weights.
func pickGroups(seed uint64) ([]domain.Group, alias) {
	r := rand.New(rand.NewPCG(seed, 0x67726f757073)) // "groups"
	all := lines(shopGroups, 4)
	const always = 6
	extra := all[always:]
	r.Shuffle(len(extra), func(a, b int) { extra[a], extra[b] = extra[b], extra[a] })
	chosen := append(all[:always:always], extra[:r.IntN(3)]...)
	groups := make([]domain.Group, len(chosen))
	weights := make([]float64, len(chosen))
	for k, f := range chosen {
		groups[k] = domain.Group{Name: f[0], DiscountBasisPoints: int64(atof(f[1])), Description: f[3]}
		weights[k] = atof(f[2])
	}
	return groups, newAlias(weights, nil)
}

// Groups returns the groups a seeded shop has: 6 to 8 groups with Spanish names,
// descriptions and discounts. IDs are left empty for the caller to assign; Customer expects
// the ids in the same order.
func (g *Generator) Groups() []domain.Group {
	out := make([]domain.Group, len(g.groups))
	copy(out, g.groups)
	return out
}

// Customer fills c (reusing it to avoid allocations) with the i-th customer (0 <= i < 10¹¹).
// groupIDs are the ids the caller gave the groups, in the order Groups returned them; about
// 30 % of customers get one of them, the VIP group rarely. ID, Seq, CreatedAt, UpdatedAt and
// Version are left as they are for the caller; MarketingConsentAt is left nil.
//
// The loyalty-card reference depends on i only, not on the seed, so customers generated with
// different seeds but distinct i never share a reference.
func (g *Generator) Customer(i int, groupIDs []string, c *domain.Customer) {
	g.reseed(i)
	*c = domain.Customer{ID: c.ID, Seq: c.Seq, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt, Version: c.Version}
	g.buf, g.pending, g.hasEmail = g.buf[:0], g.pending[:0], false

	if g.percent(15) {
		g.company(c)
	} else {
		g.person(c)
	}

	if g.percent(70) {
		from := len(g.buf)
		g.buf = appendEAN13(g.buf, i)
		g.set(&c.Reference, from)
	}
	if c.Kind == domain.KindPerson && g.percent(2) {
		g.accountNumber(c)
	}
	if len(groupIDs) > 0 && g.percent(30) {
		if len(groupIDs) == len(g.groups) {
			c.GroupID = groupIDs[g.groupW.pick(g.r)]
		} else {
			c.GroupID = groupIDs[g.r.IntN(len(groupIDs))]
		}
	}
	c.InvoiceByEmail = g.hasEmail && g.percent(80) // never without an e-mail
	c.MarketingConsent = g.percent(40)
	if c.Kind == domain.KindPerson && g.percent(3) {
		c.CreditLimitCents = int64(5+g.r.IntN(26)) * 1000 // 50–300 €
	}
	if g.percent(5) {
		c.Notes = g.notes.pick(g.r)
	}
	g.flush()
}

// reseed points the random source at customer i's own stream, so that customer i does not
// depend on which customers were made before it.
func (g *Generator) reseed(i int) {
	k := mix64(uint64(i) ^ mix64(g.seed+0x9e3779b97f4a7c15))
	g.src.Seed(mix64(k+0x632be59bd9b4e019), k)
}

// mix64 is SplitMix64's finaliser, a bijective scrambling of 64 bits.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// percent is true p times in 100.
func (g *Generator) percent(p uint32) bool { return g.r.Uint32N(100) < p }

// set records that the text appended to buf since from is the value of *dst.
func (g *Generator) set(dst *string, from int) {
	g.pending = append(g.pending, pendingField{dst, from, len(g.buf)})
}

// flush turns buf into one string and hands out its slices: one allocation per customer.
func (g *Generator) flush() {
	if len(g.pending) == 0 {
		return
	}
	s := string(g.buf)
	for _, p := range g.pending {
		*p.dst = s[p.lo:p.hi]
	}
	clear(g.pending)
}

// appendDigits appends n random decimal digits.
func (g *Generator) appendDigits(n int) {
	for n > 0 {
		k := min(n, 18)
		g.buf = appendPadded(g.buf, g.r.Uint64N(pow10(k)), k)
		n -= k
	}
}

// pow10 returns 10 to the k.
func pow10(k int) uint64 {
	p := uint64(1)
	for ; k > 0; k-- {
		p *= 10
	}
	return p
}

// appendPadded appends v in decimal, left-padded with zeros to width digits.
func appendPadded(b []byte, v uint64, width int) []byte {
	var d [20]byte
	k := len(d)
	for v > 0 || k > len(d)-width {
		k--
		d[k] = byte('0' + v%10)
		v /= 10
	}
	return append(b, d[k:]...)
}
