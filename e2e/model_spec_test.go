package e2e

import (
	"fmt"
	"strings"
)

// opSpec is what the model cannot say about an operation: which stored
// state its valid request refers to, and that request.
type opSpec struct {
	needs int
	base  func(fx *fixture) modelReq
}

// req builds a request on fx's vault with extra parts given as key, value
// pairs ("header:x-amz-part-size", "1048576", ...).
func req(fx *fixture, kv ...string) modelReq {
	r := modelReq{labels: map[string]string{"accountId": "-", "vaultName": fx.vault}, header: map[string]string{}, query: map[string]string{}}
	for i := 0; i < len(kv); i += 2 {
		r.set(kv[i], kv[i+1])
	}
	return r
}

// withDoc gives r a JSON body.
func withDoc(r modelReq, doc map[string]any) modelReq { r.doc = doc; return r }

// withBlob gives r a raw body.
func withBlob(r modelReq, b []byte) modelReq { r.blob = b; return r }

// opSpecs holds one entry per operation of the model.
var opSpecs = map[string]opSpec{
	"AbortMultipartUpload": {needUpload, func(fx *fixture) modelReq { return req(fx, "uri:uploadId", fx.upload) }},
	"AbortVaultLock":       {needLock, func(fx *fixture) modelReq { return req(fx) }},
	"AddTagsToVault": {0, func(fx *fixture) modelReq {
		return withDoc(req(fx), map[string]any{"Tags": map[string]any{"team": "model"}})
	}},
	"CompleteMultipartUpload": {needUpload, func(fx *fixture) modelReq {
		return req(fx, "uri:uploadId", fx.upload, "header:x-amz-archive-size", fmt.Sprint(fxPartSize), "header:x-amz-sha256-tree-hash", fx.partHash)
	}},
	"CompleteVaultLock":        {needLock, func(fx *fixture) modelReq { return req(fx, "uri:lockId", fx.lockID) }},
	"CreateVault":              {0, func(fx *fixture) modelReq { return req(fx, "uri:vaultName", fx.vault+"-new") }},
	"DeleteArchive":            {needArchive, func(fx *fixture) modelReq { return req(fx, "uri:archiveId", fx.archive) }},
	"DeleteVault":              {needEmpty | needArchive, func(fx *fixture) modelReq { return req(fx, "uri:vaultName", fx.empty) }},
	"DeleteVaultAccessPolicy":  {needPolicy, func(fx *fixture) modelReq { return req(fx) }},
	"DeleteVaultNotifications": {needNotify, func(fx *fixture) modelReq { return req(fx) }},
	"DescribeJob":              {needJob | needEmpty, func(fx *fixture) modelReq { return req(fx, "uri:jobId", fx.job) }},
	"DescribeVault":            {0, func(fx *fixture) modelReq { return req(fx) }},
	"GetDataRetrievalPolicy":   {0, func(fx *fixture) modelReq { return req(fx) }},
	"GetJobOutput":             {needJob, func(fx *fixture) modelReq { return req(fx, "uri:jobId", fx.job) }},
	"GetVaultAccessPolicy":     {needPolicy, func(fx *fixture) modelReq { return req(fx) }},
	"GetVaultLock":             {needLock, func(fx *fixture) modelReq { return req(fx) }},
	"GetVaultNotifications":    {needNotify, func(fx *fixture) modelReq { return req(fx) }},
	"InitiateJob": {needArchive, func(fx *fixture) modelReq {
		return withDoc(req(fx), map[string]any{"Type": "archive-retrieval", "ArchiveId": fx.archive, "Tier": "Bulk"})
	}},
	"InitiateMultipartUpload": {0, func(fx *fixture) modelReq {
		return req(fx, "header:x-amz-part-size", fmt.Sprint(fxPartSize), "header:x-amz-archive-description", "model upload")
	}},
	"InitiateVaultLock": {0, func(fx *fixture) modelReq {
		return withDoc(req(fx), map[string]any{"Policy": lockPolicy(fx.arn())})
	}},
	"ListJobs":                    {needJob, func(fx *fixture) modelReq { return req(fx) }},
	"ListMultipartUploads":        {needUpload, func(fx *fixture) modelReq { return req(fx) }},
	"ListParts":                   {needUpload, func(fx *fixture) modelReq { return req(fx, "uri:uploadId", fx.upload) }},
	"ListProvisionedCapacity":     {0, func(fx *fixture) modelReq { return req(fx) }},
	"ListTagsForVault":            {needTags, func(fx *fixture) modelReq { return req(fx) }},
	"ListVaults":                  {0, func(fx *fixture) modelReq { return req(fx) }},
	"PurchaseProvisionedCapacity": {0, func(fx *fixture) modelReq { return req(fx) }},
	"RemoveTagsFromVault": {needTags, func(fx *fixture) modelReq {
		return withDoc(req(fx), map[string]any{"TagKeys": []any{"team"}})
	}},
	"SetDataRetrievalPolicy": {0, func(fx *fixture) modelReq {
		return withDoc(req(fx), map[string]any{"Policy": map[string]any{"Rules": []any{map[string]any{"Strategy": "FreeTier"}}}})
	}},
	"SetVaultAccessPolicy": {0, func(fx *fixture) modelReq {
		return withDoc(req(fx), map[string]any{"Policy": accessPolicy(fx.arn())})
	}},
	"SetVaultNotifications": {0, func(fx *fixture) modelReq {
		return withDoc(req(fx), map[string]any{"SNSTopic": fxTopic, "Events": []any{"ArchiveRetrievalCompleted"}})
	}},
	"UploadArchive": {0, func(fx *fixture) modelReq {
		b := []byte(strings.Repeat("model archive ", 100))
		return withBlob(req(fx, "header:x-amz-sha256-tree-hash", treeHex(b), "header:x-amz-archive-description", "model archive"), b)
	}},
	"UploadMultipartPart": {needUpload, func(fx *fixture) modelReq {
		return withBlob(req(fx, "uri:uploadId", fx.upload, "header:Content-Range", fmt.Sprintf("bytes 0-%d/*", fxPartSize-1),
			"header:x-amz-sha256-tree-hash", fx.partHash), fx.part)
	}},
}
