package download

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// StateSuffix and PartialSuffix name the files kept next to the output
// while a download is unfinished: its resume state, and the data so far.
const (
	StateSuffix   = ".glacier-download.json"
	PartialSuffix = ".partial"
)

const stateVersion = 1

// State is the resume state of a download, saved as JSON next to the output
// after every completed range.
type State struct {
	Version            int    `json:"version"`
	Vault              string `json:"vault"`
	JobID              string `json:"jobId"`
	ArchiveID          string `json:"archiveId,omitempty"`
	RetrievalByteRange string `json:"retrievalByteRange,omitempty"`
	Size               int64  `json:"size"`
	TreeHash           string `json:"treeHash,omitempty"`
	RangeSize          int64  `json:"rangeSize"`
	Completed          []Done `json:"completed"`
	// NewJobID is a retrieval job started to replace JobID (which expired)
	// and not yet downloaded from: a rerun waits for it rather than
	// starting another.
	NewJobID string `json:"newJobId,omitempty"`
}

// Done is a range written to the partial file, with its tree hash.
type Done struct {
	Start    int64  `json:"start"`
	End      int64  `json:"end"`
	TreeHash string `json:"treeHash"`
	// Checked records that Glacier sent a tree hash for the range and the
	// data matched it.
	Checked bool `json:"checked,omitempty"`
}

// NewState returns the empty state of a download of job in ranges of
// rangeSize.
func NewState(job Job, rangeSize int64) *State {
	return &State{
		Version: stateVersion, Vault: job.Vault, JobID: job.JobID, ArchiveID: job.ArchiveID,
		RetrievalByteRange: job.RetrievalByteRange, Size: job.Size, TreeHash: job.TreeHash,
		RangeSize: rangeSize, Completed: []Done{},
	}
}

// RecordJob notes in the state file at path that jobID was started to
// retrieve archiveID (byteRange "" for all of it) from vault, so that a rerun
// interrupted before any byte is downloaded waits for that job instead of
// starting another. A state with downloaded ranges of the same archive keeps
// them (they are reused if the new job's output matches) and notes the job
// as its NewJobID.
func RecordJob(path, vault, archiveID, byteRange, jobID string) error {
	st, err := LoadState(path)
	if err == nil && st != nil && st.Version == stateVersion && st.Vault == vault && st.ArchiveID == archiveID && len(st.Completed) > 0 {
		st.NewJobID = jobID
		return st.Save(path)
	}
	st = &State{Version: stateVersion, Vault: vault, JobID: jobID, ArchiveID: archiveID, RetrievalByteRange: byteRange, Completed: []Done{}}
	return st.Save(path)
}

// Pending reports whether the state records only a started job: nothing
// has been downloaded yet.
func (s *State) Pending() bool { return s.Size == 0 && len(s.Completed) == 0 }

// Resumes reports whether the saved state can continue a download of job:
// it is for the same job, or for another job that retrieved the very same
// bytes (same vault, archive, range and tree hash: a re-initiated retrieval
// after the first job expired).
func (s *State) Resumes(job Job) bool {
	if s.Version != stateVersion || s.Size != job.Size || s.Vault != job.Vault || CheckRangeSize(s.RangeSize) != nil {
		return false
	}
	if s.JobID == job.JobID {
		return true
	}
	return s.TreeHash != "" && s.TreeHash == job.TreeHash && s.ArchiveID == job.ArchiveID &&
		s.RetrievalByteRange == job.RetrievalByteRange
}

// Missing returns the planned ranges not recorded as done.
func (s *State) Missing(plan []Range) []Range {
	done := make(map[Range]bool, len(s.Completed))
	for _, d := range s.Completed {
		done[Range{d.Start, d.End}] = true
	}
	var out []Range
	for _, r := range plan {
		if !done[r] {
			out = append(out, r)
		}
	}
	return out
}

// LoadState reads a state file. A missing file yields (nil, nil).
func LoadState(path string) (*State, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var s State
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("%s is not a download state file: %w", path, err)
	}
	return &s, nil
}

// Save writes the state atomically (a temporary file renamed over path).
func (s *State) Save(path string) error {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(append(b, '\n'))
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}
