// Package inventory retrieves a vault's inventory through inventory-retrieval
// jobs (following pages with InventoryRetrievalParameters Limit and Marker)
// and writes it as a table, JSON or CSV.
package inventory

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glacier"
	"github.com/aws/aws-sdk-go-v2/service/glacier/types"
)

// Archive is one archive of an inventory, with Glacier's field names.
type Archive struct {
	ArchiveId          string // Glacier's spelling, kept for JSON
	ArchiveDescription string
	CreationDate       string
	Size               int64
	SHA256TreeHash     string
}

// Inventory is a vault inventory in the shape of Glacier's JSON document.
type Inventory struct {
	VaultARN      string
	InventoryDate string
	ArchiveList   []Archive
}

// Parse reads a Glacier JSON inventory document.
func Parse(r io.Reader) (Inventory, error) {
	var inv Inventory
	if err := json.NewDecoder(r).Decode(&inv); err != nil {
		return inv, fmt.Errorf("parse inventory: %w", err)
	}
	if inv.ArchiveList == nil {
		inv.ArchiveList = []Archive{}
	}
	return inv, nil
}

// ParseCSV reads a Glacier CSV inventory (header ArchiveId,
// ArchiveDescription, CreationDate, Size, SHA256TreeHash). Glacier quotes a
// field containing a comma or a double quote and escapes inner double quotes
// with a backslash; the RFC 4180 doubled quote is accepted too.
func ParseCSV(r io.Reader) (Inventory, error) {
	inv := Inventory{ArchiveList: []Archive{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimRight(sc.Text(), "\r")
		if line == 1 || text == "" {
			continue
		}
		f, err := splitCSV(text)
		if err != nil || len(f) != 5 {
			return inv, fmt.Errorf("parse CSV inventory line %d: want 5 fields: %q", line, text)
		}
		var size int64
		if _, err := fmt.Sscan(f[3], &size); err != nil {
			return inv, fmt.Errorf("parse CSV inventory line %d: bad size %q", line, f[3])
		}
		inv.ArchiveList = append(inv.ArchiveList, Archive{f[0], f[1], f[2], size, f[4]})
	}
	return inv, sc.Err()
}

// splitCSV splits one line of Glacier-style CSV into fields.
func splitCSV(s string) ([]string, error) {
	var fields []string
	for {
		var f strings.Builder
		if strings.HasPrefix(s, `"`) {
			i := 1
			for {
				if i >= len(s) {
					return nil, fmt.Errorf("unterminated quoted field")
				}
				c := s[i]
				switch {
				case c == '\\' && i+1 < len(s) && s[i+1] == '"':
					f.WriteByte('"')
					i += 2
					continue
				case c == '"' && i+1 < len(s) && s[i+1] == '"':
					f.WriteByte('"')
					i += 2
					continue
				case c == '"':
					i++
				default:
					f.WriteByte(c)
					i++
					continue
				}
				break
			}
			s = s[i:]
		} else {
			end := strings.IndexByte(s, ',')
			if end < 0 {
				end = len(s)
			}
			f.WriteString(s[:end])
			s = s[end:]
		}
		fields = append(fields, f.String())
		if s == "" {
			return fields, nil
		}
		if s[0] != ',' {
			return nil, fmt.Errorf("garbage after quoted field")
		}
		s = s[1:]
	}
}

// API is the part of the Glacier client Fetch uses.
type API interface {
	InitiateJob(ctx context.Context, in *glacier.InitiateJobInput, optFns ...func(*glacier.Options)) (*glacier.InitiateJobOutput, error)
	GetJobOutput(ctx context.Context, in *glacier.GetJobOutputInput, optFns ...func(*glacier.Options)) (*glacier.GetJobOutputOutput, error)
}

// Options control Fetch.
type Options struct {
	AccountID string
	Vault     string
	JobID     string // start from this existing inventory job instead of a new one
	Limit     int    // archives per job (page); 0: Glacier's default, everything
	// Wait waits for a job to complete and returns its description; Fetch
	// calls it for every page's job.
	Wait func(ctx context.Context, jobID string) (*glacier.DescribeJobOutput, error)
	// Started, if set, is told of each inventory job Fetch initiates.
	Started func(jobID string, page int)
}

// Fetch retrieves the vault's whole inventory, one job per page.
func Fetch(ctx context.Context, api API, o Options) (Inventory, error) {
	var all Inventory
	all.ArchiveList = []Archive{}
	jobID := o.JobID
	var params *types.InventoryRetrievalJobInput
	if o.Limit > 0 {
		params = &types.InventoryRetrievalJobInput{Limit: aws.String(fmt.Sprint(o.Limit))}
	}
	for page := 1; ; page++ {
		if jobID == "" {
			out, err := api.InitiateJob(ctx, &glacier.InitiateJobInput{
				AccountId: aws.String(o.AccountID), VaultName: aws.String(o.Vault),
				JobParameters: &types.JobParameters{Type: aws.String("inventory-retrieval"), Format: aws.String("JSON"),
					InventoryRetrievalParameters: params},
			})
			if err != nil {
				return all, fmt.Errorf("initiate inventory retrieval: %w", err)
			}
			jobID = aws.ToString(out.JobId)
			if o.Started != nil {
				o.Started(jobID, page)
			}
		}
		d, err := o.Wait(ctx, jobID)
		if err != nil {
			return all, err
		}
		if d.Action != types.ActionCodeInventoryRetrieval {
			return all, fmt.Errorf("job %s is an %s job, not an inventory retrieval", jobID, d.Action)
		}
		inv, err := output(ctx, api, o, jobID, d)
		if err != nil {
			return all, err
		}
		all.VaultARN = inv.VaultARN
		if all.InventoryDate == "" {
			all.InventoryDate = inv.InventoryDate
		}
		all.ArchiveList = append(all.ArchiveList, inv.ArchiveList...)
		p := d.InventoryRetrievalParameters
		if p == nil || aws.ToString(p.Marker) == "" {
			return all, nil
		}
		// The next page keeps the job's date filters and page size.
		params = &types.InventoryRetrievalJobInput{StartDate: p.StartDate, EndDate: p.EndDate, Limit: p.Limit, Marker: p.Marker}
		if o.Limit > 0 {
			params.Limit = aws.String(fmt.Sprint(o.Limit))
		}
		jobID = ""
	}
}

// output downloads and parses one inventory job's output.
func output(ctx context.Context, api API, o Options, jobID string, d *glacier.DescribeJobOutput) (Inventory, error) {
	out, err := api.GetJobOutput(ctx, &glacier.GetJobOutputInput{
		AccountId: aws.String(o.AccountID), VaultName: aws.String(o.Vault), JobId: aws.String(jobID),
	})
	if err != nil {
		return Inventory{}, fmt.Errorf("get inventory job output: %w", err)
	}
	defer out.Body.Close()
	csv := strings.HasPrefix(aws.ToString(out.ContentType), "text/csv") ||
		(d.InventoryRetrievalParameters != nil && aws.ToString(d.InventoryRetrievalParameters.Format) == "CSV")
	if csv {
		inv, err := ParseCSV(out.Body)
		inv.VaultARN = aws.ToString(d.VaultARN)
		return inv, err
	}
	return Parse(out.Body)
}
