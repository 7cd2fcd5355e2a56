package storetest

import (
	"testing"
	"time"

	"github.com/glacierd/glacierd/internal/glacier"
)

// jobsIDs checks that Jobs(q) returns the jobs with IDs want, in order.
func jobsIDs(t *testing.T, s glacier.MetaStore, what string, q glacier.JobQuery, want ...string) {
	t.Helper()
	view(t, s, func(tx glacier.Tx) error {
		got, err := tx.Jobs(q)
		if err != nil {
			return err
		}
		if d := diff(want, jobIDs(got)); d != "" {
			t.Errorf("%s: Jobs IDs (-want +got):\n%s", what, d)
		}
		return nil
	})
}

func testJobListOrder(t *testing.T, s glacier.MetaStore) {
	putVaults(t, s, newVault(acctA, "v"), newVault(acctA, "w"), newVault(acctB, "v"))
	c := at(time.Hour)
	putJobs(t, s,
		newJob("m", acctA, "v", at(2*time.Second), c),
		newJob("z", acctA, "v", at(time.Second), c),
		newJob("b", acctA, "v", at(2*time.Second), c),
		newJob("B", acctA, "v", at(2*time.Second), c),
		newJob("a", acctA, "v", at(3*time.Second), c),
		newJob("w", acctA, "w", at(time.Second), c),
		newJob("x", acctB, "v", at(time.Second), c),
	)
	jobsIDs(t, s, "A/v", glacier.JobQuery{Account: acctA, Vault: "v", Now: t0()}, "z", "B", "b", "m", "a")
	jobsIDs(t, s, "B/v", glacier.JobQuery{Account: acctB, Vault: "v", Now: t0()}, "x")
	jobsIDs(t, s, "B/w", glacier.JobQuery{Account: acctB, Vault: "w", Now: t0()})
}

// statusFixture puts jobs whose statuses at now = at(10s) are:
// j1 Succeeded, j2 Failed (completes exactly at now), j3 and j4 InProgress,
// j5 Failed. They are created in ID order.
func statusFixture(t *testing.T, s glacier.MetaStore) time.Time {
	t.Helper()
	putVaults(t, s, newVault(acctA, "v"))
	mk := func(id string, created, complete time.Duration, status string) glacier.Job {
		j := newJob(id, acctA, "v", at(created), at(complete))
		j.Status = status
		return j
	}
	putJobs(t, s,
		mk("j1", 0, 5*time.Second, glacier.StatusSucceeded),
		mk("j2", time.Second, 10*time.Second, glacier.StatusFailed),
		mk("j3", 2*time.Second, 10*time.Second+time.Microsecond, glacier.StatusSucceeded),
		mk("j4", 3*time.Second, 20*time.Second, glacier.StatusFailed),
		mk("j5", 4*time.Second, 5*time.Second, glacier.StatusFailed),
	)
	return at(10 * time.Second)
}

func testJobListStatus(t *testing.T, s glacier.MetaStore) {
	now := statusFixture(t, s)
	q := func(status string) glacier.JobQuery {
		return glacier.JobQuery{Account: acctA, Vault: "v", Now: now, Status: status}
	}
	jobsIDs(t, s, "any", q(""), "j1", "j2", "j3", "j4", "j5")
	jobsIDs(t, s, "InProgress", q(glacier.StatusInProgress), "j3", "j4")
	jobsIDs(t, s, "Succeeded", q(glacier.StatusSucceeded), "j1")
	jobsIDs(t, s, "Failed", q(glacier.StatusFailed), "j2", "j5")
	later := q(glacier.StatusSucceeded)
	later.Now = at(time.Hour)
	jobsIDs(t, s, "Succeeded later", later, "j1", "j3")
}

func testJobListCompleted(t *testing.T, s glacier.MetaStore) {
	now := statusFixture(t, s)
	yes, no := true, false
	q := glacier.JobQuery{Account: acctA, Vault: "v", Now: now, Completed: &yes}
	jobsIDs(t, s, "Completed", q, "j1", "j2", "j5")
	q.Completed = &no
	jobsIDs(t, s, "not Completed", q, "j3", "j4")
	q.Status = glacier.StatusFailed
	jobsIDs(t, s, "not Completed and Failed", q)
	q.Completed = &yes
	jobsIDs(t, s, "Completed and Failed", q, "j2", "j5")
}

func testJobListMinCompleteAt(t *testing.T, s glacier.MetaStore) {
	now := statusFixture(t, s)
	q := glacier.JobQuery{Account: acctA, Vault: "v", Now: now, MinCompleteAt: at(5*time.Second + time.Microsecond)}
	jobsIDs(t, s, "MinCompleteAt", q, "j2", "j3", "j4")
	q.MinCompleteAt = at(5 * time.Second)
	jobsIDs(t, s, "MinCompleteAt inclusive", q, "j1", "j2", "j3", "j4", "j5")
	q.MinCompleteAt = at(10 * time.Second)
	q.Status = glacier.StatusFailed
	jobsIDs(t, s, "MinCompleteAt and Failed", q, "j2")
}

func testJobListCursorAndLimit(t *testing.T, s glacier.MetaStore) {
	now := statusFixture(t, s)
	putJobs(t, s, newJob("j0", acctA, "v", at(2*time.Second), at(time.Hour))) // ties j3's CreatedAt
	all := []string{"j1", "j2", "j0", "j3", "j4", "j5"}
	for _, limit := range []int{1, 2, 4, 6} {
		var got []string
		q := glacier.JobQuery{Account: acctA, Vault: "v", Now: now, Limit: limit}
		for range 20 {
			var page []glacier.Job
			view(t, s, func(tx glacier.Tx) error {
				var err error
				page, err = tx.Jobs(q)
				return err
			})
			if len(page) > limit {
				t.Fatalf("Jobs(limit %d) returned %d", limit, len(page))
			}
			if len(page) == 0 {
				break
			}
			got = append(got, jobIDs(page)...)
			q.AfterCreated, q.AfterID = page[len(page)-1].CreatedAt, page[len(page)-1].ID
		}
		if d := diff(all, got); d != "" {
			t.Errorf("paging with limit %d (-want +got):\n%s", limit, d)
		}
	}
	q := glacier.JobQuery{Account: acctA, Vault: "v", Now: now, Status: glacier.StatusInProgress, Limit: 1}
	jobsIDs(t, s, "InProgress, limit 1", q, "j0")
	q.AfterCreated, q.AfterID = at(2*time.Second), "j0"
	jobsIDs(t, s, "InProgress, limit 1, after j0", q, "j3")
	q.AfterID, q.Limit = "j1", -1 // j1 is not at that CreatedAt: the cursor is a position
	jobsIDs(t, s, "InProgress, after a position", q, "j3", "j4")
}

func testJobListArchiveID(t *testing.T, s glacier.MetaStore) {
	now := statusFixture(t, s) // j1..j5 retrieve archives "archive-j1".."archive-j5"
	again := newJob("j6", acctA, "v", at(5*time.Second), at(20*time.Second))
	again.ArchiveID = "archive-j1"
	odd := newInventoryJob("j7", acctA, "v", at(6*time.Second), at(20*time.Second))
	odd.ArchiveID = "archive-j1" // not an archive retrieval: never listed by ArchiveID
	putVaults(t, s, newVault(acctA, "w"))
	elsewhere := newJob("j8", acctA, "w", at(time.Second), at(20*time.Second))
	elsewhere.ArchiveID = "archive-j1"
	sel := newSelectJob("j9", acctA, "v", at(7*time.Second), at(20*time.Second))
	sel.ArchiveID = "archive-j1" // a select job reads the archive too: listed
	putJobs(t, s, again, odd, elsewhere, sel)
	q := glacier.JobQuery{Account: acctA, Vault: "v", Now: now, ArchiveID: "archive-j1"}
	jobsIDs(t, s, "ArchiveID", q, "j1", "j6", "j9")
	q.Status = glacier.StatusInProgress
	jobsIDs(t, s, "ArchiveID and InProgress", q, "j6", "j9")
	q = glacier.JobQuery{Account: acctA, Vault: "v", Now: now, ArchiveID: "archive-none"}
	jobsIDs(t, s, "ArchiveID without jobs", q)
	q.ArchiveID = ""
	jobsIDs(t, s, "any archive", q, "j1", "j2", "j3", "j4", "j5", "j6", "j7", "j9")
}
