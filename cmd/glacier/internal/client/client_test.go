package client

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/glacier"
)

// isolated are loader options that keep the machine's AWS files out.
func isolated() []func(*config.LoadOptions) error {
	return []func(*config.LoadOptions) error{
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("AKID", "secret", "")),
		config.WithSharedConfigFiles([]string{}),
		config.WithSharedCredentialsFiles([]string{}),
	}
}

func noEnv(string) string { return "" }

func TestRegionDefaultsOnlyForCustomEndpoints(t *testing.T) {
	t.Setenv("AWS_REGION", "")
	t.Setenv("AWS_DEFAULT_REGION", "")
	t.Setenv("AWS_ENDPOINT_URL", "")
	t.Setenv("AWS_ENDPOINT_URL_GLACIER", "")
	ctx := context.Background()
	if _, err := New(ctx, Settings{LoadOptions: isolated(), Getenv: noEnv}); err == nil || !strings.Contains(err.Error(), "no AWS region") {
		t.Errorf("no region, no endpoint: err = %v", err)
	}
	gl, err := New(ctx, Settings{EndpointURL: "http://127.0.0.1:1", LoadOptions: isolated(), Getenv: noEnv})
	if err != nil || gl.Options().Region != DefaultRegionForEndpoint || aws.ToString(gl.Options().BaseEndpoint) != "http://127.0.0.1:1" {
		t.Errorf("custom endpoint: region %q, endpoint %q, %v", gl.Options().Region, aws.ToString(gl.Options().BaseEndpoint), err)
	}
	env := func(k string) string {
		if k == "AWS_ENDPOINT_URL_GLACIER" {
			return "http://127.0.0.1:2"
		}
		return ""
	}
	if gl, err := New(ctx, Settings{LoadOptions: isolated(), Getenv: env}); err != nil || gl.Options().Region != DefaultRegionForEndpoint {
		t.Errorf("endpoint from the environment: %v", err)
	}
	if gl, err := New(ctx, Settings{Region: "eu-west-1", LoadOptions: isolated(), Getenv: noEnv}); err != nil || gl.Options().Region != "eu-west-1" {
		t.Errorf("--region: %v", err)
	}
}

func TestWithContentSHA256SendsAndSignsTheGivenHash(t *testing.T) {
	var mu sync.Mutex
	var got http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = r.Header.Clone()
		mu.Unlock()
		w.Header().Set("X-Amz-Archive-Id", "A")
		w.WriteHeader(http.StatusCreated)
	}))
	defer srv.Close()
	gl, err := New(context.Background(), Settings{EndpointURL: srv.URL, LoadOptions: isolated(), Getenv: noEnv})
	if err != nil {
		t.Fatal(err)
	}
	body := []byte("hello")
	sum := sha256.Sum256(body)
	_, err = gl.UploadArchive(context.Background(), &glacier.UploadArchiveInput{
		AccountId: aws.String("-"), VaultName: aws.String("v"), Checksum: aws.String("tree"), Body: bytes.NewReader(body),
	}, WithContentSHA256(sum))
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if got.Get("X-Amz-Content-Sha256") != hex.EncodeToString(sum[:]) || got.Get("X-Amz-Sha256-Tree-Hash") != "tree" {
		t.Errorf("headers: content %q, tree %q", got.Get("X-Amz-Content-Sha256"), got.Get("X-Amz-Sha256-Tree-Hash"))
	}
	if !strings.Contains(got.Get("Authorization"), "x-amz-content-sha256") {
		t.Errorf("x-amz-content-sha256 is not signed: %q", got.Get("Authorization"))
	}
}
