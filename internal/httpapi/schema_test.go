package httpapi_test

// A small validator of real answers against the OpenAPI document (internal/httpapi/openapi.json),
// for every test of the package: checkResponse(t, "GET /api/v1/customers/{id}", status, body).
// It implements the JSON Schema 2020-12 subset that the document uses; schemaKeywords lists it,
// and TestOpenAPIDocumentIsWellFormed fails if the document starts using anything else, so a
// constraint is never silently ignored.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/clientela/clientela/internal/httpapi"
)

// checkResponse fails t if body (JSON) does not match the schema the document gives for
// this operation and status. pattern is the route pattern as in routes.go ("GET /api/v1/customers/{id}").
// A status the document does not list for the operation fails too.
func checkResponse(t testing.TB, pattern string, status int, body []byte) {
	t.Helper()
	doc, err := servedOpenAPI()
	if err != nil {
		t.Fatalf("openapi.json: %v", err)
		return
	}
	if err := validateResponse(doc, pattern, status, body); err != nil {
		t.Errorf("%s answered %d, which does not match openapi.json: %v\nbody: %s", pattern, status, err, oaTruncate(body))
	}
}

// checkResponseHeaders fails t if a header that the document declares for this operation and
// status (ETag, Location, WWW-Authenticate) is missing or does not match its schema.
func checkResponseHeaders(t testing.TB, pattern string, status int, h http.Header) {
	t.Helper()
	doc, err := servedOpenAPI()
	if err != nil {
		t.Fatalf("openapi.json: %v", err)
		return
	}
	if err := validateResponseHeaders(doc, pattern, status, h); err != nil {
		t.Errorf("%s answered %d with headers that do not match openapi.json: %v", pattern, status, err)
	}
}

// documentedOnly wraps the whole server so that every answer a route gives, in any test of
// the package, is checked against the document as it is served: a status the document does
// not list for the route, or a body or declared header that does not match, fails the test
// that made the request. Requests that hit no route (unknown paths, other methods) pass
// through unchecked; HEAD answers have no body to check.
func documentedOnly(t testing.TB, h http.Handler) http.Handler {
	routes := http.NewServeMux()
	for _, rt := range oaServedRoutes() {
		routes.HandleFunc(rt.Pattern, func(http.ResponseWriter, *http.Request) {})
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, pattern := routes.Handler(r)
		if pattern == "" || r.Method == http.MethodHead {
			h.ServeHTTP(w, r)
			return
		}
		tee := &oaTee{ResponseWriter: w}
		h.ServeHTTP(tee, r)
		if tee.status == 0 {
			tee.status = http.StatusOK
		}
		// The answer is complete only when this handler returns, so the client cannot have
		// moved on (and ended the test) before these checks.
		checkResponse(t, pattern, tee.status, tee.body.Bytes())
		checkResponseHeaders(t, pattern, tee.status, w.Header())
	})
}

// oaTee passes an answer through, keeping its status and body.
type oaTee struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (o *oaTee) WriteHeader(code int) {
	if o.status == 0 {
		o.status = code
	}
	o.ResponseWriter.WriteHeader(code)
}

func (o *oaTee) Write(b []byte) (int, error) {
	if o.status == 0 {
		o.status = http.StatusOK
	}
	o.body.Write(b)
	return o.ResponseWriter.Write(b)
}

func oaTruncate(b []byte) string {
	if len(b) > 2000 {
		return string(b[:2000]) + "…"
	}
	return string(b)
}

// openAPISpec is the parsed document.
type openAPISpec struct {
	root map[string]any

	mu       sync.Mutex
	patterns map[string]*regexp.Regexp
}

var (
	openAPIOnce   sync.Once
	openAPIParsed *openAPISpec
	openAPIErr    error
)

// servedOpenAPI parses the embedded (served) document once per test binary.
func servedOpenAPI() (*openAPISpec, error) {
	openAPIOnce.Do(func() {
		openAPIParsed, openAPIErr = parseOpenAPI(httpapi.OpenAPIDocument())
	})
	return openAPIParsed, openAPIErr
}

func parseOpenAPI(data []byte) (*openAPISpec, error) {
	v, err := oaDecode(data)
	if err != nil {
		return nil, err
	}
	root, ok := v.(map[string]any)
	if !ok {
		return nil, errors.New("the document is not a JSON object")
	}
	return &openAPISpec{root: root, patterns: map[string]*regexp.Regexp{}}, nil
}

// oaDecode decodes exactly one JSON value, numbers kept exact as json.Number.
func oaDecode(data []byte) (any, error) {
	if !utf8.Valid(data) {
		return nil, errors.New("not valid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("not valid JSON: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("not valid JSON: data after the value")
	}
	return v, nil
}

var oaMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// operation returns the operation object for "METHOD /path".
func (d *openAPISpec) operation(pattern string) (map[string]any, error) {
	method, path, ok := strings.Cut(pattern, " ")
	if !ok {
		return nil, fmt.Errorf("pattern %q is not \"METHOD /path\"", pattern)
	}
	paths, _ := d.root["paths"].(map[string]any)
	item, _ := paths[path].(map[string]any)
	if item == nil {
		return nil, fmt.Errorf("path %s is not in the document", path)
	}
	item, err := d.deref(item)
	if err != nil {
		return nil, err
	}
	op, _ := item[strings.ToLower(method)].(map[string]any)
	if op == nil {
		return nil, fmt.Errorf("operation %s is not in the document", pattern)
	}
	return op, nil
}

// response returns the response object the operation documents for status.
func (d *openAPISpec) response(pattern string, status int) (map[string]any, error) {
	op, err := d.operation(pattern)
	if err != nil {
		return nil, err
	}
	responses, _ := op["responses"].(map[string]any)
	code := strconv.Itoa(status)
	r, ok := responses[code]
	if !ok {
		r, ok = responses[code[:1]+"XX"]
	}
	if !ok {
		r, ok = responses["default"]
	}
	if !ok {
		documented := make([]string, 0, len(responses))
		for k := range responses {
			documented = append(documented, k)
		}
		sort.Strings(documented)
		return nil, fmt.Errorf("status %d is not documented for %s (documented: %s)", status, pattern, strings.Join(documented, ", "))
	}
	m, _ := r.(map[string]any)
	if m == nil {
		return nil, fmt.Errorf("response %s of %s is not an object", code, pattern)
	}
	return d.deref(m)
}

// validateResponse is checkResponse's check, returning what is wrong.
func validateResponse(d *openAPISpec, pattern string, status int, body []byte) error {
	resp, err := d.response(pattern, status)
	if err != nil {
		return err
	}
	content, _ := resp["content"].(map[string]any)
	if len(content) == 0 {
		if len(bytes.TrimSpace(body)) != 0 {
			return fmt.Errorf("the document gives no body for status %d, but there is one", status)
		}
		return nil
	}
	media, _ := content["application/json"].(map[string]any)
	if media == nil {
		return fmt.Errorf("status %d of %s has no application/json content", status, pattern)
	}
	inst, err := oaDecode(body)
	if err != nil {
		return fmt.Errorf("body: %w", err)
	}
	schema, ok := media["schema"]
	if !ok {
		return nil
	}
	return d.validate(schema, inst)
}

// validateResponseHeaders checks that each header the document declares for the answer is
// present and matches its schema.
func validateResponseHeaders(d *openAPISpec, pattern string, status int, h http.Header) error {
	resp, err := d.response(pattern, status)
	if err != nil {
		return err
	}
	headers, _ := resp["headers"].(map[string]any)
	var problems []string
	for name, hv := range headers {
		hm, _ := hv.(map[string]any)
		hm, err := d.deref(hm)
		if err != nil {
			return err
		}
		values := h.Values(name)
		if len(values) == 0 {
			problems = append(problems, "header "+name+" is missing")
			continue
		}
		if schema, ok := hm["schema"]; ok {
			if err := d.validate(schema, values[0]); err != nil {
				problems = append(problems, fmt.Sprintf("header %s: %v", name, err))
			}
		}
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		return errors.New(strings.Join(problems, "; "))
	}
	return nil
}

// validate checks inst against schema, returning every problem found.
func (d *openAPISpec) validate(schema, inst any) error {
	v := &schemaValidator{doc: d}
	v.check(schema, inst, "")
	if len(v.errs) == 0 {
		return nil
	}
	if len(v.errs) > 20 {
		v.errs = append(v.errs[:20], fmt.Sprintf("(%d more)", len(v.errs)-20))
	}
	return errors.New(strings.Join(v.errs, "; "))
}

// resolve follows a local JSON pointer ("#/components/schemas/Customer").
func (d *openAPISpec) resolve(ref string) (any, error) {
	if !strings.HasPrefix(ref, "#") {
		return nil, fmt.Errorf("$ref %q: only local references are supported", ref)
	}
	var cur any = d.root
	pointer := strings.TrimPrefix(ref, "#")
	if pointer == "" {
		return cur, nil
	}
	if !strings.HasPrefix(pointer, "/") {
		return nil, fmt.Errorf("$ref %q is not a JSON pointer", ref)
	}
	for _, tok := range strings.Split(pointer[1:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch c := cur.(type) {
		case map[string]any:
			next, ok := c[tok]
			if !ok {
				return nil, fmt.Errorf("$ref %q does not resolve (no %q)", ref, tok)
			}
			cur = next
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(c) {
				return nil, fmt.Errorf("$ref %q does not resolve (no index %q)", ref, tok)
			}
			cur = c[i]
		default:
			return nil, fmt.Errorf("$ref %q does not resolve", ref)
		}
	}
	return cur, nil
}

// deref follows $ref chains of an OpenAPI object (response, parameter, header, path item).
func (d *openAPISpec) deref(m map[string]any) (map[string]any, error) {
	for i := 0; i < 32; i++ {
		ref, ok := m["$ref"].(string)
		if !ok {
			return m, nil
		}
		target, err := d.resolve(ref)
		if err != nil {
			return nil, err
		}
		next, ok := target.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("$ref %q is not an object", ref)
		}
		m = next
	}
	return nil, errors.New("$ref chain too long")
}

func (d *openAPISpec) pattern(p string) (*regexp.Regexp, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if re, ok := d.patterns[p]; ok {
		return re, nil
	}
	re, err := regexp.Compile(p)
	if err != nil {
		return nil, err
	}
	d.patterns[p] = re
	return re, nil
}

// schemaKeywords are the JSON Schema keywords the validator understands: assertions it
// checks and annotations it may ignore. Anything else in the document is an error.
var schemaKeywords = map[string]bool{
	// assertions
	"$ref": true, "type": true, "enum": true, "const": true,
	"properties": true, "required": true, "additionalProperties": true,
	"items": true, "minItems": true, "maxItems": true,
	"minLength": true, "maxLength": true, "pattern": true, "format": true,
	"minimum": true, "maximum": true, "exclusiveMinimum": true, "exclusiveMaximum": true,
	"allOf": true, "anyOf": true, "oneOf": true,
	// annotations
	"description": true, "title": true, "default": true, "example": true, "examples": true,
	"readOnly": true, "writeOnly": true, "deprecated": true, "$comment": true,
}

// schemaFormats are the formats checked; uri-reference is only used on headers and accepted
// as it comes.
var schemaFormats = map[string]bool{"uuid": true, "date-time": true, "int64": true, "uri-reference": true}

var oaUUID = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

type schemaValidator struct {
	doc   *openAPISpec
	errs  []string
	depth int
}

func (v *schemaValidator) fail(path, format string, args ...any) {
	if path == "" {
		path = "/"
	}
	v.errs = append(v.errs, path+": "+fmt.Sprintf(format, args...))
}

// matches reports whether inst is valid against schema, without recording problems.
func (v *schemaValidator) matches(schema, inst any, path string) (bool, []string) {
	sub := &schemaValidator{doc: v.doc, depth: v.depth}
	sub.check(schema, inst, path)
	return len(sub.errs) == 0, sub.errs
}

func (v *schemaValidator) check(schemaAny, inst any, path string) {
	if v.depth > 64 {
		v.fail(path, "schema nesting too deep ($ref loop?)")
		return
	}
	v.depth++
	defer func() { v.depth-- }()

	switch s := schemaAny.(type) {
	case bool:
		if !s {
			v.fail(path, "no value is allowed here")
		}
		return
	case map[string]any:
		v.checkObject(s, inst, path)
	default:
		v.fail(path, "schema is not an object")
	}
}

func (v *schemaValidator) checkObject(s map[string]any, inst any, path string) {
	for k := range s {
		if !schemaKeywords[k] && !strings.HasPrefix(k, "x-") {
			v.fail(path, "schema keyword %q is not supported by the test validator", k)
		}
	}
	if ref, ok := s["$ref"].(string); ok {
		target, err := v.doc.resolve(ref)
		if err != nil {
			v.fail(path, "%v", err)
			return
		}
		v.check(target, inst, path)
	}
	if t, ok := s["type"]; ok && !v.checkType(t, inst, path) {
		return // the other keywords would only repeat the problem
	}
	if e, ok := s["enum"].([]any); ok {
		if !slices.ContainsFunc(e, func(x any) bool { return oaJSONEqual(x, inst) }) {
			v.fail(path, "%s is not one of %s", oaShow(inst), oaShow(e))
		}
	}
	if c, ok := s["const"]; ok && !oaJSONEqual(c, inst) {
		v.fail(path, "%s is not %s", oaShow(inst), oaShow(c))
	}
	switch x := inst.(type) {
	case map[string]any:
		v.checkProperties(s, x, path)
	case []any:
		v.checkItems(s, x, path)
	case string:
		v.checkString(s, x, path)
	case json.Number:
		v.checkNumber(s, x, path)
	}
	if all, ok := s["allOf"].([]any); ok {
		for _, sub := range all {
			v.check(sub, inst, path)
		}
	}
	if anyOf, ok := s["anyOf"].([]any); ok {
		var why []string
		matched := false
		for _, sub := range anyOf {
			ok, errs := v.matches(sub, inst, path)
			if ok {
				matched = true
				break
			}
			why = append(why, errs...)
		}
		if !matched {
			v.fail(path, "%s matches none of anyOf (%s)", oaShow(inst), strings.Join(why, "; "))
		}
	}
	if oneOf, ok := s["oneOf"].([]any); ok {
		n := 0
		for _, sub := range oneOf {
			if ok, _ := v.matches(sub, inst, path); ok {
				n++
			}
		}
		if n != 1 {
			v.fail(path, "%s matches %d of oneOf, not exactly one", oaShow(inst), n)
		}
	}
}

func (v *schemaValidator) checkType(t, inst any, path string) bool {
	var types []string
	switch tt := t.(type) {
	case string:
		types = []string{tt}
	case []any:
		for _, x := range tt {
			s, _ := x.(string)
			types = append(types, s)
		}
	default:
		v.fail(path, "schema type is neither a string nor an array")
		return false
	}
	for _, want := range types {
		if oaHasType(want, inst) {
			return true
		}
	}
	v.fail(path, "%s is %s, not %s", oaShow(inst), oaTypeName(inst), strings.Join(types, " or "))
	return false
}

func oaHasType(want string, inst any) bool {
	switch want {
	case "null":
		return inst == nil
	case "boolean":
		_, ok := inst.(bool)
		return ok
	case "string":
		_, ok := inst.(string)
		return ok
	case "object":
		_, ok := inst.(map[string]any)
		return ok
	case "array":
		_, ok := inst.([]any)
		return ok
	case "number":
		_, ok := inst.(json.Number)
		return ok
	case "integer":
		n, ok := inst.(json.Number)
		if !ok {
			return false
		}
		r, ok := oaRat(n)
		return ok && r.IsInt()
	}
	return false
}

func oaTypeName(inst any) string {
	switch x := inst.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case string:
		return "a string"
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	case json.Number:
		if r, ok := oaRat(x); ok && r.IsInt() {
			return "an integer"
		}
		return "a number"
	}
	return fmt.Sprintf("%T", inst)
}

func (v *schemaValidator) checkProperties(s map[string]any, obj map[string]any, path string) {
	props, _ := s["properties"].(map[string]any)
	if req, ok := s["required"].([]any); ok {
		for _, r := range req {
			name, _ := r.(string)
			if _, present := obj[name]; !present {
				v.fail(path, "required member %q is missing", name)
			}
		}
	}
	names := make([]string, 0, len(obj))
	for k := range obj {
		names = append(names, k)
	}
	sort.Strings(names)
	extra, hasExtra := s["additionalProperties"]
	for _, k := range names {
		p := path + "/" + strings.ReplaceAll(strings.ReplaceAll(k, "~", "~0"), "/", "~1")
		if sub, ok := props[k]; ok {
			v.check(sub, obj[k], p)
			continue
		}
		if hasExtra {
			if b, ok := extra.(bool); ok && !b {
				v.fail(path, "member %q is not in the schema (additionalProperties: false)", k)
				continue
			}
			v.check(extra, obj[k], p)
		}
	}
}

func (v *schemaValidator) checkItems(s map[string]any, arr []any, path string) {
	if n, ok := oaInt(s["minItems"]); ok && int64(len(arr)) < n {
		v.fail(path, "%d items, fewer than minItems %d", len(arr), n)
	}
	if n, ok := oaInt(s["maxItems"]); ok && int64(len(arr)) > n {
		v.fail(path, "%d items, more than maxItems %d", len(arr), n)
	}
	if items, ok := s["items"]; ok {
		for i, x := range arr {
			v.check(items, x, path+"/"+strconv.Itoa(i))
		}
	}
}

func (v *schemaValidator) checkString(s map[string]any, str string, path string) {
	n := int64(utf8.RuneCountInString(str))
	if m, ok := oaInt(s["maxLength"]); ok && n > m {
		v.fail(path, "%d characters, more than maxLength %d", n, m)
	}
	if m, ok := oaInt(s["minLength"]); ok && n < m {
		v.fail(path, "%d characters, fewer than minLength %d", n, m)
	}
	if p, ok := s["pattern"].(string); ok {
		re, err := v.doc.pattern(p)
		if err != nil {
			v.fail(path, "pattern %q does not compile: %v", p, err)
		} else if !re.MatchString(str) {
			v.fail(path, "%s does not match pattern %s", oaShow(str), p)
		}
	}
	switch f, _ := s["format"].(string); f {
	case "uuid":
		if !oaUUID.MatchString(str) {
			v.fail(path, "%s is not a UUID", oaShow(str))
		}
	case "date-time":
		if _, err := time.Parse(time.RFC3339Nano, str); err != nil || !strings.ContainsAny(str, "Tt") {
			v.fail(path, "%s is not an RFC 3339 date-time", oaShow(str))
		}
	}
}

func (v *schemaValidator) checkNumber(s map[string]any, n json.Number, path string) {
	r, ok := oaRat(n)
	if !ok {
		v.fail(path, "%s is not a number", n)
		return
	}
	if f, _ := s["format"].(string); f == "int64" {
		if _, err := strconv.ParseInt(n.String(), 10, 64); err != nil {
			v.fail(path, "%s is not a 64-bit integer", n)
		}
	}
	bound := func(key string, bad func(c int) bool, what string) {
		if b, ok := s[key].(json.Number); ok {
			br, ok := oaRat(b)
			if !ok {
				v.fail(path, "%s %s is not a number", key, b)
				return
			}
			if bad(r.Cmp(br)) {
				v.fail(path, "%s is %s %s", n, what, b)
			}
		}
	}
	bound("minimum", func(c int) bool { return c < 0 }, "below the minimum")
	bound("maximum", func(c int) bool { return c > 0 }, "above the maximum")
	bound("exclusiveMinimum", func(c int) bool { return c <= 0 }, "not above the exclusive minimum")
	bound("exclusiveMaximum", func(c int) bool { return c >= 0 }, "not below the exclusive maximum")
}

func oaRat(n json.Number) (*big.Rat, bool) {
	return new(big.Rat).SetString(n.String())
}

func oaInt(x any) (int64, bool) {
	n, ok := x.(json.Number)
	if !ok {
		return 0, false
	}
	i, err := n.Int64()
	return i, err == nil
}

// oaJSONEqual compares two decoded JSON values, numbers by value.
func oaJSONEqual(a, b any) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case string:
		y, ok := b.(string)
		return ok && x == y
	case json.Number:
		y, ok := b.(json.Number)
		if !ok {
			return false
		}
		rx, okx := oaRat(x)
		ry, oky := oaRat(y)
		return okx && oky && rx.Cmp(ry) == 0
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !oaJSONEqual(x[i], y[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, xv := range x {
			yv, ok := y[k]
			if !ok || !oaJSONEqual(xv, yv) {
				return false
			}
		}
		return true
	}
	return false
}

func oaShow(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	if len(b) > 80 {
		return string(b[:80]) + "…"
	}
	return string(b)
}
