package httpapi

import (
	"encoding/json"
	"unicode/utf8"

	"github.com/clientela/clientela/internal/domain"
)

// FieldDuplicateKey names a member given twice in one JSON object.
const FieldDuplicateKey = "duplicate_key"

// maxStrictProblems bounds the field errors strictJSON reports: a 1 MiB body could otherwise
// ask for an answer as large.
const maxStrictProblems = 20

// strictJSON finds what encoding/json lets through silently in a valid JSON text: a member
// name given twice in one object, at any depth (the last one would win, so a client and the
// server could read different values), and a \u escape of a lone UTF-16 surrogate such as
// "\ud800" (it would become U+FFFD, where raw invalid UTF-8 is refused). Each is reported under
// the member's path, as fields are named elsewhere ("address.city"); an element of an array
// under the array's. data must already be valid JSON.
func strictJSON(data []byte) []domain.FieldError {
	s := &jsonScan{data: data}
	s.value(0, "")
	return s.problems
}

type jsonScan struct {
	data     []byte
	problems []domain.FieldError
}

func (s *jsonScan) fail(path, code string) {
	if len(s.problems) < maxStrictProblems {
		s.problems = append(s.problems, domain.FieldError{Field: path, Code: code})
	}
}

// space skips white space from i.
func (s *jsonScan) space(i int) int {
	for i < len(s.data) {
		switch s.data[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// value checks the value that starts at or after i and returns the index after it.
func (s *jsonScan) value(i int, path string) int {
	i = s.space(i)
	switch s.data[i] {
	case '{':
		return s.object(i, path)
	case '[':
		return s.array(i, path)
	case '"':
		end, lone := s.str(i)
		if lone {
			s.fail(path, domain.FieldBadEncoding)
		}
		return end
	}
	// A number, true, false or null.
	for i < len(s.data) {
		switch s.data[i] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			return i
		}
		i++
	}
	return i
}

func (s *jsonScan) object(i int, path string) int {
	i = s.space(i + 1)
	if s.data[i] == '}' {
		return i + 1
	}
	seen := map[string]bool{}
	for {
		end, lone := s.str(i)
		name := memberName(s.data[i:end])
		member := name
		if path != "" {
			member = path + "." + name
		}
		if lone {
			s.fail(member, domain.FieldBadEncoding)
		}
		if seen[name] {
			s.fail(member, FieldDuplicateKey)
		}
		seen[name] = true
		i = s.space(end) + 1 // the colon
		i = s.space(s.value(i, member))
		if s.data[i] == '}' {
			return i + 1
		}
		i = s.space(i + 1) // after the comma
	}
}

func (s *jsonScan) array(i int, path string) int {
	i = s.space(i + 1)
	if s.data[i] == ']' {
		return i + 1
	}
	for {
		i = s.space(s.value(i, path))
		if s.data[i] == ']' {
			return i + 1
		}
		i++ // the comma
	}
}

// str reads the string that starts at i (its opening quote) and returns the index after its
// closing quote, and whether it holds an escaped lone surrogate.
func (s *jsonScan) str(i int) (end int, lone bool) {
	for j := i + 1; j < len(s.data); {
		switch s.data[j] {
		case '"':
			return j + 1, lone
		case '\\':
			if s.data[j+1] != 'u' {
				j += 2
				continue
			}
			r := hex4(s.data[j+2 : j+6])
			j += 6
			switch {
			case r >= 0xD800 && r <= 0xDBFF:
				// A high surrogate must be followed at once by an escaped low one.
				if j+6 <= len(s.data) && s.data[j] == '\\' && s.data[j+1] == 'u' {
					if low := hex4(s.data[j+2 : j+6]); low >= 0xDC00 && low <= 0xDFFF {
						j += 6
						continue
					}
				}
				lone = true
			case r >= 0xDC00 && r <= 0xDFFF:
				lone = true
			}
		default:
			j++
		}
	}
	return len(s.data), lone
}

// hex4 reads four hexadecimal digits (valid JSON guarantees them).
func hex4(b []byte) rune {
	var r rune
	for _, c := range b {
		r <<= 4
		switch {
		case c >= '0' && c <= '9':
			r |= rune(c - '0')
		case c >= 'a' && c <= 'f':
			r |= rune(c - 'a' + 10)
		case c >= 'A' && c <= 'F':
			r |= rune(c - 'A' + 10)
		}
	}
	return r
}

// memberName decodes a member name as encoding/json does, so that two spellings of one name
// ("a" and "\u0061") count as the same member, as they would in the decoded object.
func memberName(quoted []byte) string {
	raw := quoted[1 : len(quoted)-1]
	plain := utf8.Valid(raw)
	for _, c := range raw {
		if c == '\\' {
			plain = false
			break
		}
	}
	if plain {
		return string(raw)
	}
	var name string
	if err := json.Unmarshal(quoted, &name); err != nil {
		return string(raw) // cannot happen in valid JSON
	}
	return name
}
