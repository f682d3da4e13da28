package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestStrictJSON(t *testing.T) {
	tests := []struct {
		name string
		body string
		want []string // "field:code"
	}{
		{"plain", `{"a":"x","b":{"c":[1,"y",{"d":null}]}}`, nil},
		{"empty containers", `{"a":{},"b":[],"c":[[]],"d":""}`, nil},
		{"surrogate pair", `{"a":"\ud83d\ude00","b":"\uD83D\uDE00"}`, nil},
		{"escapes that are not surrogates", `{"a":"\u00e9\n\"\\\/\u0041","\u00e9":1}`, nil},
		{"escaped backslash before u", `{"a":"\\ud800"}`, nil},
		{"lone high surrogate", `{"first_name":"A\ud800"}`, []string{"first_name:invalid_utf8"}},
		{"lone low surrogate", `{"first_name":"\udc00A"}`, []string{"first_name:invalid_utf8"}},
		{"high surrogate then a letter", `{"a":"\ud800\u0041"}`, []string{"a:invalid_utf8"}},
		{"two high surrogates", `{"a":"\ud800\ud800\udc00"}`, []string{"a:invalid_utf8"}},
		{"high surrogate at the end", `{"a":"x\uDBFF"}`, []string{"a:invalid_utf8"}},
		{"nested lone surrogate", `{"address":{"city":"\ud800"}}`, []string{"address.city:invalid_utf8"}},
		{"lone surrogate in an array", `{"tags":["ok","\ud800"]}`, []string{"tags:invalid_utf8"}},
		{"lone surrogate in a name", `{"a\ud800":1}`, []string{"a\ufffd:invalid_utf8"}},
		{"duplicate member", `{"first_name":"A","first_name":"B"}`, []string{"first_name:duplicate_key"}},
		{"duplicate member spelled with an escape", `{"a":1,"\u0061":2}`, []string{"a:duplicate_key"}},
		{"duplicate nested member", `{"address":{"city":"A","city":"B"}}`, []string{"address.city:duplicate_key"}},
		{"duplicate member in an object in an array", `{"x":[{"k":1,"k":2}]}`, []string{"x.k:duplicate_key"}},
		{"duplicate object member", `{"address":{},"address":{"city":"B"}}`, []string{"address:duplicate_key"}},
		{"same name in sibling objects is fine", `{"a":{"k":1},"b":{"k":2}}`, nil},
		{"names differing in case are different", `{"a":1,"A":2}`, nil},
		{"white space everywhere", " {\n\t\"a\" : [ 1 , { \"b\" : true } ] ,\r\n \"a\" : 2 } ", []string{"a:duplicate_key"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !json.Valid([]byte(tt.body)) {
				t.Fatalf("test body is not valid JSON: %s", tt.body)
			}
			var got []string
			for _, f := range strictJSON([]byte(tt.body)) {
				got = append(got, f.Field+":"+f.Code)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("strictJSON(%s) = %q, want %q", tt.body, got, tt.want)
			}
		})
	}
}

// TestStrictJSONBoundsItsAnswer: a body made of duplicates gets a bounded list of errors.
func TestStrictJSONBoundsItsAnswer(t *testing.T) {
	body := `{"a":0` + strings.Repeat(`,"a":0`, 10_000) + `}`
	if n := len(strictJSON([]byte(body))); n != maxStrictProblems {
		t.Errorf("%d problems, want %d", n, maxStrictProblems)
	}
}

// FuzzReadObject: the decoder never panics, and what it accepts holds no member twice and no
// string that encoding/json would have altered (U+FFFD standing for an escaped lone surrogate).
func FuzzReadObject(f *testing.F) {
	for _, s := range []string{
		`{"kind":"person","first_name":"Ana"}`, `{"a":"\ud800"}`, `{"a":1,"a":2}`, `{"a":{"b":1,"b":2}}`,
		`{"a":"\ud83d\ude00"}`, `{"a":[{"b":"\udc00"}]}`, `{"\u0061":1,"a":2}`, `{"a":"\\ud800"}`, `[1]`, `{`,
		`{"a":"\uD800\u"}`, "{\"a\":\"\xff\"}", `{"a":"\ufffd"}`, `{"a":1} {}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		obj, err := parseObject(data, "")
		if err == nil {
			if problems := strictJSON(data); len(problems) > 0 {
				err = &requestError{fields: problems}
			}
		}
		if err != nil {
			var re *requestError
			if !errors.As(err, &re) || len(re.fields) == 0 {
				t.Fatalf("error %v is not a request error naming a field", err)
			}
			return
		}
		if obj == nil || !json.Valid(data) {
			t.Fatalf("accepted %q", data)
		}
		checkNoDuplicates(t, data)
		if !bytes.Contains(data, []byte("\ufffd")) && !bytes.Contains(bytes.ToLower(data), []byte(`\ufffd`)) && utf8.Valid(data) {
			var v any
			if err := json.Unmarshal(data, &v); err != nil {
				t.Fatal(err)
			}
			out, _ := json.Marshal(v)
			if bytes.Contains(out, []byte("\ufffd")) {
				t.Fatalf("accepted %q, whose decoding holds U+FFFD", data)
			}
		}
	})
}

// checkNoDuplicates walks data with encoding/json's tokenizer, an implementation independent
// of strictJSON, and fails on a member name seen twice in one object.
func checkNoDuplicates(t *testing.T, data []byte) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	type frame struct {
		object bool
		names  map[string]bool
		key    bool // the next string token is a member name
	}
	var stack []*frame
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("tokenizing accepted %q: %v", data, err)
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		switch tok := tok.(type) {
		case json.Delim:
			switch tok {
			case '{', '[':
				stack = append(stack, &frame{object: tok == '{', names: map[string]bool{}, key: tok == '{'})
			default:
				stack = stack[:len(stack)-1]
				if len(stack) > 0 && stack[len(stack)-1].object {
					stack[len(stack)-1].key = true
				}
			}
			continue
		case string:
			if top != nil && top.object && top.key {
				if top.names[tok] {
					t.Fatalf("accepted %q, where %q appears twice", data, tok)
				}
				top.names[tok] = true
				top.key = false
				continue
			}
		}
		if top != nil && top.object {
			top.key = true
		}
	}
}
