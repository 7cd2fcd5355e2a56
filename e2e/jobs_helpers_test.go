package e2e

import (
	"encoding/json"
	"io"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glacier"
	"github.com/aws/aws-sdk-go-v2/service/glacier/types"

	"github.com/glacierd/glacierd/internal/treehash"
)

// inventoryEntry is one archive of a JSON inventory document.
type inventoryEntry struct {
	ArchiveId          string
	ArchiveDescription string
	CreationDate       string
	Size               int64
	SHA256TreeHash     string
}

type inventoryDoc struct {
	VaultARN      string
	InventoryDate string
	ArchiveList   []inventoryEntry
}

// initiate starts a job or fails the test.
func (e *env) initiate(vault string, p types.JobParameters) string {
	e.t.Helper()
	out, err := e.gl.InitiateJob(ctx, &glacier.InitiateJobInput{AccountId: aws.String("-"), VaultName: aws.String(vault), JobParameters: &p})
	if err != nil {
		e.t.Fatalf("initiate %s job: %v", aws.ToString(p.Type), err)
	}
	return aws.ToString(out.JobId)
}

// output downloads a job's whole output or fails the test.
func (e *env) output(vault, job string) ([]byte, *glacier.GetJobOutputOutput) {
	e.t.Helper()
	out, err := e.gl.GetJobOutput(ctx, &glacier.GetJobOutputInput{AccountId: aws.String("-"), VaultName: aws.String(vault), JobId: aws.String(job)})
	if err != nil {
		e.t.Fatalf("get output of job %s: %v", job, err)
	}
	defer out.Body.Close()
	b, err := io.ReadAll(out.Body)
	if err != nil {
		e.t.Fatalf("read output of job %s: %v", job, err)
	}
	return b, out
}

// retrieve downloads an archive through an Expedited retrieval job, moving
// the service clock past the job's window.
func (e *env) retrieve(vault, id string) []byte {
	e.t.Helper()
	job := e.initiate(vault, types.JobParameters{Type: aws.String("archive-retrieval"), ArchiveId: aws.String(id), Tier: aws.String("Expedited")})
	e.clock.Advance(6 * time.Minute)
	b, _ := e.output(vault, job)
	return b
}

// assertArchive checks that archive id of vault holds exactly data.
func (e *env) assertArchive(vault, id string, data []byte) {
	e.t.Helper()
	got := e.retrieve(vault, id)
	if treehash.Sum(got) != treehash.Sum(data) || len(got) != len(data) {
		e.t.Errorf("archive %.12s… holds %d bytes (tree hash %x), want %d bytes (%x)", id, len(got), treehash.Sum(got), len(data), treehash.Sum(data))
	}
}

// inventory returns the vault's current inventory, from an inventory job.
func (e *env) inventory(vault string) []inventoryEntry {
	e.t.Helper()
	job := e.initiate(vault, types.JobParameters{Type: aws.String("inventory-retrieval")})
	e.clock.Advance(4*time.Hour + time.Minute)
	b, _ := e.output(vault, job)
	var doc inventoryDoc
	if err := json.Unmarshal(b, &doc); err != nil {
		e.t.Fatalf("inventory of %s: %v\n%s", vault, err, b)
	}
	return doc.ArchiveList
}
