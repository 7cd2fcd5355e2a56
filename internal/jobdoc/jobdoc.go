// Package jobdoc is Glacier's job document (GlacierJobDescription): the
// description of a job as a client sees it at one moment, and its JSON form
// with AWS's explicit nulls. The same document is the body of DescribeJob,
// an entry of ListJobs (internal/httpapi) and the message published when a
// job completes (internal/service), so it lives below both.
package jobdoc

import (
	"encoding/json"
	"strconv"
	"time"

	"github.com/glacierd/glacierd/internal/glacier"
)

// Info is a job as a client sees it at one moment.
type Info struct {
	glacier.Job
	VaultARN   string
	StatusCode string    // as of the moment
	Completed  bool      // StatusCode is no longer InProgress
	Message    string    // StatusMessage
	Finished   time.Time // CompletionDate; zero while in progress
}

// Document is GlacierJobDescription, with AWS's explicit nulls.
type Document struct {
	Action                       string            `json:"Action"`
	ArchiveId                    *string           `json:"ArchiveId"`
	ArchiveSHA256TreeHash        *string           `json:"ArchiveSHA256TreeHash"`
	ArchiveSizeInBytes           *int64            `json:"ArchiveSizeInBytes"`
	Completed                    bool              `json:"Completed"`
	CompletionDate               *string           `json:"CompletionDate"`
	CreationDate                 *string           `json:"CreationDate"`
	InventoryRetrievalParameters *InventoryParams  `json:"InventoryRetrievalParameters"`
	InventorySizeInBytes         *int64            `json:"InventorySizeInBytes"`
	JobDescription               *string           `json:"JobDescription"`
	JobId                        string            `json:"JobId"`
	JobOutputPath                *string           `json:"JobOutputPath"`
	OutputLocation               *OutputLocation   `json:"OutputLocation"`
	RetrievalByteRange           *string           `json:"RetrievalByteRange"`
	SHA256TreeHash               *string           `json:"SHA256TreeHash"`
	SNSTopic                     *string           `json:"SNSTopic"`
	SelectParameters             *SelectParameters `json:"SelectParameters"`
	StatusCode                   string            `json:"StatusCode"`
	StatusMessage                *string           `json:"StatusMessage"`
	Tier                         *string           `json:"Tier"`
	VaultARN                     string            `json:"VaultARN"`
}

// InventoryParams is InventoryRetrievalJobDescription.
type InventoryParams struct {
	EndDate   *string `json:"EndDate"`
	Format    string  `json:"Format"`
	Limit     *string `json:"Limit"`
	Marker    *string `json:"Marker"`
	StartDate *string `json:"StartDate"`
}

// Marshal renders j as Glacier's JSON job document.
func Marshal(j Info) ([]byte, error) { return json.Marshal(New(j)) }

// New returns the document describing j.
func New(j Info) Document {
	w := Document{
		Action:         j.Action,
		Completed:      j.Completed,
		CompletionDate: isoTime(j.Finished),
		CreationDate:   isoTime(j.CreatedAt),
		JobDescription: nullable(j.Description),
		JobId:          j.ID,
		SNSTopic:       nullable(j.SNSTopic),
		StatusCode:     j.StatusCode,
		StatusMessage:  nullable(j.Message),
		Tier:           nullable(j.Tier),
		VaultARN:       j.VaultARN,
	}
	switch j.Action {
	case glacier.ActionArchiveRetrieval:
		size := j.ArchiveSize
		w.ArchiveId = &j.ArchiveID
		w.ArchiveSHA256TreeHash = &j.ArchiveTreeHash
		w.ArchiveSizeInBytes = &size
		rng := strconv.FormatInt(j.RangeStart, 10) + "-" + strconv.FormatInt(j.RangeEnd, 10)
		w.RetrievalByteRange = &rng
		w.SHA256TreeHash = nullable(j.RangeTreeHash)
	case glacier.ActionSelect:
		w.ArchiveId = &j.ArchiveID
		w.SelectParameters = selectWire(j.Select)
		w.OutputLocation = locationWire(j.OutputLocation)
		w.JobOutputPath = nullable(j.OutputPath)
	case glacier.ActionInventoryRetrieval:
		p := &InventoryParams{
			Format:    j.Format,
			StartDate: isoTime(j.InventoryStart),
			EndDate:   isoTime(j.InventoryEnd),
			Marker:    nullable(j.NextMarker),
		}
		if j.InventoryLimit > 0 {
			l := strconv.Itoa(j.InventoryLimit)
			p.Limit = &l
		}
		w.InventoryRetrievalParameters = p
		if j.Completed {
			size := j.OutputSize
			w.InventorySizeInBytes = &size
		}
	}
	return w
}

// isoTime formats t as Glacier's dates (ISO 8601, milliseconds, UTC), or
// nil (JSON null) for the zero time.
func isoTime(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.UTC().Format("2006-01-02T15:04:05.000Z")
	return &s
}

// nullable returns nil (JSON null) for "", else a pointer to s.
func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
