package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/clientela/clientela/internal/domain"
)

// MaxBodyBytes bounds every request body.
const MaxBodyBytes = 1 << 20

// requestError is a malformed request: bad JSON, an unknown field, a wrong type. It is told
// apart from a validation error (422) because nothing about the data was even read.
type requestError struct {
	status int
	code   string
	fields []domain.FieldError
	params map[string]any
}

func (e *requestError) Error() string { return e.code }

func badField(field, code string, params map[string]any) *requestError {
	return &requestError{status: http.StatusBadRequest, code: "invalid_request",
		fields: []domain.FieldError{{Field: field, Code: code, Params: params}}}
}

// readObject reads a JSON object body of at most MaxBodyBytes into its raw members. A member
// given twice, at any depth, and an escaped lone surrogate are refused (see strictJSON).
func readObject(w http.ResponseWriter, r *http.Request) (object, error) {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		// JSON is UTF-8 (RFC 8259 §8.1): no charset means UTF-8, any other charset is refused
		// rather than read as UTF-8.
		mt, params, err := mime.ParseMediaType(ct)
		charset, hasCharset := params["charset"]
		if err != nil || (mt != "application/json" && mt != "application/merge-patch+json") ||
			(hasCharset && !strings.EqualFold(charset, "utf-8")) {
			return nil, &requestError{status: http.StatusUnsupportedMediaType, code: "unsupported_media"}
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return nil, &requestError{status: http.StatusRequestEntityTooLarge, code: "body_too_large", params: map[string]any{"max": MaxBodyBytes}}
	}
	if err != nil {
		return nil, badField("", "invalid_json", nil)
	}
	obj, err := parseObject(body, "")
	if err != nil {
		return nil, err
	}
	if problems := strictJSON(body); len(problems) > 0 {
		return nil, &requestError{status: http.StatusBadRequest, code: "invalid_request", fields: problems}
	}
	return obj, nil
}

// object is a JSON object's members, still raw, so that each one is decoded on its own and
// an error can name its field.
type object map[string]json.RawMessage

func parseObject(data []byte, prefix string) (object, error) {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		if len(trimmed) > 0 && !json.Valid(trimmed) {
			return nil, badField(prefix, "invalid_json", nil)
		}
		return nil, badField(prefix, "not_object", nil)
	}
	var o object
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	if err := dec.Decode(&o); err != nil {
		return nil, badField(prefix, "invalid_json", nil)
	}
	// Only white space may follow the object. (dec.More would take a stray "}" or "]" for
	// the end of an enclosing value and let `{"a":1}}` through.)
	if len(bytes.TrimSpace(trimmed[dec.InputOffset():])) > 0 {
		return nil, badField(prefix, "invalid_json", nil)
	}
	return o, nil
}

// fieldReader decodes members of an object, remembering the first problem of each field.
type fieldReader struct {
	obj      object
	prefix   string
	problems []domain.FieldError
	seen     map[string]bool
}

func newFieldReader(obj object, prefix string) *fieldReader {
	return &fieldReader{obj: obj, prefix: prefix, seen: map[string]bool{}}
}

func (f *fieldReader) fail(name, code string, params map[string]any) {
	f.problems = append(f.problems, domain.FieldError{Field: f.prefix + name, Code: code, Params: params})
}

// raw returns a member and whether it was present; null counts as present.
func (f *fieldReader) raw(name string) (json.RawMessage, bool) {
	f.seen[name] = true
	v, ok := f.obj[name]
	return v, ok
}

func isNull(v json.RawMessage) bool { return string(bytes.TrimSpace(v)) == "null" }

// str reads a string member; null sets the empty string.
func (f *fieldReader) str(name string) domain.Opt[string] {
	v, ok := f.raw(name)
	if !ok {
		return domain.Opt[string]{}
	}
	if isNull(v) {
		return domain.Some("")
	}
	if !utf8.Valid(v) {
		f.fail(name, domain.FieldBadEncoding, nil)
		return domain.Opt[string]{}
	}
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		f.fail(name, domain.FieldWrongType, map[string]any{"expected": "string"})
		return domain.Opt[string]{}
	}
	return domain.Some(s)
}

// boolean reads a true/false member; null sets false.
func (f *fieldReader) boolean(name string) domain.Opt[bool] {
	v, ok := f.raw(name)
	if !ok {
		return domain.Opt[bool]{}
	}
	if isNull(v) {
		return domain.Some(false)
	}
	var b bool
	if err := json.Unmarshal(v, &b); err != nil {
		f.fail(name, domain.FieldWrongType, map[string]any{"expected": "boolean"})
		return domain.Opt[bool]{}
	}
	return domain.Some(b)
}

// integer reads a whole-number member (no fraction, no exponent); null sets 0.
func (f *fieldReader) integer(name string) domain.Opt[int64] {
	v, ok := f.raw(name)
	if !ok {
		return domain.Opt[int64]{}
	}
	if isNull(v) {
		return domain.Some(int64(0))
	}
	var n int64
	if err := json.Unmarshal(v, &n); err != nil {
		f.fail(name, domain.FieldWrongType, map[string]any{"expected": "integer"})
		return domain.Opt[int64]{}
	}
	return domain.Some(n)
}

// nested reads a member that is itself an object; null gives an empty object.
func (f *fieldReader) nested(name string) (*fieldReader, bool) {
	v, ok := f.raw(name)
	if !ok {
		return nil, false
	}
	if isNull(v) {
		return newFieldReader(object{}, f.prefix+name+"."), true
	}
	o, err := parseObject(v, f.prefix+name)
	if err != nil {
		f.fail(name, domain.FieldWrongType, map[string]any{"expected": "object"})
		return nil, false
	}
	return newFieldReader(o, f.prefix+name+"."), true
}

// done reports unknown members and returns every problem found as one request error.
func (f *fieldReader) done(children ...*fieldReader) error {
	var unknown []string
	for k := range f.obj {
		if !f.seen[k] {
			unknown = append(unknown, k)
		}
	}
	sort.Strings(unknown)
	for _, k := range unknown {
		name := k
		if !utf8.ValidString(name) {
			name = string(bytes.ToValidUTF8([]byte(name), []byte("?")))
		}
		f.fail(name, domain.FieldUnknown, nil)
	}
	problems := f.problems
	for _, c := range children {
		if c == nil {
			continue
		}
		if err := c.done(); err != nil {
			problems = append(problems, err.(*requestError).fields...)
		}
	}
	if len(problems) == 0 {
		return nil
	}
	return &requestError{status: http.StatusBadRequest, code: "invalid_request", fields: problems}
}
