package httpapi

import (
	"net/http"

	"github.com/glacierd/glacierd/internal/service"
)

func (s *Server) createVault(w http.ResponseWriter, rq *request) error {
	ref := rq.vault()
	if err := s.svc.CreateVault(rq.Context(), rq.caller, ref); err != nil {
		return err
	}
	w.Header().Set("Location", location(ref))
	w.WriteHeader(http.StatusCreated)
	return nil
}

func vaultToWire(v service.VaultInfo) vaultWire {
	return vaultWire{
		CreationDate:      isoTime(v.CreatedAt),
		LastInventoryDate: isoTime(v.InventoryAt),
		NumberOfArchives:  v.Archives,
		SizeInBytes:       v.Bytes,
		VaultARN:          v.ARN,
		VaultName:         v.Ref.Name,
	}
}

func (s *Server) describeVault(w http.ResponseWriter, rq *request) error {
	v, err := s.svc.DescribeVault(rq.Context(), rq.caller, rq.vault())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, vaultToWire(v))
}

func (s *Server) listVaults(w http.ResponseWriter, rq *request) error {
	q := rq.URL.Query()
	limit, err := parseLimit(q, 10, 1000)
	if err != nil {
		return err
	}
	vs, next, err := s.svc.ListVaults(rq.Context(), rq.caller, rq.account, q.Get("marker"), limit)
	if err != nil {
		return err
	}
	out := listVaultsWire{Marker: nullable(next), VaultList: make([]vaultWire, len(vs))}
	for i, v := range vs {
		out.VaultList[i] = vaultToWire(v)
	}
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) deleteVault(w http.ResponseWriter, rq *request) error {
	if err := s.svc.DeleteVault(rq.Context(), rq.caller, rq.vault()); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
