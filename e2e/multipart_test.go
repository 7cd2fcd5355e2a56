package e2e

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glacier"

	"github.com/glacierd/glacierd/internal/treehash"
)

// mp drives one multipart upload through the SDK.
type mp struct {
	e        *env
	vault    string
	id       string
	partSize int64
}

func (e *env) initiateMP(vault string, partSize int64, desc string) *mp {
	e.t.Helper()
	in := &glacier.InitiateMultipartUploadInput{AccountId: aws.String("-"), VaultName: aws.String(vault), PartSize: aws.String(fmt.Sprint(partSize))}
	if desc != "" {
		in.ArchiveDescription = aws.String(desc)
	}
	out, err := e.gl.InitiateMultipartUpload(ctx, in)
	if err != nil {
		e.t.Fatalf("initiate multipart upload: %v", err)
	}
	if loc := aws.ToString(out.Location); loc != "/"+testAccount+"/vaults/"+vault+"/multipart-uploads/"+aws.ToString(out.UploadId) {
		e.t.Errorf("Location %q", loc)
	}
	return &mp{e: e, vault: vault, id: aws.ToString(out.UploadId), partSize: partSize}
}

func (m *mp) part(start int64, data []byte, opts ...func(*glacier.Options)) error {
	_, err := m.e.gl.UploadMultipartPart(ctx, &glacier.UploadMultipartPartInput{
		AccountId: aws.String("-"), VaultName: aws.String(m.vault), UploadId: aws.String(m.id),
		Range: aws.String(fmt.Sprintf("bytes %d-%d/*", start, start+int64(len(data))-1)), Body: bytes.NewReader(data),
	}, opts...)
	return err
}

// parts uploads all of data's parts concurrently, last part first.
func (m *mp) parts(data []byte) {
	m.e.t.Helper()
	var wg sync.WaitGroup
	for start := int64(len(data)-1) / m.partSize * m.partSize; start >= 0; start -= m.partSize {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := m.part(start, data[start:min(start+m.partSize, int64(len(data)))]); err != nil {
				m.e.t.Errorf("part at %d: %v", start, err)
			}
		}()
	}
	wg.Wait()
}

func (m *mp) complete(size int64, hash string) (*glacier.CompleteMultipartUploadOutput, error) {
	return m.e.gl.CompleteMultipartUpload(ctx, &glacier.CompleteMultipartUploadInput{
		AccountId: aws.String("-"), VaultName: aws.String(m.vault), UploadId: aws.String(m.id),
		ArchiveSize: aws.String(fmt.Sprint(size)), Checksum: aws.String(hash),
	})
}

func TestMultipartRoundTrip(t *testing.T) {
	e := start(t)
	e.mustCreateVault("v")
	for _, c := range []struct {
		partSize int64
		size     int
	}{{1 << 20, 5<<20 + 3}, {1 << 20, 1 << 20}, {2 << 20, 7 << 20}, {4 << 20, 1}, {1 << 20, 3 << 20}} {
		data := randomBytes(c.size)
		m := e.initiateMP("v", c.partSize, "  multipart with leading spaces")
		m.parts(data)
		out, err := m.complete(int64(len(data)), hexOf(treehash.Sum(data)))
		if err != nil {
			t.Fatalf("part size %d, %d bytes: complete: %v", c.partSize, c.size, err)
		}
		id := aws.ToString(out.ArchiveId)
		if aws.ToString(out.Checksum) != hexOf(treehash.Sum(data)) || aws.ToString(out.Location) != "/"+testAccount+"/vaults/v/archives/"+id {
			t.Errorf("complete: checksum %s location %s", aws.ToString(out.Checksum), aws.ToString(out.Location))
		}
		// Completing again soon after returns the same archive.
		again, err := m.complete(int64(len(data)), hexOf(treehash.Sum(data)))
		if err != nil || aws.ToString(again.ArchiveId) != id {
			t.Errorf("repeated complete: %v, archive %q, want %q", err, aws.ToString(again.ArchiveId), id)
		}
		e.assertArchive("v", id, data)
		// The upload is gone: no parts to list, no more parts accepted.
		_, err = e.gl.ListParts(ctx, &glacier.ListPartsInput{AccountId: aws.String("-"), VaultName: aws.String("v"), UploadId: aws.String(m.id)})
		wantAPIError(t, err, "ResourceNotFoundException", m.id)
		wantAPIError(t, m.part(0, data[:min(len(data), int(c.partSize))]), "ResourceNotFoundException")
	}
	// Leading spaces of the description are dropped.
	for _, a := range e.inventory("v") {
		if a.ArchiveDescription != "multipart with leading spaces" {
			t.Errorf("archive description %q", a.ArchiveDescription)
		}
	}
	uploads, err := e.gl.ListMultipartUploads(ctx, &glacier.ListMultipartUploadsInput{AccountId: aws.String("-"), VaultName: aws.String("v")})
	if err != nil || len(uploads.UploadsList) != 0 {
		t.Errorf("uploads after completion: %d (%v)", len(uploads.UploadsList), err)
	}
}

func TestMultipartListing(t *testing.T) {
	e := start(t)
	e.mustCreateVault("v")
	var ids []string
	for i := range 7 {
		ids = append(ids, e.initiateMP("v", 1<<20, fmt.Sprintf("upload %d", i)).id)
	}
	var listed []string
	p := glacier.NewListMultipartUploadsPaginator(e.gl, &glacier.ListMultipartUploadsInput{AccountId: aws.String("-"), VaultName: aws.String("v"), Limit: aws.Int32(3)})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(out.UploadsList) > 3 {
			t.Fatalf("page of %d uploads", len(out.UploadsList))
		}
		for _, u := range out.UploadsList {
			listed = append(listed, aws.ToString(u.MultipartUploadId))
			if u.PartSizeInBytes != 1<<20 || !strings.HasPrefix(aws.ToString(u.ArchiveDescription), "upload ") || u.CreationDate == nil {
				t.Errorf("upload entry %+v", u)
			}
		}
	}
	if len(listed) != len(ids) {
		t.Errorf("listed %d uploads, want %d", len(listed), len(ids))
	}

	m := &mp{e: e, vault: "v", id: ids[0], partSize: 1 << 20}
	data := randomBytes(9<<20 + 1)
	m.parts(data)
	var ranges []string
	pp := glacier.NewListPartsPaginator(e.gl, &glacier.ListPartsInput{AccountId: aws.String("-"), VaultName: aws.String("v"), UploadId: aws.String(m.id), Limit: aws.Int32(4)})
	for pp.HasMorePages() {
		out, err := pp.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if aws.ToString(out.MultipartUploadId) != m.id || out.PartSizeInBytes != 1<<20 || aws.ToString(out.ArchiveDescription) != "upload 0" {
			t.Errorf("ListParts header: %+v", out)
		}
		for _, part := range out.Parts {
			ranges = append(ranges, aws.ToString(part.RangeInBytes))
			var s, en int
			fmt.Sscanf(aws.ToString(part.RangeInBytes), "%d-%d", &s, &en)
			if want := hexOf(treehash.Sum(data[s : en+1])); aws.ToString(part.SHA256TreeHash) != want {
				t.Errorf("part %s: hash %s, want %s", aws.ToString(part.RangeInBytes), aws.ToString(part.SHA256TreeHash), want)
			}
		}
	}
	want := []string{}
	for s := 0; s < len(data); s += 1 << 20 {
		want = append(want, fmt.Sprintf("%d-%d", s, min(s+1<<20, len(data))-1))
	}
	if strings.Join(ranges, " ") != strings.Join(want, " ") {
		t.Errorf("part ranges\n got %v\nwant %v", ranges, want)
	}

	// Abort: idempotent, and the upload is gone.
	for range 2 {
		if _, err := e.gl.AbortMultipartUpload(ctx, &glacier.AbortMultipartUploadInput{AccountId: aws.String("-"), VaultName: aws.String("v"), UploadId: aws.String(m.id)}); err != nil {
			t.Fatalf("abort: %v", err)
		}
	}
	_, err := e.gl.ListParts(ctx, &glacier.ListPartsInput{AccountId: aws.String("-"), VaultName: aws.String("v"), UploadId: aws.String(m.id)})
	wantAPIError(t, err, "ResourceNotFoundException")
	_, err = m.complete(int64(len(data)), hexOf(treehash.Sum(data)))
	wantAPIError(t, err, "ResourceNotFoundException")
}

func TestMultipartErrors(t *testing.T) {
	e := start(t)
	e.mustCreateVault("v")
	keep, _ := e.upload("v", []byte("keep"), "")
	data := randomBytes(3<<20 + 100)
	m := e.initiateMP("v", 1<<20, "errors")
	m.parts(data[:2<<20]) // parts 0 and 1
	before := e.snapshot()

	wrong := hexOf(treehash.Sum([]byte("x")))
	cases := []struct {
		name   string
		err    error
		code   string
		substr string
	}{
		{"misaligned part", m.part(512<<10, data[:1<<20]), "InvalidParameterValueException", "aligned"},
		{"part larger than part size", m.part(2<<20, data[:2<<20]), "InvalidParameterValueException", "part size"},
		{"wrong part hash", m.part(2<<20, data[2<<20:3<<20], setHeader("X-Amz-Sha256-Tree-Hash", wrong)), "InvalidParameterValueException", "Checksum mismatch"},
		{"malformed part hash", m.part(2<<20, data[2<<20:3<<20], setHeader("X-Amz-Sha256-Tree-Hash", "000")), "InvalidParameterValueException", "Invalid x-amz-sha256-tree-hash: 000"},
		{"short hex part hash", m.part(2<<20, data[2<<20:3<<20], setHeader("X-Amz-Sha256-Tree-Hash", zeros32)), "InvalidParameterValueException",
			"Checksum mismatch: expected " + zeros32},
		{"malformed hash at complete", func() error { _, err := m.complete(2<<20, "000"); return err }(), "InvalidParameterValueException", "Invalid x-amz-sha256-tree-hash: 000"},
		{"short hex hash at complete", func() error { _, err := m.complete(2<<20, zeros32); return err }(), "InvalidParameterValueException", "Checksum mismatch: expected " + zeros32},
		{"bad content range", m.part(2<<20, data[2<<20:3<<20], setHeader("Content-Range", "bytes=2097152-3145727")), "InvalidParameterValueException", "Content-Range"},
		{"missing part at complete", func() error { _, err := m.complete(int64(len(data)), hexOf(treehash.Sum(data))); return err }(), "InvalidParameterValueException", "parts"},
		{"wrong size at complete", func() error { _, err := m.complete(1<<20, hexOf(treehash.Sum(data[:1<<20]))); return err }(), "InvalidParameterValueException", ""},
		{"wrong hash at complete", func() error { _, err := m.complete(2<<20, wrong); return err }(), "InvalidParameterValueException", "Checksum mismatch"},
		{"unknown upload", (&mp{e: e, vault: "v", id: strings.Repeat("U", 92), partSize: 1 << 20}).part(0, data[:1<<20]), "ResourceNotFoundException", "The upload ID was not found"},
		{"upload in another vault", (&mp{e: e, vault: "other", id: m.id, partSize: 1 << 20}).part(0, data[:1<<20]), "ResourceNotFoundException", "Vault not found"},
		{"bad part size", func() error {
			_, err := e.gl.InitiateMultipartUpload(ctx, &glacier.InitiateMultipartUploadInput{AccountId: aws.String("-"), VaultName: aws.String("v"), PartSize: aws.String("3145728")})
			return err
		}(), "InvalidParameterValueException", "part size"},
		{"part size too large", func() error {
			_, err := e.gl.InitiateMultipartUpload(ctx, &glacier.InitiateMultipartUploadInput{AccountId: aws.String("-"), VaultName: aws.String("v"), PartSize: aws.String("8589934592")})
			return err
		}(), "InvalidParameterValueException", "part size"},
		{"oversize description", func() error {
			_, err := e.gl.InitiateMultipartUpload(ctx, &glacier.InitiateMultipartUploadInput{AccountId: aws.String("-"), VaultName: aws.String("v"), PartSize: aws.String("1048576"), ArchiveDescription: aws.String(strings.Repeat("x", 1025))})
			return err
		}(), "InvalidParameterValueException", "description"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { wantAPIError(t, c.err, c.code, c.substr) })
	}
	e.assertUnchanged(before)

	// A short part that is not the last is accepted, but completing fails.
	short := e.initiateMP("v", 1<<20, "")
	if err := short.part(0, data[:512<<10]); err != nil {
		t.Fatalf("short first part: %v", err)
	}
	if err := short.part(1<<20, data[1<<20:2<<20]); err != nil {
		t.Fatal(err)
	}
	_, err := short.complete(1<<20+512<<10, hexOf(treehash.Sum(data[:1<<20+512<<10])))
	wantAPIError(t, err, "InvalidParameterValueException")
	// Re-uploading a part overwrites it, after which the upload completes.
	if err := short.part(0, data[:1<<20]); err != nil {
		t.Fatal(err)
	}
	out, err := short.complete(2<<20, hexOf(treehash.Sum(data[:2<<20])))
	if err != nil {
		t.Fatalf("complete after overwriting the short part: %v", err)
	}
	e.assertArchive("v", aws.ToString(out.ArchiveId), data[:2<<20])
	e.assertArchive("v", keep, []byte("keep"))

	// A 4 GiB part size is valid.
	e.initiateMP("v", 4<<30, "")
}
