package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/auth"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/httpapi"
	"github.com/clientela/clientela/internal/i18n"
	"github.com/clientela/clientela/internal/server"
	"github.com/clientela/clientela/internal/testdb"
)

var oaRoles = []domain.Role{domain.RoleAdmin, domain.RoleManager, domain.RoleCashier}

func mustOpenAPI(t testing.TB) *openAPISpec {
	t.Helper()
	d, err := servedOpenAPI()
	if err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	return d
}

// oaServedRoutes is the route table as the server registers it.
func oaServedRoutes() []httpapi.RouteInfo {
	// New only builds the mux here; no request is served, so the nil *app.App is never used.
	return httpapi.New(nil, i18n.New(), slog.New(slog.DiscardHandler)).Routes()
}

// oaOperations lists "METHOD /path" for every operation of the document.
func oaOperations(t testing.TB, d *openAPISpec) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	paths, ok := d.root["paths"].(map[string]any)
	if !ok {
		t.Fatal("the document has no paths object")
	}
	for path, itemAny := range paths {
		item, ok := itemAny.(map[string]any)
		if !ok {
			t.Errorf("path item %s is not an object", path)
			continue
		}
		for _, m := range oaMethods {
			if op, ok := item[m].(map[string]any); ok {
				out[strings.ToUpper(m)+" "+path] = op
			}
		}
	}
	return out
}

func TestOpenAPIRoutesMatchServedRoutes(t *testing.T) {
	d := mustOpenAPI(t)
	served := map[string]bool{}
	for _, rt := range oaServedRoutes() {
		method, path, ok := strings.Cut(rt.Pattern, " ")
		if !ok || method == "" || !strings.HasPrefix(path, "/") {
			t.Errorf("route %q has no method; every API route should name one", rt.Pattern)
		}
		served[rt.Pattern] = true
	}
	documented := oaOperations(t, d)
	if len(served) == 0 || len(documented) == 0 {
		t.Fatalf("nothing to compare: %d served routes, %d documented operations", len(served), len(documented))
	}
	var undocumented, notServed []string
	for p := range served {
		if _, ok := documented[p]; !ok {
			undocumented = append(undocumented, p)
		}
	}
	for p := range documented {
		if !served[p] {
			notServed = append(notServed, p)
		}
	}
	sort.Strings(undocumented)
	sort.Strings(notServed)
	if len(undocumented) > 0 {
		t.Errorf("served but not in openapi.json:\n  %s", strings.Join(undocumented, "\n  "))
	}
	if len(notServed) > 0 {
		t.Errorf("in openapi.json but not served:\n  %s", strings.Join(notServed, "\n  "))
	}
}

// TestOpenAPIRolesMatchPermissions checks each operation's x-roles against domain.Role.Can for
// the permission its route needs, and that 403 is documented exactly where a role is refused.
func TestOpenAPIRolesMatchPermissions(t *testing.T) {
	d := mustOpenAPI(t)
	documented := oaOperations(t, d)
	for _, rt := range oaServedRoutes() {
		op, ok := documented[rt.Pattern]
		if !ok {
			continue // reported by TestOpenAPIRoutesMatchServedRoutes
		}
		var want []string
		for _, r := range oaRoles {
			if rt.Permission == "" || r.Can(rt.Permission) {
				want = append(want, string(r))
			}
		}
		var got []string
		xr, ok := op["x-roles"].([]any)
		if !ok {
			t.Errorf("%s: no x-roles array", rt.Pattern)
		}
		for _, r := range xr {
			s, _ := r.(string)
			got = append(got, s)
		}
		sort.Strings(want)
		sort.Strings(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s (permission %q): x-roles %v, but the roles that may call it are %v", rt.Pattern, rt.Permission, got, want)
		}
		desc, _ := op["description"].(string)
		for _, r := range want {
			if !strings.Contains(desc, string(r)) {
				t.Errorf("%s: the description does not name the role %s", rt.Pattern, r)
			}
		}
		responses, _ := op["responses"].(map[string]any)
		_, has403 := responses["403"]
		// x-forbidden-when: a route every role may call refuses some of them one option
		// (a cashier's override of the credit limit); it says which, and documents 403.
		_, conditional := op["x-forbidden-when"].(string)
		if refused := len(want) < len(oaRoles) || conditional; refused != has403 {
			t.Errorf("%s: roles %v; 403 documented: %v", rt.Pattern, want, has403)
		}
	}
}

var oaPathParamRE = regexp.MustCompile(`\{([^{}]+)\}`)

func TestOpenAPIDocumentIsWellFormed(t *testing.T) {
	d := mustOpenAPI(t)
	if v := d.root["openapi"]; v != "3.1.0" {
		t.Errorf("openapi is %v, want 3.1.0", v)
	}
	if info, ok := d.root["info"].(map[string]any); !ok || info["title"] == nil || info["version"] == nil {
		t.Error("info.title and info.version are required")
	}

	// Every $ref resolves.
	oaWalk(d.root, "#", func(path string, m map[string]any) {
		if ref, ok := m["$ref"].(string); ok {
			if _, err := d.resolve(ref); err != nil {
				t.Errorf("%s: %v", path, err)
			}
		}
	})

	components, _ := d.root["components"].(map[string]any)
	schemes, _ := components["securitySchemes"].(map[string]any)
	bearer, _ := schemes["bearerAuth"].(map[string]any)
	if bearer["type"] != "http" || bearer["scheme"] != "bearer" {
		t.Errorf("components.securitySchemes.bearerAuth should be an http bearer scheme, is %v", bearer)
	}
	globalSecurity, _ := d.root["security"].([]any)

	opIDs := map[string]string{}
	paths, _ := d.root["paths"].(map[string]any)
	for path, itemAny := range paths {
		item, _ := itemAny.(map[string]any)
		if !strings.HasPrefix(path, "/api/v1/") {
			t.Errorf("path %s is not under /api/v1/", path)
		}
		inTemplate := map[string]bool{}
		for _, m := range oaPathParamRE.FindAllStringSubmatch(path, -1) {
			inTemplate[m[1]] = true
		}
		pathLevel := oaParameters(t, d, item["parameters"])
		for _, method := range oaMethods {
			op, ok := item[method].(map[string]any)
			if !ok {
				continue
			}
			name := strings.ToUpper(method) + " " + path
			id, _ := op["operationId"].(string)
			switch {
			case id == "":
				t.Errorf("%s: no operationId", name)
			case opIDs[id] != "":
				t.Errorf("%s: operationId %q is also used by %s", name, id, opIDs[id])
			default:
				opIDs[id] = name
			}
			for _, key := range []string{"summary", "description"} {
				if s, _ := op[key].(string); strings.TrimSpace(s) == "" {
					t.Errorf("%s: no %s", name, key)
				}
			}

			// Security: every route needs the bearer token, with no anonymous alternative.
			security := globalSecurity
			if s, ok := op["security"].([]any); ok {
				security = s
			}
			if len(security) == 0 {
				t.Errorf("%s: no security requirement (every route needs a token)", name)
			}
			for _, reqAny := range security {
				req, _ := reqAny.(map[string]any)
				if len(req) == 0 {
					t.Errorf("%s: an empty security requirement makes the token optional", name)
				}
				for scheme := range req {
					if _, ok := schemes[scheme]; !ok {
						t.Errorf("%s: security scheme %q is not in components.securitySchemes", name, scheme)
					}
				}
			}

			// Path parameters: each {name} of the template declared, nothing else declared.
			declared := oaParameters(t, d, op["parameters"])
			for k, p := range pathLevel {
				if _, ok := declared[k]; !ok {
					declared[k] = p
				}
			}
			for pname := range inTemplate {
				p, ok := declared["path:"+pname]
				if !ok {
					t.Errorf("%s: path parameter %q is not declared", name, pname)
					continue
				}
				if p["required"] != true {
					t.Errorf("%s: path parameter %q must be required", name, pname)
				}
			}
			for k := range declared {
				if pname, ok := strings.CutPrefix(k, "path:"); ok && !inTemplate[pname] {
					t.Errorf("%s: path parameter %q is declared but not in the path", name, pname)
				}
			}

			responses, _ := op["responses"].(map[string]any)
			if len(responses) == 0 {
				t.Errorf("%s: no responses", name)
			}
			if _, ok := responses["401"]; !ok {
				t.Errorf("%s: 401 is not documented, but every route needs a token", name)
			}
			success := false
			for status := range responses {
				if strings.HasPrefix(status, "2") {
					success = true
				}
			}
			if !success {
				t.Errorf("%s: no 2xx response", name)
			}
			if method == "patch" {
				if _, ok := declared["header:if-match"]; !ok {
					t.Errorf("%s: If-Match is not declared", name)
				}
				for _, status := range []string{"412", "428"} {
					if _, ok := responses[status]; !ok {
						t.Errorf("%s: %s is not documented", name, status)
					}
				}
			}
			if rb, ok := op["requestBody"].(map[string]any); ok {
				for _, status := range []string{"400", "413", "415"} {
					if _, ok := responses[status]; !ok {
						t.Errorf("%s takes a body but does not document %s", name, status)
					}
				}
				rb, err := d.deref(rb)
				if err != nil {
					t.Errorf("%s: %v", name, err)
				} else if c, _ := rb["content"].(map[string]any); c["application/json"] == nil && c["multipart/form-data"] == nil {
					t.Errorf("%s: the request body has no application/json (nor multipart/form-data, for a file) content", name)
				}
			}
		}
	}

	// Every keyword is JSON Schema 2020-12's or OpenAPI's, and every format is checked: a
	// validator ignores what it does not know, so a misspelt keyword would constrain nothing.
	oaEachSchema(d, func(where string, s map[string]any) {
		for k := range s {
			if !schemaKeywords[k] && !strings.HasPrefix(k, "x-") {
				t.Errorf("%s: keyword %q is neither JSON Schema 2020-12's nor OpenAPI's, so nothing checks it (misspelt?)", where, k)
			}
		}
		if f, ok := s["format"].(string); ok && !schemaFormats[f] {
			t.Errorf("%s: format %q is not checked by the test validator (register it in schema_test.go)", where, f)
		}
		if props, ok := s["properties"].(map[string]any); ok {
			for _, r := range oaSlice(s["required"]) {
				if name, _ := r.(string); props[name] == nil && s["additionalProperties"] == false {
					t.Errorf("%s: required %q is not among the properties", where, name)
				}
			}
		}
	})
	// Every schema compiles: its $refs resolve, its patterns are regular expressions, and it is
	// a valid 2020-12 schema (the validator checks it against the meta-schema).
	oaEachRootSchema(d, func(ptr string) {
		if _, err := d.schema(ptr); err != nil {
			t.Error(err)
		}
	})

	// Response objects are closed, so that an undocumented field fails checkResponse.
	schemas, _ := components["schemas"].(map[string]any)
	for name, sAny := range schemas {
		s, _ := sAny.(map[string]any)
		if s["type"] == "object" && s["additionalProperties"] != false && name != "OpenAPIDocument" {
			t.Errorf("components.schemas.%s: objects should have additionalProperties: false", name)
		}
	}
}

// oaParameters resolves a parameters array into "in:name" (header names lower case).
func oaParameters(t testing.TB, d *openAPISpec, params any) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	for _, pAny := range oaSlice(params) {
		p, _ := pAny.(map[string]any)
		p, err := d.deref(p)
		if err != nil {
			t.Error(err)
			continue
		}
		in, _ := p["in"].(string)
		name, _ := p["name"].(string)
		if in == "header" {
			name = strings.ToLower(name)
		}
		out[in+":"+name] = p
	}
	return out
}

func oaSlice(v any) []any {
	s, _ := v.([]any)
	return s
}

// oaWalk calls fn on every object of v, with its JSON pointer after "#".
func oaWalk(v any, path string, fn func(path string, m map[string]any)) {
	switch x := v.(type) {
	case map[string]any:
		fn(path, x)
		for k, c := range x {
			oaWalk(c, path+"/"+oaPointerToken(k), fn)
		}
	case []any:
		for i, c := range x {
			oaWalk(c, fmt.Sprintf("%s/%d", path, i), fn)
		}
	}
}

// oaEachRootSchema calls fn with the JSON pointer of every schema that is not inside another:
// components.schemas and every "schema" member (parameters, headers, media types).
func oaEachRootSchema(d *openAPISpec, fn func(ptr string)) {
	components, _ := d.root["components"].(map[string]any)
	schemas, _ := components["schemas"].(map[string]any)
	for name := range schemas {
		fn("/components/schemas/" + oaPointerToken(name))
	}
	oaWalk(d.root, "", func(path string, m map[string]any) {
		if strings.HasPrefix(path, "/components/schemas/") {
			return
		}
		if _, ok := m["schema"]; ok {
			fn(path + "/schema")
		}
	})
}

// oaEachSchema calls fn on every schema object of the document, subschemas included.
func oaEachSchema(d *openAPISpec, fn func(where string, s map[string]any)) {
	var visit func(where string, v any)
	visit = func(where string, v any) {
		s, ok := v.(map[string]any)
		if !ok {
			return
		}
		fn(where, s)
		for _, k := range []string{"properties", "patternProperties", "$defs", "dependentSchemas"} {
			if m, ok := s[k].(map[string]any); ok {
				for name, sub := range m {
					visit(where+"/"+k+"/"+oaPointerToken(name), sub)
				}
			}
		}
		for _, k := range []string{"items", "additionalProperties", "not", "if", "then", "else", "contains",
			"propertyNames", "unevaluatedItems", "unevaluatedProperties", "contentSchema"} {
			visit(where+"/"+k, s[k])
		}
		for _, k := range []string{"allOf", "anyOf", "oneOf", "prefixItems"} {
			for i, sub := range oaSlice(s[k]) {
				visit(fmt.Sprintf("%s/%s/%d", where, k, i), sub)
			}
		}
	}
	oaEachRootSchema(d, func(ptr string) {
		v, err := d.resolve("#" + ptr)
		if err == nil {
			visit("#"+ptr, v)
		}
	})
}

// TestOpenAPIExamplesMatchSchemas validates every example of a media type against its
// schema, which keeps the schemas and the examples honest with each other.
func TestOpenAPIExamplesMatchSchemas(t *testing.T) {
	d := mustOpenAPI(t)
	n := 0
	oaWalk(d.root, "#", func(path string, m map[string]any) {
		ex, hasEx := m["example"]
		_, hasSchema := m["schema"]
		if !hasEx || !hasSchema || strings.Contains(path, "/parameters/") {
			return
		}
		n++
		if err := d.validateAt(strings.TrimPrefix(path, "#")+"/schema", ex); err != nil {
			t.Errorf("%s: the example does not match the schema: %v", path, err)
		}
	})
	if n == 0 {
		t.Error("no examples were checked")
	}
}

// oaGoodCustomer is a valid Customer answer.
const oaGoodCustomer = `{
	"id": "0190f5c2-7d3a-7c1e-9b8a-3f2e1d0c9b8a", "kind": "person", "title": null,
	"first_name": "María", "last_name": "Muñoz", "company_name": "", "legal_form": "",
	"display_name": "María Muñoz", "tax_id": "12345678Z", "email": "maria@example.es",
	"phone": "+34612345678",
	"address": {"line1": "", "line2": "", "postal_code": "", "city": "Madrid", "region": "", "country": "ES"},
	"reference": "", "account_number": "", "group_id": null, "notes": "",
	"invoice_by_email": true, "marketing_consent": false, "marketing_consent_at": null,
	"credit_limit_cents": 0, "created_at": "2025-03-01T10:15:00.123456Z",
	"updated_at": "2025-03-01T10:15:00Z", "version": 1
}`

// oaMutate decodes doc, lets fn change it and encodes it again.
func oaMutate(t *testing.T, doc string, fn func(m map[string]any)) []byte {
	t.Helper()
	var m map[string]any
	dec := json.NewDecoder(strings.NewReader(doc))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		t.Fatal(err)
	}
	fn(m)
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestValidateResponse(t *testing.T) {
	d := mustOpenAPI(t)
	const get = "GET /api/v1/customers/{id}"
	same := func(m map[string]any) {}
	// A schema failure names where in the body and the keyword that refused it; the other
	// failures (no such status, not JSON) are this file's own messages.
	type refusal struct{ at, keyword string }
	cases := []struct {
		name    string
		pattern string
		status  int
		body    []byte
		refused *refusal // the body breaks the schema here
		wantErr string   // another failure, with this in its message
	}{
		{"good customer", get, 200, oaMutate(t, oaGoodCustomer, same), nil, ""},
		{"customer with a group and consent", get, 200, oaMutate(t, oaGoodCustomer, func(m map[string]any) {
			m["group_id"] = "0190f5c0-1111-7222-8333-444455556666"
			m["marketing_consent"] = true
			m["marketing_consent_at"] = "2025-03-01T10:15:00Z"
			m["title"] = "mrs"
		}), nil, ""},
		{"missing required field", get, 200, oaMutate(t, oaGoodCustomer, func(m map[string]any) { delete(m, "email") }), &refusal{"", "required"}, ""},
		{"missing nested field", get, 200, oaMutate(t, oaGoodCustomer, func(m map[string]any) {
			delete(m["address"].(map[string]any), "city")
		}), &refusal{"/address", "required"}, ""},
		{"extra field", get, 200, oaMutate(t, oaGoodCustomer, func(m map[string]any) { m["nickname"] = "Mari" }), &refusal{"", "additionalProperties"}, ""},
		{"extra nested field", get, 200, oaMutate(t, oaGoodCustomer, func(m map[string]any) {
			m["address"].(map[string]any)["floor"] = "2"
		}), &refusal{"/address", "additionalProperties"}, ""},
		{"wrong type", get, 200, oaMutate(t, oaGoodCustomer, func(m map[string]any) { m["version"] = "1" }), &refusal{"/version", "type"}, ""},
		{"number with a fraction for an integer", get, 200, oaMutate(t, oaGoodCustomer, func(m map[string]any) { m["credit_limit_cents"] = 1.5 }), &refusal{"/credit_limit_cents", "type"}, ""},
		{"integer beyond 64 bits", get, 200, oaMutate(t, oaGoodCustomer, func(m map[string]any) { m["version"] = json.Number("9223372036854775808") }), &refusal{"/version", "format"}, ""},
		{"null where not nullable", get, 200, oaMutate(t, oaGoodCustomer, func(m map[string]any) { m["email"] = nil }), &refusal{"/email", "type"}, ""},
		{"bad uuid", get, 200, oaMutate(t, oaGoodCustomer, func(m map[string]any) { m["id"] = "42" }), &refusal{"/id", "format"}, ""},
		{"bad date-time", get, 200, oaMutate(t, oaGoodCustomer, func(m map[string]any) { m["created_at"] = "2025-03-01 10:15" }), &refusal{"/created_at", "format"}, ""},
		{"value outside enum", get, 200, oaMutate(t, oaGoodCustomer, func(m map[string]any) { m["kind"] = "robot" }), &refusal{"/kind", "enum"}, ""},
		{"below minimum", get, 200, oaMutate(t, oaGoodCustomer, func(m map[string]any) { m["version"] = 0 }), &refusal{"/version", "minimum"}, ""},
		{"above maximum", get, 200, oaMutate(t, oaGoodCustomer, func(m map[string]any) { m["credit_limit_cents"] = int64(100_000_000_001) }), &refusal{"/credit_limit_cents", "maximum"}, ""},
		{"too long", get, 200, oaMutate(t, oaGoodCustomer, func(m map[string]any) { m["reference"] = strings.Repeat("ñ", 65) }), &refusal{"/reference", "maxLength"}, ""},
		{"pattern", get, 200, oaMutate(t, oaGoodCustomer, func(m map[string]any) { m["phone"] = "612 34 56 78" }), &refusal{"/phone", "pattern"}, ""},
		{"not JSON", get, 200, []byte(`{"id":`), nil, "not valid JSON"},
		{"trailing data", get, 200, append(oaMutate(t, oaGoodCustomer, same), []byte(" {}")...), nil, "data after"},
		{"undocumented status", get, 418, oaMutate(t, oaGoodCustomer, same), nil, "not documented"},
		{"unknown operation", "PUT /api/v1/customers/{id}", 200, oaMutate(t, oaGoodCustomer, same), nil, "not in the document"},
		{"list", "GET /api/v1/customers", 200, []byte(`{"data":[` + oaGoodCustomer + `],"next_cursor":"abc"}`), nil, ""},
		{"list item checked", "GET /api/v1/customers", 200, []byte(`{"data":[{"id":"x"}],"next_cursor":null}`), &refusal{"/data/0", "required"}, ""},
		{"error", get, 404, []byte(`{"error":{"code":"not_found","message":"No se ha encontrado.","fields":[]}}`), nil, ""},
		{"read error", "POST /api/v1/groups/{id}/move-members", 400, []byte(`{"error":{"code":"invalid_request","message":"x","fields":[{"field":"to_group_id","code":"wrong_type","message":"x"}]}}`), nil, ""},
		{"missing member is no read error", "POST /api/v1/groups/{id}/move-members", 400, []byte(`{"error":{"code":"invalid_request","message":"x","fields":[{"field":"to_group_id","code":"required","message":"x"}]}}`), &refusal{"/error/fields/0/code", "enum"}, ""},
		{"error code of another status", get, 404, []byte(`{"error":{"code":"forbidden","message":"x","fields":[]}}`), &refusal{"/error/code", "enum"}, ""},
		{"error without fields", get, 404, []byte(`{"error":{"code":"not_found","message":"x"}}`), &refusal{"/error", "required"}, ""},
		{"field error", "POST /api/v1/customers", 422, []byte(`{"error":{"code":"validation_failed","message":"x","fields":[{"field":"email","code":"invalid","message":"x"}]}}`), nil, ""},
		{"group_not_empty", "DELETE /api/v1/groups/{id}", 409, []byte(`{"error":{"code":"group_not_empty","message":"x","fields":[],"member_count":3}}`), nil, ""},
		{"group_not_empty without count", "DELETE /api/v1/groups/{id}", 409, []byte(`{"error":{"code":"group_not_empty","message":"x","fields":[]}}`), &refusal{"/error", "required"}, ""},
		{"no content", "DELETE /api/v1/groups/{id}", 204, nil, nil, ""},
		{"body where none is documented", "DELETE /api/v1/groups/{id}", 204, []byte(`{}`), nil, "no body"},
		{"role outside enum", "GET /api/v1/me", 200, []byte(`{"user_id":"0190f5c2-7d3a-7c1e-9b8a-3f2e1d0c9b8a","username":"ana","role":"boss"}`), &refusal{"/role", "enum"}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := validateResponse(d, c.pattern, c.status, c.body)
			switch {
			case c.refused == nil && c.wantErr == "":
				if err != nil {
					t.Errorf("want no error, got %v", err)
				}
			case c.refused != nil:
				got := schemaProblems(err)
				if !slices.Contains(got, schemaProblem{at: c.refused.at, keyword: c.refused.keyword}) {
					t.Errorf("want %q refused by %q, got %+v (%v)", c.refused.at, c.refused.keyword, got, err)
				}
			case err == nil || !strings.Contains(err.Error(), c.wantErr):
				t.Errorf("want an error containing %q, got %v", c.wantErr, err)
			}
		})
	}
}

// TestOpenAPIRequestSchemas runs the request schemas' nullable and anyOf members through the
// validator, which the answers do not reach.
func TestOpenAPIRequestSchemas(t *testing.T) {
	d := mustOpenAPI(t)
	const (
		input = "/components/schemas/CustomerInput"
		move  = "/components/schemas/MoveMembersRequest"
	)
	cases := []struct {
		name   string
		schema string // JSON pointer into the document
		inst   string
		ok     bool
	}{
		{"anyOf: uuid", move, `{"to_group_id":"0190f5c0-1111-7222-8333-444455556666"}`, true},
		{"anyOf: empty", move, `{"to_group_id":""}`, true},
		{"anyOf: null", move, `{"to_group_id":null}`, true},
		{"anyOf: none", move, `{"to_group_id":"x"}`, false},
		{"required", move, `{}`, false},
		{"input: address null", input, `{"address":null}`, true},
		{"input: address object", input, `{"address":{"city":"Madrid"}}`, true},
		{"input: address unknown member", input, `{"address":{"town":"Madrid"}}`, false},
		{"input: read-only member ignored", input, `{"version":3,"display_name":null}`, true},
		{"input: null clears", input, `{"email":null,"credit_limit_cents":null,"invoice_by_email":null}`, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			inst, err := oaDecode([]byte(c.inst))
			if err != nil {
				t.Fatal(err)
			}
			err = d.validateAt(c.schema, inst)
			if (err == nil) != c.ok {
				t.Errorf("valid = %v, want %v (error: %v)", err == nil, c.ok, err)
			}
		})
	}
	if err := d.validateAt("/components/schemas/Nope", "x"); err == nil {
		t.Error("a schema that is not in the document compiled")
	}
}

// oaFakeTB records failures instead of failing the test.
type oaFakeTB struct {
	testing.TB
	failed bool
	msgs   []string
}

func (f *oaFakeTB) Helper() {}
func (f *oaFakeTB) Errorf(format string, args ...any) {
	f.failed = true
	f.msgs = append(f.msgs, fmt.Sprintf(format, args...))
}
func (f *oaFakeTB) Fatalf(format string, args ...any) { f.Errorf(format, args...) }

func TestCheckResponseReportsThroughT(t *testing.T) {
	good := &oaFakeTB{TB: t}
	checkResponse(good, "GET /api/v1/customers/{id}", 200, []byte(oaGoodCustomer))
	if good.failed {
		t.Errorf("a good answer failed: %v", good.msgs)
	}
	bad := &oaFakeTB{TB: t}
	checkResponse(bad, "GET /api/v1/customers/{id}", 200, []byte(`{"id":"0190f5c2-7d3a-7c1e-9b8a-3f2e1d0c9b8a"}`))
	if !bad.failed {
		t.Error("an incomplete answer passed")
	}
	h := http.Header{}
	hdr := &oaFakeTB{TB: t}
	checkResponseHeaders(hdr, "GET /api/v1/customers/{id}", 200, h)
	if !hdr.failed {
		t.Error("an answer without ETag passed the header check")
	}
	h.Set("ETag", `"7"`)
	hdr = &oaFakeTB{TB: t}
	checkResponseHeaders(hdr, "GET /api/v1/customers/{id}", 200, h)
	if hdr.failed {
		t.Errorf("an answer with an ETag failed the header check: %v", hdr.msgs)
	}

	// documentedOnly checks every answer of a route, whatever the test asked for.
	teapot := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusTeapot) })
	for _, tc := range []struct {
		method, path string
		fails        bool
	}{
		{"GET", "/api/v1/me", true},            // a route: 418 is not documented
		{"GET", "/api/v1/nothing-here", false}, // no route: nothing to check against
		{"PUT", "/api/v1/customers/x", false},  // no such method on the path
		{"HEAD", "/api/v1/customers/x", false}, // no body to check
	} {
		fake := &oaFakeTB{TB: t}
		documentedOnly(fake, teapot).ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(tc.method, tc.path, nil))
		if fake.failed != tc.fails {
			t.Errorf("documentedOnly on %s %s answering 418: failed %v, want %v (%v)", tc.method, tc.path, fake.failed, tc.fails, fake.msgs)
		}
	}
}

// TestOpenAPIDescribesRealAnswers drives every route of the real handlers on SQLite, through
// success and the usual errors, and checks each answer's body and headers against the document.
func TestOpenAPIDescribesRealAnswers(t *testing.T) {
	db := testdb.Open(t, testdb.Backend{Name: "sqlite"})
	fast := auth.Params{MemoryKiB: 1024, Time: 1, Threads: 1}
	a := app.New(app.Config{Store: db, PasswordParams: &fast})
	h, err := server.Handler(a, i18n.New(), slog.New(slog.DiscardHandler), server.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	tokens := map[domain.Role]string{}
	for _, role := range oaRoles {
		name := "oa-" + string(role)
		if _, err := a.AddUser(ctx, app.System(), name, role, "a long enough password"); err != nil {
			t.Fatalf("add user: %v", err)
		}
		tok, err := a.CreateAPIToken(ctx, app.System(), name, "openapi test")
		if err != nil {
			t.Fatalf("token: %v", err)
		}
		tokens[role] = tok
	}

	// A database that fails every transaction, for the 500 answers.
	broken, err := server.Handler(app.New(app.Config{Store: brokenStore{}, PasswordParams: &fast}), i18n.New(), slog.New(slog.DiscardHandler), server.Options{})
	if err != nil {
		t.Fatal(err)
	}

	succeeded := map[string]bool{}
	provoked := map[string]map[int]bool{} // route pattern → statuses answered here
	type call struct {
		pattern string
		path    string // defaults to the pattern's path
		role    domain.Role
		token   string // instead of role's token
		body    string
		ctype   string // default application/json when there is a body
		header  map[string]string
		handler http.Handler // defaults to the working server
		length  int64        // a Content-Length to declare instead of the body's
		want    int
	}
	do := func(c call) map[string]any {
		t.Helper()
		method, path, _ := strings.Cut(c.pattern, " ")
		if c.path != "" {
			path = c.path
		}
		var body *bytes.Reader
		if c.body != "" {
			body = bytes.NewReader([]byte(c.body))
		} else {
			body = bytes.NewReader(nil)
		}
		r := httptest.NewRequest(method, path, body)
		if c.body != "" {
			ct := c.ctype
			if ct == "" {
				ct = "application/json"
			}
			r.Header.Set("Content-Type", ct)
		}
		if c.role != "" {
			r.Header.Set("Authorization", "Bearer "+tokens[c.role])
		}
		if c.token != "" {
			r.Header.Set("Authorization", "Bearer "+c.token)
		}
		for k, v := range c.header {
			r.Header.Set(k, v)
		}
		if c.length > 0 {
			r.ContentLength = c.length
		}
		w := httptest.NewRecorder()
		handler := c.handler
		if handler == nil {
			handler = h
		}
		handler.ServeHTTP(w, r)
		if w.Code != c.want {
			t.Fatalf("%s %s: status %d, want %d; body %s", method, path, w.Code, c.want, w.Body.Bytes())
		}
		checkResponse(t, c.pattern, w.Code, w.Body.Bytes())
		checkResponseHeaders(t, c.pattern, w.Code, w.Result().Header)
		if w.Code < 300 {
			succeeded[c.pattern] = true
		}
		if provoked[c.pattern] == nil {
			provoked[c.pattern] = map[int]bool{}
		}
		provoked[c.pattern][w.Code] = true
		var m map[string]any
		_ = json.Unmarshal(w.Body.Bytes(), &m)
		return m
	}
	const (
		me        = "GET /api/v1/me"
		doc       = "GET /api/v1/openapi.json"
		listC     = "GET /api/v1/customers"
		createC   = "POST /api/v1/customers"
		byRef     = "GET /api/v1/customers/by-reference/{reference}"
		getC      = "GET /api/v1/customers/{id}"
		patchC    = "PATCH /api/v1/customers/{id}"
		deleteC   = "DELETE /api/v1/customers/{id}"
		listG     = "GET /api/v1/groups"
		createG   = "POST /api/v1/groups"
		getG      = "GET /api/v1/groups/{id}"
		patchG    = "PATCH /api/v1/groups/{id}"
		deleteG   = "DELETE /api/v1/groups/{id}"
		moveG     = "POST /api/v1/groups/{id}/move-members"
		audit     = "GET /api/v1/audit"
		missingID = "0190f5c2-0000-7000-8000-000000000000"
	)

	do(call{pattern: me, role: domain.RoleCashier, want: 200})
	do(call{pattern: me, want: 401})
	do(call{pattern: me, header: map[string]string{"Authorization": "Bearer clt_nope"}, want: 401})
	do(call{pattern: doc, role: domain.RoleCashier, want: 200})

	// Groups.
	g := do(call{pattern: createG, role: domain.RoleManager, body: `{"name":"Mayoristas","discount_basis_points":1000}`, want: 201})
	gid, _ := g["id"].(string)
	g2 := do(call{pattern: createG, role: domain.RoleAdmin, body: `{"name":"Socios","description":"Tarjeta\nanual"}`, want: 201})
	gid2, _ := g2["id"].(string)
	do(call{pattern: createG, role: domain.RoleManager, body: `{"name":"MAYORISTAS"}`, want: 409})
	do(call{pattern: createG, role: domain.RoleCashier, body: `{"name":"X"}`, want: 403})
	do(call{pattern: createG, role: domain.RoleManager, body: `{"name":"X","colour":"red"}`, want: 400})
	do(call{pattern: createG, role: domain.RoleManager, body: `{"name":"X","discount_basis_points":"10"}`, want: 400})
	do(call{pattern: createG, role: domain.RoleManager, body: `{"name":"X","discount_basis_points":10001}`, want: 422})
	do(call{pattern: createG, role: domain.RoleManager, body: `name=X`, ctype: "application/x-www-form-urlencoded", want: 415})
	do(call{pattern: createG, role: domain.RoleManager, body: `{"name":"` + strings.Repeat("x", httpapi.MaxBodyBytes) + `"}`, want: 413})
	do(call{pattern: listG, role: domain.RoleCashier, want: 200})
	do(call{pattern: listG, path: "/api/v1/groups?limit=1", role: domain.RoleCashier, want: 200})
	do(call{pattern: listG, path: "/api/v1/groups?limit=many", role: domain.RoleCashier, want: 400})
	do(call{pattern: listG, path: "/api/v1/groups?limit=0", role: domain.RoleCashier, want: 422})
	do(call{pattern: getG, path: "/api/v1/groups/" + gid, role: domain.RoleCashier, want: 200})
	do(call{pattern: getG, path: "/api/v1/groups/not-an-id", role: domain.RoleCashier, want: 404})
	gpath := "/api/v1/groups/" + gid
	do(call{pattern: patchG, path: gpath, role: domain.RoleManager, body: `{"discount_basis_points":1500}`, want: 428})
	do(call{pattern: patchG, path: gpath, role: domain.RoleManager, body: `{"discount_basis_points":1500}`, header: map[string]string{"If-Match": `"9"`}, want: 412})
	do(call{pattern: patchG, path: gpath, role: domain.RoleManager, body: `{"discount_basis_points":1500,"description":null}`, ctype: "application/merge-patch+json", header: map[string]string{"If-Match": `"1"`}, want: 200})
	do(call{pattern: patchG, path: gpath, role: domain.RoleCashier, body: `{}`, header: map[string]string{"If-Match": `"2"`}, want: 403})
	do(call{pattern: patchG, path: gpath, role: domain.RoleManager, body: `{"name":"socios"}`, header: map[string]string{"If-Match": `"2"`}, want: 409})
	do(call{pattern: patchG, path: gpath, role: domain.RoleManager, body: `{"name":null}`, header: map[string]string{"If-Match": `"2"`}, want: 422})
	do(call{pattern: patchG, path: gpath, role: domain.RoleManager, body: `{"name":7}`, header: map[string]string{"If-Match": `"2"`}, want: 400})
	do(call{pattern: patchG, path: gpath, role: domain.RoleManager, body: `{}`, header: map[string]string{"If-Match": `2`}, want: 400})
	do(call{pattern: patchG, path: gpath, role: domain.RoleManager, body: `name=X`, ctype: "application/x-www-form-urlencoded", header: map[string]string{"If-Match": `"2"`}, want: 415})
	do(call{pattern: patchG, path: gpath, role: domain.RoleManager, body: `{}`, ctype: "application/json; charset=latin1", header: map[string]string{"If-Match": `"2"`}, want: 415})
	do(call{pattern: patchG, path: gpath, role: domain.RoleManager, body: `{"description":"` + strings.Repeat("x", httpapi.MaxBodyBytes) + `"}`, header: map[string]string{"If-Match": `"2"`}, want: 413})
	do(call{pattern: patchG, path: "/api/v1/groups/" + missingID, role: domain.RoleManager, body: `{}`, header: map[string]string{"If-Match": "*"}, want: 404})
	do(call{pattern: patchG, path: gpath, role: domain.RoleManager, body: `{"description":"Al por mayor"}`, header: map[string]string{"If-Match": `"1", "2"`}, want: 200})

	// Customers.
	person := do(call{pattern: createC, role: domain.RoleCashier, body: `{"kind":"person","title":"mrs","first_name":"María","last_name":"Muñoz Pérez",
		"tax_id":"12345678-z","email":"Maria@Example.ES","phone":"612 34 56 78","address":{"line1":"Calle Mayor 1","postal_code":"28013","city":"Madrid","country":"es"},
		"reference":"2000000012345","account_number":"4300001","group_id":"` + gid + `","notes":"Prefiere\tfactura\n","marketing_consent":true,"credit_limit_cents":50000}`, want: 201})
	cid, _ := person["id"].(string)
	do(call{pattern: createC, role: domain.RoleManager, body: `{"kind":"company","company_name":"Ferretería López","legal_form":"S.L.","reference":"2000000012346","group_id":"` + gid + `"}`, want: 201})
	do(call{pattern: createC, role: domain.RoleManager, body: `{"kind":"person","last_name":"Otro","reference":"2000000012345"}`, want: 409})
	do(call{pattern: createC, role: domain.RoleManager, body: `{"first_name":"Sin tipo","email":"no es correo"}`, want: 422})
	do(call{pattern: createC, role: domain.RoleManager, body: `{"kind":"person","last_name":"X","age":3}`, want: 400})
	do(call{pattern: createC, role: domain.RoleManager, body: "{\"kind\":\"person\",\"last_name\":\"\xff\"}", want: 400})
	do(call{pattern: createC, role: domain.RoleManager, body: `{"kind":`, want: 400})
	do(call{pattern: createC, role: domain.RoleManager, body: `[1]`, want: 400})
	do(call{pattern: createC, role: domain.RoleManager, body: `<customer/>`, ctype: "text/xml", want: 415})
	do(call{pattern: createC, role: domain.RoleManager, body: "{\"kind\":\"person\",\"last_name\":\"Mu\xf1oz\"}", ctype: "application/json; charset=latin1", want: 415})
	do(call{pattern: createC, role: domain.RoleManager, body: `{"kind":"person","notes":"` + strings.Repeat("x", httpapi.MaxBodyBytes) + `"}`, want: 413})
	do(call{pattern: listC, role: domain.RoleCashier, want: 200})
	page := do(call{pattern: listC, path: "/api/v1/customers?limit=1", role: domain.RoleCashier, want: 200})
	if next, _ := page["next_cursor"].(string); next == "" {
		t.Error("a page of 1 of 2 customers has no next_cursor")
	} else {
		do(call{pattern: listC, path: "/api/v1/customers?limit=1&cursor=" + next, role: domain.RoleCashier, want: 200})
	}
	do(call{pattern: listC, path: "/api/v1/customers?q=munoz+5678&group_id=" + gid, role: domain.RoleCashier, want: 200})
	do(call{pattern: listC, path: "/api/v1/customers?q=12345678Z", role: domain.RoleCashier, want: 200})
	do(call{pattern: listC, path: "/api/v1/customers?group_id=nope", role: domain.RoleCashier, want: 422})
	do(call{pattern: listC, path: "/api/v1/customers?cursor=nope", role: domain.RoleCashier, want: 422})
	do(call{pattern: listC, path: "/api/v1/customers?limit=201", role: domain.RoleCashier, want: 422})
	do(call{pattern: listC, path: "/api/v1/customers?limit=1.5", role: domain.RoleCashier, want: 400})
	do(call{pattern: listC, role: domain.RoleCashier, header: map[string]string{"Accept-Language": "en"}, want: 200})
	do(call{pattern: byRef, path: "/api/v1/customers/by-reference/2000000012345", role: domain.RoleCashier, want: 200})
	do(call{pattern: byRef, path: "/api/v1/customers/by-reference/nope", role: domain.RoleCashier, want: 404})
	cpath := "/api/v1/customers/" + cid
	do(call{pattern: getC, path: cpath, role: domain.RoleCashier, want: 200})
	do(call{pattern: getC, path: "/api/v1/customers/" + missingID, role: domain.RoleCashier, want: 404})
	do(call{pattern: patchC, path: cpath, role: domain.RoleCashier, body: `{}`, header: map[string]string{"If-Match": `"1"`}, want: 403})
	do(call{pattern: patchC, path: cpath, role: domain.RoleManager, body: `{"phone":null}`, want: 428})
	do(call{pattern: patchC, path: cpath, role: domain.RoleManager, body: `{"phone":null}`, header: map[string]string{"If-Match": `"7"`}, want: 412})
	do(call{pattern: patchC, path: cpath, role: domain.RoleManager, body: `{"phone":null}`, header: map[string]string{"If-Match": `W/"1"`}, want: 412})
	do(call{pattern: patchC, path: cpath, role: domain.RoleManager, body: `{"phone":null}`, header: map[string]string{"If-Match": `1`}, want: 400})
	do(call{pattern: patchC, path: cpath, role: domain.RoleManager, body: `{"reference":"2000000012346"}`, header: map[string]string{"If-Match": `"1"`}, want: 409})
	do(call{pattern: patchC, path: cpath, role: domain.RoleManager, body: `{}`, ctype: "text/plain", header: map[string]string{"If-Match": `"1"`}, want: 415})
	do(call{pattern: patchC, path: cpath, role: domain.RoleManager, body: `{"notes":"` + strings.Repeat("x", httpapi.MaxBodyBytes) + `"}`, header: map[string]string{"If-Match": `"1"`}, want: 413})
	do(call{pattern: patchC, path: cpath, role: domain.RoleManager, body: `{"phone":"12"}`, header: map[string]string{"If-Match": `"1"`}, want: 422})
	do(call{pattern: patchC, path: cpath, role: domain.RoleManager, body: `{"phone":12}`, header: map[string]string{"If-Match": `"1"`}, want: 400})
	do(call{pattern: patchC, path: "/api/v1/customers/" + missingID, role: domain.RoleManager, body: `{}`, header: map[string]string{"If-Match": `"1"`}, want: 404})
	do(call{pattern: patchC, path: cpath, role: domain.RoleManager, body: `{"phone":null,"address":null,"title":null,"group_id":null,"marketing_consent":false,"version":1,"display_name":"ignored"}`,
		ctype: "application/merge-patch+json", header: map[string]string{"If-Match": `"1"`}, want: 200})
	do(call{pattern: patchC, path: cpath, role: domain.RoleManager, body: `{"group_id":"` + gid + `"}`, header: map[string]string{"If-Match": `"2"`}, want: 200})
	do(call{pattern: patchC, path: cpath, role: domain.RoleManager, body: `{"notes":"Cliente desde 2019"}`, header: map[string]string{"If-Match": `"1", W/"3", "3"`}, want: 200})
	do(call{pattern: patchC, path: cpath, role: domain.RoleManager, body: `{"notes":""}`, header: map[string]string{"If-Match": "*"}, want: 200})

	// Moving members, then deleting.
	do(call{pattern: deleteG, path: gpath, role: domain.RoleManager, want: 409})
	do(call{pattern: deleteG, path: gpath, role: domain.RoleCashier, want: 403})
	do(call{pattern: moveG, path: gpath + "/move-members", role: domain.RoleManager, body: `{}`, want: 422})
	do(call{pattern: moveG, path: gpath + "/move-members", role: domain.RoleManager, body: `{"to_group_id":7}`, want: 400})
	do(call{pattern: moveG, path: gpath + "/move-members", role: domain.RoleCashier, body: `{"to_group_id":null}`, want: 403})
	do(call{pattern: moveG, path: gpath + "/move-members", role: domain.RoleManager, body: `{"to_group_id":null}`, ctype: "application/json; charset=utf-16", want: 415})
	do(call{pattern: moveG, path: gpath + "/move-members", role: domain.RoleManager, body: `{"to_group_id":"` + strings.Repeat(" ", httpapi.MaxBodyBytes) + `"}`, want: 413})
	do(call{pattern: moveG, path: gpath + "/move-members", role: domain.RoleManager, body: `{"to_group_id":"` + gid + `"}`, want: 422})
	do(call{pattern: moveG, path: gpath + "/move-members", role: domain.RoleManager, body: `{"to_group_id":"` + missingID + `"}`, want: 422})
	do(call{pattern: moveG, path: "/api/v1/groups/" + missingID + "/move-members", role: domain.RoleManager, body: `{"to_group_id":null}`, want: 404})
	do(call{pattern: moveG, path: gpath + "/move-members", role: domain.RoleManager, body: `{"to_group_id":"` + gid2 + `"}`, want: 200})
	do(call{pattern: moveG, path: "/api/v1/groups/" + gid2 + "/move-members", role: domain.RoleManager, body: `{"to_group_id":null}`, want: 200})
	do(call{pattern: deleteG, path: gpath, role: domain.RoleManager, want: 204})
	do(call{pattern: deleteG, path: gpath, role: domain.RoleManager, want: 404})
	do(call{pattern: deleteC, path: cpath, role: domain.RoleCashier, want: 403})
	do(call{pattern: deleteC, path: cpath, role: domain.RoleManager, want: 204})
	do(call{pattern: deleteC, path: cpath, role: domain.RoleManager, want: 404})

	// The audit log has seen every kind of action by now.
	do(call{pattern: audit, role: domain.RoleAdmin, want: 200})
	do(call{pattern: audit, path: "/api/v1/audit?entity_type=group&limit=2", role: domain.RoleAdmin, want: 200})
	do(call{pattern: audit, path: "/api/v1/audit?entity_type=customer&entity_id=" + cid, role: domain.RoleAdmin, want: 200})
	do(call{pattern: audit, path: "/api/v1/audit?entity_type=user", role: domain.RoleAdmin, want: 200})
	do(call{pattern: audit, path: "/api/v1/audit?entity_type=session", role: domain.RoleAdmin, want: 422})
	do(call{pattern: audit, path: "/api/v1/audit?limit=x", role: domain.RoleAdmin, want: 400})
	do(call{pattern: audit, role: domain.RoleManager, want: 403})

	// The till: the shop, tickets, closing, invoices.
	const (
		getShop     = "GET /api/v1/shop"
		patchShop   = "PATCH /api/v1/shop"
		openT       = "POST /api/v1/tickets"
		listT       = "GET /api/v1/tickets"
		getT        = "GET /api/v1/tickets/{id}"
		discardT    = "DELETE /api/v1/tickets/{id}"
		addLine     = "POST /api/v1/tickets/{id}/lines"
		patchLine   = "PATCH /api/v1/tickets/{id}/lines/{line_id}"
		deleteLine  = "DELETE /api/v1/tickets/{id}/lines/{line_id}"
		attach      = "PUT /api/v1/tickets/{id}/customer"
		detach      = "DELETE /api/v1/tickets/{id}/customer"
		closeT      = "POST /api/v1/tickets/{id}/close"
		listI       = "GET /api/v1/invoices"
		getI        = "GET /api/v1/invoices/{id}"
		pdfI        = "GET /api/v1/invoices/{id}/pdf"
		receiptI    = "GET /api/v1/invoices/{id}/receipt"
		rectify     = "POST /api/v1/invoices/{id}/rectify"
		shopPath    = "/api/v1/shop"
		missingLine = "/lines/" + missingID
	)
	cash := `{"payments":[{"method":"cash","amount_cents":100000}]}`
	do(call{pattern: getShop, role: domain.RoleAdmin, want: 200})
	do(call{pattern: getShop, role: domain.RoleManager, want: 403})
	tk := do(call{pattern: openT, role: domain.RoleCashier, want: 201})
	tid, _ := tk["id"].(string)
	tpath := "/api/v1/tickets/" + tid
	do(call{pattern: listT, role: domain.RoleCashier, want: 200})
	do(call{pattern: getT, path: tpath, role: domain.RoleCashier, want: 200})
	do(call{pattern: getT, path: tpath, role: domain.RoleManager, want: 404})                          // another user's ticket
	do(call{pattern: closeT, path: tpath + "/close", role: domain.RoleCashier, body: cash, want: 422}) // empty
	tk = do(call{pattern: addLine, path: tpath + "/lines", role: domain.RoleCashier, body: `{"label":"Queso","quantity":0.350,"unit_price_cents":1999,"vat_rate_basis_points":1000}`, want: 201})
	lines, _ := tk["lines"].([]any)
	lid, _ := lines[0].(map[string]any)["id"].(string)
	lpath := tpath + "/lines/" + lid
	do(call{pattern: addLine, path: tpath + "/lines", role: domain.RoleCashier, body: `{"label":"Queso","quantity":0.3501,"unit_price_cents":1999,"vat_rate_basis_points":1000}`, want: 422})
	do(call{pattern: addLine, path: tpath + "/lines", role: domain.RoleCashier, body: `{"label":"Queso","quantity":"1","unit_price_cents":1999,"vat_rate_basis_points":1000}`, want: 400})
	do(call{pattern: addLine, path: tpath + "/lines", role: domain.RoleCashier, body: `label=Queso`, ctype: "text/plain", want: 415})
	do(call{pattern: addLine, path: tpath + "/lines", role: domain.RoleCashier, body: `{"label":"` + strings.Repeat("x", httpapi.MaxBodyBytes) + `"}`, want: 413})
	do(call{pattern: addLine, path: "/api/v1/tickets/" + missingID + "/lines", role: domain.RoleCashier, body: `{"label":"Pan","quantity":1,"unit_price_cents":100,"vat_rate_basis_points":400}`, want: 404})
	do(call{pattern: patchLine, path: lpath, role: domain.RoleCashier, body: `{"quantity":2}`, want: 428})
	do(call{pattern: patchLine, path: lpath, role: domain.RoleCashier, body: `{"quantity":2}`, header: map[string]string{"If-Match": `"1"`}, want: 412})
	do(call{pattern: patchLine, path: lpath, role: domain.RoleCashier, body: `{"quantity":2}`, header: map[string]string{"If-Match": `"2"`}, want: 200})
	do(call{pattern: patchLine, path: lpath, role: domain.RoleCashier, body: `{"vat_rate_basis_points":700}`, header: map[string]string{"If-Match": "*"}, want: 422})
	do(call{pattern: patchLine, path: lpath, role: domain.RoleCashier, body: `{"quantity":[]}`, header: map[string]string{"If-Match": "*"}, want: 400})
	do(call{pattern: patchLine, path: lpath, role: domain.RoleCashier, body: `{}`, ctype: "text/plain", header: map[string]string{"If-Match": "*"}, want: 415})
	do(call{pattern: patchLine, path: lpath, role: domain.RoleCashier, body: `{"label":"` + strings.Repeat("x", httpapi.MaxBodyBytes) + `"}`, header: map[string]string{"If-Match": "*"}, want: 413})
	do(call{pattern: patchLine, path: tpath + missingLine, role: domain.RoleCashier, body: `{"quantity":2}`, header: map[string]string{"If-Match": "*"}, want: 404})
	do(call{pattern: attach, path: tpath + "/customer", role: domain.RoleCashier, body: `{"reference":"nope"}`, want: 404})
	do(call{pattern: attach, path: tpath + "/customer", role: domain.RoleCashier, body: `{}`, want: 422})
	do(call{pattern: attach, path: tpath + "/customer", role: domain.RoleCashier, body: `{"reference":5}`, want: 400})
	do(call{pattern: attach, path: tpath + "/customer", role: domain.RoleCashier, body: `x`, ctype: "text/plain", want: 415})
	do(call{pattern: attach, path: tpath + "/customer", role: domain.RoleCashier, body: `{"reference":"` + strings.Repeat("x", httpapi.MaxBodyBytes) + `"}`, want: 413})
	do(call{pattern: attach, path: tpath + "/customer", role: domain.RoleCashier, body: `{"reference":"2000000012346"}`, want: 200})
	do(call{pattern: detach, path: tpath + "/customer", role: domain.RoleCashier, want: 200})
	do(call{pattern: detach, path: "/api/v1/tickets/" + missingID + "/customer", role: domain.RoleCashier, want: 404})
	do(call{pattern: closeT, path: tpath + "/close", role: domain.RoleCashier, body: cash, want: 409}) // the shop is not set up
	do(call{pattern: patchShop, role: domain.RoleAdmin, body: `{"name":"Ultramarinos Pepa"}`, want: 428})
	do(call{pattern: patchShop, role: domain.RoleAdmin, body: `{"name":"Ultramarinos Pepa"}`, header: map[string]string{"If-Match": `"9"`}, want: 412})
	do(call{pattern: patchShop, role: domain.RoleAdmin, body: `{"tax_id":"B58378432"}`, header: map[string]string{"If-Match": `"1"`}, want: 422})
	do(call{pattern: patchShop, role: domain.RoleAdmin, body: `{"vat_rates_basis_points":"21"}`, header: map[string]string{"If-Match": `"1"`}, want: 400})
	do(call{pattern: patchShop, role: domain.RoleAdmin, body: `x`, ctype: "text/plain", header: map[string]string{"If-Match": `"1"`}, want: 415})
	do(call{pattern: patchShop, role: domain.RoleAdmin, body: `{"name":"` + strings.Repeat("x", httpapi.MaxBodyBytes) + `"}`, header: map[string]string{"If-Match": `"1"`}, want: 413})
	do(call{pattern: patchShop, role: domain.RoleManager, body: `{}`, header: map[string]string{"If-Match": `"1"`}, want: 403})
	do(call{pattern: patchShop, path: shopPath, role: domain.RoleAdmin, body: `{"name":"Ultramarinos Pepa","tax_id":"B58378431","address":{"line1":"Calle Mayor 1","city":"Madrid"},"vat_rates_basis_points":[2100,1000,400,0,700]}`,
		header: map[string]string{"If-Match": `"1"`}, want: 200})
	do(call{pattern: closeT, path: tpath + "/close", role: domain.RoleCashier, body: `{"payments":[{"method":"cash","amount_cents":1}]}`, want: 422})
	do(call{pattern: closeT, path: tpath + "/close", role: domain.RoleCashier, body: `{"payments":{}}`, want: 400})
	do(call{pattern: closeT, path: tpath + "/close", role: domain.RoleCashier, body: `x`, ctype: "text/plain", want: 415})
	do(call{pattern: closeT, path: tpath + "/close", role: domain.RoleCashier, body: `{"payments":"` + strings.Repeat("x", httpapi.MaxBodyBytes) + `"}`, want: 413})
	do(call{pattern: closeT, path: "/api/v1/tickets/" + missingID + "/close", role: domain.RoleCashier, body: cash, want: 404})
	do(call{pattern: closeT, path: tpath + "/close", role: domain.RoleCashier, body: `{"payments":[{"method":"cash","amount_cents":100000}],"override_credit_limit":true}`, want: 403})
	inv := do(call{pattern: closeT, path: tpath + "/close", role: domain.RoleCashier, body: cash, header: map[string]string{"Idempotency-Key": "oa-1"}, want: 201})
	do(call{pattern: closeT, path: tpath + "/close", role: domain.RoleCashier, body: cash, header: map[string]string{"Idempotency-Key": "oa-1"}, want: 201})
	tk2 := do(call{pattern: openT, role: domain.RoleCashier, want: 201})
	t2path := "/api/v1/tickets/" + tk2["id"].(string)
	do(call{pattern: addLine, path: t2path + "/lines", role: domain.RoleCashier, body: `{"label":"Pan","quantity":1,"unit_price_cents":100,"vat_rate_basis_points":400}`, want: 201})
	do(call{pattern: closeT, path: t2path + "/close", role: domain.RoleCashier, body: cash, header: map[string]string{"Idempotency-Key": "oa-1"}, want: 409})
	tk2 = do(call{pattern: getT, path: t2path, role: domain.RoleCashier, want: 200})
	l2 := tk2["lines"].([]any)[0].(map[string]any)["id"].(string)
	do(call{pattern: deleteLine, path: t2path + "/lines/" + l2, role: domain.RoleCashier, want: 200})
	do(call{pattern: deleteLine, path: t2path + "/lines/" + l2, role: domain.RoleCashier, want: 404})
	do(call{pattern: discardT, path: t2path, role: domain.RoleCashier, want: 204})
	do(call{pattern: discardT, path: t2path, role: domain.RoleCashier, want: 404})
	iid, _ := inv["id"].(string)
	ipath := "/api/v1/invoices/" + iid
	do(call{pattern: getI, path: ipath, role: domain.RoleCashier, want: 200})
	do(call{pattern: getI, path: "/api/v1/invoices/" + missingID, role: domain.RoleCashier, want: 404})
	do(call{pattern: pdfI, path: ipath + "/pdf", role: domain.RoleCashier, want: 200})
	do(call{pattern: pdfI, path: "/api/v1/invoices/" + missingID + "/pdf", role: domain.RoleCashier, want: 404})
	do(call{pattern: receiptI, path: ipath + "/receipt", role: domain.RoleCashier, want: 200})
	do(call{pattern: receiptI, path: "/api/v1/invoices/" + missingID + "/receipt", role: domain.RoleCashier, want: 404})
	do(call{pattern: listI, path: "/api/v1/invoices?type=F2&q=lopez&from=2020-01-01&limit=1", role: domain.RoleCashier, want: 200})
	do(call{pattern: listI, path: "/api/v1/invoices?limit=x", role: domain.RoleCashier, want: 400})
	if got := do(call{pattern: listI, path: "/api/v1/invoices?rectifies=" + iid, role: domain.RoleCashier, want: 200}); len(got["data"].([]any)) != 0 {
		t.Errorf("rectifying invoices before any return: %v", got["data"])
	}
	do(call{pattern: listI, path: "/api/v1/invoices?rectifies=nope", role: domain.RoleCashier, want: 422})
	do(call{pattern: listI, path: "/api/v1/invoices?from=yesterday", role: domain.RoleCashier, want: 422})
	do(call{pattern: rectify, path: ipath + "/rectify", role: domain.RoleCashier, body: `{}`, want: 403})
	do(call{pattern: rectify, path: ipath + "/rectify", role: domain.RoleManager, body: `{"lines":[{"position":1,"quantity":5}]}`, want: 422})
	do(call{pattern: rectify, path: ipath + "/rectify", role: domain.RoleManager, body: `{"lines":{}}`, want: 400})
	do(call{pattern: rectify, path: ipath + "/rectify", role: domain.RoleManager, body: `x`, ctype: "text/plain", want: 415})
	do(call{pattern: rectify, path: ipath + "/rectify", role: domain.RoleManager, body: `{"refund_method":"` + strings.Repeat("x", httpapi.MaxBodyBytes) + `"}`, want: 413})
	do(call{pattern: rectify, path: "/api/v1/invoices/" + missingID + "/rectify", role: domain.RoleManager, body: `{}`, want: 404})
	do(call{pattern: rectify, path: ipath + "/rectify", role: domain.RoleManager, body: `{"lines":[{"position":1,"quantity":0.1}]}`, want: 201})
	do(call{pattern: rectify, path: ipath + "/rectify", role: domain.RoleManager, body: `{"refund_method":"card"}`, header: map[string]string{"Idempotency-Key": "oa-r"}, want: 201})
	do(call{pattern: rectify, path: ipath + "/rectify", role: domain.RoleManager, body: `{}`, want: 409}) // nothing left
	if got := do(call{pattern: listI, path: "/api/v1/invoices?rectifies=" + iid, role: domain.RoleCashier, want: 200}); len(got["data"].([]any)) != 2 {
		t.Errorf("rectifying invoices after two returns: %d", len(got["data"].([]any)))
	}
	// Customer accounts: a customer who owes, pays, leaves a deposit, is adjusted; and who
	// cannot be deleted until the account is settled.
	const (
		accountG    = "GET /api/v1/customers/{id}/account"
		payA        = "POST /api/v1/customers/{id}/account/payments"
		depositA    = "POST /api/v1/customers/{id}/account/deposits"
		adjustA     = "POST /api/v1/customers/{id}/account/adjustments"
		entryG      = "GET /api/v1/customers/{id}/account/entries/{entry_id}"
		entryR      = "GET /api/v1/customers/{id}/account/entries/{entry_id}/receipt"
		ownerOfDebt = `{"kind":"person","first_name":"Debe","last_name":"Mucho","credit_limit_cents":5000}`
	)
	debtor := do(call{pattern: createC, role: domain.RoleManager, body: ownerOfDebt, want: 201})
	apath := "/api/v1/customers/" + debtor["id"].(string)
	do(call{pattern: adjustA, path: apath + "/account/adjustments", role: domain.RoleManager, body: `{"amount_cents":2500,"reason":"Saldo inicial"}`, want: 201})
	do(call{pattern: adjustA, path: apath + "/account/adjustments", role: domain.RoleCashier, body: `{"amount_cents":1,"reason":"x"}`, want: 403})
	do(call{pattern: adjustA, path: apath + "/account/adjustments", role: domain.RoleManager, body: `{"amount_cents":0,"reason":""}`, want: 422})
	do(call{pattern: adjustA, path: apath + "/account/adjustments", role: domain.RoleManager, body: `{"amount_cents":"1"}`, want: 400})
	do(call{pattern: adjustA, path: apath + "/account/adjustments", role: domain.RoleManager, body: `x`, ctype: "text/plain", want: 415})
	do(call{pattern: adjustA, path: apath + "/account/adjustments", role: domain.RoleManager, body: `{"reason":"` + strings.Repeat("x", httpapi.MaxBodyBytes) + `"}`, want: 413})
	do(call{pattern: adjustA, path: "/api/v1/customers/" + missingID + "/account/adjustments", role: domain.RoleManager, body: `{"amount_cents":1,"reason":"x"}`, want: 404})
	do(call{pattern: adjustA, path: apath + "/account/adjustments", role: domain.RoleManager, body: `{"amount_cents":1,"reason":"x"}`, header: map[string]string{"Idempotency-Key": "oa-adj"}, want: 201})
	do(call{pattern: adjustA, path: apath + "/account/adjustments", role: domain.RoleManager, body: `{"amount_cents":2,"reason":"x"}`, header: map[string]string{"Idempotency-Key": "oa-adj"}, want: 409})
	paid := do(call{pattern: payA, path: apath + "/account/payments", role: domain.RoleCashier, body: `{"amount_cents":1000,"method":"cash"}`, header: map[string]string{"Idempotency-Key": "oa-pay"}, want: 201})
	do(call{pattern: payA, path: apath + "/account/payments", role: domain.RoleCashier, body: `{"amount_cents":1000,"method":"cash"}`, header: map[string]string{"Idempotency-Key": "oa-pay"}, want: 201})
	do(call{pattern: payA, path: apath + "/account/payments", role: domain.RoleCashier, body: `{"amount_cents":999,"method":"cash"}`, header: map[string]string{"Idempotency-Key": "oa-pay"}, want: 409})
	do(call{pattern: payA, path: apath + "/account/payments", role: domain.RoleCashier, body: `{"amount_cents":-5,"method":"cheque"}`, want: 422})
	do(call{pattern: payA, path: apath + "/account/payments", role: domain.RoleCashier, body: `{"amount_cents":5,"method":"cash","note":1}`, want: 400})
	do(call{pattern: payA, path: apath + "/account/payments", role: domain.RoleCashier, body: `x`, ctype: "text/plain", want: 415})
	do(call{pattern: payA, path: apath + "/account/payments", role: domain.RoleCashier, body: `{"method":"` + strings.Repeat("x", httpapi.MaxBodyBytes) + `"}`, want: 413})
	do(call{pattern: payA, path: "/api/v1/customers/" + missingID + "/account/payments", role: domain.RoleCashier, body: `{"amount_cents":5,"method":"card"}`, want: 404})
	do(call{pattern: depositA, path: apath + "/account/deposits", role: domain.RoleCashier, body: `{"amount_cents":3000,"method":"transfer"}`, header: map[string]string{"Idempotency-Key": "oa-dep"}, want: 201})
	do(call{pattern: depositA, path: apath + "/account/deposits", role: domain.RoleCashier, body: `{"amount_cents":3001,"method":"transfer"}`, header: map[string]string{"Idempotency-Key": "oa-dep"}, want: 409})
	do(call{pattern: depositA, path: apath + "/account/deposits", role: domain.RoleCashier, body: `{"amount_cents":0,"method":"cash"}`, want: 422})
	do(call{pattern: depositA, path: apath + "/account/deposits", role: domain.RoleCashier, body: `{"amount_cents":1}`, want: 422})
	do(call{pattern: depositA, path: apath + "/account/deposits", role: domain.RoleCashier, body: `[]`, want: 400})
	do(call{pattern: depositA, path: apath + "/account/deposits", role: domain.RoleCashier, body: `x`, ctype: "text/plain", want: 415})
	do(call{pattern: depositA, path: apath + "/account/deposits", role: domain.RoleCashier, body: `{"method":"` + strings.Repeat("x", httpapi.MaxBodyBytes) + `"}`, want: 413})
	do(call{pattern: depositA, path: "/api/v1/customers/" + missingID + "/account/deposits", role: domain.RoleCashier, body: `{"amount_cents":5,"method":"card"}`, want: 404})
	acct := do(call{pattern: accountG, path: apath + "/account?limit=2", role: domain.RoleCashier, want: 200})
	if acct["balance_cents"] != float64(2500+1-1000-3000) || acct["status"] != "creditor" || acct["next_cursor"] == nil {
		t.Errorf("account after the movements: %v", acct)
	}
	do(call{pattern: accountG, path: apath + "/account?cursor=" + acct["next_cursor"].(string), role: domain.RoleCashier, want: 200})
	do(call{pattern: accountG, path: apath + "/account?limit=x", role: domain.RoleCashier, want: 400})
	do(call{pattern: accountG, path: apath + "/account?cursor=nope", role: domain.RoleCashier, want: 422})
	do(call{pattern: accountG, path: "/api/v1/customers/" + missingID + "/account", role: domain.RoleCashier, want: 404})
	epath := apath + "/account/entries/" + paid["id"].(string)
	do(call{pattern: entryG, path: epath, role: domain.RoleCashier, want: 200})
	do(call{pattern: entryG, path: apath + "/account/entries/" + missingID, role: domain.RoleCashier, want: 404})
	do(call{pattern: entryR, path: epath + "/receipt", role: domain.RoleCashier, want: 200})
	do(call{pattern: entryR, path: apath + "/account/entries/" + missingID + "/receipt", role: domain.RoleCashier, want: 404})
	do(call{pattern: deleteC, path: apath, role: domain.RoleManager, want: 409}) // holds credit

	// Documents by e-mail: an invoice sent (again) to its customer, and a statement.
	const (
		invoiceMails  = "GET /api/v1/invoices/{id}/mail"
		sendInvoice   = "POST /api/v1/invoices/{id}/mail"
		sendStatement = "POST /api/v1/customers/{id}/statement/mail"
	)
	mailer := do(call{pattern: createC, role: domain.RoleManager, body: `{"kind":"person","first_name":"Con","last_name":"Correo","email":"con@example.com","reference":"2000000099998"}`, want: 201})
	mt := do(call{pattern: openT, role: domain.RoleCashier, want: 201})
	mtPath := "/api/v1/tickets/" + mt["id"].(string)
	do(call{pattern: addLine, path: mtPath + "/lines", role: domain.RoleCashier, body: `{"label":"Vino","quantity":1,"unit_price_cents":900,"vat_rate_basis_points":2100}`, want: 201})
	do(call{pattern: attach, path: mtPath + "/customer", role: domain.RoleCashier, body: `{"reference":"2000000099998"}`, want: 200})
	mailed := do(call{pattern: closeT, path: mtPath + "/close", role: domain.RoleCashier, body: `{"payments":[{"method":"card","amount_cents":900}]}`, want: 201})
	mpath := "/api/v1/invoices/" + mailed["id"].(string) + "/mail"
	if got := do(call{pattern: invoiceMails, path: mpath, role: domain.RoleCashier, want: 200}); len(got["data"].([]any)) != 1 {
		t.Errorf("the invoice's mail queued at close: %v", got)
	}
	do(call{pattern: invoiceMails, path: "/api/v1/invoices/" + missingID + "/mail", role: domain.RoleCashier, want: 404})
	do(call{pattern: sendInvoice, path: mpath, role: domain.RoleCashier, want: 202})
	do(call{pattern: sendInvoice, path: ipath + "/mail", role: domain.RoleCashier, want: 422}) // no customer
	do(call{pattern: sendInvoice, path: "/api/v1/invoices/" + missingID + "/mail", role: domain.RoleCashier, want: 404})
	do(call{pattern: sendStatement, path: "/api/v1/customers/" + mailer["id"].(string) + "/statement/mail?from=2026-01-01", role: domain.RoleCashier, want: 202})
	do(call{pattern: sendStatement, path: apath + "/statement/mail", role: domain.RoleCashier, want: 422}) // no e-mail
	do(call{pattern: sendStatement, path: "/api/v1/customers/" + missingID + "/statement/mail", role: domain.RoleCashier, want: 404})
	do(call{pattern: audit, path: "/api/v1/audit?entity_type=invoice", role: domain.RoleAdmin, want: 200})
	do(call{pattern: audit, path: "/api/v1/audit?entity_type=settings", role: domain.RoleAdmin, want: 200})

	// Reports and statements (issue 9): one debtor, one creditor.
	const (
		debtorsR   = "GET /api/v1/reports/debtors"
		creditorsR = "GET /api/v1/reports/creditors"
		statementC = "GET /api/v1/customers/{id}/statement"
	)
	for i, cents := range []int64{12345, -500} {
		c, err := a.CreateCustomer(ctx, app.System(), domain.CustomerChanges{Kind: domain.Some(domain.KindPerson),
			FirstName: domain.Some("Cuenta"), LastName: domain.Some(strconv.Itoa(i))})
		if err != nil {
			t.Fatal(err)
		}
		le := domain.LedgerEntry{ID: fmt.Sprintf("0190f5c2-0000-7000-8000-00000000010%d", i), CustomerID: c.ID, CustomerName: "Cuenta",
			Kind: domain.LedgerAdjustment, AmountCents: cents, Reason: "alta", UserID: "u", Username: "u", CreatedAt: time.Now().UTC().Truncate(time.Microsecond)}
		if err := db.Write(ctx, func(tx app.Tx) error { return tx.PostLedgerEntry(ctx, &le) }); err != nil {
			t.Fatal(err)
		}
		do(call{pattern: statementC, path: "/api/v1/customers/" + c.ID + "/statement", role: domain.RoleCashier, want: 200})
		do(call{pattern: statementC, path: "/api/v1/customers/" + c.ID + "/statement?from=2026-01-02&to=2026-01-01", role: domain.RoleCashier, want: 422})
	}
	do(call{pattern: statementC, path: "/api/v1/customers/" + missingID + "/statement", role: domain.RoleCashier, want: 404})
	for _, pattern := range []string{debtorsR, creditorsR} {
		_, path, _ := strings.Cut(pattern, " ")
		do(call{pattern: pattern, role: domain.RoleManager, want: 200})
		do(call{pattern: pattern, path: path + "?limit=1", role: domain.RoleAdmin, want: 200})
		do(call{pattern: pattern, path: path + "?limit=x", role: domain.RoleManager, want: 400})
		do(call{pattern: pattern, path: path + "?cursor=x", role: domain.RoleManager, want: 422})
		do(call{pattern: pattern, role: domain.RoleCashier, want: 403})
	}

	// The account plan and the accounting export.
	const (
		getPlan   = "GET /api/v1/settings/accounts"
		patchPlan = "PATCH /api/v1/settings/accounts"
		exportA   = "GET /api/v1/exports/accounting"
		planPath  = "/api/v1/settings/accounts"
	)
	do(call{pattern: getPlan, path: planPath, role: domain.RoleAdmin, want: 200})
	do(call{pattern: getPlan, path: planPath, role: domain.RoleManager, want: 403})
	do(call{pattern: patchPlan, path: planPath, role: domain.RoleAdmin, body: `{"cash":{"number":"57000001","label":"Caja tienda"},"sales":[{"rate_basis_points":2100,"number":"70000121","label":"Ventas 21 %"}]}`,
		header: map[string]string{"If-Match": `"0"`}, want: 200})
	do(call{pattern: patchPlan, path: planPath, role: domain.RoleAdmin, body: `{"cash":{"number":"57000002","label":"Caja"}}`, header: map[string]string{"If-Match": `"0"`}, want: 412})
	do(call{pattern: patchPlan, path: planPath, role: domain.RoleAdmin, body: `{"cash":{"number":"57000002","label":"Caja"}}`, want: 428})
	do(call{pattern: patchPlan, path: planPath, role: domain.RoleAdmin, body: `{"account_number_length":10}`, header: map[string]string{"If-Match": "*"}, want: 422})
	do(call{pattern: patchPlan, path: planPath, role: domain.RoleAdmin, body: `{"cash":5}`, header: map[string]string{"If-Match": "*"}, want: 400})
	do(call{pattern: patchPlan, path: planPath, role: domain.RoleAdmin, body: `x`, ctype: "text/plain", header: map[string]string{"If-Match": "*"}, want: 415})
	do(call{pattern: patchPlan, path: planPath, role: domain.RoleAdmin, body: `{"cash":{"label":"` + strings.Repeat("x", httpapi.MaxBodyBytes) + `"}}`, header: map[string]string{"If-Match": "*"}, want: 413})
	do(call{pattern: patchPlan, path: planPath, role: domain.RoleManager, body: `{}`, header: map[string]string{"If-Match": "*"}, want: 403})
	do(call{pattern: exportA, path: "/api/v1/exports/accounting?from=2020-01-01&to=2099-12-31", role: domain.RoleManager, want: 200})
	do(call{pattern: exportA, path: "/api/v1/exports/accounting?from=2020-01-01&to=2099-12-31&format=fec", role: domain.RoleAdmin, want: 200})
	do(call{pattern: exportA, path: "/api/v1/exports/accounting?from=2020-01-01&to=2099-12-31", role: domain.RoleCashier, want: 403})
	do(call{pattern: exportA, path: "/api/v1/exports/accounting?from=yesterday&format=xls", role: domain.RoleManager, want: 422})
	const exportC = "GET /api/v1/exports/customers"
	do(call{pattern: exportC, path: "/api/v1/exports/customers", role: domain.RoleManager, want: 200})
	do(call{pattern: exportC, path: "/api/v1/exports/customers?format=xlsx", role: domain.RoleAdmin, want: 200})
	do(call{pattern: exportC, path: "/api/v1/exports/customers?format=vcf&q=ana", role: domain.RoleManager, want: 200})
	do(call{pattern: exportC, path: "/api/v1/exports/customers", role: domain.RoleCashier, want: 403})
	do(call{pattern: exportC, path: "/api/v1/exports/customers?format=xls", role: domain.RoleManager, want: 422})
	const exportAtCustomers = "GET /api/v1/customers/export" // the same export at the path
	do(call{pattern: exportAtCustomers, path: "/api/v1/customers/export?format=vcf&q=ana", role: domain.RoleManager, want: 200})
	do(call{pattern: exportAtCustomers, path: "/api/v1/customers/export", role: domain.RoleCashier, want: 403})
	do(call{pattern: exportAtCustomers, path: "/api/v1/customers/export?format=xls", role: domain.RoleManager, want: 422})
	// Every export slot taken by exports that wait in their writer: the next one waits its
	// turn (2 s), then is told the server is busy.
	release, started := make(chan struct{}), make(chan struct{}, app.DefaultMaxExports)
	var held sync.WaitGroup
	for range app.DefaultMaxExports {
		held.Add(1)
		go func() {
			defer held.Done()
			_, _ = a.ExportAccounting(ctx, app.System(), app.AccountingQuery{From: "2026-01-01", To: "2026-01-01", Format: "csv"},
				func(string) (io.Writer, error) { started <- struct{}{}; <-release; return io.Discard, nil }, nil)
		}()
	}
	for range app.DefaultMaxExports {
		<-started
	}
	do(call{pattern: exportA, path: "/api/v1/exports/accounting?from=2020-01-01&to=2020-01-02", role: domain.RoleManager, want: 503})
	do(call{pattern: exportC, path: "/api/v1/exports/customers", role: domain.RoleManager, want: 503})
	do(call{pattern: exportAtCustomers, path: "/api/v1/customers/export", role: domain.RoleManager, want: 503})
	close(release)
	held.Wait()
	// E-mail settings (issue 10).
	const (
		getMail   = "GET /api/v1/settings/mail"
		patchMail = "PATCH /api/v1/settings/mail"
	)
	mailSettings := do(call{pattern: getMail, role: domain.RoleAdmin, want: 200})
	if mailSettings["in_force"].(map[string]any)["source"] != "folder" || mailSettings["has_password"] != false {
		t.Errorf("mail settings: %v", mailSettings)
	}
	do(call{pattern: getMail, role: domain.RoleManager, want: 403})
	do(call{pattern: patchMail, role: domain.RoleAdmin, body: `{"host":"smtp.example.com"}`, want: 428})
	do(call{pattern: patchMail, role: domain.RoleAdmin, body: `{"host":"smtp.example.com"}`, header: map[string]string{"If-Match": `"9"`}, want: 412})
	do(call{pattern: patchMail, role: domain.RoleAdmin, body: `{"from_email":"no es una dirección"}`, header: map[string]string{"If-Match": `"0"`}, want: 422})
	do(call{pattern: patchMail, role: domain.RoleAdmin, body: `{"port":"587"}`, header: map[string]string{"If-Match": `"0"`}, want: 400})
	do(call{pattern: patchMail, role: domain.RoleAdmin, body: `x`, ctype: "text/plain", header: map[string]string{"If-Match": `"0"`}, want: 415})
	do(call{pattern: patchMail, role: domain.RoleAdmin, body: `{"host":"` + strings.Repeat("x", httpapi.MaxBodyBytes) + `"}`, header: map[string]string{"If-Match": `"0"`}, want: 413})
	do(call{pattern: patchMail, role: domain.RoleManager, body: `{}`, header: map[string]string{"If-Match": `"0"`}, want: 403})
	mailSettings = do(call{pattern: patchMail, role: domain.RoleAdmin, body: `{"host":"smtp.example.com","username":"tienda","password":"s3creto","tls":"starttls","from_name":"Ultramarinos Pepa","from_email":"hola@pepa.example"}`,
		header: map[string]string{"If-Match": `"0"`}, want: 200})
	if mailSettings["has_password"] != true || mailSettings["port"] != float64(587) || strings.Contains(fmt.Sprint(mailSettings), "s3creto") ||
		mailSettings["in_force"].(map[string]any)["source"] != "settings" {
		t.Errorf("mail settings after the patch: %v", mailSettings)
	}

	// Messages to customers (issue 10).
	const (
		createCamp = "POST /api/v1/campaigns"
		getCamp    = "GET /api/v1/campaigns/{id}"
	)
	reader, err := a.CreateCustomer(ctx, app.System(), domain.CustomerChanges{Kind: domain.Some(domain.KindPerson), FirstName: domain.Some("Lectora"),
		Email: domain.Some("lectora@example.com"), MarketingConsent: domain.Some(true)})
	if err != nil {
		t.Fatal(err)
	}
	campBody := `{"audience":"customer","customer_id":"` + reader.ID + `","subject":"Hola {{.FirstName}}","body":"Su saldo: {{.Balance}}"`
	pv := do(call{pattern: createCamp, role: domain.RoleManager, body: campBody + `,"preview":true}`, want: 200})
	if pv["subject"] != "Hola Lectora" || pv["recipients"] != float64(1) {
		t.Errorf("campaign preview: %v", pv)
	}
	camp := do(call{pattern: createCamp, role: domain.RoleAdmin, body: campBody + `}`, want: 201})
	do(call{pattern: getCamp, path: "/api/v1/campaigns/" + fmt.Sprint(camp["id"]), role: domain.RoleManager, want: 200})
	do(call{pattern: getCamp, path: "/api/v1/campaigns/" + missingID, role: domain.RoleManager, want: 404})
	do(call{pattern: getCamp, path: "/api/v1/campaigns/" + fmt.Sprint(camp["id"]), role: domain.RoleCashier, want: 403})
	do(call{pattern: createCamp, role: domain.RoleCashier, body: campBody + `}`, want: 403})
	do(call{pattern: createCamp, role: domain.RoleManager, body: `{"audience":"customer","customer_id":"` + reader.ID + `","subject":"{{.Nmae}}","body":"x"}`, want: 422})
	do(call{pattern: createCamp, role: domain.RoleManager, body: campBody + `,"preview":"yes"}`, want: 400})
	do(call{pattern: createCamp, role: domain.RoleManager, body: campBody + `,"colour":"red"}`, want: 400})
	do(call{pattern: createCamp, role: domain.RoleManager, body: `x`, ctype: "text/plain", want: 415})
	do(call{pattern: createCamp, role: domain.RoleManager, body: `{"body":"` + strings.Repeat("x", httpapi.MaxBodyBytes) + `"}`, want: 413})

	// Import (issue 11).
	const importC = "POST /api/v1/imports"
	csvFile := []byte("Nombre;Apellidos;E-mail;Grupo\nAna;Núñez;ana.imp@example.com;Importados\nLuis;Gil;no es un correo;\n")
	form := func(fields ...string) multipartBody { return multipartForm(t, "clientes.csv", csvFile, fields...) }
	postForm := func(role domain.Role, f multipartBody, want int) map[string]any {
		return do(call{pattern: importC, role: role, body: string(f.data), ctype: f.ctype, want: want})
	}
	rep := postForm(domain.RoleManager, form("dry_run", "true"), 200)
	if rep["created"] != float64(0) || rep["refused"] != float64(2) {
		t.Errorf("import dry run without create_groups: %v", rep) // the group does not exist; the e-mail is wrong
	}
	rep = postForm(domain.RoleAdmin, form("create_groups", "true", "map", "Grupo="), 200)
	if rep["created"] != float64(1) || rep["refused"] != float64(1) {
		t.Errorf("import: %v", rep)
	}
	postForm(domain.RoleCashier, form("dry_run", "true"), 403)
	postForm(domain.RoleManager, form("colour", "red"), 400)
	postForm(domain.RoleManager, form("dry_run", "maybe"), 400)
	postForm(domain.RoleManager, multipartForm(t, "", nil, "dry_run", "true"), 422)
	postForm(domain.RoleManager, form("existing", "sometimes"), 422)
	postForm(domain.RoleManager, form("map", "Móvil=phone"), 422)
	do(call{pattern: importC, role: domain.RoleManager, body: `{"dry_run":true}`, want: 415})
	big := form("dry_run", "true")
	do(call{pattern: importC, role: domain.RoleManager, body: string(big.data), ctype: big.ctype, length: httpapi.MaxImportBytes + 2<<20, want: 413})

	// Duplicates (issue 11).
	const (
		listDup      = "GET /api/v1/customers/duplicates"
		dismissDup   = "POST /api/v1/customers/{id}/duplicate-dismissals"
		undismissDup = "DELETE /api/v1/customers/{id}/duplicate-dismissals/{other_id}"
	)
	twin, err := a.CreateCustomer(ctx, app.System(), domain.CustomerChanges{Kind: domain.Some(domain.KindPerson), FirstName: domain.Some("Lectora"),
		Email: domain.Some("LECTORA@example.com")})
	if err != nil {
		t.Fatal(err)
	}
	dups := do(call{pattern: listDup, role: domain.RoleManager, want: 200})
	if pairs, _ := dups["data"].([]any); len(pairs) == 0 {
		t.Errorf("duplicates: %v", dups)
	}
	do(call{pattern: listDup, path: "/api/v1/customers/duplicates?limit=x", role: domain.RoleManager, want: 400})
	do(call{pattern: listDup, path: "/api/v1/customers/duplicates?cursor=x", role: domain.RoleManager, want: 422})
	do(call{pattern: listDup, role: domain.RoleCashier, want: 403})
	dismissPath := "/api/v1/customers/" + reader.ID + "/duplicate-dismissals"
	do(call{pattern: dismissDup, path: dismissPath, role: domain.RoleManager, body: `{"other_id":"` + twin.ID + `"}`, want: 200})
	do(call{pattern: dismissDup, path: dismissPath, role: domain.RoleManager, body: `{"other_id":"` + missingID + `"}`, want: 422})
	do(call{pattern: dismissDup, path: "/api/v1/customers/" + missingID + "/duplicate-dismissals", role: domain.RoleManager, body: `{"other_id":"` + twin.ID + `"}`, want: 404})
	do(call{pattern: dismissDup, path: dismissPath, role: domain.RoleManager, body: `{"other":"x"}`, want: 400})
	do(call{pattern: dismissDup, path: dismissPath, role: domain.RoleManager, body: `x`, ctype: "text/plain", want: 415})
	do(call{pattern: dismissDup, path: dismissPath, role: domain.RoleManager, body: `{"other_id":"` + strings.Repeat("x", httpapi.MaxBodyBytes) + `"}`, want: 413})
	do(call{pattern: dismissDup, path: dismissPath, role: domain.RoleCashier, body: `{"other_id":"` + twin.ID + `"}`, want: 403})
	do(call{pattern: undismissDup, path: dismissPath + "/" + twin.ID, role: domain.RoleCashier, want: 403})
	do(call{pattern: undismissDup, path: dismissPath + "/" + twin.ID, role: domain.RoleAdmin, want: 204})
	do(call{pattern: undismissDup, path: dismissPath + "/" + twin.ID, role: domain.RoleAdmin, want: 404})

	// Merging two customers (issue 11): a preview, the refusals, then the merge.
	const mergeC = "POST /api/v1/customers/{id}/merge"
	mergeS, err := a.CreateCustomer(ctx, app.System(), domain.CustomerChanges{Kind: domain.Some(domain.KindPerson), FirstName: domain.Some("María"),
		LastName: domain.Some("García"), Email: domain.Some("maria.garcia@example.com")})
	if err != nil {
		t.Fatal(err)
	}
	mergeA, err := a.CreateCustomer(ctx, app.System(), domain.CustomerChanges{Kind: domain.Some(domain.KindPerson), FirstName: domain.Some("Mª"),
		LastName: domain.Some("Garcia"), Phone: domain.Some("612345000"), Reference: domain.Some("2000000077777")})
	if err != nil {
		t.Fatal(err)
	}
	mpathS := "/api/v1/customers/" + mergeS.ID + "/merge"
	mergeBody := func(sv, av int64, extra string) string {
		return fmt.Sprintf(`{"absorb_id":%q,"fields":{"reference":"absorbed","first_name":"survivor"},"versions":{%q:%d,%q:%d}%s}`,
			mergeA.ID, mergeS.ID, sv, mergeA.ID, av, extra)
	}
	if pv := do(call{pattern: mergeC, path: mpathS, role: domain.RoleManager, body: mergeBody(1, 1, `,"preview":true`), want: 200}); pv["preview"] != true {
		t.Errorf("merge preview: %v", pv)
	}
	do(call{pattern: mergeC, path: mpathS, role: domain.RoleCashier, body: mergeBody(1, 1, ""), want: 403})
	do(call{pattern: mergeC, path: "/api/v1/customers/" + missingID + "/merge", role: domain.RoleManager, body: `{"absorb_id":"` + mergeA.ID + `","preview":true}`, want: 404})
	do(call{pattern: mergeC, path: mpathS, role: domain.RoleManager, body: `{"absorb_id":"` + mergeA.ID + `","fields":{"colour":"survivor"}}`, want: 400})
	do(call{pattern: mergeC, path: mpathS, role: domain.RoleManager, body: `{"absorb_id":"` + mergeS.ID + `","preview":true}`, want: 422})
	do(call{pattern: mergeC, path: mpathS, role: domain.RoleManager, body: mergeBody(1, 9, ""), want: 409})
	do(call{pattern: mergeC, path: mpathS, role: domain.RoleManager, body: `x`, ctype: "text/plain", want: 415})
	do(call{pattern: mergeC, path: mpathS, role: domain.RoleManager, body: `{"absorb_id":"` + strings.Repeat(" ", httpapi.MaxBodyBytes) + `"}`, want: 413})
	if m := do(call{pattern: mergeC, path: mpathS, role: domain.RoleAdmin, body: mergeBody(1, 1, ""), want: 200}); m["preview"] != false {
		t.Errorf("merge: %v", m)
	}

	// Privacy requests (issue 11).
	const (
		privacyExport = "GET /api/v1/customers/{id}/privacy-export"
		erase         = "POST /api/v1/customers/{id}/erase"
		getPrivacy    = "GET /api/v1/settings/privacy"
		patchPrivacy  = "PATCH /api/v1/settings/privacy"
	)
	owing, err := a.CreateCustomer(ctx, app.System(), domain.CustomerChanges{Kind: domain.Some(domain.KindPerson), FirstName: domain.Some("Debora")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.PostAccountMovement(ctx, app.System(), owing.ID, domain.AccountMovement{Kind: domain.LedgerAdjustment, AmountCents: 500, Reason: "x"}, ""); err != nil {
		t.Fatal(err)
	}
	pkg := do(call{pattern: privacyExport, path: "/api/v1/customers/" + reader.ID + "/privacy-export", role: domain.RoleAdmin, want: 200})
	if pkg["version"] != float64(1) || len(pkg["messages"].([]any)) != 1 {
		t.Errorf("privacy package: %v", pkg)
	}
	do(call{pattern: privacyExport, path: "/api/v1/customers/" + reader.ID + "/privacy-export", role: domain.RoleManager, want: 403})
	do(call{pattern: privacyExport, path: "/api/v1/customers/" + missingID + "/privacy-export", role: domain.RoleAdmin, want: 404})
	do(call{pattern: erase, path: "/api/v1/customers/" + owing.ID + "/erase", role: domain.RoleAdmin, want: 409})
	do(call{pattern: erase, path: "/api/v1/customers/" + reader.ID + "/erase", role: domain.RoleManager, want: 403})
	do(call{pattern: erase, path: "/api/v1/customers/" + reader.ID + "/erase", role: domain.RoleAdmin, want: 200})
	do(call{pattern: erase, path: "/api/v1/customers/" + reader.ID + "/erase", role: domain.RoleAdmin, want: 404})
	do(call{pattern: getPrivacy, role: domain.RoleAdmin, want: 200})
	do(call{pattern: getPrivacy, role: domain.RoleManager, want: 403})
	do(call{pattern: patchPrivacy, role: domain.RoleAdmin, body: `{"retention_years":7}`, want: 428})
	do(call{pattern: patchPrivacy, role: domain.RoleAdmin, body: `{"retention_years":7}`, header: map[string]string{"If-Match": `"9"`}, want: 412})
	do(call{pattern: patchPrivacy, role: domain.RoleAdmin, body: `{"retention_years":2}`, header: map[string]string{"If-Match": `"6"`}, want: 422})
	do(call{pattern: patchPrivacy, role: domain.RoleAdmin, body: `{"retention_years":"7"}`, header: map[string]string{"If-Match": `"6"`}, want: 400})
	do(call{pattern: patchPrivacy, role: domain.RoleAdmin, body: `x`, ctype: "text/plain", header: map[string]string{"If-Match": `"6"`}, want: 415})
	do(call{pattern: patchPrivacy, role: domain.RoleAdmin, body: `{"x":"` + strings.Repeat("x", httpapi.MaxBodyBytes) + `"}`, header: map[string]string{"If-Match": `"6"`}, want: 413})
	do(call{pattern: patchPrivacy, role: domain.RoleManager, body: `{}`, header: map[string]string{"If-Match": `"6"`}, want: 403})
	if ps := do(call{pattern: patchPrivacy, role: domain.RoleAdmin, body: `{"retention_years":7}`, header: map[string]string{"If-Match": `"6"`}, want: 200}); ps["retention_years"] != float64(7) {
		t.Errorf("privacy settings after the patch: %v", ps)
	}

	// Every route: without a token, and over a database that fails.
	for _, rt := range oaServedRoutes() {
		method, path, _ := strings.Cut(rt.Pattern, " ")
		path = strings.NewReplacer("{id}", missingID, "{line_id}", missingID, "{entry_id}", missingID, "{other_id}", missingID, "{reference}", "2000000012345").Replace(path)
		body := ""
		if method == "POST" || method == "PATCH" {
			body = `{}`
		}
		header := map[string]string{"If-Match": `"1"`}
		do(call{pattern: rt.Pattern, path: path, body: body, header: header, want: 401})
		// A token the server has never seen, so that it must be looked up in the database.
		do(call{pattern: rt.Pattern, path: path, body: body, header: header, token: "clt_" + strings.Repeat("a", 43), handler: broken, want: 500})
	}

	for _, rt := range oaServedRoutes() {
		if !succeeded[rt.Pattern] {
			t.Errorf("%s was never answered with success here; add a call", rt.Pattern)
		}
	}
	// Every status the document lists for a route is one a request above provoked from the
	// real handler (do checked its body and headers); one documented but never provoked is
	// either dead documentation or an untested answer.
	for pattern, op := range oaOperations(t, mustOpenAPI(t)) {
		responses, _ := op["responses"].(map[string]any)
		for status := range responses {
			code, err := strconv.Atoi(status)
			if err != nil {
				t.Errorf("%s documents response %q; give every status its own number, so it can be tested", pattern, status)
				continue
			}
			if !provoked[pattern][code] {
				t.Errorf("%s documents %d, but no request in TestOpenAPIDescribesRealAnswers provokes it: add one (or stop documenting it)", pattern, code)
			}
		}
	}
}

// brokenStore is a database that fails every transaction.
type brokenStore struct{}

var errBrokenStore = errors.New("database unavailable (test)")

func (brokenStore) Write(context.Context, func(app.Tx) error) error   { return errBrokenStore }
func (brokenStore) Read(context.Context, func(app.Tx) error) error    { return errBrokenStore }
func (brokenStore) ReadOne(context.Context, func(app.Tx) error) error { return errBrokenStore }
func (brokenStore) Close() error                                      { return nil }
