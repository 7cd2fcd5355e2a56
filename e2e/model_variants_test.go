package e2e

import (
	"fmt"
	"strings"

	"github.com/glacierd/glacierd/internal/app"
	"github.com/glacierd/glacierd/internal/treehash"
)

// variant is one generated request of an operation and what the server
// must answer.
type variant struct {
	name   string
	mutate func(fx *fixture, r *modelReq)
	want   want
	// setup, when set, prepares the state the variant needs; the variant
	// then runs on a server of its own (with config applied).
	setup  func(e *env, fx *fixture)
	config func(*app.Config)
}

// want is an expected answer: a success status, or an error code (whose
// status comes from the model) and optionally the start of its message.
type want struct {
	status int
	code   string
	msg    string
}

func (w want) ok() bool { return w.code == "" }

func fail(code string, msg ...string) want { return want{code: code, msg: strings.Join(msg, "")} }

func set(kv ...any) func(*fixture, *modelReq) {
	return func(_ *fixture, r *modelReq) {
		for i := 0; i < len(kv); i += 2 {
			r.set(kv[i].(string), kv[i+1])
		}
	}
}

func unset(keys ...string) func(*fixture, *modelReq) {
	return func(_ *fixture, r *modelReq) {
		for _, k := range keys {
			r.unset(k)
		}
	}
}

func treeHex(b []byte) string { return hexOf(treehash.Sum(b)) }

// variants generates every variant of op: required members missing, enum
// values, bounds, and the errors the operation can be driven into.
func variants(op *modelOp) []variant {
	var vs []variant
	// Every required member of the model, missing in turn. In the model
	// only URI labels are required; an empty label leaves a path that names
	// no operation.
	for _, m := range op.Members {
		if m.Required && m.Location == "uri" {
			vs = append(vs, variant{name: "missing " + m.Name, mutate: set("uri:"+m.Wire, ""), want: missingLabel})
		}
	}
	vs = append(vs, variant{name: "missing x-amz-glacier-version", mutate: set("header:X-Amz-Glacier-Version", ""),
		want: fail("MissingParameterValueException", "Required parameter missing: API version")})
	for _, key := range docRequired[op.Name] {
		mutate := set(key, "") // an empty header or query parameter is not sent
		if strings.HasPrefix(key, "body:") {
			mutate = unset(key)
		}
		vs = append(vs, variant{name: "missing " + key, mutate: mutate, want: missingMember})
	}
	for _, ef := range enums[op.Name] {
		for _, val := range ef.values {
			vs = append(vs, variant{name: fmt.Sprintf("enum %s=%s", ef.key, val), mutate: ef.apply(val), want: want{}})
		}
		vs = append(vs, variant{name: fmt.Sprintf("enum %s=%s (invalid)", ef.key, ef.invalid), mutate: ef.apply(ef.invalid), want: fail(ef.invalidCode())})
	}
	for _, b := range bounds[op.Name] {
		for _, v := range b.at {
			vs = append(vs, variant{name: fmt.Sprintf("%s at bound %s", b.key, short(v)), mutate: b.apply(v), want: want{}})
		}
		for _, v := range b.past {
			vs = append(vs, variant{name: fmt.Sprintf("%s past bound %s", b.key, short(v)), mutate: b.apply(v), want: fail(b.pastCode, b.pastMsg)})
		}
	}
	vs = append(vs, drivenByModel(op)...)
	vs = append(vs, driven[op.Name]...)
	vs = append(vs, variant{name: "valid", want: want{}})
	return vs
}

// short names a long value by its length.
func short(v any) string {
	switch v := v.(type) {
	case string:
		if len(v) > 24 {
			return fmt.Sprintf("(%d chars)", len(v))
		}
		return fmt.Sprintf("%q", v)
	case map[string]any:
		var keyLen, valLen int
		for k, x := range v {
			keyLen, valLen = max(keyLen, len(k)), max(valLen, len(x.(string)))
		}
		return fmt.Sprintf("(%d entries, keys up to %d, values up to %d chars)", len(v), keyLen, valLen)
	}
	return fmt.Sprint(v)
}

// drivenByModel generates the errors every operation of a given shape can be
// driven into on a fresh server: a vault, upload or job that does not exist,
// another account, a malformed account.
func drivenByModel(op *modelOp) []variant {
	var vs []variant
	for _, m := range op.Members {
		if m.Location != "uri" {
			continue
		}
		switch {
		case m.Wire == "vaultName" && op.Name != "CreateVault":
			vs = append(vs, variant{name: "vault not found", mutate: set("uri:vaultName", "no-such-vault"),
				want: fail("ResourceNotFoundException", "Vault not found for ARN: "+vaultARN(testAccount, "no-such-vault"))})
			vs = append(vs, variant{name: "vault name past 255 characters", mutate: set("uri:vaultName", strings.Repeat("v", 256)),
				want: fail("ResourceNotFoundException", "Vault not found for ARN: ")})
		case m.Wire == "uploadId":
			vs = append(vs, variant{name: "upload not found", mutate: set("uri:uploadId", unknownUpload),
				want: fail("ResourceNotFoundException", "The upload ID was not found: "+unknownUpload)})
		case m.Wire == "jobId":
			vs = append(vs, variant{name: "job not found", mutate: set("uri:jobId", unknownJob),
				want: fail("ResourceNotFoundException", "The job ID was not found: "+unknownJob)})
		}
	}
	for _, m := range op.Members {
		if m.Location == "" && m.Type != "blob" {
			vs = append(vs, variant{name: "body not JSON", mutate: func(_ *fixture, r *modelReq) { r.doc, r.blob = nil, []byte(`{"`+m.Name+`":`) },
				want: fail("SerializationException", "The request body is not valid JSON for this operation: ")})
			vs = append(vs, variant{name: "body a JSON array", mutate: func(_ *fixture, r *modelReq) { r.doc, r.blob = nil, []byte(`[]`) },
				want: fail("SerializationException", "The request body is not valid JSON for this operation: a JSON array is not allowed here")})
			break
		}
	}
	vs = append(vs,
		variant{name: "another account", mutate: set("uri:accountId", foreignAcct), want: fail("AccessDeniedException")},
		variant{name: "malformed account", mutate: set("uri:accountId", "abcmnoxyz"), want: fail("UnrecognizedClientException")},
	)
	return vs
}
