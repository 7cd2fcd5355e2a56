package httpapi

import (
	"net/http"

	"github.com/glacierd/glacierd/internal/glacier"
	"github.com/glacierd/glacierd/internal/service"
)

func (s *Server) uploadArchive(w http.ResponseWriter, rq *request) error {
	ref := rq.vault()
	a, err := s.svc.UploadArchive(rq.Context(), rq.caller, service.UploadArchiveInput{
		Vault:       ref,
		Description: rq.Header.Get("X-Amz-Archive-Description"),
		TreeHash:    rq.Header.Get("X-Amz-Sha256-Tree-Hash"),
		Size:        rq.ContentLength,
		Body:        rq.Body,
	})
	if err != nil {
		return err
	}
	archiveCreated(w, ref, a)
	return nil
}

// archiveCreated answers UploadArchive and CompleteMultipartUpload: 201 with
// the archive's location, ID and tree hash.
func archiveCreated(w http.ResponseWriter, ref glacier.VaultRef, a glacier.Archive) {
	h := w.Header()
	h.Set("Location", location(ref, "archives", a.ID))
	h.Set("X-Amz-Archive-Id", a.ID)
	h.Set("X-Amz-Sha256-Tree-Hash", a.TreeHash)
	w.WriteHeader(http.StatusCreated)
}

func (s *Server) deleteArchive(w http.ResponseWriter, rq *request) error {
	if err := s.svc.DeleteArchive(rq.Context(), rq.caller, rq.vault(), rq.PathValue("archive")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
