package httpapi

import (
	"net/http"
	"slices"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
)

// mergeJSON is a merge worked out (preview) or done.
type mergeJSON struct {
	Preview  bool              `json:"preview"`
	Customer customerJSON      `json:"customer"` // the survivor as merged
	Survivor customerJSON      `json:"survivor"` // both records as they were
	Absorbed customerJSON      `json:"absorbed"`
	Fields   []mergeFieldJSON  `json:"fields"`
	Consent  mergeConsentJSON  `json:"consent"`
	Group    *mergeGroupJSON   `json:"group"`
	Moves    app.MergeMoves    `json:"moves"`
	Balances mergeBalancesJSON `json:"balance_cents"`
}

type mergeFieldJSON struct {
	Field    string `json:"field"`
	Survivor string `json:"survivor"`
	Absorbed string `json:"absorbed"`
	Differ   bool   `json:"differ"`
	Chosen   string `json:"chosen"`
}

type mergeConsentJSON struct {
	MarketingConsent bool              `json:"marketing_consent"`
	From             string            `json:"from"`
	Survivor         consentChoiceJSON `json:"survivor"`
	Absorbed         consentChoiceJSON `json:"absorbed"`
}

type consentChoiceJSON struct {
	MarketingConsent bool    `json:"marketing_consent"`
	ChosenAt         *string `json:"chosen_at"`
}

type mergeGroupJSON struct {
	ID                  string `json:"id"`
	Name                string `json:"name"`
	DiscountBasisPoints int64  `json:"discount_basis_points"`
}

type mergeBalancesJSON struct {
	Survivor int64 `json:"survivor"`
	Absorbed int64 `json:"absorbed"`
	Merged   int64 `json:"merged"`
}

func toConsentChoiceJSON(c domain.ConsentChoice) consentChoiceJSON {
	out := consentChoiceJSON{MarketingConsent: c.Consent}
	if c.At != nil {
		at := timeJSON(*c.At)
		out.ChosenAt = &at
	}
	return out
}

// mergeCustomers is POST /api/v1/customers/{id}/merge: {id} absorbs absorb_id.
func (s *Server) mergeCustomers(w http.ResponseWriter, r *http.Request, p domain.Principal) error {
	obj, err := readObject(w, r)
	if err != nil {
		return err
	}
	f := newFieldReader(obj, "")
	req := app.MergeRequest{AbsorbedID: f.str("absorb_id").Value, Preview: f.boolean("preview").Value,
		Fields: map[string]string{}, Versions: map[string]int64{}}
	fields, _ := f.nested("fields")
	if fields != nil {
		for name := range fields.obj {
			// A name that is no field of a customer stays unread: an unknown member (400).
			if slices.Contains(domain.MergeFields, name) {
				if v := fields.str(name); v.Set {
					req.Fields[name] = v.Value
				}
			}
		}
	}
	versions, _ := f.nested("versions")
	if versions != nil {
		for id := range versions.obj {
			if v := versions.integer(id); v.Set {
				req.Versions[id] = v.Value
			}
		}
	}
	if err := f.done(fields, versions); err != nil {
		return err
	}
	res, err := s.app.MergeCustomers(r.Context(), p, r.PathValue("id"), req)
	if err != nil {
		return err
	}
	out := mergeJSON{Preview: !res.Done, Customer: toCustomerJSON(&res.Merged), Survivor: toCustomerJSON(&res.Survivor),
		Absorbed: toCustomerJSON(&res.Absorbed), Fields: make([]mergeFieldJSON, 0, len(res.Fields)),
		Consent: mergeConsentJSON{MarketingConsent: res.Merged.MarketingConsent, From: string(res.ConsentSide),
			Survivor: toConsentChoiceJSON(res.SurvivorConsent), Absorbed: toConsentChoiceJSON(res.AbsorbedConsent)},
		Moves:    res.Moves,
		Balances: mergeBalancesJSON{Survivor: res.SurvivorBalanceCents, Absorbed: res.Moves.BalanceCents, Merged: res.MergedBalanceCents}}
	for _, mf := range res.Fields {
		out.Fields = append(out.Fields, mergeFieldJSON{Field: mf.Field, Survivor: mf.Survivor, Absorbed: mf.Absorbed, Differ: mf.Differ, Chosen: string(mf.Side)})
	}
	if g := res.Group; g != nil {
		out.Group = &mergeGroupJSON{ID: g.ID, Name: g.Name, DiscountBasisPoints: g.DiscountBasisPoints}
	}
	// The survivor's version: new once merged, as it stands in a preview.
	w.Header().Set("ETag", etag(res.Merged.Version))
	writeJSON(w, http.StatusOK, out)
	return nil
}
