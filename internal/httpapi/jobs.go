package httpapi

import (
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/glacierd/glacierd/internal/glacier"
	"github.com/glacierd/glacierd/internal/jobdoc"
	"github.com/glacierd/glacierd/internal/service"
)

// jobParamsWire is the InitiateJob request body: the JobParameters object
// itself (not wrapped).
type jobParamsWire struct {
	Type                         string
	ArchiveId                    string
	Description                  string
	SNSTopic                     string
	RetrievalByteRange           string
	Tier                         string
	Format                       string
	InventoryRetrievalParameters *struct{ StartDate, EndDate, Limit, Marker string }
	SelectParameters             *jobdoc.SelectParameters
	OutputLocation               *jobdoc.OutputLocation
}

func (s *Server) initiateJob(w http.ResponseWriter, rq *request) error {
	var in jobParamsWire
	if err := decodeJSON(rq.Request, rq.maxBody, &in); err != nil {
		return err
	}
	p := service.JobParams{
		Type: in.Type, ArchiveID: in.ArchiveId, Description: in.Description, SNSTopic: in.SNSTopic,
		RetrievalByteRange: in.RetrievalByteRange, Tier: in.Tier, Format: in.Format,
		Select:           in.SelectParameters != nil || in.OutputLocation != nil,
		SelectParameters: in.SelectParameters.Domain(),
		OutputLocation:   in.OutputLocation.Domain(),
	}
	if ip := in.InventoryRetrievalParameters; ip != nil {
		p.Inventory = &service.InventoryParams{StartDate: ip.StartDate, EndDate: ip.EndDate, Limit: ip.Limit, Marker: ip.Marker}
	}
	ref := rq.vault()
	j, err := s.svc.InitiateJob(rq.Context(), rq.caller, ref, p)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Location", location(ref, "jobs", j.ID))
	h.Set("X-Amz-Job-Id", j.ID)
	if j.OutputPath != "" {
		h.Set("X-Amz-Job-Output-Path", j.OutputPath)
	}
	w.WriteHeader(http.StatusAccepted)
	return nil
}

func (s *Server) describeJob(w http.ResponseWriter, rq *request) error {
	j, err := s.svc.DescribeJob(rq.Context(), rq.caller, rq.vault(), rq.PathValue("job"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, jobdoc.New(j))
}

type listJobsWire struct {
	JobList []jobdoc.Document `json:"JobList"`
	Marker  *string           `json:"Marker"`
}

func (s *Server) listJobs(w http.ResponseWriter, rq *request) error {
	q := rq.URL.Query()
	limit, err := parseLimit(q, 1000, 1000)
	if err != nil {
		return err
	}
	f := service.JobFilter{StatusCode: q.Get("statuscode")}
	switch c := q.Get("completed"); c {
	case "":
	case "true", "false":
		b := c == "true"
		f.Completed = &b
	default:
		return glacier.Errorf(glacier.KindInvalidParameter, "The completed value is not valid: %s. Valid values are: true, false", c)
	}
	jobs, next, err := s.svc.ListJobs(rq.Context(), rq.caller, rq.vault(), f, q.Get("marker"), limit)
	if err != nil {
		return err
	}
	out := listJobsWire{JobList: make([]jobdoc.Document, len(jobs)), Marker: nullable(next)}
	for i, j := range jobs {
		out.JobList[i] = jobdoc.New(j)
	}
	return writeJSON(w, http.StatusOK, out)
}

// parseRange reads a GetJobOutput Range header. Only "bytes=first-last" is
// understood; any other form is ignored, as Glacier does.
func parseRange(v string) *[2]int64 {
	spec, ok := strings.CutPrefix(v, "bytes=")
	if !ok {
		return nil
	}
	a, b, ok := strings.Cut(spec, "-")
	if !ok || !isDigits(a) || !isDigits(b) {
		return nil
	}
	first, err1 := strconv.ParseInt(a, 10, 64)
	last, err2 := strconv.ParseInt(b, 10, 64)
	if err1 != nil || err2 != nil {
		return nil
	}
	return &[2]int64{first, last}
}

func (s *Server) getJobOutput(w http.ResponseWriter, rq *request) error {
	out, err := s.svc.GetJobOutput(rq.Context(), rq.caller, rq.vault(), rq.PathValue("job"), parseRange(rq.Header.Get("Range")))
	if err != nil {
		return err
	}
	defer out.Body.Close()
	h := w.Header()
	h.Set("Content-Type", out.ContentType)
	h.Set("Content-Length", strconv.FormatInt(out.End-out.Start+1, 10))
	h.Set("Accept-Ranges", "bytes")
	if out.TreeHash != "" {
		h.Set("X-Amz-Sha256-Tree-Hash", out.TreeHash)
	}
	if out.Description != "" {
		h.Set("X-Amz-Archive-Description", out.Description)
	}
	status := http.StatusOK
	if out.Partial {
		status = http.StatusPartialContent
		h.Set("Content-Range", "bytes "+strconv.FormatInt(out.Start, 10)+"-"+strconv.FormatInt(out.End, 10)+"/"+strconv.FormatInt(out.Size, 10))
	}
	w.WriteHeader(status)
	if rq.Method == http.MethodHead {
		return nil
	}
	_, err = io.Copy(w, out.Body)
	return err
}
