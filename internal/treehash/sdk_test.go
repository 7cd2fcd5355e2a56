package treehash

import (
	"bytes"
	"context"
	"encoding/hex"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/glacier"
)

// captureClient records the tree-hash header of each request the SDK sends
// and answers like UploadArchive does, without any network.
type captureClient struct {
	mu     sync.Mutex
	hashes []string
}

func (c *captureClient) Do(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		io.Copy(io.Discard, r.Body)
		r.Body.Close()
	}
	c.mu.Lock()
	c.hashes = append(c.hashes, r.Header.Get("X-Amz-Sha256-Tree-Hash"))
	c.mu.Unlock()
	h := http.Header{}
	h.Set("Location", "/-/vaults/v/archives/a")
	h.Set("X-Amz-Archive-Id", "a")
	h.Set("X-Amz-Sha256-Tree-Hash", r.Header.Get("X-Amz-Sha256-Tree-Hash"))
	return &http.Response{
		StatusCode: http.StatusCreated,
		Status:     "201 Created",
		Header:     h,
		Body:       io.NopCloser(strings.NewReader("")),
		Request:    r,
	}, nil
}

// sdkTreeHash returns the tree hash aws-sdk-go-v2's Glacier client computes
// for an UploadArchive of data.
func sdkTreeHash(t *testing.T, data []byte) string {
	t.Helper()
	capture := &captureClient{}
	client := glacier.New(glacier.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String("http://127.0.0.1:9"),
		Credentials:  credentials.NewStaticCredentialsProvider("AKID", "SECRET", ""),
		HTTPClient:   capture,
	})
	_, err := client.UploadArchive(context.Background(), &glacier.UploadArchiveInput{
		VaultName: aws.String("v"),
		Body:      bytes.NewReader(data),
	})
	if err != nil {
		t.Fatalf("UploadArchive: %v", err)
	}
	if len(capture.hashes) != 1 {
		t.Fatalf("captured %d requests, want 1", len(capture.hashes))
	}
	return capture.hashes[0]
}

// TestMatchesSDK compares with the tree hash aws-sdk-go-v2 sets on
// UploadArchive. (The SDK leaves the header empty for an empty body, so sizes
// start at 1.)
func TestMatchesSDK(t *testing.T) {
	for _, n := range vectorSizes {
		if n == 0 {
			continue
		}
		data := testData(n, uint64(n)+100)
		got := Sum(data)
		if want := sdkTreeHash(t, data); hex.EncodeToString(got[:]) != want {
			t.Errorf("Sum(%d bytes) = %x, SDK says %s", n, got, want)
		}
	}
}
