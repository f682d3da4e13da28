package transfer

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/clientela/clientela/internal/search"
)

// KindVCard is a vCard file (.vcf): contacts as phones and address books export them.
const KindVCard FileKind = "vcf"

// VCardColumns are the columns a vCard file is read into, one row per card: the fixed mapping
// an import shows (each column is named after its field, so the proposed mapping is this one).
var vcardColumns = []Field{FieldID, FieldKind, FieldTitle, FieldFirstName, FieldLastName, FieldCompanyName,
	FieldTaxID, FieldEmail, FieldPhone, FieldLine1, FieldLine2, FieldPostalCode, FieldCity, FieldRegion,
	FieldCountry, FieldReference, FieldGroup, FieldNotes}

// VCardColumns returns the columns of a vCard file's rows (a copy).
func VCardColumns() []Field { return append([]Field(nil), vcardColumns...) }

// Bounds that keep a hostile or odd file from growing memory: a content line (unfolded) longer
// than maxVCardLine is skipped whole (a phone's PHOTO, base64, is the usual one), and a card
// keeps at most maxVCardProps properties.
const (
	maxVCardLine  = 256 << 10
	maxVCardProps = 500
)

// isVCard reports whether head starts (after a byte order mark and blank space) with
// BEGIN:VCARD.
func isVCard(head []byte) bool {
	head = bytes.TrimPrefix(head, bom)
	head = bytes.TrimLeft(head, " \t\r\n")
	const begin = "BEGIN:VCARD"
	return len(head) >= len(begin) && strings.EqualFold(string(head[:len(begin)]), begin)
}

// vcardRows reads vCard 2.1, 3.0 and 4.0 (RFC 2426, RFC 6350) as phones write them: folded
// lines, quoted-printable values with soft line breaks (Android's
// CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE), grouped properties (iPhone's item1.TEL), bare
// and TYPE= parameters. Its first row is the header (the field names of vcardColumns); then a
// row per card, numbered with the line of its BEGIN:VCARD. The reader is lenient, as address
// books are: a line it cannot read is skipped, a card without END:VCARD ends at the next
// BEGIN or at the end of the file; what is left of a card is for the import's checks.
type vcardRows struct {
	r          *bufio.Reader
	line       int       // physical lines read
	headerDone bool      // the header row was given
	pending    *physLine // a physical line read ahead
	back       *physLine // a content line given back (a BEGIN:VCARD that ended a card without END)
	eof        bool
	err        error
}

type physLine struct {
	n    int
	text []byte
	long bool // longer than maxVCardLine: cut
}

// OpenVCard reads r as a vCard file.
func OpenVCard(r io.Reader) Rows {
	return &vcardRows{r: bufio.NewReaderSize(&bomSkipper{r: r}, 64<<10)}
}

func (v *vcardRows) Close() error { return nil }

// physical returns the next physical line without its line ending; nil at the end.
func (v *vcardRows) physical() (*physLine, error) {
	if v.pending != nil {
		p := v.pending
		v.pending = nil
		return p, nil
	}
	if v.eof {
		return nil, v.err
	}
	var buf []byte
	long := false
	for {
		chunk, err := v.r.ReadSlice('\n')
		if len(buf)+len(chunk) <= maxVCardLine {
			buf = append(buf, chunk...)
		} else {
			long = true
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err != nil {
			v.eof = true
			if !errors.Is(err, io.EOF) {
				v.err = fmt.Errorf("read vcard: %w", err)
				return nil, v.err
			}
			if len(buf) == 0 && !long {
				return nil, nil
			}
		}
		break
	}
	v.line++
	buf = bytes.TrimRight(buf, "\r\n")
	return &physLine{n: v.line, text: buf, long: long}, nil
}

// logical returns the next content line, unfolded (a line starting with a space or a tab
// continues the one before) and with quoted-printable soft line breaks joined, and the number
// of its first physical line; nil at the end.
func (v *vcardRows) logical() (*physLine, error) {
	if v.back != nil {
		l := v.back
		v.back = nil
		return l, nil
	}
	first, err := v.physical()
	if first == nil || err != nil {
		return nil, err
	}
	out := &physLine{n: first.n, text: first.text, long: first.long}
	qp := isQuotedPrintable(first.text) // the parameters are on the first line
	for {
		qpSoft := qp && len(out.text) > 0 && out.text[len(out.text)-1] == '='
		if qpSoft {
			out.text = out.text[:len(out.text)-1] // a soft line break: the next line continues this one
		}
		next, err := v.physical()
		if err != nil {
			return nil, err
		}
		if next == nil {
			return out, nil
		}
		switch {
		case qpSoft && !isBegin(next.text) && !isEnd(next.text):
			out.text = appendBounded(out, next.text)
		case len(next.text) > 0 && (next.text[0] == ' ' || next.text[0] == '\t'):
			if qpSoft {
				out.text = append(out.text, '=') // not a soft break after all (a folded 3.0 line)
			}
			out.text = appendBounded(out, next.text[1:])
		default:
			if qpSoft {
				out.text = append(out.text, '=')
			}
			v.pending = next
			return out, nil
		}
		out.long = out.long || next.long
	}
}

// appendBounded appends more to l's text, marking l long past maxVCardLine.
func appendBounded(l *physLine, more []byte) []byte {
	text := l.text
	if len(text)+len(more) > maxVCardLine {
		l.long = true
		return text
	}
	return append(text, more...)
}

// isQuotedPrintable reports whether a content line's parameters (before its first colon) say
// quoted-printable.
func isQuotedPrintable(line []byte) bool {
	head, quoted := line, false
	for i, c := range line {
		if c == '"' {
			quoted = !quoted
		} else if c == ':' && !quoted {
			head = line[:i]
			break
		}
	}
	return bytes.Contains(bytes.ToUpper(head), []byte("QUOTED-PRINTABLE"))
}

// splitContentLine splits "name;params:value" at the first colon outside double quotes.
func splitContentLine(s string) (head, value string, ok bool) {
	quoted := false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"':
			quoted = !quoted
		case ':':
			if !quoted {
				return s[:i], s[i+1:], true
			}
		}
	}
	return "", "", false
}

// vprop is one property of a card.
type vprop struct {
	name   string              // upper case, group dropped
	params map[string][]string // upper-case names; bare parameters (2.1) under TYPE
	value  string              // decoded (quoted-printable, charset), still escaped
}

func (p *vprop) has(param, value string) bool {
	for _, v := range p.params[param] {
		if strings.EqualFold(v, value) {
			return true
		}
	}
	return false
}

func (p *vprop) preferred() bool {
	if p.has("TYPE", "pref") {
		return true
	}
	for _, v := range p.params["PREF"] {
		if n, err := strconv.Atoi(v); err == nil && n >= 1 {
			return true
		}
	}
	return false
}

func parseProp(line string) (vprop, bool) {
	head, value, ok := splitContentLine(line)
	if !ok {
		return vprop{}, false
	}
	parts := splitOutsideQuotes(head, ';')
	name := strings.ToUpper(strings.TrimSpace(parts[0]))
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		name = name[i+1:] // item1.TEL
	}
	if name == "" {
		return vprop{}, false
	}
	p := vprop{name: name, params: map[string][]string{}}
	for _, param := range parts[1:] {
		k, v, hasValue := strings.Cut(param, "=")
		k = strings.ToUpper(strings.TrimSpace(k))
		if !hasValue {
			// vCard 2.1's bare parameters: TEL;CELL;PREF, ADR;HOME, NOTE;QUOTED-PRINTABLE.
			switch k {
			case "QUOTED-PRINTABLE", "BASE64", "8BIT", "7BIT":
				p.params["ENCODING"] = append(p.params["ENCODING"], k)
			default:
				p.params["TYPE"] = append(p.params["TYPE"], k)
			}
			continue
		}
		for _, one := range splitOutsideQuotes(v, ',') {
			p.params[k] = append(p.params[k], strings.Trim(strings.TrimSpace(one), `"`))
		}
	}
	if p.has("ENCODING", "QUOTED-PRINTABLE") {
		value = decodeQuotedPrintable(value)
	}
	if cs := p.params["CHARSET"]; len(cs) > 0 {
		switch strings.ToUpper(cs[0]) {
		case "ISO-8859-1", "LATIN1", "ISO_8859-1", "WINDOWS-1252", "CP1252":
			if s, err := charmap.Windows1252.NewDecoder().String(value); err == nil {
				value = s
			}
		case "ISO-8859-15":
			if s, err := charmap.ISO8859_15.NewDecoder().String(value); err == nil {
				value = s
			}
		}
	}
	if !utf8.ValidString(value) {
		// A card in Latin-1 without a CHARSET (old phones): read it as Windows-1252.
		if s, err := charmap.Windows1252.NewDecoder().String(value); err == nil && utf8.ValidString(s) {
			value = s
		} else {
			value = strings.ToValidUTF8(value, "\uFFFD")
		}
	}
	p.value = value
	return p, true
}

// splitOutsideQuotes splits s at sep outside double quotes.
func splitOutsideQuotes(s string, sep byte) []string {
	var out []string
	quoted, start := false, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"':
			quoted = !quoted
		case sep:
			if !quoted {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}

// decodeQuotedPrintable decodes =XX escapes (soft line breaks were joined already); a
// malformed escape is kept as written.
func decodeQuotedPrintable(s string) string {
	if !strings.Contains(s, "=") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '=' && i+2 < len(s) {
			if n, err := strconv.ParseUint(s[i+1:i+3], 16, 8); err == nil {
				b.WriteByte(byte(n))
				i += 2
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// splitStructured splits a structured value (N, ADR, ORG) at unescaped semicolons, each
// component still escaped.
func splitStructured(s string, sep byte) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case sep:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// unescape reads a text value's escapes (RFC 6350 3.4): \n \N \, \; \\.
func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			switch s[i] {
			case 'n', 'N':
				b.WriteByte('\n')
			default:
				b.WriteByte(s[i])
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// component is the i-th component of a structured value, unescaped ("" when missing).
func component(parts []string, i int) string {
	if i < len(parts) {
		return strings.TrimSpace(unescape(parts[i]))
	}
	return ""
}

// values splits a component at unescaped commas and unescapes each, dropping empty ones.
func values(part string) []string {
	var out []string
	for _, v := range splitStructured(part, ',') {
		if v = strings.TrimSpace(unescape(v)); v != "" {
			out = append(out, v)
		}
	}
	return out
}

func (v *vcardRows) Next() (int, []string, error) {
	if !v.headerDone {
		v.headerDone = true
		header := make([]string, len(vcardColumns))
		for i, f := range vcardColumns {
			header[i] = string(f)
		}
		return 1, header, nil
	}
	// Up to the next BEGIN:VCARD.
	var begin int
	for begin == 0 {
		l, err := v.logical()
		if err != nil {
			return 0, nil, err
		}
		if l == nil {
			return 0, nil, io.EOF
		}
		if isBegin(l.text) {
			begin = l.n
		}
	}
	var props []vprop
	for {
		l, err := v.logical()
		if err != nil {
			return 0, nil, err
		}
		if l == nil {
			break
		}
		if isBegin(l.text) {
			v.back = l // a card without END: the next one starts here
			break
		}
		if isEnd(l.text) {
			break
		}
		if l.long || len(props) >= maxVCardProps {
			continue
		}
		if p, ok := parseProp(string(l.text)); ok {
			props = append(props, p)
		}
	}
	return begin, cardRow(props), nil
}

func isBegin(line []byte) bool {
	return bytes.EqualFold(bytes.TrimSpace(line), []byte("BEGIN:VCARD"))
}

func isEnd(line []byte) bool {
	return bytes.EqualFold(bytes.TrimSpace(line), []byte("END:VCARD"))
}

// cardRow turns a card's properties into a row of vcardColumns.
func cardRow(props []vprop) []string {
	var (
		kind, title, given, family, org, fn string
		email, phone                        *vprop
		adr                                 *vprop
		notes                               []string
		uid, taxID, reference, group        string
		phoneRank                           int
	)
	for i := range props {
		p := &props[i]
		switch p.name {
		case "KIND", "X-ADDRESSBOOKSERVER-KIND":
			switch strings.ToLower(strings.TrimSpace(p.value)) {
			case "org", "organization", "group":
				kind = "company"
			case "individual":
				kind = "person"
			}
		case "X-ABSHOWAS":
			if strings.EqualFold(strings.TrimSpace(p.value), "COMPANY") {
				kind = "company"
			}
		case "N":
			parts := splitStructured(p.value, ';')
			family = strings.Join(values(componentRaw(parts, 0)), " ")
			given = strings.Join(append(values(componentRaw(parts, 1)), values(componentRaw(parts, 2))...), " ")
			if t, ok := parseTitle(component(parts, 3)); ok {
				title = string(t)
			}
		case "FN":
			fn = strings.TrimSpace(unescape(p.value))
		case "ORG":
			org = component(splitStructured(p.value, ';'), 0)
		case "EMAIL":
			if strings.TrimSpace(p.value) != "" && (email == nil || p.preferred() && !email.preferred()) {
				email = p
			}
		case "TEL":
			if strings.TrimSpace(p.value) == "" {
				continue
			}
			rank := 1
			switch {
			case p.preferred():
				rank = 4
			case p.has("TYPE", "cell"):
				rank = 3
			case p.has("TYPE", "fax"):
				rank = 0
			}
			if phone == nil || rank > phoneRank {
				phone, phoneRank = p, rank
			}
		case "ADR":
			if adr == nil || p.preferred() && !adr.preferred() {
				adr = p
			}
		case "NOTE":
			if n := strings.TrimSpace(unescape(p.value)); n != "" {
				notes = append(notes, n)
			}
		case "UID":
			if id, ok := strings.CutPrefix(strings.TrimSpace(p.value), "urn:uuid:"); ok {
				uid = id
			}
		case "CATEGORIES":
			for _, c := range values(p.value) {
				if group == "" && !systemCategory(c) {
					group = c
				}
			}
		case "X-TAX-ID":
			taxID = strings.TrimSpace(unescape(p.value))
		case "X-REFERENCE":
			reference = strings.TrimSpace(unescape(p.value))
		}
	}
	if kind == "" {
		kind = "person"
		if given == "" && family == "" && org != "" {
			kind = "company"
		}
	}
	row := map[Field]string{FieldID: uid, FieldKind: kind, FieldTaxID: taxID, FieldReference: reference, FieldGroup: group}
	if kind == "company" {
		row[FieldCompanyName] = org
		if org == "" {
			row[FieldCompanyName] = fn
		}
		// A company holds no person's name: the contact person goes to the notes.
		if person := strings.TrimSpace(given + " " + family); person != "" && person != row[FieldCompanyName] {
			notes = append(notes, person)
		}
	} else {
		row[FieldTitle], row[FieldFirstName], row[FieldLastName] = title, given, family
		if given == "" && family == "" {
			row[FieldFirstName] = fn
		}
		// A person holds no company name: where they work goes to the notes.
		if org != "" {
			notes = append(notes, org)
		}
	}
	if email != nil {
		row[FieldEmail] = strings.TrimSpace(unescape(email.value))
	}
	if phone != nil {
		tel := strings.TrimSpace(phone.value)
		if len(tel) >= 4 && strings.EqualFold(tel[:4], "tel:") {
			tel = tel[4:]
		}
		row[FieldPhone] = tel
	}
	if adr != nil {
		parts := splitStructured(adr.value, ';')
		var street []string
		for _, s := range values(componentRaw(parts, 2)) {
			street = append(street, strings.Split(s, "\n")...)
		}
		for _, extra := range []string{component(parts, 1), component(parts, 0)} { // extended address, post office box
			if extra != "" {
				street = append(street, extra)
			}
		}
		if len(street) > 0 {
			row[FieldLine1] = strings.TrimSpace(street[0])
			var rest []string
			for _, s := range street[1:] {
				if s = strings.TrimSpace(s); s != "" {
					rest = append(rest, s)
				}
			}
			row[FieldLine2] = strings.Join(rest, ", ")
		}
		row[FieldCity], row[FieldRegion], row[FieldPostalCode] = component(parts, 3), component(parts, 4), component(parts, 5)
		row[FieldCountry] = countryCode(component(parts, 6))
	}
	row[FieldNotes] = strings.Join(notes, "\n")
	out := make([]string, len(vcardColumns))
	for i, f := range vcardColumns {
		out[i] = row[f]
	}
	return out
}

// componentRaw is the i-th component, still escaped.
func componentRaw(parts []string, i int) string {
	if i < len(parts) {
		return parts[i]
	}
	return ""
}

// systemCategory reports the labels address books add by themselves (Google's).
func systemCategory(c string) bool {
	switch search.Key(c) {
	case "mycontacts", "my contacts", "starred":
		return true
	}
	return false
}

// countryNames are the names phones write in ADR's country, for the countries a Spanish or
// French shop meets most; anything else is kept as written (and checked by the import).
var countryNames = map[string]string{}

func init() {
	for code, names := range map[string][]string{
		"ES": {"espana", "spain", "espagne", "espanya", "espainia"},
		"FR": {"francia", "france"},
		"PT": {"portugal"},
		"IT": {"italia", "italy", "italie"},
		"DE": {"alemania", "germany", "deutschland", "allemagne"},
		"GB": {"reino unido", "united kingdom", "uk", "royaume uni", "gran bretana", "great britain"},
		"US": {"estados unidos", "united states", "usa", "united states of america", "etats unis"},
		"AD": {"andorra", "andorre"},
		"MX": {"mexico", "mexique"},
		"AR": {"argentina", "argentine"},
		"MA": {"marruecos", "morocco", "maroc"},
		"BE": {"belgica", "belgium", "belgique", "belgie"},
		"NL": {"paises bajos", "holanda", "netherlands", "pays bas", "nederland"},
		"CH": {"suiza", "switzerland", "suisse", "schweiz"},
		"IE": {"irlanda", "ireland", "irlande"},
	} {
		for _, n := range names {
			countryNames[n] = code
		}
	}
}

func countryCode(s string) string {
	if code, ok := countryNames[strings.ReplaceAll(search.Key(s), "-", " ")]; ok {
		return code
	}
	return s
}
