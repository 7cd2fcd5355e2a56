package service

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/glacierd/glacierd/internal/countio"
	"github.com/glacierd/glacierd/internal/glacier"
)

// inventoryTime formats inventory dates: ISO 8601 UTC with milliseconds.
func inventoryTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// writeInventory generates the inventory document of job j into a new blob,
// streaming archives from the metadata store so that memory stays flat
// however large the vault. It returns the blob's key and size and the marker
// of the next page ("" when the document holds the last archive).
func (s *Service) writeInventory(ctx context.Context, j glacier.Job) (key string, size int64, next string, err error) {
	key = newBlobKey("inventory")
	if err := s.intend(ctx, key); err != nil {
		return "", 0, "", err
	}
	pr, pw := io.Pipe()
	go func() {
		bw := bufio.NewWriterSize(pw, 256<<10)
		err := s.generateInventory(ctx, j, bw, &next)
		if err == nil {
			err = bw.Flush()
		}
		pw.CloseWithError(err)
	}()
	cr := &countio.Reader{R: pr}
	err = s.blobs.Put(ctx, key, cr, -1)
	pr.CloseWithError(io.ErrClosedPipe) // stop the generator if Put gave up early
	if err != nil {
		s.discardBlobs(key)
		return "", 0, "", err
	}
	return key, cr.N, next, nil
}

// generateInventory writes j's inventory document to w and sets *next.
func (s *Service) generateInventory(ctx context.Context, j glacier.Job, w *bufio.Writer, next *string) error {
	q := glacier.ArchiveQuery{
		Account: j.Account, Vault: j.Vault, AsOf: j.InventoryAt,
		CreatedFrom: j.InventoryStart, CreatedBefore: j.InventoryEnd,
	}
	if j.InventoryMarker != "" {
		t, id, err := decodeCursor(j.InventoryMarker)
		if err != nil {
			return glacier.Errorf(glacier.KindInvalidParameter, "Invalid marker: %s", j.InventoryMarker)
		}
		q.AfterCreated, q.AfterID = t, id
	}
	enc := newInventoryEncoder(j.Format, w, s.VaultARN(glacier.VaultRef{Account: j.Account, Name: j.Vault}), j.InventoryAt)
	if err := enc.begin(); err != nil {
		return err
	}
	// The scan is cut into pages, each in its own read transaction, so that
	// no snapshot is held for the whole of a large inventory; AsOf makes the
	// pages add up to one consistent inventory.
	const page = 10000
	n := 0
	var last glacier.Archive // the last archive written
	for {
		q.Limit = page
		if j.InventoryLimit > 0 {
			q.Limit = min(page, j.InventoryLimit-n+1) // one more tells whether another page follows
		}
		got := 0
		err := s.meta.View(ctx, func(tx glacier.Tx) error {
			return tx.ScanArchives(q, func(a glacier.Archive) error {
				got++
				if j.InventoryLimit > 0 && n == j.InventoryLimit {
					*next = encodeCursor(last.CreatedAt, last.ID)
					return errStopScan
				}
				n++
				last = a
				return enc.archive(a)
			})
		})
		if errors.Is(err, errStopScan) {
			break
		}
		if err != nil {
			return err
		}
		if got < q.Limit {
			break
		}
		q.AfterCreated, q.AfterID = last.CreatedAt, last.ID
	}
	return enc.end()
}

// errStopScan ends a scan early without being an error.
var errStopScan = glacier.Errorf(glacier.KindInternal, "scan stopped")

// inventoryEncoder writes an inventory document in JSON or CSV.
type inventoryEncoder struct {
	csv   bool
	w     *bufio.Writer
	arn   string
	date  time.Time
	first bool
}

func newInventoryEncoder(format string, w *bufio.Writer, arn string, date time.Time) *inventoryEncoder {
	return &inventoryEncoder{csv: format == "CSV", w: w, arn: arn, date: date, first: true}
}

func (e *inventoryEncoder) begin() error {
	if e.csv {
		_, err := e.w.WriteString("ArchiveId,ArchiveDescription,CreationDate,Size,SHA256TreeHash\n")
		return err
	}
	arn, _ := json.Marshal(e.arn)
	_, err := e.w.WriteString(`{"VaultARN":` + string(arn) + `,"InventoryDate":"` + inventoryTime(e.date) + `","ArchiveList":[`)
	return err
}

// inventoryEntry is one archive in a JSON inventory.
type inventoryEntry struct {
	ArchiveId          string
	ArchiveDescription string
	CreationDate       string
	Size               int64
	SHA256TreeHash     string
}

func (e *inventoryEncoder) archive(a glacier.Archive) error {
	if e.csv {
		_, err := e.w.WriteString(csvField(a.ID) + "," + csvField(a.Description) + "," + inventoryTime(a.CreatedAt) + "," +
			strconv.FormatInt(a.Size, 10) + "," + a.TreeHash + "\n")
		return err
	}
	b, err := json.Marshal(inventoryEntry{a.ID, a.Description, inventoryTime(a.CreatedAt), a.Size, a.TreeHash})
	if err != nil {
		return err
	}
	if !e.first {
		if err := e.w.WriteByte(','); err != nil {
			return err
		}
	}
	e.first = false
	_, err = e.w.Write(b)
	return err
}

func (e *inventoryEncoder) end() error {
	if e.csv {
		return nil
	}
	_, err := e.w.WriteString("]}")
	return err
}

// csvField quotes a CSV field the way Glacier's inventory does: a field with
// a comma or a double quote is enclosed in double quotes, inner double
// quotes are escaped with a backslash, and backslashes are left alone.
func csvField(s string) string {
	if !strings.ContainsAny(s, ",\"") {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"`
}
