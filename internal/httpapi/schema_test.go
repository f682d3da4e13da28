package httpapi_test

// Checks real answers against the OpenAPI document (internal/httpapi/openapi.json), for every
// test of the package: checkResponse(t, "GET /api/v1/customers/{id}", status, body).
//
// This file finds the operation, the response for the status and the declared headers (that is
// OpenAPI); the schemas themselves are checked by a maintained JSON Schema validator,
// github.com/santhosh-tekuri/jsonschema/v6, for draft 2020-12, the dialect OpenAPI 3.1 uses
// (it passes the JSON Schema test suite). It is used by tests only. A JSON Schema validator
// ignores keywords it does not know, so TestOpenAPIDocumentIsWellFormed fails on any keyword
// outside 2020-12 and OpenAPI's own (schemaKeywords) and on a format nobody checks
// (schemaFormats): a misspelt constraint is never silently ignored.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v6"

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
	// The lookup by card and a customer's account share one pattern in the server (see
	// sharedPatterns in server.go); here too, told apart by the path.
	const byReference, account, shared = "GET /api/v1/customers/by-reference/{reference}", "GET /api/v1/customers/{id}/account", "GET /api/v1/customers/{id}/{leaf}"
	for _, rt := range oaServedRoutes() {
		if rt.Pattern == byReference || rt.Pattern == account {
			continue
		}
		routes.HandleFunc(rt.Pattern, func(http.ResponseWriter, *http.Request) {})
	}
	routes.HandleFunc(shared, func(http.ResponseWriter, *http.Request) {})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, pattern := routes.Handler(r)
		if pattern == shared {
			parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
			switch {
			case len(parts) == 5 && parts[3] == "by-reference":
				pattern = byReference
			case len(parts) == 5 && parts[4] == "account":
				pattern = account
			default:
				pattern = ""
			}
		}
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

// oaDocURL names the document for the validator, so that its "#/components/..." references
// resolve inside it. Nothing is ever fetched from it (.invalid cannot resolve): the document is
// handed over whole, and a reference outside it fails to compile.
const oaDocURL = "https://clientela.invalid/openapi.json"

// openAPISpec is the parsed document, with its schemas compiled on first use.
type openAPISpec struct {
	root map[string]any

	mu       sync.Mutex // guards compiler and compiled (tests run in parallel)
	compiler *jsonschema.Compiler
	compiled map[string]*jsonschema.Schema // by JSON pointer into the document
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
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat() // 2020-12 only annotates formats unless asked; we want uuid, date-time… checked
	c.RegisterFormat(&jsonschema.Format{Name: "int64", Validate: oaInt64})
	if err := c.AddResource(oaDocURL, v); err != nil {
		return nil, fmt.Errorf("openapi.json as a schema resource: %w", err)
	}
	return &openAPISpec{root: root, compiler: c, compiled: map[string]*jsonschema.Schema{}}, nil
}

// oaInt64 is OpenAPI's int64 format: an integer that fits 64 bits signed (the type keyword
// says whether it must be a number at all).
func oaInt64(v any) error {
	n, ok := v.(json.Number)
	if !ok {
		return nil
	}
	if _, err := strconv.ParseInt(n.String(), 10, 64); err != nil {
		return fmt.Errorf("%s is not a 64-bit integer", n)
	}
	return nil
}

// oaDecode decodes exactly one JSON value, numbers kept exact as json.Number (which the
// validator takes as they are).
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

// oaPointerToken escapes one JSON pointer token ("/api/v1/me" → "~1api~1v1~1me").
func oaPointerToken(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// operation returns the operation object for "METHOD /path", and its JSON pointer.
func (d *openAPISpec) operation(pattern string) (map[string]any, string, error) {
	method, path, ok := strings.Cut(pattern, " ")
	if !ok {
		return nil, "", fmt.Errorf("pattern %q is not \"METHOD /path\"", pattern)
	}
	paths, _ := d.root["paths"].(map[string]any)
	item, _ := paths[path].(map[string]any)
	if item == nil {
		return nil, "", fmt.Errorf("path %s is not in the document", path)
	}
	item, ptr, err := d.derefAt(item, "/paths/"+oaPointerToken(path))
	if err != nil {
		return nil, "", err
	}
	m := strings.ToLower(method)
	op, _ := item[m].(map[string]any)
	if op == nil {
		return nil, "", fmt.Errorf("operation %s is not in the document", pattern)
	}
	return op, ptr + "/" + m, nil
}

// response returns the response object the operation documents for status, and its JSON
// pointer.
func (d *openAPISpec) response(pattern string, status int) (map[string]any, string, error) {
	op, opPtr, err := d.operation(pattern)
	if err != nil {
		return nil, "", err
	}
	responses, _ := op["responses"].(map[string]any)
	for _, key := range []string{strconv.Itoa(status), strconv.Itoa(status)[:1] + "XX", "default"} {
		r, ok := responses[key]
		if !ok {
			continue
		}
		m, _ := r.(map[string]any)
		if m == nil {
			return nil, "", fmt.Errorf("response %s of %s is not an object", key, pattern)
		}
		return d.derefAt(m, opPtr+"/responses/"+key)
	}
	documented := make([]string, 0, len(responses))
	for k := range responses {
		documented = append(documented, k)
	}
	sort.Strings(documented)
	return nil, "", fmt.Errorf("status %d is not documented for %s (documented: %s)", status, pattern, strings.Join(documented, ", "))
}

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// validateResponse is checkResponse's check, returning what is wrong.
func validateResponse(d *openAPISpec, pattern string, status int, body []byte) error {
	resp, ptr, err := d.response(pattern, status)
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
		// Documents (the invoice as PDF, the receipt as text): the body must be of that kind.
		switch {
		case content["application/pdf"] != nil:
			if !bytes.HasPrefix(body, []byte("%PDF-")) {
				return fmt.Errorf("status %d of %s: the body is not a PDF", status, pattern)
			}
			return nil
		case content["text/plain"] != nil:
			if len(body) == 0 || !utf8.Valid(body) {
				return fmt.Errorf("status %d of %s: the body is not UTF-8 text", status, pattern)
			}
			return nil
		case content["text/csv"] != nil || content["text/vcard"] != nil || content[xlsxType] != nil:
			// The customers export: text (CSV, vCard; none when nothing matched) or an .xlsx
			// archive.
			if utf8.Valid(body) || content[xlsxType] != nil && bytes.HasPrefix(body, []byte("PK\x03\x04")) {
				return nil
			}
			return fmt.Errorf("status %d of %s: the body is neither UTF-8 text nor an .xlsx file", status, pattern)
		}
		return fmt.Errorf("status %d of %s has no application/json content", status, pattern)
	}
	inst, err := oaDecode(body)
	if err != nil {
		return fmt.Errorf("body: %w", err)
	}
	if _, ok := media["schema"]; !ok {
		return nil
	}
	return d.validateAt(ptr+"/content/application~1json/schema", inst)
}

// validateResponseHeaders checks that each header the document declares for the answer is
// present and matches its schema.
func validateResponseHeaders(d *openAPISpec, pattern string, status int, h http.Header) error {
	resp, ptr, err := d.response(pattern, status)
	if err != nil {
		return err
	}
	headers, _ := resp["headers"].(map[string]any)
	var problems []string
	for name, hv := range headers {
		hm, _ := hv.(map[string]any)
		hm, hptr, err := d.derefAt(hm, ptr+"/headers/"+oaPointerToken(name))
		if err != nil {
			return err
		}
		values := h.Values(name)
		if len(values) == 0 {
			problems = append(problems, "header "+name+" is missing")
			continue
		}
		if _, ok := hm["schema"]; ok {
			if err := d.validateAt(hptr+"/schema", values[0]); err != nil {
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

// schema compiles (once) the schema at ptr, a JSON pointer into the document
// ("/components/schemas/Customer").
func (d *openAPISpec) schema(ptr string) (*jsonschema.Schema, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if s, ok := d.compiled[ptr]; ok {
		return s, nil
	}
	s, err := d.compiler.Compile(oaDocURL + "#" + ptr)
	if err != nil {
		return nil, fmt.Errorf("schema #%s: %w", ptr, err)
	}
	d.compiled[ptr] = s
	return s, nil
}

// validateAt checks inst (decoded by oaDecode) against the schema at ptr; a failure is a
// *jsonschema.ValidationError listing every problem, each where it is in inst.
func (d *openAPISpec) validateAt(ptr string, inst any) error {
	s, err := d.schema(ptr)
	if err != nil {
		return err
	}
	return s.Validate(inst)
}

// schemaProblem is one thing the validator refused: where in the value ("/address/city", ""
// for the whole value) and the keyword that refused it ("required", "format", …).
type schemaProblem struct {
	at, keyword string
}

// schemaProblems lists the innermost problems of a validation error (nil for another error).
func schemaProblems(err error) []schemaProblem {
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return nil
	}
	var out []schemaProblem
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) == 0 {
			at := ""
			for _, tok := range e.InstanceLocation {
				at += "/" + oaPointerToken(tok)
			}
			kw := e.ErrorKind.KeywordPath()
			p := schemaProblem{at: at}
			if len(kw) > 0 {
				p.keyword = kw[len(kw)-1]
			}
			out = append(out, p)
		}
		for _, c := range e.Causes {
			walk(c)
		}
	}
	walk(ve)
	return out
}

// resolve follows a local JSON pointer ("#/components/schemas/Customer") through the
// document: OpenAPI's own references (responses, parameters, headers) and the check that
// every $ref resolves.
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
	m, _, err := d.derefAt(m, "")
	return m, err
}

// derefAt is deref keeping track of where the object is: ptr is m's JSON pointer, and the
// pointer returned is that of the object the chain ends at.
func (d *openAPISpec) derefAt(m map[string]any, ptr string) (map[string]any, string, error) {
	for i := 0; i < 32; i++ {
		ref, ok := m["$ref"].(string)
		if !ok {
			return m, ptr, nil
		}
		target, err := d.resolve(ref)
		if err != nil {
			return nil, "", err
		}
		next, ok := target.(map[string]any)
		if !ok {
			return nil, "", fmt.Errorf("$ref %q is not an object", ref)
		}
		m, ptr = next, strings.TrimPrefix(ref, "#")
	}
	return nil, "", errors.New("$ref chain too long")
}

// schemaKeywords are the keywords a schema of the document may use: JSON Schema 2020-12's
// and those OpenAPI 3.1 adds. The validator ignores any other (as JSON Schema says it must), so
// the document may not use one.
var schemaKeywords = map[string]bool{
	// core
	"$schema": true, "$id": true, "$ref": true, "$anchor": true, "$dynamicRef": true,
	"$dynamicAnchor": true, "$vocabulary": true, "$comment": true, "$defs": true,
	// applicator and unevaluated
	"allOf": true, "anyOf": true, "oneOf": true, "not": true, "if": true, "then": true, "else": true,
	"dependentSchemas": true, "prefixItems": true, "items": true, "contains": true,
	"properties": true, "patternProperties": true, "additionalProperties": true, "propertyNames": true,
	"unevaluatedItems": true, "unevaluatedProperties": true,
	// validation
	"type": true, "enum": true, "const": true, "multipleOf": true, "maximum": true,
	"exclusiveMaximum": true, "minimum": true, "exclusiveMinimum": true, "maxLength": true,
	"minLength": true, "pattern": true, "maxItems": true, "minItems": true, "uniqueItems": true,
	"maxContains": true, "minContains": true, "maxProperties": true, "minProperties": true,
	"required": true, "dependentRequired": true,
	// format, content, meta-data
	"format": true, "contentEncoding": true, "contentMediaType": true, "contentSchema": true,
	"title": true, "description": true, "default": true, "deprecated": true, "readOnly": true,
	"writeOnly": true, "examples": true,
	// OpenAPI 3.1's base vocabulary
	"discriminator": true, "xml": true, "externalDocs": true, "example": true,
}

// schemaFormats are the formats the validator checks: its built-in ones the document uses,
// and int64, registered above. Any other would only be an annotation.
var schemaFormats = map[string]bool{"uuid": true, "date-time": true, "uri-reference": true, "int64": true}
