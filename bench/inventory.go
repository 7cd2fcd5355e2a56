package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glacier"
	"github.com/aws/aws-sdk-go-v2/service/glacier/types"

	gl "github.com/glacierd/glacierd/internal/glacier"
	"github.com/glacierd/glacierd/internal/store/sqlite"
)

// idAlphabet is the alphabet of glacierd's archive IDs.
const idAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

// fakeID returns a well-formed 138-character archive ID for i. IDs of
// increasing i sort in increasing order (8 upper-case base-26 digits of i
// lead), so that the inserts append to the primary-key index.
func fakeID(i int) string {
	b := make([]byte, 138)
	for k, v := 7, i; k >= 0; k, v = k-1, v/26 {
		b[k] = byte('A' + v%26)
	}
	for k := 8; k < len(b); k++ {
		b[k] = idAlphabet[word(uint64(i), uint64(k))&63]
	}
	return string(b)
}

// insertArchives adds n archive records to the vault directly in the
// metadata store of a stopped glacierd, in transactions of batch records,
// and counts them in the vault. The records point at a blob that does not
// exist; an inventory does not read blobs.
func insertArchives(ctx context.Context, data string, n, batch int) (time.Duration, error) {
	start := time.Now()
	st, err := sqlite.Open(ctx, filepath.Join(data, "meta.db"))
	if err != nil {
		return 0, err
	}
	base := time.Now().Add(-time.Hour).UTC().Truncate(time.Microsecond)
	for lo := 0; lo < n; lo += batch {
		hi := min(n, lo+batch)
		err := st.Update(ctx, func(tx gl.Tx) error {
			v, err := tx.Vault(accountID, vault)
			if err != nil {
				return err
			}
			for i := lo; i < hi; i++ {
				size := int64(1 + word(7, uint64(i))%(64<<20))
				a := gl.Archive{
					ID: fakeID(i), Account: accountID, Vault: vault,
					Description: fmt.Sprintf("bench archive %d", i),
					Size:        size,
					TreeHash:    fmt.Sprintf("%016x%016x%016x%016x", word(1, uint64(i)), word(2, uint64(i)), word(3, uint64(i)), word(4, uint64(i))),
					CreatedAt:   base.Add(time.Duration(i) * time.Microsecond),
					Segments:    []gl.Segment{{Key: "archive/00/bench-fake", Size: size}},
				}
				if err := tx.PutArchive(a); err != nil {
					return err
				}
				v.Archives++
				v.Bytes += size
			}
			v.LastWriteAt = base.Add(time.Duration(hi) * time.Microsecond)
			return tx.PutVault(v)
		})
		if err != nil {
			_ = st.Close()
			return 0, fmt.Errorf("insert archives %d-%d: %w", lo, hi, err)
		}
	}
	return time.Since(start), st.Close()
}

// inventoryRun times one inventory job end to end: InitiateJob, then
// GetJobOutput (which prepares the document, as the job completes at once
// with --time-scale 0) streamed to a discarding writer.
func inventoryRun(ctx context.Context, c *glacier.Client, format string) (time.Duration, int64, error) {
	start := time.Now()
	job, err := c.InitiateJob(ctx, &glacier.InitiateJobInput{AccountId: aws.String("-"), VaultName: aws.String(vault),
		JobParameters: &types.JobParameters{Type: aws.String("inventory-retrieval"), Format: aws.String(format)}})
	if err != nil {
		return 0, 0, fmt.Errorf("InitiateJob: %w", err)
	}
	out, err := c.GetJobOutput(ctx, &glacier.GetJobOutputInput{AccountId: aws.String("-"), VaultName: aws.String(vault), JobId: job.JobId})
	if err != nil {
		return 0, 0, fmt.Errorf("GetJobOutput: %w", err)
	}
	defer out.Body.Close()
	n, err := io.CopyBuffer(discard{}, out.Body, make([]byte, 1<<20))
	return time.Since(start), n, err
}
