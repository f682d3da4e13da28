package seed

import (
	"strconv"

	"github.com/clientela/clientela/internal/domain"
)

// person makes c a natural person.
func (g *Generator) person(c *domain.Customer) {
	r := g.r
	o := &g.origins[g.originW.pick(r)]
	c.Kind = domain.KindPerson

	var first word
	if g.percent(52) {
		first = o.female.pick(r)
		switch x := r.Uint32N(100); {
		case x < 45:
			c.Title = domain.TitleMrs
		case x < 65:
			c.Title = domain.TitleMs
		}
	} else {
		first = o.male.pick(r)
		if g.percent(65) {
			c.Title = domain.TitleMr
		}
	}
	c.FirstName = first.text
	s1, s2 := g.lastName(c, o, word{})

	home, expat := o.home, false
	if home == &g.gb && g.percent(50) {
		home, expat = &g.es, true // British people on the Costa del Sol, the Costa Blanca…
	}
	var pl *place
	if g.percent(90) {
		switch {
		case expat:
			pl = &home.places[home.expatW.pick(r)]
		case o.region != "" && g.percent(70):
			pl = &home.places[o.regionW.pick(r)]
		default:
			pl = &home.places[home.placeW.pick(r)]
		}
		g.address(c, home, pl, expat, false)
	}
	if g.percent(80) {
		phoneLand := home
		if expat && g.percent(40) {
			phoneLand = &g.gb // kept their British mobile
		}
		g.phone(c, phoneLand, pl, g.percent(85))
	}
	if g.percent(59) {
		g.personEmail(c, o.home, first, s1, s2)
	}
	switch {
	case expat:
		if g.percent(50) {
			g.nie(c)
		}
	case home == &g.es:
		switch x := r.Uint32N(100); {
		case x < 64:
			g.dni(c)
		case x < 67:
			g.nie(c)
		}
	}
}

// lastName sets c.LastName for a person of origin o: two surnames in the Spanish style now
// and then only one. A non-empty first is used as the first surname. It returns the surnames.
func (g *Generator) lastName(c *domain.Customer, o *people, first word) (s1, s2 word) {
	s1 = first
	if s1.text == "" {
		s1 = o.surnames.pick(g.r)
	}
	if !o.twoSurnames || !g.percent(93) {
		c.LastName = s1.text
		return s1, word{}
	}
	if o.region != "" && g.percent(50) {
		s2 = g.origins[originES].surnames.pick(g.r) // one Castilian parent
	} else {
		s2 = o.surnames.pick(g.r)
	}
	from := len(g.buf)
	g.buf = append(g.buf, s1.text...)
	g.buf = append(g.buf, ' ')
	g.buf = append(g.buf, s2.text...)
	g.set(&c.LastName, from)
	return s1, s2
}

// company makes c a legal person.
func (g *Generator) company(c *domain.Customer) {
	r := g.r
	c.Kind = domain.KindCompany
	var o *people
	switch g.companyW.pick(r) {
	case 0:
		o = &g.origins[originES]
	case 1:
		o = &g.origins[originFR]
	default:
		o = &g.origins[originGB]
	}
	nl := o.home // the land the name comes from
	l := nl      // the land it is in
	var pl *place
	if nl == &g.gb && g.percent(40) {
		l = &g.es
		pl = &l.places[l.expatW.pick(r)]
	} else {
		pl = &l.places[l.placeW.pick(r)]
	}

	pat := &nl.companies[nl.companyW.pick(r)]
	from := len(g.buf)
	g.fold = g.fold[:0]
	var surname word
	usedCity := false
	for _, s := range pat.segs {
		w := s.word
		switch s.ph {
		case 'S':
			w = o.surnames.pick(r)
			if surname.text == "" {
				surname = w
			}
		case 'N':
			w = nl.nick.pick(r)
		case 'C':
			w, usedCity = pl.word, true
		case 'R':
			w = nl.compass.pick(r)
		case 'F':
			w = nl.fancy.pick(r)
		case 'P':
			w = nl.where.pick(r)
		}
		g.buf = append(g.buf, w.text...)
		g.fold = append(g.fold, w.fold...)
	}
	g.set(&c.CompanyName, from)

	org := pat.org
	switch {
	case org != 0:
	case l != nl: // a foreign-run business registered in Spain
		c.LegalForm, org = "S.L.", 'B'
	default:
		lf := &nl.legal[nl.legalW.pick(r)]
		c.LegalForm, org = lf.form, lf.org
	}

	if g.percent(40) {
		// A contact person, drawn so that the rest of the customer comes out as it always
		// has, but not kept: a company holds no person names (domain.CustomerChanges.Apply).
		if g.percent(45) {
			o.female.pick(r)
		} else {
			o.male.pick(r)
		}
		if surname.text == "" || !g.percent(60) {
			surname = word{}
		}
		g.lastName(&g.contact, o, surname)
	}
	hasAddress := g.percent(95)
	if hasAddress {
		g.address(c, l, pl, l != nl, true)
	}
	if g.percent(85) {
		g.phone(c, l, pl, !g.percent(60))
	}
	if g.percent(62) {
		g.companyEmail(c, nl, pl, usedCity)
	}
	switch {
	case l == &g.es:
		if g.percent(90) {
			if !hasAddress {
				pl = nil
			}
			g.cif(c, org, pl)
		}
	case l == &g.fr && hasAddress:
		if g.percent(80) {
			g.frenchVAT(c)
		}
	case l == &g.gb && hasAddress:
		if g.percent(60) {
			g.britishVAT(c)
		}
	}
	if g.percent(55) {
		g.accountNumber(c)
	}
	if g.percent(60) {
		c.CreditLimitCents = int64(5+r.IntN(46)) * 10000 // 500–5,000 €
	}
}

// address fills c.Address with a street address in pl, a place of land l.
func (g *Generator) address(c *domain.Customer, l *land, pl *place, expat, business bool) {
	r := g.r
	a := &c.Address
	a.City, a.Region = pl.text, pl.region
	number := int64(1 + r.IntN(1+r.IntN(150))) // low numbers are more common
	from := len(g.buf)
	switch l.code {
	case "ES":
		cat, streets := 0, l.streets
		if pl.region == "Cataluña" && g.percent(60) {
			cat, streets = 1, g.catStreets
		}
		g.buf = append(g.buf, streets.pick(r)...)
		g.buf = append(g.buf, ' ')
		g.buf = strconv.AppendInt(g.buf, number, 10)
		if (!business && g.percent(55)) || (business && g.percent(15)) {
			g.buf = append(g.buf, ", "...)
			g.buf = append(g.buf, g.floors[cat].pick(r)...)
			if g.percent(85) {
				g.buf = append(g.buf, ' ')
				g.buf = append(g.buf, g.doors[cat].pick(r)...)
			}
		}
		g.set(&a.Line1, from)
		switch {
		case business && g.percent(20):
			a.Line2 = g.bizLine2.pick(r)
		case expat && g.percent(35):
			a.Line2 = g.expatLine2.pick(r)
		case g.percent(7):
			a.Line2 = l.line2.pick(r)
		}
		g.postalCode(a, pl)
		if g.percent(70) {
			a.Country = "ES" // else empty: the shop's default country
		}
	case "FR":
		g.buf = strconv.AppendInt(g.buf, number, 10)
		if g.percent(3) {
			g.buf = append(g.buf, " bis"...)
		}
		g.buf = append(g.buf, ' ')
		g.buf = append(g.buf, l.streets.pick(r)...)
		g.set(&a.Line1, from)
		if g.percent(8) {
			a.Line2 = l.line2.pick(r)
		}
		g.postalCode(a, pl)
		a.Country = "FR"
	default: // GB
		g.buf = strconv.AppendInt(g.buf, number, 10)
		g.buf = append(g.buf, ' ')
		g.buf = append(g.buf, l.streets.pick(r)...)
		g.set(&a.Line1, from)
		if g.percent(10) {
			a.Line2 = l.line2.pick(r)
		}
		g.postalCode(a, pl)
		a.Country = "GB"
	}
}

// postalCode sets a.PostalCode to a code of pl: a numeric one from its ranges, or a British
// one from its outward codes ("SW1A 1AA").
func (g *Generator) postalCode(a *domain.Address, pl *place) {
	r := g.r
	from := len(g.buf)
	if len(pl.outward) > 0 {
		const inward = "ABDEFGHJLNPQRSTUWXYZ" // letters used in inward codes
		g.buf = append(g.buf, pl.outward[r.IntN(len(pl.outward))]...)
		g.buf = append(g.buf, ' ', byte('0'+r.IntN(10)), inward[r.IntN(len(inward))], inward[r.IntN(len(inward))])
	} else {
		cr := pl.codes[r.IntN(len(pl.codes))]
		g.buf = appendPadded(g.buf, uint64(cr.lo+r.IntN(cr.hi-cr.lo+1)), 5)
	}
	g.set(&a.PostalCode, from)
}

// phone sets c.Phone to a number of land l in E.164 form: a mobile, or a landline of pl's
// area (Britain: always a mobile).
func (g *Generator) phone(c *domain.Customer, l *land, pl *place, mobile bool) {
	r := g.r
	from := len(g.buf)
	switch l.code {
	case "ES":
		g.buf = append(g.buf, "+34"...)
		switch {
		case !mobile:
			g.landline(l, pl, 9)
		case g.percent(85):
			g.buf = append(g.buf, '6')
			g.appendDigits(8)
		default: // 71x–74x mobiles
			g.buf = append(g.buf, '7', byte('1'+r.IntN(4)))
			g.appendDigits(7)
		}
	case "FR":
		g.buf = append(g.buf, "+33"...)
		switch {
		case !mobile:
			g.landline(l, pl, 9)
		case g.percent(75): // 06: libphonenumber refuses 0639 and 069[0-4679]
			g.buf = append(g.buf, '6', "01245678"[r.IntN(8)])
			g.appendDigits(7)
		default: // 075–078
			g.buf = append(g.buf, '7', byte('5'+r.IntN(4)))
			g.appendDigits(7)
		}
	default: // GB mobiles 074–079 but not 076 (pagers), nor 0770 and 0791 (partly unallocated)
		second, third := "45789"[r.IntN(5)], byte('0'+r.IntN(10))
		for (second == '7' && third == '0') || (second == '9' && third == '1') {
			third = byte('0' + r.IntN(10))
		}
		g.buf = append(g.buf, "+447"...)
		g.buf = append(g.buf, second, third)
		g.appendDigits(7)
	}
	g.set(&c.Phone, from)
}

// landline appends a fixed-line national number of n digits with an area prefix of pl (or of
// a random place of l).
func (g *Generator) landline(l *land, pl *place, n int) {
	if pl == nil || len(pl.phones) == 0 {
		pl = &l.places[l.placeW.pick(g.r)]
	}
	prefix := pl.phones[g.r.IntN(len(pl.phones))]
	g.buf = append(g.buf, prefix...)
	g.buf = append(g.buf, byte('2'+g.r.IntN(7))) // subscriber numbers start with 2–8
	g.appendDigits(n - len(prefix) - 1)
}

// personEmail sets c.Email to an address made of the person's names, as people choose them:
// most add digits (a birth year, a lucky number), which keeps collisions rare.
func (g *Generator) personEmail(c *domain.Customer, l *land, first, s1, s2 word) {
	r := g.r
	from := len(g.buf)
	f, l1 := first.fold, s1.fold
	year := 1945 + r.IntN(62)
	b := g.buf
	switch x := r.Uint32N(100); {
	case x < 28: // jose.garcia84
		b = g.appendMailDigits(append(append(append(b, f...), '.'), l1...), year)
	case x < 46: // mgarcia, mgarcial, mgarcia12
		b = append(append(b, f[0]), l1...)
		if s2.fold != "" && g.percent(40) {
			b = append(b, s2.fold[0])
		}
		if g.percent(85) {
			b = g.appendMailDigits(b, year)
		}
	case x < 64: // josegarcia321
		b = g.appendMailDigits(append(append(b, f...), l1...), year)
	case x < 74 && s2.fold != "": // jose.garcia.lopez
		b = append(append(append(append(append(b, f...), '.'), l1...), '.'), s2.fold...)
		if g.percent(40) {
			b = g.appendMailDigits(b, year)
		}
	case x < 82: // jose_garcia84
		b = g.appendMailDigits(append(append(append(b, f...), '_'), l1...), year)
	case x < 90: // garcia.jose84
		b = g.appendMailDigits(append(append(append(b, l1...), '.'), f...), year)
	case x < 98: // joseg1984
		b = strconv.AppendInt(append(append(b, f...), l1[0]), int64(year), 10)
	default: // jose.garcia
		b = append(append(append(b, f...), '.'), l1...)
	}
	b = append(b, '@')
	g.buf = append(b, l.mailDomains[l.mailW.pick(r)]...)
	g.set(&c.Email, from)
	g.hasEmail = true
}

// appendMailDigits appends the digits people add to an e-mail name: the birth year in two or
// four digits, or a number of up to four digits.
func (g *Generator) appendMailDigits(b []byte, year int) []byte {
	switch x := g.r.Uint32N(100); {
	case x < 20:
		return appendPadded(b, uint64(year%100), 2)
	case x < 35:
		return strconv.AppendInt(b, int64(year), 10)
	case x < 75:
		return strconv.AppendInt(b, int64(1+g.r.IntN(999)), 10)
	default:
		return strconv.AppendInt(b, int64(1000+g.r.IntN(9000)), 10)
	}
}

// companyEmail sets c.Email for a company whose name's e-mail form is in g.fold: a mailbox at
// the company's own domain ("info@barcasapaco.es") or a free provider's address.
func (g *Generator) companyEmail(c *domain.Customer, nl *land, pl *place, usedCity bool) {
	r := g.r
	g.hasEmail = true
	from := len(g.buf)
	name := g.fold
	if len(name) > 40 {
		name = name[:40]
	}
	if !g.percent(70) {
		g.buf = append(g.buf, name...)
		g.buf = strconv.AppendInt(g.buf, int64(r.IntN(1000)), 10)
		g.buf = append(g.buf, '@')
		g.buf = append(g.buf, nl.mailDomains[nl.mailW.pick(r)]...)
		g.set(&c.Email, from)
		return
	}
	g.buf = append(g.buf, nl.mailboxes.pick(r)...)
	g.buf = append(g.buf, '@')
	g.buf = append(g.buf, name...)
	withCity := !usedCity && len(name)+len(pl.fold) <= 55 && g.percent(60) // labels have 63 bytes at most
	if withCity {
		g.buf = append(g.buf, pl.fold...) // barcasapacomalaga.es
	}
	if !withCity || g.percent(20) {
		g.buf = strconv.AppendInt(g.buf, int64(1+r.IntN(99)), 10) // barcasapaco7.es
	}
	switch {
	case nl.code == "FR":
		g.buf = append(g.buf, ".fr"...)
	case nl.code == "GB":
		g.buf = append(g.buf, ".co.uk"...)
	case g.percent(65):
		g.buf = append(g.buf, ".es"...)
	default:
		g.buf = append(g.buf, ".com"...)
	}
	g.set(&c.Email, from)
}
