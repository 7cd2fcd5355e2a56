package service

import (
	"errors"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/glacierd/glacierd/internal/glacier"
	"github.com/glacierd/glacierd/internal/glacierselect"
)

func TestCheckSelectShapeAndLocation(t *testing.T) {
	good := func() JobParams {
		return JobParams{Type: "select", ArchiveID: "a",
			SelectParameters: &glacier.SelectParameters{Expression: "select * from archive"},
			OutputLocation:   &glacier.S3Location{BucketName: "b", Prefix: "p"}}
	}
	cases := []struct {
		name string
		edit func(*JobParams)
		kind glacier.Kind
		msg  string
	}{
		{"no archive", func(p *JobParams) { p.ArchiveID = "" }, glacier.KindMissingParameter, "archiveId"},
		{"no select parameters", func(p *JobParams) { p.SelectParameters = nil }, glacier.KindMissingParameter, "SelectParameters"},
		{"no location", func(p *JobParams) { p.OutputLocation = nil }, glacier.KindMissingParameter, "OutputLocation.S3"},
		{"no bucket", func(p *JobParams) { p.OutputLocation.BucketName = "" }, glacier.KindMissingParameter, "BucketName"},
		{"no prefix", func(p *JobParams) { p.OutputLocation.Prefix = "" }, glacier.KindMissingParameter, "Prefix"},
		{"range", func(p *JobParams) { p.RetrievalByteRange = "0-1" }, glacier.KindInvalidParameter, "RetrievalByteRange"},
		{"format", func(p *JobParams) { p.Format = "CSV" }, glacier.KindInvalidParameter, "Format"},
		{"acl", func(p *JobParams) { p.OutputLocation.CannedACL = "everyone" }, glacier.KindInvalidParameter, "CannedACL: everyone"},
		{"storage class", func(p *JobParams) { p.OutputLocation.StorageClass = "GLACIER" }, glacier.KindInvalidParameter, "StorageClass: GLACIER"},
		{"encryption", func(p *JobParams) {
			p.OutputLocation.Encryption = &glacier.S3Encryption{EncryptionType: "rot13"}
		}, glacier.KindInvalidParameter, "EncryptionType: rot13"},
		{"kms key without kms", func(p *JobParams) {
			p.OutputLocation.Encryption = &glacier.S3Encryption{EncryptionType: "AES256", KMSKeyID: "k"}
		}, glacier.KindInvalidParameter, "KMSKeyId"},
		{"grantee type", func(p *JobParams) {
			p.OutputLocation.AccessControlList = []glacier.S3Grant{{Permission: "READ"}}
		}, glacier.KindMissingParameter, "AccessControlList[0].Grantee.Type"},
		{"permission", func(p *JobParams) {
			p.OutputLocation.AccessControlList = []glacier.S3Grant{{Grantee: glacier.S3Grantee{Type: "Group"}, Permission: "ALL"}}
		}, glacier.KindInvalidParameter, "Permission: ALL"},
	}
	for _, c := range cases {
		p := good()
		c.edit(&p)
		var j glacier.Job
		err := checkSelectShape(&j, p)
		if err == nil {
			err = checkLocation(p.OutputLocation)
		}
		if !glacier.IsKind(err, c.kind) || !strings.Contains(glacier.MessageOf(err), c.msg) {
			t.Errorf("%s: err = %v (kind %v), want kind %v with %q", c.name, err, glacier.KindOf(err), c.kind, c.msg)
		}
	}
	p := good()
	if err := checkSelectShape(new(glacier.Job), p); err != nil {
		t.Errorf("good request: %v", err)
	}
	if err := checkLocation(p.OutputLocation); err != nil {
		t.Errorf("good location: %v", err)
	}
}

// memPuts is an in-memory glacier.SelectOutput's Put.
type memPuts struct {
	mu   sync.Mutex
	objs map[string]string
	fail string // a name whose Put fails
}

func (m *memPuts) put(name string, r io.Reader) error {
	if name == m.fail {
		return errors.New("refused")
	}
	b, err := io.ReadAll(r)
	m.mu.Lock()
	defer m.mu.Unlock()
	m.objs[name] = string(b)
	return err
}

func TestResultWriterSplitsBetweenRecords(t *testing.T) {
	m := &memPuts{objs: map[string]string{}}
	w := &resultWriter{split: 10, put: m.put}
	q, err := glacierselect.Compile(glacierselect.Params{ExpressionType: "SQL", Expression: "SELECT _1 FROM archive WHERE _2 != 'x'"})
	if err != nil {
		t.Fatal(err)
	}
	in := "aaaa,1\nbbbb,x\ncccc,2\ndddd,3\neeee,4\n"
	if _, err := q.Run(t.Context(), strings.NewReader(in), w, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if err := w.finish(); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"results/part-00001.csv": "aaaa\ncccc\n",
		"results/part-00002.csv": "dddd\neeee\n",
	}
	if len(m.objs) != len(want) || len(w.keys) != len(want) {
		t.Fatalf("objects %q (keys %q), want %q", m.objs, w.keys, want)
	}
	for k, v := range want {
		if m.objs[k] != v {
			t.Errorf("%s = %q, want %q", k, m.objs[k], v)
		}
	}
	if got := manifest(w.keys); got != "results/part-00001.csv\nresults/part-00002.csv\n" {
		t.Errorf("manifest = %q", got)
	}
}

func TestResultWriterReportsAFailedPut(t *testing.T) {
	m := &memPuts{objs: map[string]string{}, fail: "results/part-00001.csv"}
	w := &resultWriter{split: 1 << 30, put: m.put}
	_, werr := w.Write([]byte("x\n"))
	ferr := w.finish()
	if werr == nil && ferr == nil {
		t.Fatal("a refused Put was not reported")
	}
	if len(m.objs) != 0 {
		t.Errorf("objects %q after a refused Put", m.objs)
	}
}
