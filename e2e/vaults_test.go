package e2e

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glacier"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/google/go-cmp/cmp"
)

func TestVaultLifecycle(t *testing.T) {
	e := start(t)
	out, err := e.gl.CreateVault(ctx, &glacier.CreateVaultInput{AccountId: aws.String("-"), VaultName: aws.String("photos.2024-backup_1")})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := aws.ToString(out.Location), "/"+testAccount+"/vaults/photos.2024-backup_1"; got != want {
		t.Errorf("Location = %q, want %q", got, want)
	}
	// Creating it again is not an error.
	if _, err := e.gl.CreateVault(ctx, &glacier.CreateVaultInput{AccountId: aws.String(testAccount), VaultName: aws.String("photos.2024-backup_1")}); err != nil {
		t.Fatalf("second create: %v", err)
	}

	d, err := e.gl.DescribeVault(ctx, &glacier.DescribeVaultInput{AccountId: aws.String("-"), VaultName: aws.String("photos.2024-backup_1")})
	if err != nil {
		t.Fatal(err)
	}
	if d.NumberOfArchives != 0 || d.SizeInBytes != 0 || d.LastInventoryDate != nil {
		t.Errorf("new vault: archives=%d size=%d inventory=%v, want 0, 0, nil", d.NumberOfArchives, d.SizeInBytes, d.LastInventoryDate)
	}
	if got, want := aws.ToString(d.VaultARN), "arn:aws:glacier:us-east-1:"+testAccount+":vaults/photos.2024-backup_1"; got != want {
		t.Errorf("VaultARN = %q, want %q", got, want)
	}
	created, err := time.Parse(time.RFC3339, aws.ToString(d.CreationDate))
	if err != nil || created.Sub(e.clock.Now()).Abs() > time.Second {
		t.Errorf("CreationDate = %q (%v), want about %v", aws.ToString(d.CreationDate), err, e.clock.Now())
	}

	// The SDK's waiters, which key on ResourceNotFoundException, work.
	if err := glacier.NewVaultExistsWaiter(e.gl).Wait(ctx, &glacier.DescribeVaultInput{AccountId: aws.String("-"), VaultName: aws.String("photos.2024-backup_1")}, 10*time.Second); err != nil {
		t.Errorf("VaultExists waiter: %v", err)
	}
	if _, err := e.gl.DeleteVault(ctx, &glacier.DeleteVaultInput{AccountId: aws.String("-"), VaultName: aws.String("photos.2024-backup_1")}); err != nil {
		t.Fatal(err)
	}
	if err := glacier.NewVaultNotExistsWaiter(e.gl).Wait(ctx, &glacier.DescribeVaultInput{AccountId: aws.String("-"), VaultName: aws.String("photos.2024-backup_1")}, 10*time.Second); err != nil {
		t.Errorf("VaultNotExists waiter: %v", err)
	}
	_, err = e.gl.DescribeVault(ctx, &glacier.DescribeVaultInput{AccountId: aws.String("-"), VaultName: aws.String("photos.2024-backup_1")})
	wantAPIError(t, err, "ResourceNotFoundException", "Vault not found for ARN: arn:aws:glacier:us-east-1:"+testAccount+":vaults/photos.2024-backup_1")
}

func TestListVaultsPaging(t *testing.T) {
	e := start(t)
	names := []string{"a", "B", "a.b", "a_b", "a-b", "Z9", "zz", "0", "m", "M", "x.y.z", "_", "-", ".a", "q"}
	for i := range 12 {
		names = append(names, fmt.Sprintf("v%03d", i))
	}
	for _, n := range names {
		e.mustCreateVault(n)
	}
	want := append([]string(nil), names...)
	sort.Strings(want) // bytewise, which is ASCII order

	for _, limit := range []int32{0, 1, 7, 10, 1000} {
		var got []string
		var marker *string
		pages := 0
		for {
			in := &glacier.ListVaultsInput{AccountId: aws.String("-"), Marker: marker}
			if limit > 0 {
				in.Limit = aws.Int32(limit)
			}
			out, err := e.gl.ListVaults(ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			pages++
			pageMax := int(limit)
			if limit == 0 {
				pageMax = 10 // the documented default
			}
			if len(out.VaultList) > pageMax {
				t.Fatalf("limit %d: page of %d vaults", limit, len(out.VaultList))
			}
			for _, v := range out.VaultList {
				got = append(got, aws.ToString(v.VaultName))
			}
			if out.Marker == nil {
				break
			}
			if !strings.HasPrefix(*out.Marker, "arn:aws:glacier:") {
				t.Errorf("marker %q is not a vault ARN", *out.Marker)
			}
			marker = out.Marker
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("limit %d: vaults (-want +got):\n%s", limit, diff)
		}
		if limit == 1 && pages != len(names) {
			t.Errorf("limit 1: %d pages, want %d", pages, len(names))
		}
	}

	// The SDK's paginator walks the same list.
	p := glacier.NewListVaultsPaginator(e.gl, &glacier.ListVaultsInput{AccountId: aws.String("-"), Limit: aws.Int32(4)})
	var got []string
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range out.VaultList {
			got = append(got, aws.ToString(v.VaultName))
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("paginator (-want +got):\n%s", diff)
	}

	_, err := e.gl.ListVaults(ctx, &glacier.ListVaultsInput{AccountId: aws.String("-"), Limit: aws.Int32(-1)})
	wantAPIError(t, err, "InvalidParameterValueException", "limit")
}

func TestVaultNameRules(t *testing.T) {
	e := start(t)
	long := strings.Repeat("v", 255)
	e.mustCreateVault(long)
	for _, bad := range []string{strings.Repeat("v", 256), "has space", "slash%2Fname", "star*", "üñí"} {
		_, err := e.gl.CreateVault(ctx, &glacier.CreateVaultInput{AccountId: aws.String("-"), VaultName: aws.String(bad)})
		wantAPIError(t, err, "InvalidParameterValueException", "vault name")
		// Every other operation answers "not found" for a name that cannot exist.
		_, err = e.gl.DescribeVault(ctx, &glacier.DescribeVaultInput{AccountId: aws.String("-"), VaultName: aws.String(bad)})
		wantAPIError(t, err, "ResourceNotFoundException", "Vault not found for ARN")
	}
	out, err := e.gl.ListVaults(ctx, &glacier.ListVaultsInput{AccountId: aws.String("-")})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.VaultList) != 1 {
		t.Errorf("after rejected creates: %d vaults, want 1", len(out.VaultList))
	}
}

func TestVaultLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("creates 1,000 vaults")
	}
	e := start(t)
	for i := range 1000 {
		e.mustCreateVault(fmt.Sprintf("v%04d", i))
	}
	_, err := e.gl.CreateVault(ctx, &glacier.CreateVaultInput{AccountId: aws.String("-"), VaultName: aws.String("one-too-many")})
	wantAPIError(t, err, "LimitExceededException")
	// An existing vault can still be "created" (idempotent), and the count is unchanged.
	e.mustCreateVault("v0000")
	_, err = e.gl.DescribeVault(ctx, &glacier.DescribeVaultInput{AccountId: aws.String("-"), VaultName: aws.String("one-too-many")})
	wantAPIError(t, err, "ResourceNotFoundException")
}

func TestDeleteNonEmptyVault(t *testing.T) {
	e := start(t)
	e.mustCreateVault("full")
	id, _ := e.upload("full", []byte("hello"), "")
	_, err := e.gl.DeleteVault(ctx, &glacier.DeleteVaultInput{AccountId: aws.String("-"), VaultName: aws.String("full")})
	wantAPIError(t, err, "InvalidParameterValueException", "Vault not empty or recently written to")
	d, err := e.gl.DescribeVault(ctx, &glacier.DescribeVaultInput{AccountId: aws.String("-"), VaultName: aws.String("full")})
	if err != nil || d.NumberOfArchives != 1 || d.SizeInBytes != 5 {
		t.Fatalf("after refused delete: %+v, %v", d, err)
	}
	if _, err := e.gl.DeleteArchive(ctx, &glacier.DeleteArchiveInput{AccountId: aws.String("-"), VaultName: aws.String("full"), ArchiveId: aws.String(id)}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.gl.DeleteVault(ctx, &glacier.DeleteVaultInput{AccountId: aws.String("-"), VaultName: aws.String("full")}); err != nil {
		t.Fatalf("delete emptied vault: %v", err)
	}
}

// headerCapture records the response headers of every call made with it.
func headerCapture(got *[]map[string]string) func(*glacier.Options) {
	return func(o *glacier.Options) {
		o.APIOptions = append(o.APIOptions, func(st *middleware.Stack) error {
			return st.Deserialize.Add(middleware.DeserializeMiddlewareFunc("capture", func(ctx2 context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (middleware.DeserializeOutput, middleware.Metadata, error) {
				out, md, err := next.HandleDeserialize(ctx2, in)
				if resp, ok := out.RawResponse.(*smithyhttp.Response); ok {
					h := map[string]string{}
					for k := range resp.Header {
						h[strings.ToLower(k)] = resp.Header.Get(k)
					}
					*got = append(*got, h)
				}
				return out, md, err
			}), middleware.After)
		})
	}
}

func TestResponseHeaders(t *testing.T) {
	e := start(t)
	var got []map[string]string
	capture := headerCapture(&got)
	if _, err := e.gl.CreateVault(ctx, &glacier.CreateVaultInput{AccountId: aws.String("-"), VaultName: aws.String("h")}, capture); err != nil {
		t.Fatal(err)
	}
	_, err := e.gl.DescribeVault(ctx, &glacier.DescribeVaultInput{AccountId: aws.String("-"), VaultName: aws.String("nope")}, capture)
	wantAPIError(t, err, "ResourceNotFoundException")
	if len(got) != 2 {
		t.Fatalf("captured %d responses", len(got))
	}
	for i, h := range got {
		if len(h["x-amzn-requestid"]) < 20 {
			t.Errorf("response %d: x-amzn-RequestId %q", i, h["x-amzn-requestid"])
		}
		if _, err := time.Parse(time.RFC1123, h["date"]); err != nil {
			t.Errorf("response %d: Date %q: %v", i, h["date"], err)
		}
	}
	if got[1]["x-amzn-errortype"] != "ResourceNotFoundException" || got[1]["content-type"] != "application/json" {
		t.Errorf("error response headers: %v", got[1])
	}
}
