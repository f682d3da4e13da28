package web

import "net/http"

// confirmPage asks before an action that cuts someone off or moves many records: what will
// happen, one fact a line, and a button that posts the action. It works without a script
// (the page itself is the first step of two), and the till, invoice and account pages use it
// the same way: a GET route shows it, the POST route next to it in the table acts.
type confirmPage struct {
	Title    string // the page's heading
	Question string
	Facts    []string
	Action   string   // where the button posts
	Hidden   []option // fields posted with it (Value is the field name, Label its value)
	Confirm  string   // the button's label
	Danger   bool     // the action cannot be undone or cuts someone off
	Cancel   string   // where "Cancel" leads
}

func (s *Server) renderConfirm(w http.ResponseWriter, r *http.Request, rq *request, page confirmPage) error {
	return s.render(w, r, rq, http.StatusOK, "confirm", page)
}
