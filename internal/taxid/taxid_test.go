package taxid

import (
	"errors"
	"strings"
	"testing"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"", ""},
		{"12345678Z", "12345678Z"},
		{"12345678z", "12345678Z"},
		{"  12345678 z ", "12345678Z"},
		{"12.345.678-Z", "12345678Z"},
		{"12/345/678/Z", "12345678Z"},
		{"x-2482300-w", "X2482300W"},
		{"\t12345678Z\n", "12345678Z"},
		{"12\u00a0345678Z", "12345678Z"}, // no-break space is white space
		{"ES12345678Z", "12345678Z"},
		{"es b58378431", "B58378431"},
		{"ES-B-58.378.431", "B58378431"},
		// The prefix is kept when the rest is not 9 ASCII alphanumerics.
		{"ES1234567Z", "ES1234567Z"},
		{"ES123456789Z", "ES123456789Z"},
		{"ESÑ2345678Z", "ESÑ2345678Z"},
		{"ES", "ES"},
		// "ES" inside or at the end is not a prefix.
		{"12345678ZES", "12345678ZES"},
		// A 9-character id that happens to start with E is untouched.
		{"E12345678", "E12345678"},
		// Unicode is upper-cased too; invalid UTF-8 becomes U+FFFD.
		{"ñandú", "ÑANDÚ"},
		{"\xff12", "\uFFFD12"},
	}
	for _, tt := range tests {
		if got := Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got := Normalize(Normalize(tt.in)); got != tt.want {
			t.Errorf("Normalize is not idempotent on %q: got %q", tt.in, got)
		}
	}
}

func TestValidateSpanish(t *testing.T) {
	tests := []struct {
		id      string
		want    Kind
		wantErr error
	}{
		// DNI.
		{"12345678Z", DNI, nil},
		{"00000000T", DNI, nil},
		{"00000023T", DNI, nil},
		{"99999999R", DNI, nil},
		{"12345678A", "", ErrControl},
		{"12345678I", "", ErrControl}, // I is never a DNI letter
		{"123456789", "", ErrControl}, // right shape, digit in control position
		{"12345678", "", ErrFormat},
		{"1234567Z", "", ErrFormat},
		{"123456789Z", "", ErrFormat},
		{"12345678z", "", ErrFormat}, // not normalised
		{"1234567AZ", "", ErrFormat},
		{"12345678-", "", ErrFormat},
		// NIE.
		{"X2482300W", NIE, nil},
		{"X0000000T", NIE, nil},
		{"Y1234567X", NIE, nil},
		{"Z1234567R", NIE, nil},
		{"X2482300A", "", ErrControl},
		{"Y2482300W", "", ErrControl},
		{"X248230W", "", ErrFormat},
		{"X24823000W", "", ErrFormat},
		{"XA482300W", "", ErrFormat},
		// Special NIFs K, L, M.
		{"L1111111G", NIFSpecial, nil},
		{"K1111111G", NIFSpecial, nil},
		{"M1111111G", NIFSpecial, nil},
		{"L1111111H", "", ErrControl},
		{"L11111111", "", ErrControl},
		// CIF.
		{"B58378431", CIF, nil},
		{"A13585625", CIF, nil},
		{"Q2826000H", CIF, nil}, // Agencia Estatal de Administración Tributaria
		{"P2807900B", CIF, nil}, // Ayuntamiento de Madrid
		{"C12345674", CIF, nil}, // C accepts either form...
		{"C1234567D", CIF, nil},
		{"G12345674", CIF, nil},
		{"G1234567D", CIF, nil},
		{"A12345674", CIF, nil}, // A, B, E, H take the digit
		{"A1234567D", "", ErrControl},
		{"B1234567D", "", ErrControl},
		{"E1234567D", "", ErrControl},
		{"H1234567D", "", ErrControl},
		{"P1234567D", CIF, nil}, // P, Q, R, S, W, N take the letter
		{"P12345674", "", ErrControl},
		{"Q12345674", "", ErrControl},
		{"R12345674", "", ErrControl},
		{"S12345674", "", ErrControl},
		{"W12345674", "", ErrControl},
		{"N12345674", "", ErrControl},
		{"N1234567D", CIF, nil},
		{"U0012345E", CIF, nil}, // province 00 takes the letter
		{"U00123455", "", ErrControl},
		{"B58378432", "", ErrControl},
		{"B5837843A", "", ErrControl},
		{"B5837843", "", ErrFormat},
		{"I58378431", "", ErrFormat}, // I, O, T... are not organisation letters
		{"O58378431", "", ErrFormat},
		{"T58378431", "", ErrFormat},
		{"B5837843a", "", ErrFormat},
		// Garbage.
		{"", "", ErrFormat},
		{"ES12345678Z", "", ErrFormat}, // not normalised
		{"12.345.678-Z", "", ErrFormat},
		{"ÑÑÑÑ1", "", ErrFormat}, // 9 bytes, but not ASCII
		{"1234567Ñ", "", ErrFormat},
		{"\x00\x00\x00\x00\x00\x00\x00\x00\x00", "", ErrFormat},
		{"ABCDEFGHI", "", ErrFormat},
	}
	for _, tt := range tests {
		got, err := ValidateSpanish(tt.id)
		if got != tt.want || !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
			t.Errorf("ValidateSpanish(%q) = %q, %v; want %q, %v", tt.id, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestValidateSpanishNormalized(t *testing.T) {
	tests := []struct {
		in   string
		want Kind
	}{
		{"12345678z", DNI},
		{"12.345.678-Z", DNI},
		{"ES12345678Z", DNI},
		{"es-x-2482300-w", NIE},
		{" l1111111g ", NIFSpecial},
		{"ES B-58378431", CIF},
		{"a 13 585 625", CIF},
	}
	for _, tt := range tests {
		got, err := ValidateSpanish(Normalize(tt.in))
		if err != nil || got != tt.want {
			t.Errorf("ValidateSpanish(Normalize(%q)) = %q, %v; want %q, nil", tt.in, got, err, tt.want)
		}
	}
}

func TestDNILetter(t *testing.T) {
	const letters = "TRWAGMYFPDXBNJZSQVHLCKE"
	for i := 0; i < 100; i++ {
		if got, want := DNILetter(i), letters[i%23]; got != want {
			t.Errorf("DNILetter(%d) = %c, want %c", i, got, want)
		}
	}
	if got := DNILetter(12345678); got != 'Z' {
		t.Errorf("DNILetter(12345678) = %c, want Z", got)
	}
	// Negative input is reduced, not a panic.
	if got := DNILetter(-1); got != 'E' {
		t.Errorf("DNILetter(-1) = %c, want E", got)
	}
	if got := DNILetter(-23); got != 'T' {
		t.Errorf("DNILetter(-23) = %c, want T", got)
	}
}

func TestCIFControl(t *testing.T) {
	tests := []struct {
		org               byte
		digits            string
		wantDig, wantLett byte
	}{
		{'B', "5837843", '1', 'A'},
		{'A', "1358562", '5', 'E'},
		{'Q', "2826000", '8', 'H'},
		{'P', "2807900", '2', 'B'},
		{'C', "1234567", '4', 'D'},
		{'U', "0012345", '5', 'E'},
		{'A', "0000000", '0', 'J'},
		{'A', "1000000", '8', 'H'}, // 1*2 = 2 → D = 8
		{'A', "9000000", '1', 'A'}, // 9*2 = 18 → 1+8 = 9 → D = 1
		// Not a CIF: zero values.
		{'X', "1234567", 0, 0},
		{'K', "1234567", 0, 0},
		{'A', "123456", 0, 0},
		{'A', "12345678", 0, 0},
		{'A', "12345a7", 0, 0},
		{'A', "", 0, 0},
	}
	for _, tt := range tests {
		d, l := CIFControl(tt.org, tt.digits)
		if d != tt.wantDig || l != tt.wantLett {
			t.Errorf("CIFControl(%c, %q) = %q, %q; want %q, %q", tt.org, tt.digits, d, l, tt.wantDig, tt.wantLett)
		}
	}
}

// TestCIFControlAgainstReference compares CIFControl with a straightforward
// transcription of the rule for every organisation letter and a spread of
// bodies.
func TestCIFControlAgainstReference(t *testing.T) {
	ref := func(digits string) int {
		a, b := 0, 0
		for i, c := range digits {
			d := int(c - '0')
			if (i+1)%2 == 0 {
				a += d
			} else {
				dd := 2 * d
				b += dd/10 + dd%10
			}
		}
		return (10 - (a+b)%10) % 10
	}
	for n := 0; n < 10_000_000; n += 7919 {
		digits := strings.Repeat("0", 7-len(itoa(n))) + itoa(n)
		want := ref(digits)
		for _, org := range []byte("ABCDEFGHJNPQRSUVW") {
			d, l := CIFControl(org, digits)
			if d != byte('0'+want) || l != "JABCDEFGHI"[want] {
				t.Fatalf("CIFControl(%c, %s) = %c, %c; want D=%d", org, digits, d, l, want)
			}
		}
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var buf [20]byte
	i := len(buf)
	for n > 0 {
		i--
		buf[i] = byte('0' + n%10)
		n /= 10
	}
	return string(buf[i:])
}

// TestEveryKindRoundTrip builds ids with the exported helpers and checks that
// exactly the expected control characters validate.
func TestEveryKindRoundTrip(t *testing.T) {
	const alnum = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	bodies := []string{"0000000", "0012345", "1234567", "7654321", "9999999", "5837843"}
	for _, body := range bodies {
		n := atoi(body)
		var cases []struct {
			prefix string
			kind   Kind
			valid  string
		}
		add := func(prefix string, kind Kind, valid string) {
			cases = append(cases, struct {
				prefix string
				kind   Kind
				valid  string
			}{prefix, kind, valid})
		}
		add("0", DNI, string(DNILetter(n)))
		add("4", DNI, string(DNILetter(40_000_000+n)))
		add("X", NIE, string(DNILetter(n)))
		add("Y", NIE, string(DNILetter(10_000_000+n)))
		add("Z", NIE, string(DNILetter(20_000_000+n)))
		for _, p := range "KLM" {
			add(string(p), NIFSpecial, string(DNILetter(n)))
		}
		for _, p := range []byte("ABCDEFGHJNPQRSUVW") {
			d, l := CIFControl(p, body)
			switch {
			case strings.IndexByte("PQRSWN", p) >= 0 || strings.HasPrefix(body, "00"):
				add(string(p), CIF, string(l))
			case strings.IndexByte("ABEH", p) >= 0:
				add(string(p), CIF, string(d))
			default:
				add(string(p), CIF, string([]byte{d, l}))
			}
		}
		for _, c := range cases {
			for i := 0; i < len(alnum); i++ {
				id := c.prefix + body + alnum[i:i+1]
				kind, err := ValidateSpanish(id)
				if strings.IndexByte(c.valid, alnum[i]) >= 0 {
					if err != nil || kind != c.kind {
						t.Errorf("ValidateSpanish(%q) = %q, %v; want %q, nil", id, kind, err, c.kind)
					}
				} else if !errors.Is(err, ErrControl) || kind != "" {
					t.Errorf("ValidateSpanish(%q) = %q, %v; want ErrControl", id, kind, err)
				}
			}
		}
	}
}

func FuzzValidateSpanish(f *testing.F) {
	for _, s := range []string{
		"", "12345678Z", "12.345.678-z", "ES12345678Z", "X2482300W", "y1234567x",
		"L1111111G", "B58378431", "A13585625", "C1234567D", "U0012345E",
		"ES", "ESES1234567", "ñandú", "\xff\xfe", "12345678", "P12345674",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := Normalize(s)
		if nn := Normalize(n); nn != n {
			t.Fatalf("Normalize not idempotent: %q -> %q -> %q", s, n, nn)
		}
		kind, err := ValidateSpanish(n)
		if err != nil {
			if kind != "" {
				t.Fatalf("ValidateSpanish(%q) returned kind %q with error %v", n, kind, err)
			}
			if !errors.Is(err, ErrFormat) && !errors.Is(err, ErrControl) {
				t.Fatalf("ValidateSpanish(%q) returned unexpected error %v", n, err)
			}
			return
		}
		if len(n) != 9 {
			t.Fatalf("valid id %q has length %d", n, len(n))
		}
		for i := 0; i < len(n); i++ {
			if c := n[i]; !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z') {
				t.Fatalf("valid id %q has non upper-case alphanumeric byte %q", n, c)
			}
		}
		switch first := n[0]; {
		case first >= '0' && first <= '9':
			if kind != DNI {
				t.Fatalf("%q: kind %q, want dni", n, kind)
			}
		case strings.IndexByte("XYZ", first) >= 0:
			if kind != NIE {
				t.Fatalf("%q: kind %q, want nie", n, kind)
			}
		case strings.IndexByte("KLM", first) >= 0:
			if kind != NIFSpecial {
				t.Fatalf("%q: kind %q, want nif_klm", n, kind)
			}
		default:
			if kind != CIF {
				t.Fatalf("%q: kind %q, want cif", n, kind)
			}
		}
		// Any other control character must fail: with ErrControl when it is
		// an upper-case ASCII letter or digit, ErrFormat otherwise. The one
		// exception is a CIF whose type accepts either form of the control,
		// where exactly one other character (the other form) is also valid.
		last := n[8]
		alsoValid := 0
		for c := 0; c < 256; c++ {
			if byte(c) == last {
				continue
			}
			m := n[:8] + string([]byte{byte(c)})
			k, err := ValidateSpanish(m)
			if err == nil {
				if kind != CIF || k != CIF {
					t.Fatalf("%q valid and so is %q", n, m)
				}
				alsoValid++
				continue
			}
			alnum := c >= '0' && c <= '9' || c >= 'A' && c <= 'Z'
			if alnum && !errors.Is(err, ErrControl) {
				t.Fatalf("%q valid but %q gives %v, want ErrControl", n, m, err)
			}
			if !alnum && !errors.Is(err, ErrFormat) {
				t.Fatalf("%q valid but %q gives %v, want ErrFormat", n, m, err)
			}
		}
		if kind == CIF {
			want := 0
			if cifForm(n[0], n[1:8]) == formEither {
				want = 1
			}
			if alsoValid != want {
				t.Fatalf("CIF %q: %d other control characters valid, want %d", n, alsoValid, want)
			}
		}
	})
}
