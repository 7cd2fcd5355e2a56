package sigv4

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/glacier"
	"github.com/aws/aws-sdk-go-v2/service/glacier/types"
)

// TestGlacierClient sends real Glacier API calls with aws-sdk-go-v2's Glacier
// client (its own serializers, escaping, checksum and signing middleware) and
// verifies each request as the server received it.
func TestGlacierClient(t *testing.T) {
	cs := newCaptureServer(t)
	ctx := context.Background()
	for _, token := range []string{"", "session-token/+="} {
		client := glacier.New(glacier.Options{
			Region:           testRegion,
			BaseEndpoint:     aws.String(cs.URL),
			Credentials:      credentials.NewStaticCredentialsProvider(testAccessKey, testSecret, token),
			RetryMaxAttempts: 1,
		})
		calls := []struct {
			name string
			call func() error
		}{
			{"ListVaults", func() error {
				_, err := client.ListVaults(ctx, &glacier.ListVaultsInput{Limit: aws.Int32(5), Marker: aws.String("arn:aws:glacier:x/y z")})
				return err
			}},
			{"CreateVault", func() error {
				_, err := client.CreateVault(ctx, &glacier.CreateVaultInput{VaultName: aws.String("my.vault-1_x")})
				return err
			}},
			{"DescribeVault odd name", func() error {
				_, err := client.DescribeVault(ctx, &glacier.DescribeVaultInput{VaultName: aws.String("my vault ü/%2F+~")})
				return err
			}},
			{"UploadArchive", func() error {
				_, err := client.UploadArchive(ctx, &glacier.UploadArchiveInput{
					VaultName:          aws.String("v"),
					ArchiveDescription: aws.String("café ☕   with  runs "),
					Body:               bytes.NewReader(bytes.Repeat([]byte("x"), 3<<20+5)),
				})
				return err
			}},
			{"UploadMultipartPart", func() error {
				_, err := client.UploadMultipartPart(ctx, &glacier.UploadMultipartPartInput{
					VaultName: aws.String("v"), UploadId: aws.String("upload-id_-"),
					Range: aws.String("bytes 0-1048575/*"), Body: bytes.NewReader(make([]byte, 1<<20)),
				})
				return err
			}},
			{"DeleteArchive", func() error {
				_, err := client.DeleteArchive(ctx, &glacier.DeleteArchiveInput{AccountId: aws.String("123456789012"),
					VaultName: aws.String("v"), ArchiveId: aws.String(archiveID)})
				return err
			}},
			{"ListJobs", func() error {
				_, err := client.ListJobs(ctx, &glacier.ListJobsInput{VaultName: aws.String("v"), Limit: aws.Int32(2),
					Marker: aws.String("abc/def"), Statuscode: aws.String("InProgress"), Completed: aws.String("false")})
				return err
			}},
			{"AddTagsToVault", func() error {
				_, err := client.AddTagsToVault(ctx, &glacier.AddTagsToVaultInput{VaultName: aws.String("v"),
					Tags: map[string]string{"k": "v w"}})
				return err
			}},
			{"InitiateJob", func() error {
				_, err := client.InitiateJob(ctx, &glacier.InitiateJobInput{VaultName: aws.String("v"),
					JobParameters: &types.JobParameters{Type: aws.String("archive-retrieval"), ArchiveId: aws.String(archiveID),
						RetrievalByteRange: aws.String("0-1048575")}})
				return err
			}},
			{"GetJobOutput", func() error {
				out, err := client.GetJobOutput(ctx, &glacier.GetJobOutputInput{VaultName: aws.String("v"),
					JobId: aws.String("job"), Range: aws.String("bytes=0-1048575")})
				if err == nil {
					out.Body.Close()
				}
				return err
			}},
		}
		for _, c := range calls {
			// The canned "{}" answer does not satisfy every deserializer;
			// only the request matters here.
			_ = c.call()
			select {
			case rc := <-cs.got:
				a, err := parseAndVerify(rc, testSecret, rc.payloadHash(), time.Now())
				if err != nil {
					t.Errorf("%s (token %q): %v (%s)\n%s", c.name, token, err, kindOf(err), canonicalOf(err))
					continue
				}
				if a.SecurityToken != token || a.Service != "glacier" {
					t.Errorf("%s: token %q service %q", c.name, a.SecurityToken, a.Service)
				}
				if strings.Contains(c.name, "odd") && !strings.Contains(rc.req.RequestURI, "%2F") {
					t.Errorf("%s: RequestURI %q does not have the escaped slash", c.name, rc.req.RequestURI)
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("%s: server received nothing", c.name)
			}
		}
	}
	select {
	case rc := <-cs.got:
		t.Errorf("unexpected extra request %s %s (retry?)", rc.req.Method, rc.req.RequestURI)
	default:
	}
}
