package e2e

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glacier"
	"github.com/aws/aws-sdk-go-v2/service/glacier/types"

	"github.com/glacierd/glacierd/internal/treehash"
)

// commitCutter is a TCP proxy in front of PostgreSQL. Once armed with a
// table name, it lets the COMMIT of the next transaction that inserted into
// that table reach the server, withholds the answer and cuts the
// connection: the transaction commits, and its client cannot know it did —
// what a crash of the database server or of the network at that instant
// does.
type commitCutter struct {
	ln     net.Listener
	target string
	armed  atomic.Pointer[string] // the table, or nil
	cut    chan bool              // receives once per cut: whether the server confirmed the COMMIT
	wg     sync.WaitGroup
}

func startCommitCutter(t *testing.T, target string) *commitCutter {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &commitCutter{ln: ln, target: target, cut: make(chan bool, 1)}
	p.wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			p.wg.Go(func() { p.handle(c) })
		}
	})
	t.Cleanup(func() { ln.Close(); p.wg.Wait() })
	return p
}

// arm makes the proxy cut the next COMMIT of a transaction that inserted
// into table.
func (p *commitCutter) arm(table string) { p.armed.Store(&table) }

// waitCut waits for the armed cut.
func (p *commitCutter) waitCut(t *testing.T) {
	t.Helper()
	select {
	case confirmed := <-p.cut:
		if !confirmed {
			t.Fatal("PostgreSQL did not confirm the armed COMMIT within 10 s")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the armed COMMIT never came")
	}
}

// handle proxies one connection, reading the client's protocol messages.
func (p *commitCutter) handle(client net.Conn) {
	defer client.Close()
	server, err := net.Dial("tcp", p.target)
	if err != nil {
		return
	}
	defer server.Close()
	var mute atomic.Bool             // set: the server's answers are dropped
	committed := make(chan struct{}) // closed when a dropped answer confirms a COMMIT
	go func() {
		buf := make([]byte, 32<<10)
		var dropped []byte
		confirmed := false
		for {
			n, err := server.Read(buf)
			if n > 0 && mute.Load() {
				// CommandComplete's tag for a transaction that committed.
				if dropped = append(dropped, buf[:n]...); !confirmed && bytes.Contains(dropped, []byte("COMMIT\x00")) {
					close(committed)
					confirmed = true
				}
			} else if n > 0 {
				if _, werr := client.Write(buf[:n]); werr != nil {
					return
				}
			}
			if err != nil {
				client.Close()
				return
			}
		}
	}()
	r := bufio.NewReader(client)
	// Untyped start-up messages: SSL or GSS encryption requests (answered
	// with one byte) until the startup message itself.
	for {
		var hdr [8]byte
		if _, err := io.ReadFull(r, hdr[:]); err != nil {
			return
		}
		body := make([]byte, binary.BigEndian.Uint32(hdr[:4])-8)
		if _, err := io.ReadFull(r, body); err != nil {
			return
		}
		if _, err := server.Write(append(hdr[:], body...)); err != nil {
			return
		}
		if code := binary.BigEndian.Uint32(hdr[4:]); code != 80877103 && code != 80877104 {
			break
		}
	}
	stmts := map[string]string{}  // prepared statement name → SQL
	inserted := map[string]bool{} // tables inserted into by the open transaction
	for {
		var hdr [5]byte
		if _, err := io.ReadFull(r, hdr[:]); err != nil {
			return
		}
		body := make([]byte, binary.BigEndian.Uint32(hdr[1:])-4)
		if _, err := io.ReadFull(r, body); err != nil {
			return
		}
		fields := bytes.Split(body, []byte{0})
		switch hdr[0] {
		case 'P': // Parse: name, query
			stmts[string(fields[0])] = string(fields[1])
		case 'B': // Bind: portal, statement
			if sql := stmts[string(fields[1])]; strings.HasPrefix(sql, "INSERT INTO ") {
				inserted[strings.Fields(sql)[2]] = true
			}
		case 'Q': // simple query
			sql := strings.ToLower(strings.TrimSpace(string(fields[0])))
			if strings.HasPrefix(sql, "commit") {
				if table := p.armed.Load(); table != nil && inserted[*table] && p.armed.CompareAndSwap(table, nil) {
					mute.Store(true)
					_, _ = server.Write(append(hdr[:], body...))
					select {
					case <-committed: // the server committed
						p.cut <- true
					case <-time.After(10 * time.Second):
						p.cut <- false
					}
					return
				}
			}
			if strings.HasPrefix(sql, "commit") || strings.HasPrefix(sql, "rollback") {
				clear(inserted)
			}
		}
		if _, err := server.Write(append(hdr[:], body...)); err != nil {
			return
		}
	}
}

// TestFaultCommitOutcomeUnknown cuts glacierd's connection to PostgreSQL
// right after the COMMIT that records an upload (an archive, then a
// multipart part) reached the server: the upload is committed, but glacierd
// cannot know it and answers 500. Whatever it then does, it must not leave a
// committed record whose bytes are gone: the archive (the part) must be
// absent, or intact.
func TestFaultCommitOutcomeUnknown(t *testing.T) {
	requireStores(t)
	meta, err := url.Parse(freshPostgres(t))
	if err != nil {
		t.Fatal(err)
	}
	p := startCommitCutter(t, meta.Host)
	meta.Host = p.ln.Addr().String()
	blobs, key, secret := freshS3(t)
	cfg := distributedConfig(meta.String(), blobs, key, secret)
	cfg.Tick = 0 // no background transactions
	c := startCluster(t, 1, cfg)
	gl := c.clients()[0]
	createVault(t, gl, "cut")

	// UploadArchive: the transaction that records the archive.
	data := randomBytes(300 << 10)
	p.arm("archives")
	_, err = gl.UploadArchive(ctx, &glacier.UploadArchiveInput{AccountId: aws.String("-"), VaultName: aws.String("cut"), Body: bytes.NewReader(data)})
	p.waitCut(t)
	wantAPIError(t, err, "ServiceUnavailableException")
	listed := inventoryOf(t, c, gl, "cut")
	if len(listed) > 1 {
		t.Fatalf("inventory lists %d archives after one upload", len(listed))
	}
	if len(listed) == 1 {
		t.Logf("the archive whose COMMIT went unanswered was stored (%s); reading it back", listed[0].ArchiveId)
		got, err := retrieveVia(c, gl, "cut", listed[0].ArchiveId)
		if err != nil || !bytes.Equal(got, data) {
			t.Errorf("archive %s is listed (its record committed) but reads back as %d bytes, want %d: %v\n"+
				"UploadArchive deleted the bytes of an upload whose commit outcome it did not know", listed[0].ArchiveId, len(got), len(data), err)
		}
	}

	// UploadMultipartPart: the transaction that records the part.
	out, err := gl.InitiateMultipartUpload(ctx, &glacier.InitiateMultipartUploadInput{AccountId: aws.String("-"), VaultName: aws.String("cut"), PartSize: aws.String(fmt.Sprint(1 << 20))})
	if err != nil {
		t.Fatal(err)
	}
	part := randomBytes(1 << 20)
	p.arm("parts")
	_, err = gl.UploadMultipartPart(ctx, &glacier.UploadMultipartPartInput{AccountId: aws.String("-"), VaultName: aws.String("cut"), UploadId: out.UploadId,
		Range: aws.String(fmt.Sprintf("bytes 0-%d/*", len(part)-1)), Body: bytes.NewReader(part)})
	p.waitCut(t)
	wantAPIError(t, err, "ServiceUnavailableException")
	parts, err := gl.ListParts(ctx, &glacier.ListPartsInput{AccountId: aws.String("-"), VaultName: aws.String("cut"), UploadId: out.UploadId})
	if err != nil {
		t.Fatal(err)
	}
	if len(parts.Parts) == 1 {
		done, err := gl.CompleteMultipartUpload(ctx, &glacier.CompleteMultipartUploadInput{AccountId: aws.String("-"), VaultName: aws.String("cut"),
			UploadId: out.UploadId, ArchiveSize: aws.String(fmt.Sprint(len(part))), Checksum: aws.String(hexOf(treehash.Sum(part)))})
		if err != nil {
			t.Fatalf("complete with the part whose COMMIT went unanswered: %v", err)
		}
		got, err := retrieveVia(c, gl, "cut", aws.ToString(done.ArchiveId))
		if err != nil || !bytes.Equal(got, part) {
			t.Errorf("the part is listed (its record committed) and completes an archive that reads back as %d bytes, want %d: %v\n"+
				"UploadMultipartPart deleted the bytes of a part whose commit outcome it did not know", len(got), len(part), err)
		}
	}
}

// inventoryOf returns the current inventory of vault.
func inventoryOf(t *testing.T, c *cluster, gl *glacier.Client, vault string) []inventoryEntry {
	t.Helper()
	job, err := gl.InitiateJob(ctx, &glacier.InitiateJobInput{AccountId: aws.String("-"), VaultName: aws.String(vault),
		JobParameters: &types.JobParameters{Type: aws.String("inventory-retrieval")}})
	if err != nil {
		t.Fatal(err)
	}
	c.clock.Advance(4*time.Hour + time.Minute)
	var doc inventoryDoc
	if err := json.Unmarshal(readOutput(t, gl, vault, aws.ToString(job.JobId)), &doc); err != nil {
		t.Fatal(err)
	}
	return doc.ArchiveList
}

// retrieveVia downloads an archive through an Expedited job.
func retrieveVia(c *cluster, gl *glacier.Client, vault, id string) ([]byte, error) {
	job, err := gl.InitiateJob(ctx, &glacier.InitiateJobInput{AccountId: aws.String("-"), VaultName: aws.String(vault),
		JobParameters: &types.JobParameters{Type: aws.String("archive-retrieval"), ArchiveId: aws.String(id), Tier: aws.String("Expedited")}})
	if err != nil {
		return nil, err
	}
	c.clock.Advance(6 * time.Minute)
	return jobOutput(gl, vault, aws.ToString(job.JobId))
}
