package httpapi

import (
	"net/http"

	"github.com/glacierd/glacierd/internal/glacier"
)

type retrievalRuleWire struct {
	Strategy     string `json:"Strategy"`
	BytesPerHour *int64 `json:"BytesPerHour,omitempty"`
}

type retrievalPolicyWire struct {
	Policy *struct {
		Rules []retrievalRuleWire `json:"Rules"`
	} `json:"Policy"`
}

func (s *Server) getDataRetrievalPolicy(w http.ResponseWriter, rq *request) error {
	p, err := s.svc.GetDataRetrievalPolicy(rq.Context(), rq.caller, rq.account)
	if err != nil {
		return err
	}
	rule := retrievalRuleWire{Strategy: p.Strategy}
	if p.Strategy == glacier.StrategyBytesPerHour {
		rule.BytesPerHour = &p.BytesPerHour
	}
	var out retrievalPolicyWire
	out.Policy = &struct {
		Rules []retrievalRuleWire `json:"Rules"`
	}{Rules: []retrievalRuleWire{rule}}
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) setDataRetrievalPolicy(w http.ResponseWriter, rq *request) error {
	var in retrievalPolicyWire
	if err := decodeJSON(rq.Request, rq.maxBody, &in); err != nil {
		return err
	}
	var rules []glacier.RetrievalPolicy
	if in.Policy != nil {
		for _, r := range in.Policy.Rules {
			p := glacier.RetrievalPolicy{Strategy: r.Strategy}
			if r.BytesPerHour != nil {
				p.BytesPerHour = *r.BytesPerHour
				if p.BytesPerHour == 0 {
					p.BytesPerHour = -1 // present but zero: invalid with every strategy
				}
			}
			rules = append(rules, p)
		}
	}
	if err := s.svc.SetDataRetrievalPolicy(rq.Context(), rq.caller, rq.account, rules); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) purchaseProvisionedCapacity(w http.ResponseWriter, rq *request) error {
	u, err := s.svc.PurchaseProvisionedCapacity(rq.Context(), rq.caller, rq.account)
	if err != nil {
		return err
	}
	w.Header().Set("X-Amz-Capacity-Id", u.ID)
	w.WriteHeader(http.StatusCreated)
	return nil
}

type capacityWire struct {
	CapacityId     string  `json:"CapacityId"`
	ExpirationDate *string `json:"ExpirationDate"`
	StartDate      *string `json:"StartDate"`
}

func (s *Server) listProvisionedCapacity(w http.ResponseWriter, rq *request) error {
	units, err := s.svc.ListProvisionedCapacity(rq.Context(), rq.caller, rq.account)
	if err != nil {
		return err
	}
	out := struct {
		ProvisionedCapacityList []capacityWire `json:"ProvisionedCapacityList"`
	}{ProvisionedCapacityList: make([]capacityWire, len(units))}
	for i, u := range units {
		out.ProvisionedCapacityList[i] = capacityWire{CapacityId: u.ID, StartDate: isoTime(u.StartAt), ExpirationDate: isoTime(u.ExpiresAt)}
	}
	return writeJSON(w, http.StatusOK, out)
}
