package httpapi_test

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestAuditActionsAreDocumented: every audit action the domain names (the Action… constants of
// packages domain and app)
// is in the AuditEntry schema's enum and the enum names no other, so GET /api/v1/audit never
// answers an entry its own document calls invalid.
func TestAuditActionsAreDocumented(t *testing.T) {
	var declared []string
	var files []string
	for _, dir := range []string{"../domain", "../app"} {
		found, err := filepath.Glob(dir + "/*.go")
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, found...)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			gen, ok := decl.(*ast.GenDecl)
			if !ok || gen.Tok != token.CONST {
				continue
			}
			for _, spec := range gen.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, id := range vs.Names {
					if !strings.HasPrefix(id.Name, "Action") || i >= len(vs.Values) {
						continue
					}
					if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
						v, err := strconv.Unquote(lit.Value)
						if err != nil {
							t.Fatal(err)
						}
						declared = append(declared, v)
					}
				}
			}
		}
	}
	if len(declared) < 10 {
		t.Fatalf("found only %d audit actions in internal/domain and internal/app: %v", len(declared), declared)
	}
	raw, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Components struct {
			Schemas struct {
				AuditEntry struct {
					Properties struct {
						Action struct {
							Enum []string `json:"enum"`
						} `json:"action"`
					} `json:"properties"`
				} `json:"AuditEntry"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	documented := doc.Components.Schemas.AuditEntry.Properties.Action.Enum
	for _, a := range declared {
		if !slices.Contains(documented, a) {
			t.Errorf("audit action %q is written by the application but not in openapi.json's AuditEntry.action enum", a)
		}
	}
	for _, a := range documented {
		if !slices.Contains(declared, a) {
			t.Errorf("openapi.json's AuditEntry.action enum names %q, which no Action constant in internal/domain or internal/app declares", a)
		}
	}
}
