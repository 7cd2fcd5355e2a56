package httpapi

import (
	"net/http"

	"github.com/glacierd/glacierd/internal/glacier"
)

// tagsOp names the operation of a POST …/tags request from its operation
// query parameter.
func tagsOp(r *http.Request) string {
	if r.URL.Query().Get("operation") == "remove" {
		return "RemoveTagsFromVault"
	}
	return "AddTagsToVault"
}

func (s *Server) changeTags(w http.ResponseWriter, rq *request) error {
	switch op := rq.URL.Query().Get("operation"); op {
	case "add":
		var in struct{ Tags map[string]string }
		if err := decodeJSON(rq.Request, rq.maxBody, &in); err != nil {
			return err
		}
		if err := s.svc.AddTagsToVault(rq.Context(), rq.caller, rq.vault(), in.Tags); err != nil {
			return err
		}
	case "remove":
		var in struct{ TagKeys []string }
		if err := decodeJSON(rq.Request, rq.maxBody, &in); err != nil {
			return err
		}
		if err := s.svc.RemoveTagsFromVault(rq.Context(), rq.caller, rq.vault(), in.TagKeys); err != nil {
			return err
		}
	case "":
		return glacier.Errorf(glacier.KindMissingParameter, "Required parameter missing: operation")
	default:
		return glacier.Errorf(glacier.KindInvalidParameter, "Invalid operation: %s. Valid values are: add, remove", op)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) listTags(w http.ResponseWriter, rq *request) error {
	tags, err := s.svc.ListTagsForVault(rq.Context(), rq.caller, rq.vault())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, struct {
		Tags map[string]string `json:"Tags"`
	}{tags})
}

// policyWire is the body of Set/GetVaultAccessPolicy and InitiateVaultLock:
// the policy document as a JSON string.
type policyWire struct {
	Policy string `json:"Policy"`
}

func (s *Server) setAccessPolicy(w http.ResponseWriter, rq *request) error {
	var in policyWire
	if err := decodeJSON(rq.Request, rq.maxBody, &in); err != nil {
		return err
	}
	if err := s.svc.SetVaultAccessPolicy(rq.Context(), rq.caller, rq.vault(), in.Policy); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) getAccessPolicy(w http.ResponseWriter, rq *request) error {
	p, err := s.svc.GetVaultAccessPolicy(rq.Context(), rq.caller, rq.vault())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, policyWire{p})
}

func (s *Server) deleteAccessPolicy(w http.ResponseWriter, rq *request) error {
	if err := s.svc.DeleteVaultAccessPolicy(rq.Context(), rq.caller, rq.vault()); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) initiateVaultLock(w http.ResponseWriter, rq *request) error {
	var in policyWire
	if err := decodeJSON(rq.Request, rq.maxBody, &in); err != nil {
		return err
	}
	id, err := s.svc.InitiateVaultLock(rq.Context(), rq.caller, rq.vault(), in.Policy)
	if err != nil {
		return err
	}
	w.Header().Set("X-Amz-Lock-Id", id)
	w.WriteHeader(http.StatusCreated)
	return nil
}

func (s *Server) completeVaultLock(w http.ResponseWriter, rq *request) error {
	if err := s.svc.CompleteVaultLock(rq.Context(), rq.caller, rq.vault(), rq.PathValue("lock")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) abortVaultLock(w http.ResponseWriter, rq *request) error {
	if err := s.svc.AbortVaultLock(rq.Context(), rq.caller, rq.vault()); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) getVaultLock(w http.ResponseWriter, rq *request) error {
	l, err := s.svc.GetVaultLock(rq.Context(), rq.caller, rq.vault())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, struct {
		CreationDate   *string `json:"CreationDate"`
		ExpirationDate *string `json:"ExpirationDate"`
		Policy         string  `json:"Policy"`
		State          string  `json:"State"`
	}{isoTime(l.CreatedAt), isoTime(l.ExpiresAt), l.Policy, l.State})
}

// notificationsWire is VaultNotificationConfig.
type notificationsWire struct {
	SNSTopic string   `json:"SNSTopic"`
	Events   []string `json:"Events"`
}

func (s *Server) setNotifications(w http.ResponseWriter, rq *request) error {
	var in notificationsWire
	if err := decodeJSON(rq.Request, rq.maxBody, &in); err != nil {
		return err
	}
	if err := s.svc.SetVaultNotifications(rq.Context(), rq.caller, rq.vault(), in.SNSTopic, in.Events); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) getNotifications(w http.ResponseWriter, rq *request) error {
	topic, events, err := s.svc.GetVaultNotifications(rq.Context(), rq.caller, rq.vault())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, notificationsWire{topic, events})
}

func (s *Server) deleteNotifications(w http.ResponseWriter, rq *request) error {
	if err := s.svc.DeleteVaultNotifications(rq.Context(), rq.caller, rq.vault()); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
