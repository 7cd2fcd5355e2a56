package e2e

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// modelReq is one request of an operation. Its parts are addressed by keys
// of the form "uri:vaultName", "header:x-amz-part-size", "query:limit" and
// "body:Rules.0.Strategy" (a path into the JSON body).
type modelReq struct {
	labels map[string]string // URI label → value
	header map[string]string
	query  map[string]string
	doc    map[string]any // the JSON body; nil when the body is blob
	blob   []byte         // the raw body (UploadArchive, UploadMultipartPart)
	// declared, when set, is the Content-Length sent in the headers
	// instead of len(blob); the request then goes over a bare connection.
	declared int64
}

func (r modelReq) clone() modelReq {
	c := modelReq{labels: map[string]string{}, header: map[string]string{}, query: map[string]string{}, blob: r.blob, declared: r.declared}
	for k, v := range r.labels {
		c.labels[k] = v
	}
	for k, v := range r.header {
		c.header[k] = v
	}
	for k, v := range r.query {
		c.query[k] = v
	}
	if r.doc != nil {
		b, _ := json.Marshal(r.doc)
		d := json.NewDecoder(bytes.NewReader(b))
		d.UseNumber() // keeps int64 bounds exact
		_ = d.Decode(&c.doc)
	}
	return c
}

// set sets the part at key to v; unset removes it.
func (r *modelReq) set(key string, v any) { r.put(key, v, false) }

func (r *modelReq) unset(key string) { r.put(key, nil, true) }

func (r *modelReq) put(key string, v any, del bool) {
	where, name, _ := strings.Cut(key, ":")
	var m map[string]string
	switch where {
	case "uri":
		m = r.labels
	case "header":
		m = r.header
	case "query":
		m = r.query
	case "body":
		putPath(r.doc, strings.Split(name, "."), v, del)
		return
	default:
		panic("bad key " + key)
	}
	if del {
		delete(m, name)
	} else {
		m[name] = fmt.Sprint(v)
	}
}

// putPath sets or deletes the value at path in a JSON document.
func putPath(doc any, path []string, v any, del bool) {
	last := len(path) == 1
	switch d := doc.(type) {
	case map[string]any:
		switch {
		case last && del:
			delete(d, path[0])
		case last:
			d[path[0]] = v
		default:
			putPath(d[path[0]], path[1:], v, del)
		}
	case []any:
		i, _ := strconv.Atoi(path[0])
		switch {
		case last && del:
			panic("cannot delete a list element")
		case last:
			d[i] = v
		default:
			putPath(d[i], path[1:], v, del)
		}
	default:
		panic(fmt.Sprintf("no JSON container at %v", path))
	}
}

// path builds the request path of op from r's labels (an absent label is
// an empty segment).
func (r modelReq) path(op *modelOp) string {
	p := op.Path
	for _, m := range op.Members {
		if m.Location == "uri" {
			p = strings.ReplaceAll(p, "{"+m.Wire+"}", url.PathEscape(r.labels[m.Wire]))
		}
	}
	q := url.Values{}
	if op.Query != "" {
		q, _ = url.ParseQuery(op.Query)
	}
	for k, v := range r.query {
		if v == "" {
			q.Del(k)
		} else {
			q.Set(k, v)
		}
	}
	if len(q) > 0 {
		p += "?" + q.Encode()
	}
	return p
}

func (r modelReq) body() []byte {
	if r.doc != nil {
		b, _ := json.Marshal(r.doc)
		return b
	}
	return r.blob
}

// answer is what the server said: the status, and for errors the code and
// type of the JSON error body and its message.
type answer struct {
	status            int
	code, typ, msg    string
	header            http.Header
	errorTypeHeader   string
	body              []byte
	malformedErrorDoc bool
}

func (a answer) String() string {
	if a.status < 300 {
		return strconv.Itoa(a.status)
	}
	return fmt.Sprintf("%d %s/%s %q", a.status, a.code, a.typ, a.msg)
}

// send signs r for op and sends it. The API version header is always sent
// unless r sets it to "".
func (e *env) send(op *modelOp, r modelReq) answer {
	e.t.Helper()
	body := r.body()
	req, err := http.NewRequest(op.Method, e.m.URL()+r.path(op), bytes.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	if len(body) == 0 {
		req.Body = http.NoBody
	}
	req.Header.Set("X-Amz-Glacier-Version", "2012-06-01")
	for k, v := range r.header {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	sum := sha256.Sum256(body)
	ph := hex.EncodeToString(sum[:])
	if r.declared > 0 {
		ph = "UNSIGNED-PAYLOAD"
		req.Header.Set("X-Amz-Content-Sha256", ph)
		req.ContentLength = r.declared // signed as sent
	}
	creds := aws.Credentials{AccessKeyID: testKey, SecretAccessKey: testSecret}
	if err := v4.NewSigner().SignHTTP(ctx, creds, req, ph, "glacier", testRegion, time.Now()); err != nil {
		e.t.Fatal(err)
	}
	var resp *http.Response
	if r.declared > 0 {
		resp = e.sendDeclared(req, r.declared, body)
	} else if resp, err = http.DefaultClient.Do(req); err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	a := answer{status: resp.StatusCode, header: resp.Header, body: b, errorTypeHeader: resp.Header.Get("X-Amzn-ErrorType")}
	if a.status >= 300 {
		var eb struct{ Code, Message, Type string }
		if json.Unmarshal(b, &eb) != nil || eb.Code == "" || eb.Message == "" {
			a.malformedErrorDoc = true
		}
		a.code, a.typ, a.msg = eb.Code, eb.Type, eb.Message
	}
	return a
}

// sendDeclared writes req's head with Content-Length n over a bare
// connection, then as much of body as there is, and reads the answer; the
// server must answer from the headers.
func (e *env) sendDeclared(req *http.Request, n int64, body []byte) *http.Response {
	e.t.Helper()
	c, err := net.Dial("tcp", req.URL.Host)
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { _ = c.Close() })
	var head bytes.Buffer
	fmt.Fprintf(&head, "%s %s HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\n", req.Method, req.URL.RequestURI(), req.URL.Host, n)
	for k, vs := range req.Header {
		for _, v := range vs {
			fmt.Fprintf(&head, "%s: %s\r\n", k, v)
		}
	}
	head.WriteString("\r\n")
	head.Write(body)
	if _, err := c.Write(head.Bytes()); err != nil {
		e.t.Fatal(err)
	}
	_ = c.SetReadDeadline(time.Now().Add(20 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(c), req)
	if err != nil {
		e.t.Fatalf("declared Content-Length %d: no answer from the headers: %v", n, err)
	}
	return resp
}

// sendSDK sends r through aws-sdk-go-v2, filling the operation's input from
// r by the model's member names, and returns the SDK's error.
func (e *env) sendSDK(op *modelOp, r modelReq) error {
	e.t.Helper()
	method := reflect.ValueOf(e.gl).MethodByName(op.Name)
	in := reflect.New(method.Type().In(1).Elem())
	if r.doc != nil && op.Payload == "" {
		if err := json.Unmarshal(r.body(), in.Interface()); err != nil {
			e.t.Fatalf("%s body into SDK input: %v", op.Name, err)
		}
	}
	for _, m := range op.Members {
		f := in.Elem().FieldByName(strings.ToUpper(m.Name[:1]) + m.Name[1:])
		if !f.IsValid() {
			e.t.Fatalf("%s: SDK input has no field for %s", op.Name, m.Name)
		}
		var v string
		var ok bool
		switch m.Location {
		case "uri":
			v, ok = r.labels[m.Wire]
		case "header":
			v, ok = r.header[m.Wire]
		case "querystring":
			v, ok = r.query[m.Wire]
		default:
			if m.Name == op.Payload && m.Type == "blob" {
				f.Set(reflect.ValueOf(bytes.NewReader(r.blob)))
			} else if m.Name == op.Payload && r.doc != nil {
				if err := json.Unmarshal(r.body(), f.Addr().Interface()); err != nil {
					e.t.Fatalf("%s payload into SDK input: %v", op.Name, err)
				}
			}
			continue
		}
		if ok {
			setScalar(e, f, v)
		}
	}
	out := method.Call([]reflect.Value{reflect.ValueOf(ctx), in})
	if !out[0].IsNil() {
		if f := out[0].Elem().FieldByName("Body"); f.IsValid() {
			if rc, ok := f.Interface().(io.Closer); ok && rc != nil {
				_ = rc.Close()
			}
		}
	}
	if err, _ := out[1].Interface().(error); err != nil {
		return err
	}
	return nil
}

// setScalar sets a *string or *int32 SDK field from its wire text.
func setScalar(e *env, f reflect.Value, v string) {
	switch f.Type().Elem().Kind() {
	case reflect.String:
		f.Set(reflect.ValueOf(&v))
	case reflect.Int32:
		n, err := strconv.ParseInt(v, 10, 32)
		if err != nil {
			e.t.Fatalf("SDK field %s: %q is not an int32", f.Type(), v)
		}
		i := int32(n)
		f.Set(reflect.ValueOf(&i))
	default:
		e.t.Fatalf("SDK field of type %s not handled", f.Type())
	}
}

// modelState is the account's stored state as the read operations show it:
// each GET path and its answer.
type modelState map[string]string

// modelSnapshot reads every vault's description, uploads and parts, jobs,
// tags, access policy, lock and notifications, and the account's retrieval
// policy and provisioned capacity.
func (e *env) modelSnapshot() modelState {
	e.t.Helper()
	st := modelState{}
	get := func(path string) []byte {
		r := e.raw(rawReq{method: "GET", path: path, sign: true})
		st[path] = fmt.Sprintf("%d %s", r.status, r.body)
		return r.body
	}
	pages := func(path, listKey string) []map[string]any {
		var all []map[string]any
		marker := ""
		for {
			p := path
			if marker != "" {
				p += "?marker=" + url.QueryEscape(marker)
			}
			var page map[string]any
			_ = json.Unmarshal(get(p), &page)
			for _, it := range page[listKey].([]any) {
				all = append(all, it.(map[string]any))
			}
			m, _ := page["Marker"].(string)
			if m == "" {
				return all
			}
			marker = m
		}
	}
	get("/-/policies/data-retrieval")
	get("/-/provisioned-capacity")
	for _, v := range pages("/-/vaults", "VaultList") {
		base := "/-/vaults/" + v["VaultName"].(string)
		for _, u := range pages(base+"/multipart-uploads", "UploadsList") {
			pages(base+"/multipart-uploads/"+u["MultipartUploadId"].(string), "Parts")
		}
		pages(base+"/jobs", "JobList")
		for _, p := range []string{"/tags", "/access-policy", "/lock-policy", "/notification-configuration"} {
			get(base + p)
		}
	}
	return st
}

// diff lists the paths whose answers differ.
func (s modelState) diff(after modelState) []string {
	var out []string
	for k, v := range s {
		if after[k] != v {
			out = append(out, fmt.Sprintf("%s: %.300s → %.300s", k, v, after[k]))
		}
	}
	for k, v := range after {
		if _, ok := s[k]; !ok {
			out = append(out, fmt.Sprintf("%s: (none) → %.300s", k, v))
		}
	}
	sort.Strings(out)
	return out
}
