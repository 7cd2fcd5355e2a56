package storetest

import (
	"testing"
	"time"

	"github.com/glacierd/glacierd/internal/glacier"
)

func jobTests() []metaTest {
	return []metaTest{
		{"Job/RoundTrip", testJobRoundTrip},
		{"Job/NotFound", testJobNotFound},
		{"Job/PutReplaces", testJobPutReplaces},
		{"Job/ListOrderOfThatVault", testJobListOrder},
		{"Job/ListStatus", testJobListStatus},
		{"Job/ListCompleted", testJobListCompleted},
		{"Job/ListMinCompleteAt", testJobListMinCompleteAt},
		{"Job/ListCursorAndLimit", testJobListCursorAndLimit},
		{"Job/ListArchiveID", testJobListArchiveID},
		{"Job/Unfinalized", testJobUnfinalized},
		{"Job/RetrievalStats", testJobRetrievalStats},
		{"Job/DeleteJobs", testJobDeleteJobs},
	}
}

// newJob returns a succeeded, unfinalized archive retrieval job with every
// archive-retrieval field set.
func newJob(id, account, vault string, created, complete time.Time) glacier.Job {
	return glacier.Job{
		ID:              id,
		Account:         account,
		Vault:           vault,
		Action:          glacier.ActionArchiveRetrieval,
		Tier:            glacier.TierStandard,
		Description:     "job " + id,
		SNSTopic:        "arn:aws:sns:us-east-1:" + account + ":topic",
		CreatedAt:       created,
		CompleteAt:      complete,
		Status:          glacier.StatusSucceeded,
		StatusMsg:       "Succeeded",
		ArchiveID:       "archive-" + id,
		ArchiveSize:     8<<30 + 3,
		ArchiveTreeHash: "aa" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd",
		RangeStart:      1 << 20,
		RangeEnd:        5<<30 - 1,
		RangeTreeHash:   "bb" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd",
	}
}

// newInventoryJob returns a finalized inventory retrieval job with every
// inventory field set.
func newInventoryJob(id, account, vault string, created, complete time.Time) glacier.Job {
	return glacier.Job{
		ID:              id,
		Account:         account,
		Vault:           vault,
		Action:          glacier.ActionInventoryRetrieval,
		Tier:            glacier.TierBulk,
		Description:     "inventory " + id,
		CreatedAt:       created,
		CompleteAt:      complete,
		Status:          glacier.StatusSucceeded,
		StatusMsg:       "Succeeded",
		Format:          "CSV",
		InventoryAt:     at(-24 * time.Hour),
		InventoryStart:  at(-48 * time.Hour),
		InventoryEnd:    at(-36 * time.Hour),
		InventoryLimit:  1000,
		InventoryMarker: "marker-in",
		Finalized:       true,
		OutputKey:       "out/" + id,
		OutputSize:      123456789,
		NextMarker:      "marker-out",
	}
}

// newSelectJob returns a finalized select job with every select field set.
func newSelectJob(id, account, vault string, created, complete time.Time) glacier.Job {
	j := newJob(id, account, vault, created, complete)
	j.Action, j.Tier, j.Finalized = glacier.ActionSelect, glacier.TierExpedited, true
	j.RangeStart, j.RangeTreeHash = 0, j.ArchiveTreeHash
	j.RangeEnd = j.ArchiveSize - 1
	j.Select = &glacier.SelectParameters{
		ExpressionType: "sql",
		Expression:     `SELECT s._1, "Name" FROM archive s WHERE s._2 > '10'`,
		Input: glacier.SelectCSVInput{FileHeaderInfo: "Use", Comments: "#", QuoteEscapeCharacter: "\\",
			RecordDelimiter: "\r\n", FieldDelimiter: ";", QuoteCharacter: "'"},
		Output: glacier.SelectCSVOutput{QuoteFields: "ALWAYS", QuoteEscapeCharacter: "\\",
			RecordDelimiter: "\n", FieldDelimiter: "\t", QuoteCharacter: "\""},
	}
	j.OutputLocation = &glacier.S3Location{
		BucketName: "bucket", Prefix: "out/put",
		Encryption: &glacier.S3Encryption{EncryptionType: "aws:kms", KMSKeyID: "key", KMSContext: "ctx"},
		CannedACL:  "bucket-owner-read",
		AccessControlList: []glacier.S3Grant{
			{Grantee: glacier.S3Grantee{Type: "CanonicalUser", DisplayName: "d", ID: "id"}, Permission: "READ"},
			{Grantee: glacier.S3Grantee{Type: "Group", URI: "http://acs.amazonaws.com/groups/global/AllUsers"}, Permission: "READ_ACP"},
			{Grantee: glacier.S3Grantee{Type: "AmazonCustomerByEmail", EmailAddress: "a@example.com"}, Permission: "WRITE"},
		},
		Tagging:      map[string]string{"k": "v", "empty": ""},
		UserMetadata: map[string]string{"m": "ü"},
		StorageClass: "STANDARD_IA",
	}
	j.OutputPath = "out/put/" + id + "/"
	j.ResultKeys = []string{j.OutputPath + "results/part-00001.csv", j.OutputPath + "results/part-00002.csv"}
	j.ErrorKeys = []string{j.OutputPath + "errors/error-00001.txt"}
	return j
}

func putJobs(t *testing.T, s glacier.MetaStore, js ...glacier.Job) {
	t.Helper()
	update(t, s, func(tx glacier.Tx) error {
		for _, j := range js {
			if err := tx.PutJob(j); err != nil {
				return err
			}
		}
		return nil
	})
}

func jobIDs(js []glacier.Job) []string {
	var ids []string
	for _, j := range js {
		ids = append(ids, j.ID)
	}
	return ids
}

func testJobRoundTrip(t *testing.T, s glacier.MetaStore) {
	putVaults(t, s, newVault(acctA, "v"))
	arch := newJob("j-arch", acctA, "v", at(-time.Hour), at(time.Hour))
	inv := newInventoryJob("j-inv", acctA, "v", at(-2*time.Hour), at(-time.Hour))
	failed := newInventoryJob("j-failed", acctA, "v", at(-3*time.Hour), at(-2*time.Hour))
	failed.Status, failed.StatusMsg = glacier.StatusFailed, "Inventory not available"
	failed.InventoryStart, failed.InventoryEnd, failed.InventoryAt = time.Time{}, time.Time{}, time.Time{}
	failed.Finalized, failed.OutputKey, failed.OutputSize, failed.NextMarker = false, "", 0, ""
	sel := newSelectJob("j-sel", acctA, "v", at(-4*time.Hour), at(-3*time.Hour))
	bare := newSelectJob("j-sel-bare", acctA, "v", at(-5*time.Hour), at(-4*time.Hour))
	bare.Select = &glacier.SelectParameters{Expression: "select * from archive"}
	bare.OutputLocation = &glacier.S3Location{BucketName: "b"}
	bare.ResultKeys, bare.ErrorKeys, bare.Finalized = nil, nil, false
	putJobs(t, s, arch, inv, failed, sel, bare)
	view(t, s, func(tx glacier.Tx) error {
		for _, want := range []glacier.Job{arch, inv, failed, sel, bare} {
			got, err := tx.Job(want.ID)
			if err != nil {
				return err
			}
			if d := diff(want, got); d != "" {
				t.Errorf("Job(%s) (-want +got):\n%s", want.ID, d)
			}
			wantUTC(t, "Job", got.CreatedAt, got.CompleteAt, got.InventoryAt, got.InventoryStart, got.InventoryEnd)
		}
		got, err := tx.Job("j-failed")
		if err != nil {
			return err
		}
		wantZero(t, "Job(j-failed) inventory times", got.InventoryAt, got.InventoryStart, got.InventoryEnd)
		list, err := tx.Jobs(glacier.JobQuery{Account: acctA, Vault: "v", Now: t0()})
		if err != nil {
			return err
		}
		if d := diff([]glacier.Job{bare, sel, failed, inv, arch}, list); d != "" {
			t.Errorf("Jobs (-want +got):\n%s", d)
		}
		return nil
	})
}

func testJobNotFound(t *testing.T, s glacier.MetaStore) {
	putVaults(t, s, newVault(acctA, "v"))
	putJobs(t, s, newJob("j1", acctA, "v", t0(), t0()))
	view(t, s, func(tx glacier.Tx) error {
		_, err := tx.Job("j2")
		return errNotFound("Job(missing)", err)
	})
}

func testJobPutReplaces(t *testing.T, s glacier.MetaStore) {
	putVaults(t, s, newVault(acctA, "v"))
	j := newJob("j1", acctA, "v", t0(), at(time.Hour))
	putJobs(t, s, j)
	j.Finalized, j.OutputKey, j.OutputSize = true, "out/j1", 77
	putJobs(t, s, j)
	view(t, s, func(tx glacier.Tx) error {
		got, err := tx.Job("j1")
		if err != nil {
			return err
		}
		if d := diff(j, got); d != "" {
			t.Errorf("Job after replace (-want +got):\n%s", d)
		}
		list, err := tx.Jobs(glacier.JobQuery{Account: acctA, Vault: "v", Now: t0()})
		if err != nil {
			return err
		}
		if len(list) != 1 {
			t.Errorf("Jobs after replace: %v, want one", jobIDs(list))
		}
		return nil
	})
}

func testJobUnfinalized(t *testing.T, s glacier.MetaStore) {
	putVaults(t, s, newVault(acctA, "v"), newVault(acctB, "v"))
	mk := func(id, account string, complete time.Duration, finalized bool) glacier.Job {
		j := newJob(id, account, "v", t0(), at(complete))
		j.Finalized = finalized
		return j
	}
	putJobs(t, s,
		mk("u2", acctA, 10*time.Second, false),
		mk("u1", acctA, 5*time.Second, false),
		mk("u3", acctA, 10*time.Second+time.Microsecond, false),
		mk("u4", acctA, 2*time.Second, true),
		mk("u5", acctB, 5*time.Second, false),
	)
	now := at(10 * time.Second)
	view(t, s, func(tx glacier.Tx) error {
		got, err := tx.UnfinalizedJobs(now, 0)
		if err != nil {
			return err
		}
		if d := diff([]string{"u1", "u5", "u2"}, jobIDs(got)); d != "" {
			t.Errorf("UnfinalizedJobs (-want +got):\n%s", d)
		}
		full, err := tx.Job("u1")
		if err != nil {
			return err
		}
		if len(got) > 0 {
			if d := diff(full, got[0]); d != "" {
				t.Errorf("UnfinalizedJobs record (-Job +UnfinalizedJobs):\n%s", d)
			}
		}
		got, err = tx.UnfinalizedJobs(now, 2)
		if err != nil {
			return err
		}
		if d := diff([]string{"u1", "u5"}, jobIDs(got)); d != "" {
			t.Errorf("UnfinalizedJobs(limit 2) (-want +got):\n%s", d)
		}
		return nil
	})
}

func testJobRetrievalStats(t *testing.T, s glacier.MetaStore) {
	putVaults(t, s, newVault(acctA, "v"), newVault(acctA, "w"), newVault(acctB, "v"))
	since := at(0)
	mk := func(id, account, vault, tier string, created time.Duration, start, end int64) glacier.Job {
		j := newJob(id, account, vault, at(created), at(time.Hour))
		j.Tier, j.RangeStart, j.RangeEnd = tier, start, end
		return j
	}
	inv := newInventoryJob("inv", acctA, "v", at(time.Second), at(time.Hour))
	inv.Tier = glacier.TierStandard
	sel := newSelectJob("select", acctA, "v", at(time.Second), at(time.Hour))
	sel.ArchiveSize, sel.RangeEnd = 5, 4
	putJobs(t, s, sel,
		mk("at-since", acctA, "v", glacier.TierStandard, 0, 0, 1<<20-1),
		mk("other-vault", acctA, "w", glacier.TierStandard, time.Minute, 100, 199),
		mk("big", acctA, "v", glacier.TierStandard, time.Minute, 0, 40<<30-1),
		mk("before", acctA, "v", glacier.TierStandard, -time.Microsecond, 0, 999),
		mk("expedited", acctA, "v", glacier.TierExpedited, time.Second, 10, 10),
		mk("other-account", acctB, "v", glacier.TierStandard, time.Second, 0, 9),
		inv,
	)
	cases := []struct {
		account, tier string
		n             int
		bytes         int64
	}{
		{acctA, glacier.TierStandard, 3, 1<<20 + 100 + 40<<30},
		{acctA, glacier.TierExpedited, 2, 1 + 5}, // a select job counts as a retrieval
		{acctA, glacier.TierBulk, 0, 0},
		{acctB, glacier.TierStandard, 1, 10},
		{"999999999999", glacier.TierStandard, 0, 0},
	}
	view(t, s, func(tx glacier.Tx) error {
		for _, c := range cases {
			n, bytes, err := tx.RetrievalStats(c.account, c.tier, since)
			if err != nil {
				return err
			}
			if n != c.n || bytes != c.bytes {
				t.Errorf("RetrievalStats(%s, %s) = %d, %d; want %d, %d", c.account, c.tier, n, bytes, c.n, c.bytes)
			}
		}
		n, bytes, err := tx.RetrievalStats(acctA, glacier.TierStandard, at(time.Minute))
		if err != nil {
			return err
		}
		if n != 2 || bytes != 100+40<<30 {
			t.Errorf("RetrievalStats(since later) = %d, %d; want 2, %d", n, bytes, 100+40<<30)
		}
		return nil
	})
}

func testJobDeleteJobs(t *testing.T, s glacier.MetaStore) {
	putVaults(t, s, newVault(acctA, "v"), newVault(acctB, "v"))
	mk := func(id, account string, complete time.Duration) glacier.Job {
		return newJob(id, account, "v", t0(), at(complete))
	}
	d1 := mk("d1", acctA, time.Second)
	d5 := mk("d5", acctB, 3*time.Second)
	putJobs(t, s, mk("d3", acctA, 10*time.Second), mk("d2", acctA, 5*time.Second), d5,
		mk("d4", acctA, 20*time.Second), d1)
	before := at(10 * time.Second)
	var got []string
	update(t, s, func(tx glacier.Tx) error {
		page, err := tx.DeleteJobs(before, 2)
		if err != nil {
			return err
		}
		if d := diff([]glacier.Job{d1, d5}, page); d != "" {
			t.Errorf("DeleteJobs(limit 2) (-want +got):\n%s", d)
		}
		for range 5 {
			page, err := tx.DeleteJobs(before, 0)
			if err != nil {
				return err
			}
			if len(page) == 0 {
				break
			}
			got = append(got, jobIDs(page)...)
		}
		return nil
	})
	if d := diff([]string{"d2"}, got); d != "" {
		t.Errorf("DeleteJobs rest (-want +got):\n%s", d)
	}
	view(t, s, func(tx glacier.Tx) error {
		for _, id := range []string{"d1", "d2", "d5"} {
			_, err := tx.Job(id)
			if err := errNotFound("deleted Job("+id+")", err); err != nil {
				t.Error(err)
			}
		}
		list, err := tx.Jobs(glacier.JobQuery{Account: acctA, Vault: "v", Now: t0()})
		if err != nil {
			return err
		}
		if d := diff([]string{"d3", "d4"}, jobIDs(list)); d != "" {
			t.Errorf("Jobs after DeleteJobs (-want +got):\n%s", d)
		}
		return nil
	})
}
