package storetest

import (
	"fmt"
	"testing"

	"github.com/glacierd/glacierd/internal/glacier"
)

func partTests() []metaTest {
	return []metaTest{
		{"Part/RoundTrip", testPartRoundTrip},
		{"Part/NotFound", testPartNotFound},
		{"Part/PutReplaces", testPartPutReplaces},
		{"Part/OrderAndPaging", testPartOrderAndPaging},
		{"Part/DeleteParts", testPartDeleteParts},
	}
}

// newPart returns a part of 1 MiB with every field set.
func newPart(uploadID string, start int64) glacier.Part {
	return glacier.Part{
		UploadID: uploadID,
		Start:    start,
		Size:     1 << 20,
		TreeHash: fmt.Sprintf("%064x", start+1),
		Key:      fmt.Sprintf("parts/%s/%d", uploadID, start),
	}
}

func putParts(t *testing.T, s glacier.MetaStore, ps ...glacier.Part) {
	t.Helper()
	update(t, s, func(tx glacier.Tx) error {
		for _, p := range ps {
			if err := tx.PutPart(p); err != nil {
				return err
			}
		}
		return nil
	})
}

func partStarts(ps []glacier.Part) []int64 {
	var starts []int64
	for _, p := range ps {
		starts = append(starts, p.Start)
	}
	return starts
}

func testPartRoundTrip(t *testing.T, s glacier.MetaStore) {
	putVaults(t, s, newVault(acctA, "v"))
	putUploads(t, s, newUpload("u", acctA, "v"))
	first, big := newPart("u", 0), newPart("u", 37<<30)
	big.Size = 4 << 30
	putParts(t, s, big, first)
	view(t, s, func(tx glacier.Tx) error {
		for _, want := range []glacier.Part{first, big} {
			got, err := tx.Part("u", want.Start)
			if err != nil {
				return err
			}
			if d := diff(want, got); d != "" {
				t.Errorf("Part(%d) (-want +got):\n%s", want.Start, d)
			}
		}
		got, err := tx.Parts("u", -1, 0)
		if err != nil {
			return err
		}
		if d := diff([]glacier.Part{first, big}, got); d != "" {
			t.Errorf("Parts (-want +got):\n%s", d)
		}
		return nil
	})
}

func testPartNotFound(t *testing.T, s glacier.MetaStore) {
	putVaults(t, s, newVault(acctA, "v"))
	putUploads(t, s, newUpload("u", acctA, "v"), newUpload("w", acctA, "v"))
	putParts(t, s, newPart("u", 0))
	view(t, s, func(tx glacier.Tx) error {
		_, err := tx.Part("u", 1<<20)
		if err := errNotFound("Part(missing start)", err); err != nil {
			return err
		}
		_, err = tx.Part("w", 0)
		if err := errNotFound("Part(other upload)", err); err != nil {
			return err
		}
		_, err = tx.Part("never", 0)
		return errNotFound("Part(missing upload)", err)
	})
}

func testPartPutReplaces(t *testing.T, s glacier.MetaStore) {
	putVaults(t, s, newVault(acctA, "v"))
	putUploads(t, s, newUpload("u", acctA, "v"))
	p := newPart("u", 1<<20)
	putParts(t, s, p)
	p.TreeHash = fmt.Sprintf("%064x", 999)
	p.Key = "parts/u/retry"
	p.Size = 512
	putParts(t, s, p)
	view(t, s, func(tx glacier.Tx) error {
		got, err := tx.Parts("u", -1, 0)
		if err != nil {
			return err
		}
		if d := diff([]glacier.Part{p}, got); d != "" {
			t.Errorf("Parts after replace (-want +got):\n%s", d)
		}
		return nil
	})
}

func testPartOrderAndPaging(t *testing.T, s glacier.MetaStore) {
	putVaults(t, s, newVault(acctA, "v"))
	putUploads(t, s, newUpload("u", acctA, "v"), newUpload("other", acctA, "v"))
	// Offsets cross 2^32 and differ in digit count, so a store that
	// compares them as 32-bit or as text shows.
	const step = 4 << 30
	var want []int64
	for i := range int64(12) {
		want = append(want, i*step)
	}
	for _, i := range []int{7, 0, 11, 3, 9, 1, 5, 10, 2, 8, 4, 6} {
		putParts(t, s, newPart("u", want[i]))
	}
	putParts(t, s, newPart("other", 1), newPart("other", step+1))
	view(t, s, func(tx glacier.Tx) error {
		all, err := tx.Parts("u", -1, 0)
		if err != nil {
			return err
		}
		if d := diff(want, partStarts(all)); d != "" {
			t.Errorf("Parts order (-want +got):\n%s", d)
		}
		var got []int64
		after := int64(-1)
		for range 20 {
			page, err := tx.Parts("u", after, 5)
			if err != nil {
				return err
			}
			if len(page) > 5 {
				t.Fatalf("Parts(limit 5) returned %d", len(page))
			}
			if len(page) == 0 {
				break
			}
			got = append(got, partStarts(page)...)
			after = page[len(page)-1].Start
		}
		if d := diff(want, got); d != "" {
			t.Errorf("paged Parts (-want +got):\n%s", d)
		}
		page, err := tx.Parts("u", 0, 2)
		if err != nil {
			return err
		}
		if d := diff(want[1:3], partStarts(page)); d != "" {
			t.Errorf("Parts(after 0, limit 2) (-want +got):\n%s", d)
		}
		page, err = tx.Parts("u", 9*step-1, -1)
		if err != nil {
			return err
		}
		if d := diff(want[9:], partStarts(page)); d != "" {
			t.Errorf("Parts(after between, no limit) (-want +got):\n%s", d)
		}
		return nil
	})
}

func testPartDeleteParts(t *testing.T, s glacier.MetaStore) {
	putVaults(t, s, newVault(acctA, "v"))
	u := newUpload("u", acctA, "v")
	putUploads(t, s, u, newUpload("w", acctA, "v"), newUpload("empty", acctA, "v"))
	putParts(t, s, newPart("u", 0), newPart("u", 1<<20), newPart("w", 0))
	update(t, s, func(tx glacier.Tx) error {
		if err := tx.DeleteParts("u"); err != nil {
			return err
		}
		if err := tx.DeleteParts("empty"); err != nil {
			return err
		}
		return tx.DeleteParts("never")
	})
	view(t, s, func(tx glacier.Tx) error {
		parts, err := tx.Parts("u", -1, 0)
		if err != nil {
			return err
		}
		if len(parts) != 0 {
			t.Errorf("Parts after DeleteParts: %v", partStarts(parts))
		}
		got, err := tx.Upload("u")
		if err != nil {
			return fmt.Errorf("upload after DeleteParts: %w", err)
		}
		if d := diff(u, got); d != "" {
			t.Errorf("Upload after DeleteParts (-want +got):\n%s", d)
		}
		parts, err = tx.Parts("w", -1, 0)
		if err != nil {
			return err
		}
		if len(parts) != 1 {
			t.Errorf("other upload's parts: %v, want one", partStarts(parts))
		}
		return nil
	})
}
