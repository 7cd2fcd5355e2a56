package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// This file is the suite's table of facts the model does not carry (the
// botocore model has no enums, bounds or required body members for
// Glacier's inputs): they come from the developer guide
// (/work/shared/spec/glacier-facts.md) and, where AWS is silent, from our
// decisions, which README.md lists.

// undeclaredStatus gives the status of the error codes the model does not
// define as shapes but AWS sends (the developer guide's error table).
var undeclaredStatus = map[string]int{
	"AccessDeniedException":       http.StatusForbidden,
	"UnrecognizedClientException": http.StatusBadRequest,
	"UnknownOperationException":   http.StatusNotFound, // decision: an empty URI label matches no operation
	"SerializationException":      http.StatusBadRequest,
}

// missingLabel is the answer to a request whose required URI label is
// empty. Decision: the path then names no operation, 404
// UnknownOperationException.
var missingLabel = fail("UnknownOperationException", "Unknown operation: ")

// docRequired lists, per operation, the members the developer guide
// requires that the model does not mark required. Each is sent missing.
var docRequired = map[string][]string{
	"UploadArchive":           {"header:x-amz-sha256-tree-hash"},
	"UploadMultipartPart":     {"header:Content-Range", "header:x-amz-sha256-tree-hash"},
	"CompleteMultipartUpload": {"header:x-amz-archive-size", "header:x-amz-sha256-tree-hash"},
	"InitiateMultipartUpload": {"header:x-amz-part-size"},
	"InitiateJob":             {"body:Type", "body:ArchiveId"},
	"InitiateVaultLock":       {"body:Policy"},
	"SetVaultAccessPolicy":    {"body:Policy"},
	"SetVaultNotifications":   {"body:SNSTopic", "body:Events"},
	"SetDataRetrievalPolicy":  {"body:Policy.Rules.0.Strategy"},
	"AddTagsToVault":          {"query:operation"},
	"RemoveTagsFromVault":     {"query:operation"},
}

// missingMember is the answer to a request missing a documented member.
var missingMember = fail("MissingParameterValueException", "Required parameter missing: ")

// enumFact is a member whose values are a fixed set.
type enumFact struct {
	key     string
	values  []string
	invalid string
	adjust  func(r *modelReq, v string) // makes the request fit the member's value
}

func (ef enumFact) apply(v string) func(*fixture, *modelReq) {
	return func(_ *fixture, r *modelReq) {
		if ef.adjust != nil {
			ef.adjust(r, v)
		}
		r.set(ef.key, v)
	}
}

func (ef enumFact) invalidCode() string { return "InvalidParameterValueException" }

// inventoryJob turns an archive-retrieval request into an inventory one.
func inventoryJob(r *modelReq, v string) {
	if v != "archive-retrieval" {
		r.unset("body:ArchiveId")
		r.unset("body:Tier")
	}
}

var enums = map[string][]enumFact{
	"InitiateJob": {
		{key: "body:Type", values: []string{"archive-retrieval", "inventory-retrieval"}, invalid: "archive-restore", adjust: inventoryJob},
		{key: "body:Tier", values: []string{"Expedited", "Standard", "Bulk"}, invalid: "Fast"},
		{key: "body:Format", values: []string{"JSON", "CSV"}, invalid: "XML", adjust: func(r *modelReq, _ string) {
			inventoryJob(r, "")
			r.set("body:Type", "inventory-retrieval")
		}},
	},
	"ListJobs": {
		{key: "query:statuscode", values: []string{"InProgress", "Succeeded", "Failed"}, invalid: "finished"}, // the model's StatusCode enum
		{key: "query:completed", values: []string{"true", "false"}, invalid: "yes"},
	},
	"SetDataRetrievalPolicy": {
		{key: "body:Policy.Rules.0.Strategy", values: []string{"BytesPerHour", "FreeTier", "None"}, invalid: "Unlimited",
			adjust: func(r *modelReq, v string) {
				if v == "BytesPerHour" {
					r.set("body:Policy.Rules.0.BytesPerHour", int64(1<<30))
				}
			}},
	},
	"SetVaultNotifications": {
		{key: "body:Events.0", values: []string{"ArchiveRetrievalCompleted", "InventoryRetrievalCompleted"}, invalid: "ArchiveUploaded"},
	},
	"AddTagsToVault":      {{key: "query:operation", values: []string{"add"}, invalid: "replace"}},
	"RemoveTagsFromVault": {{key: "query:operation", values: []string{"remove"}, invalid: "replace"}},
}

// boundFact is a member with a length or range bound: values at the bound
// are accepted, values past it refused with pastCode.
type boundFact struct {
	key      string
	at, past []any
	pastCode string
	pastMsg  string // the start of the message, if asserted
	adjust   func(r *modelReq)
}

func (b boundFact) apply(v any) func(*fixture, *modelReq) {
	return func(_ *fixture, r *modelReq) {
		if b.adjust != nil {
			b.adjust(r)
		}
		r.set(b.key, v)
	}
}

const invalidParam = "InvalidParameterValueException"

// lengthBound accepts max characters of fill and refuses max+1.
func lengthBound(key string, max int, fill string) boundFact {
	return boundFact{key: key, at: []any{strings.Repeat(fill, max)}, past: []any{strings.Repeat(fill, max+1)}, pastCode: invalidParam}
}

// rangeBound accepts min and max and refuses min-1 and max+1 (those given).
func rangeBound(key string, at, past []any) boundFact {
	return boundFact{key: key, at: at, past: past, pastCode: invalidParam}
}

// tagMap returns n tags k0…, each with value v.
func tagMap(n int, keyLen, valueLen int) map[string]any {
	m := map[string]any{}
	for i := 0; i < n; i++ {
		k := fmt.Sprintf("k%d", i)
		if keyLen > 0 {
			k = strings.Repeat("k", keyLen)
		}
		m[k] = strings.Repeat("v", valueLen)
	}
	return m
}

const maxPolicyBytes = 20 * 1024

// padPolicy pads a policy document with spaces to n bytes.
func padPolicy(doc string, n int) string { return doc + strings.Repeat(" ", n-len(doc)) }

func bytesPerHour(r *modelReq) { r.set("body:Policy.Rules.0.Strategy", "BytesPerHour") }

var limitBound = rangeBound("query:limit", []any{"1", "50"}, []any{"0", "-1", "ten"})

var bounds = map[string][]boundFact{
	"CreateVault":             {lengthBound("uri:vaultName", 255, "a")},
	"UploadArchive":           {lengthBound("header:x-amz-archive-description", 1024, "d")},
	"InitiateMultipartUpload": {lengthBound("header:x-amz-archive-description", 1024, "d"), rangeBound("header:x-amz-part-size", []any{"1048576", "4294967296"}, []any{"524288", "8589934592", "3145728", "0"})},
	"InitiateJob": {
		lengthBound("body:Description", 1024, "d"),
		{key: "body:InventoryRetrievalParameters", at: []any{map[string]any{"Limit": "1"}}, past: []any{map[string]any{"Limit": "0"}}, pastCode: invalidParam,
			adjust: func(r *modelReq) { inventoryJob(r, ""); r.set("body:Type", "inventory-retrieval") }},
		rangeBound("body:RetrievalByteRange", []any{fmt.Sprintf("0-%d", fxArchiveSize-1)}, []any{fmt.Sprintf("0-%d", fxArchiveSize), fmt.Sprintf("1-%d", fxArchiveSize-1)}),
	},
	"ListJobs":             {limitBound},
	"ListParts":            {limitBound},
	"ListMultipartUploads": {limitBound},
	"ListVaults":           {rangeBound("query:limit", []any{"1", "10"}, []any{"0", "-1", "ten"})},
	"AddTagsToVault": {
		{key: "body:Tags", at: []any{tagMap(1, 128, 1), tagMap(1, 0, 256)}, past: []any{tagMap(1, 129, 1), tagMap(1, 0, 257)}, pastCode: invalidParam},
		{key: "body:Tags", at: []any{tagMap(50, 0, 1)}, past: []any{tagMap(51, 0, 1)}, pastCode: "LimitExceededException"},
	},
	"SetDataRetrievalPolicy": {{key: "body:Policy.Rules.0.BytesPerHour", at: []any{int64(1), int64(1<<63 - 1)}, past: []any{int64(0), int64(-1)}, pastCode: invalidParam, adjust: bytesPerHour},
		// Decision: a number that does not fit the member's long is a body that
		// does not decode into the operation's shapes.
		{key: "body:Policy.Rules.0.BytesPerHour", past: []any{json.Number("9223372036854775808")}, pastCode: "SerializationException",
			pastMsg: "The request body is not valid JSON for this operation: the value of Policy.Rules.BytesPerHour (number 9223372036854775808)", adjust: bytesPerHour}},
	"CompleteMultipartUpload": {rangeBound("header:x-amz-archive-size", nil, []any{"0", fmt.Sprint(fxPartSize + 1), "size"})},
	"UploadMultipartPart": {rangeBound("header:Content-Range", nil, []any{
		fmt.Sprintf("bytes 1-%d/*", fxPartSize), fmt.Sprintf("bytes 0-%d/*", 2*fxPartSize-1), fmt.Sprintf("0-%d", fxPartSize-1)})},
}
