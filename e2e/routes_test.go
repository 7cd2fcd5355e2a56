package e2e

import (
	"bytes"
	"io"
	"net/http"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glacier"
	"github.com/aws/aws-sdk-go-v2/service/glacier/types"
)

// TestEveryOperationIsRouted calls each operation of the SDK's Glacier
// client once and checks, through the server's /metrics, that each request
// reached the handler of that operation (and not the unknown-route one).
func TestEveryOperationIsRouted(t *testing.T) {
	e := start(t)
	e.mustCreateVault("v")
	acct, v := aws.String("-"), aws.String("v")
	id := aws.String(strings.Repeat("A", 138))
	calls := map[string]func() error{
		"AbortMultipartUpload": func() error {
			_, err := e.gl.AbortMultipartUpload(ctx, &glacier.AbortMultipartUploadInput{AccountId: acct, VaultName: v, UploadId: id})
			return err
		},
		"AbortVaultLock": func() error {
			_, err := e.gl.AbortVaultLock(ctx, &glacier.AbortVaultLockInput{AccountId: acct, VaultName: v})
			return err
		},
		"AddTagsToVault": func() error {
			_, err := e.gl.AddTagsToVault(ctx, &glacier.AddTagsToVaultInput{AccountId: acct, VaultName: v, Tags: map[string]string{"k": "v"}})
			return err
		},
		"CompleteMultipartUpload": func() error {
			_, err := e.gl.CompleteMultipartUpload(ctx, &glacier.CompleteMultipartUploadInput{AccountId: acct, VaultName: v, UploadId: id, ArchiveSize: aws.String("1"), Checksum: aws.String(strings.Repeat("0", 64))})
			return err
		},
		"CompleteVaultLock": func() error {
			_, err := e.gl.CompleteVaultLock(ctx, &glacier.CompleteVaultLockInput{AccountId: acct, VaultName: v, LockId: aws.String("x")})
			return err
		},
		"CreateVault": func() error {
			_, err := e.gl.CreateVault(ctx, &glacier.CreateVaultInput{AccountId: acct, VaultName: v})
			return err
		},
		"DeleteArchive": func() error {
			_, err := e.gl.DeleteArchive(ctx, &glacier.DeleteArchiveInput{AccountId: acct, VaultName: v, ArchiveId: id})
			return err
		},
		"DeleteVault": func() error {
			_, err := e.gl.DeleteVault(ctx, &glacier.DeleteVaultInput{AccountId: acct, VaultName: aws.String("nope")})
			return err
		},
		"DeleteVaultAccessPolicy": func() error {
			_, err := e.gl.DeleteVaultAccessPolicy(ctx, &glacier.DeleteVaultAccessPolicyInput{AccountId: acct, VaultName: v})
			return err
		},
		"DeleteVaultNotifications": func() error {
			_, err := e.gl.DeleteVaultNotifications(ctx, &glacier.DeleteVaultNotificationsInput{AccountId: acct, VaultName: v})
			return err
		},
		"DescribeJob": func() error {
			_, err := e.gl.DescribeJob(ctx, &glacier.DescribeJobInput{AccountId: acct, VaultName: v, JobId: id})
			return err
		},
		"DescribeVault": func() error {
			_, err := e.gl.DescribeVault(ctx, &glacier.DescribeVaultInput{AccountId: acct, VaultName: v})
			return err
		},
		"GetDataRetrievalPolicy": func() error {
			_, err := e.gl.GetDataRetrievalPolicy(ctx, &glacier.GetDataRetrievalPolicyInput{AccountId: acct})
			return err
		},
		"GetJobOutput": func() error {
			_, err := e.gl.GetJobOutput(ctx, &glacier.GetJobOutputInput{AccountId: acct, VaultName: v, JobId: id})
			return err
		},
		"GetVaultAccessPolicy": func() error {
			_, err := e.gl.GetVaultAccessPolicy(ctx, &glacier.GetVaultAccessPolicyInput{AccountId: acct, VaultName: v})
			return err
		},
		"GetVaultLock": func() error {
			_, err := e.gl.GetVaultLock(ctx, &glacier.GetVaultLockInput{AccountId: acct, VaultName: v})
			return err
		},
		"GetVaultNotifications": func() error {
			_, err := e.gl.GetVaultNotifications(ctx, &glacier.GetVaultNotificationsInput{AccountId: acct, VaultName: v})
			return err
		},
		"InitiateJob": func() error {
			_, err := e.gl.InitiateJob(ctx, &glacier.InitiateJobInput{AccountId: acct, VaultName: v, JobParameters: &types.JobParameters{Type: aws.String("inventory-retrieval")}})
			return err
		},
		"InitiateMultipartUpload": func() error {
			_, err := e.gl.InitiateMultipartUpload(ctx, &glacier.InitiateMultipartUploadInput{AccountId: acct, VaultName: v, PartSize: aws.String("1048576")})
			return err
		},
		"InitiateVaultLock": func() error {
			_, err := e.gl.InitiateVaultLock(ctx, &glacier.InitiateVaultLockInput{AccountId: acct, VaultName: v, Policy: &types.VaultLockPolicy{Policy: aws.String("{}")}})
			return err
		},
		"ListJobs": func() error {
			_, err := e.gl.ListJobs(ctx, &glacier.ListJobsInput{AccountId: acct, VaultName: v})
			return err
		},
		"ListMultipartUploads": func() error {
			_, err := e.gl.ListMultipartUploads(ctx, &glacier.ListMultipartUploadsInput{AccountId: acct, VaultName: v})
			return err
		},
		"ListParts": func() error {
			_, err := e.gl.ListParts(ctx, &glacier.ListPartsInput{AccountId: acct, VaultName: v, UploadId: id})
			return err
		},
		"ListProvisionedCapacity": func() error {
			_, err := e.gl.ListProvisionedCapacity(ctx, &glacier.ListProvisionedCapacityInput{AccountId: acct})
			return err
		},
		"ListTagsForVault": func() error {
			_, err := e.gl.ListTagsForVault(ctx, &glacier.ListTagsForVaultInput{AccountId: acct, VaultName: v})
			return err
		},
		"ListVaults": func() error {
			_, err := e.gl.ListVaults(ctx, &glacier.ListVaultsInput{AccountId: acct})
			return err
		},
		"PurchaseProvisionedCapacity": func() error {
			_, err := e.gl.PurchaseProvisionedCapacity(ctx, &glacier.PurchaseProvisionedCapacityInput{AccountId: acct})
			return err
		},
		"RemoveTagsFromVault": func() error {
			_, err := e.gl.RemoveTagsFromVault(ctx, &glacier.RemoveTagsFromVaultInput{AccountId: acct, VaultName: v, TagKeys: []string{"k"}})
			return err
		},
		"SetDataRetrievalPolicy": func() error {
			_, err := e.gl.SetDataRetrievalPolicy(ctx, &glacier.SetDataRetrievalPolicyInput{AccountId: acct, Policy: &types.DataRetrievalPolicy{Rules: []types.DataRetrievalRule{{Strategy: aws.String("None")}}}})
			return err
		},
		"SetVaultAccessPolicy": func() error {
			_, err := e.gl.SetVaultAccessPolicy(ctx, &glacier.SetVaultAccessPolicyInput{AccountId: acct, VaultName: v, Policy: &types.VaultAccessPolicy{Policy: aws.String("{}")}})
			return err
		},
		"SetVaultNotifications": func() error {
			_, err := e.gl.SetVaultNotifications(ctx, &glacier.SetVaultNotificationsInput{AccountId: acct, VaultName: v, VaultNotificationConfig: &types.VaultNotificationConfig{SNSTopic: aws.String("arn:aws:sns:us-east-1:" + testAccount + ":t"), Events: []string{"ArchiveRetrievalCompleted"}}})
			return err
		},
		"UploadArchive": func() error {
			_, err := e.gl.UploadArchive(ctx, &glacier.UploadArchiveInput{AccountId: acct, VaultName: v, Body: bytes.NewReader([]byte("x"))})
			return err
		},
		"UploadMultipartPart": func() error {
			_, err := e.gl.UploadMultipartPart(ctx, &glacier.UploadMultipartPartInput{AccountId: acct, VaultName: v, UploadId: id, Range: aws.String("bytes 0-0/*"), Body: bytes.NewReader([]byte("x"))})
			return err
		},
	}
	// The client has exactly these operations: every exported method taking
	// (context, *XInput, ...options).
	ct := reflect.TypeOf(e.gl)
	for i := range ct.NumMethod() {
		m := ct.Method(i)
		if m.Type.NumIn() == 4 && strings.HasSuffix(m.Type.In(2).String(), "Input") {
			if _, ok := calls[m.Name]; !ok {
				t.Errorf("operation %s is not exercised by this test", m.Name)
			}
		}
	}
	if len(calls) != 33 {
		t.Errorf("%d operations listed, want 33", len(calls))
	}
	for _, call := range calls {
		_ = call() // errors are expected for some; what matters is where the request went
	}

	resp, err := http.Get(e.m.URL() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	seen := map[string]bool{}
	for _, m := range regexp.MustCompile(`glacierd_requests_total\{operation="(\w+)",status="(\d+)"\}`).FindAllStringSubmatch(string(body), -1) {
		seen[m[1]] = true
	}
	for op := range calls {
		if !seen[op] {
			t.Errorf("no request reached the %s handler", op)
		}
	}
	if seen["Unknown"] {
		t.Errorf("some request was not routed to an operation")
	}
}
