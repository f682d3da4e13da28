package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/i18n"
	"github.com/clientela/clientela/internal/money"
)

type groupListPage struct {
	Groups []domain.Group
}

// groupList is the "Grupos de clientes" tab: every group with its discount and members.
func (s *Server) groupList(w http.ResponseWriter, r *http.Request, rq *request) error {
	// Every group with its member count, the one page that shows them all. A shop has a
	// handful of groups, so they are read whole, page by page.
	var groups []domain.Group
	cursor := ""
	for {
		page, err := s.app.Groups(r.Context(), rq.p, app.MaxPageSize, cursor)
		if err != nil {
			return err
		}
		groups = append(groups, page.Groups...)
		if page.NextCursor == "" {
			break
		}
		cursor = page.NextCursor
	}
	return s.render(w, r, rq, http.StatusOK, "groups", groupListPage{Groups: groups})
}

type groupFormPage struct {
	New     bool
	ID      string
	Version int64
	Name    string // the saved name, for the heading
	form
	Message  string
	Conflict bool
	// Members is how many customers the saved group has; the page links to them.
	Members   int64
	CanDelete bool
}

// groupFormFields name the group form's fields for its summary.
var groupFormFields = []formField{{"name", "group.name", ""}, {"discount", "group.discount", ""}, {"description", "group.description", ""}}

// renderGroupForm shows the group form with its summary; a saved group's page links to its
// members and to its deletion.
func (s *Server) renderGroupForm(w http.ResponseWriter, r *http.Request, rq *request, status int, page groupFormPage, saved *domain.Group) error {
	if saved != nil {
		page.Members = saved.MemberCount
		page.CanDelete = rq.p.Role.Can(domain.PermGroupsWrite)
	}
	s.summarize(rq, &page.form, groupFormFields)
	return s.render(w, r, rq, status, "group_form", page)
}

func (s *Server) groupNew(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.renderGroupForm(w, r, rq, http.StatusOK, groupFormPage{New: true, form: form{Values: map[string]string{}}}, nil)
}

func (s *Server) groupCreate(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	page := groupFormPage{New: true, form: form{Values: groupFormValues(r)}}
	ch, problems := groupChanges(page.Values, rq)
	if problems == nil {
		g, err := s.app.CreateGroup(r.Context(), rq.p, ch)
		if err == nil {
			s.setFlash(w, r, "flash.group_created", map[string]any{"name": g.Name})
			http.Redirect(w, r, "/groups", http.StatusSeeOther)
			return nil
		}
		if problems = fieldProblems(err); problems == nil {
			return err
		}
	}
	page.Errors = s.groupFieldMessages(rq, problems)
	return s.renderGroupForm(w, r, rq, problemStatus(problems), page, nil)
}

func (s *Server) groupEdit(w http.ResponseWriter, r *http.Request, rq *request) error {
	g, err := s.app.Group(r.Context(), rq.p, r.PathValue("id"))
	if err != nil {
		return err
	}
	page := groupFormPage{ID: g.ID, Version: g.Version, Name: g.Name,
		form: form{Values: map[string]string{"name": g.Name, "description": g.Description}, ReadOnly: !rq.p.Role.Can(domain.PermGroupsWrite)}}
	if g.DiscountBasisPoints > 0 {
		page.Values["discount"] = money.FormatPercentNumber(g.DiscountBasisPoints, string(rq.lang))
	}
	return s.renderGroupForm(w, r, rq, http.StatusOK, page, &g)
}

func (s *Server) groupUpdate(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	id := r.PathValue("id")
	saved, err := s.app.Group(r.Context(), rq.p, id)
	if err != nil {
		return err
	}
	page := groupFormPage{ID: id, Name: saved.Name, form: form{Values: groupFormValues(r)}}
	page.Version, _ = strconv.ParseInt(r.PostForm.Get("version"), 10, 64)
	ch, problems := groupChanges(page.Values, rq)
	if problems == nil {
		g, err := s.app.UpdateGroup(r.Context(), rq.p, id, domain.IfVersion(page.Version), ch)
		switch {
		case err == nil:
			s.setFlash(w, r, "flash.group_saved", map[string]any{"name": g.Name})
			http.Redirect(w, r, "/groups", http.StatusSeeOther)
			return nil
		case domain.ErrorCode(err) == domain.CodePreconditionFailed:
			page.Conflict, page.Version = true, saved.Version
			page.Message = s.msgs.T(rq.lang, "web.group_conflict", nil)
			return s.renderGroupForm(w, r, rq, http.StatusConflict, page, &saved)
		}
		if problems = fieldProblems(err); problems == nil {
			return err
		}
	}
	page.Errors = s.groupFieldMessages(rq, problems)
	return s.renderGroupForm(w, r, rq, problemStatus(problems), page, &saved)
}

func groupFormValues(r *http.Request) map[string]string {
	return map[string]string{
		"name": r.PostForm.Get("name"), "discount": r.PostForm.Get("discount"),
		"description": r.PostForm.Get("description"),
	}
}

// groupChanges reads the form; the discount is typed as a percentage ("10", "12,5").
func groupChanges(v map[string]string, rq *request) (domain.GroupChanges, []domain.FieldError) {
	ch := domain.GroupChanges{Name: domain.Some(v["name"]), Description: domain.Some(v["description"])}
	discount := strings.TrimSpace(v["discount"])
	if discount == "" {
		ch.DiscountBasisPoints = domain.Some(int64(0))
		return ch, nil
	}
	bp, err := money.ParsePercent(discount, string(rq.lang))
	if err != nil {
		return ch, []domain.FieldError{{Field: "discount", Code: amountErrorCode(err)}}
	}
	ch.DiscountBasisPoints = domain.Some(bp)
	return ch, nil
}

func (s *Server) groupFieldMessages(rq *request, problems []domain.FieldError) map[string]string {
	for i, f := range problems {
		if f.Field == "discount_basis_points" {
			problems[i].Field = "discount"
			if f.Code == domain.FieldOutOfRange {
				problems[i].Params = map[string]any{"min": "0", "max": "100"}
			}
		}
	}
	return s.fieldMessages(rq, problems)
}

type groupDeletePage struct {
	Group     domain.Group
	Targets   []option // where the members can go; none is chosen beforehand
	MoveError string   // why moving the members was refused
}

// noGroup is the move form's value for "no group": the empty value is the "choose" prompt,
// so that nobody moves a whole group by pressing a button with a choice made for them.
const noGroup = "none"

// groupDeleteForm confirms a deletion. A group that still has members cannot go: the page
// says how many and offers to move them all to another group (or to none) first.
func (s *Server) groupDeleteForm(w http.ResponseWriter, r *http.Request, rq *request) error {
	g, err := s.app.Group(r.Context(), rq.p, r.PathValue("id"))
	if err != nil {
		return err
	}
	return s.renderGroupDelete(w, r, rq, http.StatusOK, g, "")
}

func (s *Server) renderGroupDelete(w http.ResponseWriter, r *http.Request, rq *request, status int, g domain.Group, moveError string) error {
	page := groupDeletePage{Group: g, MoveError: moveError}
	if g.MemberCount > 0 {
		groups, err := s.allGroups(r, rq)
		if err != nil {
			return err
		}
		page.Targets = []option{
			{Value: "", Label: s.msgs.T(rq.lang, "group.move_choose", nil)},
			{Value: noGroup, Label: s.msgs.T(rq.lang, "customer.no_group", nil)},
		}
		for _, other := range groups {
			if other.ID != g.ID {
				page.Targets = append(page.Targets, option{Value: other.ID, Label: groupLabel(other, string(rq.lang))})
			}
		}
	}
	return s.render(w, r, rq, status, "group_delete", page)
}

func (s *Server) groupDelete(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	id := r.PathValue("id")
	g, err := s.app.Group(r.Context(), rq.p, id)
	if err != nil {
		return err
	}
	err = s.app.DeleteGroup(r.Context(), rq.p, id)
	if domain.ErrorCode(err) == domain.CodeGroupNotEmpty {
		// Someone added a member since the page was shown: show the count and the move form.
		if g, err = s.app.Group(r.Context(), rq.p, id); err != nil {
			return err
		}
		return s.renderGroupDelete(w, r, rq, http.StatusConflict, g, "")
	}
	if err != nil {
		return err
	}
	s.setFlash(w, r, "flash.group_deleted", map[string]any{"name": g.Name})
	http.Redirect(w, r, "/groups", http.StatusSeeOther)
	return nil
}

// groupMoveConfirm is the second step of moving a group's members: the group chosen on the
// deletion page, how many customers move, and the discount they have and will have. The
// move form is sent here with GET, so that it works without a script and changes nothing.
func (s *Server) groupMoveConfirm(w http.ResponseWriter, r *http.Request, rq *request) error {
	g, err := s.app.Group(r.Context(), rq.p, r.PathValue("id"))
	if err != nil {
		return err
	}
	to := r.URL.Query().Get("to_group_id")
	if to == "" {
		return s.renderGroupDelete(w, r, rq, http.StatusUnprocessableEntity, g, s.msgs.T(rq.lang, "group.move_choose_error", nil))
	}
	if g.MemberCount == 0 {
		http.Redirect(w, r, "/groups/"+g.ID+"/delete", http.StatusSeeOther)
		return nil
	}
	l := loc{b: s.msgs, Lang: rq.lang}
	target := domain.Group{Name: l.T("customer.no_group")}
	if to != noGroup {
		if target, err = s.app.Group(r.Context(), rq.p, to); err != nil || target.ID == g.ID {
			if err != nil && domain.ErrorCode(err) != domain.CodeNotFound {
				return err
			}
			return s.renderGroupDelete(w, r, rq, http.StatusUnprocessableEntity, g, s.msgs.T(rq.lang, "field.unknown_group", nil))
		}
	}
	discount := func(d domain.Group) string {
		if d.DiscountBasisPoints == 0 {
			return l.T("group.no_discount")
		}
		return l.Percent(d.DiscountBasisPoints)
	}
	n := g.MemberCount
	facts := []string{
		l.N("group.move_discount", n, "from", discount(g), "to", discount(target)),
		l.T("group.move_then_delete"),
	}
	return s.renderConfirm(w, r, rq, confirmPage{
		Title:    l.T("group.move_title"),
		Question: l.N("group.move_question", n, "from", g.Name, "to", target.Name),
		Facts:    facts,
		Action:   "/groups/" + g.ID + "/move-members",
		Hidden:   []option{{Value: "to_group_id", Label: to}},
		Confirm:  l.N("group.move_members", n),
		Cancel:   "/groups/" + g.ID + "/delete",
	})
}

// groupMoveMembers moves every member to another group (or none) in one transaction, then
// returns to the deletion page, which now allows the deletion.
func (s *Server) groupMoveMembers(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	id := r.PathValue("id")
	to := r.PostForm.Get("to_group_id")
	refuse := func(msg string) error {
		g, gerr := s.app.Group(r.Context(), rq.p, id)
		if gerr != nil {
			return gerr
		}
		return s.renderGroupDelete(w, r, rq, http.StatusUnprocessableEntity, g, msg)
	}
	switch to {
	case "":
		return refuse(s.msgs.T(rq.lang, "group.move_choose_error", nil))
	case noGroup:
		to = ""
	}
	n, err := s.app.MoveGroupMembers(r.Context(), rq.p, id, to)
	if problems := fieldProblems(err); problems != nil {
		// The target group went away meanwhile, or is this one: show the form again.
		return refuse(s.fieldMessages(rq, problems)["to_group_id"])
	}
	if err != nil {
		return err
	}
	s.setFlash(w, r, i18n.PluralKey("flash.members_moved", n), map[string]any{"count": money.FormatInt(n, string(rq.lang))})
	http.Redirect(w, r, "/groups/"+id+"/delete", http.StatusSeeOther)
	return nil
}
