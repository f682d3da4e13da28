package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/i18n"
	"github.com/clientela/clientela/internal/money"
)

type groupListPage struct {
	Groups []domain.Group
}

// groupList is the "Grupos de clientes" tab: every group with its discount and members.
func (s *Server) groupList(w http.ResponseWriter, r *http.Request, rq *request) error {
	groups, err := s.allGroups(r, rq)
	if err != nil {
		return err
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
}

func (s *Server) groupNew(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.render(w, r, rq, http.StatusOK, "group_form", groupFormPage{New: true, form: form{Values: map[string]string{}}})
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
	page.Message = s.msgs.T(rq.lang, "error.validation_failed", nil)
	return s.render(w, r, rq, problemStatus(problems), "group_form", page)
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
	return s.render(w, r, rq, http.StatusOK, "group_form", page)
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
			return s.render(w, r, rq, http.StatusConflict, "group_form", page)
		}
		if problems = fieldProblems(err); problems == nil {
			return err
		}
	}
	page.Errors = s.groupFieldMessages(rq, problems)
	page.Message = s.msgs.T(rq.lang, "error.validation_failed", nil)
	return s.render(w, r, rq, problemStatus(problems), "group_form", page)
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
	Targets   []option // where the members can go
	MoveError string   // why moving the members was refused
}

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
		page.Targets = []option{{Value: "", Label: s.msgs.T(rq.lang, "customer.no_group", nil)}}
		for _, other := range groups {
			if other.ID != g.ID {
				page.Targets = append(page.Targets, option{Value: other.ID, Label: other.Name})
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

// groupMoveMembers moves every member to another group (or none) in one transaction, then
// returns to the confirmation, which now allows the deletion.
func (s *Server) groupMoveMembers(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	id := r.PathValue("id")
	n, err := s.app.MoveGroupMembers(r.Context(), rq.p, id, r.PostForm.Get("to_group_id"))
	if problems := fieldProblems(err); problems != nil {
		// The target group went away meanwhile, or is this one: show the form again.
		g, gerr := s.app.Group(r.Context(), rq.p, id)
		if gerr != nil {
			return gerr
		}
		return s.renderGroupDelete(w, r, rq, http.StatusUnprocessableEntity, g, s.fieldMessages(rq, problems)["to_group_id"])
	}
	if err != nil {
		return err
	}
	s.setFlash(w, r, i18n.PluralKey("flash.members_moved", n), map[string]any{"count": money.FormatInt(n, string(rq.lang))})
	http.Redirect(w, r, "/groups/"+id+"/delete", http.StatusSeeOther)
	return nil
}
