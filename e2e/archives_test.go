package e2e

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glacier"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/glacierd/glacierd/internal/treehash"
)

func TestUploadArchiveSizes(t *testing.T) {
	e := start(t)
	e.mustCreateVault("v")
	var total int64
	for _, n := range []int{1, 1000, 1 << 20, 1<<20 + 1, 3<<20 + 5, 8 << 20} {
		data := randomBytes(n)
		out, err := e.gl.UploadArchive(ctx, &glacier.UploadArchiveInput{
			AccountId: aws.String("-"), VaultName: aws.String("v"), Body: bytes.NewReader(data),
			ArchiveDescription: aws.String("size test"),
		})
		if err != nil {
			t.Fatalf("%d bytes: %v", n, err)
		}
		want := treehash.Sum(data)
		if got := aws.ToString(out.Checksum); got != hexOf(want) {
			t.Errorf("%d bytes: checksum %s, want %x", n, got, want)
		}
		if id := aws.ToString(out.ArchiveId); len(id) != 138 {
			t.Errorf("archive ID %q has %d characters, want 138", id, len(id))
		}
		if loc := aws.ToString(out.Location); loc != "/"+testAccount+"/vaults/v/archives/"+aws.ToString(out.ArchiveId) {
			t.Errorf("Location %q", loc)
		}
		total += int64(n)
	}
	d, err := e.gl.DescribeVault(ctx, &glacier.DescribeVaultInput{AccountId: aws.String("-"), VaultName: aws.String("v")})
	if err != nil {
		t.Fatal(err)
	}
	if d.NumberOfArchives != 6 || d.SizeInBytes != total || d.LastInventoryDate == nil {
		t.Errorf("vault after uploads: archives=%d size=%d inventory=%v; want 6, %d, set", d.NumberOfArchives, d.SizeInBytes, d.LastInventoryDate, total)
	}
}

// setHeader returns a per-call option that overrides a request header after
// the SDK's own customizations (so after it computed the tree hash).
func setHeader(name, value string) func(*glacier.Options) {
	return func(o *glacier.Options) {
		o.APIOptions = append(o.APIOptions, func(st *middleware.Stack) error {
			return st.Finalize.Insert(middleware.FinalizeMiddlewareFunc("set-"+name, func(c context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
				if req, ok := in.Request.(*smithyhttp.Request); ok {
					req.Header.Set(name, value)
				}
				return next.HandleFinalize(c, in)
			}), "Glacier:TreeHash", middleware.After)
		})
	}
}

// zeros32 is valid hex but not a tree hash: AWS answers "Checksum mismatch:"
// rather than "Invalid x-amz-sha256-tree-hash".
const zeros32 = "00000000000000000000000000000000"

func TestUploadArchiveErrors(t *testing.T) {
	e := start(t)
	e.mustCreateVault("v")
	keepID, _ := e.upload("v", []byte("keep me"), "kept")
	before := e.snapshot()

	data := randomBytes(2<<20 + 7)
	up := func(vault string, body []byte, desc *string, opts ...func(*glacier.Options)) error {
		_, err := e.gl.UploadArchive(ctx, &glacier.UploadArchiveInput{
			AccountId: aws.String("-"), VaultName: aws.String(vault), Body: bytes.NewReader(body), ArchiveDescription: desc,
		}, opts...)
		return err
	}
	wrong := treehash.Sum([]byte("something else"))
	cases := []struct {
		name   string
		err    error
		code   string
		substr string
	}{
		{"wrong tree hash", up("v", data, nil, setHeader("X-Amz-Sha256-Tree-Hash", hexOf(wrong))), "InvalidParameterValueException", "Checksum mismatch"},
		{"malformed tree hash", up("v", data, nil, setHeader("X-Amz-Sha256-Tree-Hash", "000")), "InvalidParameterValueException", "Invalid x-amz-sha256-tree-hash: 000"},
		// Hex of the wrong length is compared, not refused (AWS, per the JS SDKs' feature tests).
		{"short hex tree hash", up("v", data, nil, setHeader("X-Amz-Sha256-Tree-Hash", zeros32)), "InvalidParameterValueException",
			"Checksum mismatch: expected " + zeros32 + ", computed " + hexOf(treehash.Sum(data))},
		{"unknown vault", up("nope", data, nil), "ResourceNotFoundException", "Vault not found for ARN"},
		{"bad vault name", up("bad*name", data, nil), "ResourceNotFoundException", "Vault not found for ARN"},
		{"oversize description", up("v", data, aws.String(strings.Repeat("d", 1025))), "InvalidParameterValueException", "description"},
		{"non-printable description", up("v", data, aws.String("tab\there")), "InvalidParameterValueException", "description"},
		{"empty body", up("v", []byte{}, nil), "InvalidParameterValueException", "Invalid Content-Length: 0"},
		{"missing API version", up("v", data, nil, setHeader("X-Amz-Glacier-Version", "")), "MissingParameterValueException", "API version"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { wantAPIError(t, c.err, c.code, c.substr) })
	}
	e.assertUnchanged(before)
	e.assertArchive("v", keepID, []byte("keep me"))
	// A description of exactly 1,024 printable characters is fine.
	if err := up("v", []byte("x"), aws.String(strings.Repeat("~", 1024))); err != nil {
		t.Errorf("1024-character description: %v", err)
	}
}
