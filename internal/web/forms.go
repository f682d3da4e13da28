package web

// form is the state of a form on a page: the values as typed and the error of each field.
// Pages embed it and templates build each field with Field.
type form struct {
	Values   map[string]string
	Errors   map[string]string
	ReadOnly bool
}

// Value is the typed value of a field.
func (f form) Value(name string) string { return f.Values[name] }

// Field describes one input for the "field", "select" and "checkbox" partials; the methods
// of fieldView add the optional parts.
func (f form) Field(name, label, typ string, max int) fieldView {
	return fieldView{Name: name, Label: label, Type: typ, Max: max, Value: f.Values[name], Error: f.Errors[name], ReadOnly: f.ReadOnly}
}

type fieldView struct {
	Name, Label, Type, Value, Error string
	Max                             int
	ReadOnly                        bool
	Autocomplete, InputMode         string
	Hint, Class                     string
	Options                         []option
}

// Auto sets the autocomplete hint.
func (f fieldView) Auto(v string) fieldView { f.Autocomplete = v; return f }

// Mode sets the virtual keyboard (inputmode).
func (f fieldView) Mode(v string) fieldView { f.InputMode = v; return f }

// Help sets the hint shown under the field.
func (f fieldView) Help(v string) fieldView { f.Hint = v; return f }

// Opts sets a select's options.
func (f fieldView) Opts(v []option) fieldView { f.Options = v; return f }
