package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/glacier"
	"golang.org/x/sync/errgroup"

	"github.com/glacierd/glacierd/internal/payloadhash"
)

const vault = "bench"

// newClient returns a Glacier client for the server at url, retries off.
func newClient(url string) *glacier.Client {
	return glacier.NewFromConfig(aws.Config{
		Region:      "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider(accessKey, secretKey, ""),
	}, func(o *glacier.Options) {
		o.BaseEndpoint = aws.String(url)
		o.Retryer = aws.NopRetryer{}
	})
}

// uploadSingle sends body (of known hashes) with UploadArchive and returns
// the archive ID and the time from the call to the 201. With precomputed
// false the SDK computes both hashes itself, inside the timed region.
func uploadSingle(ctx context.Context, gl *glacier.Client, body io.ReadSeeker, h hashes, precomputed bool) (string, time.Duration, error) {
	in := &glacier.UploadArchiveInput{AccountId: aws.String("-"), VaultName: aws.String(vault), Body: body}
	var opts []func(*glacier.Options)
	if precomputed {
		in.Checksum = aws.String(h.tree)
		opts = append(opts, payloadhash.Option(h.linear))
	}
	start := time.Now()
	out, err := gl.UploadArchive(ctx, in, opts...)
	el := time.Since(start)
	if err != nil {
		return "", el, fmt.Errorf("UploadArchive: %w", err)
	}
	if got := aws.ToString(out.Checksum); got != h.tree {
		return "", el, fmt.Errorf("UploadArchive answered tree hash %s, want %s", got, h.tree)
	}
	return aws.ToString(out.ArchiveId), el, nil
}

// multipartJob is an archive in memory, cut into parts, with every hash
// computed.
type multipartJob struct {
	data     []byte
	partSize int64
	parts    []hashes
	tree     string
}

func newMultipartJob(data []byte, partSize int64, tree string) *multipartJob {
	j := &multipartJob{data: data, partSize: partSize, tree: tree}
	for off := int64(0); off < int64(len(data)); off += partSize {
		j.parts = append(j.parts, hashBytes(data[off:min(int64(len(data)), off+partSize)]))
	}
	return j
}

// uploadMultipart sends the archive with parallel parts in flight and
// returns the time from Initiate to the Complete's 201. With unsigned, the
// parts are sent with x-amz-content-sha256: UNSIGNED-PAYLOAD.
func uploadMultipart(ctx context.Context, gl *glacier.Client, j *multipartJob, parallel int, unsigned bool) (string, time.Duration, error) {
	start := time.Now()
	init, err := gl.InitiateMultipartUpload(ctx, &glacier.InitiateMultipartUploadInput{AccountId: aws.String("-"),
		VaultName: aws.String(vault), PartSize: aws.String(fmt.Sprint(j.partSize))})
	if err != nil {
		return "", 0, fmt.Errorf("InitiateMultipartUpload: %w", err)
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(parallel)
	for i, ph := range j.parts {
		off := int64(i) * j.partSize
		end := min(int64(len(j.data)), off+j.partSize)
		if unsigned {
			ph.linear = "UNSIGNED-PAYLOAD"
		}
		g.Go(func() error {
			_, err := gl.UploadMultipartPart(gctx, &glacier.UploadMultipartPartInput{AccountId: aws.String("-"),
				VaultName: aws.String(vault), UploadId: init.UploadId, Checksum: aws.String(ph.tree),
				Range: aws.String(fmt.Sprintf("bytes %d-%d/*", off, end-1)), Body: bytes.NewReader(j.data[off:end])},
				payloadhash.Option(ph.linear))
			if err != nil {
				return fmt.Errorf("UploadMultipartPart %d: %w", i, err)
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return "", 0, err
	}
	out, err := gl.CompleteMultipartUpload(ctx, &glacier.CompleteMultipartUploadInput{AccountId: aws.String("-"),
		VaultName: aws.String(vault), UploadId: init.UploadId, ArchiveSize: aws.String(fmt.Sprint(len(j.data))), Checksum: aws.String(j.tree)})
	el := time.Since(start)
	if err != nil {
		return "", el, fmt.Errorf("CompleteMultipartUpload: %w", err)
	}
	if got := aws.ToString(out.Checksum); got != j.tree {
		return "", el, fmt.Errorf("CompleteMultipartUpload answered tree hash %s, want %s", got, j.tree)
	}
	return aws.ToString(out.ArchiveId), el, nil
}

// deleteArchive deletes an archive the measurements no longer need, so that
// repeated runs do not fill the disk.
func deleteArchive(ctx context.Context, gl *glacier.Client, id string) error {
	_, err := gl.DeleteArchive(ctx, &glacier.DeleteArchiveInput{AccountId: aws.String("-"), VaultName: aws.String(vault), ArchiveId: aws.String(id)})
	if err != nil {
		return fmt.Errorf("DeleteArchive: %w", err)
	}
	return nil
}

// discard is io.Discard without ReadFrom, so that copies into it use the
// caller's large buffer.
type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// downloadRanges reads a completed retrieval job's output of size bytes as
// n parallel ranges and returns the time until the last byte arrived.
func downloadRanges(ctx context.Context, gl *glacier.Client, job string, size int64, n int) (time.Duration, error) {
	start := time.Now()
	g, gctx := errgroup.WithContext(ctx)
	chunk := (size + int64(n) - 1) / int64(n)
	for off := int64(0); off < size; off += chunk {
		end := min(size, off+chunk) - 1
		g.Go(func() error {
			out, err := gl.GetJobOutput(gctx, &glacier.GetJobOutputInput{AccountId: aws.String("-"), VaultName: aws.String(vault),
				JobId: aws.String(job), Range: aws.String(fmt.Sprintf("bytes=%d-%d", off, end))})
			if err != nil {
				return fmt.Errorf("GetJobOutput %d-%d: %w", off, end, err)
			}
			defer out.Body.Close()
			got, err := io.CopyBuffer(discard{}, out.Body, make([]byte, 1<<20))
			if err == nil && got != end-off+1 {
				err = fmt.Errorf("got %d bytes, want %d", got, end-off+1)
			}
			return err
		})
	}
	err := g.Wait()
	return time.Since(start), err
}

// catFile times `cat path > /dev/null`.
func catFile(path string) (time.Duration, error) {
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		return 0, err
	}
	defer null.Close()
	cmd := exec.Command("cat", path)
	cmd.Stdout = null
	start := time.Now()
	err = cmd.Run()
	return time.Since(start), err
}

// catIntoReader times `cat path` into a pipe that this process reads and
// discards: the stored bytes delivered to a reading process, as a download
// delivers them to the client (cat to /dev/null delivers them to nobody).
func catIntoReader(path string) (time.Duration, error) {
	cmd := exec.Command("cat", path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return 0, err
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	buf := make([]byte, 1<<20)
	_, cerr := io.CopyBuffer(discard{}, out, buf)
	err = cmd.Wait()
	d := time.Since(start)
	if cerr != nil {
		return d, cerr
	}
	return d, err
}

// ddContext times dd writing 256 MiB of zeros with a final fdatasync, in dir.
func ddContext(dir string) (time.Duration, error) {
	path := dir + "/dd.bin"
	defer os.Remove(path)
	cmd := exec.Command("dd", "if=/dev/zero", "of="+path, "bs=1M", "count=256", "conv=fdatasync")
	start := time.Now()
	out, err := cmd.CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("dd: %v: %s", err, out)
	}
	return time.Since(start), nil
}
