package web

import (
	"net/http"
	"strings"

	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/money"
)

// form is the state of a form on a page: the values as typed, the error of each field, the
// warnings that do not refuse a save, and the summaries of both that head the form. Pages
// embed it and templates build each field with Field and the summaries with the
// "error-summary" and "warning-summary" partials.
type form struct {
	Values   map[string]string
	Errors   map[string]string
	Warnings map[string]string
	// Links are the records a field's error or warning is about (the customer who has the
	// reference), shown after its message.
	Links    map[string][]link
	ReadOnly bool
	// Problems and Notes are the errors and the warnings in the order of the form's fields,
	// for the summaries (summarize fills them).
	Problems []summaryItem
	Notes    []summaryItem
}

// link is a link to a record inside a message.
type link struct {
	Href, Text string
	More       bool // not a record: "and more", after the last one shown
}

// summaryItem is one line of a summary: the field's label and message, linked to its input.
type summaryItem struct {
	Target, Label, Message string
}

// ProblemCount is how many errors the summary lists.
func (f form) ProblemCount() int64 { return int64(len(f.Problems)) }

// Value is the typed value of a field.
func (f form) Value(name string) string { return f.Values[name] }

// Field describes one input for the "field", "select" and "checkbox" partials; the methods
// of fieldView add the optional parts.
func (f form) Field(name, label, typ string, max int) fieldView {
	return fieldView{Name: name, Label: label, Type: typ, Max: max, Value: f.Values[name], Error: f.Errors[name],
		Warning: f.Warnings[name], Links: f.Links[name], ReadOnly: f.ReadOnly}
}

type fieldView struct {
	Name, Label, Type, Value, Error, Warning string
	Links                                    []link
	Max                                      int
	ReadOnly, Required, AutoFocus            bool
	Autocomplete, InputMode                  string
	Hint, Class                              string
	Options                                  []option
}

// Auto sets the autocomplete hint.
func (f fieldView) Auto(v string) fieldView { f.Autocomplete = v; return f }

// Mode sets the virtual keyboard (inputmode).
func (f fieldView) Mode(v string) fieldView { f.InputMode = v; return f }

// Help sets the hint shown under the field.
func (f fieldView) Help(v string) fieldView { f.Hint = v; return f }

// Opts sets a select's options.
func (f fieldView) Opts(v []option) fieldView { f.Options = v; return f }

// Req marks the field required: a mark after the label, and required/aria-required on the
// input (forms are novalidate: the server's summary says what is missing, all at once).
func (f fieldView) Req() fieldView { f.Required = true; return f }

// Cls adds a class to the field's box.
func (f fieldView) Cls(v string) fieldView { f.Class = strings.TrimSpace(f.Class + " " + v); return f }

// Focus gives the input the focus when the page loads.
func (f fieldView) Focus(on bool) fieldView { f.AutoFocus = on; return f }

// Wide makes the field span the form's two columns.
func (f fieldView) Wide() fieldView { f.Class = strings.TrimSpace(f.Class + " wide"); return f }

// formField names a field of a form for its summaries: the catalog key of its label and, when
// it is not "f-" and its name, the id of the input a summary line leads to.
type formField struct {
	name, label, target string
}

// summarize fills the summaries from the form's errors and warnings, in the order of fields;
// a message about a field not in the list comes last, linked to an input named after it.
func (s *Server) summarize(rq *request, f *form, fields []formField) {
	f.Problems = s.summaryOf(rq, f.Errors, f.Links, fields)
	f.Notes = s.summaryOf(rq, f.Warnings, f.Links, fields)
}

// summaryOf lists messages in the order of fields. A line is one link (to the field), so the
// records a message names are written out in it.
func (s *Server) summaryOf(rq *request, messages map[string]string, links map[string][]link, fields []formField) []summaryItem {
	if len(messages) == 0 {
		return nil
	}
	out := make([]summaryItem, 0, len(messages))
	seen := make(map[string]bool, len(messages))
	withLinks := func(name, msg string) string {
		for i, l := range links[name] {
			if i > 0 {
				msg += ","
			}
			msg += " " + l.Text
		}
		return msg
	}
	for _, fl := range fields {
		msg, ok := messages[fl.name]
		if !ok {
			continue
		}
		msg = withLinks(fl.name, msg)
		seen[fl.name] = true
		target := fl.target
		if target == "" {
			target = "f-" + fl.name
		}
		out = append(out, summaryItem{Target: target, Label: s.msgs.T(rq.lang, fl.label, nil), Message: msg})
	}
	for name, msg := range messages {
		if !seen[name] {
			out = append(out, summaryItem{Target: "f-" + name, Message: withLinks(name, msg)})
		}
	}
	return out
}

// fieldMessages translates field errors and keys them by form field name. A message written
// for the field ("field.invalid.email") wins over the code's general one ("field.invalid").
func (s *Server) fieldMessages(rq *request, problems []domain.FieldError) map[string]string {
	out := make(map[string]string, len(problems))
	for _, f := range problems {
		name := strings.TrimPrefix(f.Field, "address.")
		if name == "credit_limit_cents" {
			name = "credit_limit"
		}
		params := f.Params
		if name == "credit_limit" && f.Code == domain.FieldOutOfRange {
			params = map[string]any{"min": money.FormatCents(0, string(rq.lang)), "max": money.FormatCents(domain.MaxCreditLimit, string(rq.lang))}
		}
		key := "field." + f.Code
		if specific := key + "." + name; s.msgs.Has(rq.lang, specific) {
			key = specific
		}
		msg := s.msgs.T(rq.lang, key, params)
		if prev, ok := out[name]; ok {
			msg = prev + " " + msg
		}
		out[name] = msg
	}
	return out
}

// problemStatus is the status of a refused form: 409 when a value is taken by another record,
// 422 for anything else wrong with it.
func problemStatus(problems []domain.FieldError) int {
	for _, f := range problems {
		if f.Code == domain.FieldTaken {
			return http.StatusConflict
		}
	}
	return http.StatusUnprocessableEntity
}
