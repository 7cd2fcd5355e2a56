package httpapi

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/glacierd/glacierd/internal/glacier"
	"github.com/glacierd/glacierd/internal/service"
)

func (s *Server) initiateMultipartUpload(w http.ResponseWriter, rq *request) error {
	partSize, err := int64Header(rq.Request, "X-Amz-Part-Size")
	if err != nil {
		return err
	}
	ref := rq.vault()
	u, err := s.svc.InitiateMultipartUpload(rq.Context(), rq.caller, ref, partSize, rq.Header.Get("X-Amz-Archive-Description"))
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Location", location(ref, "multipart-uploads", u.ID))
	h.Set("X-Amz-Multipart-Upload-Id", u.ID)
	w.WriteHeader(http.StatusCreated)
	return nil
}

// parseContentRange parses an UploadMultipartPart Content-Range header,
// "bytes first-last/*" (a numeric total is tolerated).
func parseContentRange(v string) (first, last int64, err error) {
	bad := glacier.Errorf(glacier.KindInvalidParameter, "Invalid Content-Range: %s", v)
	rest, ok := strings.CutPrefix(v, "bytes ")
	if !ok {
		return 0, 0, bad
	}
	rng, total, ok := strings.Cut(rest, "/")
	if !ok || (total != "*" && !isDigits(total)) {
		return 0, 0, bad
	}
	a, b, ok := strings.Cut(rng, "-")
	if !ok || !isDigits(a) || !isDigits(b) {
		return 0, 0, bad
	}
	first, err1 := strconv.ParseInt(a, 10, 64)
	last, err2 := strconv.ParseInt(b, 10, 64)
	if err1 != nil || err2 != nil || last < first {
		return 0, 0, bad
	}
	return first, last, nil
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func (s *Server) uploadMultipartPart(w http.ResponseWriter, rq *request) error {
	first, last, err := partRange(rq.Request)
	if err != nil {
		return err
	}
	sum, err := s.svc.UploadMultipartPart(rq.Context(), rq.caller, service.UploadPartInput{
		Vault:    rq.vault(),
		UploadID: rq.PathValue("upload"),
		Start:    first,
		End:      last,
		TreeHash: rq.Header.Get("X-Amz-Sha256-Tree-Hash"),
		Body:     rq.Body,
	})
	if err != nil {
		return err
	}
	w.Header().Set("X-Amz-Sha256-Tree-Hash", sum)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) completeMultipartUpload(w http.ResponseWriter, rq *request) error {
	size, err := int64Header(rq.Request, "X-Amz-Archive-Size")
	if err != nil {
		return err
	}
	ref := rq.vault()
	a, err := s.svc.CompleteMultipartUpload(rq.Context(), rq.caller, ref, rq.PathValue("upload"), size,
		rq.Header.Get("X-Amz-Sha256-Tree-Hash"))
	if err != nil {
		return err
	}
	archiveCreated(w, ref, a)
	return nil
}

func (s *Server) abortMultipartUpload(w http.ResponseWriter, rq *request) error {
	if err := s.svc.AbortMultipartUpload(rq.Context(), rq.caller, rq.vault(), rq.PathValue("upload")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) uploadToWire(u glacier.Upload) uploadWire {
	return uploadWire{
		ArchiveDescription: nullable(u.Description),
		CreationDate:       isoTime(u.CreatedAt),
		MultipartUploadId:  u.ID,
		PartSizeInBytes:    u.PartSize,
		VaultARN:           s.svc.VaultARN(glacier.VaultRef{Account: u.Account, Name: u.Vault}),
	}
}

func (s *Server) listMultipartUploads(w http.ResponseWriter, rq *request) error {
	q := rq.URL.Query()
	limit, err := parseLimit(q, 50, 1000)
	if err != nil {
		return err
	}
	us, next, err := s.svc.ListMultipartUploads(rq.Context(), rq.caller, rq.vault(), q.Get("marker"), limit)
	if err != nil {
		return err
	}
	out := listUploadsWire{Marker: nullable(next), UploadsList: make([]uploadWire, len(us))}
	for i, u := range us {
		out.UploadsList[i] = s.uploadToWire(u)
	}
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) listParts(w http.ResponseWriter, rq *request) error {
	q := rq.URL.Query()
	limit, err := parseLimit(q, 50, 1000)
	if err != nil {
		return err
	}
	u, parts, next, err := s.svc.ListParts(rq.Context(), rq.caller, rq.vault(), rq.PathValue("upload"), q.Get("marker"), limit)
	if err != nil {
		return err
	}
	uw := s.uploadToWire(u)
	out := listPartsWire{
		ArchiveDescription: uw.ArchiveDescription,
		CreationDate:       uw.CreationDate,
		Marker:             nullable(next),
		MultipartUploadId:  u.ID,
		PartSizeInBytes:    u.PartSize,
		Parts:              make([]partWire, len(parts)),
		VaultARN:           uw.VaultARN,
	}
	for i, p := range parts {
		out.Parts[i] = partWire{RangeInBytes: fmt.Sprintf("%d-%d", p.Start, p.End()), SHA256TreeHash: p.TreeHash}
	}
	return writeJSON(w, http.StatusOK, out)
}
