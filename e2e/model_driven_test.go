package e2e

import (
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glacier"
	"github.com/aws/aws-sdk-go-v2/service/glacier/types"

	"github.com/glacierd/glacierd/internal/app"
)

// Well-formed archive ID (138 URL-safe base64 characters) never issued.
var unknownArchive = strings.Repeat("Zm9yZ2VkLWFyY2hpdmU", 8)[:138]

// in runs f on the fixture's vault through the SDK, failing the test on error.
func in(what string, f func(e *env, a, v *string) error) func(*env, *fixture) {
	return func(e *env, fx *fixture) {
		if err := f(e, aws.String("-"), aws.String(fx.vault)); err != nil {
			e.t.Fatalf("setup %s: %v", what, err)
		}
	}
}

var (
	uploadCompleted = func(e *env, fx *fixture) {
		_, err := e.gl.CompleteMultipartUpload(ctx, &glacier.CompleteMultipartUploadInput{AccountId: aws.String("-"), VaultName: aws.String(fx.vault),
			UploadId: aws.String(fx.upload), ArchiveSize: aws.String(fmt.Sprint(fxPartSize)), Checksum: aws.String(fx.partHash)})
		if err != nil {
			e.t.Fatalf("setup complete upload: %v", err)
		}
	}
)

// completeLock moves the fixture's lock to Locked.
func completeLock(e *env, fx *fixture) {
	_, err := e.gl.CompleteVaultLock(ctx, &glacier.CompleteVaultLockInput{AccountId: aws.String("-"), VaultName: aws.String(fx.vault), LockId: aws.String(fx.lockID)})
	if err != nil {
		e.t.Fatalf("setup complete lock: %v", err)
	}
}

// badHashes are the two tree-hash header cases AWS is seen to answer
// (glacier-facts §2b): not hex, and hex that does not match.
func badHashes() []variant {
	return []variant{
		{name: "tree hash not hex", mutate: set("header:x-amz-sha256-tree-hash", "000"),
			want: fail(invalidParam, "Invalid x-amz-sha256-tree-hash: 000")},
		{name: "tree hash mismatch", mutate: set("header:x-amz-sha256-tree-hash", strings.Repeat("0", 32)),
			want: fail(invalidParam, "Checksum mismatch:")},
	}
}

// policySize sets the document's policy member to a valid policy padded to n bytes.
func policySize(key string, doc func(arn string) string, n int) func(*fixture, *modelReq) {
	return func(fx *fixture, r *modelReq) { r.set(key, padPolicy(doc(fx.arn()), n)) }
}

var driven = map[string][]variant{
	"CreateVault": {
		{name: "vault name with *", mutate: set("uri:vaultName", "a*b"), want: fail(invalidParam)},
	},
	"DeleteVault": {
		{name: "vault not empty", mutate: func(fx *fixture, r *modelReq) { r.set("uri:vaultName", fx.vault) }, want: fail(invalidParam, "Vault not empty")},
	},
	"DeleteArchive": {
		{name: "malformed archive ID", mutate: set("uri:archiveId", "not-an-archive"), want: fail(invalidParam, "Invalid archive ID: ")},
		{name: "unknown well-formed archive ID (idempotent)", mutate: set("uri:archiveId", unknownArchive), want: want{}},
		{name: "archive of another vault", mutate: func(fx *fixture, r *modelReq) { r.set("uri:vaultName", fx.vault+"-other") },
			setup: func(e *env, fx *fixture) { e.mustCreateVault(fx.vault + "-other") },
			want:  fail(invalidParam, "Invalid vault name: ")},
	},
	"InitiateJob": {
		{name: "archive not found", mutate: set("body:ArchiveId", unknownArchive), want: fail("ResourceNotFoundException", "The archive ID was not found: ")},
		{name: "select job (refused)", mutate: set("body:Type", "select"), want: fail(invalidParam)},
		{name: "Standard over the retrieval policy", mutate: set("body:Tier", "Standard"), want: fail("PolicyEnforcedException"),
			setup: func(e *env, fx *fixture) {
				_, err := e.gl.SetDataRetrievalPolicy(ctx, &glacier.SetDataRetrievalPolicyInput{AccountId: aws.String("-"),
					Policy: &types.DataRetrievalPolicy{Rules: []types.DataRetrievalRule{{Strategy: aws.String("BytesPerHour"), BytesPerHour: aws.Int64(1)}}}})
				if err != nil {
					e.t.Fatalf("setup policy: %v", err)
				}
			}},
		{name: "Expedited without capacity", mutate: set("body:Tier", "Expedited"), want: fail("InsufficientCapacityException"),
			setup: func(*env, *fixture) {}, config: func(c *app.Config) { c.ExpeditedOnDemand = 0 }},
		{name: "Description not printable ASCII", mutate: set("body:Description", "caf\u00e9"), want: fail(invalidParam)},
		{name: "inventory StartDate after EndDate", mutate: func(fx *fixture, r *modelReq) {
			inventoryJob(r, "")
			r.set("body:Type", "inventory-retrieval")
			r.set("body:InventoryRetrievalParameters", map[string]any{"StartDate": "2024-02-01T00:00:00Z", "EndDate": "2024-01-01T00:00:00Z"})
		}, want: fail(invalidParam, "The StartDate 2024-02-01T00:00:00Z must be before the EndDate")},
	},
	"DescribeJob": {
		{name: "job of another vault", mutate: func(fx *fixture, r *modelReq) { r.set("uri:vaultName", fx.empty) },
			want: fail("ResourceNotFoundException", "The job ID was not found: ")},
	},
	"AbortMultipartUpload": {
		{name: "already aborted (idempotent)", setup: func(e *env, fx *fixture) {
			_, err := e.gl.AbortMultipartUpload(ctx, &glacier.AbortMultipartUploadInput{AccountId: aws.String("-"), VaultName: aws.String(fx.vault), UploadId: aws.String(fx.upload)})
			if err != nil {
				e.t.Fatalf("setup abort: %v", err)
			}
		}, want: want{}},
	},
	"GetJobOutput": {
		{name: "job in progress", mutate: func(fx *fixture, r *modelReq) { r.set("uri:jobId", fx.pendingJob) },
			want: fail(invalidParam, "The job is not currently available for download: ")},
		{name: "Range bytes=0-99", mutate: set("header:Range", "bytes=0-99"), want: want{status: 206}},
		{name: "Range of another form (ignored)", mutate: set("header:Range", "0-99"), want: want{status: 200}},
	},
	"CompleteVaultLock": {
		{name: "unknown lock ID in progress", mutate: set("uri:lockId", unknownLock), want: fail(invalidParam, "The lock ID is not valid: ")},
		{name: "same lock ID once Locked (idempotent)", setup: completeLock, want: want{}},
		{name: "another lock ID once Locked", mutate: set("uri:lockId", unknownLock), setup: completeLock, want: fail("AccessDeniedException")},
		{name: "no lock in progress", setup: in("abort lock", func(e *env, a, v *string) error {
			_, err := e.gl.AbortVaultLock(ctx, &glacier.AbortVaultLockInput{AccountId: a, VaultName: v})
			return err
		}), want: fail(invalidParam, "There is no vault lock in progress")},
	},
	"InitiateVaultLock": {
		{name: "lock in progress", setup: in("initiate lock", func(e *env, a, v *string) error {
			_, err := e.gl.InitiateVaultLock(ctx, &glacier.InitiateVaultLockInput{AccountId: a, VaultName: v, Policy: &types.VaultLockPolicy{Policy: aws.String(lockPolicy(vaultARN(testAccount, *v)))}})
			return err
		}), want: fail("AccessDeniedException")},
		{name: "policy not a policy", mutate: set("body:Policy", `{"Statement":"none"}`), want: fail(invalidParam, "The specified vault lock policy is invalid")},
		{name: "policy at 20 KB", mutate: policySize("body:Policy", lockPolicy, maxPolicyBytes), want: want{}},
		{name: "policy past 20 KB", mutate: policySize("body:Policy", lockPolicy, maxPolicyBytes+1), want: fail(invalidParam)},
	},
	"AbortVaultLock": {
		{name: "once Locked", setup: completeLock, want: fail("AccessDeniedException")},
	},
	"PurchaseProvisionedCapacity": {
		{name: "third unit", setup: func(e *env, _ *fixture) {
			for i := 0; i < 2; i++ {
				if _, err := e.gl.PurchaseProvisionedCapacity(ctx, &glacier.PurchaseProvisionedCapacityInput{AccountId: aws.String("-")}); err != nil {
					e.t.Fatalf("setup purchase: %v", err)
				}
			}
		}, want: fail("LimitExceededException")},
	},
	"GetVaultAccessPolicy": {
		{name: "no policy set", setup: in("delete policy", func(e *env, a, v *string) error {
			_, err := e.gl.DeleteVaultAccessPolicy(ctx, &glacier.DeleteVaultAccessPolicyInput{AccountId: a, VaultName: v})
			return err
		}), want: fail("ResourceNotFoundException")},
	},
	"GetVaultNotifications": {
		{name: "no notifications set", setup: in("delete notifications", func(e *env, a, v *string) error {
			_, err := e.gl.DeleteVaultNotifications(ctx, &glacier.DeleteVaultNotificationsInput{AccountId: a, VaultName: v})
			return err
		}), want: fail("ResourceNotFoundException")},
	},
	"GetVaultLock": {
		{name: "no lock", setup: in("abort lock", func(e *env, a, v *string) error {
			_, err := e.gl.AbortVaultLock(ctx, &glacier.AbortVaultLockInput{AccountId: a, VaultName: v})
			return err
		}), want: fail("ResourceNotFoundException")},
	},
	"ListParts": {
		{name: "completed upload", setup: uploadCompleted, want: fail("ResourceNotFoundException")},
		{name: "marker never issued", mutate: set("query:marker", "not-a-marker"), want: fail(invalidParam, "Invalid marker: ")},
	},
	"UploadMultipartPart":     append(badHashes(), variant{name: "completed upload", setup: uploadCompleted, want: fail("ResourceNotFoundException")}, variant{name: "declared Content-Length differs from Content-Range", mutate: func(_ *fixture, r *modelReq) { r.declared = 2 * fxPartSize }, want: fail(invalidParam)}),
	"CompleteMultipartUpload": badHashes(),
	"UploadArchive": append(badHashes(),
		variant{name: "1-byte archive (at the lower bound)", mutate: func(_ *fixture, r *modelReq) {
			r.blob = []byte("x")
			r.set("header:x-amz-sha256-tree-hash", treeHex([]byte("x")))
		},
			want: want{}},
		variant{name: "empty body", mutate: func(_ *fixture, r *modelReq) { r.blob = nil; r.set("header:x-amz-sha256-tree-hash", treeHex(nil)) },
			want: fail(invalidParam, "Invalid Content-Length: 0")},
		variant{name: "declared Content-Length over 4 GiB", mutate: func(_ *fixture, r *modelReq) { r.declared = 4<<30 + 1 }, want: fail(invalidParam)},
		variant{name: "description not printable ASCII", mutate: set("header:x-amz-archive-description", "caf\u00e9"), want: fail(invalidParam)},
	),
	"InitiateMultipartUpload": {{name: "description not printable ASCII", mutate: set("header:x-amz-archive-description", "caf\u00e9"), want: fail(invalidParam)}},
	"SetVaultAccessPolicy": {
		{name: "policy not a policy", mutate: set("body:Policy", `{"Statement":"none"}`), want: fail(invalidParam)},
		{name: "policy at 20 KB", mutate: policySize("body:Policy", accessPolicy, maxPolicyBytes), want: want{}},
		{name: "policy past 20 KB", mutate: policySize("body:Policy", accessPolicy, maxPolicyBytes+1), want: fail(invalidParam)},
		{name: "declared Content-Length over the document limit", mutate: func(_ *fixture, r *modelReq) { r.declared = 1 << 20 }, want: fail(invalidParam)},
	},
	"SetVaultNotifications": {{name: "topic not an SNS ARN", mutate: set("body:SNSTopic", "topic"), want: fail(invalidParam, "Invalid SNS topic ARN: ")}},
	"SetDataRetrievalPolicy": {
		{name: "two rules", mutate: set("body:Policy.Rules", []any{map[string]any{"Strategy": "None"}, map[string]any{"Strategy": "FreeTier"}}), want: fail(invalidParam)},
		{name: "no rules", mutate: set("body:Policy.Rules", []any{}), want: fail(invalidParam)},
		{name: "BytesPerHour with FreeTier", mutate: set("body:Policy.Rules.0.BytesPerHour", int64(5)), want: fail(invalidParam)},
	},
	"AddTagsToVault": {
		{name: "key with aws: prefix", mutate: set("body:Tags", map[string]any{"aws:team": "x"}), want: fail(invalidParam)},
		{name: "empty key", mutate: set("body:Tags", map[string]any{"": "x"}), want: fail(invalidParam)},
		{name: "no Tags (no-op)", mutate: unset("body:Tags"), want: want{}},
		{name: "key with #", mutate: set("body:Tags", map[string]any{"team#1": "x"}), want: fail(invalidParam)},
	},
	"ListJobs": {
		{name: "limit 51 (above the maximum) accepted", mutate: set("query:limit", "51"), want: want{}},
		{name: "marker never issued", mutate: set("query:marker", "not-a-marker"), want: fail(invalidParam, "Invalid marker: ")},
	},
	"RemoveTagsFromVault":  {{name: "no TagKeys (no-op)", mutate: unset("body:TagKeys"), want: want{}}},
	"ListMultipartUploads": {{name: "marker never issued", mutate: set("query:marker", "not-a-marker"), want: fail(invalidParam, "Invalid marker: ")}},
	"ListVaults":           {{name: "marker never issued", mutate: set("query:marker", "not-a-marker"), want: fail(invalidParam, "Invalid marker: ")}},
}
